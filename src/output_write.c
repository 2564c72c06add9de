/*
 * The output writer's second half (output.h): stage a period's metric
 * rows, write them a whole chunk at a time, append snapshots, commit (flush,
 * fsync, then claim), close and publish, keep, or abort. The first half,
 * creating the file and its layout, is output.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output_internal.h"

int output_write_rows(struct relsim_output *o, int first, int n, double *const rows[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT],
                      const int *periods) {
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++) {
    for (int i = 0; i < output_groups[gi].count; i++)
      if (h5io_write_rows(&o->c, o->metric[gi][i], (hsize_t)first, (hsize_t)n, H5T_NATIVE_DOUBLE, rows[gi][i]) < 0)
        return -1;
    if (h5io_write_rows(&o->c, o->period[gi], (hsize_t)first, (hsize_t)n, H5T_NATIVE_INT, periods) < 0) return -1;
  }
  return 0;
}

int output_commit(struct relsim_output *o) {
  struct h5io_ctx *c = &o->c;
  if (output_file_check(&o->lock, o->partial, c->err, c->errlen) < 0) return -1;
  if (H5Fflush(o->file, H5F_SCOPE_LOCAL) < 0) return h5io_fail(c, "cannot flush");
  if (output_file_sync(&o->lock, o->partial, c->err, c->errlen) < 0) return -1;
  /* Only now: everything these claim is on the disk. */
  if (h5io_attr_int(c, o->file, "periods_done", o->periods_written) < 0 ||
      h5io_attr_int(c, o->file, "snapshots_done", o->snapshots) < 0)
    return -1;
  if (H5Fflush(o->file, H5F_SCOPE_LOCAL) < 0) return h5io_fail(c, "cannot flush");
  o->snapshots_synced = o->snapshots;
  return 0;
}

/* Write the staged periods (a whole chunk, or the last rows at the end) and commit. */
static int write_staged(struct relsim_output *o) {
  int n = o->periods_done - o->periods_written, periods[OUTPUT_PERIOD_CHUNK];
  if (n > 0) {
    for (int j = 0; j < n; j++) periods[j] = o->periods_written + j;
    if (output_write_rows(o, o->periods_written, n, o->stage, periods) < 0) return -1;
    o->periods_written += n;
  }
  return output_commit(o);
}

int output_write_period(struct relsim_output *o, const struct relsim_metrics *m, char *err, size_t errlen) {
  struct h5io_ctx *c = &o->c;
  c->err = err;
  c->errlen = errlen;
  int t = o->periods_done;
  if (m->period != t)
    return h5io_fail_plain(c, "cannot write period %d to %s: period %d expected next", m->period, o->path, t);
  if (m->n_firms != o->n_firms)
    return h5io_fail_plain(c, "cannot write period %d to %s: %d firms, the file has %d", t, o->path, m->n_firms,
                           o->n_firms);
  const double *rows[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT];
  for (int i = 0; i < RELSIM_FM_COUNT; i++) rows[OUTPUT_GROUP_FIRM][i] = m->firm[i];
  for (int i = 0; i < RELSIM_TM_COUNT; i++) rows[OUTPUT_GROUP_TIER][i] = &m->tier[i][0][0];
  for (int i = 0; i < RELSIM_MM_COUNT; i++) rows[OUTPUT_GROUP_MARKET][i] = &m->market[i];
  size_t j = (size_t)(t - o->periods_written);
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++)
    for (int i = 0; i < output_groups[gi].count; i++)
      memcpy(o->stage[gi][i] + j * (size_t)o->row_len[gi], rows[gi][i], (size_t)o->row_len[gi] * sizeof(double));
  o->periods_done = t + 1;
  return o->periods_done - o->periods_written == OUTPUT_PERIOD_CHUNK ? write_staged(o) : 0;
}

