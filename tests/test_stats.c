/*
 * Known-answer tests of the statistics of replications (stats.h) and of the
 * sampling designs and Sobol indices (design.h): t quantiles against
 * published values, Welford against two passes, intervals by hand, paired
 * verdicts, the strata of a Latin hypercube, the rows of a Saltelli design,
 * and the indices of the Ishigami function and of a linear model against
 * their closed forms.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>

#include "check.h"
#include "relsim/design.h"
#include "relsim/rng.h"
#include "relsim/stats.h"

static const double PI = 3.14159265358979323846;

/* Student's t quantiles (scipy.stats.t.ppf; the tables of Abramowitz & Stegun
 * 26.10 to their digits). GSL's t distribution is good to about 3e-9
 * relative: the tolerance is 1e-8 of the value. */
static void test_t_quantile(void) {
  CHECK_NEAR(stats_t_quantile(0.975, 1), 12.7062047364, 1.3e-7);
  CHECK_NEAR(stats_t_quantile(0.975, 4), 2.7764451052, 3e-8);
  CHECK_NEAR(stats_t_quantile(0.975, 19), 2.0930240544, 2e-8);
  CHECK_NEAR(stats_t_quantile(0.975, 1e6), 1.9599663568, 2e-8);
  CHECK_NEAR(stats_t_quantile(0.95, 10), 1.8124611228, 2e-8);
  CHECK_NEAR(stats_t_quantile(0.995, 30), 2.7499956536, 3e-8);
  CHECK_NEAR(stats_t_quantile(0.975, 2.5), 3.5746548420, 4e-8); /* real degrees of freedom */
  CHECK_NEAR(stats_t_quantile(0.025, 4), -2.7764451052, 3e-8);
  CHECK_NEAR(stats_t_quantile(0.5, 7), 0.0, 1e-12);
  CHECK_NEAR(stats_t_quantile(0.975, INFINITY), 1.9599639845, 2e-8);
  CHECK(isinf(stats_t_quantile(1.0, 3)) && stats_t_quantile(1.0, 3) > 0);
  CHECK(isinf(stats_t_quantile(0.0, 3)) && stats_t_quantile(0.0, 3) < 0);
  CHECK(isnan(stats_t_quantile(1.5, 3)));
  CHECK(isnan(stats_t_quantile(-0.1, 3)));
  CHECK(isnan(stats_t_quantile(0.9, 0)));
  CHECK(isnan(stats_t_quantile(0.9, -2)));
  CHECK(isnan(stats_t_quantile(NAN, 3)));
  CHECK(isnan(stats_t_quantile(0.9, NAN)));
}

/* Welford against two passes, on values whose spread is 1e-6 of their mean
 * (where the one-pass sum of squares loses every digit). */
static void test_welford(void) {
  enum { N = 2000 };
  static double x[N];
  gsl_rng *g = rng_alloc();
  CHECK(g != NULL);
  if (!g) return;
  rng_seek(g, 7, 0, RELSIM_STREAM_PURCHASE, 0, 0, 0);
  for (int i = 0; i < N; i++) x[i] = 1e9 + 1e3 * rng_normal(g);
  rng_free(g);
  /* The reference: two passes in long double. */
  long double lsum = 0, lss = 0;
  for (int i = 0; i < N; i++) lsum += x[i];
  long double lmean = lsum / N;
  for (int i = 0; i < N; i++) lss += (x[i] - lmean) * (x[i] - lmean);
  double mean = (double)lmean, sd = (double)sqrtl(lss / (N - 1));
  struct stats_acc a = {0};
  for (int i = 0; i < N; i++) stats_acc_add(&a, x[i]);
  CHECK_INT_EQ(a.n, N);
  CHECK_INT_EQ(a.n_nan, 0);
  CHECK_NEAR(a.mean, mean, 1e-8 * sd);
  CHECK_NEAR(stats_acc_sd(&a), sd, 1e-10 * sd); /* sums of x and x^2: off by about 1e-3 */
  CHECK(sd > 900 && sd < 1100);

  /* NaN values are counted and skipped: the same figures, bit for bit. */
  struct stats_acc b = {0};
  for (int i = 0; i < N; i++) {
    if (i % 100 == 3) stats_acc_add(&b, NAN);
    stats_acc_add(&b, x[i]);
  }
  CHECK_INT_EQ(b.n, N);
  CHECK_INT_EQ(b.n_nan, N / 100);
  CHECK(b.mean == a.mean && b.m2 == a.m2);

  struct stats_acc c = {0};
  CHECK(isnan(stats_acc_sd(&c)));
  stats_acc_add(&c, 5.0);
  CHECK(isnan(stats_acc_sd(&c)));
  stats_acc_add(&c, 7.0);
  CHECK_NEAR(stats_acc_sd(&c), sqrt(2.0), 1e-15);
}

