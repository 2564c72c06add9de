/*
 * The scalar readers of an experiment file and its measures (experiment.h):
 * `measures:` read and checked against the metric tables and the base
 * scenario's firms and periods; the default measures are in
 * experiment_design.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_internal.h"
#include "relsim/textbuf.h"
#include "suggest.h"

/* ------------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------------ */

/* A plain scalar as a finite number. */
int experiment_scalar_real(const struct yaml_tree *v, double *x) {
  if (!v || v->kind != YAML_TREE_SCALAR || v->is_text || !v->len) return 0;
  char *end;
  errno = 0;
  *x = strtod(v->text, &end);
  return *end == '\0' && errno != ERANGE && isfinite(*x);
}

int experiment_scalar_int(const struct yaml_tree *v, long long lo, long long hi, long long *x) {
  double d;
  if (!experiment_scalar_real(v, &d) || d != floor(d) || d < (double)lo || d > (double)hi) return 0;
  *x = (long long)d;
  return 1;
}

int experiment_scalar_choice(const struct yaml_tree *v, const char *const *names) {
  if (!v || v->kind != YAML_TREE_SCALAR) return -1;
  for (int i = 0; names[i]; i++)
    if (!strcmp(v->text, names[i])) return i;
  return -1;
}

char *experiment_choices_text(const char *const *names) {
  struct textbuf b = {0};
  for (int i = 0; names[i]; i++) textbuf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  return textbuf_take(&b);
}

