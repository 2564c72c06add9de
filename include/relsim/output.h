/*
 * relsim HDF5 output: one file per run (layout and crash safety in
 * docs/output.md).
 *
 * The file is written as "<path>.partial", created exclusively and locked
 * while its run lives, and renamed to <path> by output_close(). Rows are
 * staged in memory and written a whole chunk at a time, never rewritten; a
 * commit (a full chunk, output_sync, the end) flushes and fsyncs the file,
 * then records how much of it is valid (root attributes periods_done and
 * snapshots_done). Whatever moment the process dies, what those attributes
 * claim was on the disk before they were written, and is never overwritten.
 * HDF5 is called from one thread only.
 */
#ifndef RELSIM_OUTPUT_H
#define RELSIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "relsim/field.h"
#include "relsim/metrics.h"
#include "relsim/params.h"
#include "relsim/status.h"

struct relsim_output;

/* Provenance recorded as root attributes. */
struct relsim_provenance {
  const char *software;        /* "relsim" */
  const char *version;         /* RELSIM_VERSION */
  const char *git_commit;      /* git revision of the build, or "unknown" */
  const char *compiler;        /* compiler id and version */
  const char *scenario_path;   /* path of the scenario as given */
  const char *command_line;    /* the command line */
  int threads;                 /* OpenMP threads used */
  int ranks;                   /* MPI ranks (1) */
};

/* Call first in a program, before any HDF5 call: HDF5's clean-up at exit
 * is turned off. After a failed write (a full disk) it would close again a
 * file whose close failed, and crash; the writer closes every file itself. */
void output_at_start(void);

/* What may already be at the output path. NEW: nothing (an existing output
 * or a partial file left by a dead run is refused); FORCE: an existing
 * output is replaced when the run completes, a dead run's partial file at
 * once; RESUME: the partial file of a dead run is continued. A partial file
 * being written by a live run is refused in every mode. */
enum relsim_output_mode { RELSIM_OUTPUT_NEW, RELSIM_OUTPUT_FORCE, RELSIM_OUTPUT_RESUME };

/* Check before anything runs that the output can be written in this mode:
 * not a directory or a device, its directory exists and is writable, and
 * what is there is allowed by the mode. RELSIM_OK, or a status with err. */
enum relsim_status output_check(const char *path, enum relsim_output_mode mode, char *err, size_t errlen);

/* What an output holds. source: the scenario file verbatim (may be NULL);
 * resolved: every parameter actually used, as YAML text; snap[0..n_snap-1]:
 * the customer snapshot columns, /customers/<name> (their data is not read
 * here; their strings must outlive the output). No /customers group if
 * n_snap is 0 or p->snapshot_every is 0. */
struct relsim_output_spec {
  const char *path;
  enum relsim_output_mode mode;
  const struct relsim_params *p;
  const struct relsim_provenance *prov;
  const char *source, *resolved;
  const struct relsim_column *snap;
  int n_snap;
};

/* Create the output (mode NEW or FORCE). Returns RELSIM_OK, or a status
 * with a message in err that names the file and the object. */
enum relsim_status output_open(struct relsim_output **out, const struct relsim_output_spec *spec, char *err,
                               size_t errlen);

/* Continue the partial file a dead run left: a new partial file takes its
 * first `periods` periods and `snapshots` snapshots (which it must claim as
 * valid, and whose scenario must be spec->resolved), then replaces it.
 * periods must be a multiple of output_chunk_periods(); resumed_at (the
 * period the run continues from) is recorded in /volatile. */
enum relsim_status output_resume(struct relsim_output **out, const struct relsim_output_spec *spec, int periods,
                                 int snapshots, int resumed_at, char *err, size_t errlen);

/* Periods staged in memory at most, and written as one chunk. */
int output_chunk_periods(void);

/* Append one period (m->period must be the next period). */
int output_write_period(struct relsim_output *out, const struct relsim_metrics *m, char *err, size_t errlen);

/* Append one customer snapshot taken after period `period`: the data of each
 * column (the same columns, in the same order, as given to output_open),
 * p->customers values per customer column, times n_firms or n_attrs for the
 * others ([customer * k + firm], [customer * a + attribute]). */
int output_write_snapshot(struct relsim_output *out, int period, const struct relsim_column *snap, int n_snap,
                          char *err, size_t errlen);

/* Make the snapshots written so far valid on the disk (flush, fsync, then
 * snapshots_done) and give the periods and snapshots the file now claims:
 * the periods are the whole chunks written; the staged ones follow. */
int output_sync(struct relsim_output *out, int *periods, int *snapshots, char *err, size_t errlen);

/* Finish: write what is staged, set complete = 1, record the wall time,
 * close, fsync and rename to the final path (replacing an existing file
 * only in mode FORCE or RESUME). */
int output_close(struct relsim_output *out, double wall_seconds, char *err, size_t errlen);

/* Stop early (interrupted): write what is staged, keep complete = 0, close
 * and leave the partial file, valid up to the periods it claims. */
int output_keep(struct relsim_output *out, double wall_seconds, char *err, size_t errlen);

/* Give up after a failure: close; delete the partial file unless keep (it
 * then still holds what it claims, for --resume). */
void output_abort(struct relsim_output *out, int keep);

/* The partial file's name: "<path>.partial". */
const char *output_partial_path(const struct relsim_output *out);

/* 1 if the last failure of an output call (its message in err) was memory
 * running out, in HDF5 or in the writer: the run reports RELSIM_ERR_MEMORY
 * instead of a file that cannot be created or written. */
int output_out_of_memory(void);

/* Read back what `relsim inspect` prints. Fills hist (allocated, layout of
 * metrics_summary) and names (allocated) and returns 0, or -1 with err. */
struct relsim_file_info {
  char software[64], version[64], git_commit[64], compiler[128], schema_version[16];
  char created[64], scenario_name[RELSIM_NAME_MAX];
  uint64_t seed;
  int threads, ranks, complete, periods_planned, n_firms;
  int periods_done, snapshots_done; /* valid: all a complete file holds, what an incomplete one claims */
  int64_t customers;
  char **names;        /* [n_firms] UTF-8 */
  char **strategies;   /* [n_firms] */
  double *hist;        /* [periods_done][RELSIM_FM_COUNT][n_firms] */
};
int output_read_info(const char *path, struct relsim_file_info *info, char *err, size_t errlen);
void output_info_free(struct relsim_file_info *info);

/* Print what output_read_info read about the file at path as one JSON object
 * (`relsim inspect --json`): ASCII (UTF-8 as \u escapes), NaN as null, and per
 * firm its index, name, strategy and the summary of metrics_summary under the
 * names of struct relsim_summary_row (null if no period was done). */
void output_info_print_json(FILE *out, const char *path, const struct relsim_file_info *info);

/* Print the output reference (Markdown) generated from the field tables and
 * the snapshot columns snap[0..n_snap-1] (their data is not read). */
void output_print_reference(FILE *out, const struct relsim_column *snap, int n_snap);

#define RELSIM_SCHEMA_VERSION "2.0"

#endif