static void test_summary(void) {
  /* 1..5: mean 3, sd sqrt(2.5), half = t_{0.975,4} sqrt(2.5) / sqrt(5). */
  const double x[5] = {1, 2, 3, 4, 5};
  struct stats_summary s;
  stats_summarize(x, 5, 1, 0.95, &s);
  CHECK_INT_EQ(s.n, 5);
  CHECK_INT_EQ(s.n_nan, 0);
  CHECK_NEAR(s.mean, 3.0, 1e-15);
  CHECK_NEAR(s.sd, 1.5811388301, 1e-10);
  CHECK_NEAR(s.half, 1.9632431615, 2e-8);
  CHECK_NEAR(s.lo, 1.0367568385, 2e-8);
  CHECK_NEAR(s.hi, 4.9632431615, 2e-8);
  CHECK_NEAR(s.hi - s.mean, s.mean - s.lo, 1e-15);
  /* 90%: t_{0.95,4} = 2.1318467813. */
  stats_summarize(x, 5, 1, 0.90, &s);
  CHECK_NEAR(s.half, 2.1318467813 * sqrt(0.5), 2e-8);

  /* A column of a row-major 4 x 3 table, with a NaN in another column and
   * one in this column. */
  const double t[12] = {0, 10, 0, NAN, 12, 0, 0, NAN, 0, 0, 14, 0};
  stats_summarize(t + 1, 4, 3, 0.95, &s);
  CHECK_INT_EQ(s.n, 3);
  CHECK_INT_EQ(s.n_nan, 1);
  CHECK_NEAR(s.mean, 12.0, 1e-15);
  CHECK_NEAR(s.sd, 2.0, 1e-15);
  CHECK_NEAR(s.half, 4.3026527299 * 2.0 / sqrt(3.0), 1e-7); /* t_{0.975,2} */

  /* Below two values: no spread, no interval. */
  stats_summarize(x, 1, 1, 0.95, &s);
  CHECK(s.n == 1 && s.mean == 1.0 && isnan(s.sd) && isnan(s.half) && isnan(s.lo) && isnan(s.hi));
  stats_summarize(x, 0, 1, 0.95, &s);
  CHECK(s.n == 0 && isnan(s.mean) && isnan(s.sd) && isnan(s.lo));
  stats_summarize(x, 5, 1, 1.0, &s); /* a level outside (0, 1) */
  CHECK(s.mean == 3.0 && isnan(s.half) && isnan(s.lo) && isnan(s.hi));
}

