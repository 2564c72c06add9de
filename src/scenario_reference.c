/*
 * The reference output of the scenario format, both generated from the key
 * tables of params_keys.c: every parameter of a run as YAML in the scenario
 * format (recorded in each output file and loadable again), and the
 * Markdown key reference printed by `relsim help keys` (docs/scenario-keys.md).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "relsim/events.h"
#include "relsim/params.h"
#include "relsim/scenario.h"
#include "relsim/textbuf.h"
#include "relsim/util.h"
#include "scenario_events.h"
#include "suggest.h"

/* ------------------------------------------------------------------------
 * Values in scenario syntax
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

/* ------------------------------------------------------------------------
 * Resolved YAML
 * ------------------------------------------------------------------------ */

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

/* The value of change c (its key's type) in scenario syntax: its bytes put
 * back into a struct of the key's kind (tmp, as large as struct relsim_params). */
static void emit_change(struct textbuf *b, const struct relsim_event_change *c, const struct relsim_params *p,
                        char *tmp) {
  memcpy(tmp + c->offset, c->value, c->size);
  emit_value(b, c->key, tmp, p);
}

/* The events: list, in the form scenario_events.c reads: the strategy's
 * implied values are not written (the strategy key loads them again), and
 * set keys are full paths (firms.<index>.<key>). */
static void resolved_events(struct textbuf *b, const struct relsim_params *p, const struct relsim_schedule *s) {
  if (!s || s->n_events == 0) return;
  char *tmp = calloc(1, sizeof(struct relsim_params));
  if (!tmp) {
    b->oom = 1;
    return;
  }
  textbuf_puts(b, "events:\n");
  for (int e = 0; e < s->n_events; e++) {
    const struct relsim_event *ev = &s->events[e];
    int explicit = 0;
    textbuf_printf(b, "  - period: %d\n", ev->period);
    if (ev->firm >= 0) textbuf_printf(b, "    firm: %d\n", ev->firm);
    if (ev->enter) textbuf_puts(b, "    enter: true\n");
    if (ev->leave) textbuf_puts(b, "    leave: true\n");
    if (ev->strategy >= 0) {
      textbuf_puts(b, "    strategy: ");
      emit_name(b, relsim_strategy_names, ev->strategy);
      textbuf_puts(b, "\n");
    }
    for (int j = ev->first; j < ev->first + ev->n; j++) {
      const struct relsim_event_change *c = &s->changes[j];
      if (c->implied) continue;
      if (!explicit++) textbuf_puts(b, "    set:\n");
      if (c->firm >= 0)
        textbuf_printf(b, "      firms.%d.%s: ", c->firm, c->key->path);
      else
        textbuf_printf(b, "      %s: ", c->key->path);
      emit_change(b, c, p, tmp);
      textbuf_puts(b, "\n");
    }
  }
  free(tmp);
}

char *scenario_resolved_yaml_events(const struct relsim_params *p, const struct relsim_schedule *events) {
  char *text = scenario_resolved_yaml(p);
  if (!text || !events || events->n_events == 0) return text;
  struct textbuf b = {0};
  textbuf_puts(&b, text);
  free(text);
  resolved_events(&b, p, events);
  return textbuf_take(&b);
}

/* ------------------------------------------------------------------------
 * The key reference
 * ------------------------------------------------------------------------ */

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

#define GLOBAL_HEADER "| key | type | unit | default | allowed | description |\n|---|---|---|---|---|---|\n"
#define FIRM_HEADER "| key | type | unit | default | presets | allowed | description |\n|---|---|---|---|---|---|---|\n"
#define DESCRIPTION_ROW                                                                                                \
  "| `description` | text | text | none | any text | what the scenario is for (not used by the model) |\n"
#define FIRMS_ROW                                                                                                      \
  "| `firms` | list | firms | none | a list of 1 to " UTIL_STR(RELSIM_MAX_FIRMS) " firms | the firms; their keys are listed under Firms below |\n"

#define EVENTS_ROW                                                                                                     \
  "| `events` | list | events | none | a list of events | changes at given periods; their keys are listed under Events below |\n"

/* The keys of an entry of the events: list. */
static void events_block(struct textbuf *b) {
  struct textbuf globals = {0}, presets = {0};
  scenario_events_list_globals(&globals);
  scenario_events_list_preset_keys(&presets);
  textbuf_printf(
      b,
      "| key | type | allowed | description |\n|---|---|---|---|\n"
      "| `period` | integer | from 0 to `run.periods` - 1 | required: the period at whose start the event happens "
      "(before the budgets); events of one period happen in file order |\n"
      "| `firm` | index or name | a firm's 0-based index (a number) or its name | the firm that enters, leaves or "
      "changes strategy, and whose keys `set` may name without `firms.<index or name>.` |\n"
      "| `enter` | boolean | `true` | the firm enters the market; it is out of it before (no budget, no costs, "
      "not advertised, chosen or found by search); once per firm |\n"
      "| `leave` | boolean | `true` | the firm leaves the market: no customer can buy from it again; once per "
      "firm, after its entry |\n"
      "| `strategy` | name | one of transactional, relationship, discounter, lock_in | loads the preset's values "
      "of the keys on which the presets differ (%s) over the firm's, before `set` |\n"
      "| `set` | mapping | keys and values | new values: any firm key but `name` and `strategy` "
      "(`firms.<index or name>.KEY`, or `KEY` for the event's firm), or %s; each checked as in the firm's entry "
      "or section |\n",
      presets.s ? presets.s : "", globals.s ? globals.s : "");
  textbuf_free(&globals);
  textbuf_free(&presets);
}

