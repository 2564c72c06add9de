/*
 * Phase 7 and births (MODEL.md §3, §11.7): customers are born with drawn
 * attributes, and they leave and are replaced by newcomers. See turnover.c for the equations.
 */
#ifndef RELSIM_TURNOVER_H
#define RELSIM_TURNOVER_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/params.h"
#include "relsim/tally.h"
#include "relsim/world.h"

/* Births of the customers of block b at the start of a run, and their
 * initial awareness of each firm. Streams BIRTH and INIT. */
void turnover_populate_block(const struct relsim_params *p, struct relsim_world *w, const struct relsim_tally *tl,
                             gsl_rng *g, int64_t b);

/* Exits of the customers of block b at the end of period t and their
 * newcomers. Tallies M_EXITS, EXIT_LOST, EXIT_LOST_TIER. Streams EXIT, BIRTH. */
void turnover_exits_block(const struct relsim_params *p, struct relsim_world *w, struct relsim_tally *tl,
                          gsl_rng *g, int64_t b, int t);

#endif
