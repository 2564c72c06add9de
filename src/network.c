/*
 * relsim contact network (MODEL.md §9, the 250 rule): who a customer can tell.
 *
 *  random       union of h = k/2 pseudo-random permutations pi_m of [0, n):
 *               contact 2m of i is pi_m(i), contact 2m+1 is pi_m^-1(i); for odd
 *               k contact k-1 is the partner in the matching
 *               partner(i) = sigma(sigma^-1(i) XOR 1). Each permutation is a
 *               keyed Feistel cipher on the smallest power of two >= n with
 *               cycle walking, so nothing is stored but the round keys.
 *  small_world  Watts-Strogatz ring: slot j of i is i + (j/2 + 1) for even j,
 *               i - (j/2 + 1) for odd j (mod n); with probability `rewire` the
 *               slot points instead to a uniformly random other customer
 *               (one-way). Computed from rng_hash(seed, i, j), never stored.
 *  scale_free   Barabasi-Albert (1999): a clique of m+1 nodes, then each
 *               newcomer links to m = k/2 distinct earlier nodes drawn with
 *               probability proportional to degree (repeated-endpoints list);
 *               undirected compressed adjacency lists (CSR).
 *  mixed        everyone: contact j of i is j < i ? j : j + 1.
 *  file         an undirected edge list, duplicates removed, stored as CSR.
 *
 * Costs, limits and the file format: docs/network.md. The stored kinds
 * (scale_free, file) are built in network_stored.c.
 */
#include "network_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "relsim/params.h"

void network_error(struct network_err *e, enum relsim_status status, const char *fmt, ...) {
  e->status = status;
  if (!e->msg || e->len == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, e->len, fmt, ap);
  va_end(ap);
}

/* ---- random: keyed Feistel permutations ---------------------------------- */

/* MurmurHash3's 64-bit finalizer: the Feistel round function. */
static inline uint64_t network_mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/* One pass of the (possibly unbalanced) Feistel network: even rounds update
 * the low half from the high half, odd rounds the high half from the low one.
 * Each round is an involution, so the inverse runs the rounds backwards. */
static inline uint64_t network_feistel(const struct relsim_network *net, const uint64_t *key,
                                       uint64_t x, int inverse) {
  uint64_t lo = x & net->lo_mask, hi = x >> net->lo_bits;
  for (int r = 0; r < NETWORK_ROUNDS; r++) {
    int q = inverse ? NETWORK_ROUNDS - 1 - r : r;
    if (q & 1)
      hi ^= network_mix(lo ^ key[q]) & net->hi_mask;
    else
      lo ^= network_mix(hi ^ key[q]) & net->lo_mask;
  }
  return (hi << net->lo_bits) | lo;
}

/* Permutation p (or its inverse) of [0, n) by cycle walking: the domain is
 * below 2n, so fewer than two passes are expected. */
static inline int64_t network_permute(const struct relsim_network *net, int p, int64_t x,
                                      int inverse) {
  const uint64_t *key = net->keys + (size_t)p * NETWORK_ROUNDS;
  uint64_t y = (uint64_t)x;
  do y = network_feistel(net, key, y, inverse);
  while (y >= (uint64_t)net->n);
  return (int64_t)y;
}

static inline int64_t network_random_contact(const struct relsim_network *net, int64_t i,
                                             int64_t j) {
  int p = (int)(j >> 1);
  if (p < net->half) return network_permute(net, p, i, (int)(j & 1));
  /* odd k: the partner in the matching of positions 2q <-> 2q+1 under sigma */
  int64_t pos = network_permute(net, net->half, i, 1) ^ 1;
  return network_permute(net, net->half, pos, 0);
}

