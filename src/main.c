/*
 * relsim command line: run, validate, inspect, help. The CLI only parses
 * arguments (getopt_long), calls the run layer, reports progress
 * (cli_progress.h), and maps failures to sysexits.h codes (bad scenario 65,
 * unreadable input 66, cannot write output 73, interrupted 130/143).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "relsim/metrics.h"
#include "relsim/output.h"
#include "relsim/scenario.h"
#include "relsim/ensemble.h"
#include "relsim/farm.h"
#include "relsim/run.h"

#include "cli_common.h"
#include "cli_experiment.h"
#include "cli_progress.h"

#ifndef RELSIM_VERSION
#define RELSIM_VERSION "unknown"
#endif
#include "relsim_git.h" /* RELSIM_GIT_COMMIT, generated at build time */
#ifndef RELSIM_COMPILER
#define RELSIM_COMPILER "unknown"
#endif

static const char *usage_text =
    "Usage: relsim COMMAND [ARGS]\n"
    "Simulate relationship and transactional marketing strategies in a market of\n"
    "customers who buy, judge, stay or leave, and talk to each other.\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO.yaml [options]   run a scenario and write an HDF5 file\n"
    "                                (--replications N: N seeds, with confidence intervals)\n"
    "  experiment EXPERIMENT.yaml [options]\n"
    "                                run an experiment: factors, a design, replications\n"
    "  merge EXPERIMENT.yaml SLICE.h5... -o OUT.h5\n"
    "                                join the slices of an experiment made with --runs\n"
    "  validate SCENARIO.yaml [--set KEY=VALUE]...\n"
    "                                check a scenario without running it\n"
    "  inspect FILE.h5 [--json]      show what a result file holds\n"
    "  help [COMMAND|keys [KEY]|output]\n"
    "                                show help for a command, every scenario key\n"
    "                                (or one), or every output dataset\n"
    "\n"
    "Options:\n"
    "  -h, --help                    show this help and exit\n"
    "  -V, --version                 show the version and exit\n"
    "\n"
    "Exit status: 0 success, 64 usage error, 65 bad scenario, 66 unreadable input,\n"
    "71 out of memory, 73 cannot write output, 74 write error, 130/143 interrupted.\n"
    "Documentation: README.md and docs/ in the source tree.\n";

static const char *run_help_text =
    "Usage: relsim run SCENARIO.yaml [-o OUT.h5] [-f] [-s N] [-t N] [--set KEY=VALUE]...\n"
    "                  [--checkpoint-every N] [--resume] [--progress MODE]\n"
    "                  [--max-memory SIZE] [-q]\n"
    "Run SCENARIO.yaml and write every period's metrics to an HDF5 file, then print\n"
    "a per-firm summary.\n"
    "\n"
    "  -o, --output FILE     output file (default: the scenario's base name + .h5 in\n"
    "                        the current directory); written as FILE.partial and\n"
    "                        renamed when done\n"
    "  -f, --force           replace an existing output file (only once the run\n"
    "                        completes) and a partial file a dead run left\n"
    "      --checkpoint-every N\n"
    "                        save the whole simulation to OUT.h5.checkpoint after\n"
    "                        every N periods (removed when the run completes)\n"
    "      --resume          continue a killed, interrupted or failed run from its\n"
    "                        checkpoint: the same scenario, --set values and seed;\n"
    "                        the result equals an uninterrupted run's, bit for bit\n"
    "  -s, --seed N          random seed (same as --set run.seed=N)\n"
    "  -t, --threads N       OpenMP threads (default: all cores); results are\n"
    "                        identical for any thread count; more threads than cores\n"
    "                        only slows the run (a warning says so)\n"
    "      --set KEY=VALUE   override a scenario key, e.g. --set market.customers=20000,\n"
    "                        --set firms.1.price=1.1 or --set firms.Relationship.price=1.1\n"
    "                        (firms by 0-based index or by name); repeatable\n"
    "      --progress MODE   progress on standard error: bar (the default on a\n"
    "                        terminal), lines (the default otherwise: a line every\n"
    "                        twentieth of the run), json (one JSON event per line:\n"
    "                        start, progress, warning, done) or none\n"
    "      --max-memory SIZE the memory the run may use, e.g. 512M, 2G, 1.5GiB (default:\n"
    "                        what the machine has available: MemAvailable, the cgroup\n"
    "                        limit, ulimit -v); a scenario estimated to need more is\n"
    "                        refused before anything is allocated (exit 71);\n"
    "                        'unlimited' skips the check\n"
    "  -q, --quiet           print nothing but errors (and --progress none, unless\n"
    "                        --progress is given)\n"
    "  -h, --help            show this help\n"
    "\n"
    "A value follows its option as the next argument or attached: -t2, -t 2,\n"
    "--threads=2, --threads 2. Short options cluster (-qt2). Options and the\n"
    "scenario come in any order; after '--' everything is the scenario (for a file\n"
    "named like an option: relsim run -- -odd.yaml).\n"
    "\n"
    "An existing OUT.h5 is never replaced without --force, nor by a run that fails\n"
    "or is interrupted. SIGINT or SIGTERM stops the run within a block of customers\n"
    "and leaves OUT.h5.partial, valid up to the periods it claims (periods_done),\n"
    "with 'complete' = 0 (exit status 130 or 143); --resume continues it from the\n"
    "last checkpoint.\n";

