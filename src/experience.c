/*
 * Phase 4 of MODEL.md §11 for one customer who bought (a customer's own
 * state only, so customers are processed in parallel):
 *
 * Experience (§8): P_a = clip(q_a + N(0, noise)); a failure (prob phi)
 *    takes failure_severity off the service attribute (the last one).
 *      EC_a = P_a - E_a, DC_a = P_a - D_a,
 *      AS = mean_a L(k_D DC_a), IS = L(k_E mean_a EC_a), S = w_AS AS + w_IS IS.
 *    A failure or dissatisfaction reaches the firm with the level's complaint
 *    probability (1 at accountable and above, and for a customer at the
 *    personal stage or above: it tells its manager); a firm with recovery
 *    answers a complaint with probability recovery_rate in a second service
 *    encounter: its performance R = clip(recovery_quality + N(0, noise))
 *    replaces the service performance (failed or disappointing) and is
 *    judged against the service expectation, for a failure raised by
 *    double_deviation if the customer had a failure with the firm before:
 *    S = S(P with R, E with E_service + dd).
 *    Trust: promise kept (mean P >= mean promise - tolerance, P with the
 *    failure: a recovery repairs satisfaction, not the broken promise) ->
 *    tau += gain (1 - tau), else tau -= loss tau, and the relationship falls
 *    one stage (not below buyer). Commitment: kappa += rate (S - pivot)
 *    (+ commitment_structural at the partner stage), clipped.
 *    Expectations: E <- (1 - lambda) E + lambda P (P as experienced, with
 *    the recovery). Telling (§9): completely satisfied -> a positive story
 *    with probability model_praise (committed customers praise more);
 *    dissatisfied -> a negative story with probability wom_negative * talk.
 *
 * Contract: reads the firm state and the customer's columns; writes the
 * relation with the firm bought from (trust, commit, expect, last_sat,
 * stage, failures) and heard_chain; appends a first-hand story to the
 * block's stories. Tallies FAILURES, COMPLAINTS, FAILURES_HEARD, RECOVERIES, ANSWERED, RECOVERY_COST,
 * SAT_RECOVERED, FAILED_BEFORE, SAT_RECOVERED_AGAIN, NO_FAILURE,
 * SAT_NO_FAILURE, FEEDBACK_N, FEEDBACK_D, BAND, SAT_SUM, DV_SUM, SAT_STAGE,
 * BUY_STAGE, SAT_TIER, BUY_TIER.
 * Stream EXPERIENCE (entity = customer).
 */
#include "experience.h"

#include <math.h>

#include "relsim/model.h"
#include "relsim/rng.h"
#include "relsim/tally.h"
#include "relsim/util.h"

