/*
 * Tallies: the one place that knows how the period's sums are accumulated
 * and combined, so that the results do not depend on the thread count.
 *
 * Customers are processed in fixed blocks of RELSIM_BLOCK; every real sum
 * is accumulated per block (acc[block][slot]) in customer order and the
 * blocks are added in block order (tally_sum). Integer counts are kept per
 * thread and added in any order (tally_count), and so is the histogram of
 * the active relations' trailing revenue per firm and of their priority for a
 * relationship manager (tally_hist_*), from which
 * the firms set their tier thresholds. All are cleared at the start of each
 * period.
 *
 * Slots are listed once, in the tables below: X(NAME, width), width slots
 * in a row (one per attribute, band or tier). Firm slots hold one value per
 * firm; market slots one value.
 */
#ifndef RELSIM_TALLY_H
#define RELSIM_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "relsim/params.h"

#define RELSIM_BLOCK 4096     /* customers per reduction block */

/* Real sums per firm: acc[block][slot * firms + firm]. */
#define RELSIM_TALLY_FIRM_SLOTS(X)                                                              \
  X(REVENUE, 1) X(COGS, 1) X(NEW_DISC, 1) X(LOY_DISC, 1) X(RECOVERY_COST, 1)                    \
  X(PURCHASES, 1) X(NEW, 1) X(WON_BACK, 1) X(SAT_SUM, 1) X(DV_SUM, 1)                           \
  X(BAND, RELSIM_BAND_COUNT)            /* buyers by satisfaction band */                        \
  X(FAILURES, 1) X(COMPLAINTS, 1) X(RECOVERIES, 1) X(CONTACTS, 1)                               \
  X(FEEDBACK_N, 1) X(FEEDBACK_D, RELSIM_MAX_ATTRS) /* feedback heard; desire shortfall sums */  \
  X(ACTIVE, 1) X(RETAINED, 1) X(LOST, 1) X(AWARE, 1) X(BLOCKING, 1) X(LOCKED, 1) X(LOYAL, 1)    \
  X(INERT, 1) X(TRUST_SUM, 1) X(COMMIT_SUM, 1)                                                  \
  X(REPEAT_OCC, RELSIM_BAND_COUNT)      /* by band of the last experience */                    \
  X(REPURCHASE, RELSIM_BAND_COUNT)                                                              \
  X(OCC_INERT, 1) X(DEF_INERT, 1) X(OCC_LOYAL, 1) X(DEF_LOYAL, 1) X(OCC_HIGH, 1) X(DEF_HIGH, 1)   \
  X(SAT_RECOVERED, 1) X(SAT_NO_FAILURE, 1) X(NO_FAILURE, 1)                                     \
  X(COHORT_RET, 1) X(COHORT_ACQ, 1)                                                             \
  X(TIER_START, RELSIM_TIER_COUNT) X(TIER_REV, RELSIM_TIER_COUNT)                               \
  X(TIER_RET, RELSIM_TIER_COUNT) X(TIER_LOST, RELSIM_TIER_COUNT)                                \
  X(EXIT_LOST, 1) X(EXIT_LOST_TIER, RELSIM_TIER_COUNT)                                           \
  X(MANAGED, 1)                         /* customers with a manager at the period start */      \
  X(STAGE, RELSIM_STAGE_COUNT)          /* active customers by stage at the period end */       \
  X(SAT_STAGE, RELSIM_STAGE_COUNT)      /* buyers' satisfaction summed by stage at purchase */  \
  X(BUY_STAGE, RELSIM_STAGE_COUNT)      /* buyers by stage at purchase */                       \
  X(SAT_TIER, RELSIM_TIER_COUNT) X(BUY_TIER, RELSIM_TIER_COUNT) /* buyers' satisfaction and count by tier */ \
  X(FAILED_BEFORE, 1) X(SAT_RECOVERED_AGAIN, 1) /* recoveries after an earlier failure; their satisfaction */ \
  X(FAILURES_HEARD, 1) X(ANSWERED, 1)   /* failures that reached the firm; complaints of dissatisfaction answered */ \
  X(SAME_N, 1) X(SAME_SAT, 1) X(SAME_RIVAL_SAT, 1) /* active customers who also bought from a rival: count, satisfactions */

/* Real sums for the whole market: acc[block][TALLY_FIRM_SLOTS * firms + slot]. */
#define RELSIM_TALLY_MARKET_SLOTS(X)                                                            \
  X(M_OCCASIONS, 1) X(M_PURCHASES, 1) X(M_NO_PURCHASE, 1) X(M_SEARCHES, 1) X(M_AWARE_ANY, 1)    \
  X(M_EXITS, 1) X(M_SPEND_SUM, 1)

