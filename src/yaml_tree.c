/*
 * YAML text -> tree (see yaml_tree.h): libyaml's events are built into nodes
 * that keep their line and column; aliases, tags other than !!str, a second
 * document and nesting deeper than YAML_TREE_MAX_DEPTH are refused. Also the small operations the
 * loader needs on the tree: look-ups in mappings and setting a key.
 */
#include "yaml_tree.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "relsim/textbuf.h"
#include "relsim/util.h"

#define YAML_TREE_MAX_DEPTH 32 /* deepest nesting of collections accepted */

/* ------------------------------------------------------------------------
 * Nodes
 * ------------------------------------------------------------------------ */

struct yaml_tree *yaml_tree_new(enum yaml_tree_kind kind, int line, int col, int origin) {
  struct yaml_tree *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->line = line;
    n->col = col;
    n->origin = origin;
  }
  return n;
}

struct yaml_tree *yaml_tree_scalar(const char *text, size_t len, int line, int col, int origin) {
  struct yaml_tree *n = yaml_tree_new(YAML_TREE_SCALAR, line, col, origin);
  if (n && !(n->text = textbuf_copy(text, len))) {
    free(n);
    return NULL;
  }
  if (n) n->len = len;
  return n;
}

void yaml_tree_free(struct yaml_tree *node) {
  if (!node) return;
  for (size_t i = 0; i < node->n; i++) yaml_tree_free(node->kids[i]);
  free(node->kids);
  free(node->text);
  free(node);
}

struct yaml_tree *yaml_tree_copy(const struct yaml_tree *node) {
  if (!node) return NULL;
  struct yaml_tree *c = node->kind == YAML_TREE_SCALAR
                            ? yaml_tree_scalar(node->text, node->len, node->line, node->col, node->origin)
                            : yaml_tree_new(node->kind, node->line, node->col, node->origin);
  if (!c) return NULL;
  c->is_text = node->is_text;
  for (size_t i = 0; i < node->n; i++) {
    struct yaml_tree *k = yaml_tree_copy(node->kids[i]);
    if (!k || yaml_tree_push(c, k)) {
      yaml_tree_free(k);
      yaml_tree_free(c);
      return NULL;
    }
  }
  return c;
}

int yaml_tree_push(struct yaml_tree *parent, struct yaml_tree *kid) {
  if (util_grow(&parent->kids, &parent->cap, parent->n + 1, sizeof *parent->kids, 8)) return -1;
  parent->kids[parent->n++] = kid;
  return 0;
}

size_t yaml_tree_map_size(const struct yaml_tree *map) { return map && map->kind == YAML_TREE_MAP ? map->n / 2 : 0; }

const struct yaml_tree *yaml_tree_key(const struct yaml_tree *map, size_t j) { return map->kids[2 * j]; }

const struct yaml_tree *yaml_tree_value(const struct yaml_tree *map, size_t j) { return map->kids[2 * j + 1]; }

/* Is k the scalar key[0..klen)? */
static int key_equals(const struct yaml_tree *k, const char *key, size_t klen) {
  return k->kind == YAML_TREE_SCALAR && k->len == klen && memcmp(k->text, key, klen) == 0;
}

int yaml_tree_key_is(const struct yaml_tree *k, const char *s) { return key_equals(k, s, strlen(s)); }

long yaml_tree_find(const struct yaml_tree *map, const char *s) {
  for (size_t j = 0; j < yaml_tree_map_size(map); j++)
    if (yaml_tree_key_is(yaml_tree_key(map, j), s)) return (long)j;
  return -1;
}

const struct yaml_tree *yaml_tree_get(const struct yaml_tree *map, const char *s) {
  long j = yaml_tree_find(map, s);
  return j < 0 ? NULL : yaml_tree_value(map, (size_t)j);
}

