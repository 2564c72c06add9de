/*
 * The problem list of a scenario (see problems.h): each problem is formatted
 * when found, with its position kept for sorting; the key paths reported are
 * remembered for problems_reported.
 */
#include "problems.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fullwidth.h"
#include "relsim/util.h"

struct problem {
  int origin, line, col; /* origin -1: no position */
  size_t seq;            /* order of discovery, to keep the sort stable */
  char *text;
};

static void remember(struct problems *pr, const char *key) {
  char *s = textbuf_copy(key, strlen(key));
  if (!s || util_grow(&pr->reported, &pr->cap_reported, pr->n_reported + 1, sizeof *pr->reported, 16)) {
    free(s);
    pr->oom = 1;
    return;
  }
  pr->reported[pr->n_reported++] = s;
}

int problems_reported(const struct problems *pr, const char *key) {
  size_t kl = strlen(key);
  for (size_t i = 0; i < pr->n_reported; i++) {
    const char *b = pr->reported[i];
    size_t bl = strlen(b);
    if (bl <= kl && !memcmp(b, key, bl) && (key[bl] == '\0' || key[bl] == '.' || key[bl] == '[')) return 1;
    if (kl < bl && !memcmp(b, key, kl) && (b[kl] == '.' || b[kl] == '[')) return 1;
  }
  return 0;
}

static void add_v(struct problems *pr, int origin, int line, int col, const char *key, const char *fmt, va_list ap) {
  struct textbuf b = {0};
  if (origin > 0 && origin <= pr->n_origin_names && pr->origin_names)
    textbuf_printf(&b, "%s: ", pr->origin_names[origin - 1]);
  else if (origin > 0)
    textbuf_printf(&b, "--set:%d: ", origin);
  else if (origin == 0)
    textbuf_printf(&b, "%s:%d:%d: ", pr->path, line, col);
  else
    textbuf_printf(&b, "%s: ", pr->path);
  if (key) textbuf_printf(&b, "%s: ", key);
  textbuf_vprintf(&b, fmt, ap);
  char *text = textbuf_take(&b);
  if (!text || util_grow(&pr->list, &pr->cap, pr->n + 1, sizeof *pr->list, 16)) {
    free(text);
    pr->oom = 1;
    return;
  }
  pr->list[pr->n] = (struct problem){origin, line, col, pr->n, text};
  pr->n++;
  if (key) remember(pr, key);
}

void problems_add(struct problems *pr, const struct yaml_tree *at, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (at)
    add_v(pr, at->origin, at->line, at->col, key, fmt, ap);
  else
    add_v(pr, 0, 1, 1, key, fmt, ap);
  va_end(ap);
}

void problems_add_at(struct problems *pr, int origin, int line, int col, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_v(pr, origin, line, col, key, fmt, ap);
  va_end(ap);
}

/* The first plain scalar of node (itself, or a key of a mapping) with a
 * full-width colon or space; its code point in *cp. */
static const struct yaml_tree *fullwidth_in(const struct yaml_tree *node, unsigned *cp) {
  size_t at;
  if (node->kind == YAML_TREE_SCALAR)
    return !node->is_text && (*cp = fullwidth_find(node->text, node->len, &at)) ? node : NULL;
  for (size_t j = 0; j < yaml_tree_map_size(node); j++) {
    const struct yaml_tree *k = yaml_tree_key(node, j);
    if (k->kind == YAML_TREE_SCALAR && !k->is_text && (*cp = fullwidth_find(k->text, k->len, &at))) return k;
  }
  return NULL;
}

int problems_fullwidth(struct problems *pr, const struct yaml_tree *node, const char *key) {
  unsigned cp = 0;
  const struct yaml_tree *n = node ? fullwidth_in(node, &cp) : NULL;
  if (!n) return 0;
  int line = n->line, col = n->col;
  if (n->origin == 0 && pr->text) { /* the character itself: a plain scalar's text is its source */
    size_t start = yaml_tree_offset(pr->text, pr->text_len, n->line, n->col), at;
    if (fullwidth_find(pr->text + start, pr->text_len - start, &at))
      yaml_tree_position(pr->text, pr->text_len, start + at, &line, &col);
  }
  problems_add_at(pr, n->origin, line, col, key, "%s", fullwidth_problem(cp));
  return 1;
}

char *problems_where(const struct yaml_tree *node) {
  return node->origin > 0 ? textbuf_aprintf("--set:%d", node->origin)
                          : textbuf_aprintf("line %d, column %d", node->line, node->col);
}

int problems_parse(struct problems *pr, const char *text, size_t len, int origin, const char *key,
                   struct yaml_tree **root) {
  struct yaml_tree_error e;
  int rc = yaml_tree_parse(text, len, origin, root, &e);
  if (rc < 0) pr->oom = 1;
  if (rc != 1) return rc == 0;
  const char *what = e.what ? e.what : "?";
  size_t at;
  unsigned cp = e.syntax ? fullwidth_culprit(text, len, origin, e.line, &at) : 0;
  if (cp) {
    int line = 0, col = 0;
    if (origin == 0) yaml_tree_position(text, len, at, &line, &col);
    problems_add_at(pr, origin, line, col, key, "%s", fullwidth_problem(cp));
  } else if (!e.syntax) {
    /* The node's key path, after the override's key for a --set value. */
    char *path = key && e.key ? textbuf_aprintf("%s%s%s", key, e.key[0] == '[' ? "" : ".", e.key) : NULL;
    if (key && e.key && !path) pr->oom = 1;
    problems_add_at(pr, origin, e.line, e.col, path ? path : key ? key : e.key, "%s", what);
    free(path);
  }
  else if (origin == 0)
    problems_add_at(pr, 0, e.line, e.col, NULL, "YAML syntax error: %s; allowed: YAML, see docs/scenarios.md", what);
  else
    problems_add_at(pr, origin, 0, 0, key,
                    "YAML syntax error in the value: %s; allowed: a YAML value, e.g. 0.5, text or [0.7, 0.8]", what);
  free(e.what);
  free(e.key);
  return 0;
}

static int problem_cmp(const void *a, const void *b) {
  const struct problem *x = a, *y = b;
  if (x->origin != y->origin) return x->origin < y->origin ? -1 : 1;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t problems_print(struct problems *pr, FILE *err) {
  if (pr->n) qsort(pr->list, pr->n, sizeof *pr->list, problem_cmp);
  for (size_t i = 0; i < pr->n; i++) fprintf(err, "%s\n", pr->list[i].text);
  return pr->n;
}

void problems_clean(struct problems *pr) {
  for (size_t i = 0; i < pr->n; i++) free(pr->list[i].text);
  for (size_t i = 0; i < pr->n_reported; i++) free(pr->reported[i]);
  free(pr->list);
  free(pr->reported);
  memset(pr, 0, sizeof *pr);
}
