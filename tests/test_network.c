/*
 * Tests of the contact network (src/network.c, MODEL.md §9): degrees,
 * symmetry, the Feistel permutations, uniformity (chi-square), the
 * small-world lattice and its rewiring rate, the Barabasi-Albert degree tail,
 * the edge-list reader and its errors, determinism from the seed. Prints
 * (does not assert) construction time and memory of scale_free at n = 10^5,
 * k = 250, and the cost of a contact look-up.
 */
#include "relsim/network.h"
#include "relsim/params.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#ifndef RELSIM_SOURCE_DIR
#define RELSIM_SOURCE_DIR "."
#endif
/* as in src/network.c: larger markets store 64-bit contacts */
#ifndef RELSIM_NETWORK_NARROW_MAX
#define RELSIM_NETWORK_NARROW_MAX INT32_MAX
#endif
#define FIXTURE(name) RELSIM_SOURCE_DIR "/tests/networks/" name

static char err[1024];

static struct relsim_network *make(int kind, int64_t n, int k, double rewire, const char *file,
                                   uint64_t seed) {
  err[0] = '\0';
  struct relsim_network *net = NULL;
  enum relsim_status st = network_create(&net, kind, n, k, rewire, file, seed, err, sizeof err);
  CHECK_INT_EQ(st, RELSIM_OK);
  if (!net) fprintf(stderr, "network_create(kind %d, n %lld, k %d): %s\n", kind, (long long)n, k, err);
  CHECK(net != NULL);
  return net;
}

/* Expect network_create to fail with status want and a message containing `needle`. */
static void expect_error(int kind, int64_t n, int k, double rewire, const char *file, enum relsim_status want,
                         const char *needle) {
  err[0] = '\0';
  struct relsim_network *net = NULL;
  CHECK_INT_EQ(network_create(&net, kind, n, k, rewire, file, 1, err, sizeof err), want);
  CHECK(net == NULL);
  CHECK_STR_CONTAINS(err, needle);
  network_free(net);
}

static double now(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* All contact lists read through the public API, each sorted: off[n + 1], list. */
struct lists {
  int64_t n, *off, *c;
};

static struct lists lists_read(const struct relsim_network *net, int64_t n) {
  struct lists L = {n, malloc((size_t)(n + 1) * sizeof(int64_t)), NULL};
  if (!L.off) abort();
  L.off[0] = 0;
  for (int64_t i = 0; i < n; i++) L.off[i + 1] = L.off[i] + network_degree(net, i);
  L.c = malloc((size_t)L.off[n] * sizeof(int64_t) + 1);
  if (!L.c) abort();
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = 0; j < L.off[i + 1] - L.off[i]; j++) L.c[L.off[i] + j] = network_contact(net, i, j);
    qsort(L.c + L.off[i], (size_t)(L.off[i + 1] - L.off[i]), sizeof(int64_t), cmp_i64);
  }
  return L;
}

static void lists_free(struct lists *L) {
  free(L->off);
  free(L->c);
}

/* Occurrences of v in the sorted list of i. */
static int64_t lists_count(const struct lists *L, int64_t i, int64_t v) {
  int64_t lo = L->off[i], hi = L->off[i + 1];
  while (lo < hi) { /* first >= v */
    int64_t mid = lo + (hi - lo) / 2;
    if (L->c[mid] < v) lo = mid + 1; else hi = mid;
  }
  int64_t c = 0;
  while (lo < L->off[i + 1] && L->c[lo] == v) lo++, c++;
  return c;
}

/* Number of (i, v) where v appears in i's list a different number of times
 * than i in v's list. */
static int64_t lists_asymmetric(const struct lists *L) {
  int64_t bad = 0;
  for (int64_t i = 0; i < L->n; i++)
    for (int64_t s = L->off[i]; s < L->off[i + 1]; s++)
      if ((s == L->off[i] || L->c[s] != L->c[s - 1]) &&
          lists_count(L, i, L->c[s]) != lists_count(L, L->c[s], i))
        bad++;
  return bad;
}

