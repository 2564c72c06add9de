/*
 * The simulation: create, step, free. sim_step runs one period in the
 * order of MODEL.md §11; each phase is a module of its own whose file opens
 * with its equations and its contract (the state it reads and writes, its
 * tallies, its random stream):
 *
 *   0. events.c      the scheduled events due at the period: entries,
 *                    exits, changed parameters
 *   1. firm.c        budget lines, the level each tier is offered, managers;
 *                    advertising, prospect visits
 *   2-3. market.c    per customer: contacts, occasion, choice, payment
 *   4. experience.c  per buyer: experience, satisfaction, failure and
 *                    recovery, trust, commitment, telling;
 *      firm.c        then learning from the feedback collected
 *   5. wom.c         word of mouth heard (and injected stories)
 *   6. accounting.c  per customer-firm bookkeeping; firm.c: tier thresholds
 *                    for the next period; accounting.c: the metrics
 *   7. turnover.c    exits and newcomers; accounting.c carries them over
 *
 * Customers are processed in blocks of RELSIM_BLOCK (tally.h) in parallel;
 * phases 2-4 are fused into one pass per customer.
 */
#include "relsim/sim.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounting.h"
#include "experience.h"
#include "firm.h"
#include "market.h"
#include "relsim/rng.h"
#include "turnover.h"
#include "wom.h"

static enum relsim_status out_of_memory(char *err, size_t errlen, const char *what, const struct relsim_params *p) {
  snprintf(err, errlen, "out of memory allocating %s of %lld customers x %d firms (%.1f MB of state)", what,
           (long long)p->customers, p->n_firms, world_bytes_needed(p->customers, p->n_firms, p->n_attrs) / 1e6);
  return RELSIM_ERR_MEMORY;
}

enum relsim_status sim_create(struct relsim_sim **out, const struct relsim_params *p, int threads, char *err,
                              size_t errlen) {
  return sim_create_scheduled(out, p, NULL, threads, err, errlen);
}

enum relsim_status sim_create_scheduled(struct relsim_sim **out, const struct relsim_params *p,
                                        const struct relsim_schedule *events, int threads, char *err, size_t errlen) {
  *out = NULL;
  struct relsim_sim *s = calloc(1, sizeof *s);
  if (!s) return out_of_memory(err, errlen, "the simulation", p);
  s->p = *p;
  if (events_copy(&s->events, events) != 0) {
    free(s);
    return out_of_memory(err, errlen, "the scheduled events", p);
  }
  s->threads = threads > 0 ? threads : omp_get_max_threads();
  enum relsim_status st = RELSIM_OK;
  if (world_alloc(&s->w, p->customers, p->n_firms, p->n_attrs) != 0) st = out_of_memory(err, errlen, "the state", p);
  else if (tally_alloc(&s->tl, p->customers, p->n_firms, s->threads) != 0)
    st = out_of_memory(err, errlen, "the tallies", p);
  else if (!(s->wom = calloc(1, sizeof *s->wom)) || wom_alloc(s->wom, p->customers, s->tl.n_blocks) != 0)
    st = out_of_memory(err, errlen, "the word-of-mouth buffers", p);
  else if (!(s->rng = calloc((size_t)s->threads, sizeof *s->rng)))
    st = out_of_memory(err, errlen, "the random number generators", p);
  for (int th = 0; st == RELSIM_OK && th < s->threads; th++)
    if (!(s->rng[th] = rng_alloc())) st = out_of_memory(err, errlen, "the random number generators", p);
  if (st == RELSIM_OK)
    st = network_create(&s->net, p->network_kind, p->customers, p->contacts, p->rewire, p->network_file, p->seed,
                        err, errlen);
  if (st != RELSIM_OK) {
    sim_free(s);
    return st;
  }

  for (int f = 0; f < s->w.k; f++) {
    world_init_firm(&s->w, p, f);
    s->w.firm[f].absent = events_absent_at_start(&s->events, f);
  }
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
  for (int64_t b = 0; b < s->tl.n_blocks; b++)
    turnover_populate_block(&s->p, &s->w, &s->tl, s->rng[omp_get_thread_num()], b);
  s->period = 0;
  *out = s;
  return RELSIM_OK;
}

void sim_free(struct relsim_sim *s) {
  if (!s) return;
  if (s->rng)
    for (int th = 0; th < s->threads; th++) rng_free(s->rng[th]);
  free(s->rng);
  if (s->wom) wom_free(s->wom);
  free(s->wom);
  tally_free(&s->tl);
  world_free(&s->w);
  network_free(s->net);
  events_free(&s->events);
  free(s);
}

void sim_resume_events(struct relsim_sim *s) { s->next_event = events_replay(&s->p, &s->events, s->period); }

size_t sim_bytes(const struct relsim_sim *s) {
  return s->w.bytes + tally_bytes(&s->tl) + wom_bytes(s->wom) + network_bytes(s->net);
}

