/*
 * Sampling designs and Sobol sensitivity indices (see include/relsim/design.h).
 *
 * Latin hypercube (McKay, Beckman & Conover 1979): in dimension j, point i
 * lies in stratum pi_j(i) of n, u_ij = (pi_j(i) + w_ij) / n with pi_j a
 * uniform random permutation (Fisher-Yates) and w_ij uniform on (0, 1). For
 * n below 2^20, pi + w is exact in a double and the quotient stays inside
 * its stratum; above, a value is at most one rounding from its stratum.
 *
 * Saltelli design (Saltelli 2002; Saltelli et al. 2010): point j of a
 * 2k-dimensional Sobol sequence gives A_j (coordinates 1..k) and B_j
 * (k+1..2k); AB_j^(i) is A_j with coordinate i of B_j.
 *
 * Indices, with f centred by the mean of all outputs and V the variance of
 * f(A) and f(B) pooled (divisor 2N):
 *   S_i  = (1/N) sum_j f(B)_j (f(AB^(i))_j - f(A)_j) / V   (Saltelli et al. 2010)
 *   ST_i = (1/2N) sum_j (f(A)_j - f(AB^(i))_j)^2 / V       (Jansen 1999)
 * f(B) and f(AB^(i)) share x_i only, so E f(B) f(AB^(i)) - E f(B) f(A) =
 * Var E[f | x_i]; f(A) and f(AB^(i)) share all but x_i, so the mean squared
 * difference is 2 E Var[f | x_~i].
 * Intervals: percentile bootstrap (Efron & Tibshirani 1993, §13.3) over the
 * N blocks of rows; quantiles by linear interpolation between order
 * statistics (gsl_stats_quantile_from_sorted_data).
 *
 * Random streams: RELSIM_STREAM_DESIGN (entity = dimension) for the
 * hypercube, RELSIM_STREAM_BOOTSTRAP (entity = resample) for the bootstrap;
 * run 0, period 0, sub 0. Each dimension and each resample has its own
 * stream position, so none depends on how many others there are.
 */
#include "relsim/design.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "relsim/rng.h"

/* GSL's Sobol generator counts its points in 30 bits and fails at the
 * count 2^30 - 1. */
#define SOBOL_MAX_POINTS ((1 << 30) - 1)

int design_lhs(int n, int k, uint64_t seed, double *u) {
  if (n < 1 || k < 1) return -1;
  int *perm = malloc((size_t)n * sizeof *perm);
  gsl_rng *r = rng_alloc();
  if (!perm || !r) {
    free(perm);
    rng_free(r);
    return -1;
  }
  for (int j = 0; j < k; j++) {
    rng_seek(r, seed, 0, RELSIM_STREAM_DESIGN, (uint64_t)j, 0, 0);
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int s = (int)rng_below(r, (uint64_t)i + 1);
      int t = perm[i];
      perm[i] = perm[s];
      perm[s] = t;
    }
    for (int i = 0; i < n; i++) {
      double w = rng_uniform_pos(r);
      double v = ((double)perm[i] + w) / (double)n;
      u[(size_t)i * (size_t)k + (size_t)j] = v < 1.0 ? v : nextafter(1.0, 0.0);
    }
  }
  free(perm);
  rng_free(r);
  return 0;
}

int design_sobol_max_factors(void) { return (int)(gsl_qrng_sobol->max_dimension / 2); }

int design_sobol_max_base(void) { return SOBOL_MAX_POINTS; }

