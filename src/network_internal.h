/*
 * The network module's own header (not part of the public API): the
 * network's representation, shared by network.c (the computed kinds and the
 * public functions) and network_stored.c (the stored kinds: scale_free and
 * file, as compressed adjacency lists).
 */
#ifndef RELSIM_NETWORK_INTERNAL_H
#define RELSIM_NETWORK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "relsim/network.h"
#include "relsim/rng.h"
#include "relsim/status.h"

#define NETWORK_ROUNDS 6        /* Feistel rounds per permutation */

/* rng_hash domains: (stream << 16 | purpose) keeps them apart from other users. */
enum {
  NETWORK_TAG_FEISTEL = (RELSIM_STREAM_NETWORK << 16) | 1,
  NETWORK_TAG_REWIRE = (RELSIM_STREAM_NETWORK << 16) | 2,
  NETWORK_TAG_TARGET = (RELSIM_STREAM_NETWORK << 16) | 3
};

struct relsim_network {
  int kind;             /* enum relsim_network_kind */
  int contacts;         /* k, contacts per customer as asked */
  int64_t n;            /* customers */
  uint64_t seed;

  /* random: Feistel permutations on [0, 2^(lo_bits + hi_bits)) */
  int half;             /* k/2 permutations, then one more for odd k */
  int lo_bits;
  uint64_t lo_mask, hi_mask;
  uint64_t *keys;       /* NETWORK_ROUNDS round keys per permutation */
  int64_t unmatched;    /* odd k and odd n: the customer left out of the matching, else -1 */

  /* small_world */
  uint64_t rewire_below; /* a slot is rewired when hash >> 11 < rewire_below (= rewire * 2^53) */

  /* scale_free, file: CSR, contacts of i are nbr[offsets[i] .. offsets[i+1]) */
  int64_t *offsets;     /* n + 1 */
  int32_t *nbr32;       /* when n <= RELSIM_NETWORK_NARROW_MAX (INT32_MAX) ... */
  int64_t *nbr64;       /* ... else */

  size_t bytes;
};

/* Where a failure goes: its message and its status. */
struct network_err {
  char *msg;
  size_t len;
  enum relsim_status status;
};

/* Record a failure: its status and message. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void network_error(struct network_err *e, enum relsim_status status, const char *fmt, ...);

/* ---- CSR storage (scale_free, file) -------------------------------------- */

static inline int64_t network_nbr_get(const struct relsim_network *net, int64_t s) {
  return net->nbr32 ? net->nbr32[s] : net->nbr64[s];
}

static inline void network_nbr_set(struct relsim_network *net, int64_t s, int64_t v) {
  if (net->nbr32)
    net->nbr32[s] = (int32_t)v;
  else
    net->nbr64[s] = v;
}

/* Largest n stored with 32-bit neighbours (lower it, e.g. to 0, to test the
 * 64-bit path). */
#ifndef RELSIM_NETWORK_NARROW_MAX
#define RELSIM_NETWORK_NARROW_MAX INT32_MAX
#endif

/* Build the stored kinds (network_stored.c). Return 0, or -1 with e set. */
int network_build_scale_free(struct relsim_network *net, struct network_err *e);
int network_build_file(struct relsim_network *net, const char *path, struct network_err *e);

/* Before building: the contact entries (both directions) a stored network
 * will hold: scale_free exactly, file at most two per line of the file (the
 * most the reading pass holds before duplicates are dropped); 0 for the
 * computed kinds; -1 if the file cannot be read. */
int64_t network_stored_entries(int kind, int64_t n, int contacts, const char *path);

#endif