/* Integer counts per firm, per thread: counts[thread][slot * firms + firm]. */
#define RELSIM_TALLY_COUNT_SLOTS(X)                                                             \
  X(WOM_POS_SENT, 1) X(WOM_NEG_SENT, 1) X(WOM_HEARD, 1) X(WOM_STORIES, 1) X(WOM_RELAYED, 1)     \
  X(WOM_POS_TOLD, 1) X(WOM_NEG_TOLD, 1)

#define RELSIM_TALLY_ENUM(name, width) TALLY_##name, TALLY_##name##_LAST_ = TALLY_##name + (width) - 1,
enum tally_firm_slot { RELSIM_TALLY_FIRM_SLOTS(RELSIM_TALLY_ENUM) TALLY_FIRM_SLOTS };
enum tally_market_slot { RELSIM_TALLY_MARKET_SLOTS(RELSIM_TALLY_ENUM) TALLY_MARKET_SLOTS };
enum tally_count_slot { RELSIM_TALLY_COUNT_SLOTS(RELSIM_TALLY_ENUM) TALLY_COUNT_SLOTS };
#undef RELSIM_TALLY_ENUM

struct relsim_tally {
  int64_t n;         /* customers */
  int k;             /* firms */
  int threads;
  int64_t n_blocks;
  int n_slots;       /* real slots per block */
  double *acc;       /* [n_blocks][n_slots] */
  int64_t *counts;   /* [threads][TALLY_COUNT_SLOTS * k] */
  uint32_t *hist;    /* [threads][TALLY_HISTS][k][RELSIM_HIST_BINS] */
};

/* Allocate the tallies of n customers, k firms and threads threads.
 * Returns 0, or -1 (out of memory; nothing left allocated). */
int tally_alloc(struct relsim_tally *tl, int64_t n, int k, int threads);
void tally_free(struct relsim_tally *tl);
size_t tally_bytes(const struct relsim_tally *tl);
/* Bytes tally_alloc takes for n customers, k firms and threads threads. */
size_t tally_bytes_needed(int64_t n, int k, int threads);

/* Clear every sum, count and histogram (the start of a period). */
void tally_clear(struct relsim_tally *tl);

/* The customers of block b: [*begin, *end). */
static inline void tally_block_range(const struct relsim_tally *tl, int64_t b, int64_t *begin, int64_t *end) {
  *begin = b * RELSIM_BLOCK;
  *end = *begin + RELSIM_BLOCK < tl->n ? *begin + RELSIM_BLOCK : tl->n;
}

/* The accumulators of block b. */
static inline double *tally_block(struct relsim_tally *tl, int64_t b) { return tl->acc + b * tl->n_slots; }
/* Slot (+ offset within its width) of firm f in a block's accumulators. */
static inline double *tally_firm(double *blk, int k, int slot, int f) { return &blk[slot * k + f]; }
static inline double *tally_market(double *blk, int k, int slot) { return &blk[TALLY_FIRM_SLOTS * k + slot]; }
/* The counts of one thread. */
static inline int64_t *tally_thread_counts(struct relsim_tally *tl, int thread) {
  return &tl->counts[(size_t)thread * TALLY_COUNT_SLOTS * tl->k];
}

/* Sums over all blocks, in block order (deterministic). */
double tally_firm_sum(const struct relsim_tally *tl, int slot, int f);
double tally_market_sum(const struct relsim_tally *tl, int slot);
/* A count summed over threads. */
int64_t tally_count(const struct relsim_tally *tl, int slot, int f);

/* The histograms kept per firm: trailing revenue (value tiers) and the
 * priority of an active customer for a relationship manager (firm.c). */
enum tally_hist { TALLY_HIST_VALUE = 0, TALLY_HIST_PRIORITY, TALLY_HISTS };

/* Value histogram: 16 bins per doubling (4.4% wide) over 2^-10 .. 2^54,
 * values <= 0 in bin 0. Add value to firm f's histogram h of thread. */
void tally_hist_add(struct relsim_tally *tl, int thread, int h, int f, double value);
/* Firm f's histogram h, bin counts summed over threads, count[RELSIM_HIST_BINS]; returns the total. */
int64_t tally_hist_counts(const struct relsim_tally *tl, int h, int f, int64_t *count);
/* The lower edge of a bin (the smallest value it holds). */
double tally_hist_edge(int bin);

#endif
