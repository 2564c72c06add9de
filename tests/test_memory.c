/*
 * The memory estimate (sim_bytes_estimate, run_memory_*): the exact parts
 * equal what sim_create allocates, the word-of-mouth estimate is not below
 * what the buffers reach in a run, sizes parse and print as documented, and
 * the check refuses what does not fit; the output writer running out of
 * memory is reported as such.
 */
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"
#include "relsim/output.h"
#include "relsim/params.h"
#include "relsim/run.h"
#include "relsim/sim.h"

static void base_params(struct relsim_params *p, int64_t n, int kind, int contacts) {
  params_defaults(p);
  p->customers = n;
  p->periods = 12;
  p->contacts = contacts;
  p->network_kind = kind;
  p->seed = 3;
  p->n_firms = 2;
  params_firm_defaults(&p->firms[0], RELSIM_STRATEGY_TRANSACTIONAL, p->n_attrs);
  params_firm_defaults(&p->firms[1], RELSIM_STRATEGY_RELATIONSHIP, p->n_attrs);
  strcpy(p->firms[0].name, "T");
  strcpy(p->firms[1].name, "R");
  params_finalize(p);
}

/* Build and run p; compare every part of the estimate with what the
 * simulation holds at the end (the buffers' largest size). */
static void check_estimate(const struct relsim_params *p, const char *what) {
  struct relsim_sim_bytes e;
  sim_bytes_estimate(p, 2, &e);
  struct relsim_sim *s = NULL;
  char err[512];
  if (sim_create(&s, p, 2, err, sizeof err) != RELSIM_OK) {
    fprintf(stderr, "%s: sim_create: %s\n", what, err);
    CHECK(0);
    return;
  }
  for (int t = 0; t < p->periods; t++)
    if (sim_step(s, err, sizeof err) != RELSIM_OK) {
      fprintf(stderr, "%s: sim_step: %s\n", what, err);
      CHECK(0);
      break;
    }
  CHECK_INT_EQ(e.customers, s->w.bytes);
  CHECK_INT_EQ(e.tallies, tally_bytes(&s->tl));
  size_t net = network_bytes(s->net);
  if (p->network_kind == RELSIM_NET_SCALE_FREE) /* plus the build's work space, one int64 per customer */
    CHECK_INT_EQ(e.network, net + (size_t)p->customers * sizeof(int64_t));
  else
    CHECK_INT_EQ(e.network, net);
  size_t wom = sim_bytes(s) - s->w.bytes - tally_bytes(&s->tl) - net;
  if (!(e.wom >= wom)) fprintf(stderr, "%s: word of mouth estimated %zu < %zu held\n", what, e.wom, wom);
  CHECK(e.wom >= wom);
  sim_free(s);
}

static void test_estimate_parts(void) {
  struct relsim_params p;
  base_params(&p, 20000, RELSIM_NET_RANDOM, 20);
  check_estimate(&p, "random");
  base_params(&p, 20000, RELSIM_NET_SCALE_FREE, 20);
  check_estimate(&p, "scale_free");
  base_params(&p, 20000, RELSIM_NET_SMALL_WORLD, 20);
  p.tell_all = 1; /* every story reaches every contact, with relays */
  p.relay = 0.1;
  check_estimate(&p, "small_world, tell_all");
  base_params(&p, 20000, RELSIM_NET_MIXED, 1);
  p.mech.word_of_mouth = 0;
  check_estimate(&p, "mixed, no word of mouth");
}

static void test_run_estimate(void) {
  struct relsim_params p;
  base_params(&p, 1000000, RELSIM_NET_RANDOM, 250);
  struct relsim_memory_estimate e;
  run_memory_estimate(&p, 2, &e);
  CHECK_INT_EQ(e.sim.customers, world_bytes_needed(1000000, 2, p.n_attrs));
  CHECK_INT_EQ(e.history, (size_t)p.periods * RELSIM_FM_COUNT * 2 * sizeof(double));
  CHECK_INT_EQ(e.total, e.sim.customers + e.sim.network + e.sim.wom + e.sim.tallies + e.sim.other + e.history +
                            e.output + e.program);
  char text[512], keys[512];
  run_memory_describe(&e, text, sizeof text);
  CHECK_STR_CONTAINS(text, "customers 200 MB");
  run_memory_keys(&p, &e, keys, sizeof keys);
  CHECK(strncmp(keys, "market.customers (1000000), the number of firms (2)", 51) == 0);
  /* snapshots add the customer index and a buffer per column */
  struct relsim_memory_estimate snap;
  p.snapshot_every = 4;
  run_memory_estimate(&p, 2, &snap);
  CHECK(snap.output >= e.output + 1000000 * sizeof(int64_t));
  /* 8 firms: more columns, and the estimate grows with them */
  p.snapshot_every = 0;
  p.n_firms = 8;
  struct relsim_memory_estimate eight;
  run_memory_estimate(&p, 2, &eight);
  CHECK_INT_EQ(eight.sim.customers, world_bytes_needed(1000000, 8, p.n_attrs));
  CHECK(eight.total > e.total);
}

