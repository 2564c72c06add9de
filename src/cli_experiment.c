/*
 * The command line of experiments: relsim experiment, relsim merge, and
 * relsim run --replications (an experiment of one scenario). Arguments are
 * parsed here; the farm (farm.h) runs the runs and writes the file;
 * ensemble_inspect prints the summary.
 */
#include "cli_experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli_common.h"
#include "cli_progress.h"
#include "relsim/ensemble.h"
#include "relsim/experiment.h"
#include "relsim/farm.h"
#include "relsim/run.h"
#include "relsim/util.h"

#ifndef RELSIM_VERSION
#define RELSIM_VERSION "unknown"
#endif
#include "relsim_git.h"
#ifndef RELSIM_COMPILER
#define RELSIM_COMPILER "unknown"
#endif

const char *cli_experiment_help_text =
    "Usage: relsim experiment EXPERIMENT.yaml [-o OUT.h5] [-f] [--resume] [-j N] [-t N]\n"
    "                         [--runs FIRST:LAST] [--set KEY=VALUE]... [--dry-run]\n"
    "                         [--progress MODE] [--max-memory SIZE] [-q]\n"
    "Run an experiment: a base scenario, factors, a design (grid, lhs, sobol) and\n"
    "replications (docs/experiments.md). Every problem of the file and of every\n"
    "design point's scenario is reported before anything runs. The runs go to one\n"
    "HDF5 file with every run's metrics, the summaries of every design point\n"
    "(mean, sd, confidence interval) and, for sobol, the Sobol indices.\n"
    "\n"
    "  -o, --output FILE     the experiment file (default: the experiment's base\n"
    "                        name + .h5); OUT.journal holds the finished runs while\n"
    "                        it runs\n"
    "  -f, --force           replace an existing output (once the experiment\n"
    "                        completes) and a journal a dead experiment left\n"
    "      --resume          continue a killed or interrupted experiment from its\n"
    "                        journal: only the runs not finished are made\n"
    "  -j, --jobs N          runs at once on this machine (default: one per core;\n"
    "                        under mpiexec: 1 per rank)\n"
    "  -t, --threads N       OpenMP threads per run (default: cores / jobs)\n"
    "      --runs FIRST:LAST make only runs FIRST to LAST (0-based, inclusive) into\n"
    "                        their own file; relsim merge joins such slices\n"
    "      --set KEY=VALUE   override a key of the base scenario (after set:)\n"
    "      --dry-run         check everything and print the design; run nothing\n"
    "      --progress MODE   bar, lines, json or none (as relsim run)\n"
    "      --max-memory SIZE the memory all the jobs may use together\n"
    "  -q, --quiet           print nothing but errors\n"
    "\n"
    "Under mpiexec (mpiexec -n R relsim experiment ...) the runs are spread over\n"
    "the ranks; rank 0 writes the file. The file's data are the same for any\n"
    "--jobs, --threads and number of ranks.\n";

const char *cli_merge_help_text =
    "Usage: relsim merge EXPERIMENT.yaml SLICE.h5... -o OUT.h5 [-f] [--set KEY=VALUE]...\n"
    "Join the slice files of one experiment (made with --runs FIRST:LAST, same\n"
    "experiment file, --set values and build) into the file one run of the whole\n"
    "experiment gives, with its summaries and Sobol indices. Every run must be in\n"
    "exactly one slice.\n";

enum { OPT_SET = 256, OPT_PROGRESS, OPT_RESUME, OPT_MAX_MEMORY, OPT_RUNS, OPT_DRY_RUN };

