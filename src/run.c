/*
 * One scenario through the simulation into one output file (run.h): the
 * metric history, customer snapshots, checkpoints and the summary live
 * here, so the command line only handles arguments.
 */
#include "relsim/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "relsim/checkpoint.h"
#include "relsim/sim.h"
#include "relsim/util.h"

/* A run's working state beside the simulation. */
struct run {
  struct relsim_sim *s;
  struct relsim_output *out;
  double *hist;                  /* [period][FM][k] for the summary */
  struct relsim_metrics *staged; /* [chunk] the metrics of period t at t % chunk */
  int chunk;
  char checkpoint[RELSIM_PATH_MAX + 16];
  struct relsim_provenance prov;
  const char *resolved;
};

/* Save a checkpoint after the periods done so far. */
static enum relsim_status save_checkpoint(struct run *r, struct relsim_run_result *res, char *err, size_t errlen) {
  struct relsim_run_state rs = {0, 0, 0, r->staged, r->hist};
  if (output_sync(r->out, &rs.periods_written, &rs.snapshots, err, errlen) != 0) return RELSIM_ERR_WRITE;
  rs.n_staged = r->s->period - rs.periods_written;
  enum relsim_status st = checkpoint_save(r->checkpoint, r->s, &rs, &r->prov, r->resolved, err, errlen);
  if (st == RELSIM_OK) res->checkpoint_period = r->s->period;
  return st;
}

/* The periods of a run from s->period: step, write, snapshot, keep the history, checkpoint. */
static enum relsim_status run_periods(struct run *r, const struct relsim_run_options *o, struct relsim_run_result *res,
                                      char *err, size_t errlen) {
  struct relsim_sim *s = r->s;
  const struct relsim_params *p = &s->p;
  const int k = p->n_firms;
  double t_run = util_seconds();
  for (int t = s->period; t < p->periods; t++) {
    if (o->stop && *o->stop) {
      res->stopped = 1;
      break;
    }
    enum relsim_status st = sim_step(s, err, errlen);
    if (st == RELSIM_ERR_INTERRUPTED) {
      res->stopped = 1;
      break;
    }
    if (st != RELSIM_OK) return st;
    if (o->hooks.metrics) o->hooks.metrics(o->hooks.ctx, &s->m);
    if (r->out && output_write_period(r->out, &s->m, err, errlen) != 0) return RELSIM_ERR_WRITE;
    r->staged[t % r->chunk] = s->m;
    if (r->out && p->snapshot_every > 0 && (t + 1) % p->snapshot_every == 0) {
      struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
      int n_cols = world_snapshot_columns(&s->w, cols);
      if (output_write_snapshot(r->out, t, cols, n_cols, err, errlen) != 0) return RELSIM_ERR_WRITE;
    }
    for (int m = 0; m < RELSIM_FM_COUNT; m++)
      for (int f = 0; f < k; f++) r->hist[metrics_hist_index(t, m, f, k)] = s->m.firm[m][f];
    res->periods_done = t + 1;
    if (r->out && o->checkpoint_every > 0 && (t + 1) % o->checkpoint_every == 0 && t + 1 < p->periods &&
        (st = save_checkpoint(r, res, err, errlen)) != RELSIM_OK)
      return st;
    res->run_seconds = util_seconds() - t_run;
    if (o->hooks.period_done) o->hooks.period_done(o->hooks.ctx, t + 1, p->periods, res->run_seconds);
  }
  return RELSIM_OK;
}

/* Open the output, or continue it from the checkpoint (o->mode RESUME). */
static enum relsim_status open_output(struct run *r, const struct relsim_scenario *sc,
                                      const struct relsim_run_options *o, struct relsim_run_result *res, char *err,
                                      size_t errlen) {
  struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
  int n_cols = world_snapshot_columns(NULL, cols);
  struct relsim_output_spec spec = {o->output, o->mode, &sc->params, &r->prov, sc->source, sc->resolved, cols,
                                    n_cols};
  if (o->mode == RELSIM_OUTPUT_RESUME && access(r->checkpoint, F_OK) != 0) {
    /* killed before its first checkpoint (or run without them): nothing to keep, start over */
    spec.mode = RELSIM_OUTPUT_FORCE;
    res->restarted = 1;
  }
  if (spec.mode != RELSIM_OUTPUT_RESUME) {
    enum relsim_status st = output_open(&r->out, &spec, err, errlen);
    if (st == RELSIM_OK) unlink(r->checkpoint); /* a dead run's checkpoint no longer matches the output */
    return st;
  }
  struct relsim_run_state rs = {0, 0, 0, r->staged, r->hist};
  enum relsim_status st = checkpoint_load(r->checkpoint, r->s, &rs, &r->prov, sc->resolved, err, errlen);
  if (st == RELSIM_OK) st = output_resume(&r->out, &spec, rs.periods_written, rs.snapshots, r->s->period, err, errlen);
  for (int j = 0; st == RELSIM_OK && j < rs.n_staged; j++) /* the periods staged when the checkpoint was taken */
    if (output_write_period(r->out, &r->staged[j], err, errlen) != 0) st = RELSIM_ERR_WRITE;
  res->resumed_from = res->periods_done = res->checkpoint_period = r->s->period;
  return st;
}

