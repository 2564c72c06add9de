/*
 * Customers (MODEL.md §3): attributes drawn at birth, the spend trend, and
 * turnover.
 *
 *   spend    ~ Pareto(xmin, alpha) truncated at truncate * xmin (inverse CDF:
 *              x = xmin * (1 - u * (1 - (xmin/xmax)^alpha))^(-1/alpha)),
 *              or lognormal(median, sigma)
 *   trend    rising / stable / fading; each period spend *= exp(g + s z),
 *            g = +growth, 0, -growth
 *   need     ~ Beta(mean * c, (1 - mean) * c)
 *   desires  D_a = clip(N(mean_a, sd), 0, 1)
 *   beta     = median * exp(sigma z); talk = exp(talk_sigma z)
 *
 * A customer leaves with probability exit_rate per period and is replaced at
 * once, in the same slot (and so the same place in the network), by a
 * newcomer with fresh attributes and no relationships. Birth draws are keyed
 * by (slot, generation), so a newcomer's attributes do not depend on when
 * the thread that processes it runs.
 */
#include <math.h>
#include <gsl/gsl_randist.h>

#include "relsim/rng.h"
#include "sim_internal.h"

static double clip01(double x) { return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x; }

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

void population_birth(struct relsim_sim *s, gsl_rng *g, int64_t i) {
  const struct relsim_params *p = &s->p;
  struct relsim_customers *c = &s->c;
  struct relsim_relations *r = &s->r;
  rng_seek(g, p->seed, 0, RELSIM_STREAM_BIRTH, (uint64_t)i, 0, c->generation[i]);

  c->spend[i] = draw_spend(p, g);
  double u = gsl_rng_uniform(g);
  c->trend[i] = u < p->trend_rising ? RELSIM_TREND_RISING
                : u < p->trend_rising + p->trend_fading ? RELSIM_TREND_FADING
                                                         : RELSIM_TREND_STABLE;
  c->need[i] = (float)draw_need(p, g);
  c->involvement[i] = (uint8_t)rng_bernoulli(g, p->high_involvement);
  for (int a = 0; a < s->a; a++)
    c->desire[i * s->a + a] = (float)clip01(p->desire_mean[a] + p->desire_sd * rng_normal(g));
  c->beta[i] = (float)(p->price_sensitivity_median * exp(p->price_sensitivity_sigma * rng_normal(g)));
  c->talk[i] = (float)exp(p->talk_sigma * rng_normal(g));
  c->last_firm[i] = -1;
  c->bought[i] = -1;
  c->prev_last_firm[i] = -1;
  c->prev_last[i] = -1;
  c->paid_list[i] = 0.0f;
  c->heard_chain[i] = 0;

  for (int f = 0; f < s->k; f++) {
    int64_t x = i * s->k + f;
    r->aware[x] = 0;
    r->tier[x] = RELSIM_TIER_C;
    r->blocked_until[x] = 0;
    for (int a = 0; a < s->a; a++) r->expect[x * s->a + a] = 0.0f;
    r->trust[x] = (float)p->trust_start;
    r->commit[x] = 0.0f;
    r->first_purchase[x] = -1;
    r->last_purchase[x] = -1;
    r->last_contact[x] = -1;
    r->purchases[x] = 0;
    r->lock_left[x] = 0;
    r->departed[x] = 0;
    r->value[x] = 0.0f;
    r->cum_spend[x] = 0.0;
    r->last_sat[x] = NAN;
    r->active_hist[x] = 0;
  }
}

void population_trend(struct relsim_sim *s, gsl_rng *g, int64_t i) {
  const struct relsim_params *p = &s->p;
  double growth = s->c.trend[i] == RELSIM_TREND_RISING   ? p->trend_growth
                  : s->c.trend[i] == RELSIM_TREND_FADING ? -p->trend_growth
                                                          : 0.0;
  s->c.spend[i] *= exp(growth + p->trend_sd * rng_normal(g));
}

void population_exits(struct relsim_sim *s, int t) {
  const struct relsim_params *p = &s->p;
  if (!p->mech.turnover || p->exit_rate <= 0.0) return;
  const int k = s->k;
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
  for (int64_t b = 0; b < s->n_blocks; b++) {
    gsl_rng *g = s->rng[omp_thread()];
    double *blk = acc_block(s, b);
    int64_t end = (b + 1) * RELSIM_BLOCK < s->n ? (b + 1) * RELSIM_BLOCK : s->n;
    for (int64_t i = b * RELSIM_BLOCK; i < end; i++) {
      rng_seek(g, p->seed, 0, RELSIM_STREAM_EXIT, (uint64_t)i, t, 0);
      if (!rng_bernoulli(g, p->exit_rate)) continue;
      *acc_market(blk, k, ACC_M_EXITS) += 1.0;
      for (int f = 0; f < k; f++) {
        int64_t x = i * k + f;
        if (!sim_active(&s->r, x, t, p->recency)) continue;
        *acc_firm(blk, k, ACC_EXIT_LOST, f) += 1.0;
        *acc_firm(blk, k, ACC_EXIT_LOST_TIER + s->r.tier[x], f) += 1.0;
      }
      s->c.generation[i]++;
      population_birth(s, g, i);
    }
  }
}
