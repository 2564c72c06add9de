/*
 * A firm's decision rules: see policy.h for the three policies and their
 * equations.
 *
 * Contract: reads the firm parameters and the firm state kept by
 * accounting.c (tier_margin, window_profit); the adaptive policy writes its
 * own state (acq_share, policy_direction, last_window_profit,
 * window_profit). No random draws.
 */
#include "policy.h"

#include <math.h>

double policy_level_cost(const struct relsim_params *p, const struct relsim_firm_params *fp, int level) {
  double cost = p->level_cost[level];
  double per_manager = params_customers_per_manager(fp);
  if (level >= RELSIM_LEVEL_PROACTIVE) cost += per_manager > 0.0 ? fp->staff_salary / per_manager : INFINITY;
  if (level == RELSIM_LEVEL_PARTNERSHIP) cost += p->structural_cost;
  return cost;
}

void policy_levels(const struct relsim_params *p, const struct relsim_world *w, int f, int *level) {
  const struct relsim_firm_params *fp = &p->firms[f];
  const struct relsim_firm_state *fs = &w->firm[f];
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
    level[tier] = fp->level[tier];
    if (fp->policy != RELSIM_POLICY_KOTLER) continue;
    /* No margin measured yet (no customers in the tier): the scenario's level. */
    if (!(fs->tier_margin[tier] >= 0.0)) continue;
    double affordable = fp->policy_share * fs->tier_margin[tier];
    level[tier] = RELSIM_LEVEL_BASIC;
    for (int l = RELSIM_LEVEL_BASIC + 1; l < RELSIM_LEVEL_COUNT; l++)
      if (policy_level_cost(p, fp, l) <= affordable) level[tier] = l;
  }
}

double policy_acquisition_share(const struct relsim_params *p, struct relsim_world *w, int f, int t) {
  const struct relsim_firm_params *fp = &p->firms[f];
  struct relsim_firm_state *fs = &w->firm[f];
  if (fp->policy != RELSIM_POLICY_ADAPTIVE) return fp->acquisition_share;
  if (t == 0) {
    fs->acq_share = fp->acquisition_share;
    fs->policy_direction = 1;
    fs->window_profit = 0.0;
    fs->last_window_profit = NAN;
  } else if (t % fp->policy_window == 0) {
    /* Turn back when the last move lowered profit. */
    if (fs->window_profit < fs->last_window_profit) fs->policy_direction = -fs->policy_direction;
    double share = fs->acq_share + fs->policy_direction * fp->policy_step;
    if (share < 0.0 || share > 1.0) { /* at a bound: turn back */
      fs->policy_direction = -fs->policy_direction;
      share = fs->acq_share + fs->policy_direction * fp->policy_step;
    }
    fs->acq_share = share < 0.0 ? 0.0 : share > 1.0 ? 1.0 : share;
    fs->last_window_profit = fs->window_profit;
    fs->window_profit = 0.0;
  }
  return fs->acq_share;
}
