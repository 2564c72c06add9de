/*
 * Checkpoints (checkpoint.h). The file holds:
 *   root attributes  format, the build (version, git_commit, compiler), the
 *                    struct layout, period, customers, firms, attributes,
 *                    periods_written, snapshots
 *   /resolved        the scenario, every key (a resumed run must match it)
 *   /world/c.<field>, /world/r.<field>   every column of world.h
 *   /firm_state      the firm structs, as bytes
 *   /relays          the word-of-mouth stories to be relayed next period
 *   /staged          the metrics of the periods not yet written as a chunk
 *   /hist            the firm-metric history [period][FM][k]
 *   /network_digest  for a network file: a hash of every contact
 * The state between two periods is exactly this: the tallies are cleared at
 * each period's start, the random streams are positioned by (period,
 * entity), the network is rebuilt from the scenario, and the parameters
 * that scheduled events changed are replayed from the scenario's events
 * (sim_resume_events; their effects on the firms are in /firm_state).
 */
#include "relsim/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5io.h"
#include "wom.h"

#define CHECKPOINT_FORMAT "relsim checkpoint 1"

/* The layout of the structs saved as bytes. */
static void layout(char *buf, size_t size) {
  snprintf(buf, size, "metrics %zu story %zu firm_state %zu", sizeof(struct relsim_metrics),
           sizeof(struct relsim_story), sizeof(struct relsim_firm_state));
}

/* FNV-1a over every contact of a network read from a file (0 otherwise:
 * the computed kinds follow from the scenario). */
static uint64_t network_digest(const struct relsim_sim *s) {
  uint64_t h = 1469598103934665603ULL;
  if (s->p.network_kind != RELSIM_NET_FILE) return 0;
  for (int64_t i = 0; i < s->w.n; i++) {
    int64_t d = network_degree(s->net, i);
    for (int64_t j = 0; j <= d; j++) {
      uint64_t v = (uint64_t)(j < d ? network_contact(s->net, i, j) : -1);
      for (int b = 0; b < 8; b++) h = (h ^ ((v >> (8 * b)) & 0xff)) * 1099511628211ULL;
    }
  }
  return h;
}

/* A 1-D dataset of n elements of mtype (stored as mtype) from data. */
static int put(struct h5io_ctx *c, hid_t file, const char *name, hid_t mtype, size_t n, const void *data) {
  hsize_t dims[1] = {(hsize_t)n};
  hid_t space = H5Screate_simple(1, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), ds = -1;
  int rc = -1;
  if (space >= 0 && dcpl >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0 &&
      (ds = H5Dcreate2(file, name, mtype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)) >= 0 &&
      (n == 0 || H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0))
    rc = 0;
  if (rc < 0) h5io_fail(c, "cannot write '%s'", name);
  if (ds >= 0) H5Dclose(ds);
  if (dcpl >= 0) H5Pclose(dcpl);
  if (space >= 0) H5Sclose(space);
  return rc;
}

/* Read the 1-D dataset name, which must hold n elements, into data. */
static int get(struct h5io_ctx *c, hid_t file, const char *name, hid_t mtype, size_t n, void *data) {
  hsize_t dims[1] = {0};
  hid_t ds = H5Dopen2(file, name, H5P_DEFAULT), space = ds < 0 ? -1 : H5Dget_space(ds);
  int rc = -1;
  if (space < 0 || H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0)
    h5io_fail(c, "cannot read '%s'", name);
  else if (dims[0] != (hsize_t)n)
    h5io_fail_plain(c, "cannot read '%s' of %s: %llu values, %zu expected", name, c->file,
                    (unsigned long long)dims[0], n);
  else if (n > 0 && H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    h5io_fail(c, "cannot read '%s'", name);
  else
    rc = 0;
  if (space >= 0) H5Sclose(space);
  if (ds >= 0) H5Dclose(ds);
  return rc;
}

static hid_t file_access(void) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl >= 0 && H5Pset_file_locking(fapl, 0, 1) < 0) { /* the output's lock guards the checkpoint too */
    H5Pclose(fapl);
    return -1;
  }
  return fapl;
}

