/*
 * relsim farm: an experiment's runs spread over local workers and MPI ranks.
 *
 * A dynamic task farm: the coordinator (rank 0's main thread) hands out run
 * numbers as workers free up and appends each finished run to the journal
 * (ensemble.h); when every run is in, it writes the experiment file. Each
 * rank has --jobs worker threads, each running one run at a time with
 * --threads OpenMP threads; another rank's main thread asks rank 0 for runs
 * and sends their results back. A run's seed depends only on (experiment
 * seed, point, replication) and its results go to their own rows, so the
 * file's data are the same whatever the jobs, threads and ranks.
 */
#ifndef RELSIM_FARM_H
#define RELSIM_FARM_H

#include <signal.h>
#include <stdint.h>

#include "relsim/ensemble.h"
#include "relsim/experiment.h"
#include "relsim/output.h"
#include "relsim/status.h"

struct farm_options {
  const char *output;                /* the experiment file */
  enum relsim_output_mode mode;      /* new, replace (--force) or resume (--resume) */
  struct ensemble_slice slice;       /* the runs to make (--runs FIRST:LAST); first < 0: all */
  int jobs;                          /* worker threads on this rank (0: one per core) */
  int threads;                       /* OpenMP threads per run (0: cores / jobs) */
  uint64_t max_memory;               /* as relsim_run_options.max_memory, for all the jobs together */
  const volatile sig_atomic_t *stop; /* nonzero: stop handing out runs, stop the runs in flight */
  struct ensemble_provenance prov;
  /* Progress on the coordinator: done of total runs (those already in a resumed journal included). */
  void (*progress)(void *ctx, long done, long total, double elapsed);
  /* A run failed (its error), on the coordinator. */
  void (*failed)(void *ctx, long run, int status, const char *err);
  void *ctx;
};

struct farm_result {
  long runs_total;     /* in the slice */
  long runs_done;      /* in the journal at the end */
  long runs_resumed;   /* already in the journal when resumed */
  long runs_failed;    /* done, with an error */
  int stopped;         /* *stop ended it: the journal keeps the runs done */
  int ranks, jobs, threads;
  int coordinator;     /* this process wrote the file (rank 0) */
  double wall_seconds;
};

/* Run e's runs into o->output. Under mpiexec (farm_mpi_init said so) every
 * rank calls it; only rank 0 writes. */
enum relsim_status farm_run(const struct relsim_experiment *e, const struct farm_options *o, struct farm_result *res,
                            char *err, size_t errlen);

/* Check the output before anything runs: an existing output without
 * --force (RELSIM_ERR_CREATE), a journal being written by a live
 * experiment, a journal left without --resume or --force, --resume of a
 * complete output (RELSIM_ERR_INPUT). */
enum relsim_status farm_check_output(const char *output, enum relsim_output_mode mode, char *err, size_t errlen);

/* ---- MPI (farm_mpi.c; without MPI at build time: one rank) ---- */

/* If launched by mpiexec/srun with more than one rank... initialise MPI
 * (MPI_THREAD_FUNNELED). Returns the number of ranks (1 without MPI) and
 * sets *rank. */
int farm_mpi_init(int *argc, char ***argv, int *rank);
void farm_mpi_finalize(void);
/* Was relsim built with MPI? */
int farm_mpi_available(void);

#endif
