/*
 * The `events:` list of a scenario (scenario_events.h): a list of mappings
 *
 *   - period: 52            # required: integer from 0 to run.periods - 1
 *     firm: Discounter      # 0-based index (a plain number) or name
 *     enter: true           # or leave: true; at most one entry and one exit per firm
 *     strategy: discounter  # loads the preset over the firm's values
 *     set: {price: 0.8, firms.0.budget: 0.6, market.search: 0.2}
 *
 * read after the rest of the scenario (its firms and run.periods are known).
 * Each event is read in file order into a draft: its period, its firm, and
 * its changes, each the bytes of one parameter field read and range-checked
 * by the key's own reader (values.c). A strategy becomes the preset's value
 * of every firm key on which the presets differ (marked implied), ahead of
 * the event's own `set` keys, so a schedule knows no keys (events.h). A
 * `set` key is firms.<index or name>.<key>, a bare firm key (of the event's
 * firm) or a global key; it must be one an event may change
 * (scenario_events_key_ok), once per event.
 * Then the drafts are sorted by period (file order within a period) and
 * played on a copy of the parameters with events_apply_params, the
 * simulation's own function: entries and exits are checked in that order
 * (a firm enters at most once, leaves at most once, and not before it
 * enters), and params_check is run after each event.
 * Every problem is reported at its node as events.<index>[.<key>].
 */
#include "scenario_events.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "relsim/util.h"
#include "suggest.h"

/* Global keys an event may change: read afresh wherever they are used, with
 * nothing derived from them at the start of a run. */
static const char *const mid_run_globals[] = {"market.search", "market.exit_rate", "market.discount_rate", NULL};
static const char *const mid_run_sections[] = {"choice", NULL};

/* The keys of an event, in the order they are described. */
static const char *const event_keys[] = {"period", "firm", "enter", "leave", "strategy", "set", NULL};
enum { EK_PERIOD, EK_FIRM, EK_ENTER, EK_LEAVE, EK_STRATEGY, EK_SET, EK_COUNT };

int scenario_events_key_ok(const struct relsim_key *k, int firm) {
  if (k->size > RELSIM_EVENT_VALUE_MAX) return 0; /* a change holds at most this (events.h) */
  if (firm) return strcmp(k->path, "name") != 0 && strcmp(k->path, "strategy") != 0;
  for (int i = 0; mid_run_globals[i]; i++)
    if (!strcmp(k->path, mid_run_globals[i])) return 1;
  for (int i = 0; mid_run_sections[i]; i++)
    if (keys_in_section(k->path, mid_run_sections[i])) return 1;
  return 0;
}

void scenario_events_list_globals(struct textbuf *b) {
  int first = 1;
  for (size_t i = 0; i < relsim_n_global_keys; i++)
    if (scenario_events_key_ok(&relsim_global_keys[i], 0)) {
      textbuf_printf(b, "%s%s", first ? "" : ", ", relsim_global_keys[i].path);
      first = 0;
    }
}

/* Is firm key k one a strategy loads (do the presets differ on it)? */
static int preset_key(const struct relsim_key *k, const struct relsim_firm_params *preset) {
  if (!strcmp(k->path, "name")) return 0;
  for (int s = 1; s < RELSIM_STRATEGY_COUNT; s++)
    if (memcmp((const char *)&preset[s] + k->offset, (const char *)&preset[0] + k->offset, k->size)) return 1;
  return 0;
}

static void presets_of(struct relsim_firm_params *preset, int n_attrs) {
  for (int s = 0; s < RELSIM_STRATEGY_COUNT; s++) params_firm_defaults(&preset[s], s, n_attrs);
}

void scenario_events_list_preset_keys(struct textbuf *b) {
  struct relsim_firm_params preset[RELSIM_STRATEGY_COUNT];
  int first = 1;
  presets_of(preset, RELSIM_MAX_ATTRS);
  for (size_t j = 0; j < relsim_n_firm_keys; j++)
    if (preset_key(&relsim_firm_keys[j], preset) && strcmp(relsim_firm_keys[j].path, "strategy")) {
      textbuf_printf(b, "%s%s", first ? "" : ", ", relsim_firm_keys[j].path);
      first = 0;
    }
}

