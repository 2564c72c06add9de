/*
 * The period loop (MODEL.md §11) and the metrics of §13.
 *
 *   1. firms set budgets, tiers and offers; advertising impressions land
 *   2-4. per customer: contacts; occasion, choice, payment; experience,
 *        satisfaction, failure and recovery, trust, commitment (market.c);
 *        then firm learning from the feedback collected
 *   5. word of mouth heard (wom.c)
 *   6. per customer-firm bookkeeping (retention, trailing revenue, decay,
 *      lock-in), tier thresholds for the next period, metrics
 *   7. exits and newcomers (population.c)
 *
 * Active: bought from the firm within the last recency periods and not
 * departed since. Lost customers of period t: active at the start of t and
 * lapsed past recency, switched (last purchase was from the firm, this
 * period's from a rival: the relation is then departed until the customer
 * buys from the firm again) or left the market at the end of t-1. Retention rate = retained /
 * (retained + lost). CLV = m r / (1 + d - r) with m the period's margin per
 * active customer (revenue - cogs - retention cost - recovery cost) / active.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/model.h"
#include "relsim/rng.h"
#include "sim_internal.h"

double sim_reduce(const struct relsim_sim *s, int index) {
  double sum = 0.0;
  for (int64_t b = 0; b < s->n_blocks; b++) sum += s->acc[b * s->n_slots + index];
  return sum;
}

static double ratio(double num, double den) { return den > 0.0 ? num / den : NAN; }

/* The state arrays, listed once for allocation and release. */
struct array_spec {
  void *field; /* address of the pointer field in the sim */
  size_t count, size;
};

static int state_arrays(struct relsim_sim *s, struct array_spec *spec) {
  const size_t n = (size_t)s->n, nk = n * (size_t)s->k, na = (size_t)s->a;
  int m = 0;
#define ARRAY(ptr, count) spec[m++] = (struct array_spec){&(ptr), (count), sizeof *(ptr)}
  ARRAY(s->c.spend, n);
  ARRAY(s->c.trend, n);
  ARRAY(s->c.need, n);
  ARRAY(s->c.involvement, n);
  ARRAY(s->c.beta, n);
  ARRAY(s->c.talk, n);
  ARRAY(s->c.desire, n * na);
  ARRAY(s->c.last_firm, n);
  ARRAY(s->c.generation, n);
  ARRAY(s->c.bought, n);
  ARRAY(s->c.prev_last_firm, n);
  ARRAY(s->c.prev_last, n);
  ARRAY(s->c.paid_list, n);
  ARRAY(s->c.heard_chain, n);
  ARRAY(s->r.aware, nk);
  ARRAY(s->r.tier, nk);
  ARRAY(s->r.blocked_until, nk);
  ARRAY(s->r.expect, nk * na);
  ARRAY(s->r.trust, nk);
  ARRAY(s->r.commit, nk);
  ARRAY(s->r.first_purchase, nk);
  ARRAY(s->r.last_purchase, nk);
  ARRAY(s->r.last_contact, nk);
  ARRAY(s->r.purchases, nk);
  ARRAY(s->r.lock_left, nk);
  ARRAY(s->r.departed, nk);
  ARRAY(s->r.value, nk);
  ARRAY(s->r.cum_spend, nk);
  ARRAY(s->r.last_sat, nk);
  ARRAY(s->r.active_hist, nk);
  ARRAY(s->acc, (size_t)s->n_blocks * (size_t)s->n_slots);
  ARRAY(s->block_stories, (size_t)s->n_blocks);
  ARRAY(s->hist, (size_t)s->threads * (size_t)s->k * RELSIM_HIST_BINS);
  ARRAY(s->rng, (size_t)s->threads);
#undef ARRAY
  return m;
}

#define MAX_ARRAYS 64

