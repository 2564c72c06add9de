/*
 * The experiment file's layout (ensemble_writer.h): provenance, the texts,
 * the firms, the design and the run table, and every group of per-run values
 * and of their per-point summaries, each with its dimension scales and its
 * units and long names. Written by ensemble_write.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_version.h>
#include <hdf5_hl.h>

#include "ensemble_writer.h"
#include "output_layout.h"
#include "relsim/textbuf.h"

static const char *const stat_names[N_STATS] = {"mean", "sd", "lo", "hi", "n"};

/* The summary row's fields by name, in struct order, and as inspect prints them. */
const char *const ensemble_summary_labels[] = {
    "revenue, total", "profit, total", "cumulative profit, end", "active customers, end",
    "retention per period, last year", "customers kept, last cohort window", "cost per acquired, cohort window",
    "cost per retained, cohort window", "acquisition / retention cost ratio", NULL, "mean satisfaction of buyers",
    "word of mouth, positive messages", "word of mouth, negative messages", "customer lifetime value, last year",
    "revenue share, last year"};
static const char *const ensemble_summary_units[] = {
    "money", "money", "money", "customers", "1", "1", "money/customer", "money/customer", "1", "week", "1",
    "messages", "messages", "money", "1"};
const char *const ensemble_summary_names[] = {
    "revenue", "profit", "cumulative_profit", "active_customers", "retention_rate", "cohort_retention",
    "cost_per_acquisition", "cost_per_retention", "acq_ret_cost_ratio", "cohort_window", "satisfaction_mean",
    "wom_positive", "wom_negative", "clv", "revenue_share"};
_Static_assert(sizeof ensemble_summary_names / sizeof ensemble_summary_names[0] == RELSIM_SUMMARY_FIELDS,
               "one name per summary field");

int ensemble_group_count(const struct writer *w, int g) {
  return g == G_FIRM ? RELSIM_FM_COUNT : g == G_TIER ? RELSIM_TM_COUNT : g == G_MARKET ? RELSIM_MM_COUNT
         : g == G_RSUM ? RELSIM_SUMMARY_FIELDS : w->e->n_measures;
}

static const char *group_name(int g) {
  static const char *const n[G_COUNT] = {"firm", "firm_tier", "market", "run_summary", "measures"};
  return n[g];
}

static const char *item_name(const struct writer *w, int g, int i) {
  switch (g) {
  case G_FIRM: return relsim_firm_fields[i].name;
  case G_TIER: return relsim_tier_fields[i].name;
  case G_MARKET: return relsim_market_fields[i].name;
  case G_RSUM: return ensemble_summary_names[i];
  default: return w->e->measures[i].name;
  }
}

static const char *item_doc(const struct writer *w, int g, int i, const char **units) {
  *units = "1";
  switch (g) {
  case G_FIRM: return *units = relsim_firm_fields[i].units, relsim_firm_fields[i].long_name;
  case G_TIER: return *units = relsim_tier_fields[i].units, relsim_tier_fields[i].long_name;
  case G_MARKET: return *units = relsim_market_fields[i].units, relsim_market_fields[i].long_name;
  case G_RSUM:
    *units = ensemble_summary_units[i];
    return ensemble_summary_labels[i] ? ensemble_summary_labels[i] : "the cohort window (market.cohort_periods)";
  default: {
    const struct relsim_exp_measure *m = &w->e->measures[i];
    *units = m->market ? relsim_market_fields[m->metric].units : relsim_firm_fields[m->metric].units;
    return m->text;
  }
  }
}

/* The trailing dimensions of a group's values (after run or after point, stat). */
static int group_dims(const struct writer *w, int g, hsize_t *d) {
  switch (g) {
  case G_FIRM: d[0] = (hsize_t)w->P, d[1] = (hsize_t)w->k; return 2;
  case G_TIER: d[0] = (hsize_t)w->P, d[1] = (hsize_t)w->k, d[2] = RELSIM_TIER_COUNT; return 3;
  case G_MARKET: d[0] = (hsize_t)w->P; return 1;
  case G_RSUM: d[0] = (hsize_t)w->k; return 1;
  default: return 0;
  }
}