/* Entries equal to their own customer, and entries repeating an earlier one. */
static void lists_loops(const struct lists *L, int64_t *self, int64_t *repeat) {
  *self = *repeat = 0;
  for (int64_t i = 0; i < L->n; i++)
    for (int64_t s = L->off[i]; s < L->off[i + 1]; s++) {
      if (L->c[s] == i) ++*self;
      if (s > L->off[i] && L->c[s] == L->c[s - 1]) ++*repeat;
    }
}

/* Pearson chi-square of counts against equal expected counts. */
static double chi_square(const int64_t *count, int buckets) {
  double total = 0, chi = 0;
  for (int b = 0; b < buckets; b++) total += (double)count[b];
  if (total == 0) return 0;
  double e = total / buckets;
  for (int b = 0; b < buckets; b++) chi += ((double)count[b] - e) * ((double)count[b] - e) / e;
  return chi;
}

/* Chi-square bound: dof + 5 sd (a fixed-seed test; under uniformity the
 * chance of exceeding it is below 1e-4 for these dof). */
static double chi_bound(int buckets) { return (buckets - 1) + 5.0 * sqrt(2.0 * (buckets - 1)); }

#define BUCKETS 40

/* ---- random ---------------------------------------------------------------- */

static void test_random_permutations(void) {
  /* contact 2m of i is pi_m(i), contact 2m+1 is pi_m^-1(i) */
  const int64_t sizes[] = {2, 3, 5, 17, 1000, 1024, 2000, 2001, 4097};
  for (size_t q = 0; q < sizeof sizes / sizeof *sizes; q++) {
    int64_t n = sizes[q];
    int k = n > 10 ? 10 : (int)(n - 1) & ~1;
    if (k < 2) k = 1;
    struct relsim_network *net = make(RELSIM_NET_RANDOM, n, k, 0, NULL, 7);
    if (!net) continue;
    char *seen = calloc((size_t)n, 1);
    int64_t not_inverse = 0, out_of_range = 0, repeated = 0;
    for (int m = 0; m < k / 2; m++) {
      memset(seen, 0, (size_t)n);
      for (int64_t x = 0; x < n; x++) {
        int64_t y = network_contact(net, x, 2 * m);
        if (y < 0 || y >= n) { out_of_range++; continue; }
        if (seen[y]++) repeated++;
        if (network_contact(net, y, 2 * m + 1) != x) not_inverse++;
      }
    }
    CHECK_INT_EQ(out_of_range, 0);
    CHECK_INT_EQ(repeated, 0); /* n images, no repeat: a bijection of [0, n) */
    CHECK_INT_EQ(not_inverse, 0);
    free(seen);
    network_free(net);
  }
}

