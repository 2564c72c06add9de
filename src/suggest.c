/*
 * "Did you mean ...?" (see suggest.h): optimal string alignment distance
 * between the misspelt word and each candidate, keeping the nearest.
 */
#include "suggest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/textbuf.h"

#define SUGGEST_MAX_WORD 64 /* longer misspelt words get no suggestion */

/* Optimal string alignment distance (edits and adjacent transpositions). */
static size_t edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  size_t *d = malloc((n + 1) * (m + 1) * sizeof *d);
  if (!d) return SIZE_MAX;
#define D(i, j) d[(i) * (m + 1) + (j)]
  for (size_t i = 0; i <= n; i++) D(i, 0) = i;
  for (size_t j = 0; j <= m; j++) D(0, j) = j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      size_t v = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);
      if (D(i - 1, j) + 1 < v) v = D(i - 1, j) + 1;
      if (D(i, j - 1) + 1 < v) v = D(i, j - 1) + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
        v = D(i - 2, j - 2) + 1;
      D(i, j) = v;
    }
  size_t r = D(n, m);
#undef D
  free(d);
  return r;
}

void suggest_init(struct suggestion *s, const char *word) {
  size_t len = strlen(word);
  *s = (struct suggestion){word, len <= 3 ? 1 : len <= 8 ? 2 : 3, SIZE_MAX, NULL};
  if (len > SUGGEST_MAX_WORD) s->limit = 0;
}

int suggest_try(struct suggestion *s, const char *cand, const char *display, size_t penalty) {
  if (!s->limit) return 0;
  size_t wl = strlen(s->word), cl = strlen(cand);
  size_t d = wl >= 3 && wl < cl && !strncmp(s->word, cand, wl) ? 1 : edit_distance(s->word, cand); /* a prefix */
  if (d == SIZE_MAX || d + penalty > s->limit || d + penalty >= s->best_d) return 0;
  if (!display) display = cand;
  s->best_d = d + penalty;
  free(s->best);
  s->best = textbuf_copy(display, strlen(display));
  return 1;
}

void suggest_clean(struct suggestion *s) {
  free(s->best);
  s->best = NULL;
}
