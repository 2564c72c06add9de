/*
 * Experiment files (experiment.h): the YAML is parsed into a tree with
 * positions (yaml_tree.c), each top-level key is read and checked here,
 * problems are collected and printed together sorted by position
 * (problems.c), exactly as a scenario's are. The base scenario is loaded
 * with the fixed overrides (set:), each named by its position in the
 * experiment file; the design points and the per-run scenarios are in
 * experiment_design.c.
 */
#include "relsim/experiment.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_internal.h"
#include "problems.h"
#include "relsim/textbuf.h"
#include "relsim/util.h"
#include "suggest.h"
#include "yaml_tree.h"

const char *const relsim_exp_factor_kind_names[] = {"list", "range", "uniform", "loguniform", "normal", NULL};
const char *const relsim_exp_design_names[] = {"grid", "lhs", "sobol", "one_at_a_time", NULL};
const char *const relsim_exp_stat_names[] = {"sum", "mean", "min", "max", NULL};

static const char *const top_keys[] = {"name",    "description", "scenario",    "set",      "factors",
                                       "design",  "samples",     "replications", "seed",     "common_random_numbers",
                                       "level",   "bootstrap",   "measures",    NULL};

static char *where(const struct exp_loader *ld, const struct yaml_tree *n) {
  return textbuf_aprintf("%s:%d:%d", ld->e->path, n ? n->line : 1, n ? n->col : 1);
}

/* ------------------------------------------------------------------------
 * The base scenario and the fixed overrides
 * ------------------------------------------------------------------------ */

/* scenario: a path (relative to the experiment file's directory) or a mapping. */
static void read_scenario(struct exp_loader *ld, const struct yaml_tree *v) {
  struct relsim_experiment *e = ld->e;
  if (!v || yaml_tree_is_null(v)) {
    problems_add(&ld->pr, v, "scenario", "missing; allowed: a scenario file's path (relative to this file) or "
                                         "the scenario itself as a mapping");
    return;
  }
  if (v->kind == YAML_TREE_MAP) {
    e->scenario_inline = 1;
    ld->base_tree = v;
    snprintf(e->scenario_path, sizeof e->scenario_path, "%s", e->path);
    return;
  }
  if (v->kind != YAML_TREE_SCALAR) {
    problems_add(&ld->pr, v, "scenario", "got %s; allowed: a path or a mapping", yaml_tree_shape(v));
    return;
  }
  const char *slash = strrchr(e->path, '/');
  int n = v->text[0] == '/' || !slash
              ? snprintf(e->scenario_path, sizeof e->scenario_path, "%s", v->text)
              : snprintf(e->scenario_path, sizeof e->scenario_path, "%.*s/%s", (int)(slash - e->path), e->path,
                         v->text);
  if (n < 0 || (size_t)n >= sizeof e->scenario_path)
    problems_add(&ld->pr, v, "scenario", "path longer than %d bytes", RELSIM_PATH_MAX - 1);
}

/* The text of an override value: a scalar as written. */
static int push_override(struct exp_loader *ld, const char *key, const struct yaml_tree *v, const char *value) {
  struct relsim_experiment *e = ld->e;
  if (util_grow(&e->set, &ld->cap_set, (size_t)e->n_set + 1, sizeof *e->set, 8) ||
      util_grow(&e->set_where, &ld->cap_where, (size_t)e->n_set + 1, sizeof *e->set_where, 8)) {
    ld->pr.oom = 1;
    return -1;
  }
  e->set[e->n_set] = textbuf_aprintf("%s=%s", key, value);
  e->set_where[e->n_set] = where(ld, v);
  if (!e->set[e->n_set] || !e->set_where[e->n_set]) ld->pr.oom = 1;
  e->n_set++;
  return 0;
}