static void test_random_graph(int64_t n, int k) {
  struct relsim_network *net = make(RELSIM_NET_RANDOM, n, k, 0, NULL, 2024);
  if (!net) return;
  int64_t short_degree = 0, wrong_degree = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t d = network_degree(net, i);
    if (d == k - 1 && (k & 1) && (n & 1)) short_degree++;
    else if (d != k) wrong_degree++;
  }
  CHECK_INT_EQ(wrong_degree, 0);
  CHECK_INT_EQ(short_degree, (k & 1) && (n & 1) ? 1 : 0);
  CHECK_NEAR(network_mean_degree(net), k - (double)short_degree / (double)n, 1e-12);
  CHECK(network_bytes(net) < 64 * 1024);

  struct lists L = lists_read(net, n);
  CHECK_INT_EQ(lists_asymmetric(&L), 0);
  /* Self-loops: each fixed point of a permutation gives two entries, about
   * one fixed point per permutation. Repeats: as if the k contacts were
   * independent uniform draws, n * (k - n (1 - (1 - 1/n)^k)), plus k/2
   * because pi(i) = pi^-1(i) has probability 2/n (i on a cycle of length 1
   * or 2). Repeats come in pairs (pi_a(i) = pi_b(i) = y also repeats i in
   * y's list), so the sd is about sqrt(2 * expected); the bound is 5 sd. */
  int64_t self, repeat;
  lists_loops(&L, &self, &repeat);
  double self_expected = 2.0 * (k / 2),
         repeat_expected = (double)n * (k - n * (1 - pow(1 - 1.0 / n, k))) + k / 2;
  printf("random n=%lld k=%d: %lld self-loop entries (expected ~%.0f), %lld repeated entries "
         "(expected ~%.0f) of %lld\n", (long long)n, k, (long long)self, self_expected,
         (long long)repeat, repeat_expected, (long long)L.off[n]);
  CHECK(self <= self_expected + 6 * sqrt(2 * self_expected) + 4);
  CHECK_NEAR(repeat, repeat_expected, 5 * sqrt(2 * repeat_expected) + 4);
  lists_free(&L);

  /* Uniformity: (a) contacts of the first half of the customers by value;
   * (b) forward offsets pi_m(i) - i mod n; (c) the offset between the
   * contacts of consecutive customers (Feistel structure would show here). */
  int64_t by_value[BUCKETS] = {0}, by_offset[BUCKETS] = {0}, by_pair[BUCKETS] = {0};
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < network_degree(net, i); j++) {
      int64_t c = network_contact(net, i, j);
      if (i < n / 2) by_value[c * BUCKETS / n]++;
      if (!(j & 1) && j / 2 < k / 2) by_offset[((c - i + n) % n) * BUCKETS / n]++;
      if (i + 1 < n && j < k - 1) by_pair[((network_contact(net, i + 1, j) - c + n) % n) * BUCKETS / n]++;
    }
  double x1 = chi_square(by_value, BUCKETS), x2 = chi_square(by_offset, BUCKETS),
         x3 = chi_square(by_pair, BUCKETS);
  printf("random n=%lld k=%d: chi-square (%d buckets, bound %.1f): value %.1f, offset %.1f, "
         "neighbour pair %.1f\n", (long long)n, k, BUCKETS, chi_bound(BUCKETS), x1, x2, x3);
  CHECK(x1 < chi_bound(BUCKETS));
  CHECK(x2 < chi_bound(BUCKETS));
  CHECK(x3 < chi_bound(BUCKETS));
  network_free(net);
}

/* ---- small_world ------------------------------------------------------------ */

static int64_t lattice(int64_t n, int64_t i, int64_t j) {
  int64_t d = j / 2 + 1;
  return ((j & 1 ? i - d : i + d) % n + n) % n;
}

static void test_small_world(int64_t n, int k) {
  struct relsim_network *net = make(RELSIM_NET_SMALL_WORLD, n, k, 0.0, NULL, 11);
  if (!net) return;
  int64_t off_lattice = 0, wrong_degree = 0;
  for (int64_t i = 0; i < n; i++) {
    if (network_degree(net, i) != k) wrong_degree++;
    for (int64_t j = 0; j < k; j++) off_lattice += network_contact(net, i, j) != lattice(n, i, j);
  }
  CHECK_INT_EQ(wrong_degree, 0);
  CHECK_INT_EQ(off_lattice, 0);
  if (!(k & 1)) { /* the even-k lattice is undirected and simple */
    struct lists L = lists_read(net, n);
    int64_t self, repeat;
    lists_loops(&L, &self, &repeat);
    CHECK_INT_EQ(lists_asymmetric(&L), 0);
    CHECK_INT_EQ(self + repeat, 0);
    lists_free(&L);
  }
  network_free(net);

  /* rewire 0.1: about 10% of slots leave the lattice (binomial, 6 sd) */
  net = make(RELSIM_NET_SMALL_WORLD, n, k, 0.1, NULL, 11);
  if (!net) return;
  int64_t rewired = 0, self = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < k; j++) {
      int64_t c = network_contact(net, i, j);
      rewired += c != lattice(n, i, j);
      self += c == i;
    }
  double slots = (double)n * k, share = (double)rewired / slots;
  printf("small_world n=%lld k=%d rewire 0.1: %.4f of slots rewired\n", (long long)n, k, share);
  CHECK_NEAR(share, 0.1 * (1 - 1.0 / (n - 1)), 6 * sqrt(0.09 / slots));
  CHECK_INT_EQ(self, 0);
  network_free(net);

  /* rewire 1: every slot is a uniformly random other customer */
  net = make(RELSIM_NET_SMALL_WORLD, n, k, 1.0, NULL, 11);
  if (!net) return;
  int64_t by_offset[BUCKETS] = {0};
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < k; j++)
      by_offset[(network_contact(net, i, j) - i - 1 + n) % n * BUCKETS / (n - 1)]++;
  double x = chi_square(by_offset, BUCKETS);
  printf("small_world n=%lld k=%d rewire 1: chi-square of offsets %.1f (bound %.1f)\n",
         (long long)n, k, x, chi_bound(BUCKETS));
  CHECK(x < chi_bound(BUCKETS));
  network_free(net);
}

