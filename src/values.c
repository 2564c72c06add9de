/*
 * Typed readers of scenario values: a node of the YAML tree, checked against
 * its key (type, range, choices, list length), written into the parameter
 * struct only when valid. Every value that does not fit is reported with
 * what the key allows.
 */
#include "values.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "suggest.h"

/* Report that v (at path) is wrong for k, with the allowed values of one element. */
TEXTBUF_PRINTF(5, 6)
static int bad_value(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     const char *fmt, ...) {
  if (k->type != RELSIM_KEY_STRING && problems_fullwidth(r->pr, v, path)) return 0; /* the likely reason */
  struct textbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  textbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  textbuf_puts(&b, "; allowed: ");
  keys_describe_element(&b, k);
  char *text = textbuf_take(&b);
  problems_add(r->pr, v, path, "%s", text ? text : "?");
  free(text);
  return 0;
}

/* A scalar with a value: otherwise report (no value / a list / a mapping). */
static int need_scalar(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                       const char *path) {
  if (v->kind != YAML_TREE_SCALAR) return bad_value(r, k, v, path, "got %s", yaml_tree_shape(v));
  if (yaml_tree_is_null(v)) return bad_value(r, k, v, path, "no value given");
  if (strlen(v->text) != v->len) return bad_value(r, k, v, path, "the value contains a NUL character");
  return 1;
}

static int parse_double(const char *s, double *out) {
  char *end;
  if (!*s || (*s != '+' && *s != '-' && *s != '.' && (*s < '0' || *s > '9'))) return 0;
  errno = 0;
  double d = strtod(s, &end);
  if (*end || !isfinite(d)) return 0;
  *out = d;
  return 1;
}

static int in_range(const struct relsim_key *k, double d) {
  if (d < k->min || (k->min_open && d == k->min)) return 0;
  if (d > k->max || (k->max_open && d == k->max)) return 0;
  return 1;
}

/* A finite, unquoted number within the range of k. */
static int read_real(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     double *out) {
  double d;
  if (!need_scalar(r, k, v, path)) return 0;
  if (v->is_text) return bad_value(r, k, v, path, "'%s' is quoted text, not a number", v->text);
  if (!parse_double(v->text, &d)) return bad_value(r, k, v, path, "'%s' is not a number", v->text);
  if (!in_range(k, d)) return bad_value(r, k, v, path, "%s is out of range", v->text);
  *out = d;
  return 1;
}

/* Integers: decimal digits with an optional sign, or a real with an integer value (1e5). */
static int read_integer(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                        const char *path, int64_t *out_signed, uint64_t *out_unsigned) {
  if (!need_scalar(r, k, v, path)) return 0;
  const char *s = v->text;
  if (v->is_text) return bad_value(r, k, v, path, "'%s' is quoted text, not a number", s);
  int neg = s[0] == '-';
  const char *digits = s + (s[0] == '-' || s[0] == '+');
  int plain = *digits != '\0';
  for (const char *c = digits; *c; c++)
    if (*c < '0' || *c > '9') plain = 0;
  uint64_t mag;
  int overflow = 0;
  if (plain) {
    errno = 0;
    mag = strtoull(digits, NULL, 10);
    overflow = errno == ERANGE;
  } else {
    double d;
    if (!parse_double(s, &d)) return bad_value(r, k, v, path, "'%s' is not an integer", s);
    if (d != floor(d)) return bad_value(r, k, v, path, "'%s' is not an integer", s);
    if (fabs(d) > 9007199254740992.0) overflow = 1;
    neg = d < 0;
    mag = overflow ? 0 : (uint64_t)fabs(d);
  }
  if (k->type == RELSIM_KEY_UINT64) {
    int too_big = k->max < 18446744073709551615.0 && mag > (uint64_t)k->max;
    if (overflow || (neg && mag) || mag < (uint64_t)k->min || too_big)
      return bad_value(r, k, v, path, "%s is out of range", s);
    *out_unsigned = mag;
    return 1;
  }
  /* int and int64 keys have bounds well inside +-2^53 */
  if (overflow || mag > ((uint64_t)1 << 62)) return bad_value(r, k, v, path, "%s is out of range", s);
  int64_t x = neg ? -(int64_t)mag : (int64_t)mag;
  if ((double)x < k->min || (double)x > k->max) return bad_value(r, k, v, path, "%s is out of range", s);
  *out_signed = x;
  return 1;
}

