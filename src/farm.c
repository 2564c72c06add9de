/*
 * The task farm (farm.h): worker threads that make runs in memory
 * (run_scenario without an output file, each period's metrics kept through
 * hooks.metrics), and the coordinator that hands out runs, journals the
 * results as they come and writes the experiment file at the end.
 *
 * The coordinator keeps at most --jobs runs queued or in flight on this
 * process (and as many per other rank, farm_mpi.c), so memory is bounded
 * by the runs in flight, not by the number of runs.
 */
#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "farm_internal.h"
#include "output_file.h"
#include "relsim/run.h"
#include "relsim/util.h"

/* ---- the workers ------------------------------------------------------------ */

struct worker_run {
  const struct relsim_experiment *e;
  struct relsim_exp_result *r;
};

static void keep_metrics(void *ctx, const struct relsim_metrics *m) {
  struct worker_run *wr = ctx;
  experiment_result_store(wr->e, wr->r, m);
}

/* Make one run into d. */
static void make_run(struct farm_pool *pl, long run, struct farm_done *d) {
  const struct relsim_experiment *e = pl->e;
  d->r.run = run;
  struct relsim_scenario sc;
  char *msg = NULL;
  size_t len = 0;
  FILE *sink = open_memstream(&msg, &len);
  int problems = sink ? experiment_scenario(e, run, &sc, sink) : SCENARIO_OUT_OF_MEMORY;
  if (sink) fclose(sink);
  if (problems) {
    d->r.status = problems == SCENARIO_OUT_OF_MEMORY ? RELSIM_ERR_MEMORY : RELSIM_ERR_SCENARIO;
    snprintf(d->err, sizeof d->err, "%s", msg ? msg : "out of memory");
    free(msg);
    return;
  }
  free(msg);
  struct worker_run wr = {e, &d->r};
  struct relsim_run_options ro = {.output = NULL, .threads = pl->threads, .stop = &pl->abort_runs,
                                  .hooks = {.metrics = keep_metrics, .ctx = &wr}, .max_memory = RELSIM_MEMORY_UNCHECKED};
  struct relsim_run_result res;
  double t0 = util_seconds();
  enum relsim_status st = run_scenario(&sc, &ro, &res, d->err, sizeof d->err);
  d->r.wall_seconds = util_seconds() - t0;
  if (st == RELSIM_OK && res.stopped) st = RELSIM_ERR_INTERRUPTED;
  d->r.status = st;
  if (st == RELSIM_OK) experiment_result_finish(e, &d->r, res.rows);
  scenario_clean(&sc);
}

static void *worker_main(void *arg) {
  struct farm_pool *pl = arg;
  for (;;) {
    pthread_mutex_lock(&pl->mu);
    while (pl->t_count == 0 && !pl->closing) pthread_cond_wait(&pl->task_cv, &pl->mu);
    if (pl->t_count == 0) {
      pthread_mutex_unlock(&pl->mu);
      return NULL;
    }
    long run = pl->tasks[pl->t_head];
    pl->t_head = (pl->t_head + 1) % pl->t_cap;
    pl->t_count--;
    pl->busy++;
    pthread_mutex_unlock(&pl->mu);

    struct farm_done *d = calloc(1, sizeof *d);
    if (d && experiment_result_alloc(pl->e, &d->r) == 0) {
      make_run(pl, run, d);
    } else if (d) {
      d->r.run = run;
      d->r.status = RELSIM_ERR_MEMORY;
      snprintf(d->err, sizeof d->err, "out of memory for the results of run %ld", run);
    }
    pthread_mutex_lock(&pl->mu);
    pl->busy--;
    if (d) {
      *pl->done_tail = d;
      pl->done_tail = &d->next;
    }
    pthread_cond_broadcast(&pl->done_cv);
    pthread_mutex_unlock(&pl->mu);
  }
}