/* Copy item i of group g out of a result's data (layout of experiment_result_views) into out, in the
 * dataset's order; returns the count. */
/* ---- creating -------------------------------------------------------------- */

hid_t ensemble_scale(struct writer *w, hid_t g, const char *path, hid_t ftype, hid_t mtype, hsize_t n,
                     const void *data, const char *long_name) {
  struct h5io_ds_spec s = {ftype, mtype, 1, {n}, {n}, {n ? n : 1}, n > 4096 ? DEFLATE : 0, NULL};
  if (s.deflate) s.chunk[0] = 4096;
  hid_t ds = h5io_ds_create(&w->c, g, w->str, path, &s, "1", long_name);
  if (ds < 0) return -1;
  if (h5io_set_scale(&w->c, ds) == 0 && (n == 0 || h5io_ds_write_all(&w->c, ds, mtype, data) == 0)) return ds;
  H5Dclose(ds);
  return -1;
}

static hid_t index_scale(struct writer *w, hid_t g, const char *path, long n, const char *long_name) {
  long *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  if (!v) return h5io_fail_plain(&w->c, "out of memory"), -1;
  for (long i = 0; i < n; i++) v[i] = i;
  hid_t ds = ensemble_scale(w, g, path, H5T_STD_I64LE, H5T_NATIVE_LONG, (hsize_t)n, v, long_name);
  free(v);
  return ds;
}

/* The scales a group's datasets need, in axis order: first (run or point [, stat]), then period, firm, tier. */
static int make_scales(struct writer *w, hid_t grp, const char *gpath, int g, int summary, hid_t *sc, int *n_sc) {
  char path[256];
  int n = 0;
  const struct relsim_params *p = &w->e->base.params;
  if (summary) {
    snprintf(path, sizeof path, "%s/point", gpath);
    if ((sc[n++] = index_scale(w, grp, path, w->e->n_points, "design point (/points)")) < 0) return -1;
    snprintf(path, sizeof path, "%s/stat", gpath);
    if ((sc[n++] = ensemble_scale(w, grp, path, w->str, w->str, N_STATS, stat_names,
                         "over the point's replications: mean, sample sd, confidence interval lo and hi (level: "
                         "root attribute level), n (values that are not NaN)")) < 0)
      return -1;
  } else {
    snprintf(path, sizeof path, "%s/run", gpath);
    if ((sc[n++] = index_scale(w, grp, path, w->e->n_runs, "run (/runs)")) < 0) return -1;
  }
  if (g == G_FIRM || g == G_TIER || g == G_MARKET) {
    int *per = malloc((size_t)w->P * sizeof *per);
    if (!per) return h5io_fail_plain(&w->c, "out of memory"), -1;
    for (int t = 0; t < w->P; t++) per[t] = t;
    snprintf(path, sizeof path, "%s/period", gpath);
    sc[n] = ensemble_scale(w, grp, path, H5T_STD_I32LE, H5T_NATIVE_INT, (hsize_t)w->P, per,
                  "period index: weeks from the start of the run");
    free(per);
    if (sc[n] < 0 || h5io_attr_str(&w->c, sc[n], w->str, "units", "week") < 0 ||
        h5io_attr_str(&w->c, sc[n], w->str, "axis", "T") < 0)
      return -1;
    n++;
  }
  if (g == G_FIRM || g == G_TIER || g == G_RSUM) {
    const char *names[RELSIM_MAX_FIRMS];
    for (int f = 0; f < w->k; f++) names[f] = p->firms[f].name;
    snprintf(path, sizeof path, "%s/firm", gpath);
    if ((sc[n++] = ensemble_scale(w, grp, path, w->str, w->str, (hsize_t)w->k, names, "firm name")) < 0) return -1;
  }
  if (g == G_TIER) {
    snprintf(path, sizeof path, "%s/tier", gpath);
    if ((sc[n++] = ensemble_scale(w, grp, path, w->str, w->str, RELSIM_TIER_COUNT, relsim_tier_names, "value tier")) < 0)
      return -1;
  }
  *n_sc = n;
  return 0;
}