static int network_build_random(struct relsim_network *net, struct network_err *e) {
  int perms = net->half + (net->contacts & 1);
  int bits = 2;
  while (bits < 62 && ((int64_t)1 << bits) < net->n) bits++;
  net->lo_bits = bits / 2;
  net->lo_mask = ((uint64_t)1 << net->lo_bits) - 1;
  net->hi_mask = ((uint64_t)1 << (bits - net->lo_bits)) - 1;
  /* Indices in size_t: p * NETWORK_ROUNDS + r passes INT_MAX from about 7.2e8 contacts on. */
  size_t n_keys = (size_t)perms * NETWORK_ROUNDS;
  net->keys = malloc(n_keys * sizeof *net->keys);
  if (!net->keys) {
    network_error(e, RELSIM_ERR_MEMORY, "network: cannot allocate %zu Feistel keys (%.3g GB)", n_keys,
                  (double)(n_keys * sizeof *net->keys) / 1e9);
    return -1;
  }
  for (size_t p = 0; p < (size_t)perms; p++)
    for (size_t r = 0; r < NETWORK_ROUNDS; r++)
      net->keys[p * NETWORK_ROUNDS + r] = rng_hash(net->seed, NETWORK_TAG_FEISTEL, (uint64_t)p, (uint64_t)r);
  net->unmatched = -1;
  if ((net->contacts & 1) && (net->n & 1)) net->unmatched = network_permute(net, net->half, net->n - 1, 0);
  net->bytes += n_keys * sizeof *net->keys;
  return 0;
}

/* ---- small_world ---------------------------------------------------------- */

static inline int64_t network_small_world_contact(const struct relsim_network *net, int64_t i,
                                                  int64_t j) {
  int64_t n = net->n;
  if (net->rewire_below &&
      (rng_hash(net->seed, NETWORK_TAG_REWIRE, (uint64_t)i, (uint64_t)j) >> 11) < net->rewire_below) {
    /* modulo bias below n / 2^64: negligible */
    int64_t t = (int64_t)(rng_hash(net->seed, NETWORK_TAG_TARGET, (uint64_t)i, (uint64_t)j) %
                          (uint64_t)(n - 1));
    return t < i ? t : t + 1;
  }
  int64_t d = j / 2 + 1, c = (j & 1) ? i - d : i + d;
  if (c >= n) c -= n;
  if (c < 0) c += n;
  return c;
}

/* ---- public --------------------------------------------------------------- */

static struct relsim_network *network_build(int kind, int64_t n, int contacts, double rewire, const char *file,
                                            uint64_t seed, struct network_err *e) {
  if (kind < 0 || kind >= RELSIM_NET_COUNT) {
    network_error(e, RELSIM_ERR_SCENARIO, "network.kind: unknown kind %d (allowed: random, small_world, "
                  "scale_free, mixed, file)", kind);
    return NULL;
  }
  const char *name = relsim_network_names[kind];
  if (n < 1) {
    network_error(e, RELSIM_ERR_SCENARIO, "network: the market needs at least one customer (got %" PRId64 ")", n);
    return NULL;
  }
  int uses_k = kind == RELSIM_NET_RANDOM || kind == RELSIM_NET_SMALL_WORLD || kind == RELSIM_NET_SCALE_FREE;
  if (uses_k && (contacts < 1 || contacts >= n)) {
    network_error(e, RELSIM_ERR_SCENARIO, "network.contacts = %d: network kind %s needs 1 <= contacts < "
                  "customers (%" PRId64 ")", contacts, name, n);
    return NULL;
  }
  if (kind == RELSIM_NET_SCALE_FREE && contacts < 2) {
    network_error(e, RELSIM_ERR_SCENARIO, "network.contacts = %d: network kind scale_free needs at least 2 "
                  "contacts (each newcomer links to contacts/2 earlier customers)", contacts);
    return NULL;
  }
  if (kind == RELSIM_NET_RANDOM && n > ((int64_t)1 << 61)) {
    network_error(e, RELSIM_ERR_SCENARIO, "network: kind random supports at most 2^61 customers");
    return NULL;
  }
  if (kind == RELSIM_NET_SMALL_WORLD && !(rewire >= 0.0 && rewire <= 1.0)) {
    network_error(e, RELSIM_ERR_SCENARIO, "network.rewire = %g: must be a probability in [0, 1]", rewire);
    return NULL;
  }
  struct relsim_network *net = calloc(1, sizeof *net);
  if (!net) {
    network_error(e, RELSIM_ERR_MEMORY, "network: out of memory");
    return NULL;
  }
  net->kind = kind;
  net->n = n;
  net->contacts = contacts;
  net->seed = seed;
  net->half = contacts / 2;
  net->unmatched = -1;
  net->bytes = sizeof *net;
  if (kind == RELSIM_NET_SMALL_WORLD)
    net->rewire_below = rewire >= 1.0 ? (uint64_t)1 << 53 : (uint64_t)ldexp(rewire, 53);
  int rc = 0;
  if (kind == RELSIM_NET_RANDOM) rc = network_build_random(net, e);
  if (kind == RELSIM_NET_SCALE_FREE) rc = network_build_scale_free(net, e);
  if (kind == RELSIM_NET_FILE) rc = network_build_file(net, file, e);
  if (rc) {
    network_free(net);
    return NULL;
  }
  return net;
}

