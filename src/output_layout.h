/*
 * The layout of a relsim output file that the writer (output.c) and the
 * reference printer (output_reference.c) share: the groups of per-period
 * metrics and their dimensions, how the tables' units are written, and the
 * metrics that hold coded values (private to src/; docs/output.md).
 */
#ifndef RELSIM_OUTPUT_LAYOUT_H
#define RELSIM_OUTPUT_LAYOUT_H

#include <stddef.h>

#include "relsim/metrics.h"

/* Groups of per-period metrics: /firm, /firm_tier, /market. */
enum { OUTPUT_GROUP_FIRM, OUTPUT_GROUP_TIER, OUTPUT_GROUP_MARKET, OUTPUT_GROUP_COUNT };

struct output_group {
  const char *name;                  /* HDF5 group */
  const struct relsim_field *fields; /* the table of metrics.h */
  int count, rank;                   /* fields; dims per dataset */
  const char *dims;                  /* for the reference */
};

extern const struct output_group output_groups[OUTPUT_GROUP_COUNT];

/* The conventions the file follows (root attribute Conventions). */
#define OUTPUT_CONVENTIONS "CF-1.8"

/* The `units` attribute (understood by UDUNITS) for a unit of the tables:
 * counts and money, which UDUNITS does not know, are "1" and *relsim_units
 * is set to the table's unit; any other unit is kept and *relsim_units is
 * NULL. */
const char *output_udunits(const char *units, const char **relsim_units);

/* Coded values of metric i of group gi as "VALUE MEANING ..." pairs (into
 * buf), or NULL if the metric is not coded. */
const char *output_metric_flags(int gi, int i, char *buf, size_t size);

#endif
