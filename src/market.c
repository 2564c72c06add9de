/*
 * One customer's phases 2-3 of MODEL.md §11 (a customer's own state only,
 * so customers are processed in parallel):
 *
 * 2. Contacts (§5, §6): a managed customer (relation.h: the firm's managers
 *    serve it) is contacted every contact_interval periods (staggered by
 *    customer); with social bonds: tau += trust_contact (1 - tau), kappa +=
 *    commitment_social, the contact is counted toward the personal stage
 *    and the firm is salient for contact_interval periods.
 * 3. Choice (§7): with probability need a purchase occasion. Considered:
 *    firms in the market that the customer is aware of and not blocked by;
 *    none -> with probability search it learns of one uniformly random firm
 *    in the market. Utility
 *      U_f = w_E mean(E_f) - beta p_f + w_tau tau_f + w_kappa kappa_f
 *            + [f = last or contacted within the interval] (iota + b_f) + eps_f
 *    beta = beta_i (1 - commitment_price kappa_f): commitment lowers price
 *    sensitivity; eps_f Gumbel with scale 1/mu; w_kappa *
 *    commitment_factor_high for high involvement; iota = inertia_high or
 *    inertia_low, the latter times promotion_inertia_factor when a
 *    considered rival offers a discount; b_f = structural_bond at the
 *    partner stage + lock_in_cost while a contract runs.
 *    Payment: list revenue spend * price * (1 + cross_sell at the personal
 *    stage and above) * (1 + joint_value at the partner stage); the customer
 *    pays list * (1 - d), d the first-purchase discount or the loyalty
 *    discount of a regular (the larger); cogs = unit_cost * list * (1 -
 *    tenure_saving * min(1, tenure / cohort_periods)): a customer known for
 *    a year costs less to serve (Reichheld & Sasser). A lock-in
 *    firm's contract is signed at the first purchase, and again with
 *    probability lock_in_renewal at a purchase after it ended.
 *
 * Contract: reads the firm state and the customer's columns; writes the
 * customer's scratch (bought, prev_last_firm, prev_last, paid_list),
 * last_firm, spend (trend: model_trend_factor) and its relations (tier, trust, commit,
 * last_contact, contacts_got, aware and expect on search, first/last purchase, purchases,
 * cum_spend, lock_left). Tallies TIER_START, MANAGED, CONTACTS, M_OCCASIONS, M_SEARCHES,
 * M_NO_PURCHASE, REPEAT_OCC, REPURCHASE, OCC_/DEF_INERT, OCC_/DEF_HIGH, OCC_/DEF_LOYAL,
 * REVENUE, COGS, TIER_REV, NEW_DISC, LOY_DISC, PURCHASES, M_PURCHASES, NEW.
 * Stream PURCHASE (entity = customer).
 */
#include <math.h>
#include <stdint.h>

#include "market.h"

#include "relsim/model.h"
#include "relsim/relation.h"
#include "relsim/rng.h"
#include "relsim/tally.h"
#include "relsim/util.h"

/* Staggered contact schedule: the customer-firm pair's contact phase. */
static inline int contact_due(int64_t x, int t, int interval) {
  if (interval <= 1) return 1;
  uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ULL;
  return (int)((uint64_t)t % (uint64_t)interval) == (int)((h >> 33) % (uint64_t)interval);
}

/* The discount firm f offers customer i on this purchase (0 if none): the
 * first-purchase promotion or the loyalty discount, whichever is larger. */
static double discount_for(const struct relsim_params *p, const struct relsim_world *w, int64_t i, int f,
                           uint32_t purchases, int stage) {
  const struct relsim_firm_params *fp = &p->firms[f];
  double d = 0.0;
  if (purchases == 0 && p->mech.promotions && fp->new_customer_discount > 0.0) {
    int32_t last = w->c.last_firm[i];
    if (fp->discount_target == RELSIM_DISCOUNT_ALL || (last >= 0 && last != f)) d = fp->new_customer_discount;
  }
  if (p->mech.financial_bonds && fp->loyalty_discount > d && stage >= RELSIM_STAGE_REGULAR) d = fp->loyalty_discount;
  return d;
}

