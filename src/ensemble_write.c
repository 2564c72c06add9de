/*
 * The experiment file (ensemble.h, docs/experiments.md): written in one
 * pass over the runs in run order, from the journal or from slice files.
 *
 *   /runs, /points, /factors           the run table and the design
 *   /firm, /firm_tier, /market         every run's metrics [run, period, ...]
 *   /run_summary                       every run's summary rows [run, firm]
 *   /measures                          every run's measures [run]
 *   /summary/<group>                   per design point: mean, sd, CI, n
 *   /sobol                             first-order and total indices
 *
 * The runs of a design point are consecutive, so each point's summary is
 * made from running sums (Welford) when its last replication is written:
 * memory is one batch of runs and one point, whatever the number of runs.
 * The file is OUT.partial until complete, then renamed (output_file.c); its
 * layout is made by ensemble_layout.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ensemble_writer.h"
#include "relsim/design.h"
#include "relsim/stats.h"

static size_t gather(const struct writer *w, const struct relsim_exp_result *r, int g, int i, double *out) {
  const size_t P = (size_t)w->P, k = (size_t)w->k;
  size_t n = 0;
  switch (g) {
  case G_FIRM:
    for (size_t t = 0; t < P; t++)
      for (size_t f = 0; f < k; f++) out[n++] = r->firm[metrics_hist_index((int)t, i, (int)f, (int)k)];
    break;
  case G_TIER:
    for (size_t t = 0; t < P; t++)
      for (size_t f = 0; f < k; f++)
        for (size_t c = 0; c < RELSIM_TIER_COUNT; c++)
          out[n++] = r->tier[((t * RELSIM_TM_COUNT + (size_t)i) * k + f) * RELSIM_TIER_COUNT + c];
    break;
  case G_MARKET:
    for (size_t t = 0; t < P; t++) out[n++] = r->market[t * RELSIM_MM_COUNT + (size_t)i];
    break;
  case G_RSUM:
    for (size_t f = 0; f < k; f++) out[n++] = r->summary[f * RELSIM_SUMMARY_FIELDS + (size_t)i];
    break;
  default:
    out[n++] = r->measures[i];
  }
  return n;
}

/* ---- writing runs and summaries -------------------------------------------- */

/* Write the staged runs: a few dozen rows of every dataset in one call each. */
static int flush_runs(struct writer *w) {
  if (w->b_count == 0) return 0;
  const hsize_t first = (hsize_t)w->b_first, n = (hsize_t)w->b_count;
  if (h5io_write_rows(&w->c, w->run_status, first, n, H5T_NATIVE_INT, w->b_status) < 0 ||
      h5io_write_rows(&w->c, w->run_wall, first, n, H5T_NATIVE_DOUBLE, w->b_wall) < 0)
    return -1;
  struct relsim_exp_result view = {0};
  size_t nd = experiment_result_doubles(w->e);
  for (int g = 0; g < G_COUNT; g++)
    for (int i = 0; i < ensemble_group_count(w, g); i++) {
      size_t m = 0;
      for (int j = 0; j < w->b_count; j++) {
        view.data = w->b_data + (size_t)j * nd;
        experiment_result_views(w->e, &view);
        m += gather(w, &view, g, i, w->b_rows + m);
      }
      if (h5io_write_rows(&w->c, w->ds[g][i], first, n, H5T_NATIVE_DOUBLE, w->b_rows) < 0) return -1;
    }
  w->b_count = 0;
  return 0;
}

/* Stage a run (absent: not in this file, its values NaN); write when the batch is full. */
static int write_run(struct writer *w, const struct relsim_exp_result *r, int present) {
  size_t nd = experiment_result_doubles(w->e);
  if (w->b_count == 0) w->b_first = r->run;
  int j = w->b_count++;
  w->b_status[j] = present ? r->status : -1;
  w->b_wall[j] = present ? r->wall_seconds : NAN;
  double *d = w->b_data + (size_t)j * nd;
  if (present)
    memcpy(d, r->data, nd * sizeof *d);
  else
    for (size_t q = 0; q < nd; q++) d[q] = NAN;
  return w->b_count == w->batch ? flush_runs(w) : 0;
}

/* The current point's summaries from the running sums, written as [stat][values] rows. */
static int write_point(struct writer *w, long point) {
  struct relsim_exp_result view = {0};
  size_t n = experiment_result_doubles(w->e);
  double *s = malloc(N_STATS * n * sizeof *s);
  if (!s) return h5io_fail_plain(&w->c, "out of memory"), -1;
  for (size_t i = 0; i < n; i++) {
    struct stats_summary sm;
    stats_summary_of(&w->acc[i], w->e->level, &sm);
    s[i] = sm.mean;
    s[n + i] = sm.sd;
    s[2 * n + i] = sm.lo;
    s[3 * n + i] = sm.hi;
    s[4 * n + i] = (double)sm.n;
  }
  int rc = 0;
  for (int g = 0; g < G_COUNT && rc == 0; g++)
    for (int i = 0; i < ensemble_group_count(w, g) && rc == 0; i++) {
      size_t m = 0;
      for (int st = 0; st < N_STATS; st++) {
        view.data = s + (size_t)st * n;
        experiment_result_views(w->e, &view);
        m += gather(w, &view, g, i, w->gather + m);
      }
      rc = h5io_write_rows(&w->c, w->sds[g][i], (hsize_t)point, 1, H5T_NATIVE_DOUBLE, w->gather);
    }
  view.data = s; /* the means of the measures, for the Sobol indices */
  experiment_result_views(w->e, &view);
  for (int i = 0; i < w->e->n_measures; i++) w->point_mean[point * w->e->n_measures + i] = view.measures[i];
  free(s);
  return rc;
}