static void test_paired(void) {
  enum { N = 20 };
  double a[N], b[N], noise[N];
  gsl_rng *g = rng_alloc();
  CHECK(g != NULL);
  if (!g) return;
  rng_seek(g, 3, 0, RELSIM_STREAM_EXIT, 0, 0, 0);
  for (int r = 0; r < N; r++) noise[r] = rng_normal(g);
  rng_free(g);
  struct stats_paired p;

  /* A clear win: a = b + 1 + small noise, where b varies much more between
   * replications than the difference does (common random numbers). */
  for (int r = 0; r < N; r++) {
    b[r] = 100.0 + 20.0 * noise[(r + 7) % N];
    a[r] = b[r] + 1.0 + 0.1 * noise[r];
  }
  stats_paired(a, 1, b, 1, N, 0.95, &p);
  CHECK_INT_EQ(p.verdict, STATS_A_AHEAD);
  CHECK_INT_EQ(p.a_ahead, N);
  CHECK_INT_EQ(p.b_ahead + p.ties, 0);
  CHECK_INT_EQ(p.diff.n, N);
  CHECK_NEAR(p.diff.mean, 1.0, 0.1);
  CHECK(p.diff.lo > 0.0 && p.diff.lo < 1.0 && p.diff.hi > 1.0);
  /* The same pairs the other way round: a clear loss, the interval negated. */
  struct stats_paired q;
  stats_paired(b, 1, a, 1, N, 0.95, &q);
  CHECK_INT_EQ(q.verdict, STATS_B_AHEAD);
  CHECK_INT_EQ(q.b_ahead, N);
  CHECK_NEAR(q.diff.lo, -p.diff.hi, 1e-12);
  CHECK_NEAR(q.diff.hi, -p.diff.lo, 1e-12);

  /* Identical series: every pair a tie, sd 0, no difference. */
  stats_paired(b, 1, b, 1, N, 0.95, &p);
  CHECK_INT_EQ(p.verdict, STATS_NO_DIFFERENCE);
  CHECK_INT_EQ(p.ties, N);
  CHECK(p.diff.mean == 0.0 && p.diff.sd == 0.0 && p.diff.lo == 0.0 && p.diff.hi == 0.0);

  /* A difference lost in the noise: +-1 alternating around 0.05. */
  for (int r = 0; r < N; r++) a[r] = b[r] + 0.05 + (r % 2 ? 1.0 : -1.0);
  stats_paired(a, 1, b, 1, N, 0.95, &p);
  CHECK_INT_EQ(p.verdict, STATS_NO_DIFFERENCE);
  CHECK(p.diff.lo < 0.0 && p.diff.hi > 0.0);
  CHECK_INT_EQ(p.a_ahead, N / 2);
  CHECK_INT_EQ(p.b_ahead, N / 2);

  /* Ties counted, NaN pairs skipped, strides: columns 0 and 2 of rows of 3. */
  const double t[7 * 3] = {1, 0, 1, 2, 0, 1, 3, 0, 4, 4, 0, 4, NAN, 0, 2, 5, 0, NAN, 9, 0, 3};
  stats_paired(t, 3, t + 2, 3, 7, 0.95, &p);
  CHECK_INT_EQ(p.a_ahead, 2); /* 2 > 1, 9 > 3 */
  CHECK_INT_EQ(p.b_ahead, 1); /* 3 < 4 */
  CHECK_INT_EQ(p.ties, 2);    /* 1 = 1, 4 = 4 */
  CHECK_INT_EQ(p.diff.n, 5);
  CHECK_INT_EQ(p.diff.n_nan, 2);
  CHECK_NEAR(p.diff.mean, (0 + 1 - 1 + 0 + 6) / 5.0, 1e-15);
  CHECK_INT_EQ(p.verdict, STATS_NO_DIFFERENCE);

  /* One pair: no interval, no verdict. */
  stats_paired(t + 3, 1, t + 5, 1, 1, 0.95, &p);
  CHECK(p.a_ahead == 1 && isnan(p.diff.lo) && p.verdict == STATS_NO_DIFFERENCE);
}

