/*
 * Scenarios: a YAML file plus --set overrides -> struct relsim_params.
 *
 *   1. the file is read verbatim and parsed by libyaml into a small tree of
 *      mapping / sequence / scalar nodes, each with its 1-based line and
 *      column (or the --set override it came from);
 *   2. each override KEY=VALUE is parsed as a YAML value and put into the
 *      tree, replacing or adding the key;
 *   3. the tree is interpreted against the key tables of params_keys.c:
 *      market.attributes first, then each firm (strategy preset first, then
 *      its other keys), then the other sections; then params_finalize and
 *      params_check, whose key paths are mapped back to tree nodes.
 * Every problem is collected, sorted by position and printed as
 *   FILE:LINE:COLUMN: KEY: what is wrong; what is allowed
 * (or --set:N: KEY: ... for an override).
 */
#include "relsim/scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "overrides.h"
#include "problems.h"
#include "relsim/textbuf.h"
#include "suggest.h"
#include "values.h"
#include "yaml_tree.h"

struct loader {
  struct problems pr;
  struct values_reader rd; /* rd.p: the parameters being loaded */
  struct yaml_tree *root;
};

/* ------------------------------------------------------------------------
 * Interpretation
 * ------------------------------------------------------------------------ */

/* Is the j-th key of map usable (text, not a repeat)? Reports if not. */
static int key_ok(struct loader *ld, const struct yaml_tree *map, size_t j, const char *prefix) {
  const struct yaml_tree *k = yaml_tree_key(map, j);
  if (k->kind != YAML_TREE_SCALAR || yaml_tree_is_null(k)) {
    problems_add(&ld->pr, k, prefix, "%s as a key; allowed: a key name",
                 k->kind == YAML_TREE_SCALAR ? "no name" : yaml_tree_shape(k));
    return 0;
  }
  for (size_t i = 0; i < j; i++) {
    const struct yaml_tree *o = yaml_tree_key(map, i);
    if (o->kind == YAML_TREE_SCALAR && o->len == k->len && !memcmp(o->text, k->text, k->len)) {
      char *path = prefix ? textbuf_aprintf("%s.%s", prefix, k->text) : textbuf_aprintf("%s", k->text);
      char *at = problems_where(o);
      if (path && at)
        problems_add(&ld->pr, k, path, "duplicate key (first given at %s); allowed: each key once", at);
      else
        ld->pr.oom = 1;
      free(path);
      free(at);
      return 0;
    }
  }
  return 1;
}

/* Report unknown key path at k, with the best suggestion or else the allowed keys. */
static void unknown_key(struct loader *ld, const struct yaml_tree *k, const char *path, struct suggestion *s,
                        struct textbuf *allowed) {
  if (s->best)
    problems_add(&ld->pr, k, path, "unknown key; did you mean '%s'?", s->best);
  else
    problems_add(&ld->pr, k, path, "unknown key; allowed: %s", allowed->s ? allowed->s : "?");
  suggest_clean(s);
  textbuf_free(allowed);
}

/* An unknown key in section sec: its neighbours in sec, or the same key in another section. */
static void unknown_global(struct loader *ld, const struct yaml_tree *k, const char *sec, const char *path) {
  struct suggestion s;
  struct textbuf allowed = {0};
  suggest_init(&s, keys_leaf(path));
  keys_suggest_in_section(&s, sec);
  keys_list_section(&allowed, sec);
  unknown_key(ld, k, path, &s, &allowed);
}

/* An unknown top-level key: a misspelt section, or a key written without its section. */
static void unknown_top(struct loader *ld, const struct yaml_tree *k) {
  struct suggestion s;
  struct textbuf allowed = {0};
  suggest_init(&s, k->text);
  keys_suggest_top(&s);
  keys_list_top(&allowed);
  unknown_key(ld, k, k->text, &s, &allowed);
}

