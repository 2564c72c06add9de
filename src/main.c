/*
 * relsim command line: run, validate, inspect, help. The CLI only parses
 * arguments, drives sim_create -> sim_step ... -> output, and maps failures
 * to sysexits.h codes (bad scenario 65, unreadable input 66, cannot write
 * output 73, interrupted 130/143).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "relsim/metrics.h"
#include "relsim/output.h"
#include "relsim/scenario.h"
#include "relsim/run.h"

#ifndef RELSIM_VERSION
#define RELSIM_VERSION "unknown"
#endif
#include "relsim_git.h" /* RELSIM_GIT_COMMIT, generated at build time */
#ifndef RELSIM_COMPILER
#define RELSIM_COMPILER "unknown"
#endif

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig) { stop_signal = sig; }

static const char *usage_text =
    "Usage: relsim COMMAND [ARGS]\n"
    "Simulate relationship and transactional marketing strategies in a market of\n"
    "customers who buy, judge, stay or leave, and talk to each other.\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO.yaml [options]   run a scenario and write an HDF5 file\n"
    "  validate SCENARIO.yaml [--set KEY=VALUE]...\n"
    "                                check a scenario without running it\n"
    "  inspect FILE.h5 [--json]      show what a result file holds\n"
    "  help [COMMAND|keys|output]    show help for a command, every scenario key,\n"
    "                                or every output dataset\n"
    "\n"
    "Options:\n"
    "  -h, --help                    show this help and exit\n"
    "  -V, --version                 show the version and exit\n"
    "\n"
    "Exit status: 0 success, 64 usage error, 65 bad scenario, 66 unreadable input,\n"
    "71 out of memory, 73 cannot write output, 74 write error, 130/143 interrupted.\n"
    "Documentation: README.md and docs/ in the source tree.\n";

static const char *run_help_text =
    "Usage: relsim run SCENARIO.yaml [-o OUT.h5] [--seed N] [--threads N]\n"
    "                  [--set KEY=VALUE]... [--quiet]\n"
    "Run SCENARIO.yaml and write every period's metrics to an HDF5 file, then print\n"
    "a per-firm summary.\n"
    "\n"
    "  -o, --output FILE   output file (default: the scenario's base name + .h5 in\n"
    "                      the current directory); written as FILE.partial and\n"
    "                      renamed when done\n"
    "  -s, --seed N        random seed (same as --set run.seed=N)\n"
    "  -t, --threads N     OpenMP threads (default: all cores); results are identical\n"
    "                      for any thread count\n"
    "      --set KEY=VALUE override a scenario key, e.g. --set market.customers=20000,\n"
    "                      --set firms.1.price=1.1 or --set firms.Relationship.price=1.1\n"
    "                      (firms by 0-based index or by name); repeatable\n"
    "  -q, --quiet         print nothing but errors\n"
    "  -h, --help          show this help\n"
    "\n"
    "SIGINT or SIGTERM stops the run at the end of the current period and leaves a\n"
    "valid file whose 'complete' attribute is 0 (exit status 130 or 143).\n";

static const char *validate_help_text =
    "Usage: relsim validate SCENARIO.yaml [--set KEY=VALUE]...\n"
    "Check a scenario and its overrides without running it. Every problem is\n"
    "reported as FILE:LINE:COLUMN: KEY: what is wrong; what is allowed.\n"
    "Exit status 0 if the scenario is valid, 65 if not, 66 if it cannot be read.\n";

static const char *inspect_help_text =
    "Usage: relsim inspect FILE.h5 [--json]\n"
    "Print a result file's provenance, firms, periods done, whether the run\n"
    "completed, and the summary table.\n"
    "\n"
    "  --json    print the same as one JSON object (NaN as null)\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "relsim: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'relsim --help' for more information.\n");
  return EX_USAGE;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double peak_memory_mb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return NAN;
  return ru.ru_maxrss / 1024.0;
}

static int parse_positive_int(const char *s, long max, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < 1 || v > max) return -1;
  *out = v;
  return 0;
}