static const char *validate_help_text =
    "Usage: relsim validate SCENARIO.yaml [--set KEY=VALUE]...\n"
    "Check a scenario and its overrides without running it. Every problem is\n"
    "reported as FILE:LINE:COLUMN: KEY: what is wrong; what is allowed. A valid\n"
    "scenario's line is followed by its scheduled events, if any, in the order\n"
    "they happen, and by the memory a run needs (estimated for the default\n"
    "thread count) and the memory available.\n"
    "Exit status 0 if the scenario is valid, 65 if not, 66 if it cannot be read,\n"
    "71 if memory runs out while reading it.\n";

static const char *inspect_help_text =
    "Usage: relsim inspect FILE.h5 [--json]\n"
    "Print a result file's provenance, firms, periods done, whether the run\n"
    "completed, and the summary table.\n"
    "\n"
    "  --json    print the same as one JSON object (NaN as null)\n";

enum { OPT_SET = 256, OPT_PROGRESS, OPT_CHECKPOINT, OPT_RESUME, OPT_MAX_MEMORY,
       OPT_REPLICATIONS }; /* options without a short form */

static const struct option run_options[] = {
    {"output", required_argument, NULL, 'o'},  {"seed", required_argument, NULL, 's'},
    {"threads", required_argument, NULL, 't'}, {"set", required_argument, NULL, OPT_SET},
    {"progress", required_argument, NULL, OPT_PROGRESS}, {"force", no_argument, NULL, 'f'},
    {"checkpoint-every", required_argument, NULL, OPT_CHECKPOINT}, {"resume", no_argument, NULL, OPT_RESUME},
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {"replications", required_argument, NULL, OPT_REPLICATIONS}, {"jobs", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
static const struct option validate_options[] = {
    {"set", required_argument, NULL, OPT_SET}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

struct cli_options {
  const char *scenario;
  const char *output;
  const char **sets;
  int n_sets;
  int threads;
  int quiet;
  int progress_given;                /* --progress was given: it wins over --quiet */
  enum cli_progress_mode progress;
  int force, resume, checkpoint_every;
  char seed_set[64];
  uint64_t max_memory;               /* --max-memory: 0 = what is available */
  int replications, jobs;            /* --replications N (0: one run), --jobs N */
};

static int take_scenario(struct cli_options *o, const char *arg) {
  if (o->scenario) return cli_usage_error("unexpected argument '%s'", arg);
  o->scenario = arg;
  return 0;
}

/* Parse the arguments of run (run = 1) or validate; argv[0] is the command.
 * The optstring's leading '-' hands the scenario over in place (code 1)
 * whatever POSIXLY_CORRECT says, so argv is never permuted; its ':' tells a
 * missing value from an unknown option. After '--' every argument is the
 * scenario. Returns 0, or an exit code. */
static int parse_options(int argc, char **argv, int run, struct cli_options *o, int *help) {
  const struct option *longopts = run ? run_options : validate_options;
  *help = 0;
  cli_options_reset();
  for (int c, rc; (c = cli_next_option(argc, argv, run ? "-:ho:s:t:qfj:" : "-:h", longopts)) != -1;) {
    long v;
    switch (c) {
    case 'h': *help = 1; return 0;
    case 1:
      if ((rc = take_scenario(o, optarg)) != 0) return rc;
      break;
    case OPT_SET:
      if ((rc = cli_take_set(optarg, o->sets, &o->n_sets)) != 0) return rc;
      break;
    case 'o': o->output = optarg; break;
    case 's': snprintf(o->seed_set, sizeof o->seed_set, "run.seed=%s", optarg); break;
    case 't':
      if ((rc = cli_take_count("--threads", optarg, 4096, &o->threads)) != 0) return rc;
      break;
    case 'q': o->quiet = 1; break;
    case 'f': o->force = 1; break;
    case OPT_REPLICATIONS:
      if ((rc = cli_take_count("--replications", optarg, 1000000, &o->replications)) != 0) return rc;
      break;
    case 'j':
      if ((rc = cli_take_count("--jobs", optarg, 4096, &o->jobs)) != 0) return rc;
      break;
    case OPT_RESUME: o->resume = 1; break;
    case OPT_CHECKPOINT:
      if (cli_parse_positive_int(optarg, 1000000000, &v) != 0)
        return cli_usage_error("--checkpoint-every needs a whole number of periods, at least 1, got '%s'", optarg);
      o->checkpoint_every = (int)v;
      break;
    case OPT_PROGRESS:
      if ((rc = cli_take_progress(optarg, &o->progress, &o->progress_given)) != 0) return rc;
      break;
    case OPT_MAX_MEMORY:
      if ((rc = cli_take_max_memory(optarg, &o->max_memory)) != 0) return rc;
      break;
    default: return EX_USAGE;
    }
  }
  for (int i = optind, rc; i < argc; i++)
    if ((rc = take_scenario(o, argv[i])) != 0) return rc;
  if (o->seed_set[0]) o->sets[o->n_sets++] = o->seed_set;
  if (o->force && o->resume)
    return cli_usage_error("%s", "--force starts over and --resume continues: give one of them");
  if (!o->scenario) return cli_usage_error("%s", "missing SCENARIO.yaml");
  if (o->replications && o->checkpoint_every)
    return cli_usage_error("%s", "--checkpoint-every is for one run; --replications keeps every finished run in "
                                 "OUT.journal (continue with --resume)");
  if (o->jobs && !o->replications) return cli_usage_error("%s", "--jobs runs replications at once: give --replications N");
  return 0;
}

static int load_scenario(struct relsim_scenario *sc, const struct cli_options *o) {
  int rc = scenario_load(sc, o->scenario, o->sets, o->n_sets, stderr);
  if (rc != 0) scenario_clean(sc);
  if (rc == SCENARIO_OUT_OF_MEMORY) return EX_OSERR;
  if (rc < 0) return EX_NOINPUT;
  if (rc > 0) {
    fprintf(stderr, "relsim: %s: %d problem%s found; nothing was run\n", o->scenario, rc, rc == 1 ? "" : "s");
    return EX_DATAERR;
  }
  return 0;
}

/* validate: the memory a run needs, and what is available. */
static void print_memory(const struct relsim_params *p) {
  struct relsim_memory_estimate e;
  char need[512], have[32], source[1300];
  uint64_t room;
  run_memory_estimate(p, 0, &e);
  run_memory_describe(&e, need, sizeof need);
  printf("memory: about %s for %d threads", need, omp_get_max_threads());
  if (run_memory_available(&room, source, sizeof source) == 0) {
    run_memory_format(room, have, sizeof have);
    printf("; %s available (%s)%s", have, source,
           (uint64_t)e.total > room ? ": too little, relsim run refuses it (--max-memory sets the limit)" : "");
  }
  printf("\n");
}

/* validate: the scheduled events, on one line, in the order they happen. */
static void print_events(const struct relsim_scenario *sc) {
  const struct relsim_schedule *s = &sc->events;
  if (s->n_events == 0) return;
  printf("events:");
  for (int e = 0; e < s->n_events; e++) {
    const struct relsim_event *ev = &s->events[e];
    const char *firm = ev->firm >= 0 ? sc->params.firms[ev->firm].name : "";
    int sets = 0;
    printf("%s period %d:", e ? ";" : "", ev->period);
    if (ev->strategy >= 0) printf(" %s takes the %s strategy", firm, relsim_strategy_names[ev->strategy]);
    for (int j = ev->first; j < ev->first + ev->n; j++) {
      const struct relsim_event_change *c = &s->changes[j];
      if (c->implied) continue;
      printf("%s", sets++ ? ", " : ev->strategy >= 0 ? ", sets " : " sets ");
      if (c->firm >= 0) printf("firms.%d.", c->firm);
      printf("%s", c->key->path);
    }
    if (ev->enter) printf("%s %s enters", ev->strategy >= 0 || sets ? "," : "", firm);
    if (ev->leave) printf("%s %s leaves", ev->strategy >= 0 || sets ? "," : "", firm);
  }
  printf("\n");
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
  print_events(&sc);
  print_memory(p);
  scenario_clean(&sc);
  return 0;
}

/* The run layer's hooks, told to the progress reporter. */
static void on_started(void *ctx, const struct relsim_params *p, int threads, const char *output) {
  cli_progress_start(ctx, p, threads, output);
}

static void on_period(void *ctx, int done, int total, double elapsed) { cli_progress_period(ctx, done, total, elapsed); }

/* More threads than cores gives the same results, only slower: say so. */
static void warn_threads(struct cli_progress *pr, int threads) {
  int cores = omp_get_num_procs();
  if (threads > cores)
    cli_progress_warning(pr, "--threads %d is more than the %d core%s available; results are identical, but the run "
                         "will be slower", threads, cores, cores == 1 ? "" : "s");
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv) {
  struct cli_options o = {0};
  const char *sets[argc + 1];
  o.sets = sets;
  int help, rc = parse_options(argc, argv, 1, &o, &help);
  if (help) return fputs(run_help_text, stdout), 0;
  if (rc) return rc;
  if (o.replications)
    return cli_replications(o.scenario, o.sets, o.n_sets, o.output, o.force, o.resume, o.replications, o.jobs,
                            o.threads, o.quiet, o.progress_given, o.progress, full_argc, full_argv);

  struct relsim_scenario sc;
  if ((rc = load_scenario(&sc, &o)) != 0) return rc;
  const struct relsim_params *p = &sc.params;
  char outbuf[RELSIM_PATH_MAX];
  if (!o.output) {
    cli_default_output(o.scenario, outbuf, sizeof outbuf);
    o.output = outbuf;
  }
  if (cli_same_file(o.scenario, o.output)) {
    fprintf(stderr, "relsim: the output %s is the scenario file itself; give another output file with -o\n",
            o.output);
    scenario_clean(&sc);
    return EX_CANTCREAT;
  }
  struct cli_progress pr;
  cli_progress_init(&pr, o.progress_given ? o.progress : o.quiet ? CLI_PROGRESS_NONE : cli_progress_mode_default(stderr),
                    o.quiet, stderr, o.scenario);
  warn_threads(&pr, o.threads);
  char *cmdline = cli_join_command_line(full_argc, full_argv); /* parse_options left argv in its order */
  struct relsim_run_options ro = {
      .output = o.output,
      .mode = o.resume ? RELSIM_OUTPUT_RESUME : o.force ? RELSIM_OUTPUT_FORCE : RELSIM_OUTPUT_NEW,
      .checkpoint_every = o.checkpoint_every,
      .threads = o.threads,
      .prov = {"relsim", RELSIM_VERSION, RELSIM_GIT_COMMIT, RELSIM_COMPILER, o.scenario, cmdline ? cmdline : "", 0, 1},
      .stop = &cli_stop_signal,
      .hooks = {on_started, on_period, NULL, &pr},
      .max_memory = o.max_memory,
  };
  /* From here on a signal stops the run at the next block of customers. */
  cli_catch_signals();

  char err[1024] = "", message[1800], resume[400] = "", partial[RELSIM_PATH_MAX + 16];
  struct relsim_run_result res;
  enum relsim_status st = run_scenario(&sc, &ro, &res, err, sizeof err);
  snprintf(partial, sizeof partial, "%s.partial", o.output);
  if (res.checkpoint_period > 0)
    snprintf(resume, sizeof resume, "; continue from the checkpoint at period %d with the same command and --resume",
             res.checkpoint_period);
  if (res.memory_refused)
    snprintf(message, sizeof message, "%s; or set the limit with --max-memory SIZE (--max-memory unlimited skips this "
             "check); nothing was run", err);
  else if (st != RELSIM_OK && res.kept_partial)
    snprintf(message, sizeof message, "%s; %s is kept, valid up to the periods it claims%s", err, partial, resume);
  else if (st == RELSIM_ERR_MEMORY || st == RELSIM_ERR_WRITE)
    snprintf(message, sizeof message, "%s; no result file was written", err);
  else if (st != RELSIM_OK)
    snprintf(message, sizeof message, "%s", err);
  else if (res.stopped) {
    snprintf(message, sizeof message,
             "interrupted by signal %d after %d of %d periods; %s keeps them, marked incomplete (complete = 0)%s",
             (int)cli_stop_signal, res.periods_done, p->periods, partial, resume);
    st = RELSIM_ERR_INTERRUPTED;
  }
  int has_file = st == RELSIM_OK || st == RELSIM_ERR_INTERRUPTED;
  const char *file = st == RELSIM_OK ? o.output : has_file ? partial : NULL;
  struct cli_progress_end end = {res.periods_done, p->periods, st == RELSIM_OK, res.wall_seconds,
                                 file, cli_exit_code(st), st == RELSIM_OK ? NULL : message};
  cli_progress_finish(&pr, &end);
  if (!o.quiet && res.periods_done > 0 && has_file) {
    const char *names[RELSIM_MAX_FIRMS];
    for (int f = 0; f < p->n_firms; f++) names[f] = p->firms[f].name;
    printf("\n");
    metrics_summary_print(stdout, res.rows, p->n_firms, names, res.periods_done);
    double cp = (double)p->customers * res.periods_done;
    if (res.resumed_from > 0) printf("\nresumed from the checkpoint at period %d\n", res.resumed_from);
    if (res.restarted) printf("\nno checkpoint to resume from: the run started over from period 0\n");
    printf("\n%s written: %d periods, %.1f s, %.3g customer-periods/s, %d threads, peak memory %.0f MB\n", file,
           res.periods_done, res.wall_seconds, cp / res.run_seconds, res.threads, cli_peak_memory_mb());
  }
  free(cmdline);
  scenario_clean(&sc);
  return cli_exit_code(st);
}

static int cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return fputs(inspect_help_text, stdout), 0;
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (argv[i][0] == '-' && argv[i][1]) return cli_usage_error("unknown option '%s'", argv[i]);
    else if (path) return cli_usage_error("%s", "inspect takes one FILE.h5");
    else path = argv[i];
  }
  if (!path) return cli_usage_error("%s", "inspect needs FILE.h5");
  struct relsim_file_info info;
  char err[1024];
  if (ensemble_is_experiment_file(path)) {
    if (json) return cli_usage_error("%s", "--json is for the file of one run; an experiment file is read with "
                                           "h5py or xarray (docs/experiments.md)");
    enum relsim_status st = ensemble_inspect(path, stdout, err, sizeof err);
    if (st != RELSIM_OK) fprintf(stderr, "relsim: %s\n", err);
    return cli_exit_code(st);
  }
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
  printf("snapshots:      %d\n", info.snapshots_done);
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
  if (!strcmp(topic, "experiment")) return fputs(cli_experiment_help_text, stdout), 0;
  if (!strcmp(topic, "merge")) return fputs(cli_merge_help_text, stdout), 0;
  if (!strcmp(topic, "keys")) { /* help keys [KEY] */
    char why[1024];
    if (argc == 1) return scenario_print_reference(stdout), 0;
    if (argc > 2) return cli_usage_error("unexpected argument '%s'; usage: relsim help keys [KEY]", argv[2]);
    return scenario_print_key_reference(stdout, argv[1], why, sizeof why) ? cli_usage_error("%s", why) : 0;
  }
  if (!strcmp(topic, "output")) return run_print_output_reference(stdout), 0;
  if (!strcmp(topic, "help")) return fputs(usage_text, stdout), 0;
  return cli_usage_error("no help for '%s'; topics: run, validate, inspect, keys, output", topic);
}

static const struct option global_options[] = {
    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};

int main(int argc, char **argv) {
  output_at_start();
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EX_USAGE;
  }
  /* Global options, up to the command ('+': stop at the first non-option). */
  cli_options_reset();
  for (int c; (c = cli_next_option(argc, argv, "+:hV", global_options)) != -1;) {
    if (c == 'h') return fputs(usage_text, stdout), 0;
    if (c != 'V') return EX_USAGE;
    printf("relsim %s (git %s)%s\n", RELSIM_VERSION, RELSIM_GIT_COMMIT,
           farm_mpi_available() ? ", with MPI" : ", without MPI");
    return 0;
  }
  if (optind >= argc) return cli_usage_error("%s", "missing COMMAND; commands: run, experiment, merge, validate, inspect, help");
  int at = optind; /* the command; run and validate parse from it, as getopt's argv[0] */
  const char *cmd = argv[at];
  if (!strcmp(cmd, "run")) return cmd_run(argc - at, argv + at, argc, argv);
  if (!strcmp(cmd, "validate")) return cmd_validate(argc - at, argv + at);
  if (!strcmp(cmd, "inspect")) return cmd_inspect(argc - at - 1, argv + at + 1);
  if (!strcmp(cmd, "experiment")) return cli_experiment(argc - at, argv + at, argc, argv);
  if (!strcmp(cmd, "merge")) return cli_merge(argc - at, argv + at, argc, argv);
  if (!strcmp(cmd, "help")) return cmd_help(argc - at - 1, argv + at + 1);
  return cli_usage_error("unknown command '%s'; commands: run, experiment, merge, validate, inspect, help", cmd);
}