struct relsim_sim *sim_create(const struct relsim_params *p, int threads, char *err, size_t errlen) {
  struct relsim_sim *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, errlen, "out of memory creating the simulation");
    return NULL;
  }
  s->p = *p;
  s->n = p->customers;
  s->k = p->n_firms;
  s->a = p->n_attrs;
  s->threads = threads > 0 ? threads : omp_get_max_threads();

  s->n_blocks = (s->n + RELSIM_BLOCK - 1) / RELSIM_BLOCK;
  s->n_slots = ACC_FIRM_SLOTS * s->k + ACC_MARKET_SLOTS;
  struct array_spec spec[MAX_ARRAYS];
  int n_arrays = state_arrays(s, spec), ok = 1;
  size_t bytes = 0;
  for (int j = 0; j < n_arrays; j++) {
    void *ptr = calloc(spec[j].count ? spec[j].count : 1, spec[j].size);
    memcpy(spec[j].field, &ptr, sizeof ptr);
    ok &= ptr != NULL;
    bytes += spec[j].count * spec[j].size;
  }
  s->state_bytes = bytes;
  if (!ok || wom_alloc(s) != 0) {
    snprintf(err, errlen, "out of memory allocating the state of %lld customers x %d firms (%.1f MB)",
             (long long)s->n, s->k, bytes / 1e6);
    sim_free(s);
    return NULL;
  }
  for (int th = 0; th < s->threads; th++)
    if (!(s->rng[th] = rng_alloc())) {
      snprintf(err, errlen, "out of memory allocating random number generators");
      sim_free(s);
      return NULL;
    }

  s->net = network_create(p->network_kind, s->n, p->contacts, p->rewire, p->network_file, p->seed, err, errlen);
  if (!s->net) {
    sim_free(s);
    return NULL;
  }

  for (int f = 0; f < s->k; f++) {
    struct relsim_firm_state *fs = &s->firm[f];
    double sum = 0.0;
    for (int a = 0; a < s->a; a++) {
      fs->quality[a] = p->firms[f].quality[a];
      fs->promise[a] = p->firms[f].promise[a];
      sum += fs->promise[a];
    }
    fs->promise_mean = sum / s->a;
    fs->threshold[0] = fs->threshold[1] = INFINITY;
  }

  /* Births and initial awareness. */
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
  for (int64_t b = 0; b < s->n_blocks; b++) {
    gsl_rng *g = s->rng[omp_thread()];
    int64_t end = (b + 1) * RELSIM_BLOCK < s->n ? (b + 1) * RELSIM_BLOCK : s->n;
    for (int64_t i = b * RELSIM_BLOCK; i < end; i++) {
      population_birth(s, g, i);
      rng_seek(g, p->seed, 0, RELSIM_STREAM_INIT, (uint64_t)i, 0, 0);
      for (int f = 0; f < s->k; f++)
        if (rng_bernoulli(g, p->firms[f].initial_awareness)) firm_make_aware(s, i, f);
    }
  }
  s->period = 0;
  return s;
}

void sim_free(struct relsim_sim *s) {
  if (!s) return;
  if (s->block_stories)
    for (int64_t b = 0; b < s->n_blocks; b++) free(s->block_stories[b].data);
  if (s->rng)
    for (int th = 0; th < s->threads; th++) rng_free(s->rng[th]);
  struct array_spec spec[MAX_ARRAYS];
  int n_arrays = state_arrays(s, spec);
  for (int j = 0; j < n_arrays; j++) {
    void *ptr;
    memcpy(&ptr, spec[j].field, sizeof ptr);
    free(ptr);
  }
  wom_free(s);
  network_free(s->net);
  free(s);
}

size_t sim_bytes(const struct relsim_sim *s) {
  return s->state_bytes + wom_bytes(s) + network_bytes(s->net);
}

