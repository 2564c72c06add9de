/*
 * Firms (MODEL.md §4, §5, §10): budgets, value tiers and the relationship
 * level each tier is served at, advertising, and learning from feedback.
 *
 * Budget per period: per_customer mode budget * N (money per market
 * customer), or budget_share * last period's revenue (first period:
 * budget * N), split into acquisition (acquisition_share) and retention; or
 * in absolute mode acquisition_budget and retention_budget (money).
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
 * Learning: q_a += rate * mean over heard customers of max(0, D_a - q_a)
 * (feedback closes gaps; it never lowers quality), rate = learning_rate *
 * (100 * heard / N), capped at 1; costs rnd_cost * N * dq.
 */
#include <math.h>
#include <string.h>

#include "relsim/rng.h"
#include "sim_internal.h"

/* Histogram bins of trailing revenue: 16 bins per doubling (4.4% wide),
 * from the float's exponent and top mantissa bits, over 2^-10 .. 2^54. */
#define HIST_SUB 16
#define HIST_EXP_MIN (-10)

static int hist_bin(float v) {
  if (!(v > 0.0f)) return 0;
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  int e = (int)((bits >> 23) & 0xff) - 127 - HIST_EXP_MIN;
  int b = e * HIST_SUB + (int)((bits >> 19) & (HIST_SUB - 1));
  return b < 0 ? 0 : b >= RELSIM_HIST_BINS ? RELSIM_HIST_BINS - 1 : b;
}

/* The lower edge of a bin (the smallest value it holds). */
static double hist_edge(int bin) {
  int e = bin / HIST_SUB + HIST_EXP_MIN, m = bin % HIST_SUB;
  return ldexp(1.0 + (double)m / HIST_SUB, e);
}

/* Add the value of an active relation to the calling thread's histogram. */
void firm_hist_add(struct relsim_sim *s, int thread, int f, double value) {
  s->hist[((size_t)thread * s->k + f) * RELSIM_HIST_BINS + hist_bin((float)value)]++;
}

void firm_update_tiers(struct relsim_sim *s) {
  const struct relsim_params *p = &s->p;
  for (int f = 0; f < s->k; f++) {
    int64_t count[RELSIM_HIST_BINS];
    int64_t total = 0;
    for (int b = 0; b < RELSIM_HIST_BINS; b++) {
      int64_t c = 0;
      for (int th = 0; th < s->threads; th++) c += s->hist[((size_t)th * s->k + f) * RELSIM_HIST_BINS + b];
      count[b] = c;
      total += c;
    }
    struct relsim_firm_state *fs = &s->firm[f];
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
        fs->threshold[0] = b == 0 ? 0.0 : hist_edge(b);
        fs->tier_count[RELSIM_TIER_A] = above;
        set_a = 1;
      }
      if (!set_b && (double)above >= want_ab) {
        fs->threshold[1] = b == 0 ? 0.0 : hist_edge(b);
        fs->tier_count[RELSIM_TIER_B] = above - fs->tier_count[RELSIM_TIER_A];
        set_b = 1;
        break;
      }
    }
    if (!set_b) fs->threshold[1] = 0.0, fs->tier_count[RELSIM_TIER_B] = above - fs->tier_count[RELSIM_TIER_A];
    fs->tier_count[RELSIM_TIER_C] = total - fs->tier_count[RELSIM_TIER_A] - fs->tier_count[RELSIM_TIER_B];
  }
  memset(s->hist, 0, (size_t)s->threads * s->k * RELSIM_HIST_BINS * sizeof *s->hist);
}

void firm_plan(struct relsim_sim *s, int t) {
  const struct relsim_params *p = &s->p;
  for (int f = 0; f < s->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &s->firm[f];
    if (fp->budget_mode == RELSIM_BUDGET_ABSOLUTE) {
      fs->acq_budget = fp->acquisition_budget;
      fs->ret_budget = fp->retention_budget;
      fs->budget = fs->acq_budget + fs->ret_budget;
    } else {
      double base = fp->budget * (double)s->n;
      fs->budget = fp->budget_mode == RELSIM_BUDGET_REVENUE_SHARE && t > 0 ? fp->budget_share * fs->last_revenue : base;
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

void firm_make_aware(struct relsim_sim *s, int64_t i, int f) {
  int64_t x = i * s->k + f;
  if (s->r.aware[x]) return;
  s->r.aware[x] = 1;
  for (int a = 0; a < s->a; a++) s->r.expect[x * s->a + a] = (float)s->firm[f].promise[a];
}

void firm_advertise(struct relsim_sim *s, int t, double *ad_spend, double *impressions) {
  const struct relsim_params *p = &s->p;
  gsl_rng *g = s->rng[0];
  for (int f = 0; f < s->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    ad_spend[f] = impressions[f] = 0.0;
    /* First-purchase discounts, estimated by last period's, come out of the
     * same acquisition budget. */
    double available = s->firm[f].acq_budget - s->firm[f].last_new_disc;
    if (!p->mech.advertising || fp->ad_cost <= 0.0 || available <= 0.0) continue;
    double count = floor(available / fp->ad_cost);
    ad_spend[f] = count * fp->ad_cost;
    impressions[f] = count;
    rng_seek(g, p->seed, 0, RELSIM_STREAM_AD, (uint64_t)f, t, 0);
    for (double j = 0; j < count; j++) {
      int64_t i = (int64_t)rng_below(g, (uint64_t)s->n);
      if (rng_bernoulli(g, fp->ad_effect)) firm_make_aware(s, i, f);
    }
  }
}

void firm_learn(struct relsim_sim *s, int t, double *rnd_cost) {
  const struct relsim_params *p = &s->p;
  (void)t;
  for (int f = 0; f < s->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &s->firm[f];
    rnd_cost[f] = 0.0;
    double heard = sim_reduce(s, ACC_FEEDBACK_N * s->k + f);
    if (!p->mech.learning || !fp->learning || heard <= 0.0) continue;
    double rate = fp->learning_rate * 100.0 * heard / (double)s->n;
    if (rate > 1.0) rate = 1.0;
    double change = 0.0;
    for (int a = 0; a < s->a; a++) {
      /* The mean shortfall of heard desires: feedback closes gaps; quality
       * above a customer's desire is no complaint and is not cut. */
      double shortfall = sim_reduce(s, (ACC_FEEDBACK_D + a) * s->k + f) / heard;
      double dq = rate * shortfall;
      fs->quality[a] += dq;
      change += dq;
    }
    rnd_cost[f] = fp->rnd_cost * (double)s->n * change;
    if (!fp->promise_set) {
      double sum = 0.0;
      for (int a = 0; a < s->a; a++) {
        double v = fs->quality[a] + fp->overpromise;
        fs->promise[a] = v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
        sum += fs->promise[a];
      }
      fs->promise_mean = sum / s->a;
    }
  }
}
