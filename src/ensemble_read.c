/*
 * Reading experiment files (ensemble.h): what `relsim inspect` prints for
 * one, and the run source `relsim merge` reads slices through.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "ensemble_internal.h"
#include "h5io.h"
#include "relsim/stats.h"

static hid_t open_ro(const char *path) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1;
  if (fapl >= 0 && H5Pset_file_locking(fapl, 0, 1) >= 0) f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
  if (fapl >= 0) H5Pclose(fapl);
  return f;
}

int ensemble_is_experiment_file(const char *path) {
  hid_t f = open_ro(path);
  if (f < 0) return 0;
  char kind[32] = "";
  struct h5io_ctx c = {path, NULL, 0};
  int is = H5Aexists(f, "kind") > 0 && h5io_read_str_attr(&c, f, "kind", kind, sizeof kind) == 0 &&
           !strcmp(kind, "experiment");
  H5Fclose(f);
  return is;
}

/* Read a whole 1-D or 2-D dataset of doubles (malloc'd), n values. */
static double *read_all(hid_t f, const char *path, size_t *n) {
  hid_t ds = H5Dopen2(f, path, H5P_DEFAULT), sp = ds < 0 ? -1 : H5Dget_space(ds);
  hssize_t count = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
  double *v = count >= 0 ? malloc((size_t)(count ? count : 1) * sizeof *v) : NULL;
  if (v && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
    free(v);
    v = NULL;
  }
  if (sp >= 0) H5Sclose(sp);
  if (ds >= 0) H5Dclose(ds);
  *n = v ? (size_t)count : 0;
  return v;
}

static void print_value(FILE *out, double v) {
  double a = fabs(v);
  if (isnan(v))
    fprintf(out, "n/a");
  else if (a >= 1e5 || (a > 0 && a < 1e-3))
    fprintf(out, "%.4g", v);
  else if (a >= 100)
    fprintf(out, "%.1f", v);
  else
    fprintf(out, "%.4f", v);
}

/* mean ± half-width, both rounded to the half-width's second significant digit. */
static void print_ci(FILE *out, const struct stats_summary *s) {
  if (s->n < 2 || !isfinite(s->half) || isnan(s->mean)) {
    print_value(out, s->mean);
    return;
  }
  int d = s->half > 0 ? 1 - (int)floor(log10(s->half)) : 4;
  if (d < 0) d = 0;
  if (d > 6) d = 6;
  fprintf(out, "%.*f ± %.*f", d, s->mean, d, s->half);
}

/* s formatted by print_ci into buf. */
static const char *ci_text(char *buf, size_t len, const struct stats_summary *s) {
  FILE *mem = fmemopen(buf, len, "w");
  if (!mem) return "?";
  print_ci(mem, s);
  fclose(mem);
  return buf;
}

/* The verdict of a paired comparison in words: "Relationship higher (19/20)". */
static const char *verdict_text(char *buf, size_t len, const struct stats_paired *p, const char *a, const char *b) {
  if (p->diff.n < 2)
    snprintf(buf, len, "n/a (%ld replication%s with a value)", p->diff.n, p->diff.n == 1 ? "" : "s");
  else if (p->verdict == STATS_A_AHEAD)
    snprintf(buf, len, "%s higher (%ld/%ld)", a, p->a_ahead, p->diff.n);
  else if (p->verdict == STATS_B_AHEAD)
    snprintf(buf, len, "%s higher (%ld/%ld)", b, p->b_ahead, p->diff.n);
  else
    snprintf(buf, len, "no significant difference");
  return buf;
}

/* The per-firm summary over a point's replications; with two firms or more,
 * the paired difference of the first two and its verdict, row by row. */
