/*
 * The run summary (MODEL.md §13): per-firm figures over a whole run,
 * computed from the per-period history so that `relsim run` and
 * `relsim inspect` print the same table.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "relsim/metrics.h"

#define LAST_YEAR 52

static double hist_at(const double *hist, int n_firms, int t, int metric, int f) {
  return hist[metrics_hist_index(t, metric, f, n_firms)];
}

static double nan_to_zero(double v) { return isnan(v) ? 0.0 : v; }
static double ratio(double num, double den) { return den > 0.0 ? num / den : NAN; }

void metrics_summary(const double *hist, int n_periods, int n_firms, struct relsim_summary_row *rows) {
  int from_last = n_periods > LAST_YEAR ? n_periods - LAST_YEAR : 0;
  double last_year_revenue = 0.0;
  for (int t = from_last; t < n_periods; t++)
    for (int f = 0; f < n_firms; f++) last_year_revenue += nan_to_zero(hist_at(hist, n_firms, t, RELSIM_FM_revenue, f));
  for (int f = 0; f < n_firms; f++) {
    struct relsim_summary_row *r = &rows[f];
    memset(r, 0, sizeof *r);
    double sat = 0, buyers = 0;
    double ly_ret = 0, ly_lost = 0, ly_rev = 0, clv = 0;
    int clv_n = 0;
    for (int t = 0; t < n_periods; t++) {
#define H(name) nan_to_zero(hist_at(hist, n_firms, t, RELSIM_FM_##name, f))
      r->revenue += H(revenue);
      r->profit += H(profit);
      r->wom_positive += H(wom_positive_sent);
      r->wom_negative += H(wom_negative_sent);
      double b = H(purchases);
      sat += H(satisfaction_mean) * b;
      buyers += b;
      if (t >= from_last) {
        ly_ret += H(retained_customers);
        ly_lost += H(lost_customers);
        ly_rev += H(revenue);
        double c = hist_at(hist, n_firms, t, RELSIM_FM_clv, f);
        if (!isnan(c)) clv += c, clv_n++;
      }
#undef H
    }
    if (n_periods > 0) {
      r->cumulative_profit = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_cumulative_profit, f);
      r->active_customers = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_active_customers, f);
      r->cohort_retention = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_cohort_retention, f);
      r->cohort_window = NAN; /* cohort_retained is NaN exactly before period cohort_periods */
      for (int t = 0; t < n_periods && isnan(r->cohort_window); t++)
        if (!isnan(hist_at(hist, n_firms, t, RELSIM_FM_cohort_retained, f))) r->cohort_window = t;
      r->cost_per_acquisition = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_cost_per_acquired, f);
      r->cost_per_retention = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_cost_per_retained, f);
      r->acq_ret_cost_ratio = hist_at(hist, n_firms, n_periods - 1, RELSIM_FM_cohort_cost_ratio, f);
    } else {
      r->cohort_retention = r->cost_per_acquisition = r->cost_per_retention = r->acq_ret_cost_ratio = NAN;
      r->cohort_window = NAN;
    }
    r->retention_rate = ratio(ly_ret, ly_ret + ly_lost);
    r->satisfaction_mean = ratio(sat, buyers);
    r->clv = clv_n ? clv / clv_n : NAN;
    r->revenue_share = ratio(ly_rev, last_year_revenue);
  }
}

