/*
 * Checked HDF5 wrappers shared by the output writer and reader (private to
 * src/). Each wrapper checks every HDF5 call; on failure it puts a message
 * in the caller's buffer that names the file and the object ("cannot create
 * dataset '/firm/revenue' in out.h5: ...") and returns -1 (or a negative id).
 * Objects are created with time tracking off, so identical runs give
 * identical datasets.
 */
#ifndef RELSIM_H5IO_H
#define RELSIM_H5IO_H

#include <stddef.h>

#include <hdf5.h>

#include "relsim/field.h"

#if defined(__GNUC__)
#define H5IO_PRINTF __attribute__((format(printf, 2, 3)))
#else
#define H5IO_PRINTF
#endif

/* Where errors go: the file named in messages and the caller's buffer. */
struct h5io_ctx {
  const char *file;
  char *err;
  size_t errlen;
};

/* The most specific message of the HDF5 error stack into buf. Call before
 * any other HDF5 function: each API call clears the stack. */
void h5io_detail(char *buf, size_t size);

/* "<what> in <file>: <HDF5 detail>" (what from fmt); returns -1. */
int h5io_fail(struct h5io_ctx *c, const char *fmt, ...) H5IO_PRINTF;

/* "cannot <what> ['<name>' of] '<object path>' in <file>: <detail>"; returns -1. */
int h5io_fail_obj(struct h5io_ctx *c, hid_t obj, const char *what, const char *name);

/* A message without HDF5 detail; returns -1. */
int h5io_fail_plain(struct h5io_ctx *c, const char *fmt, ...) H5IO_PRINTF;

/* A variable-length UTF-8 string type (close with H5Tclose), or -1. */
hid_t h5io_utf8_type(void);

/* HDF5 file and memory types of a column element type. */
hid_t h5io_elem_ftype(enum relsim_elem e);
hid_t h5io_elem_mtype(enum relsim_elem e);

/* Create or overwrite a scalar attribute. */
int h5io_attr_put(struct h5io_ctx *c, hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *buf);
/* Create or overwrite a 1-D attribute of n >= 1 values. */
int h5io_attr_array(struct h5io_ctx *c, hid_t obj, const char *name, hid_t ftype, hid_t mtype, size_t n,
                    const void *buf);
/* A UTF-8 string attribute (str: h5io_utf8_type); NULL writes "". */
int h5io_attr_str(struct h5io_ctx *c, hid_t obj, hid_t str, const char *name, const char *value);
/* An int32 attribute. */
int h5io_attr_int(struct h5io_ctx *c, hid_t obj, const char *name, int value);

/* Create a group (object times off); returns it or -1. */
hid_t h5io_group_create(struct h5io_ctx *c, hid_t loc, const char *path);

/* Shape and storage of a new dataset. */
/* The largest rank of a dataset written or read by rows. */
#define H5IO_RANK_MAX 5

struct h5io_ds_spec {
  hid_t ftype, mtype; /* file type; memory type of fill */
  int rank;           /* 0: scalar */
  hsize_t dims[H5IO_RANK_MAX], maxdims[H5IO_RANK_MAX], chunk[H5IO_RANK_MAX];
  int deflate;        /* 0: contiguous; else chunked with shuffle + deflate at this level */
  const void *fill;   /* fill value (mtype), NULL: HDF5's default */
};

/* Create a dataset with the attributes `units` and `long_name`; returns it or -1. */
hid_t h5io_ds_create(struct h5io_ctx *c, hid_t loc, hid_t str, const char *path, const struct h5io_ds_spec *s,
                     const char *units, const char *long_name);

/* Write a whole dataset. */
int h5io_ds_write_all(struct h5io_ctx *c, hid_t ds, hid_t mtype, const void *buf);

/* Make ds a dimension scale named after the last component of its path. */
int h5io_set_scale(struct h5io_ctx *c, hid_t ds);

/* Attach a dimension scale to axis `axis` of ds. */
int h5io_attach(struct h5io_ctx *c, hid_t ds, hid_t scale, unsigned axis);

/* Write rows [first, first + n) of dataset ds (rank 1 to 3) from buf,
 * growing its first dimension if needed. Returns 0 or -1. */
int h5io_write_rows(struct h5io_ctx *c, hid_t ds, hsize_t first, hsize_t n, hid_t mtype, const void *buf);

/* Read rows [first, first + n) of the dataset at path into buf. Returns 0 or -1. */
int h5io_read_rows(struct h5io_ctx *c, hid_t file, const char *path, hsize_t first, hsize_t n, hid_t mtype,
                   void *buf);

/* Close the open objects among ids[0..n-1] and set them to -1. */
void h5io_close_ids(hid_t *ids, int n);

/* Read a string attribute (variable or fixed length) into buf. */
int h5io_read_str_attr(struct h5io_ctx *c, hid_t obj, const char *name, char *buf, size_t size);
/* Read a scalar numeric attribute as mtype. */
int h5io_read_num_attr(struct h5io_ctx *c, hid_t obj, const char *name, hid_t mtype, void *buf);
/* Read the 1-D string dataset path of n values into newly allocated copies
 * (*out[0..n-1], free each and the array). */
int h5io_read_strings(struct h5io_ctx *c, hid_t file, const char *path, int n, char ***out);
/* Length of a dataset's first axis (and second in *second if not NULL), or -1. */
long long h5io_extent(hid_t file, const char *path, long long *second);

#endif
