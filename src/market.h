/*
 * Phases 2-3 for one customer (MODEL.md §5-§7): proactive contacts, the
 * purchase occasion, the choice among the firms considered, and payment.
 * Equations: market.c.
 */
#ifndef RELSIM_MARKET_H
#define RELSIM_MARKET_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/params.h"
#include "relsim/world.h"

/* Customer i in period t; blk: the tally block of the customer. Returns the
 * firm bought from (-1: none) and the discount given in *disc. */
int market_customer(const struct relsim_params *p, struct relsim_world *w, double *blk, gsl_rng *g, int64_t i, int t,
                    double *disc);

#endif
