/*
 * Small helpers every layer may use (see include/relsim/util.h).
 */
#include "relsim/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int util_grow(void *ptr_addr, size_t *cap, size_t need, size_t elem, size_t first) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : (first ? first : 1);
  while (n < need) {
    if (n > SIZE_MAX / 2) return -1;
    n *= 2;
  }
  if (elem && n > SIZE_MAX / elem) return -1;
  void *old, *p;
  memcpy(&old, ptr_addr, sizeof old); /* the pointer is read and written as bytes: any pointer type */
  if (!(p = realloc(old, n * elem))) return -1;
  memcpy(ptr_addr, &p, sizeof p);
  *cap = n;
  return 0;
}

double util_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
