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

/* Customer snapshot: pointers into the simulation's arrays (n customers,
 * k firms, a attributes). Per-firm arrays are [customer * k + firm]. */
struct relsim_snapshot {
  int period;
  int64_t n;
  int k;
  int a;
  const double *spend;          /* money per occasion */
  const uint8_t *trend;         /* 0 stable, 1 rising, 2 fading */
  const float *need;
  const uint8_t *involvement;   /* 1 high */
  const float *price_sensitivity;
  const float *talk;
  const float *desire;          /* [customer * a + attr] */
  const int32_t *last_firm;     /* -1 none */
  const uint8_t *aware;         /* [customer * k + firm] */
  const float *trust;           /* [customer * k + firm] */
  const float *commitment;      /* [customer * k + firm] */
  const uint32_t *purchases;    /* [customer * k + firm] */
  const double *cum_spend;      /* [customer * k + firm] money paid to the firm */
  const float *satisfaction;    /* last satisfaction with the firm [customer * k + firm], NaN never */
};

/* Create the output. source: the scenario file verbatim (may be NULL);
 * resolved: every parameter actually used, as YAML text. Returns 0 or -1 with
 * a message in err that names the file and the object. */
int output_open(struct relsim_output **out, const char *path, const struct relsim_params *p,
                const struct relsim_provenance *prov, const char *source, const char *resolved,
                char *err, size_t errlen);

/* Append one period (m->period must be the next period). */
int output_write_period(struct relsim_output *out, const struct relsim_metrics *m, char *err, size_t errlen);

/* Append one customer snapshot. */
int output_write_snapshot(struct relsim_output *out, const struct relsim_snapshot *s, char *err, size_t errlen);

/* Finish: set complete (1 = all periods written, 0 = interrupted), record
 * wall time, close and rename to the final path. */
int output_close(struct relsim_output *out, int complete, double wall_seconds, char *err, size_t errlen);

/* Give up: close and delete the partial file. */
void output_abort(struct relsim_output *out);

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

/* Print the output reference (Markdown) generated from the field tables. */
#include <stdio.h>
void output_print_reference(FILE *out);

#define RELSIM_SCHEMA_VERSION "1.0"

#endif