int experience_customer(const struct relsim_params *p, struct relsim_world *w, double *blk,
                        struct relsim_storybuf *stories, gsl_rng *g, int64_t i, int f, double disc, int t) {
  struct relsim_customers *c = &w->c;
  struct relsim_relations *r = &w->r;
  const int k = w->k, na = w->a;
  const int service = na - 1;
  const struct relsim_firm_params *fp = &p->firms[f];
  const int64_t x = i * k + f;
  const int level = w->firm[f].level[r->tier[x]];
  const double beta = c->beta[i];
  double P[RELSIM_MAX_ATTRS], Pfail[RELSIM_MAX_ATTRS];

  const struct relsim_firm_state *fs = &w->firm[f];
  rng_seek(g, p->seed, 0, RELSIM_STREAM_EXPERIENCE, (uint64_t)i, t, 0);
  double mean_p = 0.0;
  for (int a = 0; a < na; a++) {
    P[a] = (float)util_clip01(fs->quality[a] + fp->quality_noise * rng_normal(g));
    Pfail[a] = P[a];
  }
  int failure = p->mech.failures && rng_bernoulli(g, fs->failure_rate);
  float *E = &r->expect[x * na];
  const float *D = &c->desire[i * na];
  double s_ok = model_satisfaction(p, na, P, E, D);
  double S = s_ok;
  const double *Peff = P;
  if (failure) {
    Pfail[service] = P[service] - p->failure_severity < 0.0 ? 0.0 : P[service] - p->failure_severity;
    S = model_satisfaction(p, na, Pfail, E, D);
    Peff = Pfail;
    *tally_firm(blk, k, TALLY_FAILURES, f) += 1.0;
  }
  const int stage = r->stage[x];
  const int personal = stage >= RELSIM_STAGE_PERSONAL && p->mech.social_bonds;
  int complained = 0;
  if (failure || S < p->band_neutral) complained = rng_bernoulli(g, personal ? 1.0 : p->complaint_prob[level]);
  if (complained) *tally_firm(blk, k, TALLY_COMPLAINTS, f) += 1.0;
  if (complained && failure) *tally_firm(blk, k, TALLY_FAILURES_HEARD, f) += 1.0;
  double Prec[RELSIM_MAX_ATTRS];
  if (complained && fp->recovery && p->mech.recovery && rng_bernoulli(g, fp->recovery_rate)) {
    /* The recovery encounter (a failure) or the answer to a complaint (a
     * dissatisfaction), judged against what the customer expects of it. */
    float Erec[RELSIM_MAX_ATTRS];
    for (int a = 0; a < na; a++) Prec[a] = Pfail[a], Erec[a] = E[a];
    Prec[service] = util_clip01(fp->recovery_quality + fp->quality_noise * rng_normal(g));
    if (failure && r->failures[x] > 0) Erec[service] = (float)util_clip01(E[service] + p->double_deviation);
    S = model_satisfaction(p, na, Prec, Erec, D);
    Peff = Prec;
    *tally_firm(blk, k, TALLY_RECOVERY_COST, f) += fp->recovery_cost;
    if (!failure) {
      *tally_firm(blk, k, TALLY_ANSWERED, f) += 1.0;
    } else {
      *tally_firm(blk, k, TALLY_RECOVERIES, f) += 1.0;
      *tally_firm(blk, k, TALLY_SAT_RECOVERED, f) += S;
      if (r->failures[x] > 0) {
        *tally_firm(blk, k, TALLY_FAILED_BEFORE, f) += 1.0;
        *tally_firm(blk, k, TALLY_SAT_RECOVERED_AGAIN, f) += S;
      }
    }
  }
  if (failure && r->failures[x] < UINT8_MAX) r->failures[x]++;
  if (!failure) {
    *tally_firm(blk, k, TALLY_NO_FAILURE, f) += 1.0;
    *tally_firm(blk, k, TALLY_SAT_NO_FAILURE, f) += S;
  }
  if (level >= RELSIM_LEVEL_ACCOUNTABLE || personal) {
    *tally_firm(blk, k, TALLY_FEEDBACK_N, f) += 1.0;
    for (int a = 0; a < na; a++)
      if (D[a] > fs->quality[a]) *tally_firm(blk, k, TALLY_FEEDBACK_D + a, f) += D[a] - fs->quality[a];
  }
  double mean_kept = 0.0; /* the performance the promise is judged by: with the failure */
  for (int a = 0; a < na; a++) mean_p += Peff[a], mean_kept += Pfail[a];
  mean_p /= na;
  mean_kept /= na;

  /* Trust and the stage, commitment, expectations. */
  r->trust[x] = (float)model_trust_update(p, r->trust[x], mean_kept, fs->promise_mean);
  if (!model_promise_kept(p, mean_kept, fs->promise_mean) && stage > RELSIM_STAGE_BUYER) r->stage[x]--;
  double dk = p->commitment_rate * (S - p->commitment_pivot);
  if (stage == RELSIM_STAGE_PARTNER && p->mech.structural_bonds) dk += p->commitment_structural;
  r->commit[x] = (float)util_clip01(r->commit[x] + dk);
  for (int a = 0; a < na; a++) E[a] = (float)((1.0 - p->adaptation) * E[a] + p->adaptation * Peff[a]);
  r->last_sat[x] = (float)S;

  const int band = model_band(p, S);
  *tally_firm(blk, k, TALLY_BAND + band, f) += 1.0;
  *tally_firm(blk, k, TALLY_SAT_SUM, f) += S;
  *tally_firm(blk, k, TALLY_SAT_STAGE + stage, f) += S;
  *tally_firm(blk, k, TALLY_BUY_STAGE + stage, f) += 1.0;
  *tally_firm(blk, k, TALLY_SAT_TIER + r->tier[x], f) += S;
  *tally_firm(blk, k, TALLY_BUY_TIER + r->tier[x], f) += 1.0;
  *tally_firm(blk, k, TALLY_DV_SUM, f) += p->w_expectation * mean_p - beta * fp->price * (1.0 - disc);

  /* Telling (§9). */
  if (!p->mech.word_of_mouth) return 0;
  int valence = 0;
  if (band == RELSIM_BAND_COMPLETE) {
    if (rng_bernoulli(g, model_praise(p, c->talk[i], r->commit[x]))) valence = 1;
  } else if (band == RELSIM_BAND_DISSATISFIED) {
    if (rng_bernoulli(g, p->wom_negative * c->talk[i])) valence = -1;
  }
  if (valence != 0) {
    float perf[RELSIM_MAX_ATTRS];
    for (int a = 0; a < na; a++) perf[a] = (float)Peff[a];
    uint64_t chain = story_chain_id(i, t);
    c->heard_chain[i] = chain;
    if (story_push(stories, i, c->generation[i], chain, -1, f, valence, 1, perf, na) != 0) return -1;
  }
  return 0;
}