int yaml_tree_set(struct yaml_tree *map, const char *key, size_t klen, struct yaml_tree *value, int origin) {
  for (size_t j = 0; j < yaml_tree_map_size(map); j++)
    if (key_equals(map->kids[2 * j], key, klen)) {
      yaml_tree_free(map->kids[2 * j + 1]);
      map->kids[2 * j + 1] = value;
      return 0;
    }
  struct yaml_tree *k = yaml_tree_scalar(key, klen, 0, 0, origin);
  if (!k || yaml_tree_push(map, k)) {
    yaml_tree_free(k);
    yaml_tree_free(value);
    return -1;
  }
  if (yaml_tree_push(map, value)) {
    yaml_tree_free(value);
    map->n--;
    yaml_tree_free(k);
    return -1;
  }
  return 0;
}

int yaml_tree_child(struct yaml_tree *map, const char *key, size_t klen, int origin, enum yaml_tree_kind kind,
                    struct yaml_tree **child) {
  *child = NULL;
  for (size_t j = 0; j < yaml_tree_map_size(map); j++)
    if (key_equals(map->kids[2 * j], key, klen)) {
      struct yaml_tree *v = map->kids[2 * j + 1];
      if (v->kind == kind) *child = v;
      if (v->kind == kind || !yaml_tree_is_null(v)) return 0;
      struct yaml_tree *c = yaml_tree_new(kind, v->line, v->col, origin);
      if (!c) return -1;
      yaml_tree_free(v);
      map->kids[2 * j + 1] = c;
      *child = c;
      return 0;
    }
  struct yaml_tree *c = yaml_tree_new(kind, 0, 0, origin);
  if (!c || yaml_tree_set(map, key, klen, c, origin)) return -1;
  *child = c;
  return 0;
}

int yaml_tree_is_null(const struct yaml_tree *v) {
  if (v->kind != YAML_TREE_SCALAR || v->is_text) return 0;
  return v->len == 0 || !strcmp(v->text, "~") || !strcmp(v->text, "null") || !strcmp(v->text, "Null") ||
         !strcmp(v->text, "NULL");
}

const char *yaml_tree_shape(const struct yaml_tree *v) {
  return v->kind == YAML_TREE_SEQ ? "a list" : v->kind == YAML_TREE_MAP ? "a mapping" : "a single value";
}

void yaml_tree_position(const char *text, size_t len, size_t offset, int *line, int *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < offset && i < len; i++) {
    if (text[i] == '\n') {
      ++*line;
      *col = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      ++*col;
    }
  }
}

size_t yaml_tree_offset(const char *text, size_t len, int line, int col) {
  size_t i = 0;
  for (int l = 1; i < len && l < line; i++) l += text[i] == '\n';
  for (int c = 1; i < len && c < col && text[i] != '\n'; c++) {
    i++;
    while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80) i++; /* the rest of a UTF-8 character */
  }
  return i;
}

/* ------------------------------------------------------------------------
 * libyaml events -> nodes
 * ------------------------------------------------------------------------ */

struct builder {
  yaml_parser_t parser;
  const char *text;
  size_t len;
  int origin;                  /* 0: the file; N: override N */
  struct yaml_tree_error *err; /* set when status is 1 */
  int status;                  /* 0; 1: err is set; -1: out of memory */
};

/* Where a node is: a key of a mapping (key) or an item of a list (index),
 * below up; NULL is the top of the document. */
struct where {
  const struct where *up;
  const char *key; /* NULL: an item of a list */
  size_t index;
  int bracket;     /* a single value in a list, quality[1]; a mapping or list in one is firms.0 */
};

/* The key path of w, as the loader names keys (firms.0.name); NULL at the
 * top or if memory runs out. */
static char *where_path(const struct where *w) {
  const struct where *seg[YAML_TREE_MAX_DEPTH + 2];
  int n = 0;
  for (; w && n < YAML_TREE_MAX_DEPTH + 2; w = w->up) seg[n++] = w;
  if (!n) return NULL;
  struct textbuf b = {0};
  while (n--) {
    if (seg[n]->key)
      textbuf_printf(&b, "%s%s", b.s ? "." : "", seg[n]->key);
    else if (seg[n]->bracket)
      textbuf_printf(&b, "[%zu]", seg[n]->index);
    else
      textbuf_printf(&b, "%s%zu", b.s ? "." : "", seg[n]->index);
  }
  return textbuf_take(&b);
}

