/*
 * relsim runs: one scenario through the simulation into one output file.
 *
 *   run_scenario: sim_create -> (sim_step -> output_write_period
 *                 [-> output_write_snapshot]) x periods -> output_close,
 *                 keeping the metric history for the summary.
 *
 * The command line calls this layer, and so will everything that runs
 * scenarios (experiments, a server, MPI ranks): none of them reaches into
 * the simulation's phases.
 */
#ifndef RELSIM_RUN_H
#define RELSIM_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "relsim/metrics.h"
#include "relsim/output.h"
#include "relsim/params.h"
#include "relsim/scenario.h"
#include "relsim/sim.h"
#include "relsim/status.h"

/* What a caller hears during a run (any hook may be NULL). */
struct relsim_run_hooks {
  /* The simulation is built and the output open; threads actually used. */
  void (*started)(void *ctx, const struct relsim_params *p, int threads, const char *output);
  /* done of total periods are written, elapsed seconds since the first period. */
  void (*period_done)(void *ctx, int done, int total, double elapsed);
  /* Every period's metrics, as soon as the period is simulated (before it is written). */
  void (*metrics)(void *ctx, const struct relsim_metrics *m);
  void *ctx;
};

struct relsim_run_options {
  const char *output;                  /* the result file; NULL: no file (no snapshots, no checkpoints), the
                                          metrics reach the caller through hooks.metrics only */
  enum relsim_output_mode mode;        /* new, replace (--force) or resume (--resume) */
  int checkpoint_every;                /* write <output>.checkpoint after every so many periods (0: never) */
  int threads;                         /* OpenMP threads (0: OpenMP's default) */
  struct relsim_provenance prov;       /* software, version, git, compiler, scenario path and command line;
                                          threads (and ranks, if 0) are filled in by the run */
  const volatile sig_atomic_t *stop;   /* if set and nonzero: stop at the next block of customers (may be NULL) */
  struct relsim_run_hooks hooks;
  uint64_t max_memory;                 /* bytes the run may use: 0 = what this process may still use
                                          (run_memory_available), RELSIM_MEMORY_UNCHECKED = no check */
};

struct relsim_run_result {
  int periods_done;
  int threads;
  int stopped;                         /* 1 if *stop ended the run early: <output>.partial is kept, valid
                                          up to periods_done */
  int resumed_from;                    /* the period a resumed run continued from (0: not resumed) */
  int restarted;                       /* 1 if --resume found no checkpoint and started over */
  int checkpoint_period;               /* the period of the last checkpoint on the disk (0: none) */
  int kept_partial;                    /* 1 if <output>.partial is left (stopped, or failed with a checkpoint) */
  int memory_refused;                  /* 1 if the memory check refused the run (nothing was allocated) */
  double wall_seconds;                 /* from building the simulation to closing the file */
  double run_seconds;                  /* the periods alone */
  struct relsim_summary_row rows[RELSIM_MAX_FIRMS]; /* per-firm summary (when periods_done > 0) */
};

/* Run sc into o->output. First the output is checked, then the memory
 * (run_memory_check with o->max_memory): a scenario that cannot fit is
 * refused with RELSIM_ERR_MEMORY and result->memory_refused = 1 before
 * anything large is allocated or any file is created. Returns RELSIM_OK
 * (also when stopped by *stop, with result->stopped = 1 and <output>.partial
 * kept, valid up to the periods it claims), or a status with a message in
 * err. A run that fails never writes the output name; it keeps
 * <output>.partial only if a checkpoint lets --resume continue it. A run
 * that completes removes its checkpoint. */
enum relsim_status run_scenario(const struct relsim_scenario *sc, const struct relsim_run_options *o,
                                struct relsim_run_result *result, char *err, size_t errlen);

/* ---- memory (run_memory.c) ---- */

#define RELSIM_MEMORY_UNCHECKED UINT64_MAX

/* The memory a run needs, estimated from the scenario alone. */
struct relsim_memory_estimate {
  struct relsim_sim_bytes sim; /* customers, network, word of mouth, tallies, generators (sim.h) */
  size_t history;              /* the firm metrics of every period, kept for the summary */
  size_t output;               /* the HDF5 writer: chunk caches, snapshot buffers (approximate) */
  size_t program;              /* the program and its libraries, per-thread stacks (measured) */
  size_t total;                /* the sum: the peak resident size to expect */
};
/* Estimate the memory of running p with threads threads (0: OpenMP's default). */
void run_memory_estimate(const struct relsim_params *p, int threads, struct relsim_memory_estimate *e);
/* "1.23 GB (customers 0.90 GB, word of mouth 0.20 GB, other 30.1 MB)": the
 * total, then each part of at least 5%, largest first. */
void run_memory_describe(const struct relsim_memory_estimate *e, char *buf, size_t len);
/* The keys that drive the estimate, with their values, the largest part's
 * first: "market.customers (20000000), the number of firms (8), ...". */
void run_memory_keys(const struct relsim_params *p, const struct relsim_memory_estimate *e, char *buf, size_t len);
/* The bytes this process may still use: the smallest of MemAvailable
 * (/proc/meminfo), the room left under the memory limits of its cgroup and
 * their ancestors (v2 memory.max, v1 memory.limit_in_bytes, less the usage
 * without the inactive file cache) and under the address-space limit
 * (ulimit -v). Returns 0 with *bytes and the limiting source named in
 * source, or -1 if none is known. */
int run_memory_available(uint64_t *bytes, char *source, size_t len);
/* Refuse p if its estimate exceeds max_memory bytes (0: run_memory_available;
 * RELSIM_MEMORY_UNCHECKED: never). RELSIM_OK, or RELSIM_ERR_MEMORY with a
 * message giving the estimate, the memory available and the keys to lower. */
enum relsim_status run_memory_check(const struct relsim_params *p, int threads, uint64_t max_memory, char *err,
                                    size_t errlen);
/* bytes as text with 3 significant digits: "512 B", "20.3 MB", "11.9 GB" (powers of 1000). */
void run_memory_format(uint64_t bytes, char *buf, size_t len);
/* Parse a size: a positive number with an optional unit k/K, M, G, T (powers
 * of 1000, an optional B after them) or Ki, Mi, Gi, Ti (powers of 1024, an
 * optional B), e.g. 512M, 2G, 1.5GiB; "unlimited" gives
 * RELSIM_MEMORY_UNCHECKED. Returns 0, or -1 if s is not a size. */
int run_memory_parse(const char *s, uint64_t *bytes);

/* Print the reference of the output file's datasets (Markdown). */
void run_print_output_reference(FILE *out);

#endif
