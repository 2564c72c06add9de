/*
 * Reading a relsim output file back (`relsim inspect`): provenance, firms,
 * periods done and planned, and the per-firm metric history that the summary
 * table is computed from. A metric missing from an older file reads as NaN.
 * Also what was read as one JSON object (`relsim inspect --json`).
 */
#include "relsim/output.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5io.h"
#include "output_file.h"
#include "relsim/json.h"

/* Read /firm/<metric> rows 0..periods-1 into hist; NaN where missing. */
static int read_metric(struct h5io_ctx *c, hid_t file, int m, int periods, int k, double *hist, double *tmp) {
  char path[160];
  snprintf(path, sizeof path, "/firm/%s", relsim_firm_fields[m].name);
  htri_t exists = H5Lexists(file, "/firm", H5P_DEFAULT) > 0 ? H5Lexists(file, path, H5P_DEFAULT) : 0;
  if (exists < 0) return h5io_fail(c, "cannot look up '%s'", path);
  long long cols, rows = exists ? h5io_extent(file, path, &cols) : 0;
  if (exists && (rows < 0 || cols != k)) return h5io_fail(c, "cannot read '%s' as [period, %d firms]", path, k);
  if (rows > periods) rows = periods;
  if (rows > 0) {
    hsize_t start[2] = {0, 0}, count[2] = {(hsize_t)rows, (hsize_t)k};
    hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), fs = ds < 0 ? -1 : H5Dget_space(ds), ms = -1;
    int ok = fs >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             (ms = H5Screate_simple(2, count, NULL)) >= 0 &&
             H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, tmp) >= 0;
    if (!ok) h5io_fail(c, "cannot read '%s'", path);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (ds >= 0) H5Dclose(ds);
    if (!ok) return -1;
  }
  for (int t = 0; t < periods; t++)
    for (int f = 0; f < k; f++)
      hist[metrics_hist_index(t, m, f, k)] = t < rows ? tmp[(size_t)t * k + f] : NAN;
  return 0;
}

/* ---- the claims of an incomplete file --------------------------------------- */

struct claims {
  struct h5io_ctx *c;
  const char *group;
  int rows;   /* rows claimed along the extendible dimension */
  int failed;
};