/* Phase 6, per customer: bookkeeping and end-of-period tallies. */
static void end_of_period_block(struct relsim_sim *s, int th, int64_t block, int t) {
  const struct relsim_params *p = &s->p;
  struct relsim_customers *c = &s->c;
  struct relsim_relations *r = &s->r;
  const int k = s->k;
  const double keep = 1.0 - 1.0 / p->recency;
  double *blk = acc_block(s, block);
  int64_t begin = block * RELSIM_BLOCK, end = begin + RELSIM_BLOCK < s->n ? begin + RELSIM_BLOCK : s->n;
  for (int64_t i = begin; i < end; i++) {
    *acc_market(blk, k, ACC_M_SPEND_SUM) += c->spend[i];
    int bought = c->bought[i];
    int aware_any = 0;
    for (int f = 0; f < k; f++) {
      int64_t x = i * k + f;
      if (!r->aware[x]) continue; /* never heard of the firm: nothing to update or count */
      /* departed still holds its value from the end of the last period */
      int32_t before = bought == f ? c->prev_last[i] : r->last_purchase[x];
      int active_start = sim_active_at(before, t - 1, p->recency) && !r->departed[x];
      int switched = active_start && c->prev_last_firm[i] == f && bought >= 0 && bought != f;
      if (bought == f) r->departed[x] = 0;
      else if (switched) r->departed[x] = 1;
      int active_end = sim_active(r, x, t, p->recency);
      r->active_hist[x] = r->active_hist[x] << 1 | (uint64_t)active_end;
      if (!active_start && bought == f && r->first_purchase[x] != t) *acc_firm(blk, k, ACC_WON_BACK, f) += 1.0;
      if (active_start) {
        int lost = !active_end;
        int tier = r->tier[x];
        *acc_firm(blk, k, lost ? ACC_LOST : ACC_RETAINED, f) += 1.0;
        *acc_firm(blk, k, (lost ? ACC_TIER_LOST : ACC_TIER_RET) + tier, f) += 1.0;
      }
      r->value[x] = (float)(r->value[x] * keep + (bought == f ? c->paid_list[i] : 0.0f));
      if (bought != f && r->last_contact[x] != t) r->commit[x] *= (float)(1.0 - p->commitment_decay);
      if (r->lock_left[x] > 0) r->lock_left[x]--;
      if (r->aware[x]) {
        aware_any = 1;
        *acc_firm(blk, k, ACC_AWARE, f) += 1.0;
      }
      if (r->blocked_until[x] > t + 1) *acc_firm(blk, k, ACC_BLOCKING, f) += 1.0;
      if (r->lock_left[x] > 0) *acc_firm(blk, k, ACC_LOCKED, f) += 1.0;
      if (!active_end) continue;
      *acc_firm(blk, k, ACC_ACTIVE, f) += 1.0;
      *acc_firm(blk, k, r->active_hist[x] >> p->cohort_periods & 1 ? ACC_COHORT_RET : ACC_COHORT_ACQ, f) += 1.0;
      *acc_firm(blk, k, ACC_TRUST_SUM, f) += r->trust[x];
      *acc_firm(blk, k, ACC_COMMIT_SUM, f) += r->commit[x];
      if (c->involvement[i]) {
        if (r->commit[x] >= p->committed_threshold) *acc_firm(blk, k, ACC_LOYAL, f) += 1.0;
      } else if (c->last_firm[i] == f) {
        *acc_firm(blk, k, ACC_INERT, f) += 1.0;
      }
      firm_hist_add(s, th, f, r->value[x]);
    }
    if (aware_any) *acc_market(blk, k, ACC_M_AWARE_ANY) += 1.0;
  }
}