enum relsim_status network_create(struct relsim_network **out, int kind, int64_t n, int contacts, double rewire,
                                  const char *file, uint64_t seed, char *err, size_t errlen) {
  struct network_err e = {err, errlen, RELSIM_OK};
  *out = network_build(kind, n, contacts, rewire, file, seed, &e);
  return *out ? RELSIM_OK : e.status != RELSIM_OK ? e.status : RELSIM_ERR_MEMORY;
}

void network_free(struct relsim_network *net) {
  if (!net) return;
  free(net->keys);
  free(net->offsets);
  free(net->nbr32);
  free(net->nbr64);
  free(net);
}

int64_t network_degree(const struct relsim_network *net, int64_t i) {
  switch (net->kind) {
  case RELSIM_NET_RANDOM: return i == net->unmatched ? net->contacts - 1 : net->contacts;
  case RELSIM_NET_SMALL_WORLD: return net->contacts;
  case RELSIM_NET_MIXED: return net->n - 1;
  default: return net->offsets[i + 1] - net->offsets[i];
  }
}

int64_t network_contact(const struct relsim_network *net, int64_t i, int64_t j) {
  switch (net->kind) {
  case RELSIM_NET_RANDOM: return network_random_contact(net, i, j);
  case RELSIM_NET_SMALL_WORLD: return network_small_world_contact(net, i, j);
  case RELSIM_NET_MIXED: return j < i ? j : j + 1;
  default: return network_nbr_get(net, net->offsets[i] + j);
  }
}

size_t network_bytes(const struct relsim_network *net) { return net ? net->bytes : 0; }

size_t network_bytes_estimate(int kind, int64_t n, int contacts, const char *file, double *mean_degree) {
  size_t bytes = sizeof(struct relsim_network);
  double degree = kind == RELSIM_NET_MIXED ? (double)(n - 1) : (double)contacts;
  if (kind == RELSIM_NET_RANDOM) bytes += (size_t)(contacts / 2 + (contacts & 1)) * NETWORK_ROUNDS * sizeof(uint64_t);
  if (kind == RELSIM_NET_SCALE_FREE || kind == RELSIM_NET_FILE) {
    int64_t entries = network_stored_entries(kind, n, contacts, file);
    if (entries < 0) entries = 0; /* an unreadable file: the build fails before it allocates */
    size_t width = n <= RELSIM_NETWORK_NARROW_MAX ? sizeof(int32_t) : sizeof(int64_t);
    /* offsets, contacts, and the work space of the build (scale_free's marks, file's cursors) */
    bytes += ((size_t)n + 1) * sizeof(int64_t) + (size_t)entries * width + (size_t)n * sizeof(int64_t);
    degree = n > 0 ? (double)entries / (double)n : 0.0;
  }
  if (mean_degree) *mean_degree = degree;
  return bytes;
}

double network_mean_degree(const struct relsim_network *net) {
  switch (net->kind) {
  case RELSIM_NET_RANDOM:
    return (double)net->contacts - (net->unmatched >= 0 ? 1.0 / (double)net->n : 0.0);
  case RELSIM_NET_SMALL_WORLD: return (double)net->contacts;
  case RELSIM_NET_MIXED: return (double)(net->n - 1);
  default: return (double)net->offsets[net->n] / (double)net->n;
  }
}