int farm_pool_start(struct farm_pool *pl, const struct relsim_experiment *e, int jobs, int threads) {
  memset(pl, 0, sizeof *pl);
  pl->e = e;
  pl->jobs = jobs;
  pl->threads = threads;
  pl->t_cap = jobs;
  pl->done_tail = &pl->done;
  pl->tasks = malloc((size_t)jobs * sizeof *pl->tasks);
  pl->tid = malloc((size_t)jobs * sizeof *pl->tid);
  if (!pl->tasks || !pl->tid) return -1;
  pthread_mutex_init(&pl->mu, NULL);
  pthread_cond_init(&pl->task_cv, NULL);
  pthread_cond_init(&pl->done_cv, NULL);
  for (; pl->started < jobs; pl->started++)
    if (pthread_create(&pl->tid[pl->started], NULL, worker_main, pl) != 0) return -1;
  return 0;
}

int farm_pool_room(struct farm_pool *pl) {
  pthread_mutex_lock(&pl->mu);
  int room = pl->jobs - pl->t_count - pl->busy;
  pthread_mutex_unlock(&pl->mu);
  return room;
}

void farm_pool_push(struct farm_pool *pl, long run) {
  pthread_mutex_lock(&pl->mu);
  pl->tasks[(pl->t_head + pl->t_count) % pl->t_cap] = run;
  pl->t_count++;
  pthread_cond_signal(&pl->task_cv);
  pthread_mutex_unlock(&pl->mu);
}

struct farm_done *farm_pool_take(struct farm_pool *pl, int wait_ms) {
  pthread_mutex_lock(&pl->mu);
  if (!pl->done && wait_ms > 0 && !pl->busy && !pl->t_count) { /* idle: wait for the other ranks */
    pthread_mutex_unlock(&pl->mu);
    struct timespec nap = {0, (long)wait_ms * 1000000L};
    nanosleep(&nap, NULL);
    pthread_mutex_lock(&pl->mu);
  } else if (!pl->done && wait_ms > 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)wait_ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_cond_timedwait(&pl->done_cv, &pl->mu, &ts);
  }
  struct farm_done *d = pl->done;
  pl->done = NULL;
  pl->done_tail = &pl->done;
  pthread_mutex_unlock(&pl->mu);
  return d;
}

void farm_pool_stop(struct farm_pool *pl, int abort) {
  if (pl->tid) {
    pthread_mutex_lock(&pl->mu);
    pl->closing = 1;
    if (abort) {
      pl->abort_runs = 1;
      pl->t_count = 0;
    }
    pthread_cond_broadcast(&pl->task_cv);
    pthread_mutex_unlock(&pl->mu);
    for (int i = 0; i < pl->started; i++) pthread_join(pl->tid[i], NULL);
    pthread_mutex_destroy(&pl->mu);
    pthread_cond_destroy(&pl->task_cv);
    pthread_cond_destroy(&pl->done_cv);
  }
  for (struct farm_done *d = pl->done, *next; d; d = next) {
    next = d->next;
    experiment_result_free(&d->r);
    free(d);
  }
  free(pl->tasks);
  free(pl->tid);
  memset(pl, 0, sizeof *pl);
}

/* ---- the coordinator ------------------------------------------------------------ */

void farm_coord_result(struct farm_coord *c, struct relsim_exp_result *r, const char *run_err) {
  if (r->status == RELSIM_ERR_INTERRUPTED) return; /* stopped: redone by --resume */
  c->outstanding--;
  if (c->st != RELSIM_OK) return;
  if ((c->st = ensemble_journal_append(c->journal, r, c->err, c->errlen)) != RELSIM_OK) return;
  c->done++;
  if (r->status != RELSIM_OK) {
    c->failed++;
    if (c->o->failed) c->o->failed(c->o->ctx, r->run, r->status, run_err);
  }
  if (c->o->progress) c->o->progress(c->o->ctx, c->done, c->total, util_seconds() - c->t0);
}

