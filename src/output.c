/*
 * relsim HDF5 output writer (layout: docs/output.md): open a file with its
 * provenance, append one period of metrics or one customer snapshot at a
 * time, close or abort. The reader is output_read.c, the reference printer
 * (docs/output-fields.md) output_reference.c, the checked HDF5 calls h5io.c.
 *
 * One float64 dataset per metric of the tables in metrics.h, one dataset per
 * snapshot column, named dimensions as HDF5 dimension scales (read by
 * xarray/h5netcdf and netCDF-4), `units` and `long_name` on every dataset,
 * chunks with shuffle + deflate, extendible along period, object time
 * tracking off so that identical runs give identical datasets. The file is
 * "<path>.partial" until output_close renames it (output_file.c).
 *
 * Crash safety: a chunk is written once, whole, and never rewritten, so no
 * file space is ever freed and reused under data the file already claims.
 * Metric rows are staged in memory for OUTPUT_PERIOD_CHUNK periods; a
 * snapshot is one chunk along period. A commit flushes and fsyncs the file,
 * then writes periods_done and snapshots_done: those claim only what was on
 * the disk before them (docs/output.md, "What a run leaves").
 */
#include "relsim/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <yaml.h>

#include "output_internal.h"

#define CUSTOMER_CHUNK 65536  /* values per chunk along customers in snapshots */
#define DEFLATE_LEVEL 4

_Static_assert((int)RELSIM_TM_COUNT <= (int)RELSIM_FM_COUNT && (int)RELSIM_MM_COUNT <= (int)RELSIM_FM_COUNT,
               "metric[][] is sized by the largest table");

/* Create a 1-D dimension scale named after its last path component, filled
 * with data (n values; extendible > 0: starts empty, grows by chunks of
 * `extendible` rows). */
static hid_t scale_create(struct relsim_output *o, hid_t loc, const char *path, hid_t ftype, hid_t mtype,
                          hsize_t n, int extendible, const void *data, const char *units, const char *long_name) {
  struct h5io_ds_spec s = {ftype, mtype, 1, {extendible ? 0 : n}, {extendible ? H5S_UNLIMITED : n}, {0}, 0, NULL};
  if (extendible || n > CUSTOMER_CHUNK) {
    s.deflate = DEFLATE_LEVEL;
    s.chunk[0] = extendible ? (hsize_t)extendible : CUSTOMER_CHUNK;
  }
  hid_t ds = h5io_ds_create(&o->c, loc, o->str, path, &s, units, long_name);
  if (ds < 0) return -1;
  if (h5io_set_scale(&o->c, ds) == 0 &&
      (extendible || n == 0 || h5io_ds_write_all(&o->c, ds, mtype, data) == 0))
    return ds;
  H5Dclose(ds);
  return -1;
}

/* The period scale of a group: weeks from the start, the time axis, in
 * chunks of `chunk` periods. */
static hid_t period_create(struct relsim_output *o, hid_t loc, const char *path, int chunk, const char *long_name) {
  hid_t ds = scale_create(o, loc, path, H5T_STD_I32LE, H5T_NATIVE_INT, 0, chunk, NULL, "week", long_name);
  if (ds >= 0 && h5io_attr_str(&o->c, ds, o->str, "axis", "T") < 0) {
    H5Dclose(ds);
    return -1;
  }
  return ds;
}

/* The firm scale of a group: the firm names, in firm index order. */
static hid_t firm_create(struct relsim_output *o, hid_t loc, const char *path, const struct relsim_params *p) {
  const char *names[RELSIM_MAX_FIRMS];
  for (int f = 0; f < p->n_firms; f++) names[f] = p->firms[f].name;
  return scale_create(o, loc, path, o->str, o->str, (hsize_t)p->n_firms, 0, names, "1",
                      "firm name (the firm index is the position; /firms)");
}

/* Create a variable with its CF attributes: units (UDUNITS; the table's unit
 * in relsim_units where it is "1"), long_name, _FillValue NaN for reals (NaN
 * means undefined), flag_values and flag_meanings for coded values. */
