/*
 * Firms (MODEL.md §4, §5, §10): budgets, value tiers and the relationship
 * level each tier is served at, advertising, and learning from feedback.
 *
 * Budget per period: per_customer mode budget * N (money per market
 * customer), or budget_share * last period's revenue (first period:
 * budget * N), split into acquisition (acquisition_share) and retention; or
 * in absolute mode acquisition_budget and retention_budget (money).
 * A firm out of the market (events.h) has no budget and serves every tier at
 * basic; the period it enters counts as its first.
 * Tiers: customers active for the firm are ranked by trailing revenue; the
 * top tier_share_a are tier A, the next tier_share_b tier B, the rest C.
 * Thresholds come from a histogram of trailing revenue with 16 bins per
 * doubling (integer counts, so exact and thread-independent).
 * Fallback: if serving every tier at its level costs more than the retention
 * budget, the lowest-value tier above basic drops one level, repeatedly,
 * until it fits (the firm cannot buy more relationship than it pays for).
 * Discounts are paid from the budgets too: last period's first-purchase
 * discounts are reserved from the acquisition budget and last period's
 * loyalty discounts from the retention budget.
 * Advertising: floor((acq_budget - reserved) / ad_cost) impressions, each on
 * a uniformly random customer, who becomes aware with probability ad_effect.
 * Up to 16 impressions per customer they are drawn one by one; beyond, the
 * successful impressions are drawn directly (the gaps between them are
 * geometric), until nobody is left unaware: the same law of who becomes
 * aware, at a cost bounded by the customers, not by the budget.
 * Learning: q_a += rate * mean over heard customers of max(0, D_a - q_a)
 * (feedback closes gaps; it never lowers quality), rate = learning_rate *
 * (100 * heard / N), capped at 1; costs rnd_cost * N * dq.
 *
 * Contract: reads and writes the firm state (world.h); advertising makes
 * customers aware (relation.h); reads the tallies FEEDBACK_N, FEEDBACK_D
 * and the value histogram; stream AD (entity = firm).
 */
#include "firm.h"

#include <math.h>
#include <string.h>

#include "relsim/relation.h"
#include "relsim/rng.h"

void firm_update_tiers(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl) {
  for (int f = 0; f < w->k; f++) {
    int64_t count[RELSIM_HIST_BINS];
    int64_t total = tally_hist_counts(tl, f, count);
    struct relsim_firm_state *fs = &w->firm[f];
    fs->threshold[0] = fs->threshold[1] = INFINITY;
    memset(fs->tier_count, 0, sizeof fs->tier_count);
    if (total == 0) continue;
    /* Walk down from the top bin: a bin whose lower edge keeps the share
     * above it within the target closes the tier. */
    double want_a = p->tier_share_a * (double)total, want_ab = (p->tier_share_a + p->tier_share_b) * (double)total;
    int64_t above = 0;
    int set_a = 0, set_b = 0;
    for (int b = RELSIM_HIST_BINS - 1; b >= 0; b--) {
      above += count[b];
      if (!set_a && (double)above >= want_a) {
        fs->threshold[0] = b == 0 ? 0.0 : tally_hist_edge(b);
        fs->tier_count[RELSIM_TIER_A] = above;
        set_a = 1;
      }
      if (!set_b && (double)above >= want_ab) {
        fs->threshold[1] = b == 0 ? 0.0 : tally_hist_edge(b);
        fs->tier_count[RELSIM_TIER_B] = above - fs->tier_count[RELSIM_TIER_A];
        set_b = 1;
        break;
      }
    }
    if (!set_b) fs->threshold[1] = 0.0, fs->tier_count[RELSIM_TIER_B] = above - fs->tier_count[RELSIM_TIER_A];
    fs->tier_count[RELSIM_TIER_C] = total - fs->tier_count[RELSIM_TIER_A] - fs->tier_count[RELSIM_TIER_B];
  }
}

void firm_plan(const struct relsim_params *p, struct relsim_world *w, int t) {
  for (int f = 0; f < w->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &w->firm[f];
    if (fs->absent) { /* out of the market (events.h): no budget, nobody served */
      fs->budget = fs->acq_budget = fs->ret_budget = 0.0;
      for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) fs->level[tier] = RELSIM_LEVEL_BASIC;
      continue;
    }
    if (fp->budget_mode == RELSIM_BUDGET_ABSOLUTE) {
      fs->acq_budget = fp->acquisition_budget;
      fs->ret_budget = fp->retention_budget;
      fs->budget = fs->acq_budget + fs->ret_budget;
    } else {
      double base = fp->budget * (double)w->n;
      int first = t == fs->entered; /* the run's first period, or the one the firm entered */
      fs->budget = fp->budget_mode == RELSIM_BUDGET_REVENUE_SHARE && !first ? fp->budget_share * fs->last_revenue : base;
      fs->acq_budget = fs->budget * fp->acquisition_share;
      fs->ret_budget = fs->budget - fs->acq_budget;
    }
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
      fs->level[tier] = p->mech.tiers ? fp->level[tier] : fp->level[RELSIM_TIER_A];
    /* What a level does depends on the mechanisms that are on. */
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
      if (!p->mech.structural_bonds && fs->level[tier] == RELSIM_LEVEL_PARTNERSHIP)
        fs->level[tier] = RELSIM_LEVEL_PROACTIVE;
      if (!p->mech.social_bonds && fs->level[tier] == RELSIM_LEVEL_PROACTIVE)
        fs->level[tier] = RELSIM_LEVEL_ACCOUNTABLE;
    }
    /* Budget fallback: lowest-value tier first (all tiers together when
     * tiers are off). The loyalty discounts, estimated by last period's,
     * are paid from the same retention budget. */
    double available = fs->ret_budget - fs->last_loy_disc;
    for (;;) {
      double cost = 0.0;
      for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
        cost += (double)fs->tier_count[tier] * p->level_cost[fs->level[tier]];
      if (cost <= available + 1e-9) break;
      int dropped = 0;
      for (int tier = RELSIM_TIER_COUNT - 1; tier >= 0 && (!dropped || !p->mech.tiers); tier--)
        if (fs->level[tier] > RELSIM_LEVEL_BASIC) fs->level[tier]--, dropped = 1;
      if (!dropped) break;
    }
  }
}

