/*
 * Known-answer tests of the statistics of replications (stats.h): t
 * quantiles against published values, Welford against two passes,
 * intervals by hand, paired verdicts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "check.h"
#include "relsim/rng.h"
#include "relsim/stats.h"

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

int main(void) {
  gsl_set_error_handler_off(); /* as run_scenario does: every GSL result is checked */
  test_t_quantile();
  test_welford();
  test_summary();
  test_paired();
  return check_report("test_stats");
}