static void test_lhs(void) {
  enum { N = 37, K = 5 };
  double u[N * K], v[N * K], w[N * 3];
  CHECK_INT_EQ(design_lhs(N, K, 42, u), 0);
  for (int j = 0; j < K; j++) {
    int hits[N] = {0};
    for (int i = 0; i < N; i++) {
      double x = u[i * K + j];
      CHECK(x >= 0.0 && x < 1.0);
      int s = (int)floor(x * N);
      if (s >= 0 && s < N) hits[s]++;
    }
    for (int s = 0; s < N; s++) CHECK_INT_EQ(hits[s], 1);
  }
  /* Same seed, same points; another seed, other points (in every dimension). */
  CHECK_INT_EQ(design_lhs(N, K, 42, v), 0);
  CHECK(memcmp(u, v, sizeof u) == 0);
  CHECK_INT_EQ(design_lhs(N, K, 43, v), 0);
  for (int j = 0; j < K; j++) {
    int same = 0;
    for (int i = 0; i < N; i++) same += u[i * K + j] == v[i * K + j];
    CHECK_INT_EQ(same, 0);
  }
  /* The dimensions are not copies of one another. */
  int same01 = 0;
  for (int i = 0; i < N; i++) same01 += floor(u[i * K] * N) == floor(u[i * K + 1] * N);
  CHECK(same01 < N / 2);
  /* A factor added or removed leaves the other columns as they were. */
  CHECK_INT_EQ(design_lhs(N, 3, 42, w), 0);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < 3; j++) CHECK(w[i * 3 + j] == u[i * K + j]);
  /* Pinned: a change of the streams or of the draw order cannot pass
   * unnoticed (it changes every experiment's design). */
  double pin[4 * 2];
  CHECK_INT_EQ(design_lhs(4, 2, 1, pin), 0);
  const double want[8] = {0.80481168499682099, 0.53697849519085139, 0.14655012229923159, 0.83153012342518196,
                          0.32107543398160487, 0.46604387776460499, 0.65558397554559633, 0.062090405088383704};
  for (int i = 0; i < 8; i++) CHECK_NEAR(pin[i], want[i], 1e-15);
  double one[3];
  CHECK_INT_EQ(design_lhs(1, 3, 5, one), 0);
  CHECK(one[0] > 0.0 && one[0] < 1.0 && one[2] > 0.0 && one[2] < 1.0);
  CHECK_INT_EQ(design_lhs(0, 3, 5, one), -1);
  CHECK_INT_EQ(design_lhs(3, 0, 5, one), -1);
}

static void test_saltelli_layout(void) {
  enum { NB = 64, K = 4, ROWS = K + 2 };
  CHECK_INT_EQ(design_sobol_max_factors(), 20); /* GSL's 40 dimensions */
  static double u[NB * ROWS * K];
  CHECK_INT_EQ(design_saltelli(NB, K, u), 0);
  /* A_j and B_j are GSL's Sobol point j: its first k and last k coordinates.
   * GSL starts at (1/2, ..., 1/2): the all-zero point is not in the design. */
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
  CHECK(q != NULL);
  if (!q) return;
  int zero_rows = 0;
  for (int j = 0; j < NB; j++) {
    double x[2 * K];
    CHECK_INT_EQ(gsl_qrng_get(q, x), 0);
    const double *A = u + (size_t)j * ROWS * K, *B = A + K;
    for (int c = 0; c < K; c++) {
      CHECK(A[c] == x[c]);
      CHECK(B[c] == x[K + c]);
    }
    for (int i = 0; i < K; i++) {
      const double *AB = A + (size_t)(2 + i) * K;
      for (int c = 0; c < K; c++) CHECK(AB[c] == (c == i ? B[c] : A[c]));
    }
    for (int r = 0; r < ROWS; r++) {
      int z = 1;
      for (int c = 0; c < K; c++) z &= A[r * K + c] == 0.0;
      zero_rows += z;
    }
  }
  gsl_qrng_free(q);
  CHECK_INT_EQ(zero_rows, 0);
  CHECK(u[0] == 0.5 && u[K - 1] == 0.5);
  /* The first coordinates of the Sobol sequence after 1/2: 3/4, 1/4, 3/8. */
  CHECK(u[1 * ROWS * K] == 0.75 && u[2 * ROWS * K] == 0.25 && u[3 * ROWS * K] == 0.375);
  CHECK_INT_EQ(design_saltelli(NB, 21, u), -1);
  CHECK_INT_EQ(design_saltelli(NB, 0, u), -1);
  CHECK_INT_EQ(design_saltelli(1, K, u), -1);
}

