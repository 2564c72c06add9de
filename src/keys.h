/*
 * The key tables of src/params_keys.c as the scenario loader and the key
 * reference read them: a key by its path, the sections, the text of the
 * values a key allows, and what an unknown key may have meant.
 */
#ifndef RELSIM_KEYS_H
#define RELSIM_KEYS_H

#include <stddef.h>

#include "relsim/params.h"
#include "relsim/scenario.h"
#include "relsim/textbuf.h"
#include "suggest.h"

/* The key of table keys[0..n) whose path is path, or NULL. */
const struct relsim_key *keys_find(const struct relsim_key *keys, size_t n, const char *path);

/* Paths: "wom.relay" is key "relay" of section "wom"; "name" has no section. */
const char *keys_leaf(const char *path);                /* "relay"; a path without a section itself */
size_t keys_section_len(const char *path);              /* 3; 0 without a section */
int keys_in_section(const char *path, const char *sec); /* is path a key of section sec? */
int keys_is_section(const char *name);                  /* is name a section of the global keys? */
/* Is relsim_global_keys[i] the first key of its section? (0 without a section) */
int keys_first_in_section(size_t i);

/* Append the values one element of k allows: "number from 0 to 1",
 * "integer from 1 to 100000", "one of random, small_world, ...". */
void keys_describe_element(struct textbuf *b, const struct relsim_key *k);
/* The whole text of what k allows, lists included (malloc'd; NULL if memory
 * ran out); p gives the attribute names (NULL: not known). */
char *keys_allowed(const struct relsim_key *k, const struct relsim_params *p);

/* Offer s (begun with suggest_init) the keys an unknown key may have meant:
 * in section sec, the keys of sec shown as their path, then the same name in
 * another section; at the top level, name, description, firms, events and the
 * sections, then a key written without its section; in the firm entry
 * prefix ("firms.2"), the firm keys shown as prefix.key. */
void keys_suggest_in_section(struct suggestion *s, const char *sec);
void keys_suggest_top(struct suggestion *s);
void keys_suggest_firm(struct suggestion *s, const char *prefix);
/* Append the names allowed in section sec, at the top level, in a firm
 * entry (comma-separated). */
void keys_list_section(struct textbuf *b, const char *sec);
void keys_list_top(struct textbuf *b);
void keys_list_firm(struct textbuf *b);

#endif
