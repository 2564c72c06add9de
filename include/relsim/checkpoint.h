/*
 * Checkpoints (docs/output.md, "Checkpoint and resume"): the whole state of
 * a simulation between two periods, and what the run keeps beside it, in
 * one HDF5 file written atomically (a new file, fsync, rename over the old).
 * A run resumed from a checkpoint gives the same numbers, bit for bit, as a
 * run that never stopped. A checkpoint is read only by the build that wrote
 * it (same version, revision and compiler): it holds the state's structs as
 * they lie in memory.
 */
#ifndef RELSIM_CHECKPOINT_H
#define RELSIM_CHECKPOINT_H

#include <stddef.h>
#include "relsim/metrics.h"
#include "relsim/output.h"
#include "relsim/sim.h"
#include "relsim/status.h"

/* What the run keeps beside the simulation: the output's durable rows
 * (periods_written, a multiple of output_chunk_periods(), and snapshots),
 * the metrics of the periods staged after them ([n_staged], periods
 * periods_written..), and the firm-metric history ([period][FM][k]). */
struct relsim_run_state {
  int periods_written, snapshots;
  int n_staged;
  struct relsim_metrics *staged;
  double *hist;
};

/* Save s (after s->period periods) and rs to path. prov identifies the
 * build; resolved is the scenario. RELSIM_OK or a status with err. */
enum relsim_status checkpoint_save(const char *path, const struct relsim_sim *s, const struct relsim_run_state *rs,
                                   const struct relsim_provenance *prov, const char *resolved, char *err,
                                   size_t errlen);

/* Load path into s (just created from the same scenario) and rs (staged
 * and hist allocated by the caller: output_chunk_periods() metrics and the
 * whole run's history). Refuses a checkpoint of another build or scenario. */
enum relsim_status checkpoint_load(const char *path, struct relsim_sim *s, struct relsim_run_state *rs,
                                   const struct relsim_provenance *prov, const char *resolved, char *err,
                                   size_t errlen);

#endif
