/*
 * Phase 1 and the firms' end-of-period decisions (MODEL.md §4, §5, §10):
 * budgets and the level each tier is served at, advertising, learning from
 * feedback, and the tier thresholds for the next period. Equations: firm.c.
 */
#ifndef RELSIM_FIRM_H
#define RELSIM_FIRM_H

#include <gsl/gsl_rng.h>
#include "relsim/params.h"
#include "relsim/tally.h"
#include "relsim/world.h"

/* Budgets and the effective level of each tier for period t. */
void firm_plan(const struct relsim_params *p, struct relsim_world *w, int t);

/* Advertising impressions of period t (serial, stream AD): the money spent
 * and the impressions bought per firm. */
void firm_advertise(const struct relsim_params *p, struct relsim_world *w, gsl_rng *g, int t, double *ad_spend,
                    double *impressions);

/* Relationship managers' visits to prospects in period t (serial, stream
 * PROSPECT): firm_plan's prospect_visits uniformly random customers; one
 * who is not an active customer becomes aware, gains trust_contact and
 * counts as contacted (salient for contact_interval). Nothing with
 * mechanisms.prospecting off (the visits are still paid). */
void firm_prospect(const struct relsim_params *p, struct relsim_world *w, gsl_rng *g, int t);

/* Learning from this period's feedback (tallies FEEDBACK_*): quality and
 * promise move; rnd_cost per firm. */
void firm_learn(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl, double *rnd_cost);

/* Tier thresholds for the next period from the value histogram; the
 * priority histogram kept for the next period's managers (firm_plan). */
void firm_update_tiers(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl);

#endif
