/*
 * Scenarios: a YAML file plus --set overrides -> struct relsim_params.
 *
 *   1. the file is read verbatim (at most RELSIM_SCENARIO_MAX_BYTES; UTF-16
 *      and UTF-32 are refused) and parsed into a tree of mappings,
 *      sequences and scalars with their positions (yaml_tree.c);
 *   2. each override KEY=VALUE is written into the tree (overrides.c);
 *   3. here the tree is interpreted against the key tables of params_keys.c:
 *      market.attributes first, then each firm (strategy preset first, then
 *      its other keys), then the other sections, each value read by its
 *      type (values.c); then params_finalize and params_check, whose key
 *      paths are mapped back to tree nodes; then the events: list
 *      (scenario_events.c).
 * Every problem is collected (problems.c), sorted by position and printed as
 *   FILE:LINE:COLUMN: KEY: what is wrong; what is allowed
 * (or --set:N: KEY: ... for an override). The resolved YAML and the key
 * reference are in scenario_reference.c.
 */
#include "relsim/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fullwidth.h"
#include "keys.h"
#include "overrides.h"
#include "problems.h"
#include "relsim/textbuf.h"
#include "relsim/util.h"
#include "scenario_events.h"
#include "suggest.h"
#include "values.h"
#include "yaml_tree.h"

struct loader {
  struct problems pr;
  struct values_reader rd; /* rd.p: the parameters being loaded */
  struct yaml_tree *root;
  const struct yaml_tree *dup_map; /* the mapping first_key is for */
  size_t *first_key;               /* per key of dup_map: the index of the first key equal to it */
  size_t cap_first;
};

/* ------------------------------------------------------------------------
 * Interpretation
 * ------------------------------------------------------------------------ */

/* A key of a mapping and its index, sorted to find repeated keys. */
struct key_at {
  const struct yaml_tree *k;
  size_t j;
};

static int key_at_cmp(const void *a, const void *b) {
  const struct key_at *x = a, *y = b;
  int c = x->k->len < y->k->len ? -1 : x->k->len > y->k->len;
  if (!c) c = memcmp(x->k->text, y->k->text, x->k->len);
  return c ? c : x->j < y->j ? -1 : x->j > y->j;
}

/* The first key equal to each key of map, by sorting: a mapping may hold
 * tens of thousands of keys within the size limit of a file, too many to
 * compare each with those before it. 0, or -1 if memory runs out. */
static int find_repeats(struct loader *ld, const struct yaml_tree *map) {
  size_t n = yaml_tree_map_size(map);
  struct key_at *keys = malloc((n ? n : 1) * sizeof *keys);
  if (!keys || util_grow(&ld->first_key, &ld->cap_first, n ? n : 1, sizeof *ld->first_key, 16)) {
    free(keys);
    return -1;
  }
  size_t m = 0;
  for (size_t j = 0; j < n; j++) {
    const struct yaml_tree *k = yaml_tree_key(map, j);
    ld->first_key[j] = j;
    if (k->kind == YAML_TREE_SCALAR) keys[m++] = (struct key_at){k, j};
  }
  qsort(keys, m, sizeof *keys, key_at_cmp);
  for (size_t i = 1; i < m; i++)
    if (keys[i].k->len == keys[i - 1].k->len && !memcmp(keys[i].k->text, keys[i - 1].k->text, keys[i].k->len))
      ld->first_key[keys[i].j] = ld->first_key[keys[i - 1].j];
  free(keys);
  ld->dup_map = map;
  return 0;
}

/* Is the j-th key of map usable (a name, without a full-width colon or
 * space, not a repeat)? Reports if not. */