static void read_set(struct exp_loader *ld, const struct yaml_tree *v) {
  if (!v || yaml_tree_is_null(v)) return;
  if (v->kind != YAML_TREE_MAP) {
    problems_add(&ld->pr, v, "set", "got %s; allowed: a mapping of scenario keys to values (market.customers: "
                                    "10000)", yaml_tree_shape(v));
    return;
  }
  for (size_t j = 0; j < yaml_tree_map_size(v); j++) {
    const struct yaml_tree *k = yaml_tree_key(v, j), *x = yaml_tree_value(v, j);
    if (k->kind != YAML_TREE_SCALAR || x->kind != YAML_TREE_SCALAR) {
      problems_add(&ld->pr, x, k->kind == YAML_TREE_SCALAR ? k->text : "set",
                   "got %s; allowed: one value (a list-valued key is set in the scenario)", yaml_tree_shape(x));
      continue;
    }
    push_override(ld, k->text, x, x->text);
  }
}

/* ------------------------------------------------------------------------
 * Factors
 * ------------------------------------------------------------------------ */

static int number_in_key(const struct relsim_key *k, double x) {
  return !(x < k->min || x > k->max || (k->min_open && x == k->min) || (k->max_open && x == k->max));
}

/* What a factor's key allows, or 0 after reporting why it cannot be a factor. */
static int factor_key(struct exp_loader *ld, const struct yaml_tree *k, const struct relsim_key **key) {
  if (!strncmp(k->text, "events", 6) && (k->text[6] == '\0' || k->text[6] == '.' || k->text[6] == '['))
    return problems_add(&ld->pr, k, k->text, "cannot be a factor: the scheduled events are not scenario keys; "
                                             "allowed: a key of `relsim help keys` (a firm key varies the firm's "
                                             "value up to the first event that sets it)"), 0;
  *key = scenario_key_of(k->text);
  if (!*key) {
    struct suggestion s;
    suggest_init(&s, k->text);
    for (size_t i = 0; i < relsim_n_global_keys; i++) suggest_try(&s, relsim_global_keys[i].path, NULL, 0);
    if (s.best)
      problems_add(&ld->pr, k, k->text, "unknown scenario key; did you mean '%s'? (firm keys are written "
                                        "firms.<index or name>.<key>)", s.best);
    else
      problems_add(&ld->pr, k, k->text, "unknown scenario key; allowed: any key of `relsim help keys` (firm keys "
                                        "are written firms.<index or name>.<key>)");
    suggest_clean(&s);
    return 0;
  }
  if (!strcmp(k->text, "run.seed"))
    return problems_add(&ld->pr, k, k->text, "cannot be a factor: replications set the seed (seed: and "
                                             "replications:)"), 0;
  if (!strcmp(k->text, "run.periods"))
    return problems_add(&ld->pr, k, k->text, "cannot be a factor: every run of an experiment has the same periods "
                                             "(set it with set:)"), 0;
  switch ((*key)->type) {
  case RELSIM_KEY_ATTR_NAMES:
  case RELSIM_KEY_LEVEL_REALS:
  case RELSIM_KEY_TIER_LEVELS:
    return problems_add(&ld->pr, k, k->text, "a list-valued key cannot be a factor; allowed: keys with one "
                                             "value"), 0;
  default:
    return 1;
  }
}

static int key_numeric(const struct relsim_key *k) {
  return k->type == RELSIM_KEY_INT || k->type == RELSIM_KEY_INT64 || k->type == RELSIM_KEY_UINT64 ||
         k->type == RELSIM_KEY_REAL || k->type == RELSIM_KEY_ATTR_REALS;
}