/* ---- scale_free ------------------------------------------------------------- */

static void test_scale_free(int64_t n, int k) {
  struct relsim_network *net = make(RELSIM_NET_SCALE_FREE, n, k, 0, NULL, 5);
  if (!net) return;
  int64_t m = k / 2, c = m + 1;
  int64_t edges = m * (m + 1) / 2 + ((n - c) / 2) * k + ((n - c) & 1) * m;
  int64_t sum = 0, min = INT64_MAX, max = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t d = network_degree(net, i);
    sum += d;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  CHECK_INT_EQ(sum, 2 * edges);
  CHECK_INT_EQ(min, m);
  CHECK_NEAR(network_mean_degree(net), (double)sum / n, 1e-9);
  CHECK_NEAR(network_mean_degree(net), k, 0.02 * k + 1.0 * m * m / n);
  printf("scale_free n=%lld k=%d: %lld edges, degree min %lld, mean %.2f, max %lld\n",
         (long long)n, k, (long long)edges, (long long)min, network_mean_degree(net), (long long)max);
  if (n >= 100 * k) CHECK(max > 4 * network_mean_degree(net)); /* else the clique dominates */
  struct lists L = lists_read(net, n);
  int64_t self, repeat;
  lists_loops(&L, &self, &repeat);
  CHECK_INT_EQ(lists_asymmetric(&L), 0);
  CHECK_INT_EQ(self, 0);   /* newcomers link to distinct earlier customers */
  CHECK_INT_EQ(repeat, 0);
  lists_free(&L);
  network_free(net);
}

/* Complementary CDF P(D >= d) of Barabasi-Albert falls as d^-2
 * (exactly m(m+1) / (d(d+1)) in the limit): fit log P on log d. */
static void test_scale_free_tail(void) {
  int64_t n = 100000;
  int k = 10;
  struct relsim_network *net = make(RELSIM_NET_SCALE_FREE, n, k, 0, NULL, 99);
  if (!net) return;
  int64_t *count = calloc((size_t)n, sizeof(int64_t));
  for (int64_t i = 0; i < n; i++) count[network_degree(net, i)]++;
  int64_t tail = n; /* customers with degree >= d */
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int points = 0;
  double next = 2.0 * (k / 2);
  for (int64_t d = 0; d < n && tail >= 100; tail -= count[d], d++) {
    if (d < next) continue;
    double x = log((double)d), y = log((double)tail / n);
    sx += x, sy += y, sxx += x * x, sxy += x * y, points++;
    next *= 1.25;
  }
  double slope = (points * sxy - sx * sy) / (points * sxx - sx * sx);
  printf("scale_free n=%lld k=%d: log-log slope of P(D >= d) = %.3f over %d points (BA: -2)\n",
         (long long)n, k, slope, points);
  CHECK(points >= 8);
  CHECK_NEAR(slope, -2.0, 0.35);
  free(count);
  network_free(net);
}

static long peak_rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) kb = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return kb;
}

