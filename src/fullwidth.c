/*
 * Full-width colons and spaces in YAML text (see fullwidth.h). In UTF-8,
 * U+FF1A is EF BC 9A and U+3000 is E3 80 80; a lead byte never occurs
 * inside another character, so a byte match is a character match.
 */
#include "fullwidth.h"

#include <stdlib.h>
#include <string.h>

#include "yaml_tree.h"

#define FULLWIDTH_MAX_TRIES 64 /* characters tried as the cause of one syntax error */

static const struct {
  unsigned cp;
  const char *utf8, *ascii; /* the character; what it stands for */
  const char *name, *problem;
} fullwidth_chars[] = {
    {FULLWIDTH_COLON, "\xEF\xBC\x9A", ": ", "full-width colon '\xEF\xBC\x9A' (U+FF1A)",
     "full-width colon '\xEF\xBC\x9A' (U+FF1A) is not a YAML colon; replace the full-width colon '\xEF\xBC\x9A' "
     "(U+FF1A) with ':' followed by a space"},
    {FULLWIDTH_SPACE, "\xE3\x80\x80", " ", "full-width space '\xE3\x80\x80' (U+3000)",
     "full-width space '\xE3\x80\x80' (U+3000) is not a YAML space; replace the full-width space '\xE3\x80\x80' "
     "(U+3000) with ordinary spaces"},
};
#define FULLWIDTH_N (sizeof fullwidth_chars / sizeof fullwidth_chars[0])

/* Index in fullwidth_chars of the character starting at s[i], or -1. */
static int char_at(const char *s, size_t len, size_t i) {
  for (size_t c = 0; c < FULLWIDTH_N; c++)
    if (i + 3 <= len && !memcmp(s + i, fullwidth_chars[c].utf8, 3)) return (int)c;
  return -1;
}

static int index_of(unsigned cp) {
  for (size_t c = 0; c < FULLWIDTH_N; c++)
    if (fullwidth_chars[c].cp == cp) return (int)c;
  return 0;
}

unsigned fullwidth_find(const char *s, size_t len, size_t *at) {
  for (size_t i = 0; i < len; i++) {
    int c = char_at(s, len, i);
    if (c >= 0) {
      *at = i;
      return fullwidth_chars[c].cp;
    }
  }
  return 0;
}

const char *fullwidth_name(unsigned cp) { return fullwidth_chars[index_of(cp)].name; }

const char *fullwidth_problem(unsigned cp) { return fullwidth_chars[index_of(cp)].problem; }

/* Does text with character c at byte i written in ASCII parse past line err_line?
 * -1 if memory ran out. */
static int fixes(const char *text, size_t len, int origin, int err_line, size_t i, int c) {
  const char *ascii = fullwidth_chars[c].ascii;
  size_t alen = strlen(ascii), n = len - 3 + alen;
  char *t = malloc(n + 1);
  if (!t) return -1;
  memcpy(t, text, i);
  memcpy(t + i, ascii, alen);
  memcpy(t + i + alen, text + i + 3, len - i - 3);
  t[n] = '\0';
  struct yaml_tree *root;
  struct yaml_tree_error e;
  int rc = yaml_tree_parse(t, n, origin, &root, &e);
  free(t);
  yaml_tree_free(root);
  if (rc == 1) free(e.what), free(e.key);
  if (rc < 0) return -1;
  return rc == 0 || !e.syntax || e.line > err_line; /* the same line count: only characters changed */
}

unsigned fullwidth_culprit(const char *text, size_t len, int origin, int err_line, size_t *at) {
  size_t end = 0; /* the end of line err_line */
  for (int line = 1; end < len && (line < err_line || text[end] != '\n'); end++) line += text[end] == '\n';
  int tries = 0;
  for (size_t i = end; i-- > 0 && tries < FULLWIDTH_MAX_TRIES;) {
    int c = char_at(text, len, i);
    if (c < 0) continue;
    tries++;
    int r = fixes(text, len, origin, err_line, i, c);
    if (r < 0) return 0;
    if (r) {
      *at = i;
      return fullwidth_chars[c].cp;
    }
  }
  return 0;
}
