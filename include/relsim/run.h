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
#include "relsim/metrics.h"
#include "relsim/output.h"
#include "relsim/params.h"
#include "relsim/scenario.h"
#include "relsim/status.h"

/* What a caller hears during a run (any hook may be NULL). */
struct relsim_run_hooks {
  /* The simulation is built and the output open; threads actually used. */
  void (*started)(void *ctx, const struct relsim_params *p, int threads, const char *output);
  /* done of total periods are written, elapsed seconds since the first period. */
  void (*period_done)(void *ctx, int done, int total, double elapsed);
  void *ctx;
};

struct relsim_run_options {
  const char *output;                  /* the result file */
  enum relsim_output_mode mode;        /* new, replace (--force) or resume (--resume) */
  int checkpoint_every;                /* write <output>.checkpoint after every so many periods (0: never) */
  int threads;                         /* OpenMP threads (0: OpenMP's default) */
  struct relsim_provenance prov;       /* software, version, git, compiler, scenario path and command line;
                                          threads and ranks are filled in by the run */
  const volatile sig_atomic_t *stop;   /* if set and nonzero: stop at the next block of customers (may be NULL) */
  struct relsim_run_hooks hooks;
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
  double wall_seconds;                 /* from building the simulation to closing the file */
  double run_seconds;                  /* the periods alone */
  struct relsim_summary_row rows[RELSIM_MAX_FIRMS]; /* per-firm summary (when periods_done > 0) */
};

/* Run sc into o->output (checked first, before anything is built). Returns
 * RELSIM_OK (also when stopped by *stop, with result->stopped = 1 and
 * <output>.partial kept, valid up to the periods it claims), or a status
 * with a message in err. A run that fails never writes the output name; it
 * keeps <output>.partial only if a checkpoint lets --resume continue it. A
 * run that completes removes its checkpoint. */
enum relsim_status run_scenario(const struct relsim_scenario *sc, const struct relsim_run_options *o,
                                struct relsim_run_result *result, char *err, size_t errlen);

/* Print the reference of the output file's datasets (Markdown). */
void run_print_output_reference(FILE *out);

#endif
