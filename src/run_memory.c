/*
 * The memory of a run (run.h): what a scenario needs, estimated before
 * anything large is allocated; what this process may still use (the
 * smallest of MemAvailable, the cgroup limits and ulimit -v); the check that
 * refuses a run that cannot fit; sizes read and written as people type them
 * (512M, 2G). How the estimate compares with measured peaks:
 * docs/performance.md.
 */
#include "relsim/run.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "relsim/sim.h"
#include "relsim/world.h"

/* The program with its libraries (HDF5, GSL, libyaml, OpenMP) and a small
 * run's output file: the peak resident size of a 1000-customer run is 21 MB
 * (docs/performance.md); per thread, the stack and buffers it touches. */
#define RUN_MEMORY_PROGRAM ((size_t)22 << 20)
#define RUN_MEMORY_PER_THREAD ((size_t)256 << 10)

/* The output writer (output.c): metric datasets are chunked by 64 periods
 * and HDF5 keeps up to 1 MiB of each dataset's chunks in its cache;
 * snapshots are chunked by 65536 values, a chunk and its compression buffer
 * per column, and the customer index is built in memory once. */
#define RUN_OUTPUT_PERIOD_CHUNK 64
#define RUN_OUTPUT_CACHE ((size_t)1 << 20)
#define RUN_OUTPUT_SNAPSHOT_COLUMN ((size_t)2 * 65536 * sizeof(double))

/* HDF5 chunk cache of count datasets whose chunks hold chunk_bytes for
 * RUN_OUTPUT_PERIOD_CHUNK periods. */
static size_t output_cache_bytes(int count, size_t chunk_bytes, int periods) {
  size_t chunks = ((size_t)periods + RUN_OUTPUT_PERIOD_CHUNK - 1) / RUN_OUTPUT_PERIOD_CHUNK;
  size_t per = chunks * chunk_bytes;
  return (size_t)count * (per < RUN_OUTPUT_CACHE ? per : RUN_OUTPUT_CACHE);
}

void run_memory_estimate(const struct relsim_params *p, int threads, struct relsim_memory_estimate *e) {
  if (threads <= 0) threads = omp_get_max_threads();
  memset(e, 0, sizeof *e);
  sim_bytes_estimate(p, threads, &e->sim);
  const size_t k = (size_t)p->n_firms, d = sizeof(double);
  e->history = (size_t)p->periods * RELSIM_FM_COUNT * k * d;
  e->output = output_cache_bytes(RELSIM_FM_COUNT, RUN_OUTPUT_PERIOD_CHUNK * k * d, p->periods) +
              output_cache_bytes(RELSIM_TM_COUNT, RUN_OUTPUT_PERIOD_CHUNK * k * RELSIM_TIER_COUNT * d, p->periods) +
              output_cache_bytes(RELSIM_MM_COUNT, RUN_OUTPUT_PERIOD_CHUNK * d, p->periods);
  if (p->snapshot_every > 0) {
    struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
    int n_cols = world_snapshot_columns(NULL, cols);
    e->output += (size_t)p->customers * sizeof(int64_t) + (size_t)n_cols * RUN_OUTPUT_SNAPSHOT_COLUMN;
  }
  e->program = RUN_MEMORY_PROGRAM + (size_t)threads * RUN_MEMORY_PER_THREAD;
  e->total = e->sim.customers + e->sim.network + e->sim.wom + e->sim.tallies + e->sim.other + e->history +
             e->output + e->program;
}

