/*
 * The stored networks (MODEL.md §9), as compressed adjacency lists (CSR):
 * contacts of i are nbr[offsets[i] .. offsets[i+1]).
 *
 *  scale_free   Barabasi-Albert (1999): a clique of m+1 nodes, then each
 *               newcomer links to m = k/2 distinct earlier nodes drawn with
 *               probability proportional to degree (repeated-endpoints list).
 *  file         an undirected edge list "i j" per line, duplicates removed;
 *               at most RELSIM_NETWORK_FILE_MAX bytes of text, at least one
 *               edge.
 */
#include "network_internal.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "relsim/params.h"

#define NETWORK_LINE_MAX 4096   /* longest edge-list line, comments excepted */

static size_t network_nbr_width(const struct relsim_network *net) {
  return net->n <= RELSIM_NETWORK_NARROW_MAX ? sizeof(int32_t) : sizeof(int64_t);
}

/* Allocate the offsets, zeroed (n + 1 entries). */
static int network_alloc_offsets(struct relsim_network *net, struct network_err *e) {
  if ((uint64_t)net->n >= SIZE_MAX / sizeof *net->offsets ||
      !(net->offsets = calloc((size_t)net->n + 1, sizeof *net->offsets))) {
    network_error(e, RELSIM_ERR_MEMORY, "network: cannot allocate the offsets of %" PRId64 " customers", net->n);
    return -1;
  }
  return 0;
}

/* Allocate room for `entries` neighbours. */
static int network_alloc_nbr(struct relsim_network *net, int64_t entries, struct network_err *e) {
  size_t w = network_nbr_width(net);
  void *nbr = NULL;
  if (entries >= 0 && (uint64_t)entries < SIZE_MAX / w) nbr = malloc(entries > 0 ? (size_t)entries * w : 1);
  if (!nbr) {
    network_error(e, RELSIM_ERR_MEMORY, "network: cannot allocate %.3g GB for %" PRId64 " contact entries",
                  (double)entries * (double)w / 1e9, entries);
    return -1;
  }
  if (w == sizeof(int32_t))
    net->nbr32 = nbr;
  else
    net->nbr64 = nbr;
  return 0;
}

static void network_csr_account(struct relsim_network *net) {
  net->bytes += ((size_t)net->n + 1) * sizeof *net->offsets +
                (size_t)net->offsets[net->n] * network_nbr_width(net);
}

/* ---- scale_free: Barabasi-Albert ----------------------------------------- *
 * Nodes 0..m form a clique: node b links to 0..b-1 (its b "own" edges).
 * Newcomer t > m links to m distinct earlier nodes; for odd k newcomers
 * alternate m and m+1 links so the mean degree stays k. Edge e is stored once,
 * as its target, at nbr[e] during the growth; its source follows from e. */

struct network_ba {
  int64_t m, k, clique, e0; /* links per newcomer, contacts, clique size, clique edges */
};

/* Number of own edges of node t. */
static int64_t network_ba_own(const struct network_ba *ba, int64_t t) {
  if (t < ba->clique) return t;
  return ((t - ba->clique) & 1) ? ba->k - ba->m : ba->m;
}

/* Index of node t's first own edge (= edges of the nodes before t). */
static int64_t network_ba_first(const struct network_ba *ba, int64_t t) {
  if (t <= ba->clique) return t * (t - 1) / 2;
  int64_t r = t - ba->clique;
  return ba->e0 + (r / 2) * ba->k + (r & 1) * ba->m;
}

/* The node that owns edge e. */
static int64_t network_ba_source(const struct network_ba *ba, int64_t e) {
  if (e >= ba->e0) {
    int64_t r = e - ba->e0;
    return ba->clique + 2 * (r / ba->k) + (r % ba->k >= ba->m);
  }
  int64_t b = (int64_t)((1.0 + sqrt(1.0 + 8.0 * (double)e)) / 2.0);
  while (b * (b - 1) / 2 > e) b--;
  while (b * (b + 1) / 2 <= e) b++;
  return b;
}

/* Endpoint p of the repeated-endpoints list: edge p/2, its target if p is
 * odd (stored), its source if p is even (computed). */
static inline int64_t network_ba_endpoint(const struct relsim_network *net,
                                          const struct network_ba *ba, uint64_t p) {
  int64_t e = (int64_t)(p >> 1);
  return (p & 1) ? network_nbr_get(net, e) : network_ba_source(ba, e);
}