/* Record that the text cannot be used (the first problem wins), at the node
 * at (NULL: no key path). */
TEXTBUF_PRINTF(6, 7)
static void refuse(struct builder *b, const struct where *at, int line, int col, int syntax, const char *fmt, ...) {
  if (b->status) return;
  struct textbuf m = {0};
  va_list ap;
  va_start(ap, fmt);
  textbuf_vprintf(&m, fmt, ap);
  va_end(ap);
  *b->err = (struct yaml_tree_error){line, col, syntax, textbuf_take(&m), where_path(at)};
  b->status = 1;
}

static void syntax_error(struct builder *b) {
  yaml_parser_t *y = &b->parser;
  if (y->error == YAML_MEMORY_ERROR) {
    b->status = -1;
    return;
  }
  int line, col;
  struct textbuf m = {0};
  if (y->error == YAML_READER_ERROR) {
    yaml_tree_position(b->text, b->len, y->problem_offset, &line, &col);
    textbuf_printf(&m, "%s", y->problem ? y->problem : "unreadable text");
    if (y->problem_value != -1) textbuf_printf(&m, " (byte 0x%02X)", (unsigned)y->problem_value & 0xFFu);
  } else {
    line = (int)y->problem_mark.line + 1;
    col = (int)y->problem_mark.column + 1;
    textbuf_printf(&m, "%s", y->problem ? y->problem : "syntax error");
    size_t at = y->problem_mark.index;
    if (at < b->len && b->text[at] == '\t') textbuf_puts(&m, " (a tab: indent with spaces)");
    if (y->context && b->origin == 0)
      textbuf_printf(&m, " (%s at line %d, column %d)", y->context, (int)y->context_mark.line + 1,
                     (int)y->context_mark.column + 1);
    else if (y->context)
      textbuf_printf(&m, " (%s)", y->context);
  }
  char *msg = textbuf_take(&m);
  refuse(b, NULL, line, col, 1, "%s", msg ? msg : "?");
  free(msg);
}

static int next_event(struct builder *b, yaml_event_t *ev) {
  if (yaml_parser_parse(&b->parser, ev)) return 1;
  syntax_error(b);
  return 0;
}

/* A tag other than !!str on a scalar: refused, since the key decides how a
 * value is read and a tag would be silently ignored. Returns 1 if refused. */
static int refuse_tag(struct builder *b, const struct where *at, int line, int col, const char *tag, int scalar) {
  static const char core[] = "tag:yaml.org,2002:";
  if (!tag || (scalar && !strcmp(tag, YAML_STR_TAG))) return 0;
  int is_core = !strncmp(tag, core, sizeof core - 1);
  refuse(b, at, line, col, 0,
         "tag '%s%s' is not supported; allowed: a value without a tag (its key decides how it is read; "
         "!!str marks a scalar as text)",
         is_core ? "!!" : "", is_core ? tag + sizeof core - 1 : tag);
  return 1;
}

/* Build the node that starts with event ev (consumed), at where (is_key: it
 * is a key of that mapping, whose path then ends in the key itself). NULL
 * on failure (recorded). */