static void factor_list(struct exp_loader *ld, struct relsim_exp_factor *f, const struct relsim_key *key,
                        const struct yaml_tree *v) {
  if (v->n == 0) {
    problems_add(&ld->pr, v, f->key, "an empty list; allowed: one or more values");
    return;
  }
  f->kind = RELSIM_EXP_LIST;
  f->n_values = (int)v->n;
  f->texts = calloc(v->n, sizeof *f->texts);
  f->values = calloc(v->n, sizeof *f->values);
  if (!f->texts || !f->values) {
    ld->pr.oom = 1;
    return;
  }
  for (size_t i = 0; i < v->n; i++) {
    const struct yaml_tree *x = v->kids[i];
    if (x->kind != YAML_TREE_SCALAR) {
      problems_add(&ld->pr, x, f->key, "item %zu is %s; allowed: one value per item", i + 1, yaml_tree_shape(x));
      continue;
    }
    if (!(f->texts[i] = textbuf_copy(x->text, x->len))) ld->pr.oom = 1;
    f->values[i] = NAN;
    if (f->numeric && !experiment_scalar_real(x, &f->values[i]))
      problems_add(&ld->pr, x, f->key, "item %zu is '%s'; allowed: a number", i + 1, x->text);
    else if (f->numeric && !number_in_key(key, f->values[i]))
      problems_add(&ld->pr, x, f->key, "item %zu is %s, outside the key's range [%g, %g]", i + 1, x->text,
                   key->min, key->max);
    for (size_t j = 0; j < i; j++)
      if (f->texts[j] && f->texts[i] && !strcmp(f->texts[j], f->texts[i]))
        problems_add(&ld->pr, x, f->key, "item %zu repeats item %zu ('%s'); each value once", i + 1, j + 1, x->text);
  }
}

/* {from, to, step} or {uniform: [lo, hi]}, {loguniform: [lo, hi]}, {normal: [mean, sd]}. */
static void factor_map(struct exp_loader *ld, struct relsim_exp_factor *f, const struct relsim_key *key,
                       const struct yaml_tree *v) {
  const char *what = "allowed: a list of values, a range {from: A, to: B, step: S} or a distribution "
                     "{uniform: [A, B]}, {loguniform: [A, B]}, {normal: [MEAN, SD]}";
  if (!f->numeric) {
    problems_add(&ld->pr, v, f->key, "the key takes names or true/false; allowed: a list of its values");
    return;
  }
  const struct yaml_tree *from = yaml_tree_get(v, "from"), *to = yaml_tree_get(v, "to"), *step = yaml_tree_get(v, "step");
  static const char *const dists[] = {"uniform", "loguniform", "normal", NULL};
  for (size_t j = 0; j < yaml_tree_map_size(v); j++) {
    const struct yaml_tree *k = yaml_tree_key(v, j), *x = yaml_tree_value(v, j);
    int d = experiment_scalar_choice(k, dists);
    if (d >= 0) {
      if (yaml_tree_map_size(v) != 1) {
        problems_add(&ld->pr, k, f->key, "a distribution stands alone; %s", what);
        return;
      }
      f->kind = (enum relsim_exp_factor_kind)(RELSIM_EXP_UNIFORM + d);
      if (x->kind != YAML_TREE_SEQ || x->n != 2 || !experiment_scalar_real(x->kids[0], &f->a) || !experiment_scalar_real(x->kids[1], &f->b)) {
        problems_add(&ld->pr, x, f->key, "%s needs two numbers, [%s]", dists[d],
                     d == 2 ? "MEAN, SD" : "LOW, HIGH");
        return;
      }
      if (d < 2 && !(f->a < f->b))
        problems_add(&ld->pr, x, f->key, "%s [%g, %g]: the low end must be below the high end", dists[d], f->a, f->b);
      else if (d == 1 && f->a <= 0)
        problems_add(&ld->pr, x, f->key, "loguniform [%g, %g]: both ends must be above 0", f->a, f->b);
      else if (d == 2 && !(f->b > 0))
        problems_add(&ld->pr, x, f->key, "normal [%g, %g]: the standard deviation must be above 0", f->a, f->b);
      else if (d < 2 && (!number_in_key(key, f->a) || !number_in_key(key, f->b)))
        problems_add(&ld->pr, x, f->key, "%s [%g, %g] reaches outside the key's range [%g, %g]", dists[d], f->a, f->b,
                     key->min, key->max);
      return;
    }
    if (!yaml_tree_key_is(k, "from") && !yaml_tree_key_is(k, "to") && !yaml_tree_key_is(k, "step")) {
      problems_add(&ld->pr, k, f->key, "unknown entry '%s'; %s", k->kind == YAML_TREE_SCALAR ? k->text : "?", what);
      return;
    }
  }
  f->kind = RELSIM_EXP_RANGE;
  if (!experiment_scalar_real(from, &f->a) || !experiment_scalar_real(to, &f->b)) {
    problems_add(&ld->pr, from && !experiment_scalar_real(from, &f->a) ? from : to && !experiment_scalar_real(to, &f->b) ? to : v, f->key,
                 "a range needs numbers from: and to:; %s", what);
    return;
  }
  if (!(f->a < f->b)) {
    problems_add(&ld->pr, v, f->key, "range from %g to %g: from must be below to", f->a, f->b);
    return;
  }
  if (!number_in_key(key, f->a) || !number_in_key(key, f->b)) {
    problems_add(&ld->pr, v, f->key, "range from %g to %g reaches outside the key's range [%g, %g]", f->a, f->b,
                 key->min, key->max);
    return;
  }
  if (step) {
    if (!experiment_scalar_real(step, &f->step) || !(f->step > 0)) {
      problems_add(&ld->pr, step, f->key, "step is '%s'; allowed: a number above 0", step->text ? step->text : "");
      return;
    }
    double n = floor((f->b - f->a) / f->step * (1 + 1e-12)) + 1;
    if (n > 1e6) {
      problems_add(&ld->pr, step, f->key, "range from %g to %g by %g has %.0f values; at most 1000000", f->a, f->b,
                   f->step, n);
      return;
    }
    if (f->integer && (f->step != floor(f->step) || f->a != floor(f->a)))
      problems_add(&ld->pr, step, f->key, "the key takes integers: from and step must be integers");
    f->n_values = (int)n;
  }
}