static int save_state(struct h5io_ctx *c, hid_t f, const struct relsim_sim *s, const struct relsim_run_state *rs,
                      const struct relsim_provenance *prov, const char *resolved) {
  char lay[128];
  layout(lay, sizeof lay);
  hid_t str = h5io_utf8_type();
  int64_t n = s->w.n;
  uint64_t digest = network_digest(s);
  struct relsim_column cols[RELSIM_WORLD_COLUMNS_MAX];
  int n_cols = world_state_columns(&s->w, cols), rc = -1;
  if (str < 0 || h5io_attr_str(c, f, str, "format", CHECKPOINT_FORMAT) < 0 ||
      h5io_attr_str(c, f, str, "version", prov->version ? prov->version : "") < 0 ||
      h5io_attr_str(c, f, str, "git_commit", prov->git_commit ? prov->git_commit : "") < 0 ||
      h5io_attr_str(c, f, str, "compiler", prov->compiler ? prov->compiler : "") < 0 ||
      h5io_attr_str(c, f, str, "layout", lay) < 0 || h5io_attr_int(c, f, "period", s->period) < 0 ||
      h5io_attr_put(c, f, "customers", H5T_STD_I64LE, H5T_NATIVE_INT64, &n) < 0 ||
      h5io_attr_int(c, f, "firms", s->w.k) < 0 || h5io_attr_int(c, f, "attributes", s->w.a) < 0 ||
      h5io_attr_int(c, f, "periods_written", rs->periods_written) < 0 ||
      h5io_attr_int(c, f, "snapshots", rs->snapshots) < 0 ||
      put(c, f, "/resolved", H5T_NATIVE_CHAR, strlen(resolved), resolved) < 0 ||
      put(c, f, "/network_digest", H5T_NATIVE_UINT64, 1, &digest) < 0)
    goto done;
  hid_t g = h5io_group_create(c, f, "/world");
  if (g < 0) goto done;
  H5Gclose(g);
  for (int i = 0; i < n_cols; i++) {
    char name[96];
    snprintf(name, sizeof name, "/world/%s", cols[i].name);
    if (put(c, f, name, h5io_elem_mtype(cols[i].elem), world_column_length(&s->w, cols[i].shape), cols[i].data) < 0)
      goto done;
  }
  if (put(c, f, "/firm_state", H5T_NATIVE_UCHAR, (size_t)s->w.k * sizeof *s->w.firm, s->w.firm) < 0 ||
      put(c, f, "/relays", H5T_NATIVE_UCHAR, s->wom->relays.n * sizeof(struct relsim_story), s->wom->relays.data) < 0 ||
      put(c, f, "/staged", H5T_NATIVE_UCHAR, (size_t)rs->n_staged * sizeof *rs->staged, rs->staged) < 0 ||
      put(c, f, "/hist", H5T_NATIVE_DOUBLE, (size_t)s->period * RELSIM_FM_COUNT * (size_t)s->w.k, rs->hist) < 0)
    goto done;
  rc = 0;
done:
  if (str >= 0) H5Tclose(str);
  return rc;
}

