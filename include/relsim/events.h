/*
 * Scheduled events (docs/scenarios.md, "Events over time"): at the start of
 * a given period a firm enters or leaves the market, or some of its keys
 * (price, budget, quality, promise, strategy, ...) or a few market keys
 * change.
 *
 * The scenario loader (src/scenario_events.c) checks the `events:` list and
 * turns it into a schedule: events sorted by period (file order within a
 * period), each a list of changes that are plain bytes of one parameter
 * field, already checked against the key's range. A strategy is expanded
 * there into the preset's values, so this module knows no keys: it copies
 * bytes into the simulation's copy of the parameters, keeps the derived
 * promise in step, and changes the firm state of world.h.
 *
 * Contract (phase 0 of MODEL.md §11, before budgets): writes the
 * simulation's parameters (sim->p), the firm state's quality, promise,
 * absent and entered; an entry makes customers aware (relation.h) with
 * stream ENTRY (entity = customer, sub = firm). No tallies.
 */
#ifndef RELSIM_EVENTS_H
#define RELSIM_EVENTS_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "relsim/params.h"
#include "relsim/world.h"

/* The largest field an event can change: a per-attribute list of reals. */
#define RELSIM_EVENT_VALUE_MAX (RELSIM_MAX_ATTRS * sizeof(double))

/* What a change does beyond copying its bytes. */
enum relsim_event_flag {
  RELSIM_EVENT_QUALITY = 1,     /* quality: the firm's current quality (moved by learning) restarts from it */
  RELSIM_EVENT_PROMISE = 2,     /* promise given: the firm's promise is fixed (promise_set = 1) */
  RELSIM_EVENT_OVERPROMISE = 4, /* overpromise given: the promise is derived from quality again (promise_set = 0) */
  RELSIM_EVENT_FAILURE = 8      /* failure_rate: the firm's current failure rate (lowered by learning) restarts from it */
};

struct relsim_key; /* the scenario key (scenario.h); only the loader reads it */

/* One parameter change: the bytes of one field. */
struct relsim_event_change {
  int firm;                     /* 0-based firm index, or -1 for a key of struct relsim_params */
  int flags;                    /* enum relsim_event_flag */
  int implied;                  /* 1: loaded by the event's strategy preset, not written in the file */
  size_t offset, size;          /* the field in struct relsim_firm_params (firm >= 0) or relsim_params */
  unsigned char value[RELSIM_EVENT_VALUE_MAX];
  const struct relsim_key *key; /* the key it came from, for the resolved YAML */
};

/* One event: at the start of period, its changes in order, then the entry or exit. */
struct relsim_event {
  int period;
  int firm;      /* the firm named by `firm:` (enter, leave, strategy, bare keys), or -1 */
  int enter;     /* 1: the firm enters the market */
  int leave;     /* 1: the firm leaves it */
  int strategy;  /* enum relsim_strategy loaded over the firm's values, or -1 */
  int first, n;  /* its changes: changes[first .. first + n) */
};

/* A scenario's events. Zero-initialised: no events. */
struct relsim_schedule {
  int n_events, n_changes;
  struct relsim_event *events;        /* by period; file order within a period */
  struct relsim_event_change *changes;
};

/* Release what s holds (it is then empty). */
void events_free(struct relsim_schedule *s);
/* dst = a deep copy of src (src NULL: empty). 0, or -1 if memory ran out (dst empty). */
int events_copy(struct relsim_schedule *dst, const struct relsim_schedule *src);

/* Is firm f out of the market at the start of the run: is its first entry
 * or exit an entry? */
int events_absent_at_start(const struct relsim_schedule *s, int f);

/* Apply event e's changes to p and derive the promise of every firm whose
 * promise is not given (params_finalize). A pure function of (p, e): the
 * loader, the simulation and a resumed run compute the same parameters. */
void events_apply_params(struct relsim_params *p, const struct relsim_schedule *s, int e);

/* Apply to p every event before period (a run resumed at that period);
 * returns the index of the first event not applied. */
int events_replay(struct relsim_params *p, const struct relsim_schedule *s, int period);

/* Apply event e at the start of period t: its parameters (events_apply_params),
 * then the firm state of each firm it changed (quality when given; the
 * promise), then its entry (absent = 0, entered = t, each customer made
 * aware with probability initial_awareness) or exit (absent = 1). g holds
 * threads generators; customers are drawn in parallel, each from its own
 * stream position. */
void events_apply(struct relsim_params *p, struct relsim_world *w, const struct relsim_schedule *s, int e, int t,
                  gsl_rng **g, int threads);

#endif
