/*
 * The experiment file's writer, shared by its two files: the layout
 * (ensemble_layout.c: groups, scales, the design, provenance) and the
 * writing of runs, point summaries and Sobol indices (ensemble_write.c).
 */
#ifndef RELSIM_ENSEMBLE_WRITER_H
#define RELSIM_ENSEMBLE_WRITER_H

#include <hdf5.h>

#include "ensemble_internal.h"
#include "h5io.h"
#include "output_file.h"

#define DEFLATE 1
#define N_STATS 5

/* A group of per-run values: the metric groups, the summary rows, the measures. */
enum { G_FIRM, G_TIER, G_MARKET, G_RSUM, G_MEAS, G_COUNT };

struct writer {
  struct h5io_ctx c;
  const struct relsim_experiment *e;
  struct ensemble_slice slice;
  int whole;                     /* every run of the experiment: summaries and indices too */
  hid_t file, str;
  struct output_file lock;
  char path[RELSIM_PATH_MAX], partial[RELSIM_PATH_MAX + 16];
  int k, P;
  hid_t ds[G_COUNT][RELSIM_FM_COUNT > RELSIM_EXP_MEASURES_MAX ? RELSIM_FM_COUNT : RELSIM_EXP_MEASURES_MAX];
  hid_t sds[G_COUNT][RELSIM_FM_COUNT > RELSIM_EXP_MEASURES_MAX ? RELSIM_FM_COUNT : RELSIM_EXP_MEASURES_MAX];
  hid_t run_status, run_wall;
  double *gather;                /* one dataset's row of a point's summary */
  int batch;                     /* runs written together (and the chunk's first dimension) */
  long b_first;                  /* the first run staged */
  int b_count;                   /* runs staged */
  double *b_data;                /* [batch][n_data]: the staged runs' results */
  int *b_status;
  double *b_wall, *b_rows;       /* [batch]; [batch][row]: one dataset's rows */
  struct stats_acc *acc;         /* [n_data]: the current point's running sums */
  double *point_mean;            /* [point][measure]: for the Sobol indices */
  long runs_done;
};

/* The datasets of group g; a scale (a 1-D dimension scale named by path's last part) made from data. */
int ensemble_group_count(const struct writer *w, int g);
hid_t ensemble_scale(struct writer *w, hid_t g, const char *path, hid_t ftype, hid_t mtype, hsize_t n,
                     const void *data, const char *long_name);
/* Create the file's layout: provenance, texts, firms, the design and run table, every group of per-run
 * values (and, for a whole experiment, of their summaries). 0, or -1 with w->c's error. */
int ensemble_create_layout(struct writer *w, const struct ensemble_provenance *prov);

#endif