static void compute_metrics(struct relsim_sim *s, int t, const double *ad_spend, const double *impressions,
                            const double *rnd) {
  const struct relsim_params *p = &s->p;
  const int k = s->k;
  struct relsim_metrics *m = &s->m;
  m->period = t;
  m->n_firms = k;
  int64_t wom[WOM_SLOTS * RELSIM_MAX_FIRMS];
  memset(wom, 0, sizeof wom);
  for (int th = 0; th < s->threads; th++)
    for (int j = 0; j < WOM_SLOTS * k; j++) wom[j] += s->wom_counts[(size_t)th * WOM_SLOTS * k + j];
#define R(slot, f) sim_reduce(s, (slot) * k + (f))
  double total_rev = 0.0, total_active = 0.0;
  for (int f = 0; f < k; f++) total_rev += R(ACC_REVENUE, f), total_active += R(ACC_ACTIVE, f);
  double c_sum[4] = {0.0, 0.0, 0.0, 0.0}; /* all firms' window acquisition and retention costs, acquired, retained */
  for (int f = 0; f < k; f++) {
    struct relsim_firm_state *fs = &s->firm[f];
    double *v[RELSIM_FM_COUNT];
    for (int j = 0; j < RELSIM_FM_COUNT; j++) v[j] = &m->firm[j][f];
#define SET(name, value) (*v[RELSIM_FM_##name] = (value))
    double rev = R(ACC_REVENUE, f), cogs = R(ACC_COGS, f);
    double new_disc = R(ACC_NEW_DISC, f), loy_disc = R(ACC_LOY_DISC, f);
    double rel_cost = 0.0;
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
      double served = R(ACC_TIER_START + tier, f);
      double cost = served * p->level_cost[fs->level[tier]];
      double ret = R(ACC_TIER_RET + tier, f), lost = R(ACC_TIER_LOST + tier, f) + fs->pending_lost_tier[tier];
      rel_cost += cost;
      m->tier[RELSIM_TM_active_customers][f][tier] = served;
      m->tier[RELSIM_TM_revenue][f][tier] = R(ACC_TIER_REV + tier, f);
      m->tier[RELSIM_TM_retained_customers][f][tier] = ret;
      m->tier[RELSIM_TM_lost_customers][f][tier] = lost;
      m->tier[RELSIM_TM_retention_rate][f][tier] = ratio(ret, ret + lost);
      m->tier[RELSIM_TM_level][f][tier] = fs->level[tier];
      m->tier[RELSIM_TM_relationship_cost][f][tier] = cost;
    }
    double acq = ad_spend[f] + new_disc, retc = rel_cost + loy_disc, recov = R(ACC_RECOVERY_COST, f);
    double profit = rev - cogs - acq - retc - recov - rnd[f];
    fs->cumulative_profit += profit;
    double active = R(ACC_ACTIVE, f), newc = R(ACC_NEW, f), retained = R(ACC_RETAINED, f);
    double lost = R(ACC_LOST, f) + fs->pending_lost;
    double rrate = ratio(retained, retained + lost);
    double buyers = R(ACC_PURCHASES, f);
    double sc = ratio(R(ACC_BAND_COMPLETE, f), buyers), ss = ratio(R(ACC_BAND_SATISFIED, f), buyers);
    double sn = ratio(R(ACC_BAND_NEUTRAL, f), buyers), sd = ratio(R(ACC_BAND_DISSATISFIED, f), buyers);
    double margin = ratio(rev - cogs - retc - recov, active);
    double clv = model_clv(margin, rrate, p->discount_rate);
    double cpa = ratio(acq, newc), cpr = ratio(retc, retained);
    double qsum = 0.0;
    for (int a = 0; a < s->a; a++) qsum += fs->quality[a];
    SET(revenue, rev);
    SET(cogs, cogs);
    SET(acquisition_cost, acq);
    SET(retention_cost, retc);
    SET(recovery_cost, recov);
    SET(rnd_cost, rnd[f]);
    SET(profit, profit);
    SET(cumulative_profit, fs->cumulative_profit);
    SET(active_customers, active);
    SET(new_customers, newc);
    SET(won_back_customers, R(ACC_WON_BACK, f));
    SET(retained_customers, retained);
    SET(lost_customers, lost);
    SET(retention_rate, rrate);
    SET(churn_rate, ratio(lost, retained + lost));
    SET(cost_per_acquisition, cpa);
    SET(cost_per_retention, cpr);
    SET(acq_ret_cost_ratio, ratio(cpa, cpr));
    SET(revenue_share, ratio(rev, total_rev));
    SET(customer_share, ratio(active, total_active));
    SET(satisfaction_mean, ratio(R(ACC_SAT_SUM, f), buyers));
    SET(share_completely_satisfied, sc);
    SET(share_satisfied, ss);
    SET(share_neutral, sn);
    SET(share_dissatisfied, sd);
    SET(net_promoter, sc - (sn + sd));
    SET(wom_positive_sent, (double)wom[WOM_POS_SENT * k + f]);
    SET(wom_negative_sent, (double)wom[WOM_NEG_SENT * k + f]);
    SET(wom_heard, (double)wom[WOM_HEARD * k + f]);
    SET(aware_customers, R(ACC_AWARE, f));
    SET(blocking_customers, R(ACC_BLOCKING, f));
    SET(trust_mean, ratio(R(ACC_TRUST_SUM, f), active));
    SET(commitment_mean, ratio(R(ACC_COMMIT_SUM, f), active));
    SET(clv, clv);
    SET(customer_equity, clv * active);
    SET(delivered_value, ratio(R(ACC_DV_SUM, f), buyers));
    SET(purchases, buyers);
    SET(advertising_cost, ad_spend[f]);
    SET(relationship_cost, rel_cost);
    SET(new_customer_discounts, new_disc);
    SET(loyalty_discounts, loy_disc);
    SET(budget, fs->budget);
    SET(impressions, impressions[f]);
    SET(failures, R(ACC_FAILURES, f));
    SET(complaints, R(ACC_COMPLAINTS, f));
    SET(recoveries, R(ACC_RECOVERIES, f));
    SET(contacts, R(ACC_CONTACTS, f));
    SET(locked_customers, R(ACC_LOCKED, f));
    SET(loyal_customers, R(ACC_LOYAL, f));
    SET(inert_customers, R(ACC_INERT, f));
    SET(quality_mean, qsum / s->a);
    SET(repurchase_completely_satisfied, ratio(R(ACC_REPURCHASE + 0, f), R(ACC_REPEAT_OCC + 0, f)));
    SET(repurchase_satisfied, ratio(R(ACC_REPURCHASE + 1, f), R(ACC_REPEAT_OCC + 1, f)));
    SET(repurchase_neutral, ratio(R(ACC_REPURCHASE + 2, f), R(ACC_REPEAT_OCC + 2, f)));
    SET(repurchase_dissatisfied, ratio(R(ACC_REPURCHASE + 3, f), R(ACC_REPEAT_OCC + 3, f)));
    SET(repeat_occasions_completely_satisfied, R(ACC_REPEAT_OCC + 0, f));
    SET(repeat_occasions_satisfied, R(ACC_REPEAT_OCC + 1, f));
    SET(repeat_occasions_neutral, R(ACC_REPEAT_OCC + 2, f));
    SET(repeat_occasions_dissatisfied, R(ACC_REPEAT_OCC + 3, f));
    SET(defection_inert, ratio(R(ACC_DEF_INERT, f), R(ACC_OCC_INERT, f)));
    SET(defection_loyal, ratio(R(ACC_DEF_LOYAL, f), R(ACC_OCC_LOYAL, f)));
    SET(promotion_occasions_inert, R(ACC_OCC_INERT, f));
    SET(promotion_occasions_loyal, R(ACC_OCC_LOYAL, f));
    SET(positive_tellers, (double)wom[WOM_POS_TOLD * k + f]);
    SET(negative_tellers, (double)wom[WOM_NEG_TOLD * k + f]);
    SET(satisfaction_recovered, ratio(R(ACC_SAT_RECOVERED, f), R(ACC_RECOVERIES, f)));
    SET(satisfaction_no_failure, ratio(R(ACC_SAT_NO_FAILURE, f), R(ACC_NO_FAILURE, f)));
    /* Cohort metrics over the last W = cohort_periods periods (NaN before period W). */
    const int W = p->cohort_periods, slot = t % RELSIM_COHORT_RING;
    fs->ring_active[slot] = active, fs->ring_acq[slot] = acq, fs->ring_ret[slot] = retc;
    double c_ret = R(ACC_COHORT_RET, f), c_acq = R(ACC_COHORT_ACQ, f);
    double base = NAN, w_acq = NAN, w_ret = NAN;
    if (t >= W) {
      base = fs->ring_active[(t - W) % RELSIM_COHORT_RING];
      w_acq = w_ret = 0.0;
      for (int j = t - W + 1; j <= t; j++) w_acq += fs->ring_acq[j % RELSIM_COHORT_RING], w_ret += fs->ring_ret[j % RELSIM_COHORT_RING];
      c_sum[0] += w_acq, c_sum[1] += w_ret, c_sum[2] += c_acq, c_sum[3] += c_ret;
    } else {
      c_ret = c_acq = NAN;
    }
    double cpa_c = ratio(w_acq, c_acq), cpr_c = ratio(w_ret, c_ret);
    SET(cohort_retained, c_ret);
    SET(cohort_acquired, c_acq);
    SET(cohort_retention, ratio(c_ret, base));
    SET(cohort_acquisition_cost, w_acq);
    SET(cohort_retention_cost, w_ret);
    SET(cost_per_acquired, cpa_c);
    SET(cost_per_retained, cpr_c);
    SET(cohort_cost_ratio, ratio(cpa_c, cpr_c));
#undef SET
    fs->last_revenue = rev;
    fs->last_new_disc = new_disc;
    fs->last_loy_disc = loy_disc;
  }
