/*
 * One run's results as one block of doubles (experiment.h): kept period by
 * period while the run goes, then its summary rows and measures.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/experiment.h"

static size_t period_doubles(int k) {
  return (size_t)RELSIM_FM_COUNT * (size_t)k + (size_t)RELSIM_TM_COUNT * (size_t)k * RELSIM_TIER_COUNT +
         RELSIM_MM_COUNT;
}

size_t experiment_result_doubles(const struct relsim_experiment *e) {
  const int k = e->base.params.n_firms;
  return (size_t)e->base.params.periods * period_doubles(k) + (size_t)k * RELSIM_SUMMARY_FIELDS +
         (size_t)e->n_measures;
}

void experiment_result_views(const struct relsim_experiment *e, struct relsim_exp_result *r) {
  const size_t P = (size_t)e->base.params.periods, k = (size_t)e->base.params.n_firms;
  r->n_data = experiment_result_doubles(e);
  r->firm = r->data;
  r->tier = r->firm + P * RELSIM_FM_COUNT * k;
  r->market = r->tier + P * RELSIM_TM_COUNT * k * RELSIM_TIER_COUNT;
  r->summary = r->market + P * RELSIM_MM_COUNT;
  r->measures = r->summary + k * RELSIM_SUMMARY_FIELDS;
}

int experiment_result_alloc(const struct relsim_experiment *e, struct relsim_exp_result *r) {
  memset(r, 0, sizeof *r);
  size_t n = experiment_result_doubles(e);
  if (!(r->data = malloc(n * sizeof *r->data))) return -1;
  for (size_t i = 0; i < n; i++) r->data[i] = NAN;
  experiment_result_views(e, r);
  return 0;
}

void experiment_result_free(struct relsim_exp_result *r) {
  free(r->data);
  memset(r, 0, sizeof *r);
}

void experiment_result_store(const struct relsim_experiment *e, struct relsim_exp_result *r,
                             const struct relsim_metrics *m) {
  const int k = e->base.params.n_firms, t = m->period;
  if (t < 0 || t >= e->base.params.periods) return;
  for (int i = 0; i < RELSIM_FM_COUNT; i++)
    for (int f = 0; f < k; f++) r->firm[metrics_hist_index(t, i, f, k)] = m->firm[i][f];
  double *tier = r->tier + (size_t)t * RELSIM_TM_COUNT * (size_t)k * RELSIM_TIER_COUNT;
  for (int i = 0; i < RELSIM_TM_COUNT; i++)
    for (int f = 0; f < k; f++)
      for (int c = 0; c < RELSIM_TIER_COUNT; c++) *tier++ = m->tier[i][f][c];
  memcpy(r->market + (size_t)t * RELSIM_MM_COUNT, m->market, sizeof m->market);
}

void experiment_result_finish(const struct relsim_experiment *e, struct relsim_exp_result *r,
                              const struct relsim_summary_row *rows) {
  const int k = e->base.params.n_firms;
  memcpy(r->summary, rows, (size_t)k * sizeof rows[0]);
  for (int i = 0; i < e->n_measures; i++)
    r->measures[i] = experiment_measure(&e->measures[i], r->firm, r->market, k);
}