/* true/false, also yes/no and on/off, in any case. */
static int read_bool(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     int *out) {
  static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
  if (!need_scalar(r, k, v, path)) return 0;
  if (v->is_text) return bad_value(r, k, v, path, "'%s' is quoted text, not true or false", v->text);
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(yes[i]), m = strlen(no[i]);
    int is_yes = v->len == n, is_no = v->len == m;
    for (size_t c = 0; c < v->len; c++) {
      char ch = v->text[c] >= 'A' && v->text[c] <= 'Z' ? (char)(v->text[c] - 'A' + 'a') : v->text[c];
      if (is_yes && ch != yes[i][c]) is_yes = 0;
      if (is_no && ch != no[i][c]) is_no = 0;
    }
    if (is_yes || is_no) {
      *out = is_yes;
      return 1;
    }
  }
  return bad_value(r, k, v, path, "'%s' is not true or false", v->text);
}

int values_read_name(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     int *out) {
  if (!need_scalar(r, k, v, path)) return 0;
  int i = params_lookup_name(k->choices, v->text);
  if (i >= 0) {
    *out = i;
    return 1;
  }
  struct suggestion s;
  suggest_init(&s, v->text);
  for (int c = 0; k->choices[c]; c++) suggest_try(&s, k->choices[c], NULL, 0);
  if (s.best)
    bad_value(r, k, v, path, "unknown value '%s' (did you mean '%s'?)", v->text, s.best);
  else
    bad_value(r, k, v, path, "unknown value '%s'", v->text);
  suggest_clean(&s);
  return 0;
}

/* Text of k->min to k->max bytes; the whole field is zeroed first (bit-exact round trips). */
static int read_text(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     char *dst) {
  if (!need_scalar(r, k, v, path)) return 0;
  if ((double)v->len < k->min) return bad_value(r, k, v, path, "empty text");
  if ((double)v->len > k->max) return bad_value(r, k, v, path, "text of %zu bytes is too long", v->len);
  memset(dst, 0, k->size);
  memcpy(dst, v->text, v->len);
  return 1;
}

/* Does list v have exactly n elements? Reports if not. */
static int list_length_ok(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                          const char *path, size_t n) {
  if (v->n == n) return 1;
  char *allowed = keys_allowed(k, r->p);
  problems_add(r->pr, v, path, "%zu value%s given; allowed: %s", v->n, v->n == 1 ? "" : "s", allowed ? allowed : "?");
  free(allowed);
  return 0;
}

/* v is not the list k needs (no value, a single value, a mapping): report it
 * with everything k allows. */
static int not_a_list(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                      const char *path) {
  if (problems_fullwidth(r->pr, v, path)) return 0; /* the likely reason */
  char *allowed = keys_allowed(k, r->p);
  problems_add(r->pr, v, path, "%s; allowed: %s",
               yaml_tree_is_null(v)       ? "no value given"
               : v->kind == YAML_TREE_MAP ? "got a mapping"
                                          : "got a single value",
               allowed ? allowed : "?");
  free(allowed);
  return 0;
}

/* A list of n reals (or, if scalar_ok, one real for all n) into dst; dst is
 * written only if every element is valid. */
static int read_reals(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                      double *dst, size_t n, int scalar_ok) {
  double vals[RELSIM_MAX_ATTRS > RELSIM_LEVEL_COUNT ? RELSIM_MAX_ATTRS : RELSIM_LEVEL_COUNT];
  if (v->kind == YAML_TREE_SCALAR && scalar_ok) {
    if (!read_real(r, k, v, path, &vals[0])) return 0;
    for (size_t i = 0; i < n; i++) dst[i] = vals[0];
    return 1;
  }
  if (v->kind != YAML_TREE_SEQ) return not_a_list(r, k, v, path);
  int ok = 1;
  if (scalar_ok && !r->attrs_ok)
    n = v->n < RELSIM_MAX_ATTRS ? v->n : RELSIM_MAX_ATTRS; /* count unknown */
  else if (!list_length_ok(r, k, v, path, n))
    ok = 0;
  for (size_t i = 0; i < v->n && i < n; i++) {
    char *epath = textbuf_aprintf("%s[%zu]", path, i);
    if (!epath) r->pr->oom = 1;
    if (!epath || !read_real(r, k, v->kids[i], epath, &vals[i])) ok = 0;
    free(epath);
  }
  if (ok) memcpy(dst, vals, n * sizeof *dst);
  return ok;
}

