/*
 * The farm across MPI ranks (farm.h), built when CMake finds MPI
 * (RELSIM_MPI). Rank 0's main thread is the coordinator; every other rank's
 * main thread asks it for runs, as many as its workers have room for, and
 * sends back each finished run as one message:
 *
 *   ASK    rank -> 0   int n: room for n runs (0: this rank is leaving)
 *   TASKS  0 -> rank   long[m]: the runs to make (m = 0: none left)
 *   RESULT rank -> 0   head {run, status, wall seconds, error length},
 *                      the run's doubles, its error text
 *
 * Only the main threads call MPI (MPI_THREAD_FUNNELED). MPI is initialised
 * only when relsim was launched by mpiexec or srun, so that a plain
 * `relsim run` never pays for it. Ranks exchange raw doubles: every rank
 * runs the same build on machines of the same byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "farm_internal.h"

#ifdef RELSIM_MPI
#include <mpi.h>

enum { TAG_ASK = 11, TAG_TASKS = 12, TAG_RESULT = 13 };

struct result_head {
  long run;
  int status;
  int err_len;
  double wall;
};

static int n_ranks = 1, my_rank = 0, initialised = 0;

static int launched_by_mpi(void) {
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK") || getenv("SLURM_STEP_NUM_TASKS");
}

int farm_mpi_available(void) { return 1; }

int farm_mpi_init(int *argc, char ***argv, int *rank) {
  if (!initialised && launched_by_mpi()) {
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS) {
      MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
      MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
      initialised = 1;
    }
  }
  if (rank) *rank = my_rank;
  return n_ranks;
}

void farm_mpi_finalize(void) {
  if (initialised) MPI_Finalize();
  initialised = 0;
}

int farm_mpi_ranks(void) { return n_ranks; }

enum relsim_status farm_mpi_agree(enum relsim_status st) {
  if (n_ranks < 2) return st;
  int mine = (int)st, worst = mine;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return (enum relsim_status)worst;
}

/* Send the runs asked for (none once stopped or all handed out). */
static void answer_ask(struct farm_coord *c, int source, int n) {
  int stopping = (c->o->stop && *c->o->stop) || c->st != RELSIM_OK;
  long runs[256];
  int m = 0;
  while (!stopping && m < n && m < 256 && c->next < c->n_pending) runs[m++] = c->pending[c->next++];
  c->outstanding += m;
  MPI_Send(runs, m, MPI_LONG, source, TAG_TASKS, MPI_COMM_WORLD);
}