enum relsim_status run_scenario(const struct relsim_scenario *sc, const struct relsim_run_options *o,
                                struct relsim_run_result *res, char *err, size_t errlen) {
  const struct relsim_params *p = &sc->params;
  memset(res, 0, sizeof *res);
  /* GSL's default handler aborts the process; relsim checks every GSL
   * return value instead (rng_alloc returns NULL, reported as out of memory). */
  gsl_set_error_handler_off();
  enum relsim_status st = o->output ? output_check(o->output, o->mode, err, errlen) : RELSIM_OK;
  if (st == RELSIM_OK && (st = run_memory_check(p, o->threads, o->max_memory, err, errlen)) != RELSIM_OK)
    res->memory_refused = 1;
  if (st != RELSIM_OK) return st;
  double t0 = util_seconds();
  struct run r = {.chunk = output_chunk_periods(), .prov = o->prov, .resolved = sc->resolved ? sc->resolved : ""};
  if (o->output) snprintf(r.checkpoint, sizeof r.checkpoint, "%s.checkpoint", o->output);
  if ((st = sim_create_scheduled(&r.s, p, &sc->events, o->threads, err, errlen)) != RELSIM_OK) return st;
  r.s->stop = o->stop;
  res->threads = r.s->threads;
  r.prov.threads = r.s->threads;
  if (!r.prov.ranks) r.prov.ranks = 1;
  r.hist = calloc((size_t)p->periods * RELSIM_FM_COUNT * (size_t)p->n_firms, sizeof *r.hist);
  r.staged = calloc((size_t)r.chunk, sizeof *r.staged);
  if (!r.hist || !r.staged) {
    snprintf(err, errlen, "out of memory for the metric history of %d periods", p->periods);
    st = RELSIM_ERR_MEMORY;
  } else if (!o->output || (st = open_output(&r, sc, o, res, err, errlen)) == RELSIM_OK) {
    if (o->hooks.started) o->hooks.started(o->hooks.ctx, p, r.s->threads, o->output);
    st = run_periods(&r, o, res, err, errlen);
  }
  res->wall_seconds = util_seconds() - t0;
  if (!o->output) {
    /* in memory: the caller kept what it needed through hooks.metrics */
  } else if (st != RELSIM_OK) {
    /* keep the partial file only if a checkpoint can continue it */
    res->kept_partial = r.out && res->checkpoint_period > 0;
    output_abort(r.out, res->kept_partial);
  } else if (res->stopped) {
    if (output_keep(r.out, res->wall_seconds, err, errlen) != 0) st = RELSIM_ERR_WRITE;
    res->kept_partial = 1;
  } else if (output_close(r.out, res->wall_seconds, err, errlen) != 0) {
    st = RELSIM_ERR_WRITE; /* the final file could not be made */
  } else {
    char tmp[sizeof r.checkpoint + 8];
    snprintf(tmp, sizeof tmp, "%s.new", r.checkpoint);
    unlink(r.checkpoint); /* the run is complete: nothing to resume */
    unlink(tmp);          /* and a checkpoint a kill cut short */
  }
  if ((st == RELSIM_ERR_CREATE || st == RELSIM_ERR_WRITE) && output_out_of_memory()) st = RELSIM_ERR_MEMORY;
  if (st == RELSIM_OK && res->periods_done > 0) metrics_summary(r.hist, res->periods_done, p->n_firms, res->rows);
  free(r.hist);
  free(r.staged);
  sim_free(r.s);
  return st;
}

void run_print_output_reference(FILE *out) {
  struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
  output_print_reference(out, cols, world_snapshot_columns(NULL, cols));
}