/* Read every claimed row of one dataset, a row at a time. */
static herr_t verify_dataset(hid_t g, const char *name, const H5L_info_t *info, void *data) {
  struct claims *cl = data;
  (void)info;
  H5O_info_t oi;
  if (H5Oget_info_by_name2(g, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET) return 0;
  hid_t ds = H5Dopen2(g, name, H5P_DEFAULT), fs = ds < 0 ? -1 : H5Dget_space(ds), t = ds < 0 ? -1 : H5Dget_type(ds);
  hsize_t dims[H5S_MAX_RANK], maxdims[H5S_MAX_RANK];
  int rank = fs < 0 ? -1 : H5Sget_simple_extent_dims(fs, dims, maxdims), ok = rank >= 0 && t >= 0;
  if (ok && rank >= 1 && maxdims[0] == H5S_UNLIMITED) { /* read rows [0, claimed) */
    size_t row = H5Tget_size(t);
    for (int d = 1; d < rank; d++) row *= dims[d];
    char *buf = malloc(row ? row : 1);
    ok = buf && dims[0] >= (hsize_t)cl->rows;
    for (int r = 0; ok && r < cl->rows; r++) {
      hsize_t start[H5S_MAX_RANK] = {(hsize_t)r}, count[H5S_MAX_RANK];
      for (int d = 0; d < rank; d++) count[d] = d ? dims[d] : 1;
      hid_t ms = H5Screate_simple(rank, count, NULL);
      ok = ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
           H5Dread(ds, t, ms, fs, H5P_DEFAULT, buf) >= 0;
      if (ms >= 0) H5Sclose(ms);
    }
    free(buf);
  }
  if (!ok) {
    h5io_fail(cl->c, "%s is unusable: the rows it claims of '/%s/%s' cannot be read", cl->c->file, cl->group, name);
    cl->failed = 1;
  }
  if (t >= 0) H5Tclose(t);
  if (fs >= 0) H5Sclose(fs);
  if (ds >= 0) H5Dclose(ds);
  return ok ? 0 : 1;
}

/* Read every row an incomplete file claims (variable-length strings are
 * read as their stored type: fixed-size data only, which is all the rows). */
static int verify_claims(struct h5io_ctx *c, hid_t file, int periods, int snapshots) {
  static const char *groups[] = {"firm", "firm_tier", "market", "customers"};
  for (int i = 0; i < 4; i++) {
    struct claims cl = {c, groups[i], i == 3 ? snapshots : periods, 0};
    if (H5Lexists(file, groups[i], H5P_DEFAULT) <= 0) continue;
    hid_t g = H5Gopen2(file, groups[i], H5P_DEFAULT);
    if (g < 0 || H5Literate(g, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, verify_dataset, &cl) < 0 || cl.failed) {
      if (!cl.failed) h5io_fail(c, "%s is unusable: cannot list '/%s'", c->file, groups[i]);
      if (g >= 0) H5Gclose(g);
      return -1;
    }
    H5Gclose(g);
  }
  return 0;
}

int output_read_info(const char *path, struct relsim_file_info *info, char *err, size_t errlen) {
  struct h5io_ctx c = {path, err, errlen};
  memset(info, 0, sizeof *info);
  FILE *probe = fopen(path, "rb");
  if (!probe) return h5io_fail_plain(&c, "cannot open %s: %s", path, strerror(errno));
  fclose(probe);
  if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0)
    return h5io_fail_plain(&c, "cannot turn off HDF5's error printing");
  htri_t is = H5Fis_hdf5(path);
  if (is <= 0) return h5io_fail_plain(&c, "%s is not an HDF5 file (not a relsim output)", path);
  if (output_partial_state(path) == OUTPUT_PARTIAL_LIVE)
    return h5io_fail_plain(&c, "%s is being written by a running relsim (it is locked); inspect it when the run "
                           "ends", path);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), file = -1;
  if (fapl >= 0 && H5Pset_file_locking(fapl, 0, 1) >= 0) file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
  if (fapl >= 0) H5Pclose(fapl);
  if (file < 0) return h5io_fail(&c, "cannot open file (it is unusable)");
  int rc = -1;
  double *tmp = NULL;
  if (H5Aexists(file, "software") <= 0 ||
      h5io_read_str_attr(&c, file, "software", info->software, sizeof info->software) < 0 ||
      strcmp(info->software, "relsim") != 0) {
    h5io_fail_plain(&c, "%s is not a relsim output file (no root attribute software = \"relsim\")", path);
    goto done;
  }
  long long k = h5io_extent(file, "/firms/name", NULL), periods = h5io_extent(file, "/firm/period", NULL);
  if (h5io_read_str_attr(&c, file, "version", info->version, sizeof info->version) < 0 ||
      h5io_read_str_attr(&c, file, "git_commit", info->git_commit, sizeof info->git_commit) < 0 ||
      h5io_read_str_attr(&c, file, "compiler", info->compiler, sizeof info->compiler) < 0 ||
      h5io_read_str_attr(&c, file, "schema_version", info->schema_version, sizeof info->schema_version) < 0 ||
      h5io_read_str_attr(&c, file, "scenario_name", info->scenario_name, sizeof info->scenario_name) < 0 ||
      h5io_read_num_attr(&c, file, "seed", H5T_NATIVE_UINT64, &info->seed) < 0 ||
      h5io_read_num_attr(&c, file, "threads", H5T_NATIVE_INT, &info->threads) < 0 ||
      h5io_read_num_attr(&c, file, "ranks", H5T_NATIVE_INT, &info->ranks) < 0 ||
      h5io_read_num_attr(&c, file, "complete", H5T_NATIVE_INT, &info->complete) < 0 ||
      h5io_read_num_attr(&c, file, "periods", H5T_NATIVE_INT, &info->periods_planned) < 0 ||
      h5io_read_num_attr(&c, file, "customers", H5T_NATIVE_INT64, &info->customers) < 0)
    goto done;
  hid_t vol = H5Gopen2(file, "/volatile", H5P_DEFAULT); /* optional */
  if (vol >= 0) {
    if (h5io_read_str_attr(&c, vol, "created", info->created, sizeof info->created) < 0) info->created[0] = '\0';
    H5Gclose(vol);
  }
  if (k < 1 || k > RELSIM_MAX_FIRMS || periods < 0) {
    h5io_fail_plain(&c, "%s is not a complete relsim output file: /firms/name or /firm/period missing", path);
    goto done;
  }
  info->n_firms = (int)k;
  /* A file its run did not finish claims periods_done periods and
   * snapshots_done snapshots (output.h); only those are read. */
  info->periods_done = (int)periods;
  info->snapshots_done = (int)(H5Lexists(file, "/customers", H5P_DEFAULT) > 0
                                   ? h5io_extent(file, "/customers/period", NULL)
                                   : 0);
  int claimed;
  if (!info->complete && H5Aexists(file, "periods_done") > 0) {
    if (h5io_read_num_attr(&c, file, "periods_done", H5T_NATIVE_INT, &claimed) < 0) goto done;
    if (claimed < 0 || claimed > periods) {
      h5io_fail_plain(&c, "%s is unusable: it claims %d periods but holds %lld", path, claimed, periods);
      goto done;
    }
    info->periods_done = claimed;
  }
  if (!info->complete && H5Aexists(file, "snapshots_done") > 0) {
    if (h5io_read_num_attr(&c, file, "snapshots_done", H5T_NATIVE_INT, &claimed) < 0) goto done;
    if (claimed < 0 || claimed > info->snapshots_done) {
      h5io_fail_plain(&c, "%s is unusable: it claims %d snapshots but holds %d", path, claimed,
                      info->snapshots_done);
      goto done;
    }
    info->snapshots_done = claimed;
  }
  if (!info->complete && verify_claims(&c, file, info->periods_done, info->snapshots_done) < 0) goto done;
  if (h5io_read_strings(&c, file, "/firms/name", info->n_firms, &info->names) < 0 ||
      h5io_read_strings(&c, file, "/firms/strategy", info->n_firms, &info->strategies) < 0)
    goto done;
  size_t n = (size_t)(periods ? periods : 1) * RELSIM_FM_COUNT * (size_t)k;
  info->hist = malloc(n * sizeof *info->hist);
  tmp = malloc((size_t)(periods ? periods : 1) * (size_t)k * sizeof *tmp);
  if (!info->hist || !tmp) {
    h5io_fail_plain(&c, "out of memory reading %s", path);
    goto done;
  }
  for (int m = 0; m < RELSIM_FM_COUNT; m++)
    if (read_metric(&c, file, m, info->periods_done, info->n_firms, info->hist, tmp) < 0) goto done;
  rc = 0;
