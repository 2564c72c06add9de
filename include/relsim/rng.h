/*
 * relsim random numbers: counter-based streams (Random123 Philox4x64-10
 * through its GSL micro-RNG adapter).
 *
 * Every draw is a pure function of (seed, run, stream, entity, period, sub,
 * draw index): a phase repositions a generator at the start of its work for
 * one entity and then draws in a fixed order. Which thread does the work does
 * not matter, so results are identical for any thread count.
 *
 * Key   = (seed, run)
 * Counter = (entity, period, stream | sub << 16, draw counter in the high 32 bits)
 */
#ifndef RELSIM_RNG_H
#define RELSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Named streams: one per kind of decision, so adding a draw to one phase
 * never shifts the draws of another. The numbers are part of every result:
 * a retired number is never reused (2, 3 and 12 are retired: the spend
 * trend draws from PURCHASE, proactive contacts and the mixed network draw
 * nothing of their own). */
enum relsim_stream {
  RELSIM_STREAM_BIRTH = 1,       /* customer attributes at birth (entity = slot, sub = generation) */
  RELSIM_STREAM_PURCHASE = 4,    /* occasion, spend trend, search, choice (entity = customer) */
  RELSIM_STREAM_EXPERIENCE = 5,  /* performance, failure, complaint, recovery, telling (entity = customer) */
  RELSIM_STREAM_TELL = 6,        /* whom a story reaches (entity = sender, sub = story rank) */
  RELSIM_STREAM_HEAR = 7,        /* hearer's reaction: blocking, relaying (entity = hearer) */
  RELSIM_STREAM_AD = 8,          /* advertising impressions (entity = firm) */
  RELSIM_STREAM_EXIT = 9,        /* exits (entity = customer) */
  RELSIM_STREAM_INIT = 10,       /* initial awareness (entity = customer) */
  RELSIM_STREAM_NETWORK = 11,    /* network construction */
  RELSIM_STREAM_INJECT = 13,     /* tellers of injected stories (entity 0) */
  RELSIM_STREAM_DESIGN = 14,     /* Latin hypercube strata and positions (entity = dimension) */
  RELSIM_STREAM_BOOTSTRAP = 15,  /* bootstrap resamples of Sobol indices (entity = resample) */
  RELSIM_STREAM_PROSPECT = 16,   /* relationship managers' visits to prospects (entity = firm) */
  RELSIM_STREAM_ENTRY = 17       /* awareness of a firm entering mid-run (entity = customer, sub = firm) */
};

/* Allocate a positionable generator (one per thread; never in a hot loop). */
gsl_rng *rng_alloc(void);
void rng_free(gsl_rng *r);

/* Position r at the start of the stream for (seed, run, stream, entity, period, sub). */
void rng_seek(gsl_rng *r, uint64_t seed, uint64_t run, unsigned stream, uint64_t entity,
              int64_t period, uint64_t sub);

/* Uniform on (0, 1), never 0 or 1. */
double rng_uniform_pos(gsl_rng *r);
/* Bernoulli(p). */
int rng_bernoulli(gsl_rng *r, double p);
/* Uniform integer in [0, n), n up to 2^63. */
uint64_t rng_below(gsl_rng *r, uint64_t n);
/* Standard normal. */
double rng_normal(gsl_rng *r);
/* Gumbel(0, 1). */
double rng_gumbel(gsl_rng *r);
/* Poisson(mu). */
unsigned rng_poisson(gsl_rng *r, double mu);

/* Scratch space of rng_distinct: a hash set of the values drawn so far,
 * kept between calls (zero-initialise it; free it with rng_distinct_free). */
struct rng_distinct_set {
  int64_t *slot;
  size_t cap;
};

/* Floyd's algorithm: m distinct integers of [0, d) (0 <= m <= d), written to
 * out[0..m) in the order drawn, each subset equally likely. Above a few
 * values the test "drawn before?" looks in the hash set instead of out, so
 * the cost is proportional to m; the draws and the result are the same
 * either way. Returns 0, or -1 if memory for the set runs out. */
int rng_distinct(gsl_rng *r, int64_t d, int64_t m, int64_t *out, struct rng_distinct_set *set);
void rng_distinct_free(struct rng_distinct_set *set);

/* A stateless 64-bit hash of (seed, a, b, c) (Philox of a counter), for
 * values that must be computed anywhere without a generator. */
uint64_t rng_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

#endif