void run_memory_format(uint64_t bytes, char *buf, size_t len) {
  static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double v = (double)bytes;
  int u = 0;
  while (v >= 999.5 && u < 6) v /= 1000.0, u++;
  if (u == 0) snprintf(buf, len, "%" PRIu64 " B", bytes);
  else snprintf(buf, len, v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s", v, units[u]);
}

/* The parts of an estimate, largest first among those shown. */
struct memory_part {
  const char *name;
  size_t bytes;
};

static int memory_parts(const struct relsim_memory_estimate *e, struct memory_part *part) {
  struct memory_part all[] = {{"customers", e->sim.customers}, {"network", e->sim.network},
                              {"word of mouth", e->sim.wom},   {"tallies", e->sim.tallies},
                              {"metric history", e->history},  {"output", e->output},
                              {"program", e->program + e->sim.other}};
  int n = (int)(sizeof all / sizeof *all);
  for (int i = 0; i < n; i++) part[i] = all[i];
  for (int i = 1; i < n; i++) /* insertion sort, largest first; ties keep the table's order */
    for (int j = i; j > 0 && part[j].bytes > part[j - 1].bytes; j--) {
      struct memory_part t = part[j];
      part[j] = part[j - 1];
      part[j - 1] = t;
    }
  return n;
}

void run_memory_describe(const struct relsim_memory_estimate *e, char *buf, size_t len) {
  struct memory_part part[8];
  int n = memory_parts(e, part), at;
  char size[32];
  run_memory_format(e->total, size, sizeof size);
  at = snprintf(buf, len, "%s (", size);
  size_t rest = 0;
  int shown = 0;
  for (int i = 0; i < n; i++) {
    /* a part of at least 5% is named; the others are added up */
    if (part[i].bytes * 20 < e->total) {
      rest += part[i].bytes;
      continue;
    }
    run_memory_format(part[i].bytes, size, sizeof size);
    if (at >= 0 && (size_t)at < len) at += snprintf(buf + at, len - (size_t)at, "%s%s %s", shown++ ? ", " : "", part[i].name, size);
  }
  run_memory_format(rest, size, sizeof size);
  if (at >= 0 && (size_t)at < len) snprintf(buf + at, len - (size_t)at, "%s%s)", shown ? ", other " : "other ", size);
}

/* Append text to buf (a list separated by ", "), unless it is there already. */
static void key_add(char *buf, size_t len, const char *text) {
  if (strstr(buf, text)) return;
  size_t at = strlen(buf);
  snprintf(buf + at, len - at, "%s%s", at ? ", " : "", text);
}

void run_memory_keys(const struct relsim_params *p, const struct relsim_memory_estimate *e, char *buf, size_t len) {
  char item[160];
  buf[0] = '\0';
  snprintf(item, sizeof item, "market.customers (%" PRId64 ")", (int64_t)p->customers);
  key_add(buf, len, item);
  struct memory_part part[8];
  int n = memory_parts(e, part);
  for (int i = 0; i < n; i++) {
    if (i > 0 && part[i].bytes * 10 < e->total) break; /* the largest part, then any of 10% or more */
    const char *name = part[i].name;
    if (!strcmp(name, "customers")) {
      snprintf(item, sizeof item, "the number of firms (%d)", p->n_firms);
      key_add(buf, len, item);
      if (p->n_attrs > 1) {
        snprintf(item, sizeof item, "market.attributes (%d)", p->n_attrs);
        key_add(buf, len, item);
      }
    } else if (!strcmp(name, "network")) {
      if (p->network_kind == RELSIM_NET_FILE) snprintf(item, sizeof item, "network.file (%s)", p->network_file);
      else snprintf(item, sizeof item, "network.contacts (%d)", p->contacts);
      key_add(buf, len, item);
    } else if (!strcmp(name, "word of mouth")) {
      if (p->tell_all) key_add(buf, len, "wom.tell_all");
      else key_add(buf, len, "wom.tell_positive, wom.tell_negative");
      if (p->mech.relay && p->relay > 0.0) key_add(buf, len, "wom.relay, wom.max_hops");
      if (p->inject_per_period > 0) key_add(buf, len, "inject.per_period");
    } else if (!strcmp(name, "metric history") || !strcmp(name, "output")) {
      snprintf(item, sizeof item, "run.periods (%d)", p->periods);
      key_add(buf, len, item);
      if (!strcmp(name, "output") && p->snapshot_every > 0) key_add(buf, len, "run.snapshot_every");
    }
  }
}

/* ---- what this process may still use --------------------------------------- */

/* The first number in the file at path ("max" reads as UINT64_MAX), scaled
 * by unit; or the number after the line's key (key != NULL: "key value"
 * lines, as in /proc/meminfo or memory.stat). Returns 0 or -1. */
static int read_number(const char *path, const char *key, uint64_t unit, uint64_t *out) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[256];
  int rc = -1;
  size_t klen = key ? strlen(key) : 0;
  while (rc && fgets(line, sizeof line, f)) {
    const char *at = line;
    if (key) {
      if (strncmp(line, key, klen) != 0 || (line[klen] != ' ' && line[klen] != ':' && line[klen] != '\t')) continue;
      at = line + klen + 1;
    }
    while (*at == ' ' || *at == '\t') at++;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(at, &end, 10);
    if (!strncmp(at, "max", 3)) *out = UINT64_MAX, rc = 0;
    else if (end != at && !errno) *out = v > UINT64_MAX / unit ? UINT64_MAX : (uint64_t)v * unit, rc = 0;
    if (!key) break;
  }
  fclose(f);
  return rc;
}

