/*
 * Internals shared by the simulation phases (not part of the public API):
 * the reduction slots and the phase entry points, one module per phase
 * group of MODEL.md §11:
 *   population.c  customers: birth (§3), spend trend, exits and newcomers (§11.7)
 *   firm.c        firms: budgets, tiers and fallback, advertising, learning (§4, §5, §10)
 *   market.c      per customer: contacts, choice, payment, experience (§5-§8)
 *   wom.c         word of mouth: telling, hearing, relaying (§9)
 *   sim.c         the period loop, reductions and metrics (§11, §13)
 */
#ifndef RELSIM_SIM_INTERNAL_H
#define RELSIM_SIM_INTERNAL_H

#include <omp.h>

#include "relsim/sim.h"

static inline int omp_thread(void) { return omp_get_thread_num(); }

/* Per-firm reduction slots: acc[block][slot * k + firm]. Every value is a sum
 * over the block's customers; sums of reals are combined in block order. */
enum acc_firm_slot {
  ACC_REVENUE, ACC_COGS, ACC_NEW_DISC, ACC_LOY_DISC, ACC_RECOVERY_COST,
  ACC_PURCHASES, ACC_NEW, ACC_WON_BACK, ACC_SAT_SUM, ACC_DV_SUM,
  ACC_BAND_COMPLETE, ACC_BAND_SATISFIED, ACC_BAND_NEUTRAL, ACC_BAND_DISSATISFIED,
  ACC_FAILURES, ACC_COMPLAINTS, ACC_RECOVERIES, ACC_CONTACTS,
  ACC_FEEDBACK_N, ACC_FEEDBACK_D, /* + attribute: RELSIM_MAX_ATTRS slots */
  ACC_ACTIVE = ACC_FEEDBACK_D + RELSIM_MAX_ATTRS,
  ACC_RETAINED, ACC_LOST, ACC_AWARE, ACC_BLOCKING, ACC_LOCKED, ACC_LOYAL, ACC_INERT,
  ACC_TRUST_SUM, ACC_COMMIT_SUM,
  ACC_REPEAT_OCC,                                    /* + band of the last experience */
  ACC_REPURCHASE = ACC_REPEAT_OCC + 4,               /* + band */
  ACC_OCC_INERT = ACC_REPURCHASE + 4, ACC_DEF_INERT, ACC_OCC_LOYAL, ACC_DEF_LOYAL,
  ACC_SAT_RECOVERED, ACC_SAT_NO_FAILURE, ACC_NO_FAILURE,
  ACC_COHORT_RET, ACC_COHORT_ACQ,
  ACC_TIER_START, /* + tier */
  ACC_TIER_REV = ACC_TIER_START + RELSIM_TIER_COUNT,
  ACC_TIER_RET = ACC_TIER_REV + RELSIM_TIER_COUNT,
  ACC_TIER_LOST = ACC_TIER_RET + RELSIM_TIER_COUNT,
  ACC_EXIT_LOST = ACC_TIER_LOST + RELSIM_TIER_COUNT,
  ACC_EXIT_LOST_TIER, /* + tier */
  ACC_FIRM_SLOTS = ACC_EXIT_LOST_TIER + RELSIM_TIER_COUNT
};

/* Market slots follow the firm slots: acc[block][ACC_FIRM_SLOTS * k + slot]. */
enum acc_market_slot {
  ACC_M_OCCASIONS, ACC_M_PURCHASES, ACC_M_NO_PURCHASE, ACC_M_SEARCHES, ACC_M_AWARE_ANY, ACC_M_EXITS,
  ACC_M_SPEND_SUM, ACC_MARKET_SLOTS
};

/* Integer word-of-mouth counts per thread: wom_counts[thread][slot * k + firm]. */
enum wom_count_slot { WOM_POS_SENT, WOM_NEG_SENT, WOM_HEARD, WOM_STORIES, WOM_RELAYED, WOM_POS_TOLD, WOM_NEG_TOLD, WOM_SLOTS };

static inline double *acc_block(struct relsim_sim *s, int64_t block) { return s->acc + block * s->n_slots; }
static inline double *acc_firm(double *blk, int k, int slot, int firm) { return &blk[slot * k + firm]; }
static inline double *acc_market(double *blk, int k, int slot) { return &blk[ACC_FIRM_SLOTS * k + slot]; }

/* Sum slot over all blocks in block order (deterministic). */
double sim_reduce(const struct relsim_sim *s, int index);

/* Is the relation active at the end of period t (bought within the last recency periods)? */
static inline int sim_active_at(int32_t last_purchase, int t, int recency) {
  return last_purchase >= 0 && last_purchase > t - recency;
}

/* population.c */
void population_birth(struct relsim_sim *s, gsl_rng *g, int64_t i);
/* Apply one period's spend trend, drawing from g (the caller's purchase stream). */
void population_trend(struct relsim_sim *s, gsl_rng *g, int64_t i);
void population_exits(struct relsim_sim *s, int t);

/* firm.c */
void firm_plan(struct relsim_sim *s, int t);
void firm_advertise(struct relsim_sim *s, int t, double *ad_spend, double *impressions);
void firm_make_aware(struct relsim_sim *s, int64_t i, int f);
void firm_learn(struct relsim_sim *s, int t, double *rnd_cost);
void firm_update_tiers(struct relsim_sim *s);
void firm_hist_add(struct relsim_sim *s, int thread, int f, double value);

/* market.c: phases 2-4 for the customers of one block */
int market_customer_block(struct relsim_sim *s, gsl_rng *g, int64_t block, int t);

/* wom.c */
int wom_alloc(struct relsim_sim *s);
void wom_free(struct relsim_sim *s);
/* A story chain's identity: its first teller and the period it was first told. */
static inline uint64_t wom_chain_id(int64_t sender, int t) { return ((uint64_t)(t + 1) << 40) | (uint64_t)sender; }
/* Add a story told by sender (of the given generation) in a chain; from is
 * the customer who told it to the sender (-1 for a first-hand story). */
int wom_story_push(struct relsim_storybuf *b, int64_t sender, uint32_t generation, uint64_t chain, int64_t from,
                   int firm, int valence, int hop, const float *perf, int a);
/* Add this period's injected stories (inject.*), told by random customers. */
int wom_inject(struct relsim_sim *s, int t);
int wom_period(struct relsim_sim *s, int t);
size_t wom_bytes(const struct relsim_sim *s);

#endif