/* One group of per-run values (or of their summaries). */
static int create_group(struct writer *w, int g, int summary) {
  char gpath[64], path[256];
  snprintf(gpath, sizeof gpath, "%s/%s", summary ? "/summary" : "", group_name(g));
  hid_t grp = h5io_group_create(&w->c, w->file, gpath), sc[6] = {-1, -1, -1, -1, -1, -1};
  int n_sc = 0, rc = -1;
  if (grp < 0 || make_scales(w, grp, gpath, g, summary, sc, &n_sc) < 0) goto done;
  hsize_t tail[4];
  int nt = group_dims(w, g, tail), lead = summary ? 2 : 1;
  double nan = NAN;
  struct h5io_ds_spec s = {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, lead + nt, {0}, {0}, {0}, DEFLATE, &nan};
  s.dims[0] = s.maxdims[0] = summary ? (hsize_t)w->e->n_points : (hsize_t)w->e->n_runs;
  s.chunk[0] = summary ? 1 : (hsize_t)w->batch < s.dims[0] ? (hsize_t)w->batch : s.dims[0];
  if (summary) s.dims[1] = s.maxdims[1] = s.chunk[1] = N_STATS;
  for (int d = 0; d < nt; d++) s.dims[lead + d] = s.maxdims[lead + d] = s.chunk[lead + d] = tail[d];
  if (g == G_MEAS || (g == G_RSUM && !summary)) { /* small rows: chunks of many runs */
    hsize_t per = 4096;
    s.chunk[0] = s.dims[0] < per ? (s.dims[0] ? s.dims[0] : 1) : per;
  }
  for (int i = 0; i < ensemble_group_count(w, g); i++) {
    const char *units, *doc = item_doc(w, g, i, &units), *relsim_units;
    snprintf(path, sizeof path, "%s/%s", gpath, item_name(w, g, i));
    const char *ud = output_udunits(units, &relsim_units);
    hid_t ds = h5io_ds_create(&w->c, grp, w->str, path, &s, ud, doc);
    (summary ? w->sds : w->ds)[g][i] = ds;
    if (ds < 0 || (relsim_units && h5io_attr_str(&w->c, ds, w->str, "relsim_units", relsim_units) < 0) ||
        h5io_attr_put(&w->c, ds, "_FillValue", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan) < 0)
      goto done;
    for (int a = 0; a < n_sc; a++)
      if (h5io_attach(&w->c, ds, sc[a], (unsigned)a) < 0) goto done;
  }
  if (g == G_MEAS && !summary) { /* the measures in the experiment's order */
    struct textbuf order = {0};
    for (int i = 0; i < w->e->n_measures; i++) textbuf_printf(&order, "%s%s", i ? "," : "", w->e->measures[i].name);
    char *o = textbuf_take(&order);
    int bad = !o || h5io_attr_str(&w->c, grp, w->str, "order", o) < 0;
    free(o);
    if (bad) goto done;
  }
  rc = 0;
done:
  h5io_close_ids(sc, 6);
  if (grp >= 0) H5Gclose(grp);
  return rc;
}

static int write_text(struct writer *w, const char *path, const char *text, const char *doc) {
  struct h5io_ds_spec s = {w->str, w->str, 0, {0}, {0}, {0}, 0, NULL};
  hid_t ds = h5io_ds_create(&w->c, w->file, w->str, path, &s, "1", doc);
  if (ds < 0) return -1;
  const char *t = text ? text : "";
  int rc = h5io_ds_write_all(&w->c, ds, w->str, &t);
  H5Dclose(ds);
  return rc;
}