static int write_sobol(struct writer *w) {
  const struct relsim_experiment *e = w->e;
  const int k = e->n_factors, nm = e->n_measures;
  double *v[6];
  for (int i = 0; i < 6; i++) v[i] = malloc((size_t)(nm * k) * sizeof(double));
  double *y = malloc((size_t)e->n_points * sizeof *y);
  struct design_sobol_index *ix = malloc((size_t)k * sizeof *ix);
  hid_t g = -1, sc[2] = {-1, -1};
  int rc = -1;
  const char *mnames[RELSIM_EXP_MEASURES_MAX], *keys[RELSIM_EXP_FACTORS_MAX];
  if (!v[0] || !v[1] || !v[2] || !v[3] || !v[4] || !v[5] || !y || !ix) {
    h5io_fail_plain(&w->c, "out of memory");
    goto done;
  }
  for (int m = 0; m < nm; m++) {
    mnames[m] = e->measures[m].name;
    for (long p = 0; p < e->n_points; p++) y[p] = w->point_mean[p * nm + m];
    char why[256] = "";
    if (design_sobol_indices(e->samples, k, y, e->bootstrap, e->level, e->seed, ix, why, sizeof why) != 0) {
      for (int j = 0; j < k; j++) ix[j] = (struct design_sobol_index){NAN, NAN, NAN, NAN, NAN, NAN};
      fprintf(stderr, "relsim: no Sobol indices for measure %s: %s\n", e->measures[m].name, why);
    }
    for (int j = 0; j < k; j++) {
      size_t at = (size_t)m * (size_t)k + (size_t)j;
      v[0][at] = ix[j].first, v[1][at] = ix[j].first_lo, v[2][at] = ix[j].first_hi;
      v[3][at] = ix[j].total, v[4][at] = ix[j].total_lo, v[5][at] = ix[j].total_hi;
    }
  }
  for (int j = 0; j < k; j++) keys[j] = e->factors[j].key;
  static const char *const names[6] = {"first", "first_lo", "first_hi", "total", "total_lo", "total_hi"};
  static const char *const docs[6] = {
      "first-order Sobol index (Saltelli 2010) of the measure's point mean", "first: CI low (bootstrap)",
      "first: CI high (bootstrap)", "total Sobol index (Jansen 1999)", "total: CI low (bootstrap)",
      "total: CI high (bootstrap)"};
  if ((g = h5io_group_create(&w->c, w->file, "/sobol")) < 0 ||
      (sc[0] = ensemble_scale(w, g, "/sobol/measure", w->str, w->str, (hsize_t)nm, mnames, "measure (/measures)")) < 0 ||
      (sc[1] = ensemble_scale(w, g, "/sobol/factor", w->str, w->str, (hsize_t)k, keys, "factor (/factors)")) < 0)
    goto done;
  for (int i = 0; i < 6; i++) {
    char path[64];
    snprintf(path, sizeof path, "/sobol/%s", names[i]);
    struct h5io_ds_spec s = {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, {(hsize_t)nm, (hsize_t)k}, {(hsize_t)nm, (hsize_t)k},
                             {0}, 0, NULL};
    hid_t ds = h5io_ds_create(&w->c, g, w->str, path, &s, "1", docs[i]);
    int bad = ds < 0 || h5io_ds_write_all(&w->c, ds, H5T_NATIVE_DOUBLE, v[i]) < 0 ||
              h5io_attach(&w->c, ds, sc[0], 0) < 0 || h5io_attach(&w->c, ds, sc[1], 1) < 0;
    if (ds >= 0) H5Dclose(ds);
    if (bad) goto done;
  }
  rc = 0;
done:
  h5io_close_ids(sc, 2);
  if (g >= 0) H5Gclose(g);
  for (int i = 0; i < 6; i++) free(v[i]);
  free(y);
  free(ix);
  return rc;
}

/* ---- the whole file ----------------------------------------------------------- */

static void release(struct writer *w) {
  for (int g = 0; g < G_COUNT; g++) {
    h5io_close_ids(w->ds[g], ensemble_group_count(w, g));
    h5io_close_ids(w->sds[g], ensemble_group_count(w, g));
  }
  h5io_close_ids(&w->run_status, 1);
  h5io_close_ids(&w->run_wall, 1);
  if (w->str >= 0) H5Tclose(w->str);
  if (w->file >= 0) H5Fclose(w->file);
  w->file = w->str = -1;
  free(w->gather);
  free(w->b_data);
  free(w->b_status);
  free(w->b_wall);
  free(w->b_rows);
  free(w->acc);
  free(w->point_mean);
}

