/*
 * Phase 4 of MODEL.md §11 for one customer who bought (a customer's own
 * state only, so customers are processed in parallel):
 *
 * Experience (§8): P_a = clip(q_a + N(0, noise)); a failure (prob phi)
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
 *
 * Contract: reads the firm state and the customer's columns; writes the
 * relation with the firm bought from (trust, commit, expect, last_sat) and
 * heard_chain; appends a first-hand story to the block's stories. Tallies
 * FAILURES, COMPLAINTS, RECOVERIES, RECOVERY_COST, SAT_RECOVERED,
 * NO_FAILURE, SAT_NO_FAILURE, FEEDBACK_N, FEEDBACK_D, BAND, SAT_SUM, DV_SUM.
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
    *tally_firm(blk, k, TALLY_FAILURES, f) += 1.0;
  }
  int complained = 0;
  if (failure || S < p->band_neutral) complained = rng_bernoulli(g, p->complaint_prob[level]);
  if (complained) *tally_firm(blk, k, TALLY_COMPLAINTS, f) += 1.0;
  if (failure && complained && fp->recovery && p->mech.recovery && rng_bernoulli(g, fp->recovery_rate)) {
    S = s_ok + fp->recovery_bonus;
    if (S > 1.0) S = 1.0;
    Peff = P;
    *tally_firm(blk, k, TALLY_RECOVERIES, f) += 1.0;
    *tally_firm(blk, k, TALLY_RECOVERY_COST, f) += fp->recovery_cost;
    *tally_firm(blk, k, TALLY_SAT_RECOVERED, f) += S;
  }
  if (!failure) {
    *tally_firm(blk, k, TALLY_NO_FAILURE, f) += 1.0;
    *tally_firm(blk, k, TALLY_SAT_NO_FAILURE, f) += S;
  }
  if (level >= RELSIM_LEVEL_ACCOUNTABLE) {
    *tally_firm(blk, k, TALLY_FEEDBACK_N, f) += 1.0;
    for (int a = 0; a < na; a++)
      if (D[a] > fs->quality[a]) *tally_firm(blk, k, TALLY_FEEDBACK_D + a, f) += D[a] - fs->quality[a];
  }
  for (int a = 0; a < na; a++) mean_p += Peff[a];
  mean_p /= na;

  /* Trust, commitment, expectations. */
  r->trust[x] = (float)model_trust_update(p, r->trust[x], mean_p, fs->promise_mean);
  double dk = p->commitment_rate * (S - p->commitment_pivot);
  if (level == RELSIM_LEVEL_PARTNERSHIP) dk += p->commitment_structural;
  r->commit[x] = (float)util_clip01(r->commit[x] + dk);
  for (int a = 0; a < na; a++) E[a] = (float)((1.0 - p->adaptation) * E[a] + p->adaptation * Peff[a]);
  r->last_sat[x] = (float)S;

  const int band = model_band(p, S);
  *tally_firm(blk, k, TALLY_BAND + band, f) += 1.0;
  *tally_firm(blk, k, TALLY_SAT_SUM, f) += S;
  *tally_firm(blk, k, TALLY_DV_SUM, f) += p->w_expectation * mean_p - beta * fp->price * (1.0 - disc);

  /* Telling (§9). */
  if (!p->mech.word_of_mouth) return 0;
  int valence = 0;
  if (band == RELSIM_BAND_COMPLETE) {
    int locked_uncommitted = r->lock_left[x] > 0 && r->commit[x] < p->committed_threshold;
    if (!locked_uncommitted && rng_bernoulli(g, p->wom_positive * c->talk[i])) valence = 1;
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
