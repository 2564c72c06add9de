/*
 * An experiment's design (experiment.h): the points of a grid, a Latin
 * hypercube or a Saltelli (Sobol) sample, each factor's value at a point,
 * every point's scenario checked before anything runs, the scenario and
 * seed of each run, the measures of a run, the resolved experiment.
 *
 * The unit-cube samples come from design.h; a coordinate u in [0, 1) maps
 * to a factor by its kind: a list takes value floor(u n), a range with step
 * the same on its grid, a range without step and uniform a + u (b - a)
 * (an integer key: uniform over the integers a..b), loguniform
 * exp(ln a + u (ln b - ln a)), normal mean + sd Phi^-1(u).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "experiment_internal.h"
#include "relsim/design.h"
#include "relsim/textbuf.h"

/* The number of values a factor has on a grid. */
static long grid_count(const struct relsim_exp_factor *f) { return f->n_values; }

static double grid_value(const struct relsim_exp_factor *f, long i) {
  if (f->kind == RELSIM_EXP_LIST) return f->numeric ? f->values[i] : (double)i;
  /* from + i step, to 12 significant digits: 0.9 + 0.2 is 1.1, not 1.1000000000000001 */
  char t[32];
  snprintf(t, sizeof t, "%.12g", f->a + (double)i * f->step);
  return strtod(t, NULL);
}

static double unit_value(const struct relsim_exp_factor *f, double u) {
  if (u < 0) u = 0;
  if (u >= 1) u = nextafter(1.0, 0.0);
  if (f->kind == RELSIM_EXP_LIST || (f->kind == RELSIM_EXP_RANGE && f->step > 0))
    return grid_value(f, (long)floor(u * f->n_values));
  double v, a = f->a, b = f->b;
  switch (f->kind) {
  case RELSIM_EXP_LOGUNIFORM:
    v = exp(log(a) + u * (log(b) - log(a)));
    return f->integer ? fmin(fmax(round(v), ceil(a)), floor(b)) : fmin(fmax(v, a), b);
  case RELSIM_EXP_NORMAL:
    if (u <= 0) u = 1e-12;
    v = a + b * gsl_cdf_ugaussian_Pinv(u);
    return f->integer ? round(v) : v;
  default: /* range without step, uniform */
    if (f->integer) return fmin(floor(ceil(a) + u * (floor(b) - ceil(a) + 1)), floor(b));
    return fmin(a + u * (b - a), b);
  }
}

void experiment_factor_text(const struct relsim_exp_factor *f, double v, char *buf, size_t len) {
  if (f->kind == RELSIM_EXP_LIST) { /* a list's value as written */
    int i = 0;
    if (f->numeric)
      while (i < f->n_values - 1 && f->values[i] != v) i++;
    else
      i = (int)v;
    snprintf(buf, len, "%s", f->texts[i]);
  } else if (f->integer) {
    snprintf(buf, len, "%.0f", v);
  } else {
    char r[TEXTBUF_REAL_SIZE];
    textbuf_real(r, v);
    snprintf(buf, len, "%s", r);
  }
}

uint64_t experiment_seed_of(const struct relsim_experiment *e, long run) {
  return e->seed + (uint64_t)(e->crn ? experiment_replication_of(e, run) : run);
}

/* ------------------------------------------------------------------------
 * Scenarios
 * ------------------------------------------------------------------------ */

int experiment_scenario(const struct relsim_experiment *e, long run, struct relsim_scenario *sc, FILE *err) {
  int n = e->n_set + e->n_factors + 1;
  char **over = calloc((size_t)n, sizeof *over), **names = calloc((size_t)n, sizeof *names);
  int problems = SCENARIO_OUT_OF_MEMORY;
  if (!over || !names) goto done;
  long point = experiment_point_of(e, run);
  for (int i = 0; i < e->n_set; i++) {
    over[i] = e->set[i];
    names[i] = e->set_where[i];
  }
  char value[256];
  for (int j = 0; j < e->n_factors; j++) {
    const struct relsim_exp_factor *f = &e->factors[j];
    experiment_factor_text(f, e->points[point * e->n_factors + j], value, sizeof value);
    over[e->n_set + j] = textbuf_aprintf("%s=%s", f->key, value);
    names[e->n_set + j] = textbuf_aprintf("%s:%d:%d: design point %ld", e->path, f->line, f->col, point);
  }
  over[n - 1] = textbuf_aprintf("run.seed=%" PRIu64, experiment_seed_of(e, run));
  names[n - 1] = textbuf_aprintf("%s: run %ld (replication %d)", e->path, run, experiment_replication_of(e, run));
  for (int i = e->n_set; i < n; i++)
    if (!over[i] || !names[i]) goto done;
  const char *text = e->scenario_inline ? e->source : e->base.source;
  struct scenario_load_options opt = {(const char *const *)over, n, (const char *const *)names, text,
                                      strlen(text), (const struct yaml_tree *)e->inline_tree};
  problems = scenario_load_with(sc, e->scenario_path, &opt, err);
done:
  if (over && names)
    for (int i = e->n_set; i < n; i++) {
      free(over[i]);
      free(names[i]);
    }
  free(over);
  free(names);
  return problems;
}

