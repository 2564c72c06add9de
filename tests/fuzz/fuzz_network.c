/*
 * Fuzz harness of the network-file reader (network kind file,
 * src/network_stored.c).
 *
 * The input is an edge-list file; it is read for markets of several sizes
 * (FUZZ_SIZES). Properties:
 *  - the reader never crashes, leaks or reads out of bounds (the sanitizers);
 *  - a file it refuses gives no network, a status that names a bad file
 *    (or memory) and a message;
 *  - a network it builds is a simple undirected graph on the market: every
 *    contact is a customer, nobody is their own contact, each list is
 *    strictly increasing (duplicates counted once), i has j exactly when j
 *    has i, and the mean degree matches the lists.
 * A failed property prints the market size and the customer and aborts.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_input.h"
#include "relsim/network.h"
#include "relsim/params.h"
#include "relsim/status.h"

static const int64_t FUZZ_SIZES[] = {1, 10, 1000};

/* Is v a contact of u? (u's list is strictly increasing.) */
static int has_contact(const struct relsim_network *net, int64_t u, int64_t v) {
  int64_t lo = 0, hi = network_degree(net, u);
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2, c = network_contact(net, u, mid);
    if (c == v) return 1;
    if (c < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

static void check_graph(const struct relsim_network *net, int64_t n) {
  int64_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t d = network_degree(net, i);
    if (d < 0 || d >= n) fuzz_fail("n = %" PRId64 ": customer %" PRId64 " has %" PRId64 " contacts", n, i, d);
    total += d;
    for (int64_t j = 0; j < d; j++) {
      int64_t c = network_contact(net, i, j);
      if (c < 0 || c >= n || c == i)
        fuzz_fail("n = %" PRId64 ": contact %" PRId64 " of customer %" PRId64 " is %" PRId64, n, j, i, c);
      if (j > 0 && network_contact(net, i, j - 1) >= c)
        fuzz_fail("n = %" PRId64 ": the contacts of customer %" PRId64 " are not strictly increasing at %" PRId64,
                  n, i, j);
      if (!has_contact(net, c, i))
        fuzz_fail("n = %" PRId64 ": %" PRId64 " has contact %" PRId64 " but not the reverse", n, i, c);
    }
  }
  if (total % 2) fuzz_fail("n = %" PRId64 ": %" PRId64 " contact entries, an odd number", n, total);
  if (network_mean_degree(net) != (double)total / (double)n)
    fuzz_fail("n = %" PRId64 ": mean degree %.17g, the lists give %.17g", n, network_mean_degree(net),
              (double)total / (double)n);
  if (network_bytes(net) == 0) fuzz_fail("n = %" PRId64 ": a network of 0 bytes", n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_file(0, data, size);
  for (size_t s = 0; s < sizeof FUZZ_SIZES / sizeof FUZZ_SIZES[0]; s++) {
    int64_t n = FUZZ_SIZES[s];
    struct relsim_network *net = (struct relsim_network *)&net; /* must be replaced */
    char err[200];
    memset(err, 'x', sizeof err);
    enum relsim_status st = network_create(&net, RELSIM_NET_FILE, n, 0, 0.0, path, 1, err, sizeof err);
    if (st == RELSIM_OK) {
      if (!net) fuzz_fail("n = %" PRId64 ": no network and no error", n);
      check_graph(net, n);
      network_free(net);
    } else {
      if (net) fuzz_fail("n = %" PRId64 ": an error (status %d) and a network", n, (int)st);
      if (st != RELSIM_ERR_SCENARIO && st != RELSIM_ERR_MEMORY)
        fuzz_fail("n = %" PRId64 ": status %d for a file that can be read", n, (int)st);
      if (!memchr(err, '\0', sizeof err) || !err[0]) fuzz_fail("n = %" PRId64 ": no error message", n);
    }
  }
  return 0;
}
