/*
 * Phase 6 (MODEL.md §11.6, §13): per customer-firm bookkeeping at the end of
 * the period, and the period's metrics.
 *
 * Active: bought from the firm within the last recency periods and not
 * departed since (relation.h). Lost customers of period t: active at the
 * start of t and lapsed past recency, switched (last purchase was from the
 * firm, this period's from a rival: the relation is then departed until the
 * customer buys from the firm again) or left the market at the end of t-1.
 * Retention rate = retained / (retained + lost). CLV = m r / (1 + d - r)
 * with m the period's margin per active customer (revenue - cogs -
 * retention cost - recovery cost) / active. Trailing revenue decays by
 * 1 - 1/recency per period; commitment decays by commitment_decay when the
 * customer neither bought from nor was contacted by the firm; lock-in
 * counts down.
 * Relationship stage (docs/model.md), one step a period at most: a
 * stranger who bought becomes a buyer; a buyer with regular_purchases
 * purchases and trust >= regular_trust a regular; a regular with
 * personal_contacts manager contacts and commitment >= personal_commitment
 * reaches personal trust; a personal-trust customer whose tier is offered
 * partnership, who has a manager, commitment >= partner_commitment and
 * partner_tenure periods since its first purchase becomes a partner.
 * Neglect: after stage_neglect periods without a purchase or a contact,
 * and again every stage_neglect periods, the stage falls one (not below
 * buyer). (A broken promise costs a stage in experience.c.)
 * Costs, as budgeted at the start of the period (firm.c): relationship
 * cost = service programme (levels.cost per active customer by tier, at
 * the end of the last period) + structural programme (bonds.structural_cost per
 * partner at the end of the last period) + the managers' salaries for
 * their contacts with customers (1 - prospect_share of them); retention
 * cost = relationship cost + loyalty discounts; acquisition cost =
 * advertising + the salaries for prospect visits (prospecting cost) +
 * first-purchase discounts.
 *
 * Contract: writes the relations' departed, active_hist, value, commit,
 * lock_left, stage; tallies WON_BACK, RETAINED, LOST, TIER_RET, TIER_LOST,
 * AWARE, BLOCKING, LOCKED, ACTIVE, COHORT_RET, COHORT_ACQ, TRUST_SUM,
 * COMMIT_SUM, LOYAL, INERT, STAGE, SAME_*, M_SPEND_SUM, M_AWARE_ANY and the value
 * and priority histograms; reads
 * every tally for the metrics and writes the firms' books (cumulative
 * profit, last revenue and discounts, cohort rings, pending losses). No
 * random draws.
 */
#include "accounting.h"

#include <math.h>
#include <string.h>

#include "relsim/model.h"
#include "relsim/relation.h"

static double ratio(double num, double den) { return den > 0.0 ? num / den : NAN; }

/* The relationship stage of relation x (customer i, firm f) at the end of period t. */
static void stage_update(const struct relsim_params *p, struct relsim_world *w, int64_t i, int f, int t) {
  struct relsim_relations *r = &w->r;
  const int64_t x = i * w->k + f;
  int s = r->stage[x];
  if (r->purchases[x] == 0) return;
  if (s == RELSIM_STAGE_STRANGER) {
    r->stage[x] = RELSIM_STAGE_BUYER;
    return;
  }
  int32_t touch = r->last_contact[x] > r->last_purchase[x] ? r->last_contact[x] : r->last_purchase[x];
  int idle = t - touch;
  if (idle >= p->stage_neglect) {
    if (idle % p->stage_neglect == 0 && s > RELSIM_STAGE_BUYER) r->stage[x] = (uint8_t)(s - 1);
    return;
  }
  int up = 0;
  switch (s) {
  case RELSIM_STAGE_BUYER:
    up = r->purchases[x] >= (uint32_t)p->stage_regular_purchases && r->trust[x] >= p->stage_regular_trust;
    break;
  case RELSIM_STAGE_REGULAR:
    up = r->contacts_got[x] >= p->stage_personal_contacts && r->commit[x] >= p->stage_personal_commitment;
    break;
  case RELSIM_STAGE_PERSONAL:
    up = w->firm[f].level[r->tier[x]] == RELSIM_LEVEL_PARTNERSHIP && relation_managed(p, w, i, f) &&
         r->commit[x] >= p->stage_partner_commitment && t - r->first_purchase[x] >= p->stage_partner_tenure;
    break;
  default:
    break;
  }
  if (up) r->stage[x] = (uint8_t)(s + 1);
}