/* ------------------------------------------------------------------------
 * Points
 * ------------------------------------------------------------------------ */

static int grid_points(struct relsim_experiment *e, FILE *err) {
  long n = 1;
  for (int j = 0; j < e->n_factors; j++) {
    n *= grid_count(&e->factors[j]);
    if (n > RELSIM_EXP_RUNS_MAX) {
      fprintf(err, "%s: factors: the grid has more than %ld points\n", e->path, RELSIM_EXP_RUNS_MAX);
      return 1;
    }
  }
  e->n_points = n;
  if (!(e->points = malloc((size_t)(n * (e->n_factors ? e->n_factors : 1)) * sizeof *e->points))) return -1;
  for (long p = 0; p < n; p++) { /* the first factor varies slowest, as nested loops in file order */
    long rest = p;
    for (int j = e->n_factors - 1; j >= 0; j--) {
      long c = grid_count(&e->factors[j]);
      e->points[p * e->n_factors + j] = grid_value(&e->factors[j], rest % c);
      rest /= c;
    }
  }
  return 0;
}

/* One factor at a time: the baseline (every factor at its first value),
 * then each factor at each of its other values with the others at their
 * first (an ablation: mechanisms.x: [true, false] for each mechanism). */
static int oat_points(struct relsim_experiment *e, FILE *err) {
  const int k = e->n_factors;
  long n = 1;
  for (int j = 0; j < k; j++) n += grid_count(&e->factors[j]) - 1;
  if (n > RELSIM_EXP_RUNS_MAX) {
    fprintf(err, "%s: factors: the design has more than %ld points\n", e->path, RELSIM_EXP_RUNS_MAX);
    return 1;
  }
  e->n_points = n;
  if (!(e->points = malloc((size_t)(n * (k ? k : 1)) * sizeof *e->points))) return -1;
  for (long p = 0; p < n; p++)
    for (int j = 0; j < k; j++) e->points[p * k + j] = grid_value(&e->factors[j], 0);
  long p = 1;
  for (int j = 0; j < k; j++)
    for (long v = 1; v < grid_count(&e->factors[j]); v++, p++) e->points[p * k + j] = grid_value(&e->factors[j], v);
  return 0;
}

static int unit_points(struct relsim_experiment *e, FILE *err) {
  const int k = e->n_factors;
  long n = e->design == RELSIM_EXP_LHS ? e->samples : (long)e->samples * (k + 2);
  if (e->design == RELSIM_EXP_SOBOL && k > design_sobol_max_factors()) {
    fprintf(err, "%s: factors: %d factors; a sobol design takes at most %d\n", e->path, k, design_sobol_max_factors());
    return 1;
  }
  double *u = malloc((size_t)n * (size_t)k * sizeof *u);
  if (!u || !(e->points = malloc((size_t)n * (size_t)k * sizeof *e->points))) {
    free(u);
    return -1;
  }
  int rc = e->design == RELSIM_EXP_LHS ? design_lhs((int)n, k, e->seed, u) : design_saltelli(e->samples, k, u);
  if (rc != 0) {
    free(u);
    return -1;
  }
  for (long p = 0; p < n; p++)
    for (int j = 0; j < k; j++) e->points[p * k + j] = unit_value(&e->factors[j], u[p * k + j]);
  free(u);
  e->n_points = n;
  return 0;
}

int experiment_make_points(struct relsim_experiment *e, FILE *err) {
  int rc = e->design == RELSIM_EXP_GRID ? grid_points(e, err)
           : e->design == RELSIM_EXP_OAT ? oat_points(e, err)
                                         : unit_points(e, err);
  if (rc < 0) return SCENARIO_OUT_OF_MEMORY;
  if (rc > 0) return rc;
  if (e->n_points * e->replications > RELSIM_EXP_RUNS_MAX) {
    fprintf(err, "%s: %ld points x %d replications is more than %ld runs\n", e->path, e->n_points, e->replications,
            RELSIM_EXP_RUNS_MAX);
    return 1;
  }
  e->n_runs = e->n_points * e->replications;
  /* every point's scenario, before anything runs; the first few failures are shown */
  int bad = 0;
  for (long p = 0; p < e->n_points; p++) {
    struct relsim_scenario sc;
    FILE *quiet = bad < 5 ? err : NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *sink = quiet ? quiet : open_memstream(&buf, &len);
    if (!sink) return SCENARIO_OUT_OF_MEMORY;
    int n = experiment_scenario(e, p * e->replications, &sc, sink);
    scenario_clean(&sc);
    if (!quiet) {
      fclose(sink);
      free(buf);
    }
    if (n == SCENARIO_OUT_OF_MEMORY) return n;
    if (n) bad++;
  }
  if (bad > 5) fprintf(err, "%s: ... %d design points of %ld in all are not valid scenarios\n", e->path, bad,
                       e->n_points);
  return bad;
}