/* One event as read from the file, before the events are put in order. */
struct draft {
  const struct yaml_tree *node;         /* the event's mapping */
  const struct yaml_tree *at[EK_COUNT]; /* the value of each of its keys (NULL: not given) */
  const struct yaml_tree *key[EK_COUNT]; /* and the key itself */
  int index;                            /* its place in the list: events.<index> */
  int period_ok;                        /* period read and within the run */
  int firm_named;                       /* firm: given (readable or not) */
  struct relsim_event ev;               /* first and n: its changes in the reader's list */
};

struct reader {
  struct values_reader *rd;
  const struct relsim_params *p;       /* the scenario before any event */
  const struct yaml_tree *periods_at;  /* where run.periods was given (NULL: its default) */
  struct relsim_params *scratch;       /* where a global key's value is read (then restored from p) */
  struct relsim_event_change *changes; /* of every draft, in file order */
  size_t n_changes, cap_changes;
  /* a key set twice in one event: per slot (firm key of a firm, or global
   * key), the draft that set it last (index + 1) and where */
  int *seen_by;
  const struct yaml_tree **seen_at;
};

static void oom(struct reader *r) { r->rd->pr->oom = 1; }

/* ------------------------------------------------------------------------
 * Firms, changes
 * ------------------------------------------------------------------------ */

/* The firm sel[0..len) names (plain: it may be an index written as a
 * number), or -1 after reporting at node as path. */
static int find_firm(struct reader *r, const struct yaml_tree *node, const char *path, const char *sel, size_t len,
                     int plain) {
  const struct relsim_params *p = r->p;
  if (p->n_firms < 1) return -1; /* no firms: reported at firms */
  int digits = plain && len > 0 && len < 10;
  for (size_t i = 0; i < len && digits; i++) digits = sel[i] >= '0' && sel[i] <= '9';
  if (digits) {
    long f = strtol(sel, NULL, 10);
    if (f < p->n_firms) return (int)f;
    problems_add(r->rd->pr, node, path, "there is no firm %ld; allowed: an index from 0 to %d or a firm name", f,
                 p->n_firms - 1);
    return -1;
  }
  for (int f = 0; f < p->n_firms; f++)
    if (strlen(p->firms[f].name) == len && !memcmp(p->firms[f].name, sel, len)) return f;
  char *word = textbuf_copy(sel, len);
  struct suggestion s;
  struct textbuf names = {0};
  if (!word) return oom(r), -1;
  suggest_init(&s, word);
  for (int f = 0; f < p->n_firms; f++) {
    suggest_try(&s, p->firms[f].name, NULL, 0);
    textbuf_printf(&names, "%s'%s'", f ? ", " : "", p->firms[f].name);
  }
  if (s.best)
    problems_add(r->rd->pr, node, path, "there is no firm '%s'; did you mean '%s'?", word, s.best);
  else
    problems_add(r->rd->pr, node, path, "there is no firm '%s'; allowed: an index from 0 to %d or one of the names %s",
                 word, p->n_firms - 1, names.s ? names.s : "");
  suggest_clean(&s);
  textbuf_free(&names);
  free(word);
  return -1;
}

/* Append a change of firm (-1: global) to draft d: size bytes of value at offset. */
static void add_change(struct reader *r, struct draft *d, int firm, const struct relsim_key *k, size_t size,
                       const void *value, int flags, int implied) {
  if (util_grow(&r->changes, &r->cap_changes, r->n_changes + 1, sizeof *r->changes, 32)) return oom(r);
  struct relsim_event_change *c = &r->changes[r->n_changes++];
  memset(c, 0, sizeof *c);
  c->firm = firm;
  c->flags = flags;
  c->implied = implied;
  c->offset = k->offset;
  c->size = size;
  c->key = k;
  memcpy(c->value, value, size);
  d->ev.n++;
}