/* One level name for every tier, or a list of one per tier. */
static int read_tier_levels(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                            const char *path, int *dst) {
  int vals[RELSIM_TIER_COUNT];
  if (v->kind == YAML_TREE_SCALAR) {
    if (!values_read_name(r, k, v, path, &vals[0])) return 0;
    for (int t = 0; t < RELSIM_TIER_COUNT; t++) dst[t] = vals[0];
    return 1;
  }
  if (v->kind != YAML_TREE_SEQ) return not_a_list(r, k, v, path);
  int ok = list_length_ok(r, k, v, path, RELSIM_TIER_COUNT);
  for (size_t i = 0; i < v->n && i < RELSIM_TIER_COUNT; i++) {
    char *epath = textbuf_aprintf("%s[%zu]", path, i);
    if (!epath) r->pr->oom = 1;
    if (!epath || !values_read_name(r, k, v->kids[i], epath, &vals[i])) ok = 0;
    free(epath);
  }
  if (ok) memcpy(dst, vals, sizeof vals);
  return ok;
}

/* market.attributes: 1 to RELSIM_MAX_ATTRS distinct names; sets n_attrs. */
static int read_attr_names(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v,
                           const char *path) {
  struct relsim_params *p = r->p;
  size_t cap = sizeof p->attr_names[0] - 1;
  if (v->kind != YAML_TREE_SEQ || v->n < 1 || v->n > RELSIM_MAX_ATTRS) {
    if (v->kind == YAML_TREE_SEQ)
      bad_value(r, k, v, path, "%zu names given", v->n);
    else if (yaml_tree_is_null(v))
      bad_value(r, k, v, path, "no value given");
    else
      bad_value(r, k, v, path, "got %s", yaml_tree_shape(v));
    return 0;
  }
  int ok = 1;
  for (size_t i = 0; i < v->n; i++) {
    const struct yaml_tree *e = v->kids[i];
    char *epath = textbuf_aprintf("%s[%zu]", path, i);
    if (!epath) {
      r->pr->oom = 1;
      return 0;
    }
    int good = e->kind == YAML_TREE_SCALAR && !yaml_tree_is_null(e) && e->len > 0 && e->len <= cap &&
               strlen(e->text) == e->len;
    if (!good)
      problems_add(r->pr, e, epath, "%s; allowed: an attribute name of 1 to %zu bytes",
                   e->kind != YAML_TREE_SCALAR       ? "not a name"
                   : yaml_tree_is_null(e) || !e->len ? "no name given"
                                                     : "not a usable name",
                   cap);
    for (size_t j = 0; j < i && good; j++)
      if (v->kids[j]->kind == YAML_TREE_SCALAR && !strcmp(v->kids[j]->text, e->text)) {
        problems_add(r->pr, e, epath, "'%s' is listed twice; allowed: distinct attribute names", e->text);
        good = 0;
      }
    ok &= good;
    free(epath);
  }
  if (!ok) return 0;
  memset(p->attr_names, 0, sizeof p->attr_names);
  for (size_t i = 0; i < v->n; i++) memcpy(p->attr_names[i], v->kids[i]->text, v->kids[i]->len);
  p->n_attrs = (int)v->n;
  return 1;
}

int values_read(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, char *base,
                const char *path) {
  char *dst = base + k->offset;
  int64_t i64 = 0;
  uint64_t u64 = 0;
  double d = 0;
  int i = 0;
  switch (k->type) {
  case RELSIM_KEY_INT:
    if (!read_integer(r, k, v, path, &i64, NULL)) return 0;
    *(int *)(void *)dst = (int)i64;
    return 1;
  case RELSIM_KEY_INT64:
    if (!read_integer(r, k, v, path, &i64, NULL)) return 0;
    *(int64_t *)(void *)dst = i64;
    return 1;
  case RELSIM_KEY_UINT64:
    if (!read_integer(r, k, v, path, NULL, &u64)) return 0;
    *(uint64_t *)(void *)dst = u64;
    return 1;
  case RELSIM_KEY_REAL:
    if (!read_real(r, k, v, path, &d)) return 0;
    *(double *)(void *)dst = d;
    return 1;
  case RELSIM_KEY_BOOL:
    if (!read_bool(r, k, v, path, &i)) return 0;
    *(int *)(void *)dst = i;
    return 1;
  case RELSIM_KEY_ENUM:
    if (!values_read_name(r, k, v, path, &i)) return 0;
    *(int *)(void *)dst = i;
    return 1;
  case RELSIM_KEY_STRING: return read_text(r, k, v, path, dst);
  case RELSIM_KEY_ATTR_REALS: return read_reals(r, k, v, path, (double *)(void *)dst, (size_t)r->p->n_attrs, 1);
  case RELSIM_KEY_LEVEL_REALS: return read_reals(r, k, v, path, (double *)(void *)dst, RELSIM_LEVEL_COUNT, 0);
  case RELSIM_KEY_TIER_LEVELS: return read_tier_levels(r, k, v, path, (int *)(void *)dst);
  case RELSIM_KEY_ATTR_NAMES: return read_attr_names(r, k, v, path);
  }
  return 0;
}
