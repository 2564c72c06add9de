/*
 * What the fuzz harnesses share: the loaders under test read files by path,
 * so each input is written to a file first (an anonymous memory file where
 * the system has one, else a temporary file), and a failed property stops
 * the run with a message (libFuzzer then saves the input as a crash).
 */
#ifndef RELSIM_FUZZ_INPUT_H
#define RELSIM_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The libFuzzer entry point each harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replace the content of input file slot (0 or 1) by data and return its
 * path (valid until the process ends). Aborts if the file cannot be written. */
const char *fuzz_file(int slot, const void *data, size_t size);

/* A stream that discards what is written (opened once). */
FILE *fuzz_null(void);

/* Print "fuzz: <message>" to stderr and abort. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
void fuzz_fail(const char *fmt, ...);

#endif
