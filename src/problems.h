/*
 * The problems found in a scenario, collected so that all of them are
 * reported at once, sorted by where they are:
 *   FILE:LINE:COLUMN: KEY: what is wrong; what is allowed
 *   --set:N: KEY: ...                      (an override)
 * Also the key paths already reported, so that a later check does not
 * report the same key again.
 */
#ifndef RELSIM_PROBLEMS_H
#define RELSIM_PROBLEMS_H

#include <stddef.h>
#include <stdio.h>

#include "relsim/textbuf.h"
#include "yaml_tree.h"

struct problem;

struct problems {
  const char *path; /* the scenario file */
  const char *text; /* its text (NULL: not read yet), to place a character inside a node */
  size_t text_len;
  struct problem *list; /* in the order found */
  size_t n, cap;
  char **reported; /* key paths of the problems */
  size_t n_reported, cap_reported;
  int oom; /* memory ran out: some problems may be missing */
  const char *const *origin_names; /* NULL, or where override N came from (origin_names[N - 1], e.g.
                                      "experiment.yaml:12:7"), printed instead of --set:N */
  int n_origin_names;
};

/* A problem at node at (NULL: the start of the file), about key (NULL: none). */
TEXTBUF_PRINTF(4, 5)
void problems_add(struct problems *pr, const struct yaml_tree *at, const char *key, const char *fmt, ...);
/* A problem at line:col of origin (0: the file; N: override N; -1: no position). */
TEXTBUF_PRINTF(6, 7)
void problems_add_at(struct problems *pr, int origin, int line, int col, const char *key, const char *fmt, ...);
/* If node (a plain scalar, or a plain key of a mapping) holds a full-width
 * colon or space, report it at that character, about key, and return 1:
 * where a value or a key does not fit, that is the likely reason. */
int problems_fullwidth(struct problems *pr, const struct yaml_tree *node, const char *key);
/* Was key, an ancestor of it ("firms" for "firms.1.price") or one of its
 * elements ("levels.cost[2]" for "levels.cost") already reported? */
int problems_reported(const struct problems *pr, const char *key);
/* "line 3, column 5" or "--set:2" (malloc'd), for messages that point at a second place. */
char *problems_where(const struct yaml_tree *node);

/* Parse text as YAML into *root (NULL for an empty document): origin 0 is
 * the file, N the value of override N, which sets key. Returns 1, or 0 after
 * reporting why the text cannot be used (a syntax error that a full-width
 * colon or space caused is reported as that character). */
int problems_parse(struct problems *pr, const char *text, size_t len, int origin, const char *key,
                   struct yaml_tree **root);

/* Print every problem to err, sorted by position (the file first, then the
 * overrides in order; equal positions in the order found); their count. */
size_t problems_print(struct problems *pr, FILE *err);
/* Release everything pr holds. */
void problems_clean(struct problems *pr);

#endif