static int key_ok(struct loader *ld, const struct yaml_tree *map, size_t j, const char *prefix) {
  const struct yaml_tree *k = yaml_tree_key(map, j), *first = NULL;
  if (k->kind != YAML_TREE_SCALAR || yaml_tree_is_null(k)) {
    problems_add(&ld->pr, k, prefix, "%s as a key; allowed: a key name",
                 k->kind == YAML_TREE_SCALAR ? "no name" : yaml_tree_shape(k));
    return 0;
  }
  if (ld->dup_map != map && find_repeats(ld, map)) {
    ld->pr.oom = 1;
    return 0;
  }
  if (ld->first_key[j] != j) first = yaml_tree_key(map, ld->first_key[j]);
  size_t at;
  int fullwidth = !k->is_text && fullwidth_find(k->text, k->len, &at);
  if (!first && !fullwidth) return 1;
  char *path = prefix ? textbuf_aprintf("%s.%s", prefix, k->text) : textbuf_aprintf("%s", k->text);
  char *where = first ? problems_where(first) : NULL;
  if (!path || (first && !where))
    ld->pr.oom = 1;
  else if (fullwidth)
    problems_fullwidth(&ld->pr, k, path);
  else
    problems_add(&ld->pr, k, path, "duplicate key (first given at %s); allowed: each key once", where);
  free(path);
  free(where);
  return 0;
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
  static const char *const experiment_keys[] = {"scenario", "factors", "design", "replications", "measures", NULL};
  for (int i = 0; experiment_keys[i]; i++)
    if (yaml_tree_key_is(k, experiment_keys[i])) { /* an experiment file given where a scenario goes */
      problems_add(&ld->pr, k, k->text, "a key of an experiment file, not of a scenario; run an experiment with "
                                        "`relsim experiment FILE` (check it with --dry-run)");
      return;
    }
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

/* Firm i: its strategy preset, its default name, then its other keys in file order. */
static void read_firm(struct loader *ld, const struct yaml_tree *entry, int i) {
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
  if (entry->kind != YAML_TREE_MAP) {
    if (!problems_fullwidth(&ld->pr, entry, prefix))
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
      if (yaml_tree_key_is(k, "promise")) promise = v;
      if (yaml_tree_key_is(k, "overpromise")) over = v;
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

/* The firms list (1 to RELSIM_MAX_FIRMS entries); params_check sees that names are unique. */
static void read_firms(struct loader *ld, const struct yaml_tree *v) {
  static const char *allowed = "a list of 1 to " UTIL_STR(RELSIM_MAX_FIRMS) " firms, each a mapping of firm keys";
  if (!v || yaml_tree_is_null(v) || (v->kind == YAML_TREE_SEQ && v->n == 0)) {
    problems_add(&ld->pr, v, "firms", "no firms given; allowed: %s", allowed);
    return;
  }
  if (v->kind != YAML_TREE_SEQ) {
    if (!problems_fullwidth(&ld->pr, v, "firms"))
      problems_add(&ld->pr, v, "firms", "got %s; allowed: %s", yaml_tree_shape(v), allowed);
    return;
  }
  if (v->n > RELSIM_MAX_FIRMS) problems_add(&ld->pr, v, "firms", "%zu firms given; allowed: %s", v->n, allowed);
  int n = v->n > RELSIM_MAX_FIRMS ? RELSIM_MAX_FIRMS : (int)v->n;
  for (int i = 0; i < n; i++) read_firm(ld, v->kids[i], i);
  ld->rd.p->n_firms = n;
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
    if (!problems_fullwidth(&ld->pr, root, NULL))
      problems_add(&ld->pr, root, NULL,
                   "the scenario is %s; allowed: a mapping of sections (run:, market:, firms:, ...)",
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
        !yaml_tree_key_is(k, "events") && !keys_is_section(k->text)) {
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
    if (yaml_tree_key_is(k, "firms") || yaml_tree_key_is(k, "events")) continue; /* events: read last */
    if (yaml_tree_key_is(k, "name")) {
      values_read(&ld->rd, keys_find(relsim_global_keys, relsim_n_global_keys, "name"), v, (char *)ld->rd.p, "name");
    } else if (yaml_tree_key_is(k, "description")) {
      if (v->kind != YAML_TREE_SCALAR)
        problems_add(&ld->pr, v, "description", "got %s; allowed: text", yaml_tree_shape(v));
    } else if (v->kind == YAML_TREE_MAP) {
      read_section(ld, k->text, v);
    } else if (!yaml_tree_is_null(v) && !problems_fullwidth(&ld->pr, v, k->text)) { /* an empty section is fine */
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

/* Read the file into a NUL-terminated buffer (malloc'd), but no more than
 * limit + 1 bytes: *len > limit says that it is too large (and /dev/zero
 * ends). NULL with *err set if it cannot be opened or read or memory runs
 * out. */
char *scenario_read_file(const char *path, size_t limit, size_t *len, int *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    *err = errno;
    return NULL;
  }
  char *buf = NULL;
  size_t cap = 0, n = 0;
  while (n <= limit) {
    if (util_grow(&buf, &cap, n + 2, 1, 4096)) { /* room for one more byte and the NUL */
      *err = ENOMEM;
      free(buf);
      buf = NULL;
      break;
    }
    size_t want = cap - n - 1;
    if (want > limit + 1 - n) want = limit + 1 - n;
    size_t got = fread(buf + n, 1, want, f);
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

/* A text in another encoding than UTF-8, by its first bytes (YAML 1.2
 * §5.2): its name and how it shows, or NULL for UTF-8. */
static const char *other_encoding(const unsigned char *t, size_t len, const char **how) {
  static const struct {
    const char *bytes;
    size_t n;
    const char *name, *how;
  } table[] = {
      {"\x00\x00\xFE\xFF", 4, "UTF-32BE", "it starts with the byte-order mark 00 00 FE FF"},
      {"\xFF\xFE\x00\x00", 4, "UTF-32LE", "it starts with the byte-order mark FF FE 00 00"},
      {"\xFE\xFF", 2, "UTF-16BE", "it starts with the byte-order mark FE FF"},
      {"\xFF\xFE", 2, "UTF-16LE", "it starts with the byte-order mark FF FE"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (len >= table[i].n && !memcmp(t, table[i].bytes, table[i].n)) {
      *how = table[i].how;
      return table[i].name;
    }
  /* Without a mark: an ASCII first character padded with zero bytes. */
  static const char *zeros[] = {"no byte-order mark, but three zero bytes before its first character",
                                 "no byte-order mark, but three zero bytes after its first character",
                                 "no byte-order mark, but a zero byte before its first character",
                                 "no byte-order mark, but a zero byte after its first character"};
  if (len >= 4 && !t[0] && !t[1] && !t[2] && t[3]) return *how = zeros[0], "UTF-32BE";
  if (len >= 4 && t[0] && !t[1] && !t[2] && !t[3]) return *how = zeros[1], "UTF-32LE";
  if (len >= 2 && !t[0] && t[1]) return *how = zeros[2], "UTF-16BE";
  if (len >= 2 && t[0] && !t[1]) return *how = zeros[3], "UTF-16LE";
  return NULL;
}

/* Is the text one a scenario can be: at most RELSIM_SCENARIO_MAX_BYTES
 * bytes, UTF-8? Reports if not. A UTF-16 or UTF-32 file is refused, not
 * converted: the output keeps the scenario verbatim as UTF-8 text, and
 * every position and every check of the loader reads UTF-8. */
static int text_usable(struct problems *pr, const char *text, size_t len) {
  const char *how = NULL, *enc;
  if (len > RELSIM_SCENARIO_MAX_BYTES) {
    int line, col;
    yaml_tree_position(text, len, RELSIM_SCENARIO_MAX_BYTES, &line, &col);
    problems_add_at(pr, 0, line, col, NULL,
                    "the file goes on past %d bytes here; allowed: a scenario file of at most %d bytes (1 MiB)",
                    RELSIM_SCENARIO_MAX_BYTES, RELSIM_SCENARIO_MAX_BYTES);
    return 0;
  }
  if ((enc = other_encoding((const unsigned char *)text, len, &how))) {
    problems_add_at(pr, 0, 1, 1, NULL, "the file is %s text (%s); allowed: UTF-8 text (save the file as UTF-8)", enc,
                    how);
    return 0;
  }
  return 1;
}

int scenario_load(struct relsim_scenario *sc, const char *path, const char *const *overrides, int n_overrides,
                  FILE *err) {
  struct scenario_load_options opt = {.overrides = overrides, .n_overrides = n_overrides};
  return scenario_load_with(sc, path, &opt, err);
}

int scenario_load_with(struct relsim_scenario *sc, const char *path, const struct scenario_load_options *opt,
                       FILE *err) {
  memset(sc, 0, sizeof *sc);
  size_t plen = strlen(path), len = opt->text_len;
  memcpy(sc->path, path, plen < sizeof sc->path ? plen : sizeof sc->path - 1);
  int errnum = 0;
  errno = 0;
  if (opt->text) {
    if (!(sc->source = textbuf_copy(opt->text, len))) errnum = ENOMEM;
  } else {
    sc->source = scenario_read_file(path, RELSIM_SCENARIO_MAX_BYTES, &len, &errnum);
  }
  if (!sc->source) {
    fprintf(err, "%s: cannot read the scenario file: %s\n", path, strerror(errnum));
    return errnum == ENOMEM ? SCENARIO_OUT_OF_MEMORY : -1;
  }
  struct loader ld = {.pr = {.path = path}, .rd = {.p = &sc->params}};
  ld.pr.text = sc->source;
  ld.pr.text_len = len;
  ld.pr.origin_names = opt->override_names;
  ld.pr.n_origin_names = opt->override_names ? opt->n_overrides : 0;
  ld.rd.pr = &ld.pr;
  params_defaults(&sc->params);
  int usable;
  if (opt->tree) {
    usable = !(ld.root = yaml_tree_copy(opt->tree)) ? (ld.pr.oom = 1, 0) : 1;
  } else {
    usable = text_usable(&ld.pr, sc->source, len) && problems_parse(&ld.pr, sc->source, len, 0, NULL, &ld.root);
  }
  if (usable) {
    for (int i = 0; i < opt->n_overrides; i++) overrides_apply(&ld.pr, &ld.root, i + 1, opt->overrides[i]);
    if (!ld.pr.oom && interpret(&ld)) {
      params_finalize(&sc->params);
      int base_ok = params_check(&sc->params, check_report, &ld) == 0 && ld.pr.n == 0;
      scenario_events_read(&ld.rd, yaml_tree_get(ld.root, "events"),
                           yaml_tree_get(yaml_tree_get(ld.root, "run"), "periods"), base_ok, &sc->events);
    }
  }
  int n = (int)problems_print(&ld.pr, err);
  if (!n && !ld.pr.oom && !(sc->resolved = scenario_resolved_yaml_events(&sc->params, &sc->events))) ld.pr.oom = 1;
  if (ld.pr.oom) {
    fprintf(err, "%s: out of memory while loading the scenario\n", path);
    n++;
  }
  int oom = ld.pr.oom;
  problems_clean(&ld.pr);
  yaml_tree_free(ld.root);
  free(ld.first_key);
  if (oom) n = SCENARIO_OUT_OF_MEMORY; /* not a problem of the scenario */
  if (n) { /* nothing to use: release everything, scenario_clean stays safe */
    free(sc->source);
    sc->source = NULL;
    events_free(&sc->events);
  }
  return n;
}

void scenario_clean(struct relsim_scenario *sc) {
  free(sc->source);
  free(sc->resolved);
  events_free(&sc->events);
  memset(sc, 0, sizeof *sc);
}

const struct relsim_key *scenario_key_of(const char *path) {
  if (strncmp(path, "firms.", 6) != 0) return keys_find(relsim_global_keys, relsim_n_global_keys, path);
  const char *dot = strrchr(path + 6, '.'); /* firms.<index or name>.<key>: firm names may hold dots */
  if (!dot || dot == path + 6) return NULL;
  return keys_find(relsim_firm_keys, relsim_n_firm_keys, dot + 1);
}
