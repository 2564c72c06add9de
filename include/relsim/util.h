/*
 * Small helpers every layer may use (the bottom of the include order).
 */
#ifndef RELSIM_UTIL_H
#define RELSIM_UTIL_H

#include <stddef.h>

/* The value of a numeric macro as a string literal: UTIL_STR(RELSIM_MAX_FIRMS) is "64". */
#define UTIL_STR(x) UTIL_STR_(x)
#define UTIL_STR_(x) #x

/* x clipped to [0, 1]. */
static inline double util_clip01(double x) { return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x; }

/* Seconds on the monotonic clock (for elapsed times only). */
double util_seconds(void);

/* Make an array of elem-byte elements hold at least need elements, doubling
 * its capacity *cap (starting at first) as needed. ptr_addr is the address
 * of the array's pointer (e.g. &buf->data, any pointer type). Keeps the
 * array and returns -1 if memory runs out (or the size would overflow),
 * else 0. */
int util_grow(void *ptr_addr, size_t *cap, size_t need, size_t elem, size_t first);

#endif