/* Ishigami & Homma 1990: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i
 * uniform on [-pi, pi]. With E sin^2 = 1/2, E sin^4 = 3/8, E x^4 = pi^4/5,
 * E x^8 = pi^8/9:
 *   V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0, V13 = 8 b^2 pi^8 / 225,
 *   V = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
 *   S_i = V_i / V, ST1 = (V1 + V13) / V, ST2 = S2, ST3 = V13 / V. */
static double ishigami(const double *u) {
  const double a = 7.0, b = 0.1;
  double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1], x3 = -PI + 2 * PI * u[2];
  double s2 = sin(x2);
  return sin(x1) + a * s2 * s2 + b * pow(x3, 4) * sin(x1);
}

static int inside(double x, double lo, double hi) { return x >= lo && x <= hi; }

static void test_sobol_ishigami(void) {
  enum { NB = 4096, K = 3, ROWS = K + 2, BOOT = 1000 };
  const double a = 7.0, b = 0.1, p4 = pow(PI, 4), p8 = pow(PI, 8);
  double v1 = 0.5 * (1 + b * p4 / 5) * (1 + b * p4 / 5), v2 = a * a / 8, v13 = 8 * b * b * p8 / 225;
  double v = a * a / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
  CHECK_NEAR(v1 + v2 + v13, v, 1e-12);
  double S[K] = {v1 / v, v2 / v, 0.0}, ST[K] = {(v1 + v13) / v, v2 / v, v13 / v};
  CHECK_NEAR(S[0], 0.3139, 1e-4);
  CHECK_NEAR(S[1], 0.4424, 1e-4);
  CHECK_NEAR(ST[0], 0.5576, 1e-4);
  CHECK_NEAR(ST[2], 0.2437, 1e-4);

  double *u = malloc((size_t)NB * ROWS * K * sizeof *u), *y = malloc((size_t)NB * ROWS * sizeof *y);
  CHECK(u && y);
  if (!u || !y) return;
  CHECK_INT_EQ(design_saltelli(NB, K, u), 0);
  for (int r = 0; r < NB * ROWS; r++) y[r] = ishigami(u + (size_t)r * K);
  struct design_sobol_index s[K];
  char err[200] = "";
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, BOOT, 0.95, 11, s, err, sizeof err), 0);
  for (int i = 0; i < K; i++) {
    fprintf(stderr, "ishigami N=%d x%d: S%d %.4f [%.4f, %.4f] (%.4f)  ST%d %.4f [%.4f, %.4f] (%.4f)\n", NB, i + 1,
            i + 1, s[i].first, s[i].first_lo, s[i].first_hi, S[i], i + 1, s[i].total, s[i].total_lo, s[i].total_hi,
            ST[i]);
    CHECK(inside(S[i], s[i].first_lo, s[i].first_hi));
    CHECK(inside(ST[i], s[i].total_lo, s[i].total_hi));
    CHECK(inside(s[i].first, s[i].first_lo, s[i].first_hi));
    CHECK(inside(s[i].total, s[i].total_lo, s[i].total_hi));
    /* Narrow enough to mean something: at most 0.1 wide. */
    CHECK(s[i].first_hi - s[i].first_lo < 0.1);
    CHECK(s[i].total_hi - s[i].total_lo < 0.1);
  }
  /* The intervals tell S1 from S2, S3 from 0.3, ST3 from 0.3 and from 0. */
  CHECK(s[0].first_hi < s[1].first_lo);
  CHECK(!inside(0.3, s[2].first_lo, s[2].first_hi));
  CHECK(!inside(0.3, s[2].total_lo, s[2].total_hi));
  CHECK(s[2].total_lo > 0.1);
  /* x2 acts alone: its total equals its first-order index. */
  CHECK_NEAR(s[1].total, s[1].first, 0.03);

  /* The bootstrap is reproducible for its seed; another seed moves only the
   * intervals. */
  struct design_sobol_index t[K];
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, BOOT, 0.95, 11, t, err, sizeof err), 0);
  CHECK(memcmp(s, t, sizeof s) == 0);
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, BOOT, 0.95, 12, t, err, sizeof err), 0);
  CHECK(t[0].first == s[0].first && t[2].total == s[2].total);
  CHECK(t[0].first_lo != s[0].first_lo && t[1].total_hi != s[1].total_hi);
  /* A wider level, wider intervals; no resamples, no intervals. */
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, BOOT, 0.99, 11, t, err, sizeof err), 0);
  CHECK(t[0].first_lo < s[0].first_lo && t[0].first_hi > s[0].first_hi);
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 0, 0.95, 11, t, err, sizeof err), 0);
  CHECK(t[1].first == s[1].first && isnan(t[1].first_lo) && isnan(t[1].total_hi));

  /* A shift of the outputs changes nothing but rounding (they are centred). */
  for (int r = 0; r < NB * ROWS; r++) y[r] += 1e6;
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 0, 0.95, 11, t, err, sizeof err), 0);
  for (int i = 0; i < K; i++) {
    CHECK_NEAR(t[i].first, s[i].first, 1e-6);
    CHECK_NEAR(t[i].total, s[i].total, 1e-6);
  }
  free(u);
  free(y);
}