/* A strategy: the preset's value of every firm key on which the presets differ. */
static void add_preset(struct reader *r, struct draft *d, int firm, int strategy) {
  struct relsim_firm_params preset[RELSIM_STRATEGY_COUNT];
  presets_of(preset, r->p->n_attrs);
  for (size_t j = 0; j < relsim_n_firm_keys; j++) {
    const struct relsim_key *k = &relsim_firm_keys[j];
    if (preset_key(k, preset))
      add_change(r, d, firm, k, k->size, (const char *)&preset[strategy] + k->offset,
                 !strcmp(k->path, "quality") ? RELSIM_EVENT_QUALITY : 0, 1);
  }
}

/* The slot of (firm, k) for the check of keys set twice. */
static size_t slot_of(int firm, const struct relsim_key *k) {
  if (firm >= 0) return (size_t)firm * relsim_n_firm_keys + (size_t)(k - relsim_firm_keys);
  return (size_t)RELSIM_MAX_FIRMS * relsim_n_firm_keys + (size_t)(k - relsim_global_keys);
}

/* ------------------------------------------------------------------------
 * One `set` key
 * ------------------------------------------------------------------------ */

/* Report the unknown key text of a set at k: the nearest firm or global key. */
static void unknown_set_key(struct reader *r, const struct yaml_tree *k, const char *path, const char *text,
                            const char *sel, size_t sel_len) {
  if (problems_fullwidth(r->rd->pr, k, path)) return; /* the likely reason */
  struct suggestion s;
  const char *dot = strrchr(text, '.');
  suggest_init(&s, sel ? dot + 1 : text);
  for (size_t j = 0; j < relsim_n_firm_keys; j++) {
    char *shown = sel ? textbuf_aprintf("firms.%.*s.%s", (int)sel_len, sel, relsim_firm_keys[j].path) : NULL;
    suggest_try(&s, relsim_firm_keys[j].path, shown, 0);
    free(shown);
  }
  if (!sel) {
    for (size_t i = 0; i < relsim_n_global_keys; i++) suggest_try(&s, relsim_global_keys[i].path, NULL, 0);
    for (size_t i = 0; i < relsim_n_global_keys; i++)
      suggest_try(&s, keys_leaf(relsim_global_keys[i].path), relsim_global_keys[i].path, 1);
  }
  if (s.best) {
    problems_add(r->rd->pr, k, path, "unknown key; did you mean '%s'?", s.best);
  } else {
    struct textbuf g = {0};
    scenario_events_list_globals(&g);
    problems_add(r->rd->pr, k, path,
                 "unknown key; allowed: a firm key (firms.<index or name>.KEY, or KEY for the event's firm) or one "
                 "of %s",
                 g.s ? g.s : "");
    textbuf_free(&g);
  }
  suggest_clean(&s);
}

/* The key (and firm, -1 for a global key) a set key names; NULL after reporting. */
static const struct relsim_key *set_key(struct reader *r, struct draft *d, const struct yaml_tree *k,
                                        const char *path, int *firm) {
  const char *text = k->text;
  *firm = -1;
  if (!strncmp(text, "firms.", 6)) { /* firms.<index or name>.<key>: a name may hold dots */
    const char *sel = text + 6, *dot = strrchr(sel, '.');
    if (!dot || dot == sel) {
      problems_add(r->rd->pr, k, path, "incomplete firm key; allowed: firms.<index or name>.<key>, e.g. firms.1.price");
      return NULL;
    }
    const struct relsim_key *key = keys_find(relsim_firm_keys, relsim_n_firm_keys, dot + 1);
    if (!key) {
      unknown_set_key(r, k, path, text, sel, (size_t)(dot - sel));
      return NULL;
    }
    *firm = find_firm(r, k, path, sel, (size_t)(dot - sel), 1);
    return *firm < 0 ? NULL : key;
  }
  if (!strchr(text, '.')) { /* a firm key of the event's firm */
    const struct relsim_key *key = keys_find(relsim_firm_keys, relsim_n_firm_keys, text);
    if (!key) {
      unknown_set_key(r, k, path, text, NULL, 0);
      return NULL;
    }
    if (d->ev.firm < 0 && !d->firm_named)
      problems_add(r->rd->pr, k, path, "a firm key, but the event names no firm; allowed: firm: <index or name> in "
                                       "the event, or firms.<index or name>.%s", text);
    *firm = d->ev.firm;
    return *firm < 0 ? NULL : key;
  }
  const struct relsim_key *key = keys_find(relsim_global_keys, relsim_n_global_keys, text);
  if (!key) unknown_set_key(r, k, path, text, NULL, 0);
  return key;
}

