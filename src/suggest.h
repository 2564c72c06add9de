/*
 * "Did you mean ...?": the candidate nearest to a misspelt word, by edit
 * distance (with adjacent transpositions); a candidate the word begins
 * (at least 3 characters) counts as distance 1. Knows nothing of keys.
 */
#ifndef RELSIM_SUGGEST_H
#define RELSIM_SUGGEST_H

#include <stddef.h>

struct suggestion {
  const char *word;     /* the misspelt word */
  size_t limit, best_d; /* largest distance worth suggesting; distance of best */
  char *best;           /* what to show for the best candidate so far (malloc'd), or NULL */
};

/* Start looking for word: up to 1 edit for 3 characters, 2 up to 8, else 3
 * (none for words over 64 characters). */
void suggest_init(struct suggestion *s, const char *word);
/* Consider candidate cand at its distance plus penalty, shown as display
 * (NULL: cand); a tie keeps the earlier candidate. 1 if it is now the best. */
int suggest_try(struct suggestion *s, const char *cand, const char *display, size_t penalty);
/* Release s->best. */
void suggest_clean(struct suggestion *s);

#endif
