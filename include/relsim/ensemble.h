/*
 * relsim ensembles: the results of an experiment's runs, on the disk.
 *
 * While an experiment runs, each finished run is appended to OUT.journal
 * (ensemble_journal.c): a header naming the experiment and the build, then
 * one checksummed record per run. A run is in the journal once write()
 * returns, so a kill (SIGKILL included) loses only the runs in flight;
 * --resume reads the journal, drops a torn last record and runs the rest.
 * When every run is in, the experiment file is written from the journal
 * (ensemble_write.c: OUT.partial, then renamed to OUT) with the summaries
 * of every design point and, for a sobol design, the Sobol indices; then
 * the journal is removed. `relsim merge` writes the same file from the
 * slice files of --runs FIRST:LAST. docs/experiments.md is the reference.
 */
#ifndef RELSIM_ENSEMBLE_H
#define RELSIM_ENSEMBLE_H

#include <stddef.h>
#include <stdint.h>

#include "relsim/experiment.h"
#include "relsim/output.h"
#include "relsim/status.h"

/* A slice of runs: [first, last], inclusive. */
struct ensemble_slice {
  long first, last;
};

/* Who made the file: the build and the command (provenance attributes). */
struct ensemble_provenance {
  const char *version, *git_commit, *compiler, *command_line;
  int ranks, jobs, threads;
};

/* ---- the journal (ensemble_journal.c) ---- */

struct ensemble_journal;

/* Open output's journal: a new one (RELSIM_OUTPUT_NEW refuses an existing
 * output or journal, FORCE replaces a dead run's journal), or continue one
 * (RESUME: the same experiment, build and slice, else refused with
 * RELSIM_ERR_INPUT). done[run] (n_runs bytes, by the caller) is set to 1
 * for each run already in the journal; *n_done counts them. */
enum relsim_status ensemble_journal_open(struct ensemble_journal **j, const struct relsim_experiment *e,
                                         const char *output, enum relsim_output_mode mode,
                                         struct ensemble_slice slice, const char *build, unsigned char *done,
                                         long *n_done, char *err, size_t errlen);
/* Append one finished run. */
enum relsim_status ensemble_journal_append(struct ensemble_journal *j, const struct relsim_exp_result *r,
                                           char *err, size_t errlen);
/* Read run's record into r (allocated by experiment_result_alloc); 1 if the
 * journal has it, 0 if not, -1 with err on a read error. */
int ensemble_journal_get(struct ensemble_journal *j, long run, struct relsim_exp_result *r, char *err,
                         size_t errlen);
/* fsync; close; remove the journal file if remove. */
void ensemble_journal_close(struct ensemble_journal *j, int remove);
/* The journal's path ("OUT.journal"). */
const char *ensemble_journal_path(const struct ensemble_journal *j);

/* ---- the experiment file (ensemble_write.c) ---- */

/* Where the runs come from: get fills r (allocated) and returns 1, 0 if the
 * source lacks the run, -1 with err on an error. */
struct ensemble_source {
  int (*get)(void *ctx, long run, struct relsim_exp_result *r, char *err, size_t errlen);
  void *ctx;
};

/* Write the experiment file output (as output.partial, renamed when done;
 * an existing output is replaced only if replace): every run of slice that
 * src has; for a whole experiment (slice = all runs, all present) also the
 * summaries of every design point and the Sobol indices. */
enum relsim_status ensemble_write(const struct relsim_experiment *e, const struct ensemble_source *src,
                                  struct ensemble_slice slice, const char *output, int replace,
                                  const struct ensemble_provenance *prov, char *err, size_t errlen);

/* ---- reading an experiment file (ensemble_read.c) ---- */

/* Is path an experiment file (root attribute kind = "experiment")? */
int ensemble_is_experiment_file(const char *path);
/* Print what an experiment file holds: provenance, the design, and per
 * design point the measures (and, for one point, the per-firm summary) as
 * mean +- CI half-width with the paired differences between firms. */
enum relsim_status ensemble_inspect(const char *path, FILE *out, char *err, size_t errlen);
/* A run source reading runs from a slice file made by --runs (for merge). */
enum relsim_status ensemble_slice_open(struct ensemble_source *src, const struct relsim_experiment *e,
                                       const char *path, const char *build, struct ensemble_slice *slice, char *err,
                                       size_t errlen);
void ensemble_slice_close(struct ensemble_source *src);

/* A digest of the experiment and the build (what a journal or slice must match). */
uint64_t ensemble_digest(const struct relsim_experiment *e, const char *build);

#endif