/* Can key (of firm, -1: global) be set here, by this event? Reports if not. */
static int settable(struct reader *r, const struct draft *d, const struct yaml_tree *k, const char *path,
                    const struct relsim_key *key, int firm) {
  if (firm >= 0 && !strcmp(key->path, "strategy")) {
    problems_add(r->rd->pr, k, path, "a strategy is set by the event's own key; allowed: strategy: <preset> beside "
                                     "firm: (it loads the preset, then set: overrides it)");
    return 0;
  }
  if (!scenario_events_key_ok(key, firm >= 0)) {
    struct textbuf g = {0};
    scenario_events_list_globals(&g);
    problems_add(r->rd->pr, k, path, "cannot change during a run; allowed: any firm key but name and strategy, or "
                                     "one of %s",
                 g.s ? g.s : "");
    textbuf_free(&g);
    return 0;
  }
  size_t slot = slot_of(firm, key);
  if (r->seen_by[slot] == d->index + 1) {
    char *where = problems_where(r->seen_at[slot]);
    if (!where) return oom(r), 0;
    problems_add(r->rd->pr, k, path, "this event sets it already (at %s); allowed: each key once per event", where);
    free(where);
    return 0;
  }
  r->seen_by[slot] = d->index + 1;
  r->seen_at[slot] = k;
  return 1;
}

/* Read the j-th pair of the set mapping of draft d into a change. */
static void read_set_pair(struct reader *r, struct draft *d, const struct yaml_tree *set, size_t j,
                          const char *prefix, const struct yaml_tree **promise, const struct yaml_tree **over) {
  const struct yaml_tree *k = yaml_tree_key(set, j), *v = yaml_tree_value(set, j);
  if (k->kind != YAML_TREE_SCALAR || yaml_tree_is_null(k)) {
    problems_add(r->rd->pr, k, prefix, "%s as a key; allowed: a key path, e.g. firms.1.price",
                 k->kind == YAML_TREE_SCALAR ? "no name" : yaml_tree_shape(k));
    return;
  }
  char *path = textbuf_aprintf("%s.%s", prefix, k->text);
  if (!path) return oom(r);
  int firm;
  const struct relsim_key *key = set_key(r, d, k, path, &firm);
  if (!key || !settable(r, d, k, path, key, firm)) {
    free(path);
    return;
  }
  /* Read into a copy of the field's struct as the scenario set it: a value
   * that does not fit is reported and leaves it unchanged. */
  struct relsim_firm_params f;
  char *base;
  if (firm >= 0) {
    f = r->p->firms[firm];
    base = (char *)&f;
  } else {
    base = (char *)r->scratch;
  }
  if (values_read(r->rd, key, v, base, path)) {
    int flags = !strcmp(key->path, "quality")        ? RELSIM_EVENT_QUALITY
                : !strcmp(key->path, "promise")      ? RELSIM_EVENT_PROMISE
                : !strcmp(key->path, "overpromise")  ? RELSIM_EVENT_OVERPROMISE
                : !strcmp(key->path, "failure_rate") ? RELSIM_EVENT_FAILURE
                                                     : 0;
    /* a per-attribute list changes the attributes of the scenario only */
    size_t size = key->type == RELSIM_KEY_ATTR_REALS ? (size_t)r->p->n_attrs * sizeof(double) : key->size;
    add_change(r, d, firm, key, size, base + key->offset, flags, 0);
    if (flags == RELSIM_EVENT_PROMISE) promise[firm] = k;
    if (flags == RELSIM_EVENT_OVERPROMISE) over[firm] = k;
  }
  if (firm < 0) memcpy(base + key->offset, (const char *)r->p + key->offset, key->size);
  free(path);
}