static hid_t var_create(struct relsim_output *o, hid_t loc, const char *path, const struct h5io_ds_spec *s,
                        enum relsim_elem elem, const char *units, const char *long_name, const char *flags) {
  struct h5io_ctx *c = &o->c;
  const char *relsim_units;
  const char *udunits = output_udunits(units, &relsim_units);
  hid_t ds = h5io_ds_create(c, loc, o->str, path, s, udunits, long_name);
  if (ds < 0) return -1;
  double nan = NAN;
  int rc = relsim_units ? h5io_attr_str(c, ds, o->str, "relsim_units", relsim_units) : 0;
  if (rc == 0 && (elem == RELSIM_ELEM_F64 || elem == RELSIM_ELEM_F32))
    rc = h5io_attr_put(c, ds, "_FillValue", h5io_elem_ftype(elem), H5T_NATIVE_DOUBLE, &nan);
  if (rc == 0 && flags) {
    int values[32], n = 0, used, len = 0;
    char meanings[512] = "", word[64];
    const char *at = flags;
    while (n < 32 && sscanf(at, "%d %63s%n", &values[n], word, &used) == 2) {
      len += snprintf(meanings + len, sizeof meanings - (size_t)len, "%s%s", n ? " " : "", word);
      if (len >= (int)sizeof meanings) break;
      at += used;
      n++;
    }
    if (n == 0 || *at != '\0')
      rc = h5io_fail_plain(c, "cannot describe '%s' in %s: flags \"%s\" are not \"VALUE MEANING ...\" pairs", path,
                           c->file, flags);
    else if (h5io_attr_array(c, ds, "flag_values", h5io_elem_ftype(elem), H5T_NATIVE_INT, (size_t)n, values) < 0 ||
             h5io_attr_str(c, ds, o->str, "flag_meanings", meanings) < 0)
      rc = -1;
  }
  if (rc == 0) return ds;
  H5Dclose(ds);
  return -1;
}

/* ---- provenance and fixed content ----------------------------------------- */

static int write_root_attributes(struct relsim_output *o, const struct relsim_params *p,
                                 const struct relsim_provenance *prov) {
  struct h5io_ctx *c = &o->c;
  hid_t f = o->file, s = o->str;
  unsigned maj, min, rel;
  char hdf5_version[32];
  if (H5get_libversion(&maj, &min, &rel) < 0) return h5io_fail(c, "cannot get the HDF5 version");
  snprintf(hdf5_version, sizeof hdf5_version, "%u.%u.%u", maj, min, rel);
  uint64_t seed = p->seed;
  int64_t customers = p->customers;
  if (h5io_attr_str(c, f, s, "Conventions", OUTPUT_CONVENTIONS) < 0 ||
      h5io_attr_str(c, f, s, "software", prov->software ? prov->software : "relsim") < 0 ||
      h5io_attr_str(c, f, s, "version", prov->version) < 0 ||
      h5io_attr_str(c, f, s, "git_commit", prov->git_commit) < 0 ||
      h5io_attr_str(c, f, s, "schema_version", RELSIM_SCHEMA_VERSION) < 0 ||
      h5io_attr_put(c, f, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed) < 0 ||
      h5io_attr_int(c, f, "threads", prov->threads) < 0 || h5io_attr_int(c, f, "ranks", prov->ranks) < 0 ||
      h5io_attr_str(c, f, s, "compiler", prov->compiler) < 0 ||
      h5io_attr_str(c, f, s, "hdf5_version", hdf5_version) < 0 ||
      h5io_attr_str(c, f, s, "gsl_version", GSL_VERSION) < 0 ||
      h5io_attr_str(c, f, s, "yaml_version", yaml_get_version_string()) < 0 ||
      h5io_attr_str(c, f, s, "random123", "Philox4x64-10") < 0 ||
      h5io_attr_str(c, f, s, "scenario_name", p->name) < 0 ||
      h5io_attr_str(c, f, s, "scenario_path", prov->scenario_path) < 0 ||
      h5io_attr_str(c, f, s, "command_line", prov->command_line) < 0 ||
      h5io_attr_put(c, f, "customers", H5T_STD_I64LE, H5T_NATIVE_INT64, &customers) < 0 ||
      h5io_attr_int(c, f, "periods", p->periods) < 0 || h5io_attr_int(c, f, "periods_done", 0) < 0 ||
      h5io_attr_int(c, f, "snapshots_done", 0) < 0 ||
      h5io_attr_int(c, f, "snapshot_every", p->snapshot_every) < 0 || h5io_attr_int(c, f, "complete", 0) < 0)
    return -1;
  return 0;
}