#undef R
  double *mk = m->market;
  mk[RELSIM_MM_occasions] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_OCCASIONS);
  mk[RELSIM_MM_purchases] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_PURCHASES);
  mk[RELSIM_MM_no_purchase] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_NO_PURCHASE);
  mk[RELSIM_MM_searches] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_SEARCHES);
  mk[RELSIM_MM_aware_any] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_AWARE_ANY);
  mk[RELSIM_MM_mean_spend] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_SPEND_SUM) / (double)s->n;
  double pos = 0, neg = 0, relayed = 0, stories = 0;
  for (int f = 0; f < k; f++) {
    pos += (double)wom[WOM_POS_SENT * k + f];
    neg += (double)wom[WOM_NEG_SENT * k + f];
    relayed += (double)wom[WOM_RELAYED * k + f];
    stories += (double)wom[WOM_STORIES * k + f];
  }
  mk[RELSIM_MM_stories] = stories;
  mk[RELSIM_MM_wom_messages] = pos + neg;
  mk[RELSIM_MM_wom_positive] = pos;
  mk[RELSIM_MM_wom_negative] = neg;
  mk[RELSIM_MM_wom_relayed] = relayed;
  mk[RELSIM_MM_exits] = 0.0;
  mk[RELSIM_MM_cohort_cost_ratio] =
      t >= p->cohort_periods ? ratio(ratio(c_sum[0], c_sum[2]), ratio(c_sum[1], c_sum[3])) : NAN;
}