/* A name usable as an HDF5 dataset and a Python identifier: [A-Za-z_][A-Za-z0-9_]*. */
int experiment_plain_name(const char *s) {
  if (!*s || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))) return 0;
  for (; *s; s++)
    if (!(*s == '_' || (*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z'))) return 0;
  return 1;
}

/* ------------------------------------------------------------------------
 * Measures
 * ------------------------------------------------------------------------ */

static int metric_index(const char *name, int *market) {
  for (int m = 0; m < RELSIM_FM_COUNT; m++)
    if (!strcmp(relsim_firm_fields[m].name, name)) return *market = 0, m;
  for (int m = 0; m < RELSIM_MM_COUNT; m++)
    if (!strcmp(relsim_market_fields[m].name, name)) return *market = 1, m;
  return -1;
}

/* A firm by name or index, or -1 after a problem. */
static int firm_of(struct exp_loader *ld, const struct yaml_tree *v, const char *key) {
  const struct relsim_params *p = &ld->e->base.params;
  long long i;
  if (experiment_scalar_int(v, 0, p->n_firms - 1, &i)) return (int)i;
  if (v && v->kind == YAML_TREE_SCALAR)
    for (int f = 0; f < p->n_firms; f++)
      if (!strcmp(p->firms[f].name, v->text)) return f;
  struct textbuf b = {0};
  for (int f = 0; f < p->n_firms; f++) textbuf_printf(&b, "%s%d or %s", f ? ", " : "", f, p->firms[f].name);
  char *names = textbuf_take(&b);
  problems_add(&ld->pr, v, key, "'%s' is not a firm of the scenario; allowed: %s",
               v && v->kind == YAML_TREE_SCALAR ? v->text : "?", names ? names : "");
  free(names);
  return -1;
}

static void read_measure(struct exp_loader *ld, const struct yaml_tree *k, const struct yaml_tree *v) {
  struct relsim_experiment *e = ld->e;
  const int periods = e->base.params.periods;
  struct relsim_exp_measure *m = &e->measures[e->n_measures];
  memset(m, 0, sizeof *m);
  m->firm = m->minus = -1;
  snprintf(m->name, sizeof m->name, "%s", k->text);
  char key[RELSIM_NAME_MAX + 16];
  snprintf(key, sizeof key, "measures.%s", k->text);
  if (!experiment_plain_name(k->text)) {
    problems_add(&ld->pr, k, key, "a measure's name is letters, digits and _ (not starting with a digit)");
    return;
  }
  if (v->kind != YAML_TREE_MAP) {
    problems_add(&ld->pr, v, key, "got %s; allowed: a mapping {metric: M, firm: F, minus: G, at: end | PERIOD, "
                                  "over: all | [FROM, TO], stat: sum | mean | min | max}", yaml_tree_shape(v));
    return;
  }
  static const char *const allowed[] = {"metric", "firm", "minus", "at", "over", "stat", NULL};
  for (size_t j = 0; j < yaml_tree_map_size(v); j++)
    if (experiment_scalar_choice(yaml_tree_key(v, j), allowed) < 0) {
      char *c = experiment_choices_text(allowed);
      problems_add(&ld->pr, yaml_tree_key(v, j), key, "unknown entry '%s'; allowed: %s",
                   yaml_tree_key(v, j)->text ? yaml_tree_key(v, j)->text : "?", c ? c : "");
      free(c);
      return;
    }
  const struct yaml_tree *metric = yaml_tree_get(v, "metric"), *firm = yaml_tree_get(v, "firm"),
                         *minus = yaml_tree_get(v, "minus"), *at = yaml_tree_get(v, "at"),
                         *over = yaml_tree_get(v, "over"), *stat = yaml_tree_get(v, "stat");
  if (!metric || metric->kind != YAML_TREE_SCALAR || (m->metric = metric_index(metric->text, &m->market)) < 0) {
    struct suggestion s;
    suggest_init(&s, metric && metric->text ? metric->text : "");
    for (int i = 0; i < RELSIM_FM_COUNT; i++) suggest_try(&s, relsim_firm_fields[i].name, NULL, 0);
    for (int i = 0; i < RELSIM_MM_COUNT; i++) suggest_try(&s, relsim_market_fields[i].name, NULL, 0);
    if (!metric)
      problems_add(&ld->pr, v, key, "metric: missing; allowed: a firm or market metric of `relsim help output`");
    else if (s.best)
      problems_add(&ld->pr, metric, key, "unknown metric '%s'; did you mean '%s'?", metric->text ? metric->text : "?",
                   s.best);
    else
      problems_add(&ld->pr, metric, key, "unknown metric '%s'; allowed: a firm or market metric of `relsim help "
                                         "output`", metric->text ? metric->text : "?");
    suggest_clean(&s);
    return;
  }
  if (m->market && (firm || minus)) {
    problems_add(&ld->pr, firm ? firm : minus, key, "%s is a market metric: it has no firm", metric->text);
    return;
  }
  if (!m->market) {
    if (!firm) {
      problems_add(&ld->pr, v, key, "%s is a firm metric: say which firm (firm: NAME or INDEX)", metric->text);
      return;
    }
    if ((m->firm = firm_of(ld, firm, key)) < 0) return;
    if (minus && (m->minus = firm_of(ld, minus, key)) < 0) return;
    if (m->minus == m->firm) {
      problems_add(&ld->pr, minus, key, "minus names the same firm as firm");
      return;
    }
  }
  m->stat = RELSIM_EXP_MEAN;
  if (stat && (int)(m->stat = (enum relsim_exp_stat)experiment_scalar_choice(stat, relsim_exp_stat_names)) < 0) {
    problems_add(&ld->pr, stat, key, "stat '%s'; allowed: sum, mean, min, max", stat->text ? stat->text : "?");
    return;
  }
  if (at && over) {
    problems_add(&ld->pr, over, key, "at and over both given; allowed: one of them");
    return;
  }
  long long a, b;
  m->from = m->to = periods - 1;
  if (at && !(at->kind == YAML_TREE_SCALAR && !strcmp(at->text, "end"))) {
    if (!experiment_scalar_int(at, 0, periods - 1, &a)) {
      problems_add(&ld->pr, at, key, "at '%s'; allowed: end or a period from 0 to %d", at->text ? at->text : "?",
                   periods - 1);
      return;
    }
    m->from = m->to = (int)a;
  } else if (over && over->kind == YAML_TREE_SCALAR && !strcmp(over->text, "all")) {
    m->from = 0;
  } else if (over) {
    if (over->kind != YAML_TREE_SEQ || over->n != 2 || !experiment_scalar_int(over->kids[0], 0, periods - 1, &a) ||
        !experiment_scalar_int(over->kids[1], 0, periods - 1, &b) || a > b) {
      problems_add(&ld->pr, over, key, "over; allowed: all or [FROM, TO], periods with 0 <= FROM <= TO <= %d",
                   periods - 1);
      return;
    }
    m->from = (int)a;
    m->to = (int)b;
  }
  if (stat && m->from == m->to && !over)
    problems_add(&ld->pr, stat, key, "stat needs a window (over: all or [FROM, TO])");
  e->n_measures++;
  experiment_describe_measure(e, m);
}

void experiment_read_measures(struct exp_loader *ld, const struct yaml_tree *v) {
  if (!v || yaml_tree_is_null(v)) {
    experiment_default_measures(ld->e);
    return;
  }
  if (v->kind != YAML_TREE_MAP || yaml_tree_map_size(v) == 0) {
    problems_add(&ld->pr, v, "measures", "got %s; allowed: a mapping of names to measures", yaml_tree_shape(v));
    return;
  }
  if (yaml_tree_map_size(v) > RELSIM_EXP_MEASURES_MAX) {
    problems_add(&ld->pr, v, "measures", "%zu measures; at most %d", yaml_tree_map_size(v), RELSIM_EXP_MEASURES_MAX);
    return;
  }
  for (size_t j = 0; j < yaml_tree_map_size(v); j++) {
    const struct yaml_tree *k = yaml_tree_key(v, j);
    if (k->kind != YAML_TREE_SCALAR) continue;
    for (int i = 0; i < ld->e->n_measures; i++)
      if (!strcmp(ld->e->measures[i].name, k->text)) problems_add(&ld->pr, k, k->text, "a measure named twice");
    read_measure(ld, k, yaml_tree_value(v, j));
  }
}