int network_build_scale_free(struct relsim_network *net, struct network_err *err) {
  int64_t n = net->n;
  struct network_ba ba = {.m = net->contacts / 2, .k = net->contacts};
  ba.clique = ba.m + 1;
  ba.e0 = ba.m * (ba.m + 1) / 2;
  int64_t edges = network_ba_first(&ba, n);
  if (network_alloc_offsets(net, err) || network_alloc_nbr(net, 2 * edges, err))
    return -1;
  int64_t *off = net->offsets;
  int64_t *mark = malloc((size_t)n * sizeof *mark); /* newcomer that last picked v; later a cursor */
  gsl_rng *r = rng_alloc();
  if (!mark || !r) {
    free(mark);
    rng_free(r);
    network_error(err, RELSIM_ERR_MEMORY, "network: cannot allocate the scale_free work space (%" PRId64
                  " customers)", n);
    return -1;
  }
  for (int64_t v = 0; v < n; v++) mark[v] = -1;

  /* growth: off[v + 1] counts the edges v receives */
  int64_t e = 0;
  for (int64_t b = 1; b < ba.clique; b++)
    for (int64_t a = 0; a < b; a++, e++) {
      network_nbr_set(net, e, a);
      off[a + 1]++;
    }
  for (int64_t t = ba.clique; t < n; t++) {
    uint64_t pool = 2 * (uint64_t)e; /* endpoints so far: the repeated-endpoints list */
    int64_t own = network_ba_own(&ba, t);
    rng_seek(r, net->seed, 0, RELSIM_STREAM_NETWORK, (uint64_t)t, 0, RELSIM_NET_SCALE_FREE);
    for (int64_t s = 0; s < own; s++, e++) {
      int64_t v;
      do v = network_ba_endpoint(net, &ba, rng_below(r, pool));
      while (mark[v] == t); /* distinct targets */
      mark[v] = t;
      network_nbr_set(net, e, v);
      off[v + 1]++;
    }
  }
  rng_free(r);

  /* degrees -> offsets; then slide each node's own edges, last node first,
   * from nbr[first(v)] to nbr[off[v]]: off[v] >= first(v), so nothing unread
   * is overwritten. */
  for (int64_t v = 0; v < n; v++) off[v + 1] += off[v] + network_ba_own(&ba, v);
  size_t w = network_nbr_width(net);
  char *base = net->nbr32 ? (char *)net->nbr32 : (char *)net->nbr64;
  for (int64_t v = n - 1; v >= 0; v--)
    memmove(base + (size_t)off[v] * w, base + (size_t)network_ba_first(&ba, v) * w,
            (size_t)network_ba_own(&ba, v) * w);
  /* the other direction: u joins the list of each of its targets, after their own edges */
  for (int64_t v = 0; v < n; v++) mark[v] = off[v] + network_ba_own(&ba, v);
  for (int64_t u = 0; u < n; u++) {
    int64_t end = off[u] + network_ba_own(&ba, u);
    for (int64_t s = off[u]; s < end; s++) network_nbr_set(net, mark[network_nbr_get(net, s)]++, u);
  }
  free(mark);
  network_csr_account(net);
  return 0;
}

/* ---- file: undirected edge list ------------------------------------------ */

/* Parse the customer index at *p and move past it. Returns 0, 1 when *p does
 * not start with a whole integer, or 2 when the integer is not in [0, n). */
static int network_parse_index(const char **p, int64_t n, int64_t *out) {
  const char *s = *p;
  char *end;
  if (!(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1])))) return 1;
  errno = 0;
  long long x = strtoll(s, &end, 10);
  if (*end && !isspace((unsigned char)*end) && *end != '#') return 1;
  *p = end;
  if (errno == ERANGE || x < 0 || x >= n) return 2;
  *out = x;
  return 0;
}

/* Reads an edge list line by line, in chunks: it sees every byte, so a NUL
 * byte is named as such, and it counts them, so no stream is read without
 * end (a line longer than the buffer is still read to its end, for a long
 * comment). */
struct network_reader {
  FILE *f;
  const char *path;
  unsigned char chunk[1 << 16];
  size_t at, end;
  uint64_t bytes; /* read so far */
  long lineno;
};

/* Fill the chunk; 0 at the end of the file, -1 on a read error or past the
 * limit (e set). */
static int network_reader_fill(struct network_reader *r, struct network_err *e) {
  r->at = 0;
  r->end = fread(r->chunk, 1, sizeof r->chunk, r->f);
  if (r->end == 0) {
    if (!ferror(r->f)) return 0;
    network_error(e, RELSIM_ERR_INPUT, "%s: read error: %s", r->path, strerror(errno));
    return -1;
  }
  r->bytes += r->end;
  if (r->bytes > RELSIM_NETWORK_FILE_MAX) {
    network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: the file goes on past %" PRIu64 " bytes (16 GiB); allowed: a "
                  "network file of at most %" PRIu64 " bytes", r->path, r->lineno,
                  (uint64_t)RELSIM_NETWORK_FILE_MAX, (uint64_t)RELSIM_NETWORK_FILE_MAX);
    return -1;
  }
  return 1;
}