int market_customer(const struct relsim_params *p, struct relsim_world *w, double *blk, gsl_rng *g, int64_t i, int t,
                    double *disc_out) {
  struct relsim_customers *c = &w->c;
  struct relsim_relations *r = &w->r;
  const int k = w->k, na = w->a;
  int considered[RELSIM_MAX_FIRMS];
  double disc[RELSIM_MAX_FIRMS];

  int32_t last_firm = c->last_firm[i];
  c->bought[i] = -1;
  c->prev_last_firm[i] = (int16_t)last_firm;
  c->prev_last[i] = -1;
  c->paid_list[i] = 0.0f;

  /* Phase 2: tiers at the period start and the managers' contacts. */
  for (int f = 0; f < k; f++) {
    int64_t x = i * k + f;
    int tier = relation_tier_of(&w->firm[f], r->value[x]);
    r->tier[x] = (uint8_t)tier;
    if (!relation_active(r, x, t - 1, p->recency)) continue;
    *tally_firm(blk, k, TALLY_TIER_START + tier, f) += 1.0;
    if (!relation_managed(p, w, i, f)) continue;
    *tally_firm(blk, k, TALLY_MANAGED, f) += 1.0;
    if (!contact_due(x, t, p->firms[f].contact_interval)) continue;
    *tally_firm(blk, k, TALLY_CONTACTS, f) += 1.0;
    if (!p->mech.social_bonds) continue;
    r->trust[x] += (float)(p->trust_contact * (1.0 - r->trust[x]));
    r->commit[x] = (float)util_clip01(r->commit[x] + p->commitment_social);
    r->last_contact[x] = t;
    if (r->contacts_got[x] < INT16_MAX) r->contacts_got[x]++;
  }

  /* Phase 3: this period's spend (trend), occasion and choice. */
  rng_seek(g, p->seed, 0, RELSIM_STREAM_PURCHASE, (uint64_t)i, t, 0);
  int occasion = rng_bernoulli(g, c->need[i]);
  if (p->mech.trend) c->spend[i] *= model_trend_factor(p, c->trend[i], rng_normal(g));
  if (!occasion) return -1;
  *tally_market(blk, k, TALLY_M_OCCASIONS) += 1.0;
  int nc = 0, present[RELSIM_MAX_FIRMS], np = 0; /* present: the firms in the market (events.h) */
  for (int f = 0; f < k; f++) {
    int64_t x = i * k + f;
    if (w->firm[f].absent) continue;
    present[np++] = f;
    if (r->aware[x] && r->blocked_until[x] <= t) considered[nc++] = f;
  }
  if (nc == 0) {
    int found = -1;
    if (p->mech.search && rng_bernoulli(g, p->search) && np > 0) {
      found = present[rng_below(g, (uint64_t)np)];
      relation_make_aware(w, i, found);
      *tally_market(blk, k, TALLY_M_SEARCHES) += 1.0;
      if (r->blocked_until[i * k + found] > t) found = -1;
    }
    if (found < 0) {
      *tally_market(blk, k, TALLY_M_NO_PURCHASE) += 1.0;
      return -1;
    }
    considered[nc++] = found;
  }

  int high = c->involvement[i];
  /* A rival's promotion: a considered rival offering this customer its
   * first-purchase discount (a rival's loyalty discount to its own past
   * buyers is no promotion). */
  int promo = 0;
  for (int j = 0; j < nc; j++) {
    int f = considered[j];
    uint32_t bought_before = r->purchases[i * k + f];
    disc[f] = discount_for(p, w, i, f, bought_before, r->stage[i * k + f]);
    if (f != last_firm && bought_before == 0 && disc[f] > 0.0) promo = 1;
  }
  double iota = 0.0;
  if (p->mech.inertia) iota = high ? p->inertia_high : p->inertia_low * (promo ? p->promotion_inertia_factor : 1.0);
  double w_commit = p->w_commitment * (high ? p->commitment_factor_high : 1.0);
  int choice = considered[0];
  double best = -INFINITY;
  for (int j = 0; j < nc; j++) {
    int f = considered[j];
    int64_t x = i * k + f;
    const float *E = &r->expect[x * na];
    double mean_e = 0.0;
    for (int a = 0; a < na; a++) mean_e += E[a];
    mean_e /= na;
    double price = p->firms[f].price * (1.0 - disc[f]);
    double beta = c->beta[i] * (1.0 - p->commitment_price * r->commit[x]);
    double u = p->w_expectation * mean_e - beta * price + p->w_trust * r->trust[x] + w_commit * r->commit[x];
    int salient = f == last_firm ||
                  (r->last_contact[x] >= 0 && t - r->last_contact[x] < p->firms[f].contact_interval);
    if (salient) {
      double bond = 0.0;
      if (r->stage[x] == RELSIM_STAGE_PARTNER && p->mech.structural_bonds) bond += p->structural_bond;
      if (r->lock_left[x] > 0) bond += p->firms[f].lock_in_cost;
      u += iota + bond;
    }
    u += rng_gumbel(g) / p->choice_scale;
    if (u > best) best = u, choice = f;
  }

  /* Repeat occasions: did the last firm keep the customer (by the band of
   * its last experience there, and by loyalty versus inertia)? */
  if (last_firm >= 0) {
    int64_t xl = i * k + last_firm;
    int kept = choice == last_firm;
    if (!isnan(r->last_sat[xl])) {
      int b = model_band(p, r->last_sat[xl]);
      *tally_firm(blk, k, TALLY_REPEAT_OCC + b, last_firm) += 1.0;
      if (kept) *tally_firm(blk, k, TALLY_REPURCHASE + b, last_firm) += 1.0;
    }
    /* Defection is measured under a rival's promotion only. */
    if (promo && !high) {
      *tally_firm(blk, k, TALLY_OCC_INERT, last_firm) += 1.0;
      if (!kept) *tally_firm(blk, k, TALLY_DEF_INERT, last_firm) += 1.0;
    } else if (promo) {
      /* Every high-involvement customer (the matched comparison: no
       * selection on commitment), and the committed ones among them. */
      *tally_firm(blk, k, TALLY_OCC_HIGH, last_firm) += 1.0;
      if (!kept) *tally_firm(blk, k, TALLY_DEF_HIGH, last_firm) += 1.0;
      if (r->commit[xl] >= p->committed_threshold) {
        *tally_firm(blk, k, TALLY_OCC_LOYAL, last_firm) += 1.0;
        if (!kept) *tally_firm(blk, k, TALLY_DEF_LOYAL, last_firm) += 1.0;
      }
    }
  }

  /* Payment. */
  const int f = choice;
  const struct relsim_firm_params *fp = &p->firms[f];
  const int64_t x = i * k + f;
  double growth = 1.0;
  if (r->stage[x] >= RELSIM_STAGE_PERSONAL && p->mech.social_bonds) growth *= 1.0 + fp->cross_sell;
  if (r->stage[x] == RELSIM_STAGE_PARTNER && p->mech.structural_bonds) growth *= 1.0 + fp->joint_value;
  double list = c->spend[i] * growth * fp->price;
  double given = list * disc[f];
  *tally_firm(blk, k, TALLY_REVENUE, f) += list;
  *tally_firm(blk, k, TALLY_COGS, f) += fp->unit_cost * list * model_serve_factor(p, r->first_purchase[x], t);
  *tally_firm(blk, k, TALLY_TIER_REV + r->tier[x], f) += list;
  *tally_firm(blk, k, r->purchases[x] == 0 ? TALLY_NEW_DISC : TALLY_LOY_DISC, f) += given;
  *tally_firm(blk, k, TALLY_PURCHASES, f) += 1.0;
  *tally_market(blk, k, TALLY_M_PURCHASES) += 1.0;
  if (r->purchases[x] == 0) {
    *tally_firm(blk, k, TALLY_NEW, f) += 1.0;
    r->first_purchase[x] = t;
  }
  c->bought[i] = (int16_t)f;
  c->prev_last[i] = r->last_purchase[x];
  c->paid_list[i] = (float)list;
  c->last_firm[i] = f;
  r->purchases[x]++;
  r->last_purchase[x] = t;
  r->cum_spend[x] += list - given;
  /* A contract at the first purchase; after one ended, a new one with
   * probability lock_in_renewal. +1: the end of this period counts one
   * down, leaving lock_in_periods future periods. */
  if (fp->lock_in && p->mech.lock_in && r->lock_left[x] <= 0 &&
      (r->purchases[x] == 1 || (fp->lock_in_renewal > 0.0 && rng_bernoulli(g, fp->lock_in_renewal))))
    r->lock_left[x] = fp->lock_in_periods + 1;
  *disc_out = disc[f];
  return f;
}