/* ------------------------------------------------------------------------
 * Measures
 * ------------------------------------------------------------------------ */

double experiment_measure(const struct relsim_exp_measure *m, const double *firm_hist, const double *market_hist,
                          int n_firms) {
  double acc = m->stat == RELSIM_EXP_MIN ? INFINITY : m->stat == RELSIM_EXP_MAX ? -INFINITY : 0;
  long n = 0;
  for (int t = m->from; t <= m->to; t++) {
    double x = m->market ? market_hist[(size_t)t * RELSIM_MM_COUNT + (size_t)m->metric]
                         : firm_hist[metrics_hist_index(t, m->metric, m->firm, n_firms)];
    if (m->minus >= 0) x -= firm_hist[metrics_hist_index(t, m->metric, m->minus, n_firms)];
    if (isnan(x)) continue;
    n++;
    if (m->stat == RELSIM_EXP_MIN)
      acc = fmin(acc, x);
    else if (m->stat == RELSIM_EXP_MAX)
      acc = fmax(acc, x);
    else
      acc += x;
  }
  if (n == 0) return NAN;
  return m->stat == RELSIM_EXP_MEAN ? acc / (double)n : acc;
}

void experiment_describe_measure(const struct relsim_experiment *e, struct relsim_exp_measure *m) {
  const struct relsim_params *p = &e->base.params;
  struct textbuf b = {0};
  textbuf_printf(&b, "%s", m->market ? relsim_market_fields[m->metric].name : relsim_firm_fields[m->metric].name);
  if (!m->market) textbuf_printf(&b, " of %s", p->firms[m->firm].name);
  if (m->minus >= 0) textbuf_printf(&b, " minus %s", p->firms[m->minus].name);
  if (m->from == m->to)
    textbuf_printf(&b, " at period %d%s", m->from, m->to == p->periods - 1 ? " (the end)" : "");
  else
    textbuf_printf(&b, ", %s over periods %d-%d", m->stat == RELSIM_EXP_SUM    ? "summed"
                                                  : m->stat == RELSIM_EXP_MEAN ? "averaged"
                                                  : m->stat == RELSIM_EXP_MIN  ? "least"
                                                                               : "greatest",
                   m->from, m->to);
  char *t = textbuf_take(&b);
  snprintf(m->text, sizeof m->text, "%s", t ? t : "");
  free(t);
}

void experiment_default_measures(struct relsim_experiment *e) {
  const struct relsim_params *p = &e->base.params;
  for (int f = 0; f < p->n_firms && e->n_measures + 3 <= RELSIM_EXP_MEASURES_MAX; f++) {
    struct relsim_exp_measure *m = &e->measures[e->n_measures++];
    *m = (struct relsim_exp_measure){.metric = RELSIM_FM_profit, .firm = f, .minus = -1, .from = 0,
                                     .to = p->periods - 1, .stat = RELSIM_EXP_SUM};
    snprintf(m->name, sizeof m->name, "profit_%d", f);
    experiment_describe_measure(e, m);
    m = &e->measures[e->n_measures++];
    *m = (struct relsim_exp_measure){.metric = RELSIM_FM_cohort_retention, .firm = f, .minus = -1,
                                     .from = p->periods - 1, .to = p->periods - 1, .stat = RELSIM_EXP_MEAN};
    snprintf(m->name, sizeof m->name, "cohort_retention_%d", f);
    experiment_describe_measure(e, m);
  }
  if (p->n_firms >= 2) {
    struct relsim_exp_measure *m = &e->measures[e->n_measures++];
    *m = (struct relsim_exp_measure){.metric = RELSIM_FM_profit, .firm = 0, .minus = 1, .from = 0,
                                     .to = p->periods - 1, .stat = RELSIM_EXP_SUM};
    snprintf(m->name, sizeof m->name, "profit_0_minus_1");
    experiment_describe_measure(e, m);
  }
}

/* ------------------------------------------------------------------------
 * The resolved experiment, and cleaning up
 * ------------------------------------------------------------------------ */