static void test_check(void) {
  struct relsim_params p;
  base_params(&p, 1000000, RELSIM_NET_RANDOM, 250);
  char err[1024] = "";
  CHECK_INT_EQ(run_memory_check(&p, 2, (uint64_t)100 << 20, err, sizeof err), RELSIM_ERR_MEMORY);
  CHECK_STR_CONTAINS(err, "more than the 105 MB of memory available");
  CHECK_STR_CONTAINS(err, "market.customers (1000000)");
  CHECK_INT_EQ(run_memory_check(&p, 2, (uint64_t)4 << 30, err, sizeof err), RELSIM_OK);
  CHECK_INT_EQ(run_memory_check(&p, 2, RELSIM_MEMORY_UNCHECKED, err, sizeof err), RELSIM_OK);
}

static void test_sizes(void) {
  uint64_t b = 0;
  CHECK(run_memory_parse("512M", &b) == 0 && b == 512000000u);
  CHECK(run_memory_parse("2G", &b) == 0 && b == 2000000000u);
  CHECK(run_memory_parse("2GB", &b) == 0 && b == 2000000000u);
  CHECK(run_memory_parse("1.5GiB", &b) == 0 && b == (uint64_t)3 << 29);
  CHECK(run_memory_parse("64Ki", &b) == 0 && b == 65536u);
  CHECK(run_memory_parse("4096", &b) == 0 && b == 4096u);
  CHECK(run_memory_parse("unlimited", &b) == 0 && b == RELSIM_MEMORY_UNCHECKED);
  const char *bad[] = {"", "0", "-1G", "G", "2X", "2 G", "0x10", "nan", "inf", "1e30"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) CHECK(run_memory_parse(bad[i], &b) != 0);
  char s[32];
  run_memory_format(512, s, sizeof s);
  CHECK(!strcmp(s, "512 B"));
  run_memory_format(20300000, s, sizeof s);
  CHECK(!strcmp(s, "20.3 MB"));
  run_memory_format(11880000000u, s, sizeof s);
  CHECK(!strcmp(s, "11.9 GB"));
  run_memory_format(999999, s, sizeof s);
  CHECK(!strcmp(s, "1.00 MB"));
  uint64_t avail;
  char source[1300];
  if (run_memory_available(&avail, source, sizeof source) == 0) CHECK(avail > 0 && source[0]);
}

/* The output writer running out of memory is told apart from a file that
 * cannot be created (the run then exits 71, not 73): with the address space
 * limited to what the process maps plus 256 MB, the customer index of a
 * 200-million-customer snapshot cannot be allocated. AddressSanitizer needs
 * far more address space than that: skipped in its build. */
static void test_output_out_of_memory(void) {
#if defined(__SANITIZE_ADDRESS__)
  fprintf(stderr, "test_memory: output out of memory: skipped (AddressSanitizer)\n");
#else
  struct relsim_params p;
  base_params(&p, 200000000, RELSIM_NET_RANDOM, 20);
  p.snapshot_every = 1;
  struct relsim_column cols[RELSIM_WORLD_SNAPSHOT_MAX];
  int n_cols = world_snapshot_columns(NULL, cols);
  struct relsim_output *out = NULL;
  char err[1024] = "";
  struct relsim_output_spec spec = {"no/such/dir/oom.h5", RELSIM_OUTPUT_FORCE, &p, NULL, "", "", cols, n_cols};
  CHECK(output_open(&out, &spec, err, sizeof err) != RELSIM_OK);
  CHECK_INT_EQ(output_out_of_memory(), 0); /* a missing directory is not memory */
  long long vm_kb = -1;
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmSize: %lld", &vm_kb) == 1) break;
  if (f) fclose(f);
  struct rlimit old, tight;
  if (vm_kb <= 0 || getrlimit(RLIMIT_AS, &old) != 0) {
    fprintf(stderr, "test_memory: output out of memory: skipped (no VmSize or RLIMIT_AS)\n");
    return;
  }
  tight = old;
  tight.rlim_cur = (rlim_t)(vm_kb * 1024 + ((long long)256 << 20));
  if (old.rlim_max != RLIM_INFINITY && tight.rlim_cur > old.rlim_max) tight.rlim_cur = old.rlim_max;
  CHECK_INT_EQ(setrlimit(RLIMIT_AS, &tight), 0);
  spec.path = "test_memory_oom.h5";
  int rc = output_open(&out, &spec, err, sizeof err) == RELSIM_OK ? 0 : -1;
  int oom = output_out_of_memory();
  CHECK_INT_EQ(setrlimit(RLIMIT_AS, &old), 0);
  CHECK_INT_EQ(rc, -1);
  CHECK_INT_EQ(oom, 1);
  CHECK_STR_CONTAINS(err, "out of memory");
  CHECK(access("test_memory_oom.h5", F_OK) != 0 && access("test_memory_oom.h5.partial", F_OK) != 0);
  if (rc == 0) output_abort(out, 0);
#endif
}

int main(void) {
  test_estimate_parts();
  test_run_estimate();
  test_check();
  test_sizes();
  test_output_out_of_memory();
  return check_report("test_memory");
}