enum relsim_status farm_check_output(const char *output, enum relsim_output_mode mode, char *err, size_t errlen) {
  char journal[RELSIM_PATH_MAX + 16];
  snprintf(journal, sizeof journal, "%s.journal", output);
  int has_journal = access(journal, F_OK) == 0, exists = access(output, F_OK) == 0;
  if (mode == RELSIM_OUTPUT_RESUME && !has_journal && exists)
    return snprintf(err, errlen, "nothing to resume: %s is complete (%s does not exist)", output, journal),
           RELSIM_ERR_INPUT;
  /* the path itself, an output that exists, a partial file being written (output_file.c) */
  enum relsim_status st = output_check(output, mode == RELSIM_OUTPUT_NEW ? RELSIM_OUTPUT_NEW : RELSIM_OUTPUT_FORCE,
                                       err, errlen);
  if (st != RELSIM_OK) return st;
  if (has_journal && output_partial_state(journal) == OUTPUT_PARTIAL_LIVE)
    return snprintf(err, errlen, "another relsim experiment is writing %s (the file is locked)", journal),
           RELSIM_ERR_CREATE;
  if (has_journal && mode == RELSIM_OUTPUT_NEW)
    return snprintf(err, errlen, "%s is left by an experiment that did not finish; continue it with --resume, or "
                                 "give --force to start over", journal),
           RELSIM_ERR_CREATE;
  return RELSIM_OK;
}

static int journal_get(void *ctx, long run, struct relsim_exp_result *r, char *err, size_t errlen) {
  return ensemble_journal_get(ctx, run, r, err, errlen);
}

/* The memory of jobs runs at once, each as large as the largest design
 * point's (run_memory_estimate), against max_memory or what is available. */
static enum relsim_status check_memory(const struct relsim_experiment *e, int jobs, int threads, uint64_t max,
                                       char *err, size_t errlen) {
  if (max == RELSIM_MEMORY_UNCHECKED) return RELSIM_OK;
  uint64_t room = max;
  char source[1300] = "the limit set with --max-memory";
  if (room == 0 && run_memory_available(&room, source, sizeof source) != 0) return RELSIM_OK; /* nothing known */
  struct relsim_memory_estimate worst = {0}, me;
  long worst_point = 0;
  char *buf = NULL;
  size_t len = 0;
  FILE *quiet = open_memstream(&buf, &len);
  for (long p = 0; quiet && p < e->n_points; p++) {
    struct relsim_scenario sc;
    if (experiment_scenario(e, p * e->replications, &sc, quiet) == 0) {
      run_memory_estimate(&sc.params, threads, &me);
      if (me.total > worst.total) worst = me, worst_point = p;
    }
    scenario_clean(&sc);
  }
  if (quiet) fclose(quiet);
  free(buf);
  if ((uint64_t)worst.total * (uint64_t)jobs <= room) return RELSIM_OK;
  char one[512], all[32], have[32];
  run_memory_describe(&worst, one, sizeof one);
  run_memory_format((uint64_t)worst.total * (uint64_t)jobs, all, sizeof all);
  run_memory_format(room, have, sizeof have);
  snprintf(err, errlen, "the experiment needs about %s: %d job%s at once, each up to %s (design point %ld, the "
                        "largest), more than the %s of memory available (%s); lower --jobs, or set the limit with "
                        "--max-memory SIZE (--max-memory unlimited skips this check); nothing was run",
           all, jobs, jobs == 1 ? "" : "s", one, worst_point, have, source);
  return RELSIM_ERR_MEMORY;
}

/* Hand out runs and take results until every pending run is back (or stop, or an error). */
static void coordinate(struct farm_coord *c, struct farm_pool *pl) {
  const volatile sig_atomic_t *stop = c->o->stop;
  int remote = farm_mpi_ranks() > 1;
  while (c->st == RELSIM_OK && (c->next < c->n_pending || c->outstanding > 0)) {
    if (stop && *stop) break;
    while (c->next < c->n_pending && farm_pool_room(pl) > 0) {
      farm_pool_push(pl, c->pending[c->next++]);
      c->outstanding++;
    }
    for (struct farm_done *d = farm_pool_take(pl, remote ? 2 : 200), *next; d; d = next) {
      next = d->next;
      farm_coord_result(c, &d->r, d->err);
      experiment_result_free(&d->r);
      free(d);
    }
    if (remote && farm_mpi_serve(c, 0) < 0) break;
  }
}