/* /volatile: the only content that differs between two identical runs. */
static int write_volatile(struct relsim_output *o) {
  char created[64];
  time_t now = time(NULL);
  struct tm tm;
  if (now == (time_t)-1 || !gmtime_r(&now, &tm) || !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
    snprintf(created, sizeof created, "unknown");
  double nan = NAN;
  hid_t g = h5io_group_create(&o->c, o->file, "/volatile");
  if (g < 0) return -1;
  int rc = h5io_attr_str(&o->c, g, o->str, "created", created) < 0 ||
                   h5io_attr_put(&o->c, g, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan) < 0
               ? -1
               : 0;
  H5Gclose(g);
  return rc;
}

static int write_text(struct relsim_output *o, const char *path, const char *text, const char *doc) {
  struct h5io_ds_spec s = {o->str, o->str, 0, {0}, {0}, {0}, 0, NULL};
  hid_t ds = h5io_ds_create(&o->c, o->file, o->str, path, &s, "1", doc);
  if (ds < 0) return -1;
  const char *t = text ? text : "";
  int rc = h5io_ds_write_all(&o->c, ds, o->str, &t);
  H5Dclose(ds);
  return rc;
}

static int write_scenario(struct relsim_output *o, const char *source, const char *resolved) {
  hid_t g = h5io_group_create(&o->c, o->file, "/scenario");
  if (g < 0) return -1;
  int rc = write_text(o, "/scenario/source", source, "the scenario file verbatim") < 0 ||
                   write_text(o, "/scenario/resolved", resolved,
                              "every parameter actually used (defaults included), YAML") < 0
               ? -1
               : 0;
  H5Gclose(g);
  return rc;
}

/* /firms: names, strategies and index of the firms. */
static int write_firms(struct relsim_output *o, const struct relsim_params *p) {
  struct h5io_ctx *c = &o->c;
  int k = p->n_firms, idx[RELSIM_MAX_FIRMS], rc = -1;
  const char *names[RELSIM_MAX_FIRMS], *strategies[RELSIM_MAX_FIRMS];
  for (int f = 0; f < k; f++) {
    idx[f] = f;
    names[f] = p->firms[f].name;
    int s = p->firms[f].strategy;
    strategies[f] = s >= 0 && s < RELSIM_STRATEGY_COUNT ? relsim_strategy_names[s] : "unknown";
  }
  hid_t g = h5io_group_create(c, o->file, "/firms"), ids[3] = {-1, -1, -1};
  struct h5io_ds_spec s = {o->str, o->str, 1, {(hsize_t)k}, {(hsize_t)k}, {0}, 0, NULL};
  if (g >= 0 &&
      (ids[0] = scale_create(o, g, "/firms/index", H5T_STD_I32LE, H5T_NATIVE_INT, k, 0, idx, "1",
                             "firm index: the position along the firm dimension of /firm, /firm_tier and "
                             "/customers")) >= 0 &&
      (ids[1] = h5io_ds_create(c, g, o->str, "/firms/name", &s, "1", "firm name (UTF-8)")) >= 0 &&
      (ids[2] = h5io_ds_create(c, g, o->str, "/firms/strategy", &s, "1", "strategy preset of the firm")) >= 0 &&
      h5io_ds_write_all(c, ids[1], o->str, names) == 0 && h5io_ds_write_all(c, ids[2], o->str, strategies) == 0 &&
      h5io_attach(c, ids[1], ids[0], 0) == 0 && h5io_attach(c, ids[2], ids[0], 0) == 0)
    rc = 0;
  h5io_close_ids(ids, 3);
  if (g >= 0) H5Gclose(g);
  return rc;
}

/* ---- metric groups and snapshots ------------------------------------------ */

/* One metric group: period scale, firm (and tier) scales, one dataset per metric. */
static int create_metric_group(struct relsim_output *o, const struct relsim_params *p, int gi) {
  struct h5io_ctx *c = &o->c;
  const struct output_group *mg = &output_groups[gi];
  char path[160], flags[256];
  int rc = -1;
  hsize_t k = (hsize_t)o->n_firms;
  hid_t g = h5io_group_create(c, o->file, mg->name), firm = -1, tier = -1;
  if (g < 0) return -1;
  snprintf(path, sizeof path, "/%s/period", mg->name);
  o->period[gi] = period_create(o, g, path, OUTPUT_PERIOD_CHUNK, "period index: weeks from the start of the run (52 periods = 1 year)");
  if (o->period[gi] < 0) goto done;
  if (mg->rank >= 2) {
    snprintf(path, sizeof path, "/%s/firm", mg->name);
    if ((firm = firm_create(o, g, path, p)) < 0) goto done;
  }
  if (mg->rank == 3) {
    snprintf(path, sizeof path, "/%s/tier", mg->name);
    tier = scale_create(o, g, path, o->str, o->str, RELSIM_TIER_COUNT, 0, relsim_tier_names, "1",
                        "value tier: A top 20% of customers by trailing revenue, B next 30%, C rest");
    if (tier < 0) goto done;
  }
  double nan = NAN;
  struct h5io_ds_spec s = {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, mg->rank, {0, k, RELSIM_TIER_COUNT},
                           {H5S_UNLIMITED, k, RELSIM_TIER_COUNT}, {OUTPUT_PERIOD_CHUNK, k, RELSIM_TIER_COUNT},
                           DEFLATE_LEVEL, &nan};
  for (int i = 0; i < mg->count; i++) {
    snprintf(path, sizeof path, "/%s/%s", mg->name, mg->fields[i].name);
    hid_t ds = var_create(o, g, path, &s, RELSIM_ELEM_F64, mg->fields[i].units, mg->fields[i].long_name,
                          output_metric_flags(gi, i, flags, sizeof flags));
    o->metric[gi][i] = ds;
    if (ds < 0 || h5io_attach(c, ds, o->period[gi], 0) < 0 || (firm >= 0 && h5io_attach(c, ds, firm, 1) < 0) ||
        (tier >= 0 && h5io_attach(c, ds, tier, 2) < 0))
      goto done;
  }
  rc = 0;
done:
  if (firm >= 0) H5Dclose(firm);
  if (tier >= 0) H5Dclose(tier);
  H5Gclose(g);
  return rc;
}

/* The value a snapshot dataset reads where nothing was written: NaN for
 * reals, -1 ("none") for signed integers, HDF5's 0 for unsigned ones. */
static const void *snap_fill(enum relsim_elem e) {
  static const double nan = NAN;
  static const float nanf = NAN;
  static const int16_t none16 = -1;
  static const int32_t none32 = -1;
  return e == RELSIM_ELEM_F64   ? (const void *)&nan
         : e == RELSIM_ELEM_F32 ? (const void *)&nanf
         : e == RELSIM_ELEM_I16 ? (const void *)&none16
         : e == RELSIM_ELEM_I32 ? (const void *)&none32
                                : NULL;
}

/* /customers: one dataset per snapshot column, [period, customer(, firm|attribute)]. */
static int create_snapshot_group(struct relsim_output *o, const struct relsim_params *p) {
  struct h5io_ctx *c = &o->c;
  hsize_t n = (hsize_t)o->customers, k = (hsize_t)o->n_firms, a = (hsize_t)o->n_attrs;
  int rc = -1;
  const char *attr_names[RELSIM_MAX_ATTRS];
  for (int i = 0; i < o->n_attrs; i++) attr_names[i] = p->attr_names[i];
  int64_t *cust = malloc((n ? n : 1) * sizeof *cust);
  if (!cust) return h5io_fail_plain(c, "out of memory for %lld customer indices", (long long)n);
  for (hsize_t i = 0; i < n; i++) cust[i] = (int64_t)i;
  hid_t g = h5io_group_create(c, o->file, "/customers"), sc[3] = {-1, -1, -1};
  if (g < 0) goto done;
  o->snap_period = period_create(o, g, "/customers/period", 1, /* one chunk per snapshot: written once */
                                 "period of the snapshot (taken after the period's accounting)");
  if (o->snap_period < 0 ||
      (sc[0] = scale_create(o, g, "/customers/customer", H5T_STD_I64LE, H5T_NATIVE_INT64, n, 0, cust, "1",
                            "customer index")) < 0 ||
      (sc[1] = firm_create(o, g, "/customers/firm", p)) < 0 ||
      (sc[2] = scale_create(o, g, "/customers/attribute", o->str, o->str, a, 0, attr_names, "1",
                            "product attribute")) < 0)
    goto done;
  for (int i = 0; i < o->n_snap; i++) {
    const struct relsim_column *col = &o->snap_cols[i];
    hsize_t third = col->shape == RELSIM_SHAPE_CUSTOMER_FIRM ? k : a;
    hsize_t per = col->shape == RELSIM_SHAPE_CUSTOMER ? 1 : third;
    hsize_t cc = CUSTOMER_CHUNK / per;
    struct h5io_ds_spec s = {h5io_elem_ftype(col->elem), h5io_elem_mtype(col->elem),
                             col->shape == RELSIM_SHAPE_CUSTOMER ? 2 : 3, {0, n, third}, {H5S_UNLIMITED, n, third},
                             {1, cc < n ? cc : (n ? n : 1), third ? third : 1}, DEFLATE_LEVEL, snap_fill(col->elem)};
    char path[160];
    snprintf(path, sizeof path, "/customers/%s", col->name);
    hid_t ds = var_create(o, g, path, &s, col->elem, col->units, col->long_name, col->flags);
    o->snap[i] = ds;
    if (ds < 0 || h5io_attach(c, ds, o->snap_period, 0) < 0 || h5io_attach(c, ds, sc[0], 1) < 0 ||
        (col->shape != RELSIM_SHAPE_CUSTOMER &&
         h5io_attach(c, ds, sc[col->shape == RELSIM_SHAPE_CUSTOMER_FIRM ? 1 : 2], 2) < 0))
      goto done;
  }
  rc = 0;
done:
  h5io_close_ids(sc, 3);
  if (g >= 0) H5Gclose(g);
  free(cust);
  return rc;
}

/* ---- open, stage, commit, close ------------------------------------------- */

void output_at_start(void) { H5dont_atexit(); }

int output_chunk_periods(void) { return OUTPUT_PERIOD_CHUNK; }

const char *output_partial_path(const struct relsim_output *o) { return o->partial; }

void output_release(struct relsim_output *o) {
  if (!o) return;
  h5io_close_ids(o->period, OUTPUT_GROUP_COUNT);
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++) {
    h5io_close_ids(o->metric[gi], output_groups[gi].count);
    for (int i = 0; i < output_groups[gi].count; i++) free(o->stage[gi][i]);
  }
  h5io_close_ids(&o->snap_period, 1);
  if (o->snap) h5io_close_ids(o->snap, o->n_snap);
  free(o->snap);
  free(o->snap_cols);
  if (o->str >= 0) H5Tclose(o->str);
  if (o->file >= 0) H5Fclose(o->file);
  output_file_close(&o->lock);
  free(o);
}

