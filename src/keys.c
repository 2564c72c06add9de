/*
 * The key tables as the loader and the reference read them (see keys.h):
 * look-up by path, sections, the text of the values a key allows, and the
 * candidates and allowed names for an unknown key.
 */
#include "keys.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Look-up and sections
 * ------------------------------------------------------------------------ */

const struct relsim_key *keys_find(const struct relsim_key *keys, size_t n, const char *path) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(keys[i].path, path)) return &keys[i];
  return NULL;
}

const char *keys_leaf(const char *path) {
  const char *dot = strchr(path, '.');
  return dot ? dot + 1 : path;
}

size_t keys_section_len(const char *path) {
  const char *dot = strchr(path, '.');
  return dot ? (size_t)(dot - path) : 0;
}

int keys_in_section(const char *path, const char *sec) {
  size_t n = keys_section_len(path);
  return n && n == strlen(sec) && !memcmp(path, sec, n);
}

int keys_is_section(const char *name) {
  for (size_t i = 0; i < relsim_n_global_keys; i++)
    if (keys_in_section(relsim_global_keys[i].path, name)) return 1;
  return 0;
}

int keys_first_in_section(size_t i) {
  const char *p = relsim_global_keys[i].path;
  size_t n = keys_section_len(p);
  return n && (i == 0 || strncmp(relsim_global_keys[i - 1].path, p, n + 1));
}

/* ------------------------------------------------------------------------
 * What a key allows
 * ------------------------------------------------------------------------ */

void keys_describe_element(struct textbuf *b, const struct relsim_key *k) {
  char lo[TEXTBUF_REAL_SIZE], hi[TEXTBUF_REAL_SIZE];
  textbuf_real(lo, k->min);
  textbuf_real(hi, k->max);
  switch (k->type) {
  case RELSIM_KEY_INT:
  case RELSIM_KEY_INT64:
  case RELSIM_KEY_UINT64:
    if (k->max >= 18446744073709551615.0) snprintf(hi, sizeof hi, "%" PRIu64, UINT64_MAX);
    textbuf_printf(b, "integer from %s to %s", lo, hi);
    break;
  case RELSIM_KEY_BOOL: textbuf_puts(b, "true or false"); break;
  case RELSIM_KEY_ENUM:
  case RELSIM_KEY_TIER_LEVELS:
    textbuf_puts(b, "one of ");
    for (int i = 0; k->choices[i]; i++) textbuf_printf(b, "%s%s", i ? ", " : "", k->choices[i]);
    break;
  case RELSIM_KEY_STRING:
    if (k->min > 0)
      textbuf_printf(b, "text of %s to %s bytes", lo, hi);
    else
      textbuf_printf(b, "text of at most %s bytes", hi);
    break;
  case RELSIM_KEY_ATTR_NAMES:
    textbuf_printf(b, "a list of %s to %s attribute names, e.g. [product, service]", lo, hi);
    break;
  default: { /* real numbers */
    int lo_inf = isinf(k->min), hi_inf = isinf(k->max);
    if (lo_inf && hi_inf)
      textbuf_puts(b, "any number");
    else if (hi_inf)
      textbuf_printf(b, "number %s %s", k->min_open ? ">" : ">=", lo);
    else if (lo_inf)
      textbuf_printf(b, "number %s %s", k->max_open ? "<" : "<=", hi);
    else if (!k->min_open && !k->max_open)
      textbuf_printf(b, "number from %s to %s", lo, hi);
    else
      textbuf_printf(b, "number %s %s and %s %s", k->min_open ? ">" : ">=", lo, k->max_open ? "<" : "<=", hi);
  }
  }
}

static void list_names(struct textbuf *b, const char *const *names, int n) {
  for (int i = 0; i < n; i++) textbuf_printf(b, "%s%s", i ? ", " : "", names[i]);
}

char *keys_allowed(const struct relsim_key *k, const struct relsim_params *p) {
  struct textbuf b = {0};
  if (k->type == RELSIM_KEY_ATTR_REALS && !p) {
    textbuf_puts(&b, "one number for all attributes, or a list of one per attribute, each ");
  } else if (k->type == RELSIM_KEY_ATTR_REALS) {
    textbuf_printf(&b, "one number for all attributes or a list of %d (", p->n_attrs);
    for (int a = 0; a < p->n_attrs; a++) textbuf_printf(&b, "%s%s", a ? ", " : "", p->attr_names[a]);
    textbuf_puts(&b, "), each ");
  } else if (k->type == RELSIM_KEY_LEVEL_REALS) {
    textbuf_printf(&b, "a list of %d numbers (", RELSIM_LEVEL_COUNT);
    list_names(&b, relsim_level_names, RELSIM_LEVEL_COUNT);
    textbuf_puts(&b, "), each ");
  } else if (k->type == RELSIM_KEY_TIER_LEVELS) {
    textbuf_printf(&b, "one level for all tiers or a list of %d (tiers ", RELSIM_TIER_COUNT);
    list_names(&b, relsim_tier_names, RELSIM_TIER_COUNT);
    textbuf_puts(&b, "), each ");
  }
  keys_describe_element(&b, k);
  return textbuf_take(&b);
}

/* ------------------------------------------------------------------------
 * Unknown keys
 * ------------------------------------------------------------------------ */

void keys_suggest_in_section(struct suggestion *s, const char *sec) {
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const char *p = relsim_global_keys[i].path;
    if (keys_in_section(p, sec)) suggest_try(s, keys_leaf(p), p, 0);
  }
  for (size_t i = 0; i < relsim_n_global_keys; i++) { /* the same key in another section */
    const char *p = relsim_global_keys[i].path;
    if (!keys_in_section(p, sec) && keys_section_len(p)) suggest_try(s, keys_leaf(p), p, 1);
  }
}

void keys_suggest_top(struct suggestion *s) {
  static const char *const fixed[] = {"name", "description", "firms", "events"};
  for (int i = 0; i < 4; i++) suggest_try(s, fixed[i], NULL, 0);
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const char *p = relsim_global_keys[i].path;
    size_t n = keys_section_len(p);
    if (!n) continue;
    char *sec = textbuf_copy(p, n);
    if (sec) suggest_try(s, sec, NULL, 0);
    free(sec);
    suggest_try(s, keys_leaf(p), p, 1); /* a key written without its section */
  }
}

void keys_suggest_firm(struct suggestion *s, const char *prefix) {
  for (size_t i = 0; i < relsim_n_firm_keys; i++) {
    char *full = textbuf_aprintf("%s.%s", prefix, relsim_firm_keys[i].path);
    if (full) suggest_try(s, relsim_firm_keys[i].path, full, 0);
    free(full);
  }
}

void keys_list_section(struct textbuf *b, const char *sec) {
  int first = 1;
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    const char *p = relsim_global_keys[i].path;
    if (!keys_in_section(p, sec)) continue;
    textbuf_printf(b, "%s%s", first ? "" : ", ", keys_leaf(p));
    first = 0;
  }
}

void keys_list_top(struct textbuf *b) {
  textbuf_puts(b, "name, description, firms");
  for (size_t i = 0; i < relsim_n_global_keys; i++)
    if (keys_first_in_section(i))
      textbuf_printf(b, ", %.*s", (int)keys_section_len(relsim_global_keys[i].path), relsim_global_keys[i].path);
  textbuf_puts(b, ", events");
}

void keys_list_firm(struct textbuf *b) {
  for (size_t i = 0; i < relsim_n_firm_keys; i++) textbuf_printf(b, "%s%s", i ? ", " : "", relsim_firm_keys[i].path);
}
