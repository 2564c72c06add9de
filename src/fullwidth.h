/*
 * Full-width colons and spaces, U+FF1A '：' and U+3000 '　': what a Chinese
 * input method types for ':' and ' ', and what YAML reads as ordinary text
 * (a key "customers：1000", an indentation that is not one). Finding them,
 * naming them, and telling whether one is what broke a YAML syntax error.
 * Knows the YAML tree, nothing of keys.
 */
#ifndef RELSIM_FULLWIDTH_H
#define RELSIM_FULLWIDTH_H

#include <stddef.h>

#define FULLWIDTH_COLON 0xFF1Au /* '：' */
#define FULLWIDTH_SPACE 0x3000u /* '　' */

/* The first full-width colon or space in s[0..len): its code point, and its
 * byte offset in *at; 0 if there is none. */
unsigned fullwidth_find(const char *s, size_t len, size_t *at);
/* "full-width colon '：' (U+FF1A)" or "full-width space '　' (U+3000)". */
const char *fullwidth_name(unsigned cp);
/* What is wrong with cp in YAML and the fix: "full-width colon '：' (U+FF1A)
 * is not a YAML colon; replace the full-width colon '：' (U+FF1A) with ':'
 * followed by a space" (a space: "... with ordinary spaces"). */
const char *fullwidth_problem(unsigned cp);
/* text[0..len) (origin as for yaml_tree_parse) has a YAML syntax error on
 * line err_line. Is a full-width character the cause: does writing one of
 * those before the end of that line in ASCII (the nearest first) let the
 * parse go past that line? Its code point and byte offset in *at; 0 if not. */
unsigned fullwidth_culprit(const char *text, size_t len, int origin, int err_line, size_t *at);

#endif
