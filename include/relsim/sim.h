/*
 * relsim simulation: the world and its period step (MODEL.md §2, §11).
 *
 *   sim_create -> sim_step ... sim_step -> sim_free
 *
 * Each sim_step runs one period in the order of §11 and leaves that period's
 * metrics in sim->m. Customer state is structure-of-arrays; per-customer,
 * per-firm state is indexed [customer * n_firms + firm]. The state is public
 * so that tests can check invariants (per-customer records against the
 * aggregates); only the simulation modules write it.
 *
 * Reproducibility: every random draw comes from a stream keyed by (seed,
 * stream, customer or firm, period), sums of reals are reduced over fixed
 * blocks of customers in block order, and word-of-mouth messages are ordered
 * by (hearer, story), so the results do not depend on the thread count.
 */
#ifndef RELSIM_SIM_H
#define RELSIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/metrics.h"
#include "relsim/network.h"
#include "relsim/params.h"

#define RELSIM_BLOCK 4096     /* customers per reduction block */
#define RELSIM_HIST_BINS 1024 /* log-spaced bins of trailing revenue for tier thresholds */

enum relsim_trend { RELSIM_TREND_STABLE = 0, RELSIM_TREND_RISING, RELSIM_TREND_FADING };

/* Customer attributes (§3), one entry per customer slot. */
struct relsim_customers {
  double *spend;          /* money per purchase occasion */
  uint8_t *trend;         /* enum relsim_trend */
  float *need;            /* probability of a purchase occasion per period */
  uint8_t *involvement;   /* 1 high, 0 low */
  float *beta;            /* price sensitivity */
  float *talk;            /* word-of-mouth propensity multiplier */
  float *desire;          /* [customer * n_attrs + attr], in [0, 1] */
  int32_t *last_firm;     /* firm of the last purchase, -1 none */
  uint32_t *generation;   /* times this slot was refilled by a newcomer */
  /* scratch of the current period */
  int16_t *bought;        /* firm bought from this period, -1 none */
  int16_t *prev_last_firm;/* last_firm at the start of the period */
  int32_t *prev_last;     /* last purchase period (before this period) of the firm bought from */
  float *paid_list;       /* list revenue of this period's purchase (money) */
  uint64_t *heard_chain;  /* the last story chain this customer told or heard (relays once per chain) */
};

/* Customer-firm relations (§3 "per customer, per firm"), [customer * n_firms + firm]. */
struct relsim_relations {
  uint8_t *aware;          /* 1 if aware of the firm */
  uint8_t *tier;           /* value tier at the start of the period */
  int32_t *blocked_until;  /* refuses to deal with the firm while period < blocked_until */
  float *expect;           /* [(customer * n_firms + firm) * n_attrs + attr] expectations */
  float *trust;            /* tau in [0, 1] */
  float *commit;           /* kappa in [0, 1] */
  int32_t *first_purchase; /* period of the first purchase, -1 never */
  int32_t *last_purchase;  /* period of the last purchase, -1 never */
  int32_t *last_contact;   /* period of the last proactive contact, -1 never */
  uint32_t *purchases;     /* purchases from the firm */
  int32_t *lock_left;      /* lock-in periods left */
  uint8_t *departed;       /* 1 after switching away, until the next purchase from the firm */
  float *value;            /* trailing revenue (exponentially weighted, window = recency), money */
  double *cum_spend;       /* money paid to the firm since the customer arrived */
  float *last_sat;         /* satisfaction of the last purchase, NaN never */
  uint64_t *active_hist;   /* bit j: active at the end of period t - j (cohort metrics) */
};

