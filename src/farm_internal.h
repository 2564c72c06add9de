/*
 * The farm's pieces shared by farm.c (the local workers, the coordinator)
 * and farm_mpi.c (the other ranks); not part of the library's interface.
 */
#ifndef RELSIM_FARM_INTERNAL_H
#define RELSIM_FARM_INTERNAL_H

#include <pthread.h>

#include "relsim/farm.h"

/* A finished run waiting for the coordinator (or for this rank's main thread). */
struct farm_done {
  struct relsim_exp_result r;
  char err[512];
  struct farm_done *next;
};

/* This process's worker threads and their queues. */
struct farm_pool {
  const struct relsim_experiment *e;
  int jobs, threads;
  pthread_t *tid;
  int started;
  pthread_mutex_t mu;
  pthread_cond_t task_cv, done_cv;
  long *tasks;                 /* a ring of run numbers to make */
  int t_head, t_count, t_cap;
  int closing;                 /* no more tasks will come */
  int busy;                    /* runs being made */
  struct farm_done *done, **done_tail;
  volatile sig_atomic_t abort_runs; /* the runs in flight stop at their next block of customers */
};

int farm_pool_start(struct farm_pool *pl, const struct relsim_experiment *e, int jobs, int threads);
/* Room for more tasks: jobs minus tasks queued or being made. */
int farm_pool_room(struct farm_pool *pl);
void farm_pool_push(struct farm_pool *pl, long run);
/* Take the finished runs (a list), waiting up to wait_ms for one if none is ready. */
struct farm_done *farm_pool_take(struct farm_pool *pl, int wait_ms);
/* Stop: no more tasks; abort the runs in flight if abort; join the workers; free what is left. */
void farm_pool_stop(struct farm_pool *pl, int abort);

/* The other ranks (farm_mpi.c). On rank 0, between local results: answer
 * the ranks asking for runs (from next_run over pending), take the results
 * they send; each result goes to on_result. Returns the number of results
 * taken, or -1 on an error (err). */
struct farm_coord;
int farm_mpi_serve(struct farm_coord *c, int wait_ms);
/* On rank > 0: make runs for rank 0 until it has none left (or stop). */
enum relsim_status farm_mpi_work(struct farm_pool *pl, const volatile sig_atomic_t *stop, char *err, size_t errlen);
/* On rank 0 at the end: tell every other rank there is nothing more. */
void farm_mpi_close(struct farm_coord *c);
int farm_mpi_ranks(void);
/* The worst of every rank's status (the largest); st itself with one rank. */
enum relsim_status farm_mpi_agree(enum relsim_status st);

/* The coordinator's state, for farm_mpi.c. */
struct farm_coord {
  const struct relsim_experiment *e;
  const struct farm_options *o;
  struct ensemble_journal *journal;
  long *pending;               /* the runs still to hand out */
  long n_pending, next;
  long outstanding;            /* handed out, not back */
  long done, total, failed;
  int ranks_open;              /* other ranks still asking */
  double t0;
  enum relsim_status st;
  char *err;
  size_t errlen;
};
/* A finished run on the coordinator: into the journal, counted, reported. */
void farm_coord_result(struct farm_coord *c, struct relsim_exp_result *r, const char *run_err);

#endif