/* s as a YAML scalar: plain if it is a plain word or number, else double-quoted. */
static void quoted(struct textbuf *b, const char *s) {
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-") == strlen(s)) {
    textbuf_puts(b, s);
    return;
  }
  textbuf_puts(b, "\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') textbuf_puts(b, "\\");
    if ((unsigned char)*s < 0x20)
      textbuf_printf(b, "\\x%02x", (unsigned char)*s);
    else
      textbuf_add(b, s, 1);
  }
  textbuf_puts(b, "\"");
}

static char *resolved_yaml(const struct relsim_experiment *e) {
  struct textbuf b = {0};
  char r[TEXTBUF_REAL_SIZE], r2[TEXTBUF_REAL_SIZE];
  textbuf_puts(&b, "# every setting of the experiment, defaults included\nname: ");
  quoted(&b, e->name);
  textbuf_puts(&b, "\nscenario: ");
  quoted(&b, e->scenario_path);
  textbuf_printf(&b, "%s\n", e->scenario_inline ? "  # inline" : "");
  textbuf_printf(&b, "set:%s\n", e->n_set ? "" : " {}");
  for (int i = 0; i < e->n_set; i++) {
    const char *eq = strchr(e->set[i], '=');
    textbuf_printf(&b, "  %.*s: ", (int)(eq - e->set[i]), e->set[i]);
    quoted(&b, eq + 1);
    textbuf_printf(&b, "   # %s\n", e->set_where[i]);
  }
  textbuf_printf(&b, "factors:%s\n", e->n_factors ? "" : " {}");
  for (int j = 0; j < e->n_factors; j++) {
    const struct relsim_exp_factor *f = &e->factors[j];
    textbuf_printf(&b, "  %s: ", f->key);
    if (f->kind == RELSIM_EXP_LIST) {
      textbuf_puts(&b, "[");
      for (int i = 0; i < f->n_values; i++) {
        if (i) textbuf_puts(&b, ", ");
        quoted(&b, f->texts[i]);
      }
      textbuf_puts(&b, "]\n");
      continue;
    }
    textbuf_real(r, f->a);
    textbuf_real(r2, f->b);
    if (f->kind == RELSIM_EXP_RANGE) {
      textbuf_printf(&b, "{from: %s, to: %s", r, r2);
      if (f->step > 0) textbuf_real(r, f->step), textbuf_printf(&b, ", step: %s", r);
      textbuf_puts(&b, "}\n");
    } else {
      textbuf_printf(&b, "{%s: [%s, %s]}\n", relsim_exp_factor_kind_names[f->kind], r, r2);
    }
  }
  textbuf_printf(&b, "design: %s\n", relsim_exp_design_names[e->design]);
  if (e->design != RELSIM_EXP_GRID && e->design != RELSIM_EXP_OAT) textbuf_printf(&b, "samples: %d\n", e->samples);
  textbuf_real(r, e->level);
  textbuf_printf(&b, "replications: %d\nseed: %" PRIu64 "\ncommon_random_numbers: %s\nlevel: %s\nbootstrap: %d\n",
                 e->replications, e->seed, e->crn ? "true" : "false", r, e->bootstrap);
  textbuf_puts(&b, "measures:\n");
  for (int i = 0; i < e->n_measures; i++) {
    const struct relsim_exp_measure *m = &e->measures[i];
    textbuf_printf(&b, "  %s: {metric: %s", m->name,
                   m->market ? relsim_market_fields[m->metric].name : relsim_firm_fields[m->metric].name);
    if (m->firm >= 0) textbuf_printf(&b, ", firm: %d", m->firm);
    if (m->minus >= 0) textbuf_printf(&b, ", minus: %d", m->minus);
    if (m->from == m->to)
      textbuf_printf(&b, ", at: %d", m->from);
    else
      textbuf_printf(&b, ", over: [%d, %d], stat: %s", m->from, m->to, relsim_exp_stat_names[m->stat]);
    textbuf_printf(&b, "}   # %s\n", m->text);
  }
  textbuf_printf(&b, "# %ld design points, %ld runs\n", e->n_points, e->n_runs);
  return textbuf_take(&b);
}

int experiment_finish(struct relsim_experiment *e) { return (e->resolved = resolved_yaml(e)) ? 0 : -1; }

void experiment_clean(struct relsim_experiment *e) {
  free(e->source);
  free(e->resolved);
  scenario_clean(&e->base);
  for (int i = 0; i < e->n_set; i++) {
    free(e->set[i]);
    free(e->set_where[i]);
  }
  free(e->set);
  free(e->set_where);
  for (int j = 0; j < e->n_factors; j++) {
    for (int i = 0; e->factors[j].texts && i < e->factors[j].n_values; i++) free(e->factors[j].texts[i]);
    free(e->factors[j].texts);
    free(e->factors[j].values);
  }
  free(e->points);
  yaml_tree_free((struct yaml_tree *)e->inline_tree);
  memset(e, 0, sizeof *e);
}