/* Firm state that changes during a run (§4, §5, §10). */
struct relsim_firm_state {
  double quality[RELSIM_MAX_ATTRS]; /* current quality (learning moves it) */
  double promise[RELSIM_MAX_ATTRS]; /* current promise */
  double promise_mean;              /* mean over attributes */
  double budget, acq_budget, ret_budget; /* money this period */
  int level[RELSIM_TIER_COUNT];     /* effective level per tier after budget fallback */
  double threshold[2];              /* trailing-revenue thresholds of tiers A and B */
  int64_t tier_count[RELSIM_TIER_COUNT]; /* active customers per tier at the period start */
  double last_revenue;
  double cumulative_profit;
  double pending_lost;              /* active customers who left the market last period */
  double last_new_disc, last_loy_disc; /* discounts given last period (reserved from the budgets) */
  double pending_lost_tier[RELSIM_TIER_COUNT];
  /* the last RELSIM_COHORT_RING periods, slot t % RELSIM_COHORT_RING (cohort metrics) */
  double ring_active[RELSIM_COHORT_RING], ring_acq[RELSIM_COHORT_RING], ring_ret[RELSIM_COHORT_RING];
};

struct relsim_story;   /* word-of-mouth story (wom.c) */
struct relsim_message; /* word-of-mouth message (wom.c) */

struct relsim_storybuf {
  struct relsim_story *data;
  size_t n, cap;
};

struct relsim_sim {
  struct relsim_params p;       /* copy of the parameters (read-only) */
  int64_t n;                    /* customers */
  int k;                        /* firms */
  int a;                        /* attributes */
  int period;                   /* the next period to run */
  int threads;                  /* OpenMP threads */
  size_t state_bytes;           /* bytes of the customer and relation arrays */

  struct relsim_customers c;
  struct relsim_relations r;
  struct relsim_firm_state firm[RELSIM_MAX_FIRMS];
  struct relsim_network *net;

  gsl_rng **rng;                /* one positionable generator per thread */

  /* reduction blocks: acc[block][slot] */
  int64_t n_blocks;
  int n_slots;
  double *acc;
  struct relsim_storybuf *block_stories; /* stories told in phase 4, per block */

  /* word of mouth (wom.c) */
  struct relsim_storybuf stories;        /* this period's stories (relays first) */
  struct relsim_storybuf relays;         /* stories to be relayed next period */
  struct relsim_storybuf injected;       /* this period's injected stories (inject.*) */
  struct relsim_message *msgs, *sorted;  /* messages of this period */
  size_t n_msgs, cap_msgs;
  int64_t *msg_offsets;                  /* per story: first message */
  uint32_t *target_count;                /* per customer: messages heard (counting sort) */
  uint8_t *relay_flag;                   /* per sorted message: the hearer relays */
  int64_t *runs;                         /* start of each hearer's run of messages */
  size_t cap_runs;
  int64_t *wom_counts;                   /* per thread: [slot][firm] integer counts */

  /* tier histograms per thread: [thread][firm][bin] */
  uint32_t *hist;

  struct relsim_metrics m;               /* metrics of the last period run */
};

/* Create a world from p (copied) with the given thread count (0 = OpenMP
 * default). Returns NULL and a message in err on failure. */
struct relsim_sim *sim_create(const struct relsim_params *p, int threads, char *err, size_t errlen);
void sim_free(struct relsim_sim *s);

/* Run period s->period and advance. Returns 0, or -1 with err set. */
int sim_step(struct relsim_sim *s, char *err, size_t errlen);

/* Bytes held by the world (state, network, buffers). */
size_t sim_bytes(const struct relsim_sim *s);

/* Is relation x active at the end of period t: bought within the last
 * recency periods, and not departed (switched to a rival) since? */
static inline int sim_active(const struct relsim_relations *r, int64_t x, int t, int recency) {
  return r->last_purchase[x] >= 0 && r->last_purchase[x] > t - recency && !r->departed[x];
}

/* Tier of a customer-firm value given the firm's thresholds. */
static inline int sim_tier_of(const struct relsim_firm_state *f, double value) {
  return value >= f->threshold[0] ? RELSIM_TIER_A : value >= f->threshold[1] ? RELSIM_TIER_B : RELSIM_TIER_C;
}

#endif