static void measure_scale_free(void) {
  int64_t n = 100000;
  int k = 250;
  double t0 = now();
  struct relsim_network *net = make(RELSIM_NET_SCALE_FREE, n, k, 0, NULL, 3);
  double t1 = now();
  if (!net) return;
  double entries = network_mean_degree(net) * n;
  printf("scale_free n=%lld k=%d: built in %.3f s, %zu bytes (%.2f bytes per contact entry, "
         "%.1f MB), peak RSS of the test so far %ld kB\n", (long long)n, k, t1 - t0,
         network_bytes(net), network_bytes(net) / entries, network_bytes(net) / 1e6, peak_rss_kb());
  double width = n <= RELSIM_NETWORK_NARROW_MAX ? 4 : 8; /* bytes per stored contact */
  CHECK(network_bytes(net) <= (size_t)(entries * width + 8.0 * (n + 1) + 4096));
  network_free(net);
}

/* Print the cost of one contact look-up (degree + contact of a pseudo-random slot). */
static void measure_lookup(const char *name, int kind, int64_t n, int k) {
  struct relsim_network *net = make(kind, n, k, 0.1, NULL, 1);
  if (!net) return;
  const int64_t calls = 4000000;
  uint64_t x = 88172645463325252ULL, acc = 0;
  double t0 = now();
  for (int64_t q = 0; q < calls; q++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t i = (int64_t)(x % (uint64_t)n), d = network_degree(net, i);
    if (d > 0) acc += (uint64_t)network_contact(net, i, (int64_t)((x >> 32) % (uint64_t)d));
  }
  double t1 = now();
  printf("lookup %-11s n=%lld k=%d: %.1f ns per contact (checksum %llu)\n", name, (long long)n, k,
         1e9 * (t1 - t0) / calls, (unsigned long long)(acc & 0xffff));
  network_free(net);
}

/* ---- mixed, file, errors, determinism ---------------------------------------- */

static void test_mixed(void) {
  int64_t n = 50;
  struct relsim_network *net = make(RELSIM_NET_MIXED, n, 250, 0, NULL, 1);
  if (!net) return;
  CHECK_NEAR(network_mean_degree(net), n - 1, 0);
  int64_t bad = 0;
  for (int64_t i = 0; i < n; i++) {
    bad += network_degree(net, i) != n - 1;
    for (int64_t j = 0; j < n - 1; j++) bad += network_contact(net, i, j) != (j < i ? j : j + 1);
  }
  CHECK_INT_EQ(bad, 0);
  network_free(net);
  net = make(RELSIM_NET_MIXED, 1, 250, 0, NULL, 1);
  if (net) CHECK_INT_EQ(network_degree(net, 0), 0);
  network_free(net);
}