/* The defaults the reference shows: the global ones and each strategy preset. */
struct reference {
  struct relsim_params p;
  struct relsim_firm_params presets[RELSIM_STRATEGY_COUNT];
};

static void reference_init(struct reference *r) {
  params_defaults(&r->p);
  for (int s = 0; s < RELSIM_STRATEGY_COUNT; s++) params_firm_defaults(&r->presets[s], s, r->p.n_attrs);
}

/* The row of global key k. */
static void global_row(struct textbuf *b, const struct reference *r, const struct relsim_key *k) {
  char *dflt = value_text(k, (const char *)&r->p, &r->p);
  reference_row(b, k, k->path, dflt ? dflt : "?", NULL);
  free(dflt);
}

/* The row of firm key k: its default (the transactional preset) and the presets that differ. */
static void firm_row(struct textbuf *b, const struct reference *r, const struct relsim_key *k) {
  struct textbuf extra = {0};
  char *dflt;
  if (!strcmp(k->path, "name")) {
    dflt = textbuf_aprintf("`Firm <n>`");
  } else if (!strcmp(k->path, "promise")) {
    dflt = textbuf_aprintf("quality + overpromise");
  } else {
    dflt = value_text(k, (const char *)&r->presets[0], &r->p);
    for (int s = 1; s < RELSIM_STRATEGY_COUNT && strcmp(k->path, "strategy"); s++) {
      char *v = value_text(k, (const char *)&r->presets[s], &r->p);
      if (v && dflt && strcmp(v, dflt))
        textbuf_printf(&extra, "%s%s: %s", extra.len ? "; " : "", relsim_strategy_names[s], v);
      free(v);
    }
  }
  reference_row(b, k, k->path, dflt ? dflt : "?", extra.s ? extra.s : "");
  free(dflt);
  textbuf_free(&extra);
}

/* Print b to out (or that memory ran out) and release it. */
static void print_text(FILE *out, struct textbuf *b) {
  if (b->s && !b->oom)
    fputs(b->s, out);
  else
    fputs("relsim: out of memory\n", out);
  textbuf_free(b);
}

void scenario_print_reference(FILE *out) {
  struct reference r;
  struct textbuf b = {0};
  reference_init(&r);
  textbuf_puts(&b, "# Scenario key reference\n\n"
                   "Generated by `relsim help keys` from the key tables in `src/params_keys.c`: do not edit by hand.\n"
                   "How scenario files are written (sections, firms and strategy presets, per-attribute values,\n"
                   "`--set` overrides, error messages) is explained in [scenarios.md](scenarios.md).\n\n"
                   "Types: *integer*; *number* (a real); *boolean* (`true` or `false`); *name* (one of the names\n"
                   "listed under allowed); *text* (UTF-8); *per-attribute numbers* (one number for every\n"
                   "attribute, or a list with one number per entry of `market.attributes`); *per-level numbers*\n"
                   "(a list of 5 numbers for the levels basic, reactive, accountable, proactive, partnership);\n"
                   "*per-tier levels* (one level for all value tiers, or a list of 3 for tiers A, B, C).\n\n"
                   "## Top level\n\n" GLOBAL_HEADER);
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const struct relsim_key *k = &relsim_global_keys[i];
    size_t n = keys_section_len(k->path);
    if (n && (i == 0 || keys_section_len(relsim_global_keys[i - 1].path) == 0))
      textbuf_puts(&b, DESCRIPTION_ROW FIRMS_ROW EVENTS_ROW);
    if (keys_first_in_section(i)) textbuf_printf(&b, "\n## %.*s\n\n" GLOBAL_HEADER, (int)n, k->path);
    global_row(&b, &r, k);
  }
  textbuf_puts(&b,
               "\n## Firms\n\n"
               "Keys of each entry of the `firms:` list (`firms.<index or name>.<key>` in `--set`). The `strategy`\n"
               "preset is loaded first, whatever its position in the entry; the entry's other keys override it.\n"
               "*default* is the value with no `strategy` key (the transactional preset); *presets* lists the\n"
               "presets whose value differs from it.\n\n" FIRM_HEADER);
  for (size_t j = 0; j < relsim_n_firm_keys; j++) firm_row(&b, &r, &relsim_firm_keys[j]);
  textbuf_puts(&b, "\n## Events\n\n"
                   "Keys of each entry of the `events:` list: what changes at the start of a period during the run\n"
                   "([scenarios.md](scenarios.md), \"Events over time\"). An event has a `period` and at least one of\n"
                   "`enter`, `leave`, `strategy` and `set`.\n\n");
  events_block(&b);
  print_text(out, &b);
}

