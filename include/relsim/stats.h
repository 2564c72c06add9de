/*
 * Statistics of replications: running means and variances, Student's t
 * confidence intervals of a mean, and the paired comparison of two
 * configurations run on the same replications (common random numbers).
 *
 * A replication's value may be NaN (a metric undefined in that run, e.g. a
 * ratio with a zero denominator): it is counted in n_nan and left out of
 * every figure. Every figure that needs two values (sd, the interval) is NaN
 * below n = 2.
 *
 * The t quantile is GSL's (gsl_cdf_tdist_Pinv), for any real degrees of
 * freedom. Like every GSL call in relsim it expects GSL's error handler to be
 * off (run_scenario turns it off; another front end must too): a quantile
 * that does not converge is then NaN instead of an abort.
 */
#ifndef RELSIM_STATS_H
#define RELSIM_STATS_H

#include <stddef.h>

/* Running count, mean and sum of squared deviations (Welford); NaN values are
 * counted apart and skipped. A zeroed struct is an empty accumulator. */
struct stats_acc {
  long n;     /* values added, NaN excluded */
  long n_nan; /* NaN values seen */
  double mean, m2;
};
void stats_acc_add(struct stats_acc *a, double x);
/* Sample standard deviation (divisor n - 1); NaN if n < 2. */
double stats_acc_sd(const struct stats_acc *a);

/* Quantile p of Student's t with df degrees of freedom (gsl_cdf_tdist_Pinv),
 * computed for any df, no table (GSL inverts its distribution function to
 * about 3e-9 relative); df may be any positive real, +inf gives the normal
 * quantile. -inf at p = 0, +inf at p = 1; NaN for p outside [0, 1], df <= 0
 * or a NaN argument. */
double stats_t_quantile(double p, double df);

/* mean, sd, n, and the two-sided `level` (e.g. 0.95) t confidence interval of
 * the mean: half = t_{(1 + level) / 2, n - 1} sd / sqrt(n), [lo, hi] =
 * mean -/+ half. mean is NaN when n = 0; sd, half, lo and hi are NaN when
 * n < 2 or level is not in (0, 1). */
struct stats_summary {
  long n;
  long n_nan;
  double mean, sd, half, lo, hi;
};
void stats_summary_of(const struct stats_acc *a, double level, struct stats_summary *s);
/* The summary of x[0], x[stride], ..., x[(n - 1) * stride] (stride in
 * elements: 1 for a contiguous array, the row length for a column). */
void stats_summarize(const double *x, size_t n, size_t stride, double level, struct stats_summary *s);

/* Paired comparison of a and b over n replications: d_r = a_r - b_r, a pair
 * whose d is NaN (a or b NaN, or inf - inf) skipped and counted in
 * diff.n_nan. diff is the summary of d; a_ahead, b_ahead and ties count the
 * pairs with a > b, a < b and a == b; verdict is the sign of the interval of
 * the mean difference when it excludes 0 (STATS_A_AHEAD when lo > 0,
 * STATS_B_AHEAD when hi < 0), else STATS_NO_DIFFERENCE (also when the
 * interval is NaN: fewer than two pairs). Identical series have sd 0 and
 * the interval [0, 0]: no difference. */
struct stats_paired {
  struct stats_summary diff;
  long a_ahead, b_ahead, ties;
  int verdict;
};
enum { STATS_NO_DIFFERENCE = 0, STATS_A_AHEAD = 1, STATS_B_AHEAD = -1 };
void stats_paired(const double *a, size_t a_stride, const double *b, size_t b_stride, size_t n, double level,
                  struct stats_paired *out);

#endif