static void read_factors(struct exp_loader *ld, const struct yaml_tree *v) {
  struct relsim_experiment *e = ld->e;
  if (!v || yaml_tree_is_null(v)) return;
  if (v->kind != YAML_TREE_MAP) {
    problems_add(&ld->pr, v, "factors", "got %s; allowed: a mapping of scenario keys to their values",
                 yaml_tree_shape(v));
    return;
  }
  if (yaml_tree_map_size(v) > RELSIM_EXP_FACTORS_MAX) {
    problems_add(&ld->pr, v, "factors", "%zu factors; at most %d", yaml_tree_map_size(v), RELSIM_EXP_FACTORS_MAX);
    return;
  }
  for (size_t j = 0; j < yaml_tree_map_size(v); j++) {
    const struct yaml_tree *k = yaml_tree_key(v, j), *x = yaml_tree_value(v, j);
    const struct relsim_key *key;
    if (k->kind != YAML_TREE_SCALAR) {
      problems_add(&ld->pr, k, "factors", "a factor is named by a scenario key");
      continue;
    }
    if (!factor_key(ld, k, &key)) continue;
    for (int i = 0; i < e->n_factors; i++)
      if (!strcmp(e->factors[i].key, k->text)) problems_add(&ld->pr, k, k->text, "a factor given twice");
    struct relsim_exp_factor *f = &e->factors[e->n_factors++];
    snprintf(f->key, sizeof f->key, "%s", k->text);
    f->line = x->line;
    f->col = x->col;
    f->numeric = key_numeric(key);
    f->integer = key->type == RELSIM_KEY_INT || key->type == RELSIM_KEY_INT64 || key->type == RELSIM_KEY_UINT64;
    if (x->kind == YAML_TREE_SEQ)
      factor_list(ld, f, key, x);
    else if (x->kind == YAML_TREE_MAP)
      factor_map(ld, f, key, x);
    else
      problems_add(&ld->pr, x, f->key, "got %s; allowed: a list of values, a range {from: A, to: B, step: S} or a "
                                       "distribution {uniform: [A, B]} (a fixed value goes under set:)",
                   yaml_tree_shape(x));
  }
}