static const struct option exp_options[] = {
    {"output", required_argument, NULL, 'o'},      {"force", no_argument, NULL, 'f'},
    {"resume", no_argument, NULL, OPT_RESUME},     {"jobs", required_argument, NULL, 'j'},
    {"threads", required_argument, NULL, 't'},     {"runs", required_argument, NULL, OPT_RUNS},
    {"set", required_argument, NULL, OPT_SET},     {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"progress", required_argument, NULL, OPT_PROGRESS}, {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {"quiet", no_argument, NULL, 'q'},             {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* ---- progress in runs ---------------------------------------------------------- */

struct runs_progress {
  enum cli_progress_mode mode;
  double last;
  long last_done;
  int drawn;
  int rank;
};

static void on_progress(void *ctx, long done, long total, double elapsed) {
  struct runs_progress *p = ctx;
  double now = util_seconds();
  int end = done == total;
  if (p->mode == CLI_PROGRESS_NONE || p->rank > 0) return;
  if (!end && now - p->last < (p->mode == CLI_PROGRESS_BAR ? 0.2 : 5.0) && p->last > 0) return;
  p->last = now;
  double rate = elapsed > 0 ? (double)(done - p->last_done) / elapsed : 0;
  double left = rate > 0 ? (double)(total - done) / rate : NAN;
  if (p->mode == CLI_PROGRESS_JSON) {
    fprintf(stderr, "{\"event\":\"progress\",\"runs_done\":%ld,\"runs\":%ld,\"elapsed_s\":%.3f,\"runs_per_s\":%.4g%s",
            done, total, elapsed, rate, isnan(left) ? "}\n" : "");
    if (!isnan(left)) fprintf(stderr, ",\"eta_s\":%.1f}\n", left);
  } else {
    char eta[64] = "";
    if (!isnan(left) && !end) snprintf(eta, sizeof eta, ", about %.0f s left", left);
    fprintf(stderr, "%sruns %ld/%ld (%.0f%%), %.3g runs/s%s%s", p->mode == CLI_PROGRESS_BAR ? "\r" : "", done, total,
            total ? 100.0 * (double)done / (double)total : 100.0, rate, eta,
            p->mode == CLI_PROGRESS_BAR ? "   " : "\n");
    p->drawn = p->mode == CLI_PROGRESS_BAR;
  }
  fflush(stderr);
}

static void on_failed(void *ctx, long run, int status, const char *err) {
  struct runs_progress *p = ctx;
  if (p->drawn) fputc('\n', stderr), p->drawn = 0;
  fprintf(stderr, "relsim: run %ld failed: %s\n", run, err && *err ? err : "(no message)");
}

/* ---- shared by experiment and run --replications --------------------------------- */

struct exp_cli {
  const char *file;               /* experiment or scenario */
  const char *output;
  const char **sets;
  int n_sets;
  int force, resume, quiet, dry_run, progress_given, jobs, threads;
  enum cli_progress_mode progress;
  struct ensemble_slice slice;
  uint64_t max_memory;
  char out_buf[RELSIM_PATH_MAX];
};

static void print_design(const struct relsim_experiment *e) {
  printf("%s: valid: %s design, %d factor%s, %ld point%s x %d replication%s = %ld runs of %d periods\n", e->path,
         relsim_exp_design_names[e->design], e->n_factors, e->n_factors == 1 ? "" : "s", e->n_points,
         e->n_points == 1 ? "" : "s", e->replications, e->replications == 1 ? "" : "s", e->n_runs,
         e->base.params.periods);
  for (int j = 0; j < e->n_factors; j++) printf("  factor %-28s %s\n", e->factors[j].key,
                                                relsim_exp_factor_kind_names[e->factors[j].kind]);
  for (int i = 0; i < e->n_measures; i++) printf("  measure %-27s %s\n", e->measures[i].name, e->measures[i].text);
  printf("seeds: %" PRIu64 " + %s\n", e->seed, e->crn ? "replication (common random numbers)" : "run");
}

/* Run e as the options say; print the summary. */
static int run_experiment(const struct relsim_experiment *e, struct exp_cli *c, int rank, int full_argc,
                          char **full_argv) {
  char err[2048] = "";
  if (cli_same_file(c->output, e->path) || cli_same_file(c->output, e->scenario_path)) {
    if (rank == 0) fprintf(stderr, "relsim: the output %s is an input file; give another output file with -o\n", c->output);
    return EX_CANTCREAT; /* every rank sees the same files */
  }
  char *cmdline = cli_join_command_line(full_argc, full_argv);
  struct runs_progress rp = {c->progress_given ? c->progress : c->quiet ? CLI_PROGRESS_NONE
                                                                        : cli_progress_mode_default(stderr),
                             0, 0, 0, rank};
  struct farm_options fo = {
      .output = c->output,
      .mode = c->resume ? RELSIM_OUTPUT_RESUME : c->force ? RELSIM_OUTPUT_FORCE : RELSIM_OUTPUT_NEW,
      .slice = c->slice,
      .jobs = c->jobs,
      .threads = c->threads,
      .max_memory = c->max_memory,
      .stop = &cli_stop_signal,
      .prov = {RELSIM_VERSION, RELSIM_GIT_COMMIT, RELSIM_COMPILER, cmdline ? cmdline : "", 1, 1, 1},
      .progress = on_progress,
      .failed = on_failed,
      .ctx = &rp,
  };
  cli_catch_signals();
  struct farm_result res;
  enum relsim_status st = farm_run(e, &fo, &res, err, sizeof err);
  if (rp.drawn) fputc('\n', stderr);
  free(cmdline);
  if (!res.coordinator) return cli_exit_code(st);
  char journal[RELSIM_PATH_MAX + 16];
  snprintf(journal, sizeof journal, "%s.journal", c->output);
  if (st != RELSIM_OK) {
    fprintf(stderr, "relsim: %s%s%s\n", err, access(journal, F_OK) == 0 ? "; the runs done are kept in " : "",
            access(journal, F_OK) == 0 ? journal : "");
    return cli_exit_code(st);
  }
  if (res.stopped) {
    fprintf(stderr, "relsim: interrupted by signal %d after %ld of %ld runs; %s keeps them: continue with the same "
                    "command and --resume\n", (int)cli_stop_signal, res.runs_done, res.runs_total, journal);
    return cli_exit_code(RELSIM_ERR_INTERRUPTED);
  }
  if (!c->quiet) {
    char ierr[1024];
    printf("\n");
    if (ensemble_inspect(c->output, stdout, ierr, sizeof ierr) != RELSIM_OK) fprintf(stderr, "relsim: %s\n", ierr);
    printf("\n%s written: %ld runs (%ld resumed, %ld failed), %.1f s, %d rank%s x %d job%s x %d thread%s\n",
           c->output, res.runs_done, res.runs_resumed, res.runs_failed, res.wall_seconds, res.ranks,
           res.ranks == 1 ? "" : "s", res.jobs, res.jobs == 1 ? "" : "s", res.threads, res.threads == 1 ? "" : "s");
  }
  return res.runs_failed ? EX_SOFTWARE : 0;
}

static int parse_slice(const char *s, struct ensemble_slice *sl) {
  char *end;
  errno = 0;
  long a = strtol(s, &end, 10);
  if (errno || end == s || *end != ':') return -1;
  const char *b0 = end + 1;
  long b = strtol(b0, &end, 10);
  if (errno || end == b0 || *end || a < 0 || b < a) return -1;
  sl->first = a;
  sl->last = b;
  return 0;
}

/* Options of experiment (and merge: slices allowed as extra arguments). */
static int parse(int argc, char **argv, struct exp_cli *c, const char ***extra, int *n_extra, int *help) {
  *help = 0;
  cli_options_reset();
  for (int ch, rc; (ch = cli_next_option(argc, argv, "-:ho:fj:t:q", exp_options)) != -1;) {
    switch (ch) {
    case 'h': *help = 1; return 0;
    case 1:
      if (!c->file) c->file = optarg;
      else if (extra) (*extra)[(*n_extra)++] = optarg;
      else return cli_usage_error("unexpected argument '%s'", optarg);
      break;
    case 'o': c->output = optarg; break;
    case 'f': c->force = 1; break;
    case 'q': c->quiet = 1; break;
    case OPT_RESUME: c->resume = 1; break;
    case OPT_DRY_RUN: c->dry_run = 1; break;
    case 'j':
      if ((rc = cli_take_count("--jobs", optarg, 4096, &c->jobs)) != 0) return rc;
      break;
    case 't':
      if ((rc = cli_take_count("--threads", optarg, 4096, &c->threads)) != 0) return rc;
      break;
    case OPT_RUNS:
      if (parse_slice(optarg, &c->slice) != 0)
        return cli_usage_error("--runs needs FIRST:LAST, whole numbers with 0 <= FIRST <= LAST, got '%s'", optarg);
      break;
    case OPT_SET:
      if ((rc = cli_take_set(optarg, c->sets, &c->n_sets)) != 0) return rc;
      break;
    case OPT_PROGRESS:
      if ((rc = cli_take_progress(optarg, &c->progress, &c->progress_given)) != 0) return rc;
      break;
    case OPT_MAX_MEMORY:
      if ((rc = cli_take_max_memory(optarg, &c->max_memory)) != 0) return rc;
      break;
    default: return EX_USAGE;
    }
  }
  for (int i = optind; i < argc; i++) {
    if (!c->file) c->file = argv[i];
    else if (extra) (*extra)[(*n_extra)++] = argv[i];
    else return cli_usage_error("unexpected argument '%s'", argv[i]);
  }
  if (c->force && c->resume) return cli_usage_error("%s", "--force starts over and --resume continues: give one of them");
  if (!c->file) return cli_usage_error("%s", "missing EXPERIMENT.yaml");
  if (!c->output) {
    cli_default_output(c->file, c->out_buf, sizeof c->out_buf);
    c->output = c->out_buf;
  }
  return 0;
}

/* Load quietly on ranks other than 0 (rank 0 reports the problems once). */
static int load(struct relsim_experiment *e, const struct exp_cli *c, int rank, int replications) {
  char *buf = NULL;
  size_t len = 0;
  FILE *err = rank == 0 ? stderr : open_memstream(&buf, &len);
  if (!err) return EX_OSERR;
  int n = replications ? experiment_of_scenario(e, c->file, c->sets, c->n_sets, replications, err)
                       : experiment_load(e, c->file, c->sets, c->n_sets, err);
  if (rank != 0) fclose(err), free(buf);
  if (n == 0) return 0;
  experiment_clean(e);
  if (n == SCENARIO_OUT_OF_MEMORY) return EX_OSERR;
  if (n < 0) return EX_NOINPUT;
  if (rank == 0) fprintf(stderr, "relsim: %s: %d problem%s; nothing was run\n", c->file, n, n == 1 ? "" : "s");
  return EX_DATAERR;
}

static int check_slice(const struct relsim_experiment *e, struct exp_cli *c) {
  if (c->slice.first < 0) return 0;
  if (c->slice.last >= e->n_runs) {
    fprintf(stderr, "relsim: --runs %ld:%ld: the experiment has runs 0 to %ld\n", c->slice.first, c->slice.last,
            e->n_runs - 1);
    return EX_USAGE;
  }
  return 0;
}

int cli_experiment(int argc, char **argv, int full_argc, char **full_argv) {
  const char *sets[argc + 1];
  struct exp_cli c = {.sets = sets, .slice = {-1, -1}};
  int help, rank = 0, rc = parse(argc, argv, &c, NULL, NULL, &help);
  if (help) return fputs(cli_experiment_help_text, stdout), 0;
  if (rc) return rc;
  farm_mpi_init(NULL, NULL, &rank);
  struct relsim_experiment e;
  if ((rc = load(&e, &c, rank, 0)) != 0) return farm_mpi_finalize(), rc;
  if (c.dry_run || (rc = check_slice(&e, &c)) != 0) {
    if (c.dry_run && rank == 0) print_design(&e);
  } else {
    rc = run_experiment(&e, &c, rank, full_argc, full_argv);
  }
  experiment_clean(&e);
  farm_mpi_finalize();
  return rc;
}

int cli_replications(const char *scenario, const char *const *sets, int n_sets, const char *output, int force,
                     int resume, int replications, int jobs, int threads, int quiet, int progress_given,
                     enum cli_progress_mode progress, int full_argc, char **full_argv) {
  struct exp_cli c = {.file = scenario, .output = output, .sets = (const char **)sets, .n_sets = n_sets,
                      .force = force, .resume = resume, .quiet = quiet, .jobs = jobs, .threads = threads,
                      .progress_given = progress_given, .progress = progress, .slice = {-1, -1}};
  if (!c.output) {
    cli_default_output(scenario, c.out_buf, sizeof c.out_buf);
    c.output = c.out_buf;
  }
  int rank = 0, rc;
  farm_mpi_init(NULL, NULL, &rank);
  struct relsim_experiment e;
  if ((rc = load(&e, &c, rank, replications)) != 0) return farm_mpi_finalize(), rc;
  rc = run_experiment(&e, &c, rank, full_argc, full_argv);
  experiment_clean(&e);
  farm_mpi_finalize();
  return rc;
}

/* ---- merge ------------------------------------------------------------------------ */

struct merged {
  const struct relsim_experiment *e;
  struct ensemble_source *src;
  struct ensemble_slice *sl;
  int n;
};

static int merged_get(void *ctx, long run, struct relsim_exp_result *r, char *err, size_t errlen) {
  struct merged *m = ctx;
  for (int i = 0; i < m->n; i++)
    if (run >= m->sl[i].first && run <= m->sl[i].last) return m->src[i].get(m->src[i].ctx, run, r, err, errlen);
  return 0;
}

int cli_merge(int argc, char **argv, int full_argc, char **full_argv) {
  const char *sets[argc + 1], *slices_arg[argc + 1];
  const char **extra = slices_arg;
  int n_slices = 0;
  struct exp_cli c = {.sets = sets, .slice = {-1, -1}};
  int help, rc = parse(argc, argv, &c, &extra, &n_slices, &help);
  if (help) return fputs(cli_merge_help_text, stdout), 0;
  if (rc) return rc;
  if (n_slices == 0) return cli_usage_error("%s", "merge needs the slice files: relsim merge EXPERIMENT.yaml SLICE.h5... -o OUT.h5");
  if (c.output == c.out_buf) return cli_usage_error("%s", "merge needs -o OUT.h5");
  struct relsim_experiment e;
  if ((rc = load(&e, &c, 0, 0)) != 0) return rc;
  char err[2048] = "", build[256];
  snprintf(build, sizeof build, "%s %s %s", RELSIM_VERSION, RELSIM_GIT_COMMIT, RELSIM_COMPILER);
  struct ensemble_source src[n_slices];
  struct ensemble_slice sl[n_slices];
  int opened = 0;
  enum relsim_status st = farm_check_output(c.output, c.force ? RELSIM_OUTPUT_FORCE : RELSIM_OUTPUT_NEW, err,
                                            sizeof err);
  for (; st == RELSIM_OK && opened < n_slices; opened++)
    if ((st = ensemble_slice_open(&src[opened], &e, slices_arg[opened], build, &sl[opened], err, sizeof err)) !=
        RELSIM_OK)
      break;
  /* every run in exactly one slice */
  long *owner = st == RELSIM_OK ? calloc((size_t)e.n_runs, sizeof *owner) : NULL;
  if (st == RELSIM_OK && !owner) st = RELSIM_ERR_MEMORY, snprintf(err, sizeof err, "out of memory");
  for (int i = 0; st == RELSIM_OK && i < n_slices; i++)
    for (long r = sl[i].first; r <= sl[i].last && st == RELSIM_OK; r++) {
      if (owner[r]) {
        snprintf(err, sizeof err, "run %ld is in both %s and %s", r, slices_arg[owner[r] - 1], slices_arg[i]);
        st = RELSIM_ERR_SCENARIO;
      }
      owner[r] = i + 1;
    }
  for (long r = 0; st == RELSIM_OK && r < e.n_runs; r++)
    if (!owner[r]) {
      long to = r;
      while (to + 1 < e.n_runs && !owner[to + 1]) to++;
      snprintf(err, sizeof err, "runs %ld to %ld are in no slice (make them with --runs %ld:%ld)", r, to, r, to);
      st = RELSIM_ERR_SCENARIO;
    }
  free(owner);
  if (st == RELSIM_OK) {
    char *cmdline = cli_join_command_line(full_argc, full_argv);
    struct merged m = {&e, src, sl, n_slices};
    struct ensemble_source all = {merged_get, &m};
    struct ensemble_provenance prov = {RELSIM_VERSION, RELSIM_GIT_COMMIT, RELSIM_COMPILER, cmdline ? cmdline : "",
                                       1, 1, 1};
    st = ensemble_write(&e, &all, (struct ensemble_slice){0, e.n_runs - 1}, c.output, c.force, &prov, err,
                        sizeof err);
    free(cmdline);
  }
  for (int i = 0; i < opened; i++) ensemble_slice_close(&src[i]);
  if (st != RELSIM_OK) fprintf(stderr, "relsim: %s; nothing was written\n", err);
  else if (!c.quiet) {
    printf("%s written: %ld runs from %d slice%s\n\n", c.output, e.n_runs, n_slices, n_slices == 1 ? "" : "s");
    if (ensemble_inspect(c.output, stdout, err, sizeof err) != RELSIM_OK) fprintf(stderr, "relsim: %s\n", err);
  }
  experiment_clean(&e);
  return cli_exit_code(st);
}