int sim_step(struct relsim_sim *s, char *err, size_t errlen) {
  const int t = s->period;
  const int k = s->k;
  double ad_spend[RELSIM_MAX_FIRMS], impressions[RELSIM_MAX_FIRMS], rnd[RELSIM_MAX_FIRMS];
  memset(s->acc, 0, (size_t)s->n_blocks * (size_t)s->n_slots * sizeof *s->acc);

  /* 1. Budgets, tiers and offers; advertising. */
  firm_plan(s, t);
  firm_advertise(s, t, ad_spend, impressions);

  /* 2-4. Contacts, purchases, experience. */
  int failed = 0;
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
  for (int64_t b = 0; b < s->n_blocks; b++) {
    if (market_customer_block(s, s->rng[omp_thread()], b, t) != 0) {
#pragma omp atomic write
      failed = 1;
    }
  }
  if (failed) {
    snprintf(err, errlen, "out of memory storing word-of-mouth stories in period %d", t);
    return -1;
  }
  firm_learn(s, t, rnd);

  /* 5. Word of mouth (with this period's injected stories). */
  if (wom_inject(s, t) != 0 || wom_period(s, t) != 0) {
    snprintf(err, errlen, "out of memory delivering word of mouth in period %d", t);
    return -1;
  }

  /* 6. Bookkeeping, tiers for the next period, metrics. */
#pragma omp parallel num_threads(s->threads)
  {
    int th = omp_thread();
#pragma omp for schedule(dynamic, 1)
    for (int64_t b = 0; b < s->n_blocks; b++) end_of_period_block(s, th, b, t);
  }
  firm_update_tiers(s);
  compute_metrics(s, t, ad_spend, impressions, rnd);

  /* 7. Exits and newcomers. */
  population_exits(s, t);
  for (int f = 0; f < k; f++) {
    s->firm[f].pending_lost = sim_reduce(s, ACC_EXIT_LOST * k + f);
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
      s->firm[f].pending_lost_tier[tier] = sim_reduce(s, (ACC_EXIT_LOST_TIER + tier) * k + f);
  }
  s->m.market[RELSIM_MM_exits] = sim_reduce(s, ACC_FIRM_SLOTS * k + ACC_M_EXITS);
  s->period++;
  return 0;
}