enum relsim_status output_init(struct relsim_output **out, const struct relsim_output_spec *spec, char *err,
                               size_t errlen) {
  const struct relsim_params *p = spec->p;
  const char *path = spec->path;
  struct h5io_ctx c0 = {path, err, errlen};
  *out = NULL;
  if (p->n_firms < 1 || p->n_firms > RELSIM_MAX_FIRMS)
    return h5io_fail_plain(&c0, "cannot write %s: %d firms (1 to %d allowed)", path, p->n_firms, RELSIM_MAX_FIRMS),
           RELSIM_ERR_CREATE;
  if (strlen(path) >= RELSIM_PATH_MAX)
    return h5io_fail_plain(&c0, "cannot write %s: path longer than %d bytes", path, RELSIM_PATH_MAX - 1),
           RELSIM_ERR_CREATE;
  if (spec->n_snap < 0 || (spec->n_snap > 0 && !spec->snap))
    return h5io_fail_plain(&c0, "cannot write %s: %d snapshot columns without a table", path, spec->n_snap),
           RELSIM_ERR_CREATE;
  if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0) /* errors are reported through err, not printed */
    return h5io_fail_plain(&c0, "cannot write %s: cannot turn off HDF5's error printing", path), RELSIM_ERR_CREATE;
  struct relsim_output *o = calloc(1, sizeof *o);
  if (!o) return h5io_fail_plain(&c0, "cannot write %s: out of memory", path), RELSIM_ERR_MEMORY;
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->partial, sizeof o->partial, "%s.partial", path);
  o->c = (struct h5io_ctx){o->path, err, errlen};
  o->lock.fd = -1;
  o->replace = spec->mode != RELSIM_OUTPUT_NEW;
  o->file = o->str = o->snap_period = -1;
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++) {
    o->period[gi] = -1;
    for (int i = 0; i < RELSIM_FM_COUNT; i++) o->metric[gi][i] = -1;
  }
  o->n_snap = p->snapshot_every > 0 ? spec->n_snap : 0;
  o->n_firms = p->n_firms;
  o->n_attrs = p->n_attrs;
  o->customers = p->customers;
  o->row_len[OUTPUT_GROUP_FIRM] = p->n_firms;
  o->row_len[OUTPUT_GROUP_TIER] = p->n_firms * RELSIM_TIER_COUNT;
  o->row_len[OUTPUT_GROUP_MARKET] = 1;
  int ok = 1;
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++)
    for (int i = 0; i < output_groups[gi].count; i++)
      ok &= (o->stage[gi][i] = malloc(OUTPUT_PERIOD_CHUNK * (size_t)o->row_len[gi] * sizeof(double))) != NULL;
  if (ok && o->n_snap > 0) {
    ok = (o->snap = malloc((size_t)o->n_snap * sizeof *o->snap)) != NULL &&
         (o->snap_cols = malloc((size_t)o->n_snap * sizeof *o->snap_cols)) != NULL;
    for (int i = 0; ok && i < o->n_snap; i++) {
      o->snap[i] = -1;
      o->snap_cols[i] = spec->snap[i];
      o->snap_cols[i].data = NULL; /* only the description is kept */
    }
  }
  if (!ok) {
    output_release(o);
    return h5io_fail_plain(&c0, "cannot write %s: out of memory", path), RELSIM_ERR_MEMORY;
  }
  *out = o;
  return RELSIM_OK;
}