void accounting_customers_block(const struct relsim_params *p, struct relsim_world *w, struct relsim_tally *tl,
                                int thread, int64_t b, int t) {
  struct relsim_customers *c = &w->c;
  struct relsim_relations *r = &w->r;
  const int k = w->k;
  const double keep = 1.0 - 1.0 / p->recency;
  double *blk = tally_block(tl, b);
  int64_t begin, end;
  tally_block_range(tl, b, &begin, &end);
  int managers[RELSIM_MAX_FIRMS]; /* firms whose priority histogram is kept */
  for (int f = 0; f < k; f++) managers[f] = relation_offers_managers(&p->firms[f]);
  for (int64_t i = begin; i < end; i++) {
    *tally_market(blk, k, TALLY_M_SPEND_SUM) += c->spend[i];
    int bought = c->bought[i];
    int aware_any = 0;
    /* The customer's last satisfaction with every firm it bought from, for
     * the same-customer comparison. */
    int n_sat = 0;
    double sum_sat = 0.0;
    for (int f = 0; f < k; f++)
      if (!isnan(r->last_sat[i * k + f])) n_sat++, sum_sat += r->last_sat[i * k + f];
    for (int f = 0; f < k; f++) {
      int64_t x = i * k + f;
      if (!r->aware[x]) continue; /* never heard of the firm: nothing to update or count */
      /* departed still holds its value from the end of the last period */
      int32_t before = bought == f ? c->prev_last[i] : r->last_purchase[x];
      int active_start = relation_recent(before, t - 1, p->recency) && !r->departed[x];
      int switched = active_start && c->prev_last_firm[i] == f && bought >= 0 && bought != f;
      if (bought == f) r->departed[x] = 0;
      else if (switched) r->departed[x] = 1;
      int active_end = relation_active(r, x, t, p->recency);
      r->active_hist[x] = r->active_hist[x] << 1 | (uint64_t)active_end;
      if (!active_start && bought == f && r->first_purchase[x] != t) *tally_firm(blk, k, TALLY_WON_BACK, f) += 1.0;
      if (active_start) {
        int lost = !active_end;
        int tier = r->tier[x];
        *tally_firm(blk, k, lost ? TALLY_LOST : TALLY_RETAINED, f) += 1.0;
        *tally_firm(blk, k, (lost ? TALLY_TIER_LOST : TALLY_TIER_RET) + tier, f) += 1.0;
      }
      r->value[x] = (float)(r->value[x] * keep + (bought == f ? c->paid_list[i] : 0.0f));
      if (bought != f && r->last_contact[x] != t) r->commit[x] *= (float)(1.0 - p->commitment_decay);
      if (r->lock_left[x] > 0) r->lock_left[x]--;
      stage_update(p, w, i, f, t);
      aware_any = 1;
      *tally_firm(blk, k, TALLY_AWARE, f) += 1.0;
      if (r->blocked_until[x] > t + 1) *tally_firm(blk, k, TALLY_BLOCKING, f) += 1.0;
      if (r->lock_left[x] > 0) *tally_firm(blk, k, TALLY_LOCKED, f) += 1.0;
      if (n_sat > 1 && !isnan(r->last_sat[x])) { /* it bought from f and from a rival */
        *tally_firm(blk, k, TALLY_SAME_N, f) += 1.0;
        *tally_firm(blk, k, TALLY_SAME_SAT, f) += r->last_sat[x];
        *tally_firm(blk, k, TALLY_SAME_RIVAL_SAT, f) += (sum_sat - r->last_sat[x]) / (n_sat - 1);
      }
      if (!active_end) continue;
      *tally_firm(blk, k, TALLY_ACTIVE, f) += 1.0;
      *tally_firm(blk, k, r->active_hist[x] >> p->cohort_periods & 1 ? TALLY_COHORT_RET : TALLY_COHORT_ACQ, f) += 1.0;
      *tally_firm(blk, k, TALLY_TRUST_SUM, f) += r->trust[x];
      *tally_firm(blk, k, TALLY_COMMIT_SUM, f) += r->commit[x];
      if (c->involvement[i]) {
        if (r->commit[x] >= p->committed_threshold) *tally_firm(blk, k, TALLY_LOYAL, f) += 1.0;
      } else if (c->last_firm[i] == f) {
        *tally_firm(blk, k, TALLY_INERT, f) += 1.0;
      }
      *tally_firm(blk, k, TALLY_STAGE + r->stage[x], f) += 1.0;
      tally_hist_add(tl, thread, TALLY_HIST_VALUE, f, r->value[x]);
      if (managers[f]) tally_hist_add(tl, thread, TALLY_HIST_PRIORITY, f, relation_priority(p, w, i, f));
    }
    if (aware_any) *tally_market(blk, k, TALLY_M_AWARE_ANY) += 1.0;
  }
}

