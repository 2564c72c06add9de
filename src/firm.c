/*
 * Firms (MODEL.md §4, §5, §10): budget lines, value tiers and the level
 * each tier is offered, relationship managers, advertising and prospect
 * visits, and learning from feedback.
 *
 * Budget per period: per_customer mode budget * N (money per market
 * customer), or budget_share * last period's revenue (first period:
 * budget * N), split into acquisition and retention by the policy's share
 * (policy.h; acquisition_share unless adaptive); or in absolute mode
 * acquisition_budget and retention_budget (money). The levels offered per
 * tier are the policy's too.
 * Budget lines, paid in order (firm_plan): the retention budget pays the
 * service programme of each tier's level (levels.cost per active
 * customer), the structural programme (bonds.structural_cost per
 * partner-stage customer, last period's count) and relationship managers
 * (staff_salary each): as many as it can pay and the active customers
 * need, when some tier is offered proactive or above; advertising gets
 * the acquisition budget and what the retention lines leave, so the firm
 * spends its whole budget. If the programmes exceed the retention budget
 * the lowest-value tier above basic falls back one level until they fit.
 * Discounts are prices, not budget lines: they are booked as acquisition
 * (first purchase) and retention (loyalty) costs when given.
 * A firm out of the market (events.h) has no budget, no managers and
 * serves every tier at basic; the period it enters counts as its first.
 * Tiers: customers active for the firm are ranked by trailing revenue; the
 * top tier_share_a are tier A, the next tier_share_b tier B, the rest C.
 * Thresholds come from a histogram of trailing revenue with 16 bins per
 * doubling (integer counts, so exact and thread-independent).
 * Managers: staff * staff_contacts contacts a period, prospect_share of
 * them visits to prospects, the rest contacts with customers, each
 * customer every contact_interval periods: they serve staff *
 * staff_contacts * (1 - prospect_share) * contact_interval customers, the
 * active customers of highest priority (relation.h), chosen from a
 * histogram of priority like the tiers, kept from the end of last period.
 * Advertising: floor(ad_budget / ad_cost) impressions, each on a uniformly
 * random customer, who becomes aware with probability ad_effect.
 * Up to 16 impressions per customer they are drawn one by one; beyond, the
 * successful impressions are drawn directly (the gaps between them are
 * geometric), until nobody is left unaware: the same law of who becomes
 * aware, at a cost bounded by the customers, not by the budget.
 * Learning: q_a += rate * mean over heard customers of max(0, D_a - q_a)
 * (feedback closes gaps; it never lowers quality), rate = learning_rate *
 * (100 * heard / N), capped at 1; and from the failures that reached the
 * firm (complaints), phi -= phi * learning_rate * (100 * failures heard /
 * N), capped at phi; costs rnd_cost * N * (dq + |dphi|).
 *
 * Contract: reads and writes the firm state (world.h); advertising and
 * prospect visits make customers aware (relation.h), visits also write
 * trust and last_contact; reads the tallies FEEDBACK_N, FEEDBACK_D,
 * FAILURES_HEARD and the
 * value and priority histograms; streams AD and PROSPECT (entity = firm).
 */
#include "firm.h"
#include "policy.h"

#include <math.h>
#include <string.h>

#include "relsim/relation.h"
#include "relsim/rng.h"

