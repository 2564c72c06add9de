/*
 * A firm's decision rules (docs/model.md "Firms decide"): the relationship
 * level offered to each value tier and the split of the budget between
 * acquisition and retention, chosen each period by the firm's policy:
 *
 *   fixed     the scenario's levels and acquisition_share (the presets)
 *   kotler    Kotler's rule (seed 002): each tier gets the deepest level
 *             whose cost per customer and period is at most policy_share
 *             of the gross margin its customers brought last period; the
 *             number of customers enters through the budget, which pays
 *             for as many managers and programmes as it can
 *   adaptive  the fixed levels; every policy_window periods the firm moves
 *             acquisition_share by policy_step in the direction that raised
 *             its profit over the last window, and turns back when profit
 *             fell (hill climbing on the measured return)
 */
#ifndef RELSIM_POLICY_H
#define RELSIM_POLICY_H

#include "relsim/params.h"
#include "relsim/world.h"

/* The cost of serving one customer for one period at level L for firm fp:
 * the service programme, the manager's time (proactive and above) and the
 * structural programme (partnership). */
double policy_level_cost(const struct relsim_params *p, const struct relsim_firm_params *fp, int level);

/* Firm f's levels per tier (level[RELSIM_TIER_COUNT]) for period t. */
void policy_levels(const struct relsim_params *p, const struct relsim_world *w, int f, int *level);

/* Firm f's share of the budget for acquisition in period t (adaptive: moves
 * the firm's state at the end of each window). */
double policy_acquisition_share(const struct relsim_params *p, struct relsim_world *w, int f, int t);

#endif