static void print_rows(FILE *out, const struct ensemble_info *in, long point, double level) {
  const int k = in->n_firms, R = in->replications;
  const double *row0;
  char cell[96], verdict[RELSIM_NAME_MAX * 2];
  fprintf(out, "%-38s", "mean ± CI half-width");
  for (int f = 0; f < k; f++) fprintf(out, "  %24s", in->names[f]);
  if (k >= 2) fprintf(out, "  %24s  %s", "difference", "verdict");
  fprintf(out, "\n");
  for (int j = 0; j < ENSEMBLE_SUMMARY_FIELDS; j++) {
    if (!ensemble_summary_labels[j]) continue;
    row0 = in->rsum[j] + point * R * k;
    fprintf(out, "%-38s", ensemble_summary_labels[j]);
    for (int f = 0; f < k; f++) {
      struct stats_summary s;
      stats_summarize(row0 + f, (size_t)R, (size_t)k, level, &s);
      fprintf(out, "  %24s", ci_text(cell, sizeof cell, &s));
    }
    if (k >= 2) {
      struct stats_paired p;
      stats_paired(row0, (size_t)k, row0 + 1, (size_t)k, (size_t)R, level, &p);
      fprintf(out, "  %24s  %s", ci_text(cell, sizeof cell, &p.diff),
              verdict_text(verdict, sizeof verdict, &p, in->names[0], in->names[1]));
    }
    fprintf(out, "\n");
  }
  if (k < 2) return;
  fprintf(out, "(difference: %s minus %s, run by run over the same seeds; a verdict names the higher firm when the "
               "%.0f%% CI of the difference excludes 0, with the replications where it is higher)\n",
          in->names[0], in->names[1], level * 100);
  struct stats_paired p; /* the verdict on profit, in words */
  row0 = in->rsum[ENSEMBLE_FIELD_PROFIT] + point * R * k;
  stats_paired(row0, (size_t)k, row0 + 1, (size_t)k, (size_t)R, level, &p);
  fprintf(out, "\nprofit: ");
  if (p.verdict == STATS_A_AHEAD)
    fprintf(out, "%s ahead, in %ld of %ld replications", in->names[0], p.a_ahead, p.diff.n);
  else if (p.verdict == STATS_B_AHEAD)
    fprintf(out, "%s ahead, in %ld of %ld replications", in->names[1], p.b_ahead, p.diff.n);
  else
    fprintf(out, "no significant difference between %s and %s (%ld and %ld of %ld replications ahead)", in->names[0],
            in->names[1], p.a_ahead, p.b_ahead, p.diff.n);
  fprintf(out, " (%.0f%% CI of the paired difference%s)\n", level * 100, p.verdict ? " excludes 0" : " includes 0");
}

enum relsim_status ensemble_inspect(const char *path, FILE *out, char *err, size_t errlen) {
  struct ensemble_info in;
  enum relsim_status st = ensemble_info_read(path, &in, err, errlen);
  if (st != RELSIM_OK) return st;
  fprintf(out, "file:           %s (an experiment)\n", path);
  fprintf(out, "software:       relsim %s (git %s)\n", in.version, in.git_commit);
  fprintf(out, "experiment:     %s (%s)\n", in.experiment_path, in.experiment_name);
  fprintf(out, "scenario:       %s\n", in.scenario_path);
  fprintf(out, "design:         %s, %ld point%s x %d replication%s = %ld runs of %d periods\n", in.design,
          in.points, in.points == 1 ? "" : "s", in.replications, in.replications == 1 ? "" : "s", in.runs,
          in.periods);
  fprintf(out, "seeds:          %" PRIu64 " + %s\n", in.seed, in.crn ? "replication (common random numbers)" : "run");
  long done = 0, failed = 0;
  for (long r = 0; r < in.runs; r++) done += in.status[r] >= 0, failed += in.status[r] > 0;
  fprintf(out, "runs:           %ld of %ld in this file%s", done, in.runs,
          in.slice ? " (a slice: relsim merge joins slices)" : "");
  if (failed) fprintf(out, ", %ld failed", failed);
  fprintf(out, "\n");
  if (in.slice || !in.complete) {
    ensemble_info_free(&in);
    return RELSIM_OK;
  }
  /* the measures per point */
  if (in.n_measures) {
    fprintf(out, "\nmeasures, mean ± %.0f%% CI half-width over the replications of each point:\n", in.level * 100);
    long show = in.points < 20 ? in.points : 20;
    for (long p = 0; p < show; p++) {
      fprintf(out, "  point %ld", p);
      for (int j = 0; j < in.n_factors; j++) fprintf(out, "%s %s = %g", j ? "," : ":", in.factor_keys[j],
                                                     in.point_values[j][p]);
      fprintf(out, "\n");
      for (int m = 0; m < in.n_measures; m++) {
        struct stats_summary s;
        stats_summarize(in.measures[m] + p * in.replications, (size_t)in.replications, 1, in.level, &s);
        fprintf(out, "    %-28s ", in.measure_names[m]);
        print_ci(out, &s);
        fprintf(out, "   (n = %ld)\n", s.n);
      }
    }
    if (show < in.points) fprintf(out, "  ... %ld more points: /summary/measures in the file\n", in.points - show);
  }
  if (in.has_sobol) {
    fprintf(out, "\nSobol indices (first-order, total; %.0f%% bootstrap CI):\n", in.level * 100);
    for (int m = 0; m < in.n_measures; m++) {
      fprintf(out, "  %s\n", in.measure_names[m]);
      for (int j = 0; j < in.n_factors; j++) {
        const double *v = in.sobol + ((size_t)m * (size_t)in.n_factors + (size_t)j) * 6;
        fprintf(out, "    %-34s S = %6.3f [%6.3f, %6.3f]   ST = %6.3f [%6.3f, %6.3f]\n", in.factor_keys[j], v[0], v[1],
                v[2], v[3], v[4], v[5]);
      }
    }
  }
  if (in.points == 1) {
    fprintf(out, "\n");
    print_rows(out, &in, 0, in.level);
  }
  ensemble_info_free(&in);
  return RELSIM_OK;
}