/* The next line into line (NUL-terminated, without its end; at most
 * NETWORK_LINE_MAX - 1 bytes kept, *whole = 0 if it was longer). Returns 1,
 * 0 at the end of the file, or -1 (e set) on a read error, past the size
 * limit, or at a NUL byte. */
static int network_reader_line(struct network_reader *r, char *line, int *whole, struct network_err *e) {
  size_t n = 0;
  uint64_t len = 0;
  int any = 0;
  for (;;) {
    if (r->at == r->end) {
      int rc = network_reader_fill(r, e);
      if (rc < 0) return -1;
      if (rc == 0) break;
    }
    unsigned char c = r->chunk[r->at++];
    if (!any) r->lineno++, any = 1;
    if (c == '\n') break;
    if (c == '\0') {
      network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld:%" PRIu64 ": a NUL byte, so not a text file; allowed: lines "
                    "of two customer indices \"i j\"", r->path, r->lineno, len + 1);
      return -1;
    }
    if (n < NETWORK_LINE_MAX - 1) line[n++] = (char)c;
    len++;
  }
  line[n] = '\0';
  *whole = len < NETWORK_LINE_MAX - 1;
  return any;
}

/* One reading pass. pass 0 validates and counts degrees into off[v + 1];
 * pass 1 writes both directions of each edge at cursor[v]++. *edges counts
 * the edge lines. */
static int network_read_edges(struct relsim_network *net, FILE *f, const char *path, int pass,
                              int64_t *cursor, int64_t *edges, struct network_err *e) {
  char line[NETWORK_LINE_MAX];
  struct network_reader *rd = malloc(sizeof *rd);
  if (!rd) {
    network_error(e, RELSIM_ERR_MEMORY, "network: out of memory reading %s", path);
    return -1;
  }
  *rd = (struct network_reader){.f = f, .path = path};
  int whole, rc, status = -1;
  *edges = 0;
  while ((rc = network_reader_line(rd, line, &whole, e)) > 0) {
    long lineno = rd->lineno;
    const char *p = line;
    while (isspace((unsigned char)*p)) p++;
    if (*p == '#' || *p == '\0') continue; /* a comment or a blank line, of any length */
    if (!whole) {
      network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: line longer than %d characters; allowed: lines of two "
                    "customer indices \"i j\" (a comment may be longer)", path, lineno, NETWORK_LINE_MAX - 2);
      goto done;
    }
    int64_t id[2];
    for (int q = 0; q < 2; q++) {
      const char *tok = p;
      int bad = network_parse_index(&p, net->n, &id[q]);
      if (bad == 1) {
        line[strcspn(line, "\r\n")] = '\0';
        network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: expected two customer indices \"i j\", got \"%.60s\"",
                      path, lineno, line);
        goto done;
      }
      if (bad == 2) {
        network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: customer %.*s out of range: the market has %" PRId64
                      " customers (indices 0 to %" PRId64 ")", path, lineno, (int)(p - tok), tok,
                      net->n, net->n - 1);
        goto done;
      }
      while (isspace((unsigned char)*p)) p++;
    }
    if (*p != '\0' && *p != '#') {
      line[strcspn(line, "\r\n")] = '\0';
      network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: expected two customer indices \"i j\", got \"%.60s\"",
                    path, lineno, line);
      goto done;
    }
    if (id[0] == id[1]) {
      network_error(e, RELSIM_ERR_SCENARIO, "%s:%ld: customer %" PRId64 " linked to itself (self-loops are not allowed)",
                    path, lineno, id[0]);
      goto done;
    }
    ++*edges;
    for (int q = 0; q < 2; q++) {
      int64_t v = id[q], u = id[1 - q];
      if (pass == 0) {
        net->offsets[v + 1]++;
      } else {
        if (cursor[v] >= net->offsets[v + 1]) {
          network_error(e, RELSIM_ERR_INPUT, "%s: file changed while it was being read", path);
          goto done;
        }
        network_nbr_set(net, cursor[v]++, u);
      }
    }
  }
  if (rc == 0) status = 0;
done:
  free(rd);
  return status;
}