void firm_update_tiers(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl) {
  for (int f = 0; f < w->k; f++) {
    int64_t count[RELSIM_HIST_BINS];
    tally_hist_counts(tl, TALLY_HIST_PRIORITY, f, count);
    for (int b = 0; b < RELSIM_HIST_BINS; b++) w->firm[f].priority_hist[b] = (uint32_t)count[b];
    int64_t total = tally_hist_counts(tl, TALLY_HIST_VALUE, f, count);
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

/* The priority at or above which the firm's managers serve a customer this
 * period: the highest bins of last period's priority histogram that
 * together hold no more customers than the managers' capacity (so the
 * capacity is never exceeded; ties within a bin are all in or all out). */
static void firm_portfolio(const struct relsim_firm_params *fp, struct relsim_firm_state *fs) {
  fs->managed_capacity = fs->staff * params_customers_per_manager(fp);
  int64_t total = 0;
  for (int b = 0; b < RELSIM_HIST_BINS; b++) total += fs->priority_hist[b];
  if ((double)total <= fs->managed_capacity) {
    fs->manage_threshold = -INFINITY;
    return;
  }
  fs->manage_threshold = INFINITY;
  int64_t above = 0;
  for (int b = RELSIM_HIST_BINS - 1; b >= 1; b--) {
    if ((double)(above + fs->priority_hist[b]) > fs->managed_capacity) break;
    above += fs->priority_hist[b];
    if (fs->priority_hist[b] > 0) fs->manage_threshold = tally_hist_edge(b);
  }
}

/* Service programme cost of the tiers at their current levels (customers
 * active at the start of the period, counted at the end of the last). */
static double service_cost(const struct relsim_params *p, const struct relsim_firm_state *fs) {
  double cost = 0.0;
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
    cost += (double)fs->tier_count[tier] * p->level_cost[fs->level[tier]];
  return cost;
}

/* What the levels offered ask for: managers (proactive and above) and the
 * structural programme (partnership), the latter paid for last period's
 * partners. */
static double offers(const struct relsim_params *p, struct relsim_firm_state *fs) {
  fs->offers_managers = fs->offers_partnership = 0;
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
    fs->offers_managers |= fs->level[tier] >= RELSIM_LEVEL_PROACTIVE;
    fs->offers_partnership |= fs->level[tier] == RELSIM_LEVEL_PARTNERSHIP;
  }
  return fs->offers_partnership ? fs->last_partners * p->structural_cost : 0.0;
}

void firm_plan(const struct relsim_params *p, struct relsim_world *w, int t) {
  for (int f = 0; f < w->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &w->firm[f];
    if (fs->absent) { /* out of the market (events.h): no budget, nobody served */
      fs->budget = fs->acq_budget = fs->ret_budget = fs->ad_budget = 0.0;
      fs->staff = fs->staff_cost = fs->service_cost = fs->programme_cost = fs->prospect_visits = 0.0;
      fs->offers_managers = fs->offers_partnership = 0;
      for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) fs->level[tier] = RELSIM_LEVEL_BASIC, fs->tier_service_cost[tier] = 0.0;
      continue;
    }
    if (fp->budget_mode == RELSIM_BUDGET_ABSOLUTE) {
      fs->acq_budget = fp->acquisition_budget;
      fs->ret_budget = fp->retention_budget;
      fs->budget = fs->acq_budget + fs->ret_budget;
      fs->acq_share = fs->budget > 0.0 ? fs->acq_budget / fs->budget : 0.0;
    } else {
      double base = fp->budget * (double)w->n;
      int first = t == fs->entered; /* the run's first period, or the one the firm entered */
      fs->budget = fp->budget_mode == RELSIM_BUDGET_REVENUE_SHARE && !first ? fp->budget_share * fs->last_revenue : base;
      fs->acq_share = policy_acquisition_share(p, w, f, t);
      fs->acq_budget = fs->budget * fs->acq_share;
      fs->ret_budget = fs->budget - fs->acq_budget;
    }
    int chosen[RELSIM_TIER_COUNT];
    policy_levels(p, w, f, chosen);
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
      fs->level[tier] = p->mech.tiers ? chosen[tier] : chosen[RELSIM_TIER_A];
    /* The retention line pays, in order: the service programme of each
     * tier's level, the structural programme; if these exceed it, the
     * lowest-value tier above basic falls back one level (all tiers
     * together when tiers are off) until they fit. */
    double available = fs->ret_budget;
    double programme = offers(p, fs);
    while (service_cost(p, fs) + programme > available + 1e-9) {
      int dropped = 0;
      for (int tier = RELSIM_TIER_COUNT - 1; tier >= 0 && (!dropped || !p->mech.tiers); tier--)
        if (fs->level[tier] > RELSIM_LEVEL_BASIC) fs->level[tier]--, dropped = 1;
      if (!dropped) break;
      programme = offers(p, fs);
    }
    fs->service_cost = service_cost(p, fs);
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
      fs->tier_service_cost[tier] = (double)fs->tier_count[tier] * p->level_cost[fs->level[tier]];
    fs->programme_cost = programme;
    /* What is left hires relationship managers (when a level that has them
     * is offered), as many as the money pays and no more than the active
     * customers need; the rest goes to advertising, so the firm spends its
     * whole budget. */
    double rest = available - fs->service_cost - fs->programme_cost;
    double per_manager = params_customers_per_manager(fp);
    fs->staff = 0.0;
    if (fs->offers_managers && fp->staff_contacts > 0.0) {
      double active = 0.0;
      for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) active += (double)fs->tier_count[tier];
      double need = per_manager > 0.0 ? ceil(active / per_manager) : 0.0;
      if (need < 1.0) need = 1.0; /* one manager visits prospects before there are customers */
      double afford = fp->staff_salary > 0.0 ? floor((rest > 0.0 ? rest : 0.0) / fp->staff_salary) : need;
      fs->staff = afford < need ? afford : need;
    }
    fs->staff_cost = fs->staff * fp->staff_salary;
    fs->prospect_visits = floor(fs->staff * fp->staff_contacts * fp->prospect_share);
    fs->ad_budget = fs->acq_budget + rest - fs->staff_cost;
    firm_portfolio(fp, fs);
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
    /* The acquisition budget less the first-purchase discounts (estimated
     * by last period's), plus what the retention lines left (firm_plan). */
    double available = w->firm[f].ad_budget;
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

void firm_prospect(const struct relsim_params *p, struct relsim_world *w, gsl_rng *g, int t) {
  for (int f = 0; f < w->k; f++) {
    struct relsim_firm_state *fs = &w->firm[f];
    if (fs->prospect_visits <= 0.0 || !p->mech.prospecting) continue;
    rng_seek(g, p->seed, 0, RELSIM_STREAM_PROSPECT, (uint64_t)f, t, 0);
    for (double j = 0; j < fs->prospect_visits; j++) {
      int64_t i = (int64_t)rng_below(g, (uint64_t)w->n);
      int64_t x = i * w->k + f;
      if (relation_active(&w->r, x, t - 1, p->recency)) continue; /* already a customer: the visit is spent */
      relation_make_aware(w, i, f);
      w->r.trust[x] += (float)(p->trust_contact * (1.0 - w->r.trust[x]));
      w->r.last_contact[x] = t;
    }
  }
}

void firm_learn(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl, double *rnd_cost) {
  for (int f = 0; f < w->k; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    struct relsim_firm_state *fs = &w->firm[f];
    rnd_cost[f] = 0.0;
    if (!p->mech.learning || !fp->learning) continue;
    /* Failures that reached the firm show their causes: the failure rate
     * falls by the same rate per 1% of market customers. */
    double failures = tally_firm_sum(tl, TALLY_FAILURES_HEARD, f);
    double fail_rate = fp->learning_rate * 100.0 * failures / (double)w->n;
    if (fail_rate > 1.0) fail_rate = 1.0;
    double dphi = fs->failure_rate * fail_rate;
    fs->failure_rate -= dphi;
    rnd_cost[f] = fp->rnd_cost * (double)w->n * dphi;
    double heard = tally_firm_sum(tl, TALLY_FEEDBACK_N, f);
    if (heard <= 0.0) continue;
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
    rnd_cost[f] += fp->rnd_cost * (double)w->n * change;
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
