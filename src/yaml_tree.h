/*
 * YAML text -> a small tree of mappings, sequences and scalars, each node
 * with its 1-based line and column (or the --set override it came from).
 * Internal to the scenario loader; knows nothing of parameters or keys.
 */
#ifndef RELSIM_YAML_TREE_H
#define RELSIM_YAML_TREE_H

#include <stddef.h>

enum yaml_tree_kind { YAML_TREE_SCALAR, YAML_TREE_SEQ, YAML_TREE_MAP };

/* One node and, through kids, its subtree. */
struct yaml_tree {
  enum yaml_tree_kind kind;
  int line, col;           /* 1-based position in the text (0, 0: made by an override) */
  int origin;              /* 0: the file; N: the N-th --set override */
  int is_text;             /* scalar quoted, a block scalar or tagged !!str: text, never a number */
  char *text;              /* scalar, NUL-terminated */
  size_t len;              /* scalar length in bytes (text may hold NUL bytes) */
  struct yaml_tree **kids; /* sequence: items; mapping: key, value, key, value, ... */
  size_t n, cap;
};

/* Why a text could not be made into a tree, and where. */
struct yaml_tree_error {
  int line, col; /* 1-based position of the problem in the text */
  int syntax;    /* 1: not YAML (what is libyaml's message); 0: YAML the tree does not take (what says
                  * what is wrong and what is allowed) */
  char *what;    /* malloc'd (NULL if memory ran out); the caller frees it */
  char *key;     /* the key path of the node refused (firms.0.name), malloc'd, or NULL (a syntax error, the
                  * top of the document); the caller frees it */
};

/* Parse text[0..len) as one YAML document into *root (NULL for an empty
 * document); every node gets origin. Returns 0; 1 if the text cannot be used
 * (*err says why; *root is NULL); -1 if memory ran out. */
int yaml_tree_parse(const char *text, size_t len, int origin, struct yaml_tree **root, struct yaml_tree_error *err);

/* A new empty collection, or a scalar holding a copy of text[0..len); NULL
 * if memory ran out. */
struct yaml_tree *yaml_tree_new(enum yaml_tree_kind kind, int line, int col, int origin);
struct yaml_tree *yaml_tree_scalar(const char *text, size_t len, int line, int col, int origin);
/* A deep copy of node and its subtree, positions kept (NULL: node is NULL or memory ran out). */
struct yaml_tree *yaml_tree_copy(const struct yaml_tree *node);
/* Free node and its subtree (NULL is fine). */
void yaml_tree_free(struct yaml_tree *node);
/* Append kid to a collection; 0, or -1 if memory ran out (kid is not taken). */
int yaml_tree_push(struct yaml_tree *parent, struct yaml_tree *kid);

/* Mappings: number of pairs (0 for anything else), the j-th key and value. */
size_t yaml_tree_map_size(const struct yaml_tree *map);
const struct yaml_tree *yaml_tree_key(const struct yaml_tree *map, size_t j);
const struct yaml_tree *yaml_tree_value(const struct yaml_tree *map, size_t j);
/* Is k the scalar s? */
int yaml_tree_key_is(const struct yaml_tree *k, const char *s);
/* Index of the first pair whose key is s, or -1; its value, or NULL. */
long yaml_tree_find(const struct yaml_tree *map, const char *s);
const struct yaml_tree *yaml_tree_get(const struct yaml_tree *map, const char *s);
/* Set map[key[0..klen)] = value, replacing the first such key's value or
 * adding a pair whose key has origin. value is taken (freed on failure).
 * 0, or -1 if memory ran out. */
int yaml_tree_set(struct yaml_tree *map, const char *key, size_t klen, struct yaml_tree *value, int origin);
/* *child = the collection map[key[0..klen)] of kind, created if the key is
 * missing or has no value; NULL if the key holds something else. 0, or -1 if
 * memory ran out. */
int yaml_tree_child(struct yaml_tree *map, const char *key, size_t klen, int origin, enum yaml_tree_kind kind,
                    struct yaml_tree **child);

/* A plain empty, ~ or null scalar: no value. */
int yaml_tree_is_null(const struct yaml_tree *v);
/* "a list", "a mapping" or "a single value", for messages. */
const char *yaml_tree_shape(const struct yaml_tree *v);

/* 1-based line and column (in characters) of byte offset in text[0..len),
 * and back. */
void yaml_tree_position(const char *text, size_t len, size_t offset, int *line, int *col);
size_t yaml_tree_offset(const char *text, size_t len, int line, int col);

#endif