static int network_cmp32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static int network_cmp64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Sort each list and drop repeated contacts, compacting in place. */
static void network_csr_dedupe(struct relsim_network *net) {
  int64_t *off = net->offsets, w = 0, start = 0;
  size_t width = network_nbr_width(net);
  for (int64_t v = 0; v < net->n; v++) {
    int64_t end = off[v + 1];
    if (net->nbr32)
      qsort(net->nbr32 + start, (size_t)(end - start), width, network_cmp32);
    else
      qsort(net->nbr64 + start, (size_t)(end - start), width, network_cmp64);
    off[v] = w;
    for (int64_t s = start; s < end; s++) {
      int64_t x = network_nbr_get(net, s);
      if (w == off[v] || network_nbr_get(net, w - 1) != x) network_nbr_set(net, w++, x);
    }
    start = end;
  }
  off[net->n] = w;
  /* give back the room of the duplicates (shrinking cannot fail in practice) */
  void *old = net->nbr32 ? (void *)net->nbr32 : (void *)net->nbr64;
  void *shrunk = realloc(old, w > 0 ? (size_t)w * width : 1);
  if (shrunk) {
    if (net->nbr32)
      net->nbr32 = shrunk;
    else
      net->nbr64 = shrunk;
  }
}

int network_build_file(struct relsim_network *net, const char *path, struct network_err *e) {
  if (!path || !*path) {
    network_error(e, RELSIM_ERR_SCENARIO, "network.kind file needs network.file, the path of an edge list");
    return -1;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    network_error(e, RELSIM_ERR_INPUT, "cannot open network file '%s': %s", path, strerror(errno));
    return -1;
  }
  int64_t *cursor = NULL, edges = 0;
  int rc = -1;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > RELSIM_NETWORK_FILE_MAX) {
    network_error(e, RELSIM_ERR_SCENARIO, "%s: %" PRIu64 " bytes; allowed: a network file of at most %" PRIu64
                  " bytes (16 GiB)", path, (uint64_t)st.st_size, (uint64_t)RELSIM_NETWORK_FILE_MAX);
    goto done;
  }
  if (network_alloc_offsets(net, e)) goto done;
  if (network_read_edges(net, f, path, 0, NULL, &edges, e)) goto done;
  if (edges == 0) {
    network_error(e, RELSIM_ERR_SCENARIO, "%s: no edges (the file is empty, or has only comments and blank "
                  "lines), so no customer could tell another; allowed: an edge list of at least one line \"i j\"",
                  path);
    goto done;
  }
  for (int64_t v = 0; v < net->n; v++) net->offsets[v + 1] += net->offsets[v];
  if (network_alloc_nbr(net, net->offsets[net->n], e)) goto done;
  cursor = malloc((size_t)net->n * sizeof *cursor);
  if (!cursor) {
    network_error(e, RELSIM_ERR_MEMORY, "network: cannot allocate cursors for %" PRId64 " customers", net->n);
    goto done;
  }
  memcpy(cursor, net->offsets, (size_t)net->n * sizeof *cursor);
  rewind(f);
  if (network_read_edges(net, f, path, 1, cursor, &edges, e)) goto done;
  for (int64_t v = 0; v < net->n; v++)
    if (cursor[v] != net->offsets[v + 1]) {
      network_error(e, RELSIM_ERR_INPUT, "%s: file changed while it was being read", path);
      goto done;
    }
  network_csr_dedupe(net);
  network_csr_account(net);
  rc = 0;
done:
  free(cursor);
  fclose(f);
  return rc;
}


/* ---- before building: the size of a stored network ---------------------- */

/* Lines of the file at path (a last line without a newline counts), or -1. */
static int64_t network_count_lines(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  char buf[1 << 16];
  int64_t lines = 0;
  size_t got;
  char last = '\n';
  uint64_t total = 0;
  int bad = 0;
  while (!bad && (got = fread(buf, 1, sizeof buf, f)) > 0) {
    /* not a text file, or past the reader's limit: the reader says so; no count */
    total += got;
    if (memchr(buf, '\0', got) || total > RELSIM_NETWORK_FILE_MAX) bad = 1;
    for (const char *p = buf, *end = buf + got; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) lines++;
    last = buf[got - 1];
  }
  bad |= ferror(f);
  fclose(f);
  if (bad) return -1;
  return lines + (last != '\n');
}

int64_t network_stored_entries(int kind, int64_t n, int contacts, const char *path) {
  if (kind == RELSIM_NET_SCALE_FREE && contacts >= 2 && n > 0) {
    struct network_ba ba = {.m = contacts / 2, .k = contacts};
    ba.clique = ba.m + 1;
    ba.e0 = ba.m * (ba.m + 1) / 2;
    return 2 * network_ba_first(&ba, n);
  }
  if (kind == RELSIM_NET_FILE) {
    int64_t lines = path && *path ? network_count_lines(path) : -1;
    return lines < 0 ? -1 : 2 * lines;
  }
  return 0;
}
