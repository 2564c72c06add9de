/*
 * relsim experiments: an experiment file (YAML) -> the runs to make.
 *
 * An experiment is a base scenario (a path, or inline), fixed overrides
 * (set:), factors (any scenario key: a list, a range or a distribution), a
 * design (grid, lhs or sobol), a number of replications and the measures to
 * summarise. experiment_load reads and checks all of it, then every design
 * point's scenario, and reports every problem as
 *   FILE:LINE:COLUMN: KEY: what is wrong; what is allowed
 * before anything runs. docs/experiments.md is the reference.
 *
 * Runs are numbered run = point * replications + replication. Replication r
 * of every point uses seed + r (common random numbers: the points are
 * compared on the same draws), or seed + run with
 * common_random_numbers: false.
 */
#ifndef RELSIM_EXPERIMENT_H
#define RELSIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "relsim/metrics.h"
#include "relsim/params.h"
#include "relsim/scenario.h"

#define RELSIM_EXP_FACTORS_MAX 20   /* sobol: 2 x 20 dimensions, GSL's limit is 40 */
#define RELSIM_EXP_MEASURES_MAX 64
#define RELSIM_EXP_RUNS_MAX 10000000L

enum relsim_exp_factor_kind { RELSIM_EXP_LIST, RELSIM_EXP_RANGE, RELSIM_EXP_UNIFORM, RELSIM_EXP_LOGUNIFORM,
                              RELSIM_EXP_NORMAL };
enum relsim_exp_design { RELSIM_EXP_GRID, RELSIM_EXP_LHS, RELSIM_EXP_SOBOL, RELSIM_EXP_OAT };
enum relsim_exp_stat { RELSIM_EXP_SUM, RELSIM_EXP_MEAN, RELSIM_EXP_MIN, RELSIM_EXP_MAX };

extern const char *const relsim_exp_factor_kind_names[];
extern const char *const relsim_exp_design_names[];
extern const char *const relsim_exp_stat_names[];

struct relsim_exp_factor {
  char key[RELSIM_NAME_MAX + 64]; /* the scenario key (firms.Relationship.price) */
  enum relsim_exp_factor_kind kind;
  char **texts;                   /* list: the values as written */
  double *values;                 /* list: the values as numbers (NaN for a text such as a network kind) */
  int n_values;                   /* list: count; range with step: the number of grid values */
  double a, b, step;              /* range: from, to, step (0: none); uniform/loguniform: low, high; normal: mean, sd */
  int integer;                    /* the key takes integers: drawn values are rounded */
  int numeric;                    /* the values are numbers (a list of texts is not) */
  int line, col;                  /* where the factor's value is in the experiment file */
};

struct relsim_exp_measure {
  char name[RELSIM_NAME_MAX];
  int market;                     /* 1: a market metric (no firm) */
  int metric;                     /* enum relsim_firm_metric or relsim_market_metric */
  int firm, minus;                /* the firm; the firm subtracted (-1: none) */
  int from, to;                   /* the periods summarised, inclusive */
  enum relsim_exp_stat stat;      /* how (sum, mean, min or max; NaN values are skipped) */
  char text[256];                 /* what it is, in words: "profit of Relationship, summed over periods 0-259" */
};

struct relsim_experiment {
  char path[RELSIM_PATH_MAX];
  char *source;                   /* the experiment file verbatim */
  size_t source_len;
  char *resolved;                 /* the experiment with every default, as YAML */
  char name[RELSIM_NAME_MAX];
  char scenario_path[RELSIM_PATH_MAX]; /* the base scenario's file, or the experiment's own if inline */
  int scenario_inline;
  struct relsim_scenario base;    /* the base scenario with the fixed overrides (design point values not set) */
  char **set;                     /* the fixed overrides "KEY=VALUE" */
  char **set_where;               /* where each is written ("exp.yaml:5:3") */
  int n_set;
  struct relsim_exp_factor factors[RELSIM_EXP_FACTORS_MAX];
  int n_factors;
  enum relsim_exp_design design;
  int samples;                    /* lhs: points; sobol: base samples N (N (k + 2) points) */
  int replications;
  uint64_t seed;                  /* replication r of point p: seed + r (crn) or seed + run */
  int crn;                        /* common random numbers */
  double level;                   /* confidence level of every interval (0.95) */
  int bootstrap;                  /* sobol: bootstrap resamples */
  struct relsim_exp_measure measures[RELSIM_EXP_MEASURES_MAX];
  int n_measures;
  long n_points;
  double *points;                 /* [point][factor]: the value (a list of texts: the index of the text) */
  long n_runs;                    /* n_points * replications */
  struct relsim_exp_inline *inline_tree; /* private */
};