/* An unknown key in firm entry prefix ("firms.2"). */
static void unknown_firm_key(struct loader *ld, const struct yaml_tree *k, const char *prefix, const char *path) {
  struct suggestion s;
  struct textbuf allowed = {0};
  suggest_init(&s, k->text);
  keys_suggest_firm(&s, prefix);
  keys_list_firm(&allowed);
  unknown_key(ld, k, path, &s, &allowed);
}

/* Firm i: its strategy preset, its default name, then its other keys in file order.
 * *name_node: where its name was given (NULL: the default name). */
static void read_firm(struct loader *ld, const struct yaml_tree *entry, int i, const struct yaml_tree **name_node) {
  struct relsim_firm_params *f = &ld->rd.p->firms[i];
  char *prefix = textbuf_aprintf("firms.%d", i);
  int strategy = RELSIM_STRATEGY_TRANSACTIONAL;
  const struct yaml_tree *sv = yaml_tree_get(entry, "strategy"), *promise = NULL, *over = NULL;
  const struct relsim_key *sk = keys_find(relsim_firm_keys, relsim_n_firm_keys, "strategy");
  if (!prefix) {
    ld->pr.oom = 1;
    return;
  }
  if (sv) {
    char *path = textbuf_aprintf("%s.strategy", prefix);
    if (path) values_read_name(&ld->rd, sk, sv, path, &strategy);
    free(path);
  }
  params_firm_defaults(f, strategy, ld->rd.p->n_attrs);
  f->strategy = strategy;
  memset(f->name, 0, sizeof f->name);
  params_firm_default_name(f->name, sizeof f->name, i);
  *name_node = NULL;
  if (entry->kind != YAML_TREE_MAP) {
    problems_add(&ld->pr, entry, prefix,
                 "got %s; allowed: a mapping of firm keys, e.g. {name: Acme, strategy: relationship}",
                 yaml_tree_is_null(entry) ? "nothing" : yaml_tree_shape(entry));
    free(prefix);
    return;
  }
  for (size_t j = 0; j < yaml_tree_map_size(entry); j++) {
    if (!key_ok(ld, entry, j, prefix)) continue;
    const struct yaml_tree *k = yaml_tree_key(entry, j), *v = yaml_tree_value(entry, j);
    if (yaml_tree_key_is(k, "strategy")) continue;
    char *path = textbuf_aprintf("%s.%s", prefix, k->text);
    const struct relsim_key *key = keys_find(relsim_firm_keys, relsim_n_firm_keys, k->text);
    if (!path)
      ld->pr.oom = 1;
    else if (!key)
      unknown_firm_key(ld, k, prefix, path);
    else if (values_read(&ld->rd, key, v, (char *)f, path)) {
      if (yaml_tree_key_is(k, "name")) *name_node = v;
      if (yaml_tree_key_is(k, "promise")) promise = v;
      if (yaml_tree_key_is(k, "overpromise")) over = v;
    } else if (yaml_tree_key_is(k, "name")) {
      *name_node = v;
    }
    free(path);
  }
  if (promise) f->promise_set = 1;
  if (promise && over) {
    char *path = textbuf_aprintf("%s.promise", prefix), *at = problems_where(over);
    if (path && at)
      problems_add(&ld->pr, promise, path,
                   "given together with overpromise (at %s); allowed: either promise (absolute) or overpromise "
                   "(relative to quality), not both",
                   at);
    else
      ld->pr.oom = 1;
    free(path);
    free(at);
  }
  free(prefix);
}