static void progress(int done, int total, double elapsed) {
  int width = 30, fill = total ? (int)((double)done * width / total) : width;
  double rate = elapsed > 0 ? done / elapsed : 0.0;
  double left = rate > 0 ? (total - done) / rate : 0.0;
  fprintf(stderr, "\r[");
  for (int j = 0; j < width; j++) fputc(j < fill ? '#' : '.', stderr);
  fprintf(stderr, "] period %d/%d  %.1f periods/s  %d:%02d left ", done, total, rate, (int)left / 60,
          (int)left % 60);
  fflush(stderr);
}

/* Derive the default output path: the scenario's base name with .h5. */
static void default_output(const char *scenario, char *out, size_t len) {
  const char *base = strrchr(scenario, '/');
  base = base ? base + 1 : scenario;
  const char *dot = strrchr(base, '.');
  int n = dot ? (int)(dot - base) : (int)strlen(base);
  snprintf(out, len, "%.*s.h5", n, base);
}

struct progress_state;

struct cli_options {
  const char *scenario;
  const char *output;
  const char **sets;
  int n_sets;
  int threads;
  int quiet;
  char seed_set[64];
  struct progress_state *progress;
};

/* Parse run/validate options. Returns 0, or an exit code. */
static int parse_options(int argc, char **argv, int allow_run_options, struct cli_options *o, int *help) {
  *help = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define TAKE_VALUE(name)                                                              \
  do {                                                                                \
    const char *eq = strchr(a, '=');                                                  \
    if (strncmp(a, "--", 2) == 0 && eq) val = eq + 1;                                 \
    else if (i + 1 < argc) val = argv[++i];                                           \
    else return usage_error("option '%s' needs a value", name);                       \
  } while (0)
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      *help = 1;
      return 0;
    } else if (!strcmp(a, "--set") || !strncmp(a, "--set=", 6)) {
      TAKE_VALUE("--set");
      if (!strchr(val, '=')) return usage_error("--set needs KEY=VALUE, got '%s'", val);
      o->sets[o->n_sets++] = val;
    } else if (allow_run_options && (!strcmp(a, "-o") || !strcmp(a, "--output") || !strncmp(a, "--output=", 9))) {
      TAKE_VALUE("--output");
      o->output = val;
    } else if (allow_run_options && (!strcmp(a, "-s") || !strcmp(a, "--seed") || !strncmp(a, "--seed=", 7))) {
      TAKE_VALUE("--seed");
      snprintf(o->seed_set, sizeof o->seed_set, "run.seed=%s", val);
    } else if (allow_run_options && (!strcmp(a, "-t") || !strcmp(a, "--threads") || !strncmp(a, "--threads=", 10))) {
      TAKE_VALUE("--threads");
      long v;
      if (parse_positive_int(val, 4096, &v) != 0) return usage_error("--threads needs a whole number from 1 to 4096, got '%s'", val);
      o->threads = (int)v;
    } else if (allow_run_options && (!strcmp(a, "-q") || !strcmp(a, "--quiet"))) {
      o->quiet = 1;
    } else if (a[0] == '-' && a[1]) {
      return usage_error("unknown option '%s'", a);
    } else if (!o->scenario) {
      o->scenario = a;
    } else {
      return usage_error("unexpected argument '%s'", a);
    }
#undef TAKE_VALUE
  }
  if (o->seed_set[0]) o->sets[o->n_sets++] = o->seed_set;
  if (!o->scenario) return usage_error("%s", "missing SCENARIO.yaml");
  return 0;
}

static int load_scenario(struct relsim_scenario *sc, const struct cli_options *o) {
  int rc = scenario_load(sc, o->scenario, o->sets, o->n_sets, stderr);
  if (rc != 0) scenario_clean(sc);
  if (rc < 0) return EX_NOINPUT;
  if (rc > 0) {
    fprintf(stderr, "relsim: %s: %d problem%s found; nothing was run\n", o->scenario, rc, rc == 1 ? "" : "s");
    return EX_DATAERR;
  }
  return 0;
}

static int cmd_validate(int argc, char **argv) {
  struct cli_options o = {0};
  const char *sets[argc + 1];
  o.sets = sets;
  int help, rc = parse_options(argc, argv, 0, &o, &help);
  if (help) return fputs(validate_help_text, stdout), 0;
  if (rc) return rc;
  struct relsim_scenario sc;
  if ((rc = load_scenario(&sc, &o)) != 0) return rc;
  const struct relsim_params *p = &sc.params;
  printf("%s: valid scenario '%s': %lld customers, %d firms, %d periods, network %s with %d contacts\n", o.scenario,
         p->name, (long long)p->customers, p->n_firms, p->periods, relsim_network_names[p->network_kind], p->contacts);
  scenario_clean(&sc);
  return 0;
}