/* A 1-D dataset along scale_id, written from data; with keep, left open in *keep (data may be NULL). */
static int write_1d_keep(struct writer *w, hid_t g, const char *path, hid_t ftype, hid_t mtype, const void *data,
                         hid_t scale_id, const char *units, const char *doc, hid_t *keep) {
  hsize_t n = 0;
  hid_t sp = H5Dget_space(scale_id);
  if (sp >= 0) H5Sget_simple_extent_dims(sp, &n, NULL), H5Sclose(sp);
  struct h5io_ds_spec s = {ftype, mtype, 1, {n}, {n}, {n > 4096 ? 4096 : n ? n : 1},
                           n > 4096 || keep ? DEFLATE : 0, NULL}; /* kept: written by rows, so chunked */
  hid_t ds = h5io_ds_create(&w->c, g, w->str, path, &s, units, doc);
  int rc = ds < 0 || (data && n && h5io_ds_write_all(&w->c, ds, mtype, data) < 0) ||
                   h5io_attach(&w->c, ds, scale_id, 0) < 0
               ? -1
               : 0;
  if (ds >= 0 && rc == 0 && keep) {
    *keep = ds;
    return 0;
  }
  if (ds >= 0) H5Dclose(ds);
  return rc;
}

static int write_1d(struct writer *w, hid_t g, const char *path, hid_t ftype, hid_t mtype, const void *data,
                    hid_t scale_id, const char *units, const char *doc) {
  return write_1d_keep(w, g, path, ftype, mtype, data, scale_id, units, doc, NULL);
}

/* The design: /factors, /points/<factor>, and the run table /runs (status and wall time written per run). */
static int write_design(struct writer *w) {
  const struct relsim_experiment *e = w->e;
  const long R = e->n_runs, NP = e->n_points;
  hid_t g = -1, sc = -1;
  int rc = -1;
  long *lv = malloc((size_t)(R ? R : 1) * sizeof *lv);
  double *dv = malloc((size_t)((R > NP ? R : NP) ? (R > NP ? R : NP) : 1) * sizeof *dv);
  uint64_t *uv = malloc((size_t)(R ? R : 1) * sizeof *uv);
  const char *keys[RELSIM_EXP_FACTORS_MAX], *kinds[RELSIM_EXP_FACTORS_MAX];
  char path[RELSIM_NAME_MAX + 128];
  if (!lv || !dv || !uv) {
    h5io_fail_plain(&w->c, "out of memory");
    goto done;
  }
  for (int j = 0; j < e->n_factors; j++) keys[j] = e->factors[j].key, kinds[j] = relsim_exp_factor_kind_names[e->factors[j].kind];
  /* /factors */
  if ((g = h5io_group_create(&w->c, w->file, "/factors")) < 0 ||
      (sc = ensemble_scale(w, g, "/factors/factor", w->str, w->str, (hsize_t)e->n_factors, keys,
                  "the scenario key each factor sets")) < 0 ||
      write_1d(w, g, "/factors/kind", w->str, w->str, kinds, sc, "1", "list, range, uniform, loguniform or normal") < 0)
    goto done;
  H5Dclose(sc), H5Gclose(g), sc = g = -1;
  /* /points */
  if ((g = h5io_group_create(&w->c, w->file, "/points")) < 0 ||
      (sc = index_scale(w, g, "/points/point", NP, "design point")) < 0)
    goto done;
  for (int j = 0; j < e->n_factors; j++) {
    for (long p = 0; p < NP; p++) dv[p] = e->points[p * e->n_factors + j];
    snprintf(path, sizeof path, "/points/%s", e->factors[j].key);
    if (write_1d(w, g, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dv, sc, "1",
                 e->factors[j].numeric ? "the factor's value at the point"
                                       : "the index of the factor's value at the point (/factors: the list)") < 0)
      goto done;
  }
  H5Dclose(sc), H5Gclose(g), sc = g = -1;
  /* /runs */
  if ((g = h5io_group_create(&w->c, w->file, "/runs")) < 0 ||
      (sc = index_scale(w, g, "/runs/run", R, "run: point * replications + replication")) < 0)
    goto done;
  for (long r = 0; r < R; r++) lv[r] = experiment_point_of(e, r);
  if (write_1d(w, g, "/runs/point", H5T_STD_I64LE, H5T_NATIVE_LONG, lv, sc, "1", "the run's design point") < 0)
    goto done;
  for (long r = 0; r < R; r++) lv[r] = experiment_replication_of(e, r);
  if (write_1d(w, g, "/runs/replication", H5T_STD_I64LE, H5T_NATIVE_LONG, lv, sc, "1", "the run's replication") < 0)
    goto done;
  for (long r = 0; r < R; r++) uv[r] = experiment_seed_of(e, r);
  if (write_1d(w, g, "/runs/seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, uv, sc, "1",
               "run.seed of the run (relsim run BASE -s SEED with the point's values gives the same run)") < 0)
    goto done;
  for (int j = 0; j < e->n_factors; j++) {
    for (long r = 0; r < R; r++) dv[r] = e->points[experiment_point_of(e, r) * e->n_factors + j];
    snprintf(path, sizeof path, "/runs/%s", e->factors[j].key);
    if (write_1d(w, g, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dv, sc, "1", "the factor's value in the run") < 0)
      goto done;
  }
  if (write_1d_keep(w, g, "/runs/status", H5T_STD_I32LE, H5T_NATIVE_INT, NULL, sc, "1",
                    "0: the run is done; -1: not in this file (another slice); else the run failed with this relsim "
                    "status (its values are NaN)", &w->run_status) < 0)
    goto done;
  if (write_1d_keep(w, g, "/runs/wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, NULL, sc, "s",
                    "the run's wall time (differs between identical runs)", &w->run_wall) < 0)
    goto done;
  rc = 0;
done:
  if (sc >= 0) H5Dclose(sc);
  if (g >= 0) H5Gclose(g);
  free(lv);
  free(dv);
  free(uv);
  return rc;
}