/* A smaller limit than *best replaces it, with its source. */
static void memory_take(uint64_t bytes, const char *source, uint64_t *best, char *best_source, size_t len) {
  if (bytes < *best) {
    *best = bytes;
    snprintf(best_source, len, "%s", source);
  }
}

/* The free room of a cgroup directory and each of its ancestors up to root
 * (limit - usage, the inactive file cache counting as free since the kernel
 * reclaims it first). v2: memory.max, memory.current, inactive_file; v1:
 * memory.limit_in_bytes, memory.usage_in_bytes, total_inactive_file. */
static void cgroup_room(const char *root, const char *rel, int v2, uint64_t *best, char *source, size_t len) {
  char dir[1024], path[1100], what[1200];
  if (snprintf(dir, sizeof dir, "%s%s", root, rel) >= (int)sizeof dir) return;
  size_t rootlen = strlen(root);
  for (;;) {
    uint64_t limit, used, inactive = 0;
    snprintf(path, sizeof path, "%s/%s", dir, v2 ? "memory.max" : "memory.limit_in_bytes");
    /* v1 writes "no limit" as a page-rounded 2^63 */
    if (read_number(path, NULL, 1, &limit) == 0 && limit < ((uint64_t)1 << 62)) {
      snprintf(path, sizeof path, "%s/%s", dir, v2 ? "memory.current" : "memory.usage_in_bytes");
      if (read_number(path, NULL, 1, &used) == 0) {
        snprintf(path, sizeof path, "%s/memory.stat", dir);
        if (read_number(path, v2 ? "inactive_file" : "total_inactive_file", 1, &inactive) != 0) inactive = 0;
        used = used > inactive ? used - inactive : 0;
        snprintf(what, sizeof what, "the limit of cgroup %s (%s less what it uses)", dir, v2 ? "memory.max" : "memory.limit_in_bytes");
        memory_take(limit > used ? limit - used : 0, what, best, source, len);
      }
    }
    char *slash = strrchr(dir, '/');
    if (!slash || (size_t)(slash - dir) < rootlen) break;
    *slash = '\0';
  }
}

/* The cgroups of this process (/proc/self/cgroup): v2 ("0::PATH" under
 * /sys/fs/cgroup) and v1 ("N:...memory...:PATH" under /sys/fs/cgroup/memory;
 * a path a namespace hides is looked for at the mount's root). */