/* The firms list (1 to RELSIM_MAX_FIRMS entries) and the uniqueness of names. */
static void read_firms(struct loader *ld, const struct yaml_tree *v) {
  static const char *allowed = "a list of 1 to 64 firms, each a mapping of firm keys";
  const struct yaml_tree *name_node[RELSIM_MAX_FIRMS];
  if (!v || yaml_tree_is_null(v) || (v->kind == YAML_TREE_SEQ && v->n == 0)) {
    problems_add(&ld->pr, v, "firms", "no firms given; allowed: %s", allowed);
    return;
  }
  if (v->kind != YAML_TREE_SEQ) {
    problems_add(&ld->pr, v, "firms", "got %s; allowed: %s", yaml_tree_shape(v), allowed);
    return;
  }
  if (v->n > RELSIM_MAX_FIRMS) problems_add(&ld->pr, v, "firms", "%zu firms given; allowed: %s", v->n, allowed);
  int n = v->n > RELSIM_MAX_FIRMS ? RELSIM_MAX_FIRMS : (int)v->n;
  for (int i = 0; i < n; i++) read_firm(ld, v->kids[i], i, &name_node[i]);
  ld->rd.p->n_firms = n;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      if (!strcmp(ld->rd.p->firms[i].name, ld->rd.p->firms[j].name)) {
        char *path = textbuf_aprintf("firms.%d.name", i);
        if (!path)
          ld->pr.oom = 1;
        else
          problems_add(&ld->pr, name_node[i] ? name_node[i] : v->kids[i], path,
                       "'%s' is already the name of firms.%d; allowed: a unique name per firm", ld->rd.p->firms[i].name,
                       j);
        free(path);
        break;
      }
}

/* Every key of one section mapping (market.attributes was read before the firms). */
static void read_section(struct loader *ld, const char *sec, const struct yaml_tree *map) {
  for (size_t j = 0; j < yaml_tree_map_size(map); j++) {
    if (!key_ok(ld, map, j, sec)) continue;
    const struct yaml_tree *k = yaml_tree_key(map, j);
    char *path = textbuf_aprintf("%s.%s", sec, k->text);
    if (!path) {
      ld->pr.oom = 1;
      continue;
    }
    const struct relsim_key *key = keys_find(relsim_global_keys, relsim_n_global_keys, path);
    if (!key)
      unknown_global(ld, k, sec, path);
    else if (key->type != RELSIM_KEY_ATTR_NAMES) /* market.attributes was read first */
      values_read(&ld->rd, key, yaml_tree_value(map, j), (char *)ld->rd.p, path);
    free(path);
  }
}

/* Returns 0 if the file is not a mapping (nothing else can be checked). */
static int interpret(struct loader *ld) {
  const struct yaml_tree *root = ld->root, *firms = NULL, *market = NULL;
  size_t n = yaml_tree_map_size(root);
  if (root && root->kind != YAML_TREE_MAP && !yaml_tree_is_null(root)) {
    problems_add(&ld->pr, root, NULL, "the scenario is %s; allowed: a mapping of sections (run:, market:, firms:, ...)",
                 yaml_tree_shape(root));
    return 0;
  }
  unsigned char *ok = calloc(n ? n : 1, 1);
  if (!ok) {
    ld->pr.oom = 1;
    return 0;
  }
  for (size_t j = 0; j < n; j++) {
    if (!(ok[j] = (unsigned char)key_ok(ld, root, j, NULL))) continue;
    const struct yaml_tree *k = yaml_tree_key(root, j), *v = yaml_tree_value(root, j);
    if (yaml_tree_key_is(k, "firms"))
      firms = v;
    else if (yaml_tree_key_is(k, "market"))
      market = v;
    if (!yaml_tree_key_is(k, "name") && !yaml_tree_key_is(k, "description") && !yaml_tree_key_is(k, "firms") &&
        !keys_is_section(k->text)) {
      unknown_top(ld, k);
      ok[j] = 0;
    }
  }
  ld->rd.attrs_ok = 1;
  const struct yaml_tree *attrs = yaml_tree_get(market, "attributes");
  if (attrs)
    ld->rd.attrs_ok = values_read(&ld->rd, keys_find(relsim_global_keys, relsim_n_global_keys, "market.attributes"),
                                  attrs, (char *)ld->rd.p, "market.attributes");
  read_firms(ld, firms);
  for (size_t j = 0; j < n; j++) {
    if (!ok[j]) continue;
    const struct yaml_tree *k = yaml_tree_key(root, j), *v = yaml_tree_value(root, j);
    if (yaml_tree_key_is(k, "firms")) continue;
    if (yaml_tree_key_is(k, "name")) {
      values_read(&ld->rd, keys_find(relsim_global_keys, relsim_n_global_keys, "name"), v, (char *)ld->rd.p, "name");
    } else if (yaml_tree_key_is(k, "description")) {
      if (v->kind != YAML_TREE_SCALAR)
        problems_add(&ld->pr, v, "description", "got %s; allowed: text", yaml_tree_shape(v));
    } else if (v->kind == YAML_TREE_MAP) {
      read_section(ld, k->text, v);
    } else if (!yaml_tree_is_null(v)) { /* an empty section is fine */
      problems_add(&ld->pr, v, k->text, "got %s; allowed: a mapping of %s keys", yaml_tree_shape(v), k->text);
    }
  }
  free(ok);
  return 1;
}