/* Write text (len bytes) to path. */
static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT_EQ(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* What a network file may be: text (a NUL byte is named, at its line and
 * column, not called a long line), at least one edge, lines of at most 4094
 * characters but comments of any length, and at most RELSIM_NETWORK_FILE_MAX
 * bytes (a larger regular file is refused before it is read; /dev/zero
 * ends at its first byte). */
static void test_file_bounds(void) {
  expect_error(RELSIM_NET_FILE, 10, 0, 0, FIXTURE("bad_nul.txt"), RELSIM_ERR_SCENARIO,
               "bad_nul.txt:4:2: a NUL byte, so not a text file; allowed: lines of two customer indices \"i j\"");
  expect_error(RELSIM_NET_FILE, 10, 0, 0, FIXTURE("bad_empty.txt"), RELSIM_ERR_SCENARIO,
               "bad_empty.txt: no edges (the file is empty, or has only comments and blank lines), so no customer "
               "could tell another; allowed: an edge list of at least one line \"i j\"");
  expect_error(RELSIM_NET_FILE, 10, 0, 0, "/dev/zero", RELSIM_ERR_SCENARIO, "/dev/zero:1:1: a NUL byte");

  const char *tmp = "test_network_bounds.txt";
  size_t len = 3 * 5000;
  char *text = malloc(len);
  if (!text) abort();
  /* a comment of 4999 characters, then an edge, then a line of 4095 characters */
  memset(text, ' ', len);
  text[0] = '#';
  text[4999] = '\n';
  memcpy(text + 5000, "0 1\n", 4);
  memcpy(text + 5004, "1 2", 3);
  text[5004 + 4095] = '\n';
  write_file(tmp, text, 5004 + 4096);
  expect_error(RELSIM_NET_FILE, 10, 0, 0, tmp, RELSIM_ERR_SCENARIO,
               "test_network_bounds.txt:3: line longer than 4094 characters");
  text[5004 + 4094] = '\n';
  write_file(tmp, text, 5004 + 4095); /* 4094 characters and a '\n': read */
  struct relsim_network *net = make(RELSIM_NET_FILE, 10, 0, 0, tmp, 1);
  if (net) CHECK_INT_EQ(network_degree(net, 1), 2);
  network_free(net);
  free(text);

  FILE *f = fopen(tmp, "wb"); /* a sparse file one byte past the limit */
  CHECK(f != NULL);
  if (f) {
    CHECK_INT_EQ(fputs("0 1\n", f) >= 0, 1);
    CHECK_INT_EQ(ftruncate(fileno(f), (off_t)RELSIM_NETWORK_FILE_MAX + 1), 0);
    fclose(f);
    expect_error(RELSIM_NET_FILE, 10, 0, 0, tmp, RELSIM_ERR_SCENARIO,
                 "test_network_bounds.txt: 17179869185 bytes; allowed: a network file of at most 17179869184 bytes "
                 "(16 GiB)");
  }
  remove(tmp);
}

static void test_file(void) {
  struct relsim_network *net = make(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("small.txt"), 1);
  if (!net) return;
  /* small.txt: 9 distinct edges (a reversed duplicate and a repeat removed) */
  static const int64_t expect[10][4] = {{1, 2, 8, -1}, {0, 2, -1}, {0, 1, -1}, {4, -1}, {3, 5, -1},
                                        {4, 6, -1},    {5, 7, -1}, {6, 8, -1}, {0, 7, -1}, {-1}};
  for (int64_t i = 0; i < 10; i++) {
    int64_t d = 0;
    while (expect[i][d] >= 0) d++;
    CHECK_INT_EQ(network_degree(net, i), d);
    for (int64_t j = 0; j < d && j < network_degree(net, i); j++)
      CHECK_INT_EQ(network_contact(net, i, j), expect[i][j]);
  }
  CHECK_NEAR(network_mean_degree(net), 1.8, 1e-12);
  network_free(net);

  net = make(RELSIM_NET_FILE, 3, 0, 0, FIXTURE("crlf.txt"), 1);
  if (net) {
    CHECK_INT_EQ(network_degree(net, 1), 2);
    network_free(net);
  }

  expect_error(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("bad_token.txt"), RELSIM_ERR_SCENARIO, "bad_token.txt:4: expected two customer indices");
  expect_error(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("bad_range.txt"), RELSIM_ERR_SCENARIO, "bad_range.txt:6: customer 10 out of range");
  expect_error(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("bad_columns.txt"), RELSIM_ERR_SCENARIO, "bad_columns.txt:2:");
  expect_error(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("bad_self.txt"), RELSIM_ERR_SCENARIO, "bad_self.txt:3: customer 5 linked to itself");
  expect_error(RELSIM_NET_FILE, 10, 250, 0, FIXTURE("no_such_file.txt"), RELSIM_ERR_INPUT, "no_such_file.txt");
  CHECK_STR_CONTAINS(err, strerror(ENOENT));
  expect_error(RELSIM_NET_FILE, 10, 250, 0, "", RELSIM_ERR_SCENARIO, "network.file");
  test_file_bounds();
}

static void test_validation(void) {
  expect_error(RELSIM_NET_RANDOM, 100, 0, 0, NULL, RELSIM_ERR_SCENARIO, "network.contacts = 0");
  expect_error(RELSIM_NET_RANDOM, 100, 100, 0, NULL, RELSIM_ERR_SCENARIO, "network.contacts = 100");
  expect_error(RELSIM_NET_SMALL_WORLD, 100, 250, 0.1, NULL, RELSIM_ERR_SCENARIO, "network.contacts = 250");
  expect_error(RELSIM_NET_SMALL_WORLD, 100, 10, 1.5, NULL, RELSIM_ERR_SCENARIO, "network.rewire");
  expect_error(RELSIM_NET_SMALL_WORLD, 100, 10, NAN, NULL, RELSIM_ERR_SCENARIO, "network.rewire");
  expect_error(RELSIM_NET_SCALE_FREE, 100, 1, 0, NULL, RELSIM_ERR_SCENARIO, "scale_free");
  expect_error(RELSIM_NET_SCALE_FREE, 1, 1, 0, NULL, RELSIM_ERR_SCENARIO, "network.contacts");
  expect_error(99, 100, 10, 0, NULL, RELSIM_ERR_SCENARIO, "network.kind");
  expect_error(RELSIM_NET_MIXED, 0, 10, 0, NULL, RELSIM_ERR_SCENARIO, "at least one customer");
  /* the extremes that are allowed */
  struct relsim_network *net = make(RELSIM_NET_RANDOM, 2, 1, 0, NULL, 1);
  if (net) {
    CHECK_INT_EQ(network_contact(net, 0, 0), 1);
    CHECK_INT_EQ(network_contact(net, 1, 0), 0);
  }
  network_free(net);
  net = make(RELSIM_NET_SCALE_FREE, 3, 2, 0, NULL, 1);
  if (net) CHECK_INT_EQ(network_degree(net, 0) + network_degree(net, 1) + network_degree(net, 2), 4);
  network_free(net);
}

/* Entries that differ between two networks of the same shape. */
static double differing(const struct relsim_network *a, const struct relsim_network *b, int64_t n) {
  int64_t diff = 0, total = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t da = network_degree(a, i), db = network_degree(b, i);
    for (int64_t j = 0; j < da || j < db; j++, total++)
      diff += j >= da || j >= db || network_contact(a, i, j) != network_contact(b, i, j);
  }
  return (double)diff / (double)total;
}