static void take_result(struct farm_coord *c, MPI_Status *ms) {
  int bytes = 0;
  MPI_Get_count(ms, MPI_BYTE, &bytes);
  char *buf = malloc(bytes > 0 ? (size_t)bytes : 1);
  if (!buf) {
    MPI_Recv(NULL, 0, MPI_BYTE, ms->MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    c->st = RELSIM_ERR_MEMORY;
    snprintf(c->err, c->errlen, "out of memory for a result from rank %d", ms->MPI_SOURCE);
    return;
  }
  MPI_Recv(buf, bytes, MPI_BYTE, ms->MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  struct result_head h;
  memcpy(&h, buf, sizeof h);
  struct relsim_exp_result r;
  size_t n = experiment_result_doubles(c->e);
  if ((size_t)bytes != sizeof h + n * sizeof(double) + (size_t)h.err_len) {
    c->st = RELSIM_ERR_INPUT;
    snprintf(c->err, c->errlen, "rank %d sent a result of %d bytes for run %ld, not %zu: do all ranks run the "
                                "same relsim and experiment?", ms->MPI_SOURCE, bytes, h.run,
             sizeof h + n * sizeof(double) + (size_t)h.err_len);
  } else if (experiment_result_alloc(c->e, &r) != 0) {
    c->st = RELSIM_ERR_MEMORY;
    snprintf(c->err, c->errlen, "out of memory for the result of run %ld", h.run);
  } else {
    r.run = h.run;
    r.status = h.status;
    r.wall_seconds = h.wall;
    memcpy(r.data, buf + sizeof h, n * sizeof(double));
    char run_err[512];
    snprintf(run_err, sizeof run_err, "%.*s", h.err_len, buf + sizeof h + n * sizeof(double));
    farm_coord_result(c, &r, run_err);
    experiment_result_free(&r);
  }
  free(buf);
}

int farm_mpi_serve(struct farm_coord *c, int wait_ms) {
  int taken = 0;
  for (;;) {
    int flag = 0;
    MPI_Status ms;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &ms);
    if (!flag) return taken;
    if (ms.MPI_TAG == TAG_ASK) {
      int n = 0;
      MPI_Recv(&n, 1, MPI_INT, ms.MPI_SOURCE, TAG_ASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (n == 0)
        c->ranks_open--;
      else
        answer_ask(c, ms.MPI_SOURCE, n);
    } else if (ms.MPI_TAG == TAG_RESULT) {
      take_result(c, &ms);
      taken++;
    } else {
      MPI_Recv(NULL, 0, MPI_BYTE, ms.MPI_SOURCE, ms.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  }
}

void farm_mpi_close(struct farm_coord *c) {
  while (c->ranks_open > 0) {
    MPI_Status ms;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ms);
    farm_mpi_serve(c, 0);
  }
}

static int send_result(const struct farm_pool *pl, const struct farm_done *d) {
  size_t n = experiment_result_doubles(pl->e), el = strlen(d->err);
  struct result_head h = {d->r.run, d->r.status, (int)el, d->r.wall_seconds};
  size_t bytes = sizeof h + n * sizeof(double) + el;
  char *buf = malloc(bytes);
  if (!buf) return -1;
  memcpy(buf, &h, sizeof h);
  memcpy(buf + sizeof h, d->r.data, n * sizeof(double));
  memcpy(buf + sizeof h + n * sizeof(double), d->err, el);
  MPI_Send(buf, (int)bytes, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
  free(buf);
  return 0;
}

enum relsim_status farm_mpi_work(struct farm_pool *pl, const volatile sig_atomic_t *stop, char *err, size_t errlen) {
  int asked = 0, finished = 0;
  long mine = 0; /* runs received and not yet sent back */
  enum relsim_status st = RELSIM_OK;
  for (;;) {
    int stopping = stop && *stop;
    if (!finished && !asked && !stopping) {
      int room = farm_pool_room(pl);
      if (room > 0) {
        MPI_Send(&room, 1, MPI_INT, 0, TAG_ASK, MPI_COMM_WORLD);
        asked = 1;
      }
    }
    if (asked) {
      int flag = 0;
      MPI_Status ms;
      MPI_Iprobe(0, TAG_TASKS, MPI_COMM_WORLD, &flag, &ms);
      if (flag || stopping) {
        int m = 0;
        long runs[256];
        MPI_Recv(runs, 256, MPI_LONG, 0, TAG_TASKS, MPI_COMM_WORLD, &ms);
        MPI_Get_count(&ms, MPI_LONG, &m);
        asked = 0;
        if (m == 0) finished = 1;
        for (int i = 0; i < m && !stopping; i++, mine++) farm_pool_push(pl, runs[i]);
      }
    }
    if (stopping) break;
    for (struct farm_done *d = farm_pool_take(pl, 2), *next; d; d = next) {
      next = d->next;
      if (d->r.status != RELSIM_ERR_INTERRUPTED && send_result(pl, d) != 0 && st == RELSIM_OK) {
        st = RELSIM_ERR_MEMORY;
        snprintf(err, errlen, "out of memory sending run %ld", d->r.run);
      }
      mine--;
      experiment_result_free(&d->r);
      free(d);
    }
    if (finished && mine <= 0) break;
  }
  int bye = 0;
  MPI_Send(&bye, 1, MPI_INT, 0, TAG_ASK, MPI_COMM_WORLD);
  return st;
}

#else /* without MPI: one rank */

int farm_mpi_available(void) { return 0; }
int farm_mpi_init(int *argc, char ***argv, int *rank) {
  if (rank) *rank = 0;
  return 1;
}
void farm_mpi_finalize(void) {}
int farm_mpi_ranks(void) { return 1; }
enum relsim_status farm_mpi_agree(enum relsim_status st) { return st; }
int farm_mpi_serve(struct farm_coord *c, int wait_ms) { return 0; }
void farm_mpi_close(struct farm_coord *c) {}
enum relsim_status farm_mpi_work(struct farm_pool *pl, const volatile sig_atomic_t *stop, char *err, size_t errlen) {
  return RELSIM_OK;
}

#endif
