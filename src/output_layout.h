/*
 * The layout of a relsim output file that the writer (output.c) and the
 * reference printer (output_reference.c) share: the groups of per-period
 * metrics and their dimensions (private to src/; docs/output.md).
 */
#ifndef RELSIM_OUTPUT_LAYOUT_H
#define RELSIM_OUTPUT_LAYOUT_H

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

#endif