static void test_determinism(void) {
  const int kinds[] = {RELSIM_NET_RANDOM, RELSIM_NET_SMALL_WORLD, RELSIM_NET_SCALE_FREE};
  for (int q = 0; q < 3; q++) {
    int64_t n = 2000;
    struct relsim_network *a = make(kinds[q], n, 11, 0.5, NULL, 42);
    struct relsim_network *b = make(kinds[q], n, 11, 0.5, NULL, 42);
    struct relsim_network *c = make(kinds[q], n, 11, 0.5, NULL, 43);
    if (a && b && c) {
      CHECK_NEAR(differing(a, b, n), 0, 0);
      double dc = differing(a, c, n);
      printf("kind %d: seed 42 vs 43 differ in %.3f of contact entries\n", kinds[q], dc);
      CHECK(dc > (kinds[q] == RELSIM_NET_SMALL_WORLD ? 0.4 : 0.9));
    }
    network_free(a);
    network_free(b);
    network_free(c);
  }
}

int main(void) {
  test_random_permutations();
  test_random_graph(2000, 10);
  test_random_graph(2000, 11);
  test_random_graph(2001, 11);
  test_random_graph(2000, 250);
  test_random_graph(1 << 12, 1);
  test_small_world(2000, 10);
  test_small_world(2000, 11);
  test_small_world(2000, 250);
  test_scale_free(2000, 10);
  test_scale_free(2000, 11);
  test_scale_free(2001, 3);
  test_scale_free(2000, 250);
  test_scale_free_tail();
  test_mixed();
  test_file();
  test_validation();
  test_determinism();
  measure_scale_free();
#ifndef __SANITIZE_ADDRESS__
  /* Timings only (no check), meaningless under the sanitizers, where the
   * look-ups and a second scale-free network of 25 million contacts took
   * most of the test's time: release builds only. */
  measure_lookup("random", RELSIM_NET_RANDOM, 1000000, 250);
  measure_lookup("small_world", RELSIM_NET_SMALL_WORLD, 1000000, 250);
  measure_lookup("scale_free", RELSIM_NET_SCALE_FREE, 100000, 250);
  measure_lookup("mixed", RELSIM_NET_MIXED, 1000000, 250);
#endif
  return check_report("test_network");
}
