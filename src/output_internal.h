/*
 * The output writer's state, shared by its parts: output.c (create, stage,
 * commit, close) and output_resume.c (continue a dead run's file).
 */
#ifndef RELSIM_OUTPUT_INTERNAL_H
#define RELSIM_OUTPUT_INTERNAL_H

#include <hdf5.h>

#include "h5io.h"
#include "output_file.h"
#include "output_layout.h"
#include "relsim/output.h"

#define OUTPUT_PERIOD_CHUNK 64 /* periods per chunk of a metric dataset, staged in memory */

struct relsim_output {
  struct h5io_ctx c;
  char path[RELSIM_PATH_MAX], partial[RELSIM_PATH_MAX + 16];
  struct output_file lock;            /* the partial file's lock */
  int replace;                        /* the final rename may replace an existing file */
  hid_t file, str;                    /* file; variable-length UTF-8 string type */
  hid_t period[OUTPUT_GROUP_COUNT];   /* period scales */
  hid_t metric[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT];
  int row_len[OUTPUT_GROUP_COUNT];    /* values per period of one dataset of the group */
  double *stage[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT]; /* [OUTPUT_PERIOD_CHUNK][row_len] staged rows */
  hid_t snap_period, *snap;           /* snapshot period scale; [n_snap] datasets */
  struct relsim_column *snap_cols;    /* [n_snap] the columns given to output_open */
  int n_snap, n_firms, n_attrs;
  int periods_done;                   /* periods given (written or staged) */
  int periods_written;                /* periods written to the file (whole chunks until the end) */
  int snapshots, snapshots_synced;    /* snapshots written; claimed as valid */
  int64_t customers;
};

/* Create the partial file named o->partial with every group and dataset
 * (no rows); o->path, o->partial and the sizes are set. */
enum relsim_status output_create(struct relsim_output *o, const struct relsim_output_spec *spec, int replace_stale,
                                 char *err, size_t errlen);

/* Allocate and fill an output's fields from spec (no file yet). */
enum relsim_status output_init(struct relsim_output **out, const struct relsim_output_spec *spec, char *err,
                               size_t errlen);

/* Write n rows starting at row first of every metric dataset and period scale
 * from rows[gi][i] ([n][row_len]); periods: [n] values of the period scales. */
int output_write_rows(struct relsim_output *o, int first, int n, double *const rows[OUTPUT_GROUP_COUNT][RELSIM_FM_COUNT],
                      const int *periods);

/* Write row `row` of snapshot column f from data / of the snapshot period
 * scale (which then counts row + 1 snapshots). */
int output_put_snapshot_column(struct relsim_output *o, int f, int row, const void *data);
int output_put_snapshot_period(struct relsim_output *o, int row, int period);

/* Flush and fsync, then record periods_written and snapshots as valid. */
int output_commit(struct relsim_output *o);

/* Close every HDF5 object, the file and the lock; free the output. */
void output_release(struct relsim_output *o);

#endif
