/*
 * Shared by the experiment file's writer and reader (ensemble_write.c,
 * ensemble_read.c); not part of the library's interface.
 */
#ifndef RELSIM_ENSEMBLE_INTERNAL_H
#define RELSIM_ENSEMBLE_INTERNAL_H

#include <stdint.h>

#include "relsim/ensemble.h"

#define ENSEMBLE_SUMMARY_FIELDS RELSIM_SUMMARY_FIELDS
#define ENSEMBLE_FIELD_PROFIT 1 /* struct relsim_summary_row's profit */

/* The summary row's fields: dataset names (struct order) and the labels
 * inspect prints (NULL: not printed). */
extern const char *const ensemble_summary_names[];
extern const char *const ensemble_summary_labels[];

/* What inspect and merge read of an experiment file. */
struct ensemble_info {
  char version[64], git_commit[64], experiment_path[RELSIM_PATH_MAX], experiment_name[RELSIM_NAME_MAX];
  char scenario_path[RELSIM_PATH_MAX], design[16];
  long runs, points;
  int replications, periods, crn, slice, complete;
  int64_t first_run, last_run;
  uint64_t seed, digest;
  double level;
  int n_firms;
  char **names;
  int *status;                                   /* [run] */
  double *rsum[ENSEMBLE_SUMMARY_FIELDS];         /* [run][firm] */
  int n_measures;
  char *measure_names[RELSIM_EXP_MEASURES_MAX];
  double *measures[RELSIM_EXP_MEASURES_MAX];     /* [run] */
  int n_factors;
  char *factor_keys[RELSIM_EXP_FACTORS_MAX];
  double *point_values[RELSIM_EXP_FACTORS_MAX];  /* [point] */
  int has_sobol;
  double *sobol;                                 /* [measure][factor][first, lo, hi, total, lo, hi] */
};

enum relsim_status ensemble_info_read(const char *path, struct ensemble_info *in, char *err, size_t errlen);
void ensemble_info_free(struct ensemble_info *in);

#endif