/* Impressions per customer above which a period's advertising takes the
 * path whose cost is proportional to customers (firm_advertise_many). */
#define FIRM_AD_PER_CUSTOMER_LOOP 16.0

/* The same outcome as `count` impressions one by one, for any count (even
 * beyond 2^53, where a loop over impressions would never end): successful
 * impressions come after Geometric(ad_effect) impressions each and land on
 * a uniformly random customer; a success on an aware customer changes
 * nothing. It stops when the impressions run out or nobody is left unaware,
 * so it draws at most about n ln n times (the coupon collector) after one
 * pass that counts the unaware customers. */
static void firm_advertise_many(const struct relsim_firm_params *fp, struct relsim_world *w, gsl_rng *g, int f,
                                double count) {
  int64_t unaware = 0;
  for (int64_t i = 0; i < w->n; i++) unaware += !w->r.aware[i * w->k + f];
  if (!(fp->ad_effect > 0.0)) return;
  double log_miss = fp->ad_effect < 1.0 ? log1p(-fp->ad_effect) : 0.0; /* log P(an impression fails) */
  double used = 0.0;                                                  /* impressions spent so far */
  while (unaware > 0) {
    used += log_miss < 0.0 ? floor(log(rng_uniform_pos(g)) / log_miss) + 1.0 : 1.0; /* to the next success */
    if (used > count) break;
    int64_t i = (int64_t)rng_below(g, (uint64_t)w->n);
    if (!w->r.aware[i * w->k + f]) {
      relation_make_aware(w, i, f);
      unaware--;
    }
  }
}

void firm_advertise(const struct relsim_params *p, struct relsim_world *w, gsl_rng *g, int t, double *ad_spend,
                    double *impressions) {
  for (int f = 0; f < w->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    ad_spend[f] = impressions[f] = 0.0;
    /* First-purchase discounts, estimated by last period's, come out of the
     * same acquisition budget. */
    double available = w->firm[f].acq_budget - w->firm[f].last_new_disc;
    if (!p->mech.advertising || fp->ad_cost <= 0.0 || available <= 0.0) continue;
    double count = floor(available / fp->ad_cost);
    ad_spend[f] = count * fp->ad_cost;
    impressions[f] = count;
    rng_seek(g, p->seed, 0, RELSIM_STREAM_AD, (uint64_t)f, t, 0);
    if (count > FIRM_AD_PER_CUSTOMER_LOOP * (double)w->n) {
      firm_advertise_many(fp, w, g, f, count);
      continue;
    }
    for (double j = 0; j < count; j++) {
      int64_t i = (int64_t)rng_below(g, (uint64_t)w->n);
      if (rng_bernoulli(g, fp->ad_effect)) relation_make_aware(w, i, f);
    }
  }
}

void firm_learn(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl, double *rnd_cost) {
  for (int f = 0; f < w->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &w->firm[f];
    rnd_cost[f] = 0.0;
    double heard = tally_firm_sum(tl, TALLY_FEEDBACK_N, f);
    if (!p->mech.learning || !fp->learning || heard <= 0.0) continue;
    double rate = fp->learning_rate * 100.0 * heard / (double)w->n;
    if (rate > 1.0) rate = 1.0;
    double change = 0.0;
    for (int a = 0; a < w->a; a++) {
      /* The mean shortfall of heard desires: feedback closes gaps; quality
       * above a customer's desire is no complaint and is not cut. */
      double shortfall = tally_firm_sum(tl, TALLY_FEEDBACK_D + a, f) / heard;
      double dq = rate * shortfall;
      fs->quality[a] += dq;
      change += dq;
    }
    rnd_cost[f] = fp->rnd_cost * (double)w->n * change;
    if (!fp->promise_set) {
      double sum = 0.0;
      for (int a = 0; a < w->a; a++) {
        fs->promise[a] = params_promise_of(fp, fs->quality[a]);
        sum += fs->promise[a];
      }
      fs->promise_mean = sum / w->a;
    }
  }
}