/* ------------------------------------------------------------------------
 * The file
 * ------------------------------------------------------------------------ */

/* root's key, if given, as an integer from lo to hi into *out; else a problem naming what is allowed. */
static void read_int(struct exp_loader *ld, const struct yaml_tree *root, const char *key, long long lo,
                     long long hi, const char *note, int *out) {
  const struct yaml_tree *v = yaml_tree_get(root, key);
  long long x;
  if (!v) return;
  if (experiment_scalar_int(v, lo, hi, &x))
    *out = (int)x;
  else
    problems_add(&ld->pr, v, key, "'%s'; allowed: an integer from %lld to %lld%s", v->text ? v->text : "?", lo, hi,
                 note);
}

static void read_settings(struct exp_loader *ld, const struct yaml_tree *root) {
  struct relsim_experiment *e = ld->e;
  const struct yaml_tree *v;
  double d;
  e->design = RELSIM_EXP_GRID;
  e->replications = 1;
  e->crn = 1;
  e->level = 0.95;
  e->bootstrap = 1000;
  if ((v = yaml_tree_get(root, "name")) && v->kind == YAML_TREE_SCALAR)
    snprintf(e->name, sizeof e->name, "%s", v->text);
  else if (v)
    problems_add(&ld->pr, v, "name", "got %s; allowed: text", yaml_tree_shape(v));
  if ((v = yaml_tree_get(root, "description")) && v->kind != YAML_TREE_SCALAR)
    problems_add(&ld->pr, v, "description", "got %s; allowed: text", yaml_tree_shape(v));
  if ((v = yaml_tree_get(root, "design")) && (int)(e->design = (enum relsim_exp_design)experiment_scalar_choice(
                                                       v, relsim_exp_design_names)) < 0)
    problems_add(&ld->pr, v, "design", "'%s'; allowed: grid, lhs, sobol, one_at_a_time", v->text ? v->text : "?");
  read_int(ld, root, "replications", 1, 1000000, "", &e->replications);
  read_int(ld, root, "samples", 1, 10000000, "", &e->samples);
  if ((v = yaml_tree_get(root, "seed"))) {
    char *end;
    errno = 0;
    unsigned long long s = v->kind == YAML_TREE_SCALAR && v->text[0] >= '0' && v->text[0] <= '9'
                               ? strtoull(v->text, &end, 10)
                               : (end = "?", 0);
    if (*end || errno == ERANGE)
      problems_add(&ld->pr, v, "seed", "'%s'; allowed: an integer from 0 to 18446744073709551615",
                   v->text ? v->text : "?");
    else
      e->seed = s, ld->seed_given = 1;
  }
  if ((v = yaml_tree_get(root, "common_random_numbers"))) {
    int b = experiment_scalar_choice(v, (const char *const[]){"false", "true", NULL});
    if (b < 0)
      problems_add(&ld->pr, v, "common_random_numbers", "'%s'; allowed: true or false", v->text ? v->text : "?");
    else
      e->crn = b;
  }
  if ((v = yaml_tree_get(root, "level"))) {
    if (experiment_scalar_real(v, &d) && d > 0 && d < 1)
      e->level = d;
    else
      problems_add(&ld->pr, v, "level", "'%s'; allowed: a confidence level above 0 and below 1 (0.95)",
                   v->text ? v->text : "?");
  }
  read_int(ld, root, "bootstrap", 100, 1000000, " (resamples)", &e->bootstrap);
}