/* ---- reading what inspect and merge need ---------------------------------------- */

void ensemble_info_free(struct ensemble_info *in) {
  for (int f = 0; in->names && f < in->n_firms; f++) free(in->names[f]);
  free(in->names);
  for (int j = 0; j < ENSEMBLE_SUMMARY_FIELDS; j++) free(in->rsum[j]);
  for (int m = 0; m < in->n_measures; m++) free(in->measures[m]), free(in->measure_names[m]);
  for (int j = 0; j < in->n_factors; j++) free(in->point_values[j]), free(in->factor_keys[j]);
  free(in->status);
  free(in->sobol);
  memset(in, 0, sizeof *in);
}

static int list_names(hid_t f, const char *group, char **names, int max) {
  hid_t g = H5Gopen2(f, group, H5P_DEFAULT);
  if (g < 0) return 0;
  char order[RELSIM_EXP_MEASURES_MAX * (RELSIM_NAME_MAX + 1)];
  struct h5io_ctx c = {"", NULL, 0};
  if (H5Aexists(g, "order") > 0 && h5io_read_str_attr(&c, g, "order", order, sizeof order) == 0) {
    int n = 0;
    for (char *save = NULL, *t = strtok_r(order, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
      names[n++] = strdup(t);
    H5Gclose(g);
    return n;
  }
  H5G_info_t gi;
  int n = 0;
  if (H5Gget_info(g, &gi) >= 0)
    for (hsize_t i = 0; i < gi.nlinks && n < max; i++) {
      char name[256];
      if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0 &&
          H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0)
        continue;
      if (!strcmp(name, "run") || !strcmp(name, "point") || !strcmp(name, "factor")) continue;
      names[n++] = strdup(name);
    }
  H5Gclose(g);
  return n;
}

enum relsim_status ensemble_info_read(const char *path, struct ensemble_info *in, char *err, size_t errlen) {
  memset(in, 0, sizeof *in);
  hid_t f = open_ro(path);
  struct h5io_ctx c = {path, err, errlen};
  if (f < 0) return snprintf(err, errlen, "cannot open %s as an HDF5 file", path), RELSIM_ERR_INPUT;
  int64_t runs = 0, points = 0;
  int rc = h5io_read_str_attr(&c, f, "version", in->version, sizeof in->version) ||
           h5io_read_str_attr(&c, f, "git_commit", in->git_commit, sizeof in->git_commit) ||
           h5io_read_str_attr(&c, f, "experiment_path", in->experiment_path, sizeof in->experiment_path) ||
           h5io_read_str_attr(&c, f, "experiment_name", in->experiment_name, sizeof in->experiment_name) ||
           h5io_read_str_attr(&c, f, "scenario_path", in->scenario_path, sizeof in->scenario_path) ||
           h5io_read_str_attr(&c, f, "design", in->design, sizeof in->design) ||
           h5io_read_num_attr(&c, f, "runs", H5T_NATIVE_INT64, &runs) ||
           h5io_read_num_attr(&c, f, "points", H5T_NATIVE_INT64, &points) ||
           h5io_read_num_attr(&c, f, "replications", H5T_NATIVE_INT, &in->replications) ||
           h5io_read_num_attr(&c, f, "periods", H5T_NATIVE_INT, &in->periods) ||
           h5io_read_num_attr(&c, f, "seed", H5T_NATIVE_UINT64, &in->seed) ||
           h5io_read_num_attr(&c, f, "digest", H5T_NATIVE_UINT64, &in->digest) ||
           h5io_read_num_attr(&c, f, "common_random_numbers", H5T_NATIVE_INT, &in->crn) ||
           h5io_read_num_attr(&c, f, "level", H5T_NATIVE_DOUBLE, &in->level) ||
           h5io_read_num_attr(&c, f, "slice", H5T_NATIVE_INT, &in->slice) ||
           h5io_read_num_attr(&c, f, "complete", H5T_NATIVE_INT, &in->complete) ||
           h5io_read_num_attr(&c, f, "first_run", H5T_NATIVE_INT64, &in->first_run) ||
           h5io_read_num_attr(&c, f, "last_run", H5T_NATIVE_INT64, &in->last_run);
  in->runs = (long)runs;
  in->points = (long)points;
  long long k = h5io_extent(f, "/firms/name", NULL);
  if (rc == 0 && (k < 1 || k > RELSIM_MAX_FIRMS || runs < 1 || in->replications < 1)) {
    snprintf(err, errlen, "%s: not a readable experiment file (%lld firms, %lld runs)", path, k, (long long)runs);
    rc = -1;
  }
  if (rc == 0) {
    in->n_firms = (int)k;
    rc = h5io_read_strings(&c, f, "/firms/name", in->n_firms, &in->names);
  }
  size_t n;
  double *status = rc ? NULL : read_all(f, "/runs/status", &n);
  if (!rc && (!status || n != (size_t)runs)) rc = -1, snprintf(err, errlen, "%s: cannot read /runs/status", path);
  if (!rc) {
    in->status = malloc((size_t)runs * sizeof *in->status);
    for (long r = 0; in->status && r < runs; r++) in->status[r] = (int)status[r];
  }
  free(status);
  for (int j = 0; !rc && j < ENSEMBLE_SUMMARY_FIELDS; j++) {
    char p[128];
    snprintf(p, sizeof p, "/run_summary/%s", ensemble_summary_names[j]);
    if (!(in->rsum[j] = read_all(f, p, &n)) || n != (size_t)(runs * in->n_firms))
      rc = -1, snprintf(err, errlen, "%s: cannot read %s", path, p);
  }
  if (!rc) {
    in->n_measures = list_names(f, "/measures", in->measure_names, RELSIM_EXP_MEASURES_MAX);
    for (int m = 0; !rc && m < in->n_measures; m++) {
      char p[512];
      snprintf(p, sizeof p, "/measures/%s", in->measure_names[m]);
      if (!(in->measures[m] = read_all(f, p, &n)) || n != (size_t)runs)
        rc = -1, snprintf(err, errlen, "%s: cannot read %s", path, p);
    }
    in->n_factors = h5io_extent(f, "/factors/factor", NULL) > 0 ? (int)h5io_extent(f, "/factors/factor", NULL) : 0;
    char **keys = NULL;
    if (in->n_factors > 0 && h5io_read_strings(&c, f, "/factors/factor", in->n_factors, &keys) == 0) {
      for (int j = 0; j < in->n_factors; j++) {
        in->factor_keys[j] = keys[j];
        char p[512];
        snprintf(p, sizeof p, "/points/%s", keys[j]);
        in->point_values[j] = read_all(f, p, &n);
      }
      free(keys);
    } else {
      in->n_factors = 0;
    }
    in->has_sobol = H5Lexists(f, "/sobol", H5P_DEFAULT) > 0;
    if (in->has_sobol) {
      static const char *const names[6] = {"first", "first_lo", "first_hi", "total", "total_lo", "total_hi"};
      in->sobol = malloc((size_t)(in->n_measures * in->n_factors * 6 + 1) * sizeof *in->sobol);
      for (int i = 0; in->sobol && i < 6; i++) {
        char p[64];
        snprintf(p, sizeof p, "/sobol/%s", names[i]);
        double *v = read_all(f, p, &n);
        for (size_t q = 0; v && q < n && q < (size_t)(in->n_measures * in->n_factors); q++) in->sobol[q * 6 + i] = v[q];
        free(v);
      }
    }
  }
  H5Fclose(f);
  if (rc) {
    ensemble_info_free(in);
    if (!*err) snprintf(err, errlen, "%s: not a readable experiment file", path);
    return RELSIM_ERR_INPUT;
  }
  return RELSIM_OK;
}

/* ---- slices, for merge ------------------------------------------------------------- */

struct slice_src {
  const struct relsim_experiment *e;
  hid_t file;
  char path[RELSIM_PATH_MAX];
  double *buf;
};

static int read_row(struct slice_src *s, const char *group, const char *name, long run, double *out, char *err,
                    size_t errlen) {
  char p[512];
  snprintf(p, sizeof p, "/%s/%s", group, name);
  struct h5io_ctx c = {s->path, err, errlen};
  return h5io_read_rows(&c, s->file, p, (hsize_t)run, 1, H5T_NATIVE_DOUBLE, out);
}

static int slice_get(void *ctx, long run, struct relsim_exp_result *r, char *err, size_t errlen) {
  struct slice_src *s = ctx;
  const struct relsim_experiment *e = s->e;
  const int k = e->base.params.n_firms, P = e->base.params.periods;
  int status = -1;
  struct h5io_ctx c = {s->path, err, errlen};
  if (h5io_read_rows(&c, s->file, "/runs/status", (hsize_t)run, 1, H5T_NATIVE_INT, &status) < 0) return -1;
  if (status < 0) return 0;
  double wall = NAN;
  h5io_read_rows(&c, s->file, "/runs/wall_seconds", (hsize_t)run, 1, H5T_NATIVE_DOUBLE, &wall);
  r->run = run;
  r->status = status;
  r->wall_seconds = wall;
  for (int i = 0; i < RELSIM_FM_COUNT; i++) {
    if (read_row(s, "firm", relsim_firm_fields[i].name, run, s->buf, err, errlen) < 0) return -1;
    for (int t = 0; t < P; t++)
      for (int f = 0; f < k; f++) r->firm[metrics_hist_index(t, i, f, k)] = s->buf[t * k + f];
  }
  for (int i = 0; i < RELSIM_TM_COUNT; i++) {
    if (read_row(s, "firm_tier", relsim_tier_fields[i].name, run, s->buf, err, errlen) < 0) return -1;
    for (int t = 0; t < P; t++)
      for (int f = 0; f < k; f++)
        for (int q = 0; q < RELSIM_TIER_COUNT; q++)
          r->tier[(((size_t)t * RELSIM_TM_COUNT + (size_t)i) * (size_t)k + (size_t)f) * RELSIM_TIER_COUNT + (size_t)q] =
              s->buf[((size_t)t * (size_t)k + (size_t)f) * RELSIM_TIER_COUNT + (size_t)q];
  }
  for (int i = 0; i < RELSIM_MM_COUNT; i++) {
    if (read_row(s, "market", relsim_market_fields[i].name, run, s->buf, err, errlen) < 0) return -1;
    for (int t = 0; t < P; t++) r->market[(size_t)t * RELSIM_MM_COUNT + (size_t)i] = s->buf[t];
  }
  for (int j = 0; j < RELSIM_SUMMARY_FIELDS; j++) {
    if (read_row(s, "run_summary", ensemble_summary_names[j], run, s->buf, err, errlen) < 0) return -1;
    for (int f = 0; f < k; f++) r->summary[(size_t)f * RELSIM_SUMMARY_FIELDS + (size_t)j] = s->buf[f];
  }
  for (int m = 0; m < e->n_measures; m++)
    if (read_row(s, "measures", e->measures[m].name, run, &r->measures[m], err, errlen) < 0) return -1;
  return 1;
}

enum relsim_status ensemble_slice_open(struct ensemble_source *src, const struct relsim_experiment *e,
                                       const char *path, const char *build, struct ensemble_slice *slice, char *err,
                                       size_t errlen) {
  struct ensemble_info in;
  enum relsim_status st = ensemble_info_read(path, &in, err, errlen);
  if (st != RELSIM_OK) return st;
  uint64_t want = ensemble_digest(e, build);
  if (in.digest != want || in.runs != e->n_runs) {
    snprintf(err, errlen, "%s is a slice of another experiment (or of another experiment file, --set values or "
                          "build of relsim)", path);
    st = RELSIM_ERR_SCENARIO;
  } else if (!in.complete) {
    snprintf(err, errlen, "%s is not complete", path);
    st = RELSIM_ERR_INPUT;
  }
  slice->first = (long)in.first_run;
  slice->last = (long)in.last_run;
  for (long r = slice->first; st == RELSIM_OK && r <= slice->last; r++)
    if (in.status[r] < 0) {
      snprintf(err, errlen, "%s lacks run %ld of its slice %ld:%ld", path, r, slice->first, slice->last);
      st = RELSIM_ERR_INPUT;
    }
  ensemble_info_free(&in);
  if (st != RELSIM_OK) return st;
  struct slice_src *s = calloc(1, sizeof *s);
  size_t row = (size_t)e->base.params.periods * (size_t)e->base.params.n_firms * RELSIM_TIER_COUNT + 64;
  if (!s || !(s->buf = malloc(row * sizeof *s->buf)) || (s->file = open_ro(path)) < 0) {
    if (s) free(s->buf);
    free(s);
    return snprintf(err, errlen, "cannot open %s", path), RELSIM_ERR_INPUT;
  }
  s->e = e;
  snprintf(s->path, sizeof s->path, "%s", path);
  src->get = slice_get;
  src->ctx = s;
  return RELSIM_OK;
}

void ensemble_slice_close(struct ensemble_source *src) {
  struct slice_src *s = src->ctx;
  if (!s) return;
  H5Fclose(s->file);
  free(s->buf);
  free(s);
  src->ctx = NULL;
}