/* The node where key path (as reported by params_check) was set, else the
 * nearest enclosing entry or section; NULL: the start of the file. */
static const struct yaml_tree *locate(const struct loader *ld, const char *key) {
  const struct yaml_tree *root = ld->root;
  if (!root || root->kind != YAML_TREE_MAP) return NULL;
  if (!strncmp(key, "firms", 5) && (key[5] == '\0' || key[5] == '.')) {
    long j = yaml_tree_find(root, "firms");
    if (j < 0) return NULL;
    const struct yaml_tree *firms = yaml_tree_value(root, (size_t)j);
    char *end;
    if (key[5] == '\0' || firms->kind != YAML_TREE_SEQ) return firms;
    unsigned long i = strtoul(key + 6, &end, 10);
    if (end == key + 6 || i >= firms->n) return firms;
    const struct yaml_tree *entry = firms->kids[i];
    if (*end != '.') return entry;
    size_t len = strcspn(end + 1, "[");
    for (size_t m = 0; m < yaml_tree_map_size(entry); m++) {
      const struct yaml_tree *k = yaml_tree_key(entry, m);
      if (k->kind == YAML_TREE_SCALAR && k->len == len && !memcmp(k->text, end + 1, len))
        return yaml_tree_value(entry, m);
    }
    return entry;
  }
  size_t slen = strcspn(key, ".");
  for (size_t s = 0; s < yaml_tree_map_size(root); s++) {
    const struct yaml_tree *sk = yaml_tree_key(root, s), *sec = yaml_tree_value(root, s);
    if (sk->kind != YAML_TREE_SCALAR || sk->len != slen || memcmp(sk->text, key, slen)) continue;
    if (key[slen] == '.') {
      size_t len = strcspn(key + slen + 1, "[");
      for (size_t m = 0; m < yaml_tree_map_size(sec); m++) {
        const struct yaml_tree *k = yaml_tree_key(sec, m);
        if (k->kind == YAML_TREE_SCALAR && k->len == len && !memcmp(k->text, key + slen + 1, len))
          return yaml_tree_value(sec, m);
      }
    }
    return key[slen] == '.' ? sk : sec;
  }
  return NULL;
}

static void check_report(void *ctx, const char *key, const char *message) {
  struct loader *ld = ctx;
  if (problems_reported(&ld->pr, key)) return;
  problems_add(&ld->pr, locate(ld, key), key, "%s", message);
}

