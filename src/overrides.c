/*
 * --set overrides: each KEY=VALUE is parsed as a YAML value and written into
 * the scenario's tree before it is interpreted, replacing or adding the key
 * (a new section, a new firm at index == count); a firm is selected by its
 * 0-based index or its name. The events: list is not reachable this way.
 * What cannot be applied is reported as --set:N.
 */
#include "overrides.h"

#include <stdlib.h>
#include <string.h>

#include "fullwidth.h"
#include "relsim/params.h"
#include "relsim/textbuf.h"

/* The firm entry selected by sel (0-based index, or name); index == count appends. */
static struct yaml_tree *find_firm(struct problems *pr, struct yaml_tree *firms, const char *sel, size_t slen, int n,
                                   const char *key) {
  int digits = slen > 0 && slen < 10;
  for (size_t i = 0; i < slen; i++)
    if (sel[i] < '0' || sel[i] > '9') digits = 0;
  if (digits) {
    size_t idx = (size_t)strtoul(sel, NULL, 10);
    if (idx < firms->n) {
      if (firms->kids[idx]->kind == YAML_TREE_MAP) return firms->kids[idx];
      problems_add_at(pr, n, 0, 0, key, "firms.%zu is not a mapping, cannot set a key in it", idx);
      return NULL;
    }
    if (idx == firms->n && idx < RELSIM_MAX_FIRMS) {
      struct yaml_tree *f = yaml_tree_new(YAML_TREE_MAP, 0, 0, n);
      if (!f || yaml_tree_push(firms, f)) {
        free(f);
        pr->oom = 1;
        return NULL;
      }
      return f;
    }
    problems_add_at(pr, n, 0, 0, key,
                    "there is no firm %zu; allowed: an index from 0 to %zu (%zu adds a firm) or a firm name", idx,
                    firms->n > 0 ? firms->n - 1 : 0, firms->n);
    return NULL;
  }
  struct textbuf names = {0};
  for (size_t i = 0; i < firms->n; i++) {
    struct yaml_tree *f = firms->kids[i];
    const struct yaml_tree *nm = yaml_tree_get(f, "name");
    char dflt[RELSIM_NAME_MAX];
    params_firm_default_name(dflt, sizeof dflt, (int)i);
    const char *name = nm && nm->kind == YAML_TREE_SCALAR ? nm->text : dflt;
    size_t nlen = nm && nm->kind == YAML_TREE_SCALAR ? nm->len : strlen(dflt);
    if (f->kind == YAML_TREE_MAP && nlen == slen && !memcmp(name, sel, slen)) {
      textbuf_free(&names);
      return f;
    }
    textbuf_printf(&names, "%s'%s'", i ? ", " : "", name);
  }
  problems_add_at(pr, n, 0, 0, key, "there is no firm named '%.*s'; allowed: a firm index or one of the names %s",
                  (int)slen, sel, names.s ? names.s : "(none)");
  textbuf_free(&names);
  return NULL;
}

void overrides_apply(struct problems *pr, struct yaml_tree **root, int n, const char *spec) {
  const char *eq = strchr(spec, '=');
  size_t at;
  unsigned cp = fullwidth_find(spec, eq ? (size_t)(eq - spec) : strlen(spec), &at);
  if (!eq && cp) { /* typed for the '=' */
    problems_add_at(pr, n, 0, 0, NULL,
                    "'%s' has a %s where '=' belongs; allowed: KEY=VALUE, e.g. market.customers=20000", spec,
                    fullwidth_name(cp));
    return;
  }
  if (!eq || eq == spec) {
    problems_add_at(pr, n, 0, 0, NULL, "'%s' is not KEY=VALUE; allowed: KEY=VALUE, e.g. market.customers=20000", spec);
    return;
  }
  char *key = textbuf_copy(spec, (size_t)(eq - spec));
  if (!key) {
    pr->oom = 1;
    return;
  }
  size_t klen = strlen(key);
  if (!strncmp(key, "events", 6) && (key[6] == '\0' || key[6] == '.' || key[6] == '[')) {
    problems_add_at(pr, n, 0, 0, key, "the scheduled events cannot be overridden (--set, an experiment's set:); "
                                      "allowed: a scenario key (edit the events: list in the scenario file)");
    free(key);
    return;
  }
  int bad_key = key[0] == '.' || key[klen - 1] == '.' || strstr(key, "..") != NULL;
  if (bad_key) {
    problems_add_at(pr, n, 0, 0, key, "not a key path; allowed: section.key or firms.<index or name>.key");
    free(key);
    return;
  }
  const char *names = strncmp(key, "firms.", 6) ? key : strrchr(key + 6, '.'); /* a firm's name may have any */
  if (names && (cp = fullwidth_find(names, strlen(names), &at))) {
    problems_add_at(pr, n, 0, 0, key,
                    "the key has a %s; allowed: section.key or firms.<index or name>.key in ASCII, e.g. "
                    "market.customers=20000",
                    fullwidth_name(cp));
    free(key);
    return;
  }
  struct yaml_tree *value = NULL;
  if (!problems_parse(pr, eq + 1, strlen(eq + 1), n, key, &value)) {
    free(key);
    return;
  }
  if (!value && !(value = yaml_tree_scalar("", 0, 0, 0, n))) {
    pr->oom = 1;
    free(key);
    return;
  }
  if (*root && yaml_tree_is_null(*root)) { /* an empty document */
    yaml_tree_free(*root);
    *root = NULL;
  }
  if (!*root && !(*root = yaml_tree_new(YAML_TREE_MAP, 1, 1, n))) pr->oom = 1;
  struct yaml_tree *map = *root;
  if (map && map->kind != YAML_TREE_MAP) {
    problems_add_at(pr, n, 0, 0, key, "the scenario file is not a mapping of sections, cannot set a key in it");
    map = NULL;
  }
  const char *leaf = key;
  if (map && !strncmp(key, "firms.", 6)) {
    const char *sel = key + 6, *dot = strrchr(sel, '.');
    struct yaml_tree *firms;
    if (yaml_tree_child(map, "firms", 5, n, YAML_TREE_SEQ, &firms)) pr->oom = 1;
    map = NULL;
    if (!dot)
      problems_add_at(pr, n, 0, 0, key,
                      "incomplete firm key; allowed: firms.<index or name>.<key>, e.g. firms.1.price");
    else if (!firms && !pr->oom)
      problems_add_at(pr, n, 0, 0, key, "firms is not a list of firms, cannot set a key in it");
    else if (firms)
      map = find_firm(pr, firms, sel, (size_t)(dot - sel), n, key);
    if (dot) leaf = dot + 1;
  } else {
    for (const char *dot; map && (dot = strchr(leaf, '.')); leaf = dot + 1) {
      struct yaml_tree *child;
      if (yaml_tree_child(map, leaf, (size_t)(dot - leaf), n, YAML_TREE_MAP, &child)) pr->oom = 1;
      if (!child && !pr->oom)
        problems_add_at(pr, n, 0, 0, key, "'%.*s' is not a mapping, cannot set a key in it", (int)(dot - key), key);
      map = child;
    }
  }
  if (map) {
    if (yaml_tree_set(map, leaf, strlen(leaf), value, n)) pr->oom = 1;
  } else
    yaml_tree_free(value);
  free(key);
}