enum relsim_status ensemble_write(const struct relsim_experiment *e, const struct ensemble_source *src,
                                  struct ensemble_slice slice, const char *output, int replace,
                                  const struct ensemble_provenance *prov, char *err, size_t errlen) {
  struct writer w = {.e = e, .slice = slice, .file = -1, .str = -1, .run_status = -1, .run_wall = -1};
  memset(w.ds, -1, sizeof w.ds); /* all bits set: every hid_t is -1 */
  memset(w.sds, -1, sizeof w.sds);
  w.lock.fd = -1;
  snprintf(w.path, sizeof w.path, "%s", output);
  snprintf(w.partial, sizeof w.partial, "%s.partial", output);
  w.c = (struct h5io_ctx){w.path, err, errlen};
  w.k = e->base.params.n_firms;
  w.P = e->base.params.periods;
  w.whole = slice.first == 0 && slice.last == e->n_runs - 1;
  if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0) return snprintf(err, errlen, "cannot silence HDF5"), RELSIM_ERR_CREATE;
  size_t n = experiment_result_doubles(e);
  size_t row = (size_t)w.P * (size_t)w.k * RELSIM_TIER_COUNT * N_STATS + (size_t)w.k * N_STATS + N_STATS;
  w.gather = malloc(row * sizeof *w.gather);
  /* batches of up to 64 runs, at most about 16 MB of staged results */
  w.batch = (int)(16777216 / (n * sizeof(double) + 1));
  w.batch = w.batch < 1 ? 1 : w.batch > 64 ? 64 : w.batch;
  w.b_data = malloc((size_t)w.batch * n * sizeof *w.b_data);
  w.b_status = malloc((size_t)w.batch * sizeof *w.b_status);
  w.b_wall = malloc((size_t)w.batch * sizeof *w.b_wall);
  w.b_rows = malloc((size_t)w.batch * ((size_t)w.P * (size_t)w.k * RELSIM_TIER_COUNT + (size_t)w.k + 1) *
                    sizeof *w.b_rows);
  w.acc = calloc(n, sizeof *w.acc);
  w.point_mean = malloc((size_t)(e->n_points * (e->n_measures ? e->n_measures : 1)) * sizeof *w.point_mean);
  struct relsim_exp_result r;
  if (!w.gather || !w.b_data || !w.b_status || !w.b_wall || !w.b_rows || !w.acc || !w.point_mean ||
      experiment_result_alloc(e, &r) != 0) {
    release(&w);
    return snprintf(err, errlen, "out of memory writing %s", output), RELSIM_ERR_MEMORY;
  }
  enum relsim_status st = output_file_create(&w.lock, w.partial, 1, err, errlen);
  if (st == RELSIM_OK && ensemble_create_layout(&w, prov) < 0) st = RELSIM_ERR_CREATE;
  for (long run = 0; st == RELSIM_OK && run < e->n_runs; run++) {
    int in_slice = run >= slice.first && run <= slice.last, got = 0;
    if (in_slice && (got = src->get(src->ctx, run, &r, err, errlen)) < 0) st = RELSIM_ERR_INPUT;
    r.run = run;
    if (st == RELSIM_OK && write_run(&w, &r, got == 1) < 0) st = RELSIM_ERR_WRITE;
    if (st != RELSIM_OK || !w.whole) continue;
    if (got != 1) {
      snprintf(err, errlen, "run %ld is missing", run);
      st = RELSIM_ERR_INPUT;
      break;
    }
    w.runs_done++;
    for (size_t i = 0; i < n; i++) stats_acc_add(&w.acc[i], r.status == RELSIM_OK ? r.data[i] : NAN);
    if (experiment_replication_of(e, run) == e->replications - 1) {
      if (write_point(&w, experiment_point_of(e, run)) < 0) st = RELSIM_ERR_WRITE;
      memset(w.acc, 0, n * sizeof *w.acc);
    }
  }
  if (st == RELSIM_OK && flush_runs(&w) < 0) st = RELSIM_ERR_WRITE;
  if (st == RELSIM_OK && w.whole && e->design == RELSIM_EXP_SOBOL && write_sobol(&w) < 0) st = RELSIM_ERR_WRITE;
  if (st == RELSIM_OK && (h5io_attr_int(&w.c, w.file, "complete", 1) < 0 || H5Fflush(w.file, H5F_SCOPE_GLOBAL) < 0))
    st = RELSIM_ERR_WRITE;
  experiment_result_free(&r);
  release(&w);
  if (st == RELSIM_OK && output_file_sync(&w.lock, w.partial, err, errlen) != 0) st = RELSIM_ERR_WRITE;
  if (st == RELSIM_OK && output_file_publish(w.partial, w.path, replace, err, errlen) != 0) st = RELSIM_ERR_CREATE;
  if (st != RELSIM_OK) unlink(w.partial); /* the journal or the slices still hold every run */
  output_file_close(&w.lock);
  return st;
}