/* Create the HDF5 file over the empty, locked partial file. HDF5's own
 * locking is off: the lock is ours (output_file.c). */
static int create_hdf5(struct relsim_output *o) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fcpl >= 0 && fapl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 && H5Pset_file_locking(fapl, 0, 1) >= 0)
    o->file = H5Fcreate(o->partial, H5F_ACC_TRUNC, fcpl, fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  if (fapl >= 0) H5Pclose(fapl);
  return o->file < 0 ? h5io_fail(&o->c, "cannot create %s", o->partial) : 0;
}

enum relsim_status output_create(struct relsim_output *o, const struct relsim_output_spec *spec, int replace_stale,
                                 char *err, size_t errlen) {
  static const struct relsim_provenance unknown = {0};
  const struct relsim_params *p = spec->p;
  enum relsim_status st = output_file_create(&o->lock, o->partial, replace_stale, err, errlen);
  if (st != RELSIM_OK) return st;
  if (create_hdf5(o) < 0 || (o->str = h5io_utf8_type()) < 0 ||
      write_root_attributes(o, p, spec->prov ? spec->prov : &unknown) < 0 || write_volatile(o) < 0 ||
      write_scenario(o, spec->source, spec->resolved) < 0 || write_firms(o, p) < 0 ||
      create_metric_group(o, p, OUTPUT_GROUP_FIRM) < 0 || create_metric_group(o, p, OUTPUT_GROUP_TIER) < 0 ||
      create_metric_group(o, p, OUTPUT_GROUP_MARKET) < 0 || (o->n_snap > 0 && create_snapshot_group(o, p) < 0) ||
      output_commit(o) < 0) {
    if (o->str < 0 && o->file >= 0) h5io_fail(&o->c, "cannot make a string type");
    return RELSIM_ERR_CREATE;
  }
  return RELSIM_OK;
}

enum relsim_status output_open(struct relsim_output **out, const struct relsim_output_spec *spec, char *err,
                               size_t errlen) {
  struct relsim_output *o;
  enum relsim_status st = output_check(spec->path, spec->mode, err, errlen);
  if (st == RELSIM_OK && spec->mode == RELSIM_OUTPUT_RESUME) {
    snprintf(err, errlen, "cannot open %s: output_open does not resume (output_resume does)", spec->path);
    st = RELSIM_ERR_USAGE;
  }
  if (st == RELSIM_OK) st = output_init(&o, spec, err, errlen);
  if (st != RELSIM_OK) return st;
  if ((st = output_create(o, spec, spec->mode == RELSIM_OUTPUT_FORCE, err, errlen)) != RELSIM_OK) {
    output_abort(o, 0);
    return st;
  }
  *out = o;
  return RELSIM_OK;
}