/* The bootstrap's level, checked by its coverage: R independent Monte Carlo
 * designs (A and B uniform random, not Sobol, so that the blocks are
 * independent as the bootstrap assumes) of a linear model; the 95% intervals
 * must hold the true value about 95% of the time (binomial sd 0.011 per
 * index, 0.0044 for all six). Intervals of a wrong level (say 50%) cover far
 * less, too wide ones nearly always. (The Ishigami function's heavy tails
 * give about 0.92 at these sizes: percentile intervals of a skewed
 * estimator, not a fault of the resampling.) */
static void test_sobol_coverage(void) {
  enum { NB = 128, K = 3, ROWS = K + 2, R = 400, BOOT = 200 };
  const double c[K] = {1, 2, 3};
  static double u[NB * ROWS * K], y[NB * ROWS];
  gsl_rng *g = rng_alloc();
  CHECK(g != NULL);
  if (!g) return;
  int covered[2 * K] = {0};
  for (int rep = 0; rep < R; rep++) {
    rng_seek(g, 2024, (uint64_t)rep, RELSIM_STREAM_DESIGN, 0, 0, 0);
    for (int j = 0; j < NB; j++) {
      double *A = u + (size_t)j * ROWS * K, *B = A + K;
      for (int q = 0; q < 2 * K; q++) A[q] = rng_uniform_pos(g); /* A_j, then B_j */
      for (int i = 0; i < K; i++) {
        double *AB = A + (size_t)(2 + i) * K;
        for (int q = 0; q < K; q++) AB[q] = q == i ? B[q] : A[q];
      }
    }
    for (int r = 0; r < NB * ROWS; r++) {
      y[r] = 0;
      for (int i = 0; i < K; i++) y[r] += c[i] * u[r * K + i];
    }
    struct design_sobol_index s[K];
    char err[200] = "";
    CHECK_INT_EQ(design_sobol_indices(NB, K, y, BOOT, 0.95, (uint64_t)rep, s, err, sizeof err), 0);
    for (int i = 0; i < K; i++) {
      double want = c[i] * c[i] / 14.0;
      covered[i] += inside(want, s[i].first_lo, s[i].first_hi);
      covered[K + i] += inside(want, s[i].total_lo, s[i].total_hi);
    }
  }
  rng_free(g);
  int all = 0;
  for (int i = 0; i < 2 * K; i++) all += covered[i];
  fprintf(stderr, "coverage of 95%% intervals, %d designs of N=%d: S %d %d %d, ST %d %d %d of %d; all %.3f\n", R, NB,
          covered[0], covered[1], covered[2], covered[3], covered[4], covered[5], R, (double)all / (2 * K * R));
  for (int i = 0; i < 2 * K; i++) CHECK(covered[i] >= 0.88 * R && covered[i] <= 0.99 * R);
  CHECK_NEAR((double)all / (2 * K * R), 0.95, 0.025);
}