/* Design checks that need the factors: what each design takes. */
static void check_design(struct exp_loader *ld, const struct yaml_tree *root) {
  struct relsim_experiment *e = ld->e;
  const struct yaml_tree *d = yaml_tree_get(root, "design"), *s = yaml_tree_get(root, "samples"),
                         *fac = yaml_tree_get(root, "factors");
  if (e->design == RELSIM_EXP_GRID || e->design == RELSIM_EXP_OAT) {
    const char *what = e->design == RELSIM_EXP_GRID ? "a grid" : "one_at_a_time";
    if (s)
      problems_add(&ld->pr, s, "samples", "%s runs %s: samples is for lhs and sobol", what,
                   e->design == RELSIM_EXP_GRID ? "every combination" : "each value of each factor");
    for (int i = 0; i < e->n_factors; i++) {
      const struct relsim_exp_factor *f = &e->factors[i];
      if (f->kind != RELSIM_EXP_LIST && !(f->kind == RELSIM_EXP_RANGE && f->step > 0))
        problems_add_at(&ld->pr, 0, f->line, f->col, f->key,
                        "%s needs values: a list, or a range with step (a %s is for design lhs or sobol)", what,
                        f->kind == RELSIM_EXP_RANGE ? "range without step" : "distribution");
    }
    return;
  }
  if (e->n_factors == 0 && yaml_tree_map_size(fac) == 0) /* (factors refused were reported) */
    problems_add(&ld->pr, fac ? fac : d, "factors", "design %s needs at least one factor", relsim_exp_design_names[e->design]);
  if (!s)
    problems_add(&ld->pr, d, "samples", "design %s needs samples: (%s)", relsim_exp_design_names[e->design],
                 e->design == RELSIM_EXP_LHS ? "the number of points" : "the base samples N; N (k + 2) points");
  else if (e->design == RELSIM_EXP_SOBOL && e->samples < 16)
    problems_add(&ld->pr, s, "samples", "%d base samples are too few to estimate Sobol indices; at least 16 "
                                        "(hundreds for narrow intervals)", e->samples);
  else if (e->design == RELSIM_EXP_LHS && e->samples < 2)
    problems_add(&ld->pr, s, "samples", "a Latin hypercube of %d point; at least 2", e->samples);
}

static void read_top(struct exp_loader *ld, const struct yaml_tree *root) {
  for (size_t j = 0; j < yaml_tree_map_size(root); j++) {
    const struct yaml_tree *k = yaml_tree_key(root, j);
    if (experiment_scalar_choice(k, top_keys) >= 0) continue;
    struct suggestion s;
    suggest_init(&s, k->text ? k->text : "");
    for (int i = 0; top_keys[i]; i++) suggest_try(&s, top_keys[i], NULL, 0);
    char *c = experiment_choices_text(top_keys);
    if (s.best)
      problems_add(&ld->pr, k, k->text, "unknown key; did you mean '%s'?", s.best);
    else
      problems_add(&ld->pr, k, k->text, "unknown key; allowed: %s", c ? c : "");
    free(c);
    suggest_clean(&s);
  }
}

static int load_text(struct relsim_experiment *e, const char *path, const char *const *overrides, int n_overrides,
                     FILE *err);

int experiment_load(struct relsim_experiment *e, const char *path, const char *const *overrides, int n_overrides,
                    FILE *err) {
  memset(e, 0, sizeof *e);
  snprintf(e->path, sizeof e->path, "%s", path);
  int errnum = 0;
  if (!(e->source = scenario_read_file(path, RELSIM_SCENARIO_MAX_BYTES, &e->source_len, &errnum))) {
    fprintf(err, "%s: cannot read the experiment file: %s\n", path, strerror(errnum));
    return errnum == ENOMEM ? SCENARIO_OUT_OF_MEMORY : -1;
  }
  if (e->source_len > RELSIM_SCENARIO_MAX_BYTES) {
    fprintf(err, "%s: the experiment file is larger than %d bytes\n", path, RELSIM_SCENARIO_MAX_BYTES);
    return 1;
  }
  if (strlen(e->source) != e->source_len) {
    fprintf(err, "%s: the experiment file holds a NUL byte (not a text file?)\n", path);
    return 1;
  }
  return load_text(e, path, overrides, n_overrides, err);
}