/* Read the whole file into a NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len, int *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    *err = errno;
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  *err = ENOMEM;
  while (buf) {
    if (n + 1 >= cap) {
      char *t = realloc(buf, 2 * cap);
      if (!t) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = t;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        *err = errno ? errno : EIO;
        free(buf);
        buf = NULL;
      }
      break;
    }
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

int scenario_load(struct relsim_scenario *sc, const char *path, const char *const *overrides, int n_overrides,
                  FILE *err) {
  memset(sc, 0, sizeof *sc);
  size_t plen = strlen(path), len = 0;
  memcpy(sc->path, path, plen < sizeof sc->path ? plen : sizeof sc->path - 1);
  int errnum = 0;
  errno = 0;
  if (!(sc->source = read_file(path, &len, &errnum))) {
    fprintf(err, "%s: cannot read the scenario file: %s\n", path, strerror(errnum));
    return -1;
  }
  struct loader ld = {.pr = {.path = path}, .rd = {.p = &sc->params}};
  ld.rd.pr = &ld.pr;
  params_defaults(&sc->params);
  if (problems_parse(&ld.pr, sc->source, len, 0, NULL, &ld.root)) {
    for (int i = 0; i < n_overrides; i++) overrides_apply(&ld.pr, &ld.root, i + 1, overrides[i]);
    if (!ld.pr.oom && interpret(&ld)) {
      params_finalize(&sc->params);
      params_check(&sc->params, check_report, &ld);
    }
  }
  int n = (int)problems_print(&ld.pr, err);
  if (!n && !ld.pr.oom && !(sc->resolved = scenario_resolved_yaml(&sc->params))) ld.pr.oom = 1;
  if (ld.pr.oom) {
    fprintf(err, "%s: out of memory while loading the scenario\n", path);
    n++;
  }
  problems_clean(&ld.pr);
  yaml_tree_free(ld.root);
  if (n) { /* nothing to use: release everything, scenario_clean stays safe */
    free(sc->source);
    sc->source = NULL;
  }
  return n;
}

void scenario_clean(struct relsim_scenario *sc) {
  free(sc->source);
  free(sc->resolved);
  memset(sc, 0, sizeof *sc);
}

/* ------------------------------------------------------------------------
 * Resolved YAML and the key reference
 * ------------------------------------------------------------------------ */

static void emit_text(struct textbuf *b, const char *s) {
  textbuf_puts(b, "\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      textbuf_printf(b, "\\%c", c);
    else if (c < 0x20 || c == 0x7F)
      textbuf_printf(b, "\\x%02X", c);
    else
      textbuf_add(b, s, 1);
  }
  textbuf_puts(b, "\"");
}

static void emit_real(struct textbuf *b, double v) {
  char t[TEXTBUF_REAL_SIZE];
  textbuf_real(t, v);
  textbuf_puts(b, t);
}

static void emit_reals(struct textbuf *b, const double *v, int n) {
  textbuf_puts(b, "[");
  for (int i = 0; i < n; i++) {
    if (i) textbuf_puts(b, ", ");
    emit_real(b, v[i]);
  }
  textbuf_puts(b, "]");
}

static void emit_name(struct textbuf *b, const char *const *names, int i) {
  int n = 0;
  while (names[n]) n++;
  if (i >= 0 && i < n)
    textbuf_puts(b, names[i]);
  else
    textbuf_printf(b, "%d", i);
}

/* The value of key k in the struct at base, in scenario syntax. */
static void emit_value(struct textbuf *b, const struct relsim_key *k, const char *base, const struct relsim_params *p) {
  const void *src = base + k->offset;
  switch (k->type) {
  case RELSIM_KEY_INT: textbuf_printf(b, "%d", *(const int *)src); break;
  case RELSIM_KEY_INT64: textbuf_printf(b, "%" PRId64, *(const int64_t *)src); break;
  case RELSIM_KEY_UINT64: textbuf_printf(b, "%" PRIu64, *(const uint64_t *)src); break;
  case RELSIM_KEY_REAL: emit_real(b, *(const double *)src); break;
  case RELSIM_KEY_BOOL: textbuf_puts(b, *(const int *)src ? "true" : "false"); break;
  case RELSIM_KEY_ENUM: emit_name(b, k->choices, *(const int *)src); break;
  case RELSIM_KEY_STRING: emit_text(b, src); break;
  case RELSIM_KEY_ATTR_REALS: emit_reals(b, src, p->n_attrs); break;
  case RELSIM_KEY_LEVEL_REALS: emit_reals(b, src, RELSIM_LEVEL_COUNT); break;
  case RELSIM_KEY_TIER_LEVELS: {
    const int *lv = src;
    int same = 1;
    for (int t = 1; t < RELSIM_TIER_COUNT; t++) same &= lv[t] == lv[0];
    if (!same) textbuf_puts(b, "[");
    for (int t = 0; t < (same ? 1 : RELSIM_TIER_COUNT); t++) {
      if (t) textbuf_puts(b, ", ");
      emit_name(b, k->choices, lv[t]);
    }
    if (!same) textbuf_puts(b, "]");
    break;
  }
  case RELSIM_KEY_ATTR_NAMES:
    textbuf_puts(b, "[");
    for (int a = 0; a < p->n_attrs; a++) {
      if (a) textbuf_puts(b, ", ");
      emit_text(b, p->attr_names[a]);
    }
    textbuf_puts(b, "]");
    break;
  }
}