/* The set mapping of draft d: each key once, promise and overpromise not together. */
static void read_set(struct reader *r, struct draft *d, const struct yaml_tree *set, const char *prefix) {
  char *path = textbuf_aprintf("%s.set", prefix);
  if (!path) return oom(r);
  if (set->kind != YAML_TREE_MAP) {
    if (!problems_fullwidth(r->rd->pr, set, path))
      problems_add(r->rd->pr, set, path, "got %s; allowed: a mapping of keys to their new values, e.g. {price: 0.9, "
                                         "firms.0.budget: 0.6}",
                   yaml_tree_is_null(set) ? "nothing" : yaml_tree_shape(set));
    free(path);
    return;
  }
  const struct yaml_tree *promise[RELSIM_MAX_FIRMS] = {0}, *over[RELSIM_MAX_FIRMS] = {0};
  for (size_t j = 0; j < yaml_tree_map_size(set); j++) read_set_pair(r, d, set, j, path, promise, over);
  for (int f = 0; f < r->p->n_firms; f++)
    if (promise[f] && over[f]) {
      char *at = problems_where(over[f]), *key = textbuf_aprintf("%s.%s", path, promise[f]->text);
      if (at && key)
        problems_add(r->rd->pr, promise[f], key,
                     "given together with overpromise (at %s); allowed: either promise (absolute) or overpromise "
                     "(relative to quality), not both",
                     at);
      else
        oom(r);
      free(at);
      free(key);
    }
  free(path);
}

/* ------------------------------------------------------------------------
 * One event
 * ------------------------------------------------------------------------ */

/* A boolean key of an event that can only be true (enter, leave); 1 if true. */
static int read_true(struct reader *r, const struct yaml_tree *v, const char *path, const char *name) {
  const struct relsim_key k = {name, RELSIM_KEY_BOOL, 0, sizeof(int), 0, 1, 0, 0, NULL, "switch", ""};
  int on = 0;
  if (!values_read(r->rd, &k, v, (char *)&on, path)) return 0;
  if (!on)
    problems_add(r->rd->pr, v, path, "false does nothing; allowed: true (or leave %s out)", name);
  return on;
}

/* The period of an event: an integer of the run; 1 if read. */
static int read_period(struct reader *r, const struct yaml_tree *v, const char *path, int *period) {
  const int last = r->p->periods - 1;
  const struct relsim_key k = {"period", RELSIM_KEY_INT, 0, sizeof(int), 0, last, 0, 0, NULL, "period", ""};
  char *end = NULL;
  errno = 0;
  long n = v->kind == YAML_TREE_SCALAR && !v->is_text && v->len ? strtol(v->text, &end, 10) : 0;
  if (!end || *end || errno || n <= last) /* within the run, or not a plain integer: as the key says */
    return values_read(r->rd, &k, v, (char *)period, path);
  char *where = r->periods_at ? problems_where(r->periods_at) : textbuf_aprintf("%s", "its default");
  if (!where) return oom(r), 0;
  problems_add(r->rd->pr, v, path, "%ld is after the end of the run (run.periods is %d, %s%s); allowed: integer from 0 "
                                   "to %d",
               n, r->p->periods, r->periods_at ? "at " : "", where, last);
  free(where);
  return 0;
}

/* Report an unknown key k of event prefix. */
static void unknown_event_key(struct reader *r, const struct yaml_tree *k, const char *path) {
  if (problems_fullwidth(r->rd->pr, k, path)) return;
  struct suggestion s;
  suggest_init(&s, k->text);
  for (int i = 0; event_keys[i]; i++) suggest_try(&s, event_keys[i], NULL, 0);
  if (s.best)
    problems_add(r->rd->pr, k, path, "unknown key; did you mean '%s'?", s.best);
  else
    problems_add(r->rd->pr, k, path, "unknown key; allowed: period, firm, enter, leave, strategy, set");
  suggest_clean(&s);
}

