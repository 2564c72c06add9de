/*
 * Self-describing output columns (the bottom of the include order): a
 * metric field (name, units, description) and a column of typed
 * per-customer values that the HDF5 writer stores and documents without
 * knowing the simulation's structs.
 */
#ifndef RELSIM_FIELD_H
#define RELSIM_FIELD_H

#include <stddef.h>
#include <stdint.h>

/* One output variable: its dataset name, units and one-line description. */
struct relsim_field {
  const char *name;
  const char *units;
  const char *long_name;
};

/* Element type of a column. */
enum relsim_elem {
  RELSIM_ELEM_F64,
  RELSIM_ELEM_F32,
  RELSIM_ELEM_U8,
  RELSIM_ELEM_I16,
  RELSIM_ELEM_I32,
  RELSIM_ELEM_U32,
  RELSIM_ELEM_U64
};

/* The element type of a C type, e.g. RELSIM_ELEM_OF(float) == RELSIM_ELEM_F32
 * (C11 _Generic; a type without an element type does not compile). */
#define RELSIM_ELEM_OF(ctype)          \
  _Generic((ctype *)0,                 \
      double *: RELSIM_ELEM_F64,       \
      float *: RELSIM_ELEM_F32,        \
      uint8_t *: RELSIM_ELEM_U8,       \
      int16_t *: RELSIM_ELEM_I16,      \
      int32_t *: RELSIM_ELEM_I32,      \
      uint32_t *: RELSIM_ELEM_U32,     \
      uint64_t *: RELSIM_ELEM_U64)

/* Shape of a column, for n customers, k firms and a product attributes:
 * [customer], [customer * a + attribute], [customer * k + firm] or
 * [(customer * k + firm) * a + attribute] (state only: not snapshotted). */
enum relsim_shape {
  RELSIM_SHAPE_CUSTOMER,
  RELSIM_SHAPE_CUSTOMER_ATTR,
  RELSIM_SHAPE_CUSTOMER_FIRM,
  RELSIM_SHAPE_CUSTOMER_FIRM_ATTR
};

/* A column of customer state: what it is and where its values are (data may
 * be NULL in a table that only describes columns). flags: for coded values,
 * "VALUE MEANING" pairs separated by spaces, e.g. "0 stable 1 rising 2 fading"
 * (written as the CF attributes flag_values and flag_meanings), else NULL. */
struct relsim_column {
  const char *name, *units, *long_name;
  enum relsim_elem elem;
  enum relsim_shape shape;
  const void *data;
  const char *flags;
};

#endif
