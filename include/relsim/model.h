/*
 * The pure equations of the market model, shared by the simulation and the
 * known-answer tests.
 */
#ifndef RELSIM_MODEL_H
#define RELSIM_MODEL_H

#include <math.h>
#include "relsim/params.h"

static inline double model_logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

/* Satisfaction (§8; Spreng, MacKenzie & Olshavsky 1996):
 *   EC_a = P_a - E_a, DC_a = P_a - D_a,
 *   AS = mean_a L(k_D DC_a), IS = L(k_E mean_a EC_a), S = w_AS AS + w_IS IS. */
static inline double model_satisfaction(const struct relsim_params *p, int a, const double *P, const float *E,
                                        const float *D) {
  double as = 0.0, ec = 0.0;
  for (int j = 0; j < a; j++) {
    as += model_logistic(p->k_desires * (P[j] - D[j]));
    ec += P[j] - E[j];
  }
  return p->w_attribute * as / a + p->w_information * model_logistic(p->k_expectations * ec / a);
}

/* Trust (§8; Morgan & Hunt): promise kept if mean P >= promise - tolerance. */
static inline int model_promise_kept(const struct relsim_params *p, double mean_p, double promise) {
  return mean_p >= promise - p->promise_tolerance;
}
static inline double model_trust_update(const struct relsim_params *p, double tau, double mean_p, double promise) {
  return model_promise_kept(p, mean_p, promise) ? tau + p->trust_gain * (1.0 - tau) : tau - p->trust_loss * tau;
}

/* The share of the cost of goods a firm pays to serve a customer whose
 * first purchase from it was in period first (-1: this one), in period t:
 * 1 - tenure_saving * min(1, tenure / cohort_periods). */
static inline double model_serve_factor(const struct relsim_params *p, int32_t first, int t) {
  if (!p->mech.cost_to_serve || first < 0) return 1.0;
  double years = (double)(t - first) / p->cohort_periods;
  return 1.0 - p->tenure_saving * (years < 1.0 ? years : 1.0);
}

/* The chance that a completely satisfied customer with commitment kappa
 * tells a positive story (§9): wom_positive * talk * (1 - a + 2 a kappa),
 * a = wom.advocacy (at kappa = 0.5 the plain wom_positive * talk). */
static inline double model_praise(const struct relsim_params *p, double talk, double kappa) {
  return p->wom_positive * talk * (1.0 - p->advocacy + 2.0 * p->advocacy * kappa);
}

/* Customer lifetime value (§13): m r / (1 + d - r); NaN when undefined. */
static inline double model_clv(double margin, double retention, double discount) {
  if (isnan(margin) || isnan(retention)) return NAN;
  return margin * retention / (1.0 + discount - retention);
}

/* Spend trend (§3): one period's multiplier of spend, exp(g + sd z) with
 * g = +growth (rising), 0 (stable) or -growth (fading); z standard normal. */
static inline double model_trend_factor(const struct relsim_params *p, int trend, double z) {
  double growth = trend == RELSIM_TREND_RISING ? p->trend_growth : trend == RELSIM_TREND_FADING ? -p->trend_growth : 0.0;
  return exp(growth + p->trend_sd * z);
}

/* The band of satisfaction s (enum relsim_band). */
static inline int model_band(const struct relsim_params *p, double s) {
  return s >= p->band_complete ? 0 : s >= p->band_satisfied ? 1 : s >= p->band_neutral ? 2 : 3;
}

#endif