/* Display width of UTF-8 text in a terminal (East Asian wide characters count 2). */
static int display_width(const char *s) {
  int w = 0;
  const unsigned char *u = (const unsigned char *)s;
  while (*u) {
    unsigned cp;
    int len;
    if (*u < 0x80) cp = *u, len = 1;
    else if ((*u & 0xE0) == 0xC0) cp = *u & 0x1F, len = 2;
    else if ((*u & 0xF0) == 0xE0) cp = *u & 0x0F, len = 3;
    else cp = *u & 0x07, len = 4;
    for (int j = 1; j < len && u[j]; j++) cp = (cp << 6) | (u[j] & 0x3F);
    for (int j = 0; j < len && *u; j++) u++;
    int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
               (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
               (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
  }
  return w;
}

static void format_value(char *buf, size_t len, double v, int kind) {
  if (isnan(v) || isinf(v)) {
    snprintf(buf, len, "n/a");
    return;
  }
  if (kind == 1) { /* share or rate */
    snprintf(buf, len, "%.1f%%", 100.0 * v);
    return;
  }
  if (kind == 2) { /* small real */
    snprintf(buf, len, "%.2f", v);
    return;
  }
  /* money and counts: grouped thousands */
  char digits[64];
  snprintf(digits, sizeof digits, "%.0f", fabs(v));
  size_t nd = strlen(digits), o = 0;
  char out[96];
  if (v < 0 && strcmp(digits, "0") != 0) out[o++] = '-';
  for (size_t j = 0; j < nd; j++) {
    if (j > 0 && (nd - j) % 3 == 0) out[o++] = ',';
    out[o++] = digits[j];
  }
  out[o] = '\0';
  snprintf(buf, len, "%s", out);
}

static void print_padded(FILE *out, const char *text, int width, int right) {
  int pad = width - display_width(text);
  if (pad < 0) pad = 0;
  if (right) fprintf(out, "%*s%s", pad, "", text);
  else fprintf(out, "%s%*s", text, pad, "");
}

void metrics_summary_print(FILE *out, const struct relsim_summary_row *rows, int n_firms, const char *const *names,
                           int n_periods) {
  /* The cohort rows name their window: a year at the default 52 periods. */
  char window[40] = "last cohort window";
  double w = n_firms > 0 ? rows[0].cohort_window : NAN;
  if (w == 52.0) snprintf(window, sizeof window, "last year");
  else if (!isnan(w)) snprintf(window, sizeof window, "last %.0f periods", w);
  char kept[80], per_acq[96], per_ret[96], ratio_l[96];
  snprintf(kept, sizeof kept, "customers kept through the %s", window);
  snprintf(per_acq, sizeof per_acq, "acquisition cost per customer acquired, %s", window);
  snprintf(per_ret, sizeof per_ret, "retention cost per retained customer, %s", window);
  snprintf(ratio_l, sizeof ratio_l, "acquisition / retention cost ratio, %s", window);
  const struct {
    const char *label;
    size_t offset;
    int kind; /* 0 money/count, 1 share, 2 small real */
  } lines[] = {
      {"revenue, total", offsetof(struct relsim_summary_row, revenue), 0},
      {"profit, total", offsetof(struct relsim_summary_row, profit), 0},
      {"cumulative profit, end", offsetof(struct relsim_summary_row, cumulative_profit), 0},
      {"active customers, end", offsetof(struct relsim_summary_row, active_customers), 0},
      {"retention per period, last year", offsetof(struct relsim_summary_row, retention_rate), 1},
      {kept, offsetof(struct relsim_summary_row, cohort_retention), 1},
      {per_acq, offsetof(struct relsim_summary_row, cost_per_acquisition), 2},
      {per_ret, offsetof(struct relsim_summary_row, cost_per_retention), 2},
      {ratio_l, offsetof(struct relsim_summary_row, acq_ret_cost_ratio), 2},
      {"mean satisfaction of buyers", offsetof(struct relsim_summary_row, satisfaction_mean), 2},
      {"word of mouth, positive messages", offsetof(struct relsim_summary_row, wom_positive), 0},
      {"word of mouth, negative messages", offsetof(struct relsim_summary_row, wom_negative), 0},
      {"customer lifetime value, last year", offsetof(struct relsim_summary_row, clv), 2},
      {"revenue share, last year", offsetof(struct relsim_summary_row, revenue_share), 1},
  };
  const int n_lines = (int)(sizeof lines / sizeof lines[0]);
  int label_w = 0;
  for (int j = 0; j < n_lines; j++)
    if (display_width(lines[j].label) > label_w) label_w = display_width(lines[j].label);
  int col_w[RELSIM_MAX_FIRMS];
  char cell[RELSIM_MAX_FIRMS][64];
  for (int f = 0; f < n_firms; f++) col_w[f] = display_width(names[f]) > 14 ? display_width(names[f]) : 14;

  fprintf(out, "Summary over %d periods\n", n_periods);
  print_padded(out, "", label_w, 0);
  for (int f = 0; f < n_firms; f++) {
    fputs("  ", out);
    print_padded(out, names[f], col_w[f], 1);
  }
  fputc('\n', out);
  for (int j = 0; j < n_lines; j++) {
    print_padded(out, lines[j].label, label_w, 0);
    for (int f = 0; f < n_firms; f++) {
      double v;
      memcpy(&v, (const char *)&rows[f] + lines[j].offset, sizeof v);
      format_value(cell[f], sizeof cell[f], v, lines[j].kind);
      fputs("  ", out);
      print_padded(out, cell[f], col_w[f], 1);
    }
    fputc('\n', out);
  }
}
