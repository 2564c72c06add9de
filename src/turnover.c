/*
 * Customers (MODEL.md §3): attributes drawn at birth, the spend trend, and
 * turnover (§11.7).
 *
 *   spend    ~ Pareto(xmin, alpha) truncated at truncate * xmin (inverse CDF:
 *              x = xmin * (1 - u * (1 - (xmin/xmax)^alpha))^(-1/alpha)),
 *              or lognormal(median, sigma)
 *   trend    rising / stable / fading (spend moves every period, drawn by
 *            the market after the occasion: model_trend_factor)
 *   need     ~ Beta(mean * c, (1 - mean) * c)
 *   desires  D_a = clip(N(mean_a, sd), 0, 1)
 *   beta     = median * exp(sigma z); talk = exp(talk_sigma z)
 *
 * A customer leaves with probability exit_rate per period and is replaced at
 * once, in the same slot (and so the same place in the network), by a
 * newcomer with fresh attributes and no relationships. Birth draws are keyed
 * by (slot, generation), so a newcomer's attributes do not depend on when
 * the thread that processes it runs.
 *
 * Initial awareness: each customer is aware of each firm in the market at
 * the start with probability initial_awareness (a firm that enters later
 * draws its awareness when it enters: events.c).
 *
 * Contract: writes the customer columns of the slots it refills (and resets
 * their relations); tallies M_EXITS, EXIT_LOST, EXIT_LOST_TIER; streams
 * BIRTH (entity = slot, sub = generation), INIT, EXIT.
 */
#include "turnover.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#include "relsim/relation.h"
#include "relsim/rng.h"
#include "relsim/util.h"

static double draw_spend(const struct relsim_params *p, gsl_rng *g) {
  if (p->spend_dist == RELSIM_SPEND_LOGNORMAL) return p->spend_median * exp(p->spend_sigma * rng_normal(g));
  double u = rng_uniform_pos(g);
  double tail = pow(1.0 / p->spend_truncate, p->spend_alpha); /* (xmin / xmax)^alpha */
  return p->spend_xmin * pow(1.0 - u * (1.0 - tail), -1.0 / p->spend_alpha);
}

static double draw_need(const struct relsim_params *p, gsl_rng *g) {
  if (p->need_mean >= 1.0) return 1.0;
  if (p->need_mean <= 0.0) return 0.0;
  double c = p->need_concentration;
  return gsl_ran_beta(g, p->need_mean * c, (1.0 - p->need_mean) * c);
}

/* A newcomer in slot i: drawn attributes, every other column reset. */
static void turnover_birth(const struct relsim_params *p, struct relsim_world *w, gsl_rng *g, int64_t i) {
  struct relsim_customers *c = &w->c;
  rng_seek(g, p->seed, 0, RELSIM_STREAM_BIRTH, (uint64_t)i, 0, c->generation[i]);
  c->spend[i] = draw_spend(p, g);
  double u = gsl_rng_uniform(g);
  c->trend[i] = u < p->trend_rising ? RELSIM_TREND_RISING
                : u < p->trend_rising + p->trend_fading ? RELSIM_TREND_FADING
                                                         : RELSIM_TREND_STABLE;
  c->need[i] = (float)draw_need(p, g);
  c->involvement[i] = (uint8_t)rng_bernoulli(g, p->high_involvement);
  for (int a = 0; a < w->a; a++)
    c->desire[i * w->a + a] = (float)util_clip01(p->desire_mean[a] + p->desire_sd * rng_normal(g));
  c->beta[i] = (float)(p->price_sensitivity_median * exp(p->price_sensitivity_sigma * rng_normal(g)));
  c->talk[i] = (float)exp(p->talk_sigma * rng_normal(g));
  world_reset_customer(w, p, i);
}

void turnover_populate_block(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl,
                             gsl_rng *g, int64_t b) {
  int64_t begin, end;
  tally_block_range(tl, b, &begin, &end);
  for (int64_t i = begin; i < end; i++) {
    turnover_birth(p, w, g, i);
    rng_seek(g, p->seed, 0, RELSIM_STREAM_INIT, (uint64_t)i, 0, 0);
    for (int f = 0; f < w->k; f++) /* drawn for every firm: a firm that enters later keeps the others' draws */
      if (rng_bernoulli(g, p->firms[f].initial_awareness) && !w->firm[f].absent) relation_make_aware(w, i, f);
  }
}

void turnover_exits_block(const struct relsim_params *p, struct relsim_world *w, struct relsim_tally *tl,
                          gsl_rng *g, int64_t b, int t) {
  const int k = w->k;
  double *blk = tally_block(tl, b);
  int64_t begin, end;
  tally_block_range(tl, b, &begin, &end);
  for (int64_t i = begin; i < end; i++) {
    rng_seek(g, p->seed, 0, RELSIM_STREAM_EXIT, (uint64_t)i, t, 0);
    if (!rng_bernoulli(g, p->exit_rate)) continue;
    *tally_market(blk, k, TALLY_M_EXITS) += 1.0;
    for (int f = 0; f < k; f++) {
      int64_t x = i * k + f;
      if (!relation_active(&w->r, x, t, p->recency)) continue;
      *tally_firm(blk, k, TALLY_EXIT_LOST, f) += 1.0;
      *tally_firm(blk, k, TALLY_EXIT_LOST_TIER + w->r.tier[x], f) += 1.0;
    }
    w->c.generation[i]++;
    turnover_birth(p, w, g, i);
  }
}
