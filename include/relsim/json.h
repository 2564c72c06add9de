/*
 * Writing JSON text (the bottom of the include order).
 */
#ifndef RELSIM_JSON_H
#define RELSIM_JSON_H

#include <stdio.h>

/* Write text (UTF-8, NULL as "") as a JSON string in ASCII: escapes for
 * quotes, backslashes and control characters, \u escapes of four hex
 * digits (surrogate pairs above U+FFFF) for the rest of UTF-8, U+FFFD for
 * a byte that is not valid UTF-8, so the output always parses. */
void json_write_string(FILE *out, const char *text);

#endif
