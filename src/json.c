/*
 * JSON strings (include/relsim/json.h): one writer for every JSON relsim
 * prints (inspect --json, progress events).
 */
#include "relsim/json.h"

/* Length of the valid UTF-8 sequence at s and its code point, or 0. */
static int utf8_decode(const unsigned char *s, unsigned long *cp) {
  int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
  static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (n == 0) return 0;
  unsigned long c = n == 1 ? s[0] : s[0] & (0x7F >> n);
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0; /* overlong, too large, surrogate */
  *cp = c;
  return n;
}

/* A JSON string in ASCII: escapes for quotes, backslashes and control
 * characters, \u escapes of four hex digits (surrogate pairs above U+FFFF)
 * for the rest of UTF-8, U+FFFD for a byte that is not valid UTF-8. */
void json_write_string(FILE *out, const char *text) {
  const unsigned char *s = (const unsigned char *)(text ? text : "");
  fputc('"', out);
  while (*s) {
    unsigned long cp = 0xFFFD;
    int n = utf8_decode(s, &cp);
    s += n ? n : 1;
    if (cp == '"' || cp == '\\')
      fprintf(out, "\\%c", (int)cp);
    else if (cp == '\n')
      fputs("\\n", out);
    else if (cp == '\t')
      fputs("\\t", out);
    else if (cp >= 0x20 && cp < 0x7F)
      fputc((int)cp, out);
    else if (cp < 0x10000)
      fprintf(out, "\\u%04lx", cp);
    else
      fprintf(out, "\\u%04lx\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF));
  }
  fputc('"', out);
}