int output_write_snapshot(struct relsim_output *o, int period, const struct relsim_column *snap, int n_snap,
                          char *err, size_t errlen) {
  struct h5io_ctx *c = &o->c;
  c->err = err;
  c->errlen = errlen;
  if (o->snap_period < 0)
    return h5io_fail_plain(c, "cannot write a customer snapshot to %s: run.snapshot_every is 0 or no columns",
                           o->path);
  if (n_snap != o->n_snap)
    return h5io_fail_plain(c, "cannot write a customer snapshot to %s: %d columns, the file has %d", o->path,
                           n_snap, o->n_snap);
  hsize_t i = (hsize_t)o->snapshots;
  for (int f = 0; f < n_snap; f++) {
    const struct relsim_column *want = &o->snap_cols[f], *col = &snap[f];
    if (strcmp(col->name, want->name) != 0 || col->elem != want->elem || col->shape != want->shape)
      return h5io_fail_plain(c, "cannot write snapshot column '%s' to %s: column %d of the file is '%s' of "
                             "another type or shape", col->name, o->path, f, want->name);
    if (!col->data)
      return h5io_fail_plain(c, "cannot write snapshot column '%s' to %s: no data", col->name, o->path);
  }
  for (int f = 0; f < n_snap; f++)
    if (output_put_snapshot_column(o, f, (int)i, snap[f].data) < 0) return -1;
  return output_put_snapshot_period(o, (int)i, period);
}

int output_put_snapshot_column(struct relsim_output *o, int f, int row, const void *data) {
  return h5io_write_rows(&o->c, o->snap[f], (hsize_t)row, 1, h5io_elem_mtype(o->snap_cols[f].elem), data);
}

int output_put_snapshot_period(struct relsim_output *o, int row, int period) {
  if (h5io_write_rows(&o->c, o->snap_period, (hsize_t)row, 1, H5T_NATIVE_INT, &period) < 0) return -1;
  o->snapshots = row + 1;
  return 0;
}

int output_sync(struct relsim_output *o, int *periods, int *snapshots, char *err, size_t errlen) {
  o->c.err = err;
  o->c.errlen = errlen;
  if (output_commit(o) < 0) return -1;
  *periods = o->periods_written;
  *snapshots = o->snapshots_synced;
  return 0;
}

/* Write what is staged, set complete and the wall time, close the HDF5 file. */
static int finish(struct relsim_output *o, int complete, double wall_seconds, char *err, size_t errlen) {
  struct h5io_ctx *c = &o->c;
  c->err = err;
  c->errlen = errlen;
  if (write_staged(o) < 0 || h5io_attr_int(c, o->file, "complete", complete) < 0) return -1;
  hid_t g = H5Gopen2(o->file, "/volatile", H5P_DEFAULT);
  if (g < 0) return h5io_fail(c, "cannot open group '/volatile'");
  int rc = h5io_attr_put(c, g, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &wall_seconds);
  H5Gclose(g);
  h5io_close_ids(o->period, OUTPUT_GROUP_COUNT);
  for (int gi = 0; gi < OUTPUT_GROUP_COUNT; gi++) h5io_close_ids(o->metric[gi], output_groups[gi].count);
  h5io_close_ids(&o->snap_period, 1);
  if (o->snap) h5io_close_ids(o->snap, o->n_snap);
  H5Tclose(o->str);
  o->str = -1;
  herr_t closed = H5Fclose(o->file);
  o->file = -1;
  if (rc == 0 && closed < 0) rc = h5io_fail(c, "cannot close file");
  if (rc == 0) rc = output_file_sync(&o->lock, o->partial, err, errlen);
  return rc;
}

int output_close(struct relsim_output *o, double wall_seconds, char *err, size_t errlen) {
  if (!o) return 0;
  int rc = finish(o, 1, wall_seconds, err, errlen);
  if (rc == 0 && output_file_check(&o->lock, o->partial, err, errlen) == 0)
    rc = output_file_publish(o->partial, o->path, o->replace, err, errlen);
  else
    rc = -1;
  output_release(o);
  return rc;
}

int output_keep(struct relsim_output *o, double wall_seconds, char *err, size_t errlen) {
  if (!o) return 0;
  int rc = finish(o, 0, wall_seconds, err, errlen);
  output_release(o);
  return rc;
}

void output_abort(struct relsim_output *o, int keep) {
  if (!o) return;
  if (!keep && o->lock.fd >= 0 && output_file_check(&o->lock, o->partial, NULL, 0) == 0) unlink(o->partial);
  output_release(o);
}
