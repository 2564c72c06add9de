/*
 * One scenario through the simulation into one output file (run.h): the
 * metric history, customer snapshots and the summary live here, so the
 * command line only handles arguments.
 */
#include "relsim/run.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "relsim/sim.h"
#include "relsim/util.h"

/* The periods of a run: step, write, snapshot, keep the history. */
static enum relsim_status run_periods(struct relsim_sim *s, struct relsim_output *out, const struct relsim_run_options *o,
                                      double *hist, struct relsim_run_result *res, char *err, size_t errlen) {
  const struct relsim_params *p = &s->p;
  const int k = p->n_firms;
  double t_run = util_seconds();
  for (int t = 0; t < p->periods; t++) {
    if (o->stop && *o->stop) {
      res->stopped = 1;
      break;
    }
    enum relsim_status st = sim_step(s, err, errlen);
    if (st != RELSIM_OK) return st;
    if (output_write_period(out, &s->m, err, errlen) != 0) return RELSIM_ERR_WRITE;
    if (p->snapshot_every > 0 && (t + 1) % p->snapshot_every == 0) {
      struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
      int n_cols = world_snapshot_columns(&s->w, cols);
      if (output_write_snapshot(out, t, cols, n_cols, err, errlen) != 0) return RELSIM_ERR_WRITE;
    }
    for (int m = 0; m < RELSIM_FM_COUNT; m++)
      for (int f = 0; f < k; f++) hist[metrics_hist_index(t, m, f, k)] = s->m.firm[m][f];
    res->periods_done = t + 1;
    res->run_seconds = util_seconds() - t_run;
    if (o->hooks.period_done) o->hooks.period_done(o->hooks.ctx, t + 1, p->periods, res->run_seconds);
  }
  return RELSIM_OK;
}

enum relsim_status run_scenario(const struct relsim_scenario *sc, const struct relsim_run_options *o,
                                struct relsim_run_result *res, char *err, size_t errlen) {
  const struct relsim_params *p = &sc->params;
  memset(res, 0, sizeof *res);
  /* GSL's default handler aborts the process; relsim checks every GSL
   * return value instead (rng_alloc returns NULL, reported as out of memory). */
  gsl_set_error_handler_off();
  double t0 = util_seconds();
  struct relsim_sim *s = NULL;
  enum relsim_status st = run_memory_check(p, o->threads, o->max_memory, err, errlen);
  if (st != RELSIM_OK) {
    res->memory_refused = 1;
    return st;
  }
  st = sim_create(&s, p, o->threads, err, errlen);
  if (st != RELSIM_OK) return st;
  res->threads = s->threads;
  struct relsim_provenance prov = o->prov;
  prov.threads = s->threads;
  prov.ranks = 1;
  struct relsim_output *out = NULL;
  double *hist = NULL;
  struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
  int n_cols = world_snapshot_columns(NULL, cols);
  if (output_open(&out, o->output, p, &prov, sc->source, sc->resolved, cols, n_cols, err, errlen) != 0) {
    st = RELSIM_ERR_CREATE;
  } else if (!(hist = calloc((size_t)p->periods * RELSIM_FM_COUNT * (size_t)p->n_firms, sizeof *hist))) {
    snprintf(err, errlen, "out of memory for the metric history of %d periods", p->periods);
    st = RELSIM_ERR_MEMORY;
  } else {
    if (o->hooks.started) o->hooks.started(o->hooks.ctx, p, s->threads, o->output);
    st = run_periods(s, out, o, hist, res, err, errlen);
  }
  res->wall_seconds = util_seconds() - t0;
  if (st != RELSIM_OK) {
    if (out) output_abort(out);
  } else if (output_close(out, !res->stopped, res->wall_seconds, err, errlen) != 0) {
    st = RELSIM_ERR_CREATE; /* the final file could not be made */
  } else if (res->periods_done > 0) {
    metrics_summary(hist, res->periods_done, p->n_firms, res->rows);
  }
  if ((st == RELSIM_ERR_CREATE || st == RELSIM_ERR_WRITE) && output_out_of_memory()) st = RELSIM_ERR_MEMORY;
  free(hist);
  sim_free(s);
  return st;
}

void run_print_output_reference(FILE *out) {
  struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
  output_print_reference(out, cols, world_snapshot_columns(NULL, cols));
}
