/*
 * Phase 6 (MODEL.md §11.6, §13): end-of-period bookkeeping per customer,
 * the period's metrics, and the exits carried to the next period's losses.
 * Definitions: accounting.c.
 */
#ifndef RELSIM_ACCOUNTING_H
#define RELSIM_ACCOUNTING_H

#include <stdint.h>
#include "relsim/metrics.h"
#include "relsim/params.h"
#include "relsim/tally.h"
#include "relsim/world.h"

/* Bookkeeping and tallies of the customers of block b at the end of period
 * t, by thread (for the value histogram). */
void accounting_customers_block(const struct relsim_params *p, struct relsim_world *w, struct relsim_tally *tl,
                                int thread, int64_t b, int t);

/* The metrics of period t into m, from the tallies and the firms'
 * advertising spend, impressions and R&D cost; updates the firms' books. */
void accounting_metrics(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl, int t,
                        const double *ad_spend, const double *impressions, const double *rnd,
                        struct relsim_metrics *m);

/* After phase 7: the active customers who left the market count as lost
 * next period; the exits go into m. */
void accounting_exits(struct relsim_world *w, const struct relsim_tally *tl, struct relsim_metrics *m);

#endif