/* The keys of event mapping node into d->at: each known key once. */
static void event_keys_of(struct reader *r, struct draft *d, const char *prefix) {
  const struct yaml_tree *node = d->node;
  for (size_t j = 0; j < yaml_tree_map_size(node); j++) {
    const struct yaml_tree *k = yaml_tree_key(node, j);
    if (k->kind != YAML_TREE_SCALAR || yaml_tree_is_null(k)) {
      problems_add(r->rd->pr, k, prefix, "%s as a key; allowed: period, firm, enter, leave, strategy, set",
                   k->kind == YAML_TREE_SCALAR ? "no name" : yaml_tree_shape(k));
      continue;
    }
    char *path = textbuf_aprintf("%s.%s", prefix, k->text);
    if (!path) return oom(r);
    int i = params_lookup_name(event_keys, k->text);
    if (i < 0) {
      unknown_event_key(r, k, path);
    } else if (d->at[i]) {
      char *where = problems_where(d->key[i]);
      if (where) problems_add(r->rd->pr, k, path, "duplicate key (first given at %s); allowed: each key once", where);
      else oom(r);
      free(where);
    } else {
      d->at[i] = yaml_tree_value(node, j);
      d->key[i] = k;
    }
    free(path);
  }
}

/* Read the firm, entry, exit and strategy of draft d (whatever needs a firm). */
static void read_firm_keys(struct reader *r, struct draft *d, const char *prefix) {
  const struct yaml_tree *const *at = d->at;
  if (at[EK_FIRM]) {
    const struct yaml_tree *v = at[EK_FIRM];
    char *path = textbuf_aprintf("%s.firm", prefix);
    if (!path) return oom(r);
    d->firm_named = 1;
    if (v->kind != YAML_TREE_SCALAR || yaml_tree_is_null(v))
      problems_add(r->rd->pr, v, path, "got %s; allowed: a firm's 0-based index or its name",
                   yaml_tree_is_null(v) ? "nothing" : yaml_tree_shape(v));
    else
      d->ev.firm = find_firm(r, v, path, v->text, v->len, !v->is_text);
    free(path);
  }
  for (int i = EK_ENTER; i <= EK_STRATEGY; i++) {
    if (!at[i]) continue;
    char *path = textbuf_aprintf("%s.%s", prefix, event_keys[i]);
    if (!path) return oom(r);
    if (!d->firm_named)
      problems_add(r->rd->pr, at[i], path, "no firm given; allowed: firm: <index or name> in the same event");
    else if (i == EK_ENTER)
      d->ev.enter = read_true(r, at[i], path, "enter");
    else if (i == EK_LEAVE)
      d->ev.leave = read_true(r, at[i], path, "leave");
    else if (values_read_name(r->rd, keys_find(relsim_firm_keys, relsim_n_firm_keys, "strategy"), at[i], path,
                              &d->ev.strategy) && d->ev.firm >= 0)
      add_preset(r, d, d->ev.firm, d->ev.strategy);
    free(path);
  }
  if (d->ev.enter && d->ev.leave) {
    char *path = textbuf_aprintf("%s.leave", prefix), *where = problems_where(at[EK_ENTER]);
    if (path && where)
      problems_add(r->rd->pr, at[EK_LEAVE], path, "given together with enter (at %s); allowed: enter or leave, one "
                                                  "per event", where);
    else
      oom(r);
    free(path);
    free(where);
    d->ev.leave = 0;
  }
  if (d->ev.firm < 0) d->ev.enter = d->ev.leave = 0, d->ev.strategy = -1; /* reported: nothing to schedule */
}

