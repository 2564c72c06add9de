/*
 * One customer's period, phases 2-4 of MODEL.md §11 (a customer's own state
 * only, so customers are processed in parallel):
 *
 * 2. Contacts (§5, §6): a firm serving the customer's tier at proactive or
 *    above contacts it every contact_interval periods (staggered by
 *    customer): tau += trust_contact (1 - tau), kappa += commitment_social.
 * 3. Choice (§7): with probability need a purchase occasion. Considered:
 *    firms the customer is aware of and not blocked by; none -> with
 *    probability search it learns of one uniformly random firm. Utility
 *      U_f = w_E mean(E_f) - beta p_f + w_tau tau_f + w_kappa kappa_f
 *            + [f = last or contacted within the interval] (iota + b_f) + eps_f
 *    eps_f Gumbel with scale 1/mu; w_kappa * commitment_factor_high for high
 *    involvement; iota = inertia_high or inertia_low, the latter times
 *    promotion_inertia_factor when a considered rival offers a discount;
 *    b_f = structural_bond at partnership + lock_in_cost while locked.
 *    Payment: list revenue spend * price * (1 + cross_sell at proactive+)
 *    * (1 + joint_value at partnership); the customer pays list * (1 - d),
 *    d the first-purchase or loyalty discount (the larger); cogs = unit_cost * list.
 * 4. Experience (§8): P_a = clip(q_a + N(0, noise)); a failure (prob phi)
 *    takes failure_severity off the service attribute (the last one).
 *      EC_a = P_a - E_a, DC_a = P_a - D_a,
 *      AS = mean_a L(k_D DC_a), IS = L(k_E mean_a EC_a), S = w_AS AS + w_IS IS.
 *    A failure or dissatisfaction reaches the firm with the level's complaint
 *    probability (1 at accountable and above); a detected failure is
 *    recovered with probability recovery_rate: S = S without the failure +
 *    recovery_bonus, P as if no failure. Trust: promise kept (mean P >=
 *    mean promise - tolerance) -> tau += gain (1 - tau), else tau -= loss tau.
 *    Commitment: kappa += rate (S - pivot) (+ commitment_structural at
 *    partnership), clipped. Expectations: E <- (1 - lambda) E + lambda P.
 *    Telling (§9): completely satisfied -> a positive story with probability
 *    wom_positive * talk (not if locked in and not committed); dissatisfied ->
 *    a negative story with probability wom_negative * talk.
 */
#include <math.h>
#include <stdint.h>

#include "relsim/model.h"
#include "relsim/rng.h"
#include "sim_internal.h"

static inline float clipf01(double x) { return (float)(x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x); }

/* Staggered contact schedule: the customer-firm pair's contact phase. */
static inline int contact_due(int64_t x, int t, int interval) {
  if (interval <= 1) return 1;
  uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ULL;
  return (int)((uint64_t)t % (uint64_t)interval) == (int)((h >> 33) % (uint64_t)interval);
}

/* The discount firm f offers customer i on this purchase (0 if none): the
 * first-purchase promotion or the loyalty discount, whichever is larger. */
static double discount_for(const struct relsim_sim *s, int64_t i, int f, uint32_t purchases) {
  const struct relsim_firm_params *fp = &s->p.firms[f];
  double d = 0.0;
  if (purchases == 0 && s->p.mech.promotions && fp->new_customer_discount > 0.0) {
    int32_t last = s->c.last_firm[i];
    if (fp->discount_target == RELSIM_DISCOUNT_ALL || (last >= 0 && last != f)) d = fp->new_customer_discount;
  }
  if (s->p.mech.financial_bonds && fp->loyalty_discount > d && purchases + 1 >= (uint32_t)fp->loyalty_from)
    d = fp->loyalty_discount;
  return d;
}