char *scenario_resolved_yaml(const struct relsim_params *p) {
  struct textbuf b = {0};
  textbuf_puts(&b, "# Every parameter of the run, in the relsim scenario format (load it back with relsim run).\n");
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const struct relsim_key *k = &relsim_global_keys[i];
    size_t n = keys_section_len(k->path);
    if (keys_first_in_section(i)) textbuf_printf(&b, "%.*s:\n", (int)n, k->path);
    textbuf_printf(&b, "%s%s: ", n ? "  " : "", keys_leaf(k->path));
    emit_value(&b, k, (const char *)p, p);
    textbuf_puts(&b, "\n");
  }
  textbuf_puts(&b, "firms:\n");
  for (int i = 0; i < p->n_firms; i++) {
    const struct relsim_firm_params *f = &p->firms[i];
    for (size_t j = 0; j < relsim_n_firm_keys; j++) {
      const struct relsim_key *k = &relsim_firm_keys[j];
      int is_promise = !strcmp(k->path, "promise"), is_over = !strcmp(k->path, "overpromise");
      int comment = (is_promise && !f->promise_set) || (is_over && f->promise_set);
      textbuf_printf(&b, "%s%s%s: ", j ? "    " : "  - ", comment ? "# " : "", k->path);
      emit_value(&b, k, (const char *)f, p);
      if (comment)
        textbuf_puts(&b, is_promise ? "  (derived: quality + overpromise)" : "  (not used: promise is given)");
      textbuf_puts(&b, "\n");
    }
  }
  return textbuf_take(&b);
}

static const char *type_name(enum relsim_key_type t) {
  switch (t) {
  case RELSIM_KEY_INT:
  case RELSIM_KEY_INT64:
  case RELSIM_KEY_UINT64: return "integer";
  case RELSIM_KEY_REAL: return "number";
  case RELSIM_KEY_BOOL: return "boolean";
  case RELSIM_KEY_ENUM: return "name";
  case RELSIM_KEY_STRING: return "text";
  case RELSIM_KEY_ATTR_REALS: return "per-attribute numbers";
  case RELSIM_KEY_ATTR_NAMES: return "list of names";
  case RELSIM_KEY_LEVEL_REALS: return "per-level numbers";
  case RELSIM_KEY_TIER_LEVELS: return "per-tier levels";
  }
  return "?";
}

/* One Markdown table row; extra: the presets column of firm keys (NULL: none). */
static void reference_row(struct textbuf *b, const struct relsim_key *k, const char *path, const char *dflt,
                          const char *extra) {
  char *allowed = keys_allowed(k, NULL);
  textbuf_printf(b, "| `%s` | %s | %s | %s |", path, type_name(k->type), k->unit, dflt);
  if (extra) textbuf_printf(b, " %s |", extra);
  textbuf_printf(b, " %s | %s |\n", allowed ? allowed : "?", k->doc);
  free(allowed);
}

/* A value for the reference, in backticks; per-attribute values as one number when all agree. */
static char *value_text(const struct relsim_key *k, const char *base, const struct relsim_params *p) {
  struct textbuf b = {0};
  textbuf_puts(&b, "`");
  if (k->type == RELSIM_KEY_ATTR_REALS) { /* one number when all attributes agree */
    const double *v = (const double *)(const void *)(base + k->offset);
    int same = 1;
    for (int a = 1; a < p->n_attrs; a++) same &= v[a] == v[0];
    if (same)
      emit_real(&b, v[0]);
    else
      emit_reals(&b, v, p->n_attrs);
  } else {
    emit_value(&b, k, base, p);
  }
  textbuf_puts(&b, "`");
  return textbuf_take(&b);
}

