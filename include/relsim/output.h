/*
 * relsim HDF5 output: one file per run (layout in docs/output.md).
 *
 * The file is written as "<path>.partial" and renamed to <path> by
 * output_close(); output_abort() removes the partial file. Every period is
 * flushed, so an interrupted run closes a valid file with complete = 0.
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

/* Create the output. source: the scenario file verbatim (may be NULL);
 * resolved: every parameter actually used, as YAML text; snap[0..n_snap-1]:
 * the customer snapshot columns, /customers/<name> (their data is not read
 * here; their strings must outlive the output). No /customers group if
 * n_snap is 0 or p->snapshot_every is 0. Returns 0 or -1 with a message in
 * err that names the file and the object. */
int output_open(struct relsim_output **out, const char *path, const struct relsim_params *p,
                const struct relsim_provenance *prov, const char *source, const char *resolved,
                const struct relsim_column *snap, int n_snap, char *err, size_t errlen);

/* Append one period (m->period must be the next period). */
int output_write_period(struct relsim_output *out, const struct relsim_metrics *m, char *err, size_t errlen);

/* Append one customer snapshot taken after period `period`: the data of each
 * column (the same columns, in the same order, as given to output_open),
 * p->customers values per customer column, times n_firms or n_attrs for the
 * others ([customer * k + firm], [customer * a + attribute]). */
int output_write_snapshot(struct relsim_output *out, int period, const struct relsim_column *snap, int n_snap,
                          char *err, size_t errlen);

/* Finish: set complete (1 = all periods written, 0 = interrupted), record
 * wall time, close and rename to the final path. */
int output_close(struct relsim_output *out, int complete, double wall_seconds, char *err, size_t errlen);

/* Give up: close and delete the partial file. */
void output_abort(struct relsim_output *out);

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
  int threads, ranks, complete, periods_planned, periods_done, n_firms;
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