static char *join_command_line(int argc, char **argv) {
  size_t len = 1;
  for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
  char *s = malloc(len);
  if (!s) return NULL;
  s[0] = '\0';
  for (int i = 0; i < argc; i++) {
    if (i) strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

/* The exit status of a library status (sysexits.h); the only mapping. */
static int exit_code(enum relsim_status st) {
  switch (st) {
  case RELSIM_OK: return 0;
  case RELSIM_ERR_USAGE: return EX_USAGE;
  case RELSIM_ERR_SCENARIO: return EX_DATAERR;
  case RELSIM_ERR_INPUT: return EX_NOINPUT;
  case RELSIM_ERR_MEMORY: return EX_OSERR;
  case RELSIM_ERR_CREATE: return EX_CANTCREAT;
  case RELSIM_ERR_WRITE: return EX_IOERR;
  case RELSIM_ERR_INTERRUPTED: return 128 + (stop_signal ? (int)stop_signal : SIGINT);
  case RELSIM_STATUS_COUNT: break;
  }
  return EX_SOFTWARE;
}

/* Progress on a terminal: a bar redrawn at most ten times a second. */
struct progress_state {
  int show;
  double last_draw;
};

static void on_started(void *ctx, const struct relsim_params *p, int threads, const char *output) {
  const struct cli_options *o = ctx;
  if (!o->quiet)
    fprintf(stderr, "relsim %s: %s: %lld customers, %d firms, %d periods, %d threads -> %s\n", RELSIM_VERSION,
            o->scenario, (long long)p->customers, p->n_firms, p->periods, threads, output);
}

static void on_period(void *ctx, int done, int total, double elapsed) {
  struct progress_state *ps = ((struct cli_options *)ctx)->progress;
  if (!ps->show) return;
  double now = now_seconds();
  if (now - ps->last_draw > 0.1 || done == total) {
    progress(done, total, elapsed);
    ps->last_draw = now;
  }
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv) {
  struct cli_options o = {0};
  const char *sets[argc + 2];
  o.sets = sets;
  int help, rc = parse_options(argc, argv, 1, &o, &help);
  if (help) return fputs(run_help_text, stdout), 0;
  if (rc) return rc;

  struct relsim_scenario sc;
  if ((rc = load_scenario(&sc, &o)) != 0) return rc;
  const struct relsim_params *p = &sc.params;
  char outbuf[RELSIM_PATH_MAX];
  if (!o.output) {
    default_output(o.scenario, outbuf, sizeof outbuf);
    o.output = outbuf;
  }
  struct progress_state ps = {!o.quiet && isatty(STDERR_FILENO), 0.0};
  o.progress = &ps;
  char *cmdline = join_command_line(full_argc, full_argv);
  struct relsim_run_options ro = {
      .output = o.output,
      .threads = o.threads,
      .prov = {"relsim", RELSIM_VERSION, RELSIM_GIT_COMMIT, RELSIM_COMPILER, o.scenario, cmdline ? cmdline : "", 0, 1},
      .stop = &stop_signal,
      .hooks = {on_started, on_period, &o},
  };
  /* From here on a signal stops the run at a period boundary. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  char err[1024] = "";
  struct relsim_run_result res;
  enum relsim_status st = run_scenario(&sc, &ro, &res, err, sizeof err);
  if (ps.show && res.periods_done > 0) fputc('\n', stderr);
  if (st == RELSIM_ERR_MEMORY || st == RELSIM_ERR_WRITE)
    fprintf(stderr, "relsim: %s; no result file was written\n", err);
  else if (st != RELSIM_OK)
    fprintf(stderr, "relsim: %s\n", err);
  else if (res.stopped) {
    fprintf(stderr, "relsim: interrupted by signal %d after %d of %d periods; %s is valid but marked incomplete (complete = 0)\n",
            (int)stop_signal, res.periods_done, p->periods, o.output);
    st = RELSIM_ERR_INTERRUPTED;
  }
  if (!o.quiet && res.periods_done > 0 && (st == RELSIM_OK || st == RELSIM_ERR_INTERRUPTED)) {
    const char *names[RELSIM_MAX_FIRMS];
    for (int f = 0; f < p->n_firms; f++) names[f] = p->firms[f].name;
    printf("\n");
    metrics_summary_print(stdout, res.rows, p->n_firms, names, res.periods_done);
    double cp = (double)p->customers * res.periods_done;
    printf("\n%s written: %d periods, %.1f s, %.3g customer-periods/s, %d threads, peak memory %.0f MB\n", o.output,
           res.periods_done, res.wall_seconds, cp / res.run_seconds, res.threads, peak_memory_mb());
  }
  free(cmdline);
  scenario_clean(&sc);
  return exit_code(st);
}

static int cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return fputs(inspect_help_text, stdout), 0;
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option '%s'", argv[i]);
    else if (path) return usage_error("%s", "inspect takes one FILE.h5");
    else path = argv[i];
  }
  if (!path) return usage_error("%s", "inspect needs FILE.h5");
  struct relsim_file_info info;
  char err[1024];
  if (output_read_info(path, &info, err, sizeof err) != 0) {
    fprintf(stderr, "relsim: %s\n", err);
    return EX_NOINPUT;
  }
  if (json) {
    output_info_print_json(stdout, path, &info);
    output_info_free(&info);
    return 0;
  }
  printf("file:           %s\n", path);
  printf("software:       %s %s (git %s), %s\n", info.software, info.version, info.git_commit, info.compiler);
  printf("schema version: %s\n", info.schema_version);
  printf("created:        %s\n", info.created);
  printf("scenario:       %s\n", info.scenario_name);
  printf("seed:           %llu\n", (unsigned long long)info.seed);
  printf("threads:        %d (ranks %d)\n", info.threads, info.ranks);
  printf("customers:      %lld\n", (long long)info.customers);
  printf("periods:        %d of %d done\n", info.periods_done, info.periods_planned);
  printf("complete:       %s\n", info.complete ? "yes" : "NO (the run was interrupted or failed)");
  printf("firms:\n");
  for (int f = 0; f < info.n_firms; f++) printf("  %d  %s (%s)\n", f, info.names[f], info.strategies[f]);
  if (info.periods_done > 0) {
    struct relsim_summary_row rows[RELSIM_MAX_FIRMS];
    metrics_summary(info.hist, info.periods_done, info.n_firms, rows);
    printf("\n");
    metrics_summary_print(stdout, rows, info.n_firms, (const char *const *)info.names, info.periods_done);
  }
  output_info_free(&info);
  return 0;
}

static int cmd_help(int argc, char **argv) {
  if (argc == 0) return fputs(usage_text, stdout), 0;
  const char *topic = argv[0];
  if (!strcmp(topic, "run")) return fputs(run_help_text, stdout), 0;
  if (!strcmp(topic, "validate")) return fputs(validate_help_text, stdout), 0;
  if (!strcmp(topic, "inspect")) return fputs(inspect_help_text, stdout), 0;
  if (!strcmp(topic, "keys")) { /* help keys [KEY] */
    char why[1024];
    if (argc == 1) return scenario_print_reference(stdout), 0;
    if (argc > 2) return usage_error("unexpected argument '%s'; usage: relsim help keys [KEY]", argv[2]);
    return scenario_print_key_reference(stdout, argv[1], why, sizeof why) ? usage_error("%s", why) : 0;
  }
  if (!strcmp(topic, "output")) return run_print_output_reference(stdout), 0;
  if (!strcmp(topic, "help")) return fputs(usage_text, stdout), 0;
  return usage_error("no help for '%s'; topics: run, validate, inspect, keys, output", topic);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EX_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) return fputs(usage_text, stdout), 0;
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("relsim %s (git %s)\n", RELSIM_VERSION, RELSIM_GIT_COMMIT);
    return 0;
  }
  if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2, argc, argv);
  if (!strcmp(cmd, "validate")) return cmd_validate(argc - 2, argv + 2);
  if (!strcmp(cmd, "inspect")) return cmd_inspect(argc - 2, argv + 2);
  if (!strcmp(cmd, "help")) return cmd_help(argc - 2, argv + 2);
  return usage_error("unknown command '%s'; commands: run, validate, inspect, help", cmd);
}