static void cgroup_limits(uint64_t *best, char *source, size_t len) {
  FILE *f = fopen("/proc/self/cgroup", "r");
  if (!f) return;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2) continue;
    *c2 = '\0';
    const char *controllers = c1 + 1, *rel = c2 + 1;
    if (!strcmp(rel, "/")) rel = "";
    if (!strncmp(line, "0", 1) && c1 == line + 1 && !*controllers) {
      cgroup_room("/sys/fs/cgroup", rel, 1, best, source, len);
    } else {
      char list[256];
      snprintf(list, sizeof list, ",%s,", controllers);
      if (!strstr(list, ",memory,")) continue;
      char probe[1100];
      snprintf(probe, sizeof probe, "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", rel);
      FILE *t = fopen(probe, "r");
      if (t) fclose(t);
      cgroup_room("/sys/fs/cgroup/memory", t ? rel : "", 0, best, source, len);
    }
  }
  fclose(f);
}

int run_memory_available(uint64_t *bytes, char *source, size_t len) {
  uint64_t best = UINT64_MAX, v;
  source[0] = '\0';
  if (read_number("/proc/meminfo", "MemAvailable", 1024, &v) == 0) memory_take(v, "MemAvailable in /proc/meminfo", &best, source, len);
  cgroup_limits(&best, source, len);
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    uint64_t size = 0;
    if (read_number("/proc/self/status", "VmSize", 1024, &size) != 0) size = 0;
    memory_take((uint64_t)rl.rlim_cur > size ? (uint64_t)rl.rlim_cur - size : 0,
                "the address-space limit (ulimit -v) less what the process maps", &best, source, len);
  }
  if (best == UINT64_MAX) return -1;
  *bytes = best;
  return 0;
}

/* ---- sizes and the check ----------------------------------------------------- */

int run_memory_parse(const char *s, uint64_t *bytes) {
  if (!strcmp(s, "unlimited")) {
    *bytes = RELSIM_MEMORY_UNCHECKED;
    return 0;
  }
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || !(v > 0.0) || *s == '-' || *s == '+' || strchr(s, 'x') || strchr(s, 'X')) return -1;
  static const struct {
    const char *suffix;
    double scale;
  } units[] = {{"", 1.0},      {"B", 1.0},      {"k", 1e3},      {"K", 1e3},      {"kB", 1e3},     {"KB", 1e3},
               {"M", 1e6},     {"MB", 1e6},     {"G", 1e9},      {"GB", 1e9},     {"T", 1e12},     {"TB", 1e12},
               {"Ki", 0x1p10}, {"KiB", 0x1p10}, {"Mi", 0x1p20},  {"MiB", 0x1p20}, {"Gi", 0x1p30},  {"GiB", 0x1p30},
               {"Ti", 0x1p40}, {"TiB", 0x1p40}};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (!strcmp(end, units[i].suffix)) {
      double b = v * units[i].scale;
      if (!(b >= 1.0) || b >= 0x1p63) return -1;
      *bytes = (uint64_t)b;
      return 0;
    }
  return -1;
}

enum relsim_status run_memory_check(const struct relsim_params *p, int threads, uint64_t max_memory, char *err,
                                    size_t errlen) {
  if (max_memory == RELSIM_MEMORY_UNCHECKED) return RELSIM_OK;
  uint64_t room = max_memory;
  char source[1300] = "the limit set for this run";
  if (room == 0 && run_memory_available(&room, source, sizeof source) != 0) return RELSIM_OK; /* nothing known */
  struct relsim_memory_estimate e;
  run_memory_estimate(p, threads, &e);
  if ((uint64_t)e.total <= room) return RELSIM_OK;
  char need[512], have[32], keys[1200];
  run_memory_describe(&e, need, sizeof need);
  run_memory_format(room, have, sizeof have);
  run_memory_keys(p, &e, keys, sizeof keys);
  snprintf(err, errlen, "the scenario needs about %s, more than the %s of memory available (%s); lower one of: %s", need,
           have, source, keys);
  return RELSIM_ERR_MEMORY;
}
