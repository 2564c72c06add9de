/*
 * The market the engine tests start from: a transactional firm "T" and a
 * relationship firm "R" (the presets), a small random network, and the
 * helpers to build and step a simulation of it. Header-only, for the test
 * programs (tests/test_sim.c, tests/test_relationship.c).
 */
#ifndef RELSIM_SIM_FIXTURE_H
#define RELSIM_SIM_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "relsim/params.h"
#include "relsim/sim.h"

/* n customers, periods periods, 20 contacts each, seed, firms T and R. */
static inline void fixture_params(struct relsim_params *p, int64_t n, int periods, uint64_t seed) {
  params_defaults(p);
  p->customers = n;
  p->periods = periods;
  p->contacts = 20;
  p->seed = seed;
  p->n_firms = 2;
  params_firm_defaults(&p->firms[0], RELSIM_STRATEGY_TRANSACTIONAL, p->n_attrs);
  params_firm_defaults(&p->firms[1], RELSIM_STRATEGY_RELATIONSHIP, p->n_attrs);
  strcpy(p->firms[0].name, "T");
  strcpy(p->firms[1].name, "R");
}

/* A simulation of p (finalized on a copy), or NULL with the reason printed. */
static inline struct relsim_sim *fixture_make(const struct relsim_params *p, int threads) {
  struct relsim_params q = *p;
  params_finalize(&q);
  char err[512];
  struct relsim_sim *s = NULL;
  if (sim_create(&s, &q, threads, err, sizeof err) != RELSIM_OK) fprintf(stderr, "sim_create: %s\n", err);
  return s;
}

/* One period; 0, or -1 with the reason printed. */
static inline int fixture_step(struct relsim_sim *s) {
  char err[512];
  if (sim_step(s, err, sizeof err) != RELSIM_OK) {
    fprintf(stderr, "sim_step: %s\n", err);
    return -1;
  }
  return 0;
}

/* A firm metric and a market metric of the last period. */
#define FM(s, name, f) ((s)->m.firm[RELSIM_FM_##name][f])
#define MM(s, name) ((s)->m.market[RELSIM_MM_##name])

#endif