enum relsim_status farm_run(const struct relsim_experiment *e, const struct farm_options *o, struct farm_result *res,
                            char *err, size_t errlen) {
  memset(res, 0, sizeof *res);
  double t0 = util_seconds();
  int ranks = farm_mpi_ranks(), rank = 0;
  farm_mpi_init(NULL, NULL, &rank);
  int cores = omp_get_num_procs();
  int jobs = o->jobs > 0 ? o->jobs : (ranks > 1 ? 1 : cores);
  int threads = o->threads > 0 ? o->threads : (cores / jobs > 0 ? cores / jobs : 1);
  if (ranks > 1 && o->threads <= 0) threads = 1;
  struct ensemble_slice slice = o->slice.first < 0 ? (struct ensemble_slice){0, e->n_runs - 1} : o->slice;
  res->ranks = ranks;
  res->coordinator = rank == 0;
  res->jobs = jobs;
  res->threads = threads;
  res->runs_total = slice.last - slice.first + 1;
  /* every rank checks what it can (rank 0 the output, each its memory); all start or none */
  enum relsim_status mst = rank == 0 ? farm_check_output(o->output, o->mode, err, errlen) : RELSIM_OK;
  if (mst == RELSIM_OK) mst = check_memory(e, jobs, threads, o->max_memory, err, errlen);
  enum relsim_status all = farm_mpi_agree(mst);
  if (all != RELSIM_OK && mst == RELSIM_OK)
    snprintf(err, errlen, "another rank cannot start the experiment (relsim status %d); nothing was run", (int)all);
  if (all != RELSIM_OK) return all;
  struct farm_pool pl;
  if (farm_pool_start(&pl, e, jobs, threads) != 0) {
    farm_pool_stop(&pl, 1);
    return snprintf(err, errlen, "cannot start %d worker threads", jobs), RELSIM_ERR_MEMORY;
  }
  if (rank > 0) { /* another rank: make runs for rank 0 */
    enum relsim_status st = farm_mpi_work(&pl, o->stop, err, errlen);
    farm_pool_stop(&pl, o->stop && *o->stop);
    res->stopped = o->stop && *o->stop;
    res->wall_seconds = util_seconds() - t0;
    return st;
  }
  unsigned char *done = malloc((size_t)e->n_runs);
  long *pending = malloc((size_t)res->runs_total * sizeof *pending);
  struct farm_coord c = {.e = e, .o = o, .pending = pending, .total = res->runs_total, .t0 = t0, .err = err,
                         .errlen = errlen, .ranks_open = ranks - 1};
  char build[256];
  snprintf(build, sizeof build, "%s %s %s", o->prov.version, o->prov.git_commit, o->prov.compiler);
  if (!done || !pending) {
    c.st = RELSIM_ERR_MEMORY;
    snprintf(err, errlen, "out of memory for a table of %ld runs", e->n_runs);
  } else {
    c.st = ensemble_journal_open(&c.journal, e, o->output, o->mode, slice, build, done, &c.done, err, errlen);
  }
  if (c.st == RELSIM_OK) {
    res->runs_resumed = c.done;
    for (long r = slice.first; r <= slice.last; r++)
      if (!done[r]) pending[c.n_pending++] = r;
    if (o->progress) o->progress(o->ctx, c.done, c.total, 0);
    coordinate(&c, &pl);
  }
  int stopped = o->stop && *o->stop;
  farm_pool_stop(&pl, stopped || c.st != RELSIM_OK);
  if (ranks > 1) farm_mpi_close(&c);
  res->runs_done = c.done;
  res->runs_failed = c.failed;
  res->stopped = stopped && c.done < c.total;
  if (c.st == RELSIM_OK && !res->stopped) {
    struct ensemble_source src = {journal_get, c.journal};
    struct ensemble_provenance prov = o->prov;
    prov.ranks = ranks, prov.jobs = jobs, prov.threads = threads;
    c.st = ensemble_write(e, &src, slice, o->output, o->mode != RELSIM_OUTPUT_NEW, &prov, err, errlen);
  }
  ensemble_journal_close(c.journal, c.st == RELSIM_OK && !res->stopped);
  free(done);
  free(pending);
  res->wall_seconds = util_seconds() - t0;
  return c.st;
}
