/*
 * relsim contact network (MODEL.md §9): who a customer can tell.
 *
 * Kinds:
 *  - random: an undirected random k-regular multigraph built as the union of
 *    k/2 pseudo-random permutations of the customers (node i is linked to
 *    pi_m(i) and pi_m^-1(i)); for odd k one more random perfect matching
 *    (when k and n are both odd, one customer has k - 1 contacts).
 *    The permutations are keyed Feistel ciphers with cycle walking, so the
 *    graph costs no memory and contact j of customer i is computed in O(1).
 *  - small_world: Watts-Strogatz ring lattice (k/2 neighbours on each side),
 *    each lattice link rewired with probability `rewire` to a uniformly random
 *    customer; computed, not stored (rewired links are one-way).
 *  - scale_free: Barabasi-Albert preferential attachment with m = k/2 links
 *    per newcomer (odd k: newcomers alternate floor and ceil of k/2), stored
 *    as compressed adjacency lists (undirected), about 4 bytes per contact.
 *  - mixed: everyone may talk to anyone (the mean-field limit): a contact is a
 *    uniformly random other customer drawn per message.
 *  - file: an undirected edge list "i j" per line (0-based customer indices,
 *    '#' comments), stored as compressed adjacency lists; duplicate edges
 *    count once, self-loops are refused, and so are a file without edges,
 *    a NUL byte and more than RELSIM_NETWORK_FILE_MAX bytes.
 * mixed and file ignore `contacts`.
 *
 * All draws are pure functions of (seed, customer, index): the network does
 * not depend on the thread count, and a newcomer takes the place (and the
 * contacts) of the customer it replaces.
 */
#ifndef RELSIM_NETWORK_H
#define RELSIM_NETWORK_H

#include <stddef.h>
#include <stdint.h>
#include "relsim/status.h"

/* The largest network file read (16 GiB, about 10^9 edges): a larger one,
 * or a stream that goes on past it, is refused. */
#define RELSIM_NETWORK_FILE_MAX (UINT64_C(1) << 34)

struct relsim_network;

/* Build a network of n customers into *out. kind: enum relsim_network_kind.
 * contacts: k. rewire: small-world rewiring probability. file: edge-list
 * path (kind file). Returns RELSIM_OK, or a status (RELSIM_ERR_SCENARIO for
 * a bad value or file content, RELSIM_ERR_INPUT for an unreadable file,
 * RELSIM_ERR_MEMORY) with *out NULL and a message naming the cause in err. */
enum relsim_status network_create(struct relsim_network **out, int kind, int64_t n, int contacts, double rewire,
                                  const char *file, uint64_t seed, char *err, size_t errlen);
void network_free(struct relsim_network *net);

/* Number of contacts of customer i (for mixed: n - 1). */
int64_t network_degree(const struct relsim_network *net, int64_t i);

/* The j-th contact of customer i, 0 <= j < degree(i). For mixed the j-th
 * contact is the j-th other customer (i.e. j < i ? j : j + 1). */
int64_t network_contact(const struct relsim_network *net, int64_t i, int64_t j);

/* Bytes held by the network (for the memory report). */
size_t network_bytes(const struct relsim_network *net);

/* Bytes a network will take, known before it is built (the memory check):
 * the round keys (random), or the stored contacts with their offsets and
 * the work space of building them (scale_free exactly; file from its number
 * of lines, an upper bound, read from the file; an unreadable file counts
 * nothing). *mean_degree (may be NULL): the mean contacts per customer. */
size_t network_bytes_estimate(int kind, int64_t n, int contacts, const char *file, double *mean_degree);

/* Mean degree over all customers (for documentation and tests). */
double network_mean_degree(const struct relsim_network *net);

#endif
