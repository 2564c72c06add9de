/*
 * Statistics of replications (see include/relsim/stats.h).
 *
 * The mean and the sum of squared deviations are updated one value at a time
 * (Welford 1962; Knuth, TAOCP vol. 2, 4.2.2): no cancellation when the spread
 * is small against the mean, as for a metric summed over millions of
 * customers, and the same result for the same values in the same order.
 * The interval is Student's: mean +/- t_{(1 + level) / 2, n - 1} s / sqrt(n).
 */
#include "relsim/stats.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

void stats_acc_add(struct stats_acc *a, double x) {
  if (isnan(x)) {
    a->n_nan++;
    return;
  }
  a->n++;
  double delta = x - a->mean;
  a->mean += delta / (double)a->n;
  a->m2 += delta * (x - a->mean);
}

double stats_acc_sd(const struct stats_acc *a) { return a->n < 2 ? NAN : sqrt(a->m2 / (double)(a->n - 1)); }

double stats_t_quantile(double p, double df) {
  if (isnan(p) || isnan(df) || p < 0.0 || p > 1.0 || !(df > 0.0)) return NAN;
  /* GSL's Cornish-Fisher start is NaN at df = inf: the limit is the normal. */
  if (isinf(df)) return gsl_cdf_ugaussian_Pinv(p);
  return gsl_cdf_tdist_Pinv(p, df);
}

void stats_summary_of(const struct stats_acc *a, double level, struct stats_summary *s) {
  s->n = a->n;
  s->n_nan = a->n_nan;
  s->mean = a->n > 0 ? a->mean : NAN;
  s->sd = stats_acc_sd(a);
  s->half = s->lo = s->hi = NAN;
  if (a->n < 2 || !(level > 0.0 && level < 1.0)) return;
  double t = stats_t_quantile(0.5 + 0.5 * level, (double)(a->n - 1));
  s->half = t * s->sd / sqrt((double)a->n);
  s->lo = s->mean - s->half;
  s->hi = s->mean + s->half;
}

void stats_summarize(const double *x, size_t n, size_t stride, double level, struct stats_summary *s) {
  struct stats_acc a = {0, 0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) stats_acc_add(&a, x[i * stride]);
  stats_summary_of(&a, level, s);
}

void stats_paired(const double *a, size_t a_stride, const double *b, size_t b_stride, size_t n, double level,
                  struct stats_paired *out) {
  struct stats_acc d = {0, 0, 0.0, 0.0};
  out->a_ahead = out->b_ahead = out->ties = 0;
  for (size_t r = 0; r < n; r++) {
    double x = a[r * a_stride], y = b[r * b_stride];
    double diff = x - y;
    stats_acc_add(&d, diff); /* a NaN difference is counted in n_nan and skipped */
    if (isnan(diff)) continue;
    if (x > y)
      out->a_ahead++;
    else if (x < y)
      out->b_ahead++;
    else
      out->ties++;
  }
  stats_summary_of(&d, level, &out->diff);
  out->verdict = out->diff.lo > 0.0 ? STATS_A_AHEAD : out->diff.hi < 0.0 ? STATS_B_AHEAD : STATS_NO_DIFFERENCE;
}