/* y = sum c_i x_i, x_i uniform on [0, 1): V_i = c_i^2 / 12, no interactions,
 * so S_i = ST_i = c_i^2 / sum c^2. A zero coefficient gives exactly 0: its
 * AB row has the same output as A. */
static void test_sobol_linear(void) {
  enum { NB = 2048, K = 4, ROWS = K + 2 };
  const double c[K] = {1, 2, 0, 3};
  static double u[NB * ROWS * K], y[NB * ROWS];
  CHECK_INT_EQ(design_saltelli(NB, K, u), 0);
  for (int r = 0; r < NB * ROWS; r++) {
    y[r] = 0;
    for (int i = 0; i < K; i++) y[r] += c[i] * u[r * K + i];
  }
  struct design_sobol_index s[K];
  char err[200] = "";
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 500, 0.95, 5, s, err, sizeof err), 0);
  for (int i = 0; i < K; i++) {
    double want = c[i] * c[i] / 14.0;
    fprintf(stderr, "linear N=%d x%d: S %.4f [%.4f, %.4f]  ST %.4f [%.4f, %.4f] (%.4f)\n", NB, i + 1, s[i].first,
            s[i].first_lo, s[i].first_hi, s[i].total, s[i].total_lo, s[i].total_hi, want);
    CHECK(inside(want, s[i].first_lo, s[i].first_hi));
    CHECK(inside(want, s[i].total_lo, s[i].total_hi));
    CHECK_NEAR(s[i].first, want, 0.02);
    CHECK_NEAR(s[i].total, want, 0.02);
  }
  CHECK(s[2].first == 0.0 && s[2].total == 0.0 && s[2].first_lo == 0.0 && s[2].total_hi == 0.0);
  CHECK(s[1].first_hi < s[3].first_lo && s[0].first_hi < s[1].first_lo);
}

static void test_sobol_errors(void) {
  enum { NB = 8, K = 2, ROWS = K + 2 };
  double u[NB * ROWS * K], y[NB * ROWS];
  CHECK_INT_EQ(design_saltelli(NB, K, u), 0);
  for (int r = 0; r < NB * ROWS; r++) y[r] = u[r * K] + u[r * K + 1];
  struct design_sobol_index s[K];
  char err[200] = "";
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 0.95, 1, s, err, sizeof err), 0);
  y[2 * ROWS + 3] = NAN;
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 0.95, 1, s, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "output 11 (base point 2, row AB^(2)) is nan");
  y[2 * ROWS + 3] = INFINITY;
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 0.95, 1, s, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "finite");
  for (int r = 0; r < NB * ROWS; r++) y[r] = 3.0;
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 0.95, 1, s, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "V = 0");
  for (int r = 0; r < NB * ROWS; r++) y[r] = r % 2 ? 1e200 : -1e200;
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 0.95, 1, s, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "overflows");
  CHECK_INT_EQ(design_sobol_indices(1, K, y, 50, 0.95, 1, s, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "at least 2 base points");
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, 50, 1.5, 1, s, err, sizeof err), -1);
  CHECK_INT_EQ(design_sobol_indices(NB, K, y, -1, 0.95, 1, s, err, sizeof err), -1);
  CHECK_INT_EQ(design_sobol_indices(NB, 0, y, 50, 0.95, 1, s, NULL, 0), -1);
}

int main(void) {
  gsl_set_error_handler_off(); /* as run_scenario does: every GSL result is checked */
  test_t_quantile();
  test_welford();
  test_summary();
  test_paired();
  test_lhs();
  test_saltelli_layout();
  test_sobol_ishigami();
  test_sobol_coverage();
  test_sobol_linear();
  test_sobol_errors();
  return check_report("test_stats");
}