/* ------------------------------------------------------------------------
 * One key of the reference
 * ------------------------------------------------------------------------ */

/* A block of the key view: a heading and a table header, once. */
static void block(struct textbuf *b, int *started, const char *heading, size_t len, const char *header) {
  textbuf_printf(b, "%s## %.*s\n\n%s", *started ? "\n" : "", (int)len, heading, header);
  *started = 1;
}

/* The firm keys named name ("" for all) as a Firms block; 0 if there is none. */
static int firm_block(struct textbuf *b, int *started, const struct reference *r, const char *name) {
  int found = 0;
  for (size_t j = 0; j < relsim_n_firm_keys; j++) {
    if (*name && strcmp(relsim_firm_keys[j].path, name)) continue;
    if (!found++) block(b, started, "Firms", 5, FIRM_HEADER);
    firm_row(b, r, &relsim_firm_keys[j]);
  }
  return found;
}

/* The global keys that are path, or in section path, or (path without a
 * dot) have leaf path, each under its section's heading; 0 if there is none. */
static int global_block(struct textbuf *b, int *started, const struct reference *r, const char *path) {
  const struct relsim_key *prev = NULL; /* the last key shown */
  int found = 0;
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const struct relsim_key *k = &relsim_global_keys[i];
    size_t n = keys_section_len(k->path);
    if (strcmp(k->path, path) && !keys_in_section(k->path, path) &&
        (!n || strchr(path, '.') || strcmp(keys_leaf(k->path), path)))
      continue;
    if (!prev || keys_section_len(prev->path) != n || strncmp(prev->path, k->path, n))
      block(b, started, n ? k->path : "Top level", n ? n : 9, GLOBAL_HEADER);
    global_row(b, r, k);
    prev = k;
    found++;
  }
  return found;
}

/* What an unknown key may have meant, into why. */
static void unknown(const char *key, char *why, size_t why_size) {
  struct suggestion s;
  const char *dot = strrchr(key, '.');
  char *prefix = dot ? textbuf_copy(key, (size_t)(dot - key)) : NULL;
  if (!strncmp(key, "firms.", 6) && dot > key + 6) { /* firms.<index or name>.<key> */
    suggest_init(&s, dot + 1);
    if (prefix) keys_suggest_firm(&s, prefix);
  } else if (prefix && keys_is_section(prefix)) {
    suggest_init(&s, dot + 1);
    keys_suggest_in_section(&s, prefix);
  } else { /* a misspelt section, a key without its section or a firm key */
    suggest_init(&s, key);
    for (size_t i = 0; i < relsim_n_global_keys; i++) suggest_try(&s, relsim_global_keys[i].path, NULL, 0);
    keys_suggest_top(&s);
    for (size_t i = 0; i < relsim_n_firm_keys; i++) suggest_try(&s, relsim_firm_keys[i].path, NULL, 0);
  }
  if (s.best) {
    snprintf(why, why_size, "unknown key '%s'; did you mean '%s'?", key, s.best);
  } else {
    struct textbuf names = {0};
    keys_list_top(&names);
    snprintf(why, why_size,
             "unknown key '%s'; allowed: a key path (e.g. market.customers), a firm key (e.g. price or "
             "firms.0.price) or one of %s",
             key, names.s ? names.s : "the sections");
    textbuf_free(&names);
  }
  suggest_clean(&s);
  free(prefix);
}

int scenario_print_key_reference(FILE *out, const char *key, char *why, size_t why_size) {
  struct reference r;
  struct textbuf b = {0};
  int started = 0, found = 0;
  reference_init(&r);
  if (!strcmp(key, "events") || !strncmp(key, "events.", 7)) {
    block(&b, &started, "Top level", 9, GLOBAL_HEADER);
    textbuf_puts(&b, EVENTS_ROW "\n## Events\n\n");
    events_block(&b);
    found = 1;
  } else if (!strcmp(key, "description") || !strcmp(key, "firms")) {
    block(&b, &started, "Top level", 9, GLOBAL_HEADER);
    textbuf_puts(&b, key[0] == 'd' ? DESCRIPTION_ROW : FIRMS_ROW);
    found = key[0] == 'd' || firm_block(&b, &started, &r, "");
  } else if (!strncmp(key, "firms.", 6)) { /* firms.<key>, firms.<index or name>[.<key>] */
    const char *dot = strrchr(key + 6, '.');
    found = firm_block(&b, &started, &r, dot ? dot + 1 : key + 6);
    if (!found && !dot) found = firm_block(&b, &started, &r, ""); /* a firm's index or name: all its keys */
  } else {
    found = global_block(&b, &started, &r, key);
    if (*key) found += firm_block(&b, &started, &r, key); /* "name" is both */
  }
  if (!found) {
    textbuf_free(&b);
    unknown(key, why, why_size);
    return -1;
  }
  print_text(out, &b);
  return 0;
}
