/*
 * Minimal assertion helpers for relsim's unit tests: every failed check
 * prints the expression, both values and the location, and the test exits 1
 * at the end if any check failed.
 */
#ifndef RELSIM_TEST_CHECK_H
#define RELSIM_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                       \
  do {                                                                                    \
    check_count++;                                                                        \
    if (!(cond)) {                                                                        \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);          \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

#define CHECK_INT_EQ(a, b)                                                                \
  do {                                                                                    \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                      \
    check_count++;                                                                        \
    if (check_a_ != check_b_) {                                                           \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b, \
              check_a_, check_b_);                                                        \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                             \
  do {                                                                                    \
    double check_a_ = (double)(a), check_b_ = (double)(b), check_t_ = (double)(tol);     \
    check_count++;                                                                        \
    if (!(fabs(check_a_ - check_b_) <= check_t_)) {                                       \
      fprintf(stderr, "%s:%d: %s ~= %s failed: %.10g vs %.10g (tolerance %.3g)\n",       \
              __FILE__, __LINE__, #a, #b, check_a_, check_b_, check_t_);                 \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                   \
  do {                                                                                    \
    const char *check_h_ = (hay), *check_n_ = (needle);                                  \
    check_count++;                                                                        \
    if (!check_h_ || !strstr(check_h_, check_n_)) {                                       \
      fprintf(stderr, "%s:%d: expected \"%s\" in:\n%s\n", __FILE__, __LINE__, check_n_,  \
              check_h_ ? check_h_ : "(null)");                                            \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

static inline int check_report(const char *name) {
  fprintf(stderr, "%s: %d checks, %d failed\n", name, check_count, check_failures);
  return check_failures ? 1 : 0;
}

#endif