int market_customer_block(struct relsim_sim *s, gsl_rng *g, int64_t block, int t) {
  const struct relsim_params *p = &s->p;
  struct relsim_customers *c = &s->c;
  struct relsim_relations *r = &s->r;
  const int k = s->k, na = s->a;
  const int service = na - 1;
  double *blk = acc_block(s, block);
  struct relsim_storybuf *stories = &s->block_stories[block];
  stories->n = 0;
  int64_t begin = block * RELSIM_BLOCK, end = begin + RELSIM_BLOCK < s->n ? begin + RELSIM_BLOCK : s->n;

  int level[RELSIM_MAX_FIRMS];
  int considered[RELSIM_MAX_FIRMS];
  double disc[RELSIM_MAX_FIRMS];
  double P[RELSIM_MAX_ATTRS], Pfail[RELSIM_MAX_ATTRS];

  for (int64_t i = begin; i < end; i++) {
    int32_t last_firm = c->last_firm[i];
    c->bought[i] = -1;
    c->prev_last_firm[i] = (int16_t)last_firm;
    c->prev_last[i] = -1;
    c->paid_list[i] = 0.0f;

    /* Phase 2: tiers at the period start and contacts. */
    for (int f = 0; f < k; f++) {
      int64_t x = i * k + f;
      int tier = sim_tier_of(&s->firm[f], r->value[x]);
      r->tier[x] = (uint8_t)tier;
      level[f] = s->firm[f].level[tier];
      if (!sim_active(r, x, t - 1, p->recency)) continue;
      *acc_firm(blk, k, ACC_TIER_START + tier, f) += 1.0;
      if (level[f] >= RELSIM_LEVEL_PROACTIVE && contact_due(x, t, p->firms[f].contact_interval)) {
        r->trust[x] += (float)(p->trust_contact * (1.0 - r->trust[x]));
        r->commit[x] = clipf01(r->commit[x] + p->commitment_social);
        r->last_contact[x] = t;
        *acc_firm(blk, k, ACC_CONTACTS, f) += 1.0;
      }
    }

    /* Phase 3: this period's spend (trend), occasion and choice. */
    rng_seek(g, p->seed, 0, RELSIM_STREAM_PURCHASE, (uint64_t)i, t, 0);
    int occasion = rng_bernoulli(g, c->need[i]);
    if (p->mech.trend) population_trend(s, g, i);
    if (!occasion) continue;
    *acc_market(blk, k, ACC_M_OCCASIONS) += 1.0;
    int nc = 0;
    for (int f = 0; f < k; f++) {
      int64_t x = i * k + f;
      if (r->aware[x] && r->blocked_until[x] <= t) considered[nc++] = f;
    }
    if (nc == 0) {
      int found = -1;
      if (p->mech.search && rng_bernoulli(g, p->search)) {
        found = (int)rng_below(g, (uint64_t)k);
        firm_make_aware(s, i, found);
        *acc_market(blk, k, ACC_M_SEARCHES) += 1.0;
        if (r->blocked_until[i * k + found] > t) found = -1;
      }
      if (found < 0) {
        *acc_market(blk, k, ACC_M_NO_PURCHASE) += 1.0;
        continue;
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
      disc[f] = discount_for(s, i, f, bought_before);
      if (f != last_firm && bought_before == 0 && disc[f] > 0.0) promo = 1;
    }
    double iota = 0.0;
    if (p->mech.inertia) iota = high ? p->inertia_high : p->inertia_low * (promo ? p->promotion_inertia_factor : 1.0);
    double w_commit = p->w_commitment * (high ? p->commitment_factor_high : 1.0);
    double beta = c->beta[i];
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
      double u = p->w_expectation * mean_e - beta * price + p->w_trust * r->trust[x] + w_commit * r->commit[x];
      int salient = f == last_firm ||
                    (r->last_contact[x] >= 0 && t - r->last_contact[x] < p->firms[f].contact_interval);
      if (salient) {
        double bond = 0.0;
        if (level[f] == RELSIM_LEVEL_PARTNERSHIP) bond += p->structural_bond;
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
        *acc_firm(blk, k, ACC_REPEAT_OCC + b, last_firm) += 1.0;
        if (kept) *acc_firm(blk, k, ACC_REPURCHASE + b, last_firm) += 1.0;
      }
      /* Defection is measured under a rival's promotion only. */
      if (promo && !high) {
        *acc_firm(blk, k, ACC_OCC_INERT, last_firm) += 1.0;
        if (!kept) *acc_firm(blk, k, ACC_DEF_INERT, last_firm) += 1.0;
      } else if (promo && r->commit[xl] >= p->committed_threshold) {
        *acc_firm(blk, k, ACC_OCC_LOYAL, last_firm) += 1.0;
        if (!kept) *acc_firm(blk, k, ACC_DEF_LOYAL, last_firm) += 1.0;
      }
    }

    /* Payment. */
    const int f = choice;
    const struct relsim_firm_params *fp = &p->firms[f];
    const int64_t x = i * k + f;
    double growth = 1.0;
    if (level[f] >= RELSIM_LEVEL_PROACTIVE) growth *= 1.0 + fp->cross_sell;
    if (level[f] == RELSIM_LEVEL_PARTNERSHIP) growth *= 1.0 + fp->joint_value;
    double list = c->spend[i] * growth * fp->price;
    double given = list * disc[f];
    *acc_firm(blk, k, ACC_REVENUE, f) += list;
    *acc_firm(blk, k, ACC_COGS, f) += fp->unit_cost * list;
    *acc_firm(blk, k, ACC_TIER_REV + r->tier[x], f) += list;
    *acc_firm(blk, k, r->purchases[x] == 0 ? ACC_NEW_DISC : ACC_LOY_DISC, f) += given;
    *acc_firm(blk, k, ACC_PURCHASES, f) += 1.0;
    *acc_market(blk, k, ACC_M_PURCHASES) += 1.0;
    if (r->purchases[x] == 0) {
      *acc_firm(blk, k, ACC_NEW, f) += 1.0;
      r->first_purchase[x] = t;
    }
    c->bought[i] = (int16_t)f;
    c->prev_last[i] = r->last_purchase[x];
    c->paid_list[i] = (float)list;
    c->last_firm[i] = f;
    r->purchases[x]++;
    r->last_purchase[x] = t;
    r->cum_spend[x] += list - given;
    /* +1: the end of this period counts one down, leaving lock_in_periods future periods. */
    if (fp->lock_in && p->mech.lock_in && r->lock_left[x] <= 0) r->lock_left[x] = fp->lock_in_periods + 1;

    /* Phase 4: experience and satisfaction. */
    rng_seek(g, p->seed, 0, RELSIM_STREAM_EXPERIENCE, (uint64_t)i, t, 0);
    const struct relsim_firm_state *fs = &s->firm[f];
    double mean_p = 0.0;
    for (int a = 0; a < na; a++) {
      P[a] = clipf01(fs->quality[a] + fp->quality_noise * rng_normal(g));
      Pfail[a] = P[a];
    }
    int failure = p->mech.failures && rng_bernoulli(g, fp->failure_rate);
    float *E = &r->expect[x * na];
    const float *D = &c->desire[i * na];
    double s_ok = model_satisfaction(p, na, P, E, D);
    double S = s_ok;
    const double *Peff = P;
    if (failure) {
      Pfail[service] = P[service] - p->failure_severity < 0.0 ? 0.0 : P[service] - p->failure_severity;
      S = model_satisfaction(p, na, Pfail, E, D);
      Peff = Pfail;
      *acc_firm(blk, k, ACC_FAILURES, f) += 1.0;
    }
    int complained = 0;
    if (failure || S < p->band_neutral) complained = rng_bernoulli(g, p->complaint_prob[level[f]]);
    if (complained) *acc_firm(blk, k, ACC_COMPLAINTS, f) += 1.0;
    if (failure && complained && fp->recovery && p->mech.recovery && rng_bernoulli(g, fp->recovery_rate)) {
      S = s_ok + fp->recovery_bonus;
      if (S > 1.0) S = 1.0;
      Peff = P;
      *acc_firm(blk, k, ACC_RECOVERIES, f) += 1.0;
      *acc_firm(blk, k, ACC_RECOVERY_COST, f) += fp->recovery_cost;
      *acc_firm(blk, k, ACC_SAT_RECOVERED, f) += S;
    }
    if (!failure) {
      *acc_firm(blk, k, ACC_NO_FAILURE, f) += 1.0;
      *acc_firm(blk, k, ACC_SAT_NO_FAILURE, f) += S;
    }
    if (level[f] >= RELSIM_LEVEL_ACCOUNTABLE) {
      *acc_firm(blk, k, ACC_FEEDBACK_N, f) += 1.0;
      for (int a = 0; a < na; a++)
        if (D[a] > fs->quality[a]) *acc_firm(blk, k, ACC_FEEDBACK_D + a, f) += D[a] - fs->quality[a];
    }
    for (int a = 0; a < na; a++) mean_p += Peff[a];
    mean_p /= na;

    /* Trust, commitment, expectations. */
    r->trust[x] = (float)model_trust_update(p, r->trust[x], mean_p, fs->promise_mean);
    double dk = p->commitment_rate * (S - p->commitment_pivot);
    if (level[f] == RELSIM_LEVEL_PARTNERSHIP) dk += p->commitment_structural;
    r->commit[x] = clipf01(r->commit[x] + dk);
    for (int a = 0; a < na; a++) E[a] = (float)((1.0 - p->adaptation) * E[a] + p->adaptation * Peff[a]);
    r->last_sat[x] = (float)S;

    int band = ACC_BAND_COMPLETE + model_band(p, S);
    *acc_firm(blk, k, band, f) += 1.0;
    *acc_firm(blk, k, ACC_SAT_SUM, f) += S;
    *acc_firm(blk, k, ACC_DV_SUM, f) += p->w_expectation * mean_p - beta * fp->price * (1.0 - disc[f]);

    /* Telling (§9). */
    if (!p->mech.word_of_mouth) continue;
    int valence = 0;
    if (band == ACC_BAND_COMPLETE) {
      int locked_uncommitted = r->lock_left[x] > 0 && r->commit[x] < p->committed_threshold;
      if (!locked_uncommitted && rng_bernoulli(g, p->wom_positive * c->talk[i])) valence = 1;
    } else if (band == ACC_BAND_DISSATISFIED) {
      if (rng_bernoulli(g, p->wom_negative * c->talk[i])) valence = -1;
    }
    if (valence != 0) {
      float perf[RELSIM_MAX_ATTRS];
      for (int a = 0; a < na; a++) perf[a] = (float)Peff[a];
      uint64_t chain = wom_chain_id(i, t);
      c->heard_chain[i] = chain;
      if (wom_story_push(stories, i, c->generation[i], chain, -1, f, valence, 1, perf, na) != 0) return -1;
    }
  }
  return 0;
}