/* Read event number index (list item node) into d. */
static void read_event(struct reader *r, struct draft *d, const struct yaml_tree *node, int index) {
  memset(d, 0, sizeof *d);
  d->node = node;
  d->index = index;
  d->ev = (struct relsim_event){.period = -1, .firm = -1, .strategy = -1, .first = (int)r->n_changes};
  char *prefix = textbuf_aprintf("events.%d", index);
  if (!prefix) return oom(r);
  if (node->kind != YAML_TREE_MAP) {
    if (!problems_fullwidth(r->rd->pr, node, prefix))
      problems_add(r->rd->pr, node, prefix, "got %s; allowed: a mapping with period: and what happens, e.g. "
                                            "{period: 52, firm: 2, enter: true}",
                   yaml_tree_is_null(node) ? "nothing" : yaml_tree_shape(node));
    free(prefix);
    return;
  }
  event_keys_of(r, d, prefix);
  if (!d->at[EK_PERIOD]) {
    problems_add(r->rd->pr, node, prefix, "no period given; allowed: period: an integer from 0 to %d (run.periods - 1)",
                 r->p->periods - 1);
  } else {
    char *path = textbuf_aprintf("%s.period", prefix);
    if (path) d->period_ok = read_period(r, d->at[EK_PERIOD], path, &d->ev.period);
    else oom(r);
    free(path);
  }
  read_firm_keys(r, d, prefix);
  if (d->at[EK_SET]) read_set(r, d, d->at[EK_SET], prefix);
  int acts = 0;
  for (int i = EK_ENTER; i <= EK_SET; i++) acts |= d->at[i] != NULL;
  if (!acts)
    problems_add(r->rd->pr, node, prefix, "nothing happens; allowed: enter, leave, strategy or set beside period");
  free(prefix);
}

/* ------------------------------------------------------------------------
 * The schedule: drafts in order, entries and exits, cross-key checks
 * ------------------------------------------------------------------------ */

