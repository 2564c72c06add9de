/*
 * Phase 4 for one customer who bought (MODEL.md §8, §9): the experience,
 * satisfaction, service failure and recovery, trust, commitment,
 * expectations, and whether the customer tells a story. Equations:
 * experience.c.
 */
#ifndef RELSIM_EXPERIENCE_H
#define RELSIM_EXPERIENCE_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/params.h"
#include "relsim/story.h"
#include "relsim/world.h"

/* Customer i bought from firm f at discount disc in period t; blk: the
 * customer's tally block; a story it tells goes to stories. Returns 0, or
 * -1 if storing the story runs out of memory. */
int experience_customer(const struct relsim_params *p, struct relsim_world *w, double *blk,
                        struct relsim_storybuf *stories, gsl_rng *g, int64_t i, int f, double disc, int t);

#endif
