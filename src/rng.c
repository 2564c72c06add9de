/*
 * Counter-based random streams (see include/relsim/rng.h).
 *
 * Random123's Philox4x64-10 behind its GSL micro-RNG adapter: the adapter
 * reserves the high 32 bits of the last counter word for its own draw count,
 * so a stream has 2^32 blocks of four 32-bit draws, far more than any phase
 * uses for one entity.
 */
#include "relsim/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <Random123/philox.h>
#include <Random123/gsl_microrng.h>

#include "relsim/util.h"

GSL_MICRORNG(relsim_philox, philox4x64);

gsl_rng *rng_alloc(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_relsim_philox);
  if (r) {
    philox4x64_ctr_t c = {{0, 0, 0, 0}};
    philox4x64_key_t k = {{0, 0}};
    relsim_philox_reset(r, c, k);
  }
  return r;
}

void rng_free(gsl_rng *r) {
  if (r) gsl_rng_free(r);
}

void rng_seek(gsl_rng *r, uint64_t seed, uint64_t run, unsigned stream, uint64_t entity,
              int64_t period, uint64_t sub) {
  philox4x64_ctr_t c = {{entity, (uint64_t)period, ((uint64_t)stream & 0xffffu) | (sub << 16), 0}};
  philox4x64_key_t k = {{seed, run}};
  relsim_philox_reset(r, c, k);
}

double rng_uniform_pos(gsl_rng *r) { return gsl_rng_uniform_pos(r); }

int rng_bernoulli(gsl_rng *r, double p) {
  if (p <= 0.0) return 0;
  if (p >= 1.0) return 1;
  return gsl_rng_uniform(r) < p;
}

uint64_t rng_below(gsl_rng *r, uint64_t n) {
  if (n <= 1) return 0;
  if (n <= 0xffffffffu) {
    /* Lemire's multiply-shift with rejection: unbiased. */
    uint64_t m = (uint64_t)gsl_rng_get(r) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
      uint32_t threshold = (uint32_t)(-(uint32_t)n) % (uint32_t)n;
      while (low < threshold) {
        m = (uint64_t)gsl_rng_get(r) * n;
        low = (uint32_t)m;
      }
    }
    return m >> 32;
  }
  /* n above 2^32: 64-bit draws with rejection of the biased top range. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    uint64_t hi = gsl_rng_get(r);
    uint64_t lo = gsl_rng_get(r);
    uint64_t v = (hi << 32) | lo;
    if (v < limit) return v % n;
  }
}

double rng_normal(gsl_rng *r) { return gsl_ran_gaussian_ziggurat(r, 1.0); }

double rng_gumbel(gsl_rng *r) { return -log(-log(gsl_rng_uniform_pos(r))); }

unsigned rng_poisson(gsl_rng *r, double mu) {
  if (!(mu > 0.0)) return 0;
  return gsl_ran_poisson(r, mu);
}

/* Up to this many values, rng_distinct looks for a repeat in out itself. */
#define RNG_DISTINCT_LINEAR 16

/* The slot of v in a table of 2^(64 - shift) slots: Fibonacci hashing, linear
 * probing, -1 marks an empty slot. */
static size_t distinct_slot(const int64_t *slot, int shift, int64_t v) {
  size_t mask = ((size_t)1 << (64 - shift)) - 1;
  size_t h = (size_t)(((uint64_t)v * 0x9E3779B97F4A7C15ULL) >> shift);
  while (slot[h] != -1 && slot[h] != v) h = (h + 1) & mask;
  return h;
}

int rng_distinct(gsl_rng *r, int64_t d, int64_t m, int64_t *out, struct rng_distinct_set *set) {
  int64_t n = 0;
  if (m <= RNG_DISTINCT_LINEAR) {
    for (int64_t j = d - m; j < d; j++) {
      int64_t v = (int64_t)rng_below(r, (uint64_t)j + 1);
      for (int64_t q = 0; q < n; q++)
        if (out[q] == v) {
          v = j;
          break;
        }
      out[n++] = v;
    }
    return 0;
  }
  /* A table at most half full; only the part this m needs is cleared. */
  size_t size = 64;
  int shift = 58;
  while (size < 2 * (size_t)m) {
    if (size > SIZE_MAX / 4) return -1;
    size *= 2;
    shift--;
  }
  if (util_grow(&set->slot, &set->cap, size, sizeof *set->slot, 64) != 0) return -1;
  memset(set->slot, 0xff, size * sizeof *set->slot); /* every slot -1 */
  for (int64_t j = d - m; j < d; j++) {
    int64_t v = (int64_t)rng_below(r, (uint64_t)j + 1);
    size_t h = distinct_slot(set->slot, shift, v);
    if (set->slot[h] == v) h = distinct_slot(set->slot, shift, v = j); /* j itself was never drawn */
    set->slot[h] = v;
    out[n++] = v;
  }
  return 0;
}

void rng_distinct_free(struct rng_distinct_set *set) {
  free(set->slot);
  set->slot = NULL;
  set->cap = 0;
}

uint64_t rng_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  philox4x64_ctr_t ctr = {{a, b, c, 0x68617368u}};
  philox4x64_key_t key = {{seed, 0x6e6574776f726bULL}};
  philox4x64_ctr_t out = philox4x64(ctr, key);
  return out.v[0];
}