done:
  free(tmp);
  if (H5Fclose(file) < 0 && rc == 0) rc = h5io_fail(&c, "cannot close file");
  if (rc < 0) output_info_free(info);
  return rc;
}

void output_info_free(struct relsim_file_info *info) {
  for (int f = 0; f < info->n_firms; f++) {
    if (info->names) free(info->names[f]);
    if (info->strategies) free(info->strategies[f]);
  }
  free(info->names);
  free(info->strategies);
  free(info->hist);
  info->names = info->strategies = NULL;
  info->hist = NULL;
  info->n_firms = 0;
}

/* ---- JSON (relsim inspect --json) ----------------------------------------- */

/* A JSON number that reads back to the same double; null for NaN and infinities. */
static void json_number(FILE *out, double v) {
  if (isfinite(v))
    fprintf(out, "%.17g", v);
  else
    fputs("null", out);
}

/* The summary of each firm, by the names of struct relsim_summary_row. */
static const struct {
  const char *key;
  size_t offset;
} summary_keys[] = {
#define SUMMARY_KEY(name) {#name, offsetof(struct relsim_summary_row, name)}
    SUMMARY_KEY(revenue),           SUMMARY_KEY(profit),
    SUMMARY_KEY(cumulative_profit), SUMMARY_KEY(active_customers),
    SUMMARY_KEY(retention_rate),    SUMMARY_KEY(cohort_retention),
    SUMMARY_KEY(cost_per_acquisition), SUMMARY_KEY(cost_per_retention),
    SUMMARY_KEY(acq_ret_cost_ratio), SUMMARY_KEY(cohort_window),
    SUMMARY_KEY(satisfaction_mean), SUMMARY_KEY(wom_positive),
    SUMMARY_KEY(wom_negative),      SUMMARY_KEY(clv),
    SUMMARY_KEY(revenue_share),
#undef SUMMARY_KEY
};
_Static_assert(sizeof summary_keys / sizeof summary_keys[0] * sizeof(double) == sizeof(struct relsim_summary_row),
               "every field of struct relsim_summary_row has a JSON key");

void output_info_print_json(FILE *out, const char *path, const struct relsim_file_info *info) {
  static const char *const text_keys[] = {"file", "software", "version", "git_commit", "compiler",
                                          "schema_version", "created", "scenario"};
  const char *const text[] = {path, info->software, info->version, info->git_commit, info->compiler,
                              info->schema_version, info->created, info->scenario_name};
  fputc('{', out);
  for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++) {
    fprintf(out, "%s\n  \"%s\": ", i ? "," : "", text_keys[i]);
    json_write_string(out, text[i]);
  }
  fprintf(out, ",\n  \"seed\": %llu,\n  \"threads\": %d,\n  \"ranks\": %d,\n  \"customers\": %lld,\n"
               "  \"periods_done\": %d,\n  \"periods_planned\": %d,\n  \"snapshots_done\": %d,\n  \"complete\": %s,\n"
               "  \"firms\": [",
          (unsigned long long)info->seed, info->threads, info->ranks, (long long)info->customers,
          info->periods_done, info->periods_planned, info->snapshots_done, info->complete ? "true" : "false");
  struct relsim_summary_row rows[RELSIM_MAX_FIRMS];
  if (info->periods_done > 0) metrics_summary(info->hist, info->periods_done, info->n_firms, rows);
  for (int f = 0; f < info->n_firms; f++) {
    fprintf(out, "%s\n    {\"index\": %d, \"name\": ", f ? "," : "", f);
    json_write_string(out, info->names[f]);
    fputs(", \"strategy\": ", out);
    json_write_string(out, info->strategies[f]);
    fputs(", \"summary\": ", out);
    if (info->periods_done == 0) {
      fputs("null}", out);
      continue;
    }
    for (size_t j = 0; j < sizeof summary_keys / sizeof summary_keys[0]; j++) {
      double v;
      memcpy(&v, (const char *)&rows[f] + summary_keys[j].offset, sizeof v);
      fprintf(out, "%s\n      \"%s\": ", j ? "," : "{", summary_keys[j].key);
      json_number(out, v);
    }
    fputs("\n    }}", out);
  }
  fputs(info->n_firms ? "\n  ]\n}\n" : "]\n}\n", out);
}
