/*
 * A growable text buffer for building messages and documents piece by piece.
 *
 * A zeroed struct textbuf is an empty buffer. Appending never fails loudly:
 * if memory runs out the buffer sets oom, ignores later appends, and
 * textbuf_take returns NULL, so a caller checks once at the end.
 */
#ifndef RELSIM_TEXTBUF_H
#define RELSIM_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define TEXTBUF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TEXTBUF_PRINTF(f, a)
#endif

struct textbuf {
  char *s;         /* the text, NUL-terminated once anything was added (else NULL) */
  size_t len, cap; /* bytes of text; bytes allocated */
  int oom;         /* 1: memory ran out, the text is incomplete */
};

/* Append n bytes of s. */
void textbuf_add(struct textbuf *b, const char *s, size_t n);
/* Append the NUL-terminated s. */
void textbuf_puts(struct textbuf *b, const char *s);
/* Append formatted text. */
void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap);
TEXTBUF_PRINTF(2, 3) void textbuf_printf(struct textbuf *b, const char *fmt, ...);
/* The text (malloc'd; "" for an empty buffer; NULL if memory ran out); b is
 * left empty. */
char *textbuf_take(struct textbuf *b);
/* Release the text; b is left empty. */
void textbuf_free(struct textbuf *b);

/* Formatted text as a new string (malloc'd; NULL if memory ran out). */
TEXTBUF_PRINTF(1, 2) char *textbuf_aprintf(const char *fmt, ...);
/* The n bytes of s as a new NUL-terminated string (malloc'd; NULL if memory
 * ran out); s may hold NUL bytes. */
char *textbuf_copy(const char *s, size_t n);

/* Enough for any double written by textbuf_real, with its NUL. */
#define TEXTBUF_REAL_SIZE 32
/* v in the shortest %g form that reads back to the same double. */
void textbuf_real(char out[TEXTBUF_REAL_SIZE], double v);

#endif