static int draft_order(const void *a, const void *b) {
  const struct draft *x = *(const struct draft *const *)a, *y = *(const struct draft *const *)b;
  if (x->ev.period != y->ev.period) return x->ev.period < y->ev.period ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* "events.3 (line 12)": an earlier event, for messages (malloc'd). */
static char *event_name(const struct draft *d) {
  char *where = problems_where(d->node), *s = where ? textbuf_aprintf("events.%d at %s", d->index, where) : NULL;
  free(where);
  return s;
}

/* Is d's entry or exit possible after the earlier ones (entered, left: the
 * drafts of the firm's entry and exit so far, has_entry: of its entry, if any)? */
static int lifecycle_ok(struct reader *r, const struct draft *d, const struct draft *entered, const struct draft *left,
                        const struct draft *has_entry) {
  const char *name = r->p->firms[d->ev.firm].name;
  const struct draft *other = d->ev.enter ? entered : left ? left : has_entry != entered ? has_entry : NULL;
  if (!other) return 1;
  char *path = textbuf_aprintf("events.%d.%s", d->index, d->ev.enter ? "enter" : "leave"), *e = event_name(other);
  if (!path || !e) {
    oom(r);
  } else if (d->ev.enter) {
    problems_add(r->rd->pr, d->at[EK_ENTER], path, "'%s' already enters at period %d (%s); allowed: one entry per firm",
                 name, other->ev.period, e);
  } else if (other == left) {
    problems_add(r->rd->pr, d->at[EK_LEAVE], path, "'%s' already leaves at period %d (%s); allowed: one exit per firm",
                 name, other->ev.period, e);
  } else {
    problems_add(r->rd->pr, d->at[EK_LEAVE], path, "'%s' leaves at period %d, before it enters at period %d (%s); "
                                                   "allowed: an exit after the firm's entry",
                 name, d->ev.period, other->ev.period, e);
  }
  free(path);
  free(e);
  return 0;
}

struct after_ctx {
  struct reader *r;
  const struct draft *d;
};

/* A problem params_check finds after event d: reported at d. */
static void report_after(void *ctx, const char *key, const char *message) {
  const struct after_ctx *a = ctx;
  char *prefix = textbuf_aprintf("events.%d", a->d->index);
  if (!prefix) return oom(a->r);
  problems_add(a->r->rd->pr, a->d->node, prefix, "after this event (period %d), %s: %s", a->d->ev.period, key, message);
  free(prefix);
}

/* Play the drafts in order into out (their changes copied in that order). */
static void schedule(struct reader *r, struct draft *drafts, int n, int check_after, struct relsim_schedule *out) {
  struct draft **order = malloc((size_t)(n ? n : 1) * sizeof *order);
  struct relsim_params *p = malloc(sizeof *p);
  out->events = malloc((size_t)(n ? n : 1) * sizeof *out->events);
  out->changes = malloc((r->n_changes ? r->n_changes : 1) * sizeof *out->changes);
  if (!order || !p || !out->events || !out->changes) {
    free(order);
    free(p);
    return oom(r);
  }
  int m = 0;
  for (int i = 0; i < n; i++)
    if (drafts[i].period_ok) order[m++] = &drafts[i];
  qsort(order, (size_t)m, sizeof *order, draft_order);
  const struct draft *entered[RELSIM_MAX_FIRMS] = {0}, *left[RELSIM_MAX_FIRMS] = {0}, *entry[RELSIM_MAX_FIRMS] = {0};
  for (int i = 0; i < m; i++)
    if (order[i]->ev.enter && order[i]->ev.firm >= 0 && !entry[order[i]->ev.firm]) entry[order[i]->ev.firm] = order[i];
  *p = *r->p;
  int failed = 0;
  for (int i = 0; i < m; i++) {
    struct draft *d = order[i];
    int f = d->ev.firm;
    if ((d->ev.enter || d->ev.leave) && f >= 0 && lifecycle_ok(r, d, entered[f], left[f], entry[f])) {
      if (d->ev.enter) entered[f] = d;
      if (d->ev.leave) left[f] = d;
    }
    struct relsim_event *ev = &out->events[out->n_events];
    *ev = d->ev;
    ev->first = out->n_changes;
    if (d->ev.n) /* (no change at all: r->changes is NULL) */
      memcpy(&out->changes[out->n_changes], &r->changes[d->ev.first], (size_t)d->ev.n * sizeof *out->changes);
    out->n_changes += d->ev.n;
    events_apply_params(p, out, out->n_events++);
    struct after_ctx ctx = {r, d};
    if (check_after && !failed) failed = params_check(p, report_after, &ctx) > 0;
  }
  free(order);
  free(p);
}

void scenario_events_read(struct values_reader *rd, const struct yaml_tree *list, const struct yaml_tree *periods_at,
                          int check_after, struct relsim_schedule *out) {
  memset(out, 0, sizeof *out);
  if (!list || yaml_tree_is_null(list) || (list->kind == YAML_TREE_SEQ && list->n == 0)) return;
  if (list->kind != YAML_TREE_SEQ) {
    if (!problems_fullwidth(rd->pr, list, "events"))
      problems_add(rd->pr, list, "events", "got %s; allowed: a list of events, each a mapping such as {period: 52, "
                                           "firm: 2, enter: true}",
                   yaml_tree_shape(list));
    return;
  }
  if (list->n > INT32_MAX / 2) return (void)problems_add(rd->pr, list, "events", "too many events");
  size_t slots = (size_t)RELSIM_MAX_FIRMS * relsim_n_firm_keys + relsim_n_global_keys;
  struct reader r = {.rd = rd, .p = rd->p, .periods_at = periods_at};
  struct draft *drafts = calloc(list->n, sizeof *drafts);
  r.scratch = malloc(sizeof *r.scratch);
  r.seen_by = calloc(slots, sizeof *r.seen_by);
  r.seen_at = calloc(slots, sizeof *r.seen_at);
  if (!drafts || !r.scratch || !r.seen_by || !r.seen_at) {
    oom(&r);
  } else {
    *r.scratch = *rd->p;
    for (size_t i = 0; i < list->n && !rd->pr->oom; i++) read_event(&r, &drafts[i], list->kids[i], (int)i);
    if (!rd->pr->oom) schedule(&r, drafts, (int)list->n, check_after, out);
  }
  free(drafts);
  free(r.scratch);
  free(r.seen_by);
  free((void *)r.seen_at);
  free(r.changes);
}