int experiment_of_scenario(struct relsim_experiment *e, const char *scenario_path, const char *const *overrides,
                           int n_overrides, int replications, FILE *err) {
  memset(e, 0, sizeof *e);
  snprintf(e->path, sizeof e->path, "%s", scenario_path);
  const char *slash = strrchr(scenario_path, '/');
  struct textbuf b = {0};
  textbuf_printf(&b, "# relsim run %s --replications %d\nscenario: \"", scenario_path, replications);
  for (const char *c = slash ? slash + 1 : scenario_path; *c; c++) {
    if (*c == '"' || *c == '\\') textbuf_puts(&b, "\\");
    textbuf_add(&b, c, 1);
  }
  textbuf_printf(&b, "\"\nreplications: %d\n", replications);
  if (!(e->source = textbuf_take(&b))) return SCENARIO_OUT_OF_MEMORY;
  e->source_len = strlen(e->source);
  return load_text(e, scenario_path, overrides, n_overrides, err);
}

static int load_text(struct relsim_experiment *e, const char *path, const char *const *overrides, int n_overrides,
                     FILE *err) {  struct exp_loader ld = {.e = e, .pr = {.path = path, .text = e->source, .text_len = e->source_len}};
  struct yaml_tree *root = NULL;
  int n = 0;
  if (problems_parse(&ld.pr, e->source, e->source_len, 0, NULL, &root)) {
    if (!root || root->kind != YAML_TREE_MAP) {
      problems_add(&ld.pr, root, NULL, "the experiment is %s; allowed: a mapping (scenario:, factors:, design:, "
                                       "replications:, measures:, ...)", root ? yaml_tree_shape(root) : "empty");
    } else {
      read_top(&ld, root);
      read_scenario(&ld, yaml_tree_get(root, "scenario"));
      read_set(&ld, yaml_tree_get(root, "set"));
      read_settings(&ld, root);
      read_factors(&ld, yaml_tree_get(root, "factors"));
      check_design(&ld, root);
      for (int i = 0; i < n_overrides && !ld.pr.oom; i++) { /* --set on the command line: after the file's set: */
        if (util_grow(&e->set, &ld.cap_set, (size_t)e->n_set + 1, sizeof *e->set, 8) ||
            util_grow(&e->set_where, &ld.cap_where, (size_t)e->n_set + 1, sizeof *e->set_where, 8)) {
          ld.pr.oom = 1;
          break;
        }
        e->set[e->n_set] = textbuf_copy(overrides[i], strlen(overrides[i]));
        e->set_where[e->n_set++] = textbuf_aprintf("--set:%d", i + 1);
      }
    }
  }
  n = (int)problems_print(&ld.pr, err);
  if (!n && !ld.pr.oom) { /* the base scenario with the fixed overrides: its problems name their places */
    struct scenario_load_options opt = {(const char *const *)e->set, e->n_set, (const char *const *)e->set_where,
                                        ld.base_tree ? e->source : NULL, ld.base_tree ? e->source_len : 0,
                                        ld.base_tree};
    n = scenario_load_with(&e->base, e->scenario_path, &opt, err);
    if (n == 0) { /* then what needs the scenario: the firms and periods of the measures, the points */
      if (ld.base_tree && !(e->inline_tree = (struct relsim_exp_inline *)yaml_tree_copy(ld.base_tree))) ld.pr.oom = 1;
      if (!ld.seed_given) e->seed = e->base.params.seed;
      if (!e->name[0]) snprintf(e->name, sizeof e->name, "%s", e->base.params.name);
      problems_clean(&ld.pr);
      ld.pr = (struct problems){.path = path, .text = e->source, .text_len = e->source_len};
      experiment_read_measures(&ld, yaml_tree_get(root, "measures"));
      n = (int)problems_print(&ld.pr, err);
      if (!n && !ld.pr.oom) n = experiment_make_points(e, err);
      if (!n && !ld.pr.oom && experiment_finish(e)) ld.pr.oom = 1;
    }
  }
  if (ld.pr.oom) {
    fprintf(err, "%s: out of memory while loading the experiment\n", path);
    n = SCENARIO_OUT_OF_MEMORY;
  }
  problems_clean(&ld.pr);
  yaml_tree_free(root);
  return n;
}
