/*
 * A growable text buffer (see include/relsim/textbuf.h): appends that double
 * the allocation as needed, printf into the buffer, and small string helpers.
 */
#include "relsim/textbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/util.h"

/* Room for extra more bytes and the NUL; 0 (with oom set) if memory ran out. */
static int textbuf_reserve(struct textbuf *b, size_t extra) {
  if (b->oom) return 0;
  if (util_grow(&b->s, &b->cap, b->len + extra + 1, 1, 256)) {
    b->oom = 1;
    return 0;
  }
  return 1;
}

void textbuf_add(struct textbuf *b, const char *s, size_t n) {
  if (!textbuf_reserve(b, n)) return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void textbuf_puts(struct textbuf *b, const char *s) { textbuf_add(b, s, strlen(s)); }

void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0)
    b->oom = 1;
  else if (textbuf_reserve(b, (size_t)n)) {
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  textbuf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *textbuf_take(struct textbuf *b) {
  char *s = NULL;
  if (textbuf_reserve(b, 0)) {
    s = b->s;
    s[b->len] = '\0';
  } else {
    free(b->s);
  }
  memset(b, 0, sizeof *b);
  return s;
}

void textbuf_free(struct textbuf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

char *textbuf_aprintf(const char *fmt, ...) {
  struct textbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  textbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  return textbuf_take(&b);
}

char *textbuf_copy(const char *s, size_t n) {
  char *t = malloc(n + 1);
  if (t) {
    memcpy(t, s, n);
    t[n] = '\0';
  }
  return t;
}

void textbuf_real(char out[TEXTBUF_REAL_SIZE], double v) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(out, TEXTBUF_REAL_SIZE, "%.*g", prec, v);
    if (strtod(out, NULL) == v) return;
  }
}
