/*
 * Continuing the partial file of a run that died (output.h, output_resume):
 * the old file is locked, opened read-only and checked (same scenario, and
 * it claims at least the periods and snapshots asked for); a new partial
 * file is created beside it, takes those rows, and replaces it. The old
 * file is never written: whatever state the dead run left it in, only the
 * rows it claims are read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output_internal.h"

/* The scalar string dataset at path (allocated by HDF5: H5free_memory), or NULL. */
static char *read_text(hid_t file, const char *path) {
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), t = h5io_utf8_type();
  char *text = NULL;
  if (ds < 0 || t < 0 || H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) text = NULL;
  if (t >= 0) H5Tclose(t);
  if (ds >= 0) H5Dclose(ds);
  return text;
}

/* Check that the old file is this scenario's and claims what is asked for. */
static int check_old(struct h5io_ctx *c, hid_t old, const struct relsim_output_spec *spec, int periods,
                     int snapshots) {
  int done = -1, snaps = -1, rc = -1;
  if (h5io_read_num_attr(c, old, "periods_done", H5T_NATIVE_INT, &done) < 0 ||
      h5io_read_num_attr(c, old, "snapshots_done", H5T_NATIVE_INT, &snaps) < 0)
    return -1;
  char *resolved = read_text(old, "/scenario/resolved");
  if (!resolved)
    h5io_fail(c, "cannot read '/scenario/resolved'");
  else if (strcmp(resolved, spec->resolved ? spec->resolved : "") != 0)
    h5io_fail_plain(c, "cannot resume %s: it was written for another scenario (its /scenario/resolved differs "
                    "from this run's: give the same scenario, --set values and seed)", c->file);
  else if (done < periods || snaps < snapshots)
    h5io_fail_plain(c, "cannot resume %s: it claims %d periods and %d snapshots, the checkpoint needs %d and %d",
                    c->file, done, snaps, periods, snapshots);
  else
    rc = 0;
  if (resolved) H5free_memory(resolved);
  return rc;
}

/* Copy the first periods rows of every metric dataset and the first
 * snapshots snapshots from old into o. */
static int copy_rows(struct relsim_output *o, hid_t old, int periods, int snapshots) {
  struct h5io_ctx *c = &o->c;
  char path[200];
  int rc = 0, *period = malloc(((size_t)periods + 1) * sizeof *period);
  double *rows[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT] = {{0}};
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT && rc == 0; gi++)
    for (int i = 0; i < output_groups[gi].count && rc == 0; i++) {
      snprintf(path, sizeof path, "/%s/%s", output_groups[gi].name, output_groups[gi].fields[i].name);
      rows[gi][i] = malloc(((size_t)periods + 1) * (size_t)o->row_len[gi] * sizeof(double));
      if (!rows[gi][i] || !period) rc = h5io_fail_plain(c, "out of memory resuming %s", o->path);
      else if (periods > 0) rc = h5io_read_rows(c, old, path, 0, (hsize_t)periods, H5T_NATIVE_DOUBLE, rows[gi][i]);
    }
  if (rc == 0 && periods > 0) rc = h5io_read_rows(c, old, "/firm/period", 0, (hsize_t)periods, H5T_NATIVE_INT, period);
  if (rc == 0 && periods > 0) rc = output_write_rows(o, 0, periods, rows, period);
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++)
    for (int i = 0; i < output_groups[gi].count; i++) free(rows[gi][i]);
  free(period);
  o->periods_done = o->periods_written = periods;
  /* Snapshots: one at a time, through a buffer of one snapshot's largest column. */
  size_t most = 0;
  for (int f = 0; f < o->n_snap; f++) {
    enum relsim_shape sh = o->snap_cols[f].shape;
    size_t per = sh == RELSIM_SHAPE_CUSTOMER ? 1 : sh == RELSIM_SHAPE_CUSTOMER_FIRM ? (size_t)o->n_firms
                                                                                     : (size_t)o->n_attrs;
    if (per * 8 > most) most = per * 8;
  }
  void *buf = snapshots > 0 ? malloc(most * (size_t)(o->customers ? o->customers : 1)) : NULL;
  if (rc == 0 && snapshots > 0 && !buf) rc = h5io_fail_plain(c, "out of memory resuming %s", o->path);
  for (int s = 0; s < snapshots && rc == 0; s++) {
    int at = 0;
    rc = h5io_read_rows(c, old, "/customers/period", (hsize_t)s, 1, H5T_NATIVE_INT, &at);
    for (int f = 0; f < o->n_snap && rc == 0; f++) {
      snprintf(path, sizeof path, "/customers/%s", o->snap_cols[f].name);
      /* each column in turn through the one buffer: written before the next is read */
      hid_t mtype = h5io_elem_mtype(o->snap_cols[f].elem);
      rc = h5io_read_rows(c, old, path, (hsize_t)s, 1, mtype, buf);
      if (rc == 0) rc = output_put_snapshot_column(o, f, s, buf);
    }
    if (rc == 0) rc = output_put_snapshot_period(o, s, at);
  }
  free(buf);
  return rc;
}

