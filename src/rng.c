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
#include <gsl/gsl_randist.h>
#include <Random123/philox.h>
#include <Random123/gsl_microrng.h>

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

uint64_t rng_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  philox4x64_ctr_t ctr = {{a, b, c, 0x68617368u}};
  philox4x64_key_t key = {{seed, 0x6e6574776f726bULL}};
  philox4x64_ctr_t out = philox4x64(ctr, key);
  return out.v[0];
}