static struct yaml_tree *build_node(struct builder *b, yaml_event_t *ev, int depth, const struct where *at,
                                    int is_key) {
  int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
  struct yaml_tree *n = NULL;
  const yaml_char_t *node_tag = ev->type == YAML_SCALAR_EVENT           ? ev->data.scalar.tag
                                : ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.tag
                                : ev->type == YAML_MAPPING_START_EVENT  ? ev->data.mapping_start.tag
                                                                        : NULL;
  struct where self = {at, is_key && ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : NULL, 0, 0};
  if (refuse_tag(b, self.key ? &self : at, line, col, (const char *)node_tag, ev->type == YAML_SCALAR_EVENT)) {
    yaml_event_delete(ev);
    return NULL;
  }
  if (ev->type == YAML_SCALAR_EVENT) {
    n = yaml_tree_scalar((const char *)ev->data.scalar.value, ev->data.scalar.length, line, col, b->origin);
    if (!n)
      b->status = -1;
    else {
      const char *tag = (const char *)ev->data.scalar.tag;
      n->is_text = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (tag && !strcmp(tag, YAML_STR_TAG));
    }
    yaml_event_delete(ev);
    return n;
  }
  if (ev->type == YAML_ALIAS_EVENT) {
    refuse(b, at, line, col, 0, "alias '*%s' is not supported; allowed: plain values (repeat the value instead)",
           (const char *)ev->data.alias.anchor);
    yaml_event_delete(ev);
    return NULL;
  }
  int is_seq = ev->type == YAML_SEQUENCE_START_EVENT;
  if (!is_seq && ev->type != YAML_MAPPING_START_EVENT) { /* cannot happen with a valid parser */
    refuse(b, at, line, col, 0, "unexpected YAML structure; allowed: mappings, lists, values");
    yaml_event_delete(ev);
    return NULL;
  }
  yaml_event_delete(ev);
  if (depth >= YAML_TREE_MAX_DEPTH) {
    refuse(b, at, line, col, 0, "nesting is too deep; allowed: at most %d levels", YAML_TREE_MAX_DEPTH);
    return NULL;
  }
  n = yaml_tree_new(is_seq ? YAML_TREE_SEQ : YAML_TREE_MAP, line, col, b->origin);
  if (!n) {
    b->status = -1;
    return NULL;
  }
  for (;;) {
    yaml_event_t e;
    if (!next_event(b, &e)) break;
    if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&e);
      return n;
    }
    /* A mapping's value is at its key; a key, at the mapping (and itself). */
    const struct yaml_tree *key = !is_seq && n->n % 2 ? n->kids[n->n - 1] : NULL;
    struct where w = {at, key && key->kind == YAML_TREE_SCALAR ? key->text : key ? "?" : NULL, n->n,
                      e.type == YAML_SCALAR_EVENT || e.type == YAML_ALIAS_EVENT};
    struct yaml_tree *kid = build_node(b, &e, depth + 1, is_seq || key ? &w : at, !is_seq && !key);
    if (!kid) break;
    if (yaml_tree_push(n, kid)) {
      b->status = -1;
      yaml_tree_free(kid);
      break;
    }
  }
  yaml_tree_free(n);
  return NULL;
}

int yaml_tree_parse(const char *text, size_t len, int origin, struct yaml_tree **root, struct yaml_tree_error *err) {
  struct builder b = {.text = text, .len = len, .origin = origin, .err = err};
  *root = NULL;
  if (!yaml_parser_initialize(&b.parser)) return -1;
  yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
  yaml_event_t ev;
  if (!next_event(&b, &ev)) goto done; /* stream start */
  yaml_event_delete(&ev);
  if (!next_event(&b, &ev)) goto done;
  if (ev.type == YAML_STREAM_END_EVENT) {
    yaml_event_delete(&ev);
    goto done;
  }
  yaml_event_delete(&ev); /* document start */
  if (!next_event(&b, &ev)) goto done;
  if (!(*root = build_node(&b, &ev, 0, NULL, 0))) goto done;
  if (!next_event(&b, &ev)) goto done; /* document end */
  yaml_event_delete(&ev);
  if (!next_event(&b, &ev)) goto done;
  if (ev.type != YAML_STREAM_END_EVENT)
    refuse(&b, NULL, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1, 0,
           "a second YAML document starts here; allowed: one document");
  yaml_event_delete(&ev);
done:
  yaml_parser_delete(&b.parser);
  if (b.status) {
    yaml_tree_free(*root);
    *root = NULL;
  }
  return b.status;
}