int design_saltelli(int n_base, int k, double *u) {
  if (k < 1 || k > design_sobol_max_factors() || n_base < 2 || n_base > SOBOL_MAX_POINTS) return -1;
  size_t kk = (size_t)k;
  double *x = malloc(2 * kk * sizeof *x);
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
  int rc = x && q ? 0 : -1;
  for (int j = 0; rc == 0 && j < n_base; j++) {
    if (gsl_qrng_get(q, x) != 0) {
      rc = -1;
      break;
    }
    double *row = u + (size_t)j * (kk + 2) * kk;
    memcpy(row, x, kk * sizeof *x);           /* A_j */
    memcpy(row + kk, x + kk, kk * sizeof *x); /* B_j */
    for (size_t i = 0; i < kk; i++) {
      double *ab = row + (2 + i) * kk; /* AB_j^(i): A_j with column i of B_j */
      memcpy(ab, x, kk * sizeof *x);
      ab[i] = x[kk + i];
    }
  }
  if (q) gsl_qrng_free(q);
  free(x);
  return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* S_i and ST_i (unnormalised sums first, then divided) of the blocks
 * pick[0..n) (block j itself when pick is NULL), outputs centred by ybar.
 * Returns V; first and total are left unscaled when V is 0. */
static double sobol_estimate(int n, int k, const double *y, double ybar, const int *pick, double *first,
                             double *total) {
  size_t rows = (size_t)k + 2;
  double sum = 0.0;
  for (int j = 0; j < n; j++) {
    const double *b = y + (size_t)(pick ? pick[j] : j) * rows;
    sum += (b[0] - ybar) + (b[1] - ybar);
  }
  double m = sum / (2.0 * n), ss = 0.0;
  for (int i = 0; i < k; i++) first[i] = total[i] = 0.0;
  for (int j = 0; j < n; j++) {
    const double *b = y + (size_t)(pick ? pick[j] : j) * rows;
    double fa = b[0] - ybar, fb = b[1] - ybar;
    ss += (fa - m) * (fa - m) + (fb - m) * (fb - m);
    for (int i = 0; i < k; i++) {
      double fab = b[2 + i] - ybar;
      first[i] += fb * (fab - fa);
      total[i] += (fa - fab) * (fa - fab);
    }
  }
  double v = ss / (2.0 * n);
  if (v > 0.0)
    for (int i = 0; i < k; i++) {
      first[i] /= n * v;
      total[i] /= 2.0 * n * v;
    }
  return v;
}

static const char *row_name(int r, char *buf, size_t len) {
  if (r == 0) return "A";
  if (r == 1) return "B";
  snprintf(buf, len, "AB^(%d)", r - 1);
  return buf;
}

/* The percentile intervals of out[0..k) from n_boot resamples of the blocks
 * (resample b drawn at RELSIM_STREAM_BOOTSTRAP, entity b). bf and bt hold
 * k * n_boot values (index i's resamples at i * n_boot, the valid ones
 * packed); pick n_base indices; first and total k values of scratch. */
static void sobol_bootstrap(int n_base, int k, const double *y, double ybar, int n_boot, double level, uint64_t seed,
                            gsl_rng *r, int *pick, double *bf, double *bt, double *first, double *total,
                            struct design_sobol_index *out) {
  size_t nb = (size_t)n_boot, valid = 0;
  for (int b = 0; b < n_boot; b++) {
    rng_seek(r, seed, 0, RELSIM_STREAM_BOOTSTRAP, (uint64_t)b, 0, 0);
    for (int j = 0; j < n_base; j++) pick[j] = (int)rng_below(r, (uint64_t)n_base);
    if (!(sobol_estimate(n_base, k, y, ybar, pick, first, total) > 0.0)) continue; /* all blocks alike: V = 0 */
    for (int i = 0; i < k; i++) {
      bf[(size_t)i * nb + valid] = first[i];
      bt[(size_t)i * nb + valid] = total[i];
    }
    valid++;
  }
  if (valid == 0) return;
  double p_lo = 0.5 - 0.5 * level, p_hi = 0.5 + 0.5 * level;
  for (int i = 0; i < k; i++) {
    double *f = bf + (size_t)i * nb, *t = bt + (size_t)i * nb;
    gsl_sort(f, 1, valid);
    gsl_sort(t, 1, valid);
    out[i].first_lo = gsl_stats_quantile_from_sorted_data(f, 1, valid, p_lo);
    out[i].first_hi = gsl_stats_quantile_from_sorted_data(f, 1, valid, p_hi);
    out[i].total_lo = gsl_stats_quantile_from_sorted_data(t, 1, valid, p_lo);
    out[i].total_hi = gsl_stats_quantile_from_sorted_data(t, 1, valid, p_hi);
  }
}

int design_sobol_indices(int n_base, int k, const double *y, int n_boot, double level, uint64_t seed,
                         struct design_sobol_index *out, char *err, size_t errlen) {
  if (n_base < 2) return fail(err, errlen, "Sobol indices need at least 2 base points (got %d)", n_base);
  if (k < 1) return fail(err, errlen, "Sobol indices need at least 1 factor (got %d)", k);
  if (n_boot < 0) return fail(err, errlen, "negative number of bootstrap resamples (%d)", n_boot);
  if (!(level > 0.0 && level < 1.0)) return fail(err, errlen, "confidence level %g is not in (0, 1)", level);
  size_t rows = (size_t)k + 2, n_y = (size_t)n_base * rows;
  double sum = 0.0;
  for (size_t r = 0; r < n_y; r++) {
    if (!isfinite(y[r])) {
      char buf[32];
      return fail(err, errlen, "output %zu (base point %zu, row %s) is %g: every output must be a finite number", r,
                  r / rows, row_name((int)(r % rows), buf, sizeof buf), y[r]);
    }
    sum += y[r];
  }
  double ybar = sum / (double)n_y;
  double *first = malloc((size_t)k * sizeof *first), *total = malloc((size_t)k * sizeof *total);
  if (!first || !total) {
    free(first);
    free(total);
    return fail(err, errlen, "out of memory");
  }
  double v = sobol_estimate(n_base, k, y, ybar, NULL, first, total);
  if (!(v > 0.0 && isfinite(v))) {
    free(first);
    free(total);
    if (v > 0.0) return fail(err, errlen, "the variance of the outputs overflows (V = %g)", v);
    return fail(err, errlen, "the outputs of the A and B rows do not vary (V = 0): no index is defined");
  }
  for (int i = 0; i < k; i++) {
    out[i].first = first[i];
    out[i].total = total[i];
    out[i].first_lo = out[i].first_hi = out[i].total_lo = out[i].total_hi = NAN;
  }
  if (n_boot == 0) {
    free(first);
    free(total);
    return 0;
  }

  size_t nb = (size_t)n_boot;
  double *bf = malloc((size_t)k * nb * sizeof *bf), *bt = malloc((size_t)k * nb * sizeof *bt);
  int *pick = malloc((size_t)n_base * sizeof *pick);
  gsl_rng *r = rng_alloc();
  int rc = bf && bt && pick && r ? 0 : fail(err, errlen, "out of memory");
  if (rc == 0) sobol_bootstrap(n_base, k, y, ybar, n_boot, level, seed, r, pick, bf, bt, first, total, out);
  free(first);
  free(total);
  free(bf);
  free(bt);
  free(pick);
  rng_free(r);
  return rc;
}