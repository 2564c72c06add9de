/*
 * Tallies (include/relsim/tally.h): per-block real sums added in block
 * order, per-thread integer counts.
 */
#include "relsim/tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int tally_alloc(struct relsim_tally *tl, int64_t n, int k, int threads) {
  memset(tl, 0, sizeof *tl);
  tl->n = n;
  tl->k = k;
  tl->threads = threads;
  tl->n_blocks = (n + RELSIM_BLOCK - 1) / RELSIM_BLOCK;
  tl->n_slots = TALLY_FIRM_SLOTS * k + TALLY_MARKET_SLOTS;
  tl->acc = calloc((size_t)(tl->n_blocks ? tl->n_blocks : 1) * (size_t)tl->n_slots, sizeof *tl->acc);
  tl->counts = calloc((size_t)threads * TALLY_COUNT_SLOTS * (size_t)k, sizeof *tl->counts);
  tl->hist = calloc((size_t)threads * (size_t)k * TALLY_HISTS * RELSIM_HIST_BINS, sizeof *tl->hist);
  if (!tl->acc || !tl->counts || !tl->hist) {
    tally_free(tl);
    return -1;
  }
  return 0;
}

void tally_free(struct relsim_tally *tl) {
  free(tl->acc);
  free(tl->counts);
  free(tl->hist);
  tl->acc = NULL;
  tl->counts = NULL;
  tl->hist = NULL;
}

size_t tally_bytes_needed(int64_t n, int k, int threads) {
  int64_t n_blocks = (n + RELSIM_BLOCK - 1) / RELSIM_BLOCK;
  return (size_t)(n_blocks ? n_blocks : 1) * (size_t)(TALLY_FIRM_SLOTS * k + TALLY_MARKET_SLOTS) * sizeof(double) +
         (size_t)threads * TALLY_COUNT_SLOTS * (size_t)k * sizeof(int64_t) +
         (size_t)threads * (size_t)k * TALLY_HISTS * RELSIM_HIST_BINS * sizeof(uint32_t);
}

size_t tally_bytes(const struct relsim_tally *tl) { return tally_bytes_needed(tl->n, tl->k, tl->threads); }

void tally_clear(struct relsim_tally *tl) {
  memset(tl->acc, 0, (size_t)tl->n_blocks * (size_t)tl->n_slots * sizeof *tl->acc);
  memset(tl->counts, 0, (size_t)tl->threads * TALLY_COUNT_SLOTS * (size_t)tl->k * sizeof *tl->counts);
  memset(tl->hist, 0, (size_t)tl->threads * (size_t)tl->k * TALLY_HISTS * RELSIM_HIST_BINS * sizeof *tl->hist);
}

static double tally_sum(const struct relsim_tally *tl, int index) {
  double sum = 0.0;
  for (int64_t b = 0; b < tl->n_blocks; b++) sum += tl->acc[b * tl->n_slots + index];
  return sum;
}

double tally_firm_sum(const struct relsim_tally *tl, int slot, int f) { return tally_sum(tl, slot * tl->k + f); }

double tally_market_sum(const struct relsim_tally *tl, int slot) {
  return tally_sum(tl, TALLY_FIRM_SLOTS * tl->k + slot);
}

int64_t tally_count(const struct relsim_tally *tl, int slot, int f) {
  int64_t sum = 0;
  for (int th = 0; th < tl->threads; th++) sum += tl->counts[((size_t)th * TALLY_COUNT_SLOTS + (size_t)slot) * tl->k + f];
  return sum;
}

/* Histogram bins from the float's exponent and top mantissa bits. */
#define HIST_SUB 16
#define HIST_EXP_MIN (-10)

static int tally_hist_bin(float v) {
  if (!(v > 0.0f)) return 0;
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  int e = (int)((bits >> 23) & 0xff) - 127 - HIST_EXP_MIN;
  int b = e * HIST_SUB + (int)((bits >> 19) & (HIST_SUB - 1));
  return b < 0 ? 0 : b >= RELSIM_HIST_BINS ? RELSIM_HIST_BINS - 1 : b;
}

double tally_hist_edge(int bin) {
  int e = bin / HIST_SUB + HIST_EXP_MIN, m = bin % HIST_SUB;
  return ldexp(1.0 + (double)m / HIST_SUB, e);
}

static size_t tally_hist_at(const struct relsim_tally *tl, int thread, int h, int f) {
  return (((size_t)thread * TALLY_HISTS + (size_t)h) * (size_t)tl->k + (size_t)f) * RELSIM_HIST_BINS;
}

void tally_hist_add(struct relsim_tally *tl, int thread, int h, int f, double value) {
  tl->hist[tally_hist_at(tl, thread, h, f) + (size_t)tally_hist_bin((float)value)]++;
}

int64_t tally_hist_counts(const struct relsim_tally *tl, int h, int f, int64_t *count) {
  int64_t total = 0;
  for (int b = 0; b < RELSIM_HIST_BINS; b++) {
    int64_t c = 0;
    for (int th = 0; th < tl->threads; th++) c += tl->hist[tally_hist_at(tl, th, h, f) + (size_t)b];
    count[b] = c;
    total += c;
  }
  return total;
}