void accounting_metrics(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl, int t,
                        const double *ad_spend, const double *impressions, const double *rnd,
                        struct relsim_metrics *m) {
  const int k = w->k;
  m->period = t;
  m->n_firms = k;
#define R(slot, f) tally_firm_sum(tl, slot, f)
#define WOM(slot, f) ((double)tally_count(tl, TALLY_##slot, f))
  double total_rev = 0.0, total_active = 0.0;
  for (int f = 0; f < k; f++) total_rev += R(TALLY_REVENUE, f), total_active += R(TALLY_ACTIVE, f);
  double c_sum[4] = {0.0, 0.0, 0.0, 0.0}; /* all firms' window acquisition and retention costs, acquired, retained */
  for (int f = 0; f < k; f++) {
    struct relsim_firm_state *fs = &w->firm[f];
    double *v[RELSIM_FM_COUNT];
    for (int j = 0; j < RELSIM_FM_COUNT; j++) v[j] = &m->firm[j][f];
#define SET(name, value) (*v[RELSIM_FM_##name] = (value))
    double rev = R(TALLY_REVENUE, f), cogs = R(TALLY_COGS, f);
    double new_disc = R(TALLY_NEW_DISC, f), loy_disc = R(TALLY_LOY_DISC, f);
    double service = 0.0; /* = fs->service_cost */
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
      double served = R(TALLY_TIER_START + tier, f);
      double cost = fs->absent ? 0.0 : fs->tier_service_cost[tier]; /* budgeted on last period's active customers */
      double ret = R(TALLY_TIER_RET + tier, f), lost = R(TALLY_TIER_LOST + tier, f) + fs->pending_lost_tier[tier];
      service += cost;
      m->tier[RELSIM_TM_active_customers][f][tier] = served;
      m->tier[RELSIM_TM_revenue][f][tier] = R(TALLY_TIER_REV + tier, f);
      m->tier[RELSIM_TM_retained_customers][f][tier] = ret;
      m->tier[RELSIM_TM_lost_customers][f][tier] = lost;
      m->tier[RELSIM_TM_retention_rate][f][tier] = ratio(ret, ret + lost);
      m->tier[RELSIM_TM_level][f][tier] = fs->level[tier];
      m->tier[RELSIM_TM_relationship_cost][f][tier] = cost;
      fs->tier_margin[tier] = served > 0.0 ? R(TALLY_TIER_REV + tier, f) * (1.0 - p->firms[f].unit_cost) / served : NAN;
      m->tier[RELSIM_TM_satisfaction_mean][f][tier] = ratio(R(TALLY_SAT_TIER + tier, f), R(TALLY_BUY_TIER + tier, f));
    }
    /* Managers' salaries by what their time buys: visits to prospects are
     * acquisition, contacts with customers retention. */
    double prospecting = fs->staff_cost * p->firms[f].prospect_share;
    double programme = fs->programme_cost;
    double rel_cost = service + programme + (fs->staff_cost - prospecting);
    double acq = ad_spend[f] + prospecting + new_disc, retc = rel_cost + loy_disc, recov = R(TALLY_RECOVERY_COST, f);
    double profit = rev - cogs - acq - retc - recov - rnd[f];
    fs->cumulative_profit += profit;
    fs->window_profit += profit;
    double active = R(TALLY_ACTIVE, f), newc = R(TALLY_NEW, f), retained = R(TALLY_RETAINED, f);
    double lost = R(TALLY_LOST, f) + fs->pending_lost;
    double rrate = ratio(retained, retained + lost);
    double buyers = R(TALLY_PURCHASES, f);
    double sc = ratio(R(TALLY_BAND + RELSIM_BAND_COMPLETE, f), buyers), ss = ratio(R(TALLY_BAND + RELSIM_BAND_SATISFIED, f), buyers);
    double sn = ratio(R(TALLY_BAND + RELSIM_BAND_NEUTRAL, f), buyers), sd = ratio(R(TALLY_BAND + RELSIM_BAND_DISSATISFIED, f), buyers);
    double margin = ratio(rev - cogs - retc - recov, active);
    double clv = model_clv(margin, rrate, p->discount_rate);
    double cpa = ratio(acq, newc), cpr = ratio(retc, retained);
    double qsum = 0.0;
    for (int a = 0; a < w->a; a++) qsum += fs->quality[a];
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
    SET(won_back_customers, R(TALLY_WON_BACK, f));
    SET(retained_customers, retained);
    SET(lost_customers, lost);
    SET(retention_rate, rrate);
    SET(churn_rate, ratio(lost, retained + lost));
    SET(cost_per_acquisition, cpa);
    SET(cost_per_retention, cpr);
    SET(acq_ret_cost_ratio, ratio(cpa, cpr));
    SET(revenue_share, ratio(rev, total_rev));
    SET(customer_share, ratio(active, total_active));
    SET(satisfaction_mean, ratio(R(TALLY_SAT_SUM, f), buyers));
    SET(share_completely_satisfied, sc);
    SET(share_satisfied, ss);
    SET(share_neutral, sn);
    SET(share_dissatisfied, sd);
    SET(net_promoter, sc - (sn + sd));
    SET(wom_positive_sent, WOM(WOM_POS_SENT, f));
    SET(wom_negative_sent, WOM(WOM_NEG_SENT, f));
    SET(wom_heard, WOM(WOM_HEARD, f));
    SET(aware_customers, R(TALLY_AWARE, f));
    SET(blocking_customers, R(TALLY_BLOCKING, f));
    SET(trust_mean, ratio(R(TALLY_TRUST_SUM, f), active));
    SET(commitment_mean, ratio(R(TALLY_COMMIT_SUM, f), active));
    SET(clv, clv);
    SET(customer_equity, clv * active);
    SET(delivered_value, ratio(R(TALLY_DV_SUM, f), buyers));
    SET(purchases, buyers);
    SET(advertising_cost, ad_spend[f]);
    SET(relationship_cost, rel_cost);
    SET(new_customer_discounts, new_disc);
    SET(loyalty_discounts, loy_disc);
    SET(budget, fs->budget);
    SET(impressions, impressions[f]);
    SET(failures, R(TALLY_FAILURES, f));
    SET(complaints, R(TALLY_COMPLAINTS, f));
    SET(recoveries, R(TALLY_RECOVERIES, f));
    SET(contacts, R(TALLY_CONTACTS, f));
    SET(locked_customers, R(TALLY_LOCKED, f));
    SET(loyal_customers, R(TALLY_LOYAL, f));
    SET(inert_customers, R(TALLY_INERT, f));
    SET(quality_mean, qsum / w->a);
    SET(repurchase_completely_satisfied, ratio(R(TALLY_REPURCHASE + RELSIM_BAND_COMPLETE, f), R(TALLY_REPEAT_OCC + RELSIM_BAND_COMPLETE, f)));
    SET(repurchase_satisfied, ratio(R(TALLY_REPURCHASE + RELSIM_BAND_SATISFIED, f), R(TALLY_REPEAT_OCC + RELSIM_BAND_SATISFIED, f)));
    SET(repurchase_neutral, ratio(R(TALLY_REPURCHASE + RELSIM_BAND_NEUTRAL, f), R(TALLY_REPEAT_OCC + RELSIM_BAND_NEUTRAL, f)));
    SET(repurchase_dissatisfied, ratio(R(TALLY_REPURCHASE + RELSIM_BAND_DISSATISFIED, f), R(TALLY_REPEAT_OCC + RELSIM_BAND_DISSATISFIED, f)));
    SET(repeat_occasions_completely_satisfied, R(TALLY_REPEAT_OCC + RELSIM_BAND_COMPLETE, f));
    SET(repeat_occasions_satisfied, R(TALLY_REPEAT_OCC + RELSIM_BAND_SATISFIED, f));
    SET(repeat_occasions_neutral, R(TALLY_REPEAT_OCC + RELSIM_BAND_NEUTRAL, f));
    SET(repeat_occasions_dissatisfied, R(TALLY_REPEAT_OCC + RELSIM_BAND_DISSATISFIED, f));
    SET(defection_inert, ratio(R(TALLY_DEF_INERT, f), R(TALLY_OCC_INERT, f)));
    SET(defection_loyal, ratio(R(TALLY_DEF_LOYAL, f), R(TALLY_OCC_LOYAL, f)));
    SET(promotion_occasions_inert, R(TALLY_OCC_INERT, f));
    SET(promotion_occasions_loyal, R(TALLY_OCC_LOYAL, f));
    SET(defection_high, ratio(R(TALLY_DEF_HIGH, f), R(TALLY_OCC_HIGH, f)));
    SET(promotion_occasions_high, R(TALLY_OCC_HIGH, f));
    SET(positive_tellers, WOM(WOM_POS_TOLD, f));
    SET(negative_tellers, WOM(WOM_NEG_TOLD, f));
    SET(satisfaction_recovered, ratio(R(TALLY_SAT_RECOVERED, f), R(TALLY_RECOVERIES, f)));
    SET(satisfaction_no_failure, ratio(R(TALLY_SAT_NO_FAILURE, f), R(TALLY_NO_FAILURE, f)));
    SET(satisfaction_recovered_again, ratio(R(TALLY_SAT_RECOVERED_AGAIN, f), R(TALLY_FAILED_BEFORE, f)));
    SET(staff, fs->staff);
    SET(staff_cost, fs->staff_cost);
    SET(prospecting_cost, prospecting);
    SET(failure_rate, fs->failure_rate);
    SET(acquisition_share, fs->acq_share);
    double same = R(TALLY_SAME_N, f);
    SET(same_customers, same);
    SET(satisfaction_same_customers, ratio(R(TALLY_SAME_SAT, f), same));
    SET(rival_satisfaction_same_customers, ratio(R(TALLY_SAME_RIVAL_SAT, f), same));
    SET(complaints_answered, R(TALLY_ANSWERED, f));
    SET(service_cost, service);
    SET(programme_cost, programme);
    SET(managed_customers, R(TALLY_MANAGED, f));
    SET(prospect_visits, fs->prospect_visits);
    SET(customers_buyer, R(TALLY_STAGE + RELSIM_STAGE_BUYER, f));
    SET(customers_regular, R(TALLY_STAGE + RELSIM_STAGE_REGULAR, f));
    SET(customers_personal, R(TALLY_STAGE + RELSIM_STAGE_PERSONAL, f));
    SET(customers_partner, R(TALLY_STAGE + RELSIM_STAGE_PARTNER, f));
    SET(satisfaction_buyer, ratio(R(TALLY_SAT_STAGE + RELSIM_STAGE_BUYER, f) + R(TALLY_SAT_STAGE + RELSIM_STAGE_STRANGER, f),
                                  R(TALLY_BUY_STAGE + RELSIM_STAGE_BUYER, f) + R(TALLY_BUY_STAGE + RELSIM_STAGE_STRANGER, f)));
    SET(satisfaction_regular, ratio(R(TALLY_SAT_STAGE + RELSIM_STAGE_REGULAR, f), R(TALLY_BUY_STAGE + RELSIM_STAGE_REGULAR, f)));
    SET(satisfaction_personal, ratio(R(TALLY_SAT_STAGE + RELSIM_STAGE_PERSONAL, f), R(TALLY_BUY_STAGE + RELSIM_STAGE_PERSONAL, f)));
    SET(satisfaction_partner, ratio(R(TALLY_SAT_STAGE + RELSIM_STAGE_PARTNER, f), R(TALLY_BUY_STAGE + RELSIM_STAGE_PARTNER, f)));
    fs->last_partners = R(TALLY_STAGE + RELSIM_STAGE_PARTNER, f);
    /* Cohort metrics over the last W = cohort_periods periods (NaN before period W). */
    const int W = p->cohort_periods, slot = t % RELSIM_COHORT_RING;
    fs->ring_active[slot] = active, fs->ring_acq[slot] = acq, fs->ring_ret[slot] = retc;
    double c_ret = R(TALLY_COHORT_RET, f), c_acq = R(TALLY_COHORT_ACQ, f);
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
  }