static int write_attributes(struct writer *w, const struct ensemble_provenance *prov) {
  const struct relsim_experiment *e = w->e;
  struct h5io_ctx *c = &w->c;
  hid_t f = w->file, s = w->str;
  unsigned maj, min, rel;
  char hv[32], created[64];
  H5get_libversion(&maj, &min, &rel);
  snprintf(hv, sizeof hv, "%u.%u.%u", maj, min, rel);
  time_t now = time(NULL);
  struct tm tm;
  if (!gmtime_r(&now, &tm) || !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
    snprintf(created, sizeof created, "unknown");
  char build[256];
  snprintf(build, sizeof build, "%s %s %s", prov->version, prov->git_commit, prov->compiler);
  uint64_t seed = e->seed, digest = ensemble_digest(e, build);
  int64_t runs = e->n_runs, points = e->n_points, first = w->slice.first, last = w->slice.last;
  hid_t v = -1;
  int rc = h5io_attr_str(c, f, s, "kind", "experiment") < 0 || h5io_attr_str(c, f, s, "Conventions", "CF-1.8") < 0 ||
           h5io_attr_str(c, f, s, "software", "relsim") < 0 || h5io_attr_str(c, f, s, "version", prov->version) < 0 ||
           h5io_attr_str(c, f, s, "git_commit", prov->git_commit) < 0 ||
           h5io_attr_str(c, f, s, "compiler", prov->compiler) < 0 || h5io_attr_str(c, f, s, "hdf5_version", hv) < 0 ||
           h5io_attr_str(c, f, s, "gsl_version", GSL_VERSION) < 0 ||
           h5io_attr_str(c, f, s, "command_line", prov->command_line) < 0 ||
           h5io_attr_str(c, f, s, "experiment_path", e->path) < 0 ||
           h5io_attr_str(c, f, s, "experiment_name", e->name) < 0 ||
           h5io_attr_str(c, f, s, "scenario_path", e->scenario_path) < 0 ||
           h5io_attr_str(c, f, s, "scenario_name", e->base.params.name) < 0 ||
           h5io_attr_str(c, f, s, "design", relsim_exp_design_names[e->design]) < 0 ||
           h5io_attr_int(c, f, "samples", e->samples) < 0 || h5io_attr_int(c, f, "replications", e->replications) < 0 ||
           h5io_attr_put(c, f, "runs", H5T_STD_I64LE, H5T_NATIVE_INT64, &runs) < 0 ||
           h5io_attr_put(c, f, "points", H5T_STD_I64LE, H5T_NATIVE_INT64, &points) < 0 ||
           h5io_attr_put(c, f, "first_run", H5T_STD_I64LE, H5T_NATIVE_INT64, &first) < 0 ||
           h5io_attr_put(c, f, "last_run", H5T_STD_I64LE, H5T_NATIVE_INT64, &last) < 0 ||
           h5io_attr_int(c, f, "periods", e->base.params.periods) < 0 ||
           h5io_attr_put(c, f, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed) < 0 ||
           h5io_attr_put(c, f, "digest", H5T_STD_U64LE, H5T_NATIVE_UINT64, &digest) < 0 ||
           h5io_attr_int(c, f, "common_random_numbers", e->crn) < 0 ||
           h5io_attr_put(c, f, "level", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &e->level) < 0 ||
           h5io_attr_int(c, f, "bootstrap", e->bootstrap) < 0 || h5io_attr_int(c, f, "slice", !w->whole) < 0 ||
           h5io_attr_int(c, f, "complete", 0) < 0 || (v = h5io_group_create(c, f, "/volatile")) < 0 ||
           h5io_attr_str(c, v, s, "created", created) < 0 || h5io_attr_int(c, v, "ranks", prov->ranks) < 0 ||
           h5io_attr_int(c, v, "jobs", prov->jobs) < 0 || h5io_attr_int(c, v, "threads", prov->threads) < 0
               ? -1
               : 0;
  if (v >= 0) H5Gclose(v);
  return rc;
}

static int write_firms(struct writer *w) {
  const struct relsim_params *p = &w->e->base.params;
  const char *names[RELSIM_MAX_FIRMS], *strategies[RELSIM_MAX_FIRMS];
  for (int f = 0; f < w->k; f++) {
    names[f] = p->firms[f].name;
    int s = p->firms[f].strategy;
    strategies[f] = s >= 0 && s < RELSIM_STRATEGY_COUNT ? relsim_strategy_names[s] : "unknown";
  }
  hid_t g = h5io_group_create(&w->c, w->file, "/firms"), sc = -1;
  int rc = g < 0 || (sc = index_scale(w, g, "/firms/index", w->k, "firm index")) < 0 ||
                   write_1d(w, g, "/firms/name", w->str, w->str, names, sc, "1", "firm name (UTF-8)") < 0 ||
                   write_1d(w, g, "/firms/strategy", w->str, w->str, strategies, sc, "1", "strategy preset") < 0
               ? -1
               : 0;
  if (sc >= 0) H5Dclose(sc);
  if (g >= 0) H5Gclose(g);
  return rc;
}

int ensemble_create_layout(struct writer *w, const struct ensemble_provenance *prov) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  /* No chunk cache: a batch of runs fills its chunks whole, written once; a cache per dataset (1 MB by default,
   * over a hundred datasets) would only hold memory that grows with the runs written. */
  if (fcpl >= 0 && fapl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 && H5Pset_file_locking(fapl, 0, 1) >= 0 &&
      H5Pset_cache(fapl, 0, 0, 0, 1.0) >= 0)
    w->file = H5Fcreate(w->partial, H5F_ACC_TRUNC, fcpl, fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  if (fapl >= 0) H5Pclose(fapl);
  if (w->file < 0) return h5io_fail(&w->c, "cannot create %s", w->partial);
  if ((w->str = h5io_utf8_type()) < 0) return h5io_fail(&w->c, "cannot make a string type");
  if (write_attributes(w, prov) < 0 || write_text(w, "/experiment_source", w->e->source, "the experiment file verbatim") < 0 ||
      write_text(w, "/experiment_resolved", w->e->resolved, "every setting of the experiment, defaults included (YAML)") < 0 ||
      write_text(w, "/scenario_source", w->e->base.source, "the base scenario verbatim") < 0 ||
      write_text(w, "/scenario_resolved", w->e->base.resolved,
                 "the base scenario with the fixed overrides, every parameter (the factors change some per point)") < 0 ||
      write_firms(w) < 0 || write_design(w) < 0)
    return -1;
  for (int g = 0; g < G_COUNT; g++)
    if (create_group(w, g, 0) < 0) return -1;
  if (w->whole) {
    if (h5io_group_create(&w->c, w->file, "/summary") < 0) return -1; /* closed with the file */
    for (int g = 0; g < G_COUNT; g++)
      if (create_group(w, g, 1) < 0) return -1;
  }
  return 0;
}