enum relsim_status output_resume(struct relsim_output **out, const struct relsim_output_spec *spec, int periods,
                                 int snapshots, int resumed_at, char *err, size_t errlen) {
  struct relsim_output *o;
  struct output_file old_lock = {-1, 0, 0};
  *out = NULL;
  if (periods < 0 || periods % OUTPUT_PERIOD_CHUNK != 0 || snapshots < 0) {
    snprintf(err, errlen, "cannot resume %s: %d periods is not a whole number of %d-period chunks", spec->path,
             periods, OUTPUT_PERIOD_CHUNK);
    return RELSIM_ERR_INPUT;
  }
  enum relsim_status st = output_check(spec->path, RELSIM_OUTPUT_RESUME, err, errlen);
  if (st == RELSIM_OK) st = output_init(&o, spec, err, errlen);
  if (st != RELSIM_OK) return st;
  o->replace = 1;
  char old_partial[sizeof o->partial];
  snprintf(old_partial, sizeof old_partial, "%s", o->partial);
  snprintf(o->partial, sizeof o->partial, "%s.partial.new", o->path);
  unlink(o->partial); /* left by a resume that died; no live run holds it (the old partial file is locked) */
  st = output_file_lock(&old_lock, old_partial, err, errlen);
  hid_t fapl = st == RELSIM_OK ? H5Pcreate(H5P_FILE_ACCESS) : -1, old = -1;
  struct h5io_ctx oc = {old_partial, err, errlen};
  if (st == RELSIM_OK) {
    if (fapl >= 0 && H5Pset_file_locking(fapl, 0, 1) >= 0) old = H5Fopen(old_partial, H5F_ACC_RDONLY, fapl);
    if (old < 0) {
      h5io_fail(&oc, "cannot resume: %s cannot be opened (start over with --force)", old_partial);
      st = RELSIM_ERR_INPUT;
    } else if (check_old(&oc, old, spec, periods, snapshots) < 0) {
      st = RELSIM_ERR_INPUT;
    }
  }
  if (fapl >= 0) H5Pclose(fapl);
  if (st == RELSIM_OK) st = output_create(o, spec, 0, err, errlen);
  if (st == RELSIM_OK) {
    o->c.err = err;
    o->c.errlen = errlen;
    hid_t g = H5Gopen2(o->file, "/volatile", H5P_DEFAULT);
    if (copy_rows(o, old, periods, snapshots) < 0 || g < 0 ||
        h5io_attr_int(&o->c, g, "resumed_at", resumed_at) < 0 || output_commit(o) < 0)
      st = RELSIM_ERR_WRITE;
    if (g >= 0) H5Gclose(g);
  }
  if (old >= 0) H5Fclose(old);
  if (st == RELSIM_OK && output_file_publish(o->partial, old_partial, 1, err, errlen) < 0) st = RELSIM_ERR_WRITE;
  output_file_close(&old_lock);
  if (st != RELSIM_OK) {
    output_abort(o, 0);
    return st;
  }
  snprintf(o->partial, sizeof o->partial, "%s", old_partial);
  *out = o;
  return RELSIM_OK;
}