enum relsim_status checkpoint_save(const char *path, const struct relsim_sim *s, const struct relsim_run_state *rs,
                                   const struct relsim_provenance *prov, const char *resolved, char *err,
                                   size_t errlen) {
  char tmp[RELSIM_PATH_MAX + 32];
  snprintf(tmp, sizeof tmp, "%s.new", path);
  struct h5io_ctx c = {tmp, err, errlen};
  hid_t fapl = file_access(), fcpl = H5Pcreate(H5P_FILE_CREATE), f = -1;
  if (fapl >= 0 && fcpl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0)
    f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
  if (fapl >= 0) H5Pclose(fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  if (f < 0) {
    h5io_fail(&c, "cannot create the checkpoint %s", tmp);
    return RELSIM_ERR_WRITE;
  }
  int rc = save_state(&c, f, s, rs, prov, resolved);
  if (H5Fclose(f) < 0 && rc == 0) rc = h5io_fail(&c, "cannot close the checkpoint");
  int fd = rc == 0 ? open(tmp, O_RDONLY | O_CLOEXEC) : -1;
  if (rc == 0 && (fd < 0 || fsync(fd) != 0))
    rc = h5io_fail_plain(&c, "cannot write the checkpoint %s to the disk: %s", tmp, strerror(errno));
  if (fd >= 0) close(fd);
  if (rc == 0 && rename(tmp, path) != 0)
    rc = h5io_fail_plain(&c, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
  if (rc != 0) {
    unlink(tmp);
    return RELSIM_ERR_WRITE;
  }
  return RELSIM_OK;
}

/* The checkpoint must be this build's and this scenario's. */
static int check_identity(struct h5io_ctx *c, hid_t f, const struct relsim_sim *s,
                          const struct relsim_provenance *prov, const char *resolved) {
  char format[64], version[64], git[64], compiler[128], lay[128], want[128];
  int64_t n = 0;
  int k = 0, a = 0;
  layout(want, sizeof want);
  if (h5io_read_str_attr(c, f, "format", format, sizeof format) < 0 || strcmp(format, CHECKPOINT_FORMAT) != 0)
    return h5io_fail_plain(c, "%s is not a relsim checkpoint (format '%s' expected)", c->file, CHECKPOINT_FORMAT);
  if (h5io_read_str_attr(c, f, "version", version, sizeof version) < 0 ||
      h5io_read_str_attr(c, f, "git_commit", git, sizeof git) < 0 ||
      h5io_read_str_attr(c, f, "compiler", compiler, sizeof compiler) < 0 ||
      h5io_read_str_attr(c, f, "layout", lay, sizeof lay) < 0 ||
      h5io_read_num_attr(c, f, "customers", H5T_NATIVE_INT64, &n) < 0 ||
      h5io_read_num_attr(c, f, "firms", H5T_NATIVE_INT, &k) < 0 ||
      h5io_read_num_attr(c, f, "attributes", H5T_NATIVE_INT, &a) < 0)
    return -1;
  if (strcmp(version, prov->version ? prov->version : "") || strcmp(git, prov->git_commit ? prov->git_commit : "") ||
      strcmp(compiler, prov->compiler ? prov->compiler : "") || strcmp(lay, want))
    return h5io_fail_plain(c, "%s was written by relsim %s (git %s, %s); this is relsim %s (git %s, %s): resume "
                           "with the build that wrote it", c->file, version, git, compiler, prov->version,
                           prov->git_commit, prov->compiler);
  size_t len = strlen(resolved);
  char *text = malloc(len + 1);
  int same = text && get(c, f, "/resolved", H5T_NATIVE_CHAR, len, text) == 0 && memcmp(text, resolved, len) == 0;
  free(text);
  if (!same || n != s->w.n || k != s->w.k || a != s->w.a)
    return h5io_fail_plain(c, "%s was written for another scenario (its resolved scenario differs from this "
                           "run's): give the same scenario, --set values and seed", c->file);
  return 0;
}

static int load_state(struct h5io_ctx *c, hid_t f, struct relsim_sim *s, struct relsim_run_state *rs) {
  int period = 0;
  uint64_t digest = 0;
  if (h5io_read_num_attr(c, f, "period", H5T_NATIVE_INT, &period) < 0 ||
      h5io_read_num_attr(c, f, "periods_written", H5T_NATIVE_INT, &rs->periods_written) < 0 ||
      h5io_read_num_attr(c, f, "snapshots", H5T_NATIVE_INT, &rs->snapshots) < 0 ||
      get(c, f, "/network_digest", H5T_NATIVE_UINT64, 1, &digest) < 0)
    return -1;
  if (period < 1 || period > s->p.periods || rs->periods_written > period ||
      period - rs->periods_written >= output_chunk_periods())
    return h5io_fail_plain(c, "%s holds period %d and %d written periods, which this scenario (%d periods) cannot "
                           "have", c->file, period, rs->periods_written, s->p.periods);
  if (digest != network_digest(s))
    return h5io_fail_plain(c, "%s: the network file %s has changed since the checkpoint was written", c->file,
                           s->p.network_file);
  struct relsim_column cols[RELSIM_WORLD_COLUMNS_MAX];
  int n_cols = world_state_columns(&s->w, cols);
  for (int i = 0; i < n_cols; i++) {
    char name[96];
    snprintf(name, sizeof name, "/world/%s", cols[i].name);
    /* the columns are the world's own arrays (world_state_columns gives them as const) */
    if (get(c, f, name, h5io_elem_mtype(cols[i].elem), world_column_length(&s->w, cols[i].shape),
            (void *)cols[i].data) < 0)
      return -1;
  }
  rs->n_staged = period - rs->periods_written;
  if (get(c, f, "/firm_state", H5T_NATIVE_UCHAR, (size_t)s->w.k * sizeof *s->w.firm, s->w.firm) < 0 ||
      get(c, f, "/staged", H5T_NATIVE_UCHAR, (size_t)rs->n_staged * sizeof *rs->staged, rs->staged) < 0 ||
      get(c, f, "/hist", H5T_NATIVE_DOUBLE, (size_t)period * RELSIM_FM_COUNT * (size_t)s->w.k, rs->hist) < 0)
    return -1;
  hid_t ds = H5Dopen2(f, "/relays", H5P_DEFAULT), space = ds < 0 ? -1 : H5Dget_space(ds);
  hssize_t bytes = space < 0 ? -1 : H5Sget_simple_extent_npoints(space);
  if (space >= 0) H5Sclose(space);
  if (ds >= 0) H5Dclose(ds);
  if (bytes < 0 || (size_t)bytes % sizeof(struct relsim_story) != 0)
    return h5io_fail_plain(c, "cannot read '/relays' of %s", c->file);
  struct relsim_storybuf relays = {malloc((size_t)bytes + 1), (size_t)bytes / sizeof(struct relsim_story), 0};
  int rc = !relays.data ? h5io_fail_plain(c, "out of memory reading %s", c->file)
                        : get(c, f, "/relays", H5T_NATIVE_UCHAR, (size_t)bytes, relays.data);
  s->wom->relays.n = 0;
  if (rc == 0 && story_append(&s->wom->relays, &relays) != 0)
    rc = h5io_fail_plain(c, "out of memory reading %s", c->file);
  free(relays.data);
  s->period = period;
  sim_resume_events(s); /* the parameters of that period: the events before it replayed */
  return rc;
}

enum relsim_status checkpoint_load(const char *path, struct relsim_sim *s, struct relsim_run_state *rs,
                                   const struct relsim_provenance *prov, const char *resolved, char *err,
                                   size_t errlen) {
  struct h5io_ctx c = {path, err, errlen};
  if (access(path, F_OK) != 0) {
    h5io_fail_plain(&c, "cannot resume: no checkpoint %s (a run writes one with --checkpoint-every N)", path);
    return RELSIM_ERR_INPUT;
  }
  if (H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0) return h5io_fail_plain(&c, "cannot set HDF5 errors"), RELSIM_ERR_INPUT;
  hid_t fapl = file_access(), f = fapl < 0 ? -1 : H5Fopen(path, H5F_ACC_RDONLY, fapl);
  if (fapl >= 0) H5Pclose(fapl);
  if (f < 0) {
    h5io_fail(&c, "cannot open the checkpoint %s", path);
    return RELSIM_ERR_INPUT;
  }
  int rc = check_identity(&c, f, s, prov, resolved) == 0 && load_state(&c, f, s, rs) == 0 ? 0 : -1;
  H5Fclose(f);
  return rc == 0 ? RELSIM_OK : RELSIM_ERR_INPUT;
}
