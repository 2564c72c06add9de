/*
 * relsim simulation: the world and its period step (MODEL.md §2, §11).
 *
 *   sim_create -> sim_step ... sim_step -> sim_free
 *
 * Each sim_step runs one period in the order of §11 (scheduled events
 * first) and leaves that period's metrics in sim->m. The state is public so
 * that tests can check invariants (per-customer records against the
 * aggregates); only the phases write it.
 *
 * Reproducibility: every random draw comes from a stream keyed by (seed,
 * stream, customer or firm, period), sums of reals are reduced over fixed
 * blocks of customers in block order (tally.h), and word-of-mouth messages
 * are ordered by (hearer, story), so the results do not depend on the
 * thread count.
 */
#ifndef RELSIM_SIM_H
#define RELSIM_SIM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/events.h"
#include "relsim/metrics.h"
#include "relsim/network.h"
#include "relsim/params.h"
#include "relsim/status.h"
#include "relsim/tally.h"
#include "relsim/world.h"

struct relsim_wom; /* word-of-mouth buffers (src/wom.h) */

struct relsim_sim {
  struct relsim_params p;       /* copy of the parameters: changed only by scheduled events */
  struct relsim_schedule events; /* copy of the scheduled events (events.h) */
  int next_event;               /* the first event not applied yet */
  int period;                   /* the next period to run */
  int threads;                  /* OpenMP threads */
  struct relsim_world w;        /* customers, relations, firms */
  struct relsim_tally tl;       /* this period's sums and counts */
  struct relsim_network *net;   /* who can tell whom */
  struct relsim_wom *wom;       /* word-of-mouth buffers */
  gsl_rng **rng;                /* one positionable generator per thread */
  struct relsim_metrics m;      /* metrics of the last period run */
  const volatile sig_atomic_t *stop; /* if set and nonzero, sim_step stops at the next block */
};

/* Create a world from p (copied) with the given thread count (0 = OpenMP
 * default). Returns RELSIM_OK with *out set, or a status with a message in
 * err (out of memory, or a network that cannot be built). */
enum relsim_status sim_create(struct relsim_sim **out, const struct relsim_params *p, int threads, char *err,
                              size_t errlen);
/* sim_create with scheduled events (copied; NULL: none). A firm whose first
 * entry or exit is an entry starts out of the market. */
enum relsim_status sim_create_scheduled(struct relsim_sim **out, const struct relsim_params *p,
                                        const struct relsim_schedule *events, int threads, char *err, size_t errlen);
void sim_free(struct relsim_sim *s);

/* After the state of a run's period s->period was loaded (a checkpoint):
 * bring s->p to that period by applying the parameter changes of every
 * event before it (the firm state already holds their effects). */
void sim_resume_events(struct relsim_sim *s);

/* Run period s->period and advance: first the events due at that period
 * (in file order), then the phases of MODEL.md §11. Returns RELSIM_OK, or a
 * status with err set; RELSIM_ERR_INTERRUPTED if *s->stop was set during the
 * period, which is then left half done (the state is no longer a period's
 * end). */
enum relsim_status sim_step(struct relsim_sim *s, char *err, size_t errlen);

/* Bytes held by the world (state, tallies, network, buffers). */
size_t sim_bytes(const struct relsim_sim *s);

/* What sim_create and the periods will allocate, estimated from p alone
 * before anything is allocated (the memory check of a run). */
struct relsim_sim_bytes {
  size_t customers;  /* the customer and relation columns (world.h), exact */
  size_t network;    /* round keys, or stored contacts with the work space of building them */
  size_t wom;        /* word-of-mouth buffers at their steady state (an upper estimate: wom.h) */
  size_t tallies;    /* block sums, per-thread counts and histograms, exact */
  size_t other;      /* the simulation itself and one generator per thread */
};
void sim_bytes_estimate(const struct relsim_params *p, int threads, struct relsim_sim_bytes *out);

#endif