/* Load and check path (with --set overrides applied to the base scenario
 * after the experiment's own set:), then every design point's scenario.
 * Prints every problem to err and returns their count (> 0); -1 if a file
 * cannot be read; SCENARIO_OUT_OF_MEMORY; 0 on success. */
int experiment_load(struct relsim_experiment *e, const char *path, const char *const *overrides, int n_overrides,
                    FILE *err);
/* An experiment of replications of one scenario (relsim run --replications),
 * with the run summary's fields as measures. */
int experiment_of_scenario(struct relsim_experiment *e, const char *scenario_path, const char *const *overrides,
                           int n_overrides, int replications, FILE *err);
void experiment_clean(struct relsim_experiment *e);

/* The run's point, replication and seed. */
static inline long experiment_point_of(const struct relsim_experiment *e, long run) { return run / e->replications; }
static inline int experiment_replication_of(const struct relsim_experiment *e, long run) {
  return (int)(run % e->replications);
}
uint64_t experiment_seed_of(const struct relsim_experiment *e, long run);

/* The scenario of run (the base, the fixed overrides, the point's factor
 * values and the run's seed). 0, or the count of problems printed to err. */
int experiment_scenario(const struct relsim_experiment *e, long run, struct relsim_scenario *sc, FILE *err);

/* The factor's value at a point as text, as the override writes it. */
void experiment_factor_text(const struct relsim_exp_factor *f, double v, char *buf, size_t len);

/* A measure of one run from its firm metrics history (metrics_hist_index)
 * and its market metrics [period][RELSIM_MM_COUNT]. */
double experiment_measure(const struct relsim_exp_measure *m, const double *firm_hist, const double *market_hist,
                          int n_firms);

/* ---- one run's results (experiment_result.c) ---- */

/* The per-firm summary row as doubles (struct relsim_summary_row holds doubles only). */
#define RELSIM_SUMMARY_FIELDS ((int)(sizeof(struct relsim_summary_row) / sizeof(double)))

/* What one run gives: every period's metrics, its summary rows and its
 * measures, in one block of doubles (data) so that it travels (to the
 * journal, between MPI ranks) as it is. */
struct relsim_exp_result {
  long run;
  int status;           /* enum relsim_status of the run (RELSIM_OK: data holds it all) */
  double wall_seconds;  /* building the simulation to its last period */
  size_t n_data;        /* experiment_result_doubles */
  double *data;
  double *firm;         /* views into data: [period][RELSIM_FM_COUNT][firm] (metrics_hist_index) */
  double *tier;         /* [period][RELSIM_TM_COUNT][firm][tier] */
  double *market;       /* [period][RELSIM_MM_COUNT] */
  double *summary;      /* [firm][RELSIM_SUMMARY_FIELDS] */
  double *measures;     /* [measure] */
};

size_t experiment_result_doubles(const struct relsim_experiment *e);
/* Allocate r's data (NaN-filled) and set the views; 0, or -1 if memory ran out. */
int experiment_result_alloc(const struct relsim_experiment *e, struct relsim_exp_result *r);
/* Set the views of r->data (after it was filled from elsewhere). */
void experiment_result_views(const struct relsim_experiment *e, struct relsim_exp_result *r);
void experiment_result_free(struct relsim_exp_result *r);
/* Keep period m->period's metrics. */
void experiment_result_store(const struct relsim_experiment *e, struct relsim_exp_result *r,
                             const struct relsim_metrics *m);
/* After the last period: the run's summary rows (as the run computed them) and the measures. */
void experiment_result_finish(const struct relsim_experiment *e, struct relsim_exp_result *r,
                              const struct relsim_summary_row *rows);

#endif