void sim_bytes_estimate(const struct relsim_params *p, int threads, struct relsim_sim_bytes *out) {
  if (threads <= 0) threads = omp_get_max_threads();
  double degree = 0.0;
  int64_t n_blocks = (p->customers + RELSIM_BLOCK - 1) / RELSIM_BLOCK;
  out->customers = world_bytes_needed(p->customers, p->n_firms, p->n_attrs);
  out->network = network_bytes_estimate(p->network_kind, p->customers, p->contacts, p->network_file, &degree);
  out->wom = sizeof(struct relsim_wom) + wom_bytes_estimate(p, n_blocks, degree);
  out->tallies = tally_bytes_needed(p->customers, p->n_firms, threads);
  /* a generator: its pointer, gsl_rng and the Philox state (counter, key, buffer: under 256 bytes) */
  out->other = sizeof(struct relsim_sim) + (size_t)threads * (sizeof(gsl_rng *) + sizeof(gsl_rng) + 256);
}

/* Phases 2-4 for the customers of block b. Returns 0, or -1 if a story
 * cannot be stored. */
static int customers_block(struct relsim_sim *s, gsl_rng *g, int64_t b, int t) {
  double *blk = tally_block(&s->tl, b);
  struct relsim_storybuf *told = &s->wom->told[b];
  int64_t begin, end;
  tally_block_range(&s->tl, b, &begin, &end);
  told->n = 0;
  for (int64_t i = begin; i < end; i++) {
    double disc;
    int f = market_customer(&s->p, &s->w, blk, g, i, t, &disc);
    if (f >= 0 && experience_customer(&s->p, &s->w, blk, told, g, i, f, disc, t) != 0) return -1;
  }
  return 0;
}

/* A stop asked for (a signal): checked at every block, so a long phase ends soon. */
static int stopped(const struct relsim_sim *s) { return s->stop && *s->stop; }

static enum relsim_status interrupted(const struct relsim_sim *s, char *err, size_t errlen, const char *phase) {
  snprintf(err, errlen, "interrupted in period %d (%s)", s->period, phase);
  return RELSIM_ERR_INTERRUPTED;
}

enum relsim_status sim_step(struct relsim_sim *s, char *err, size_t errlen) {
  const struct relsim_params *p = &s->p;
  const int t = s->period;
  double ad_spend[RELSIM_MAX_FIRMS], impressions[RELSIM_MAX_FIRMS], rnd[RELSIM_MAX_FIRMS];
  tally_clear(&s->tl);

  /* 0. Scheduled events: entries, exits, changed parameters. */
  for (; s->next_event < s->events.n_events && s->events.events[s->next_event].period == t; s->next_event++)
    events_apply(&s->p, &s->w, &s->events, s->next_event, t, s->rng, s->threads);

  /* 1. Budgets, levels and offers; advertising. */
  firm_plan(p, &s->w, t);
  firm_advertise(p, &s->w, s->rng[0], t, ad_spend, impressions);
  firm_prospect(p, &s->w, s->rng[0], t);

  /* 2-4. Contacts, purchases, experience; then learning. */
  int failed = 0;
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
  for (int64_t b = 0; b < s->tl.n_blocks; b++)
    if (!stopped(s) && customers_block(s, s->rng[omp_get_thread_num()], b, t) != 0) {
#pragma omp atomic write
      failed = 1;
    }
  if (stopped(s)) return interrupted(s, err, errlen, "purchases");
  if (failed) {
    snprintf(err, errlen, "out of memory storing word-of-mouth stories in period %d", t);
    return RELSIM_ERR_MEMORY;
  }
  firm_learn(p, &s->w, &s->tl, rnd);

  /* 5. Word of mouth (with this period's injected stories). */
  if (stopped(s)) return interrupted(s, err, errlen, "learning");
  enum relsim_status ws = wom_inject(p, &s->w, s->wom, s->rng[0], t, err, errlen);
  if (ws == RELSIM_OK) ws = wom_period(p, &s->w, s->net, &s->tl, s->wom, s->rng, s->threads, t, err, errlen);
  if (ws != RELSIM_OK) return ws;

  /* 6. Bookkeeping, tiers for the next period, metrics. */
#pragma omp parallel num_threads(s->threads)
  {
    int th = omp_get_thread_num();
#pragma omp for schedule(dynamic, 1)
    for (int64_t b = 0; b < s->tl.n_blocks; b++)
      if (!stopped(s)) accounting_customers_block(p, &s->w, &s->tl, th, b, t);
  }
  if (stopped(s)) return interrupted(s, err, errlen, "bookkeeping");
  firm_update_tiers(p, &s->w, &s->tl);
  accounting_metrics(p, &s->w, &s->tl, t, ad_spend, impressions, rnd, &s->m);

  /* 7. Exits and newcomers. */
  if (p->mech.turnover && p->exit_rate > 0.0) {
#pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
    for (int64_t b = 0; b < s->tl.n_blocks; b++)
      if (!stopped(s)) turnover_exits_block(p, &s->w, &s->tl, s->rng[omp_get_thread_num()], b, t);
    if (stopped(s)) return interrupted(s, err, errlen, "turnover");
  }
  accounting_exits(&s->w, &s->tl, &s->m);
  s->period++;
  return RELSIM_OK;
}