#undef R
  double *mk = m->market;
  mk[RELSIM_MM_occasions] = tally_market_sum(tl, TALLY_M_OCCASIONS);
  mk[RELSIM_MM_market_purchases] = tally_market_sum(tl, TALLY_M_PURCHASES);
  mk[RELSIM_MM_no_purchase] = tally_market_sum(tl, TALLY_M_NO_PURCHASE);
  mk[RELSIM_MM_searches] = tally_market_sum(tl, TALLY_M_SEARCHES);
  mk[RELSIM_MM_aware_any] = tally_market_sum(tl, TALLY_M_AWARE_ANY);
  mk[RELSIM_MM_mean_spend] = tally_market_sum(tl, TALLY_M_SPEND_SUM) / (double)w->n;
  double pos = 0, neg = 0, relayed = 0, stories = 0;
  for (int f = 0; f < k; f++) {
    pos += WOM(WOM_POS_SENT, f);
    neg += WOM(WOM_NEG_SENT, f);
    relayed += WOM(WOM_RELAYED, f);
    stories += WOM(WOM_STORIES, f);
  }
  mk[RELSIM_MM_stories] = stories;
  mk[RELSIM_MM_wom_messages] = pos + neg;
  mk[RELSIM_MM_wom_positive] = pos;
  mk[RELSIM_MM_wom_negative] = neg;
  mk[RELSIM_MM_wom_relayed] = relayed;
  mk[RELSIM_MM_exits] = 0.0;
  mk[RELSIM_MM_market_cohort_cost_ratio] =
      t >= p->cohort_periods ? ratio(ratio(c_sum[0], c_sum[2]), ratio(c_sum[1], c_sum[3])) : NAN;
#undef WOM
}

void accounting_exits(struct relsim_world *w, const struct relsim_tally *tl, struct relsim_metrics *m) {
  for (int f = 0; f < w->k; f++) {
    w->firm[f].pending_lost = tally_firm_sum(tl, TALLY_EXIT_LOST, f);
    for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
      w->firm[f].pending_lost_tier[tier] = tally_firm_sum(tl, TALLY_EXIT_LOST_TIER + tier, f);
  }
  m->market[RELSIM_MM_exits] = tally_market_sum(tl, TALLY_M_EXITS);
}