void scenario_print_reference(FILE *out) {
  struct relsim_params p;
  struct relsim_firm_params presets[RELSIM_STRATEGY_COUNT];
  struct textbuf b = {0};
  params_defaults(&p);
  for (int s = 0; s < RELSIM_STRATEGY_COUNT; s++) params_firm_defaults(&presets[s], s, p.n_attrs);

  textbuf_puts(&b, "# Scenario key reference\n\n"
                   "Generated by `relsim help keys` from the key tables in `src/params_keys.c`: do not edit by hand.\n"
                   "How scenario files are written (sections, firms and strategy presets, per-attribute values,\n"
                   "`--set` overrides, error messages) is explained in [scenarios.md](scenarios.md).\n\n"
                   "Types: *integer*; *number* (a real); *boolean* (`true` or `false`); *name* (one of the names\n"
                   "listed under allowed); *text* (UTF-8); *per-attribute numbers* (one number for every\n"
                   "attribute, or a list with one number per entry of `market.attributes`); *per-level numbers*\n"
                   "(a list of 5 numbers for the levels basic, reactive, accountable, proactive, partnership);\n"
                   "*per-tier levels* (one level for all value tiers, or a list of 3 for tiers A, B, C).\n\n"
                   "## Top level\n\n"
                   "| key | type | unit | default | allowed | description |\n|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const struct relsim_key *k = &relsim_global_keys[i];
    size_t n = keys_section_len(k->path);
    if (n && (i == 0 || keys_section_len(relsim_global_keys[i - 1].path) == 0)) {
      textbuf_puts(
          &b, "| `description` | text | text | none | any text | what the scenario is for (not used by the model) |\n"
              "| `firms` | list | firms | none | a list of 1 to 64 firms | the firms; their keys are listed under "
              "Firms below |\n");
    }
    if (keys_first_in_section(i))
      textbuf_printf(
          &b, "\n## %.*s\n\n| key | type | unit | default | allowed | description |\n|---|---|---|---|---|---|\n",
          (int)n, k->path);
    char *dflt = value_text(k, (const char *)&p, &p);
    reference_row(&b, k, k->path, dflt ? dflt : "?", NULL);
    free(dflt);
  }
  textbuf_puts(&b,
               "\n## Firms\n\n"
               "Keys of each entry of the `firms:` list (`firms.<index or name>.<key>` in `--set`). The `strategy`\n"
               "preset is loaded first, whatever its position in the entry; the entry's other keys override it.\n"
               "*default* is the value with no `strategy` key (the transactional preset); *presets* lists the\n"
               "presets whose value differs from it.\n\n"
               "| key | type | unit | default | presets | allowed | description |\n|---|---|---|---|---|---|---|\n");
  for (size_t j = 0; j < relsim_n_firm_keys; j++) {
    const struct relsim_key *k = &relsim_firm_keys[j];
    struct textbuf extra = {0};
    char *dflt;
    if (!strcmp(k->path, "name")) {
      dflt = textbuf_aprintf("`Firm <n>`");
    } else if (!strcmp(k->path, "promise")) {
      dflt = textbuf_aprintf("quality + overpromise");
    } else {
      dflt = value_text(k, (const char *)&presets[0], &p);
      for (int s = 1; s < RELSIM_STRATEGY_COUNT && strcmp(k->path, "strategy"); s++) {
        char *v = value_text(k, (const char *)&presets[s], &p);
        if (v && dflt && strcmp(v, dflt))
          textbuf_printf(&extra, "%s%s: %s", extra.len ? "; " : "", relsim_strategy_names[s], v);
        free(v);
      }
    }
    reference_row(&b, k, k->path, dflt ? dflt : "?", extra.s ? extra.s : "");
    free(dflt);
    textbuf_free(&extra);
  }
  if (b.s)
    fputs(b.s, out);
  else
    fputs("relsim: out of memory\n", out);
  free(b.s);
}
