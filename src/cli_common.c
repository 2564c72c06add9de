/*
 * What the command line's commands share (cli_common.h): usage errors,
 * option scanning, signals, exit codes.
 */
#include "cli_common.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "relsim/run.h"

volatile sig_atomic_t cli_stop_signal = 0;

static void on_signal(int sig) { cli_stop_signal = sig; }

void cli_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART; /* a signal must not fail a write in progress */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}


int cli_usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "relsim: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'relsim --help' for more information.\n");
  return EX_USAGE;
}


double cli_peak_memory_mb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return NAN;
  return ru.ru_maxrss / 1024.0;
}


int cli_parse_positive_int(const char *s, long max, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < 1 || v > max) return -1;
  *out = v;
  return 0;
}


/* Derive the default output path: the scenario's base name with .h5. */
void cli_default_output(const char *scenario, char *out, size_t len) {
  const char *base = strrchr(scenario, '/');
  base = base ? base + 1 : scenario;
  const char *dot = strrchr(base, '.');
  int n = dot ? (int)(dot - base) : (int)strlen(base);
  snprintf(out, len, "%.*s.h5", n, base);
}

/* getopt_long keeps its state in globals: optind = 0 starts a fresh scan of a
 * new argument vector (glibc and musl then reinitialise fully, even after a
 * scan that stopped inside a cluster such as -qt). getopt's own messages are
 * off (opterr = 0, and the ':' that opens every optstring after its '+' or
 * '-'); relsim prints its own (option_error). */
void cli_options_reset(void) {
  optind = 0;
  opterr = 0;
}

/* Report the option getopt_long stopped at in arg, the argument it was
 * reading: c is ':' (the value is missing) or '?' (unknown, ambiguous, or
 * given a value it does not take). Returns EX_USAGE. */
static int option_error(int c, const char *arg, const struct option *longopts) {
  if (strncmp(arg, "--", 2) != 0) { /* a short option, maybe inside a cluster */
    char name[3] = {'-', (char)optopt, '\0'};
    return cli_usage_error(c == ':' ? "option '%s' needs a value" : "unknown option '%s'", name);
  }
  char name[64], msg[256];
  snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
  if (c == ':') return cli_usage_error("option '%s' needs a value", name);
  if (optopt) return cli_usage_error("option '%s' takes no value", name);
  int n = snprintf(msg, sizeof msg, "option '%s' is ambiguous; did you mean", name), matches = 0;
  for (const struct option *lo = longopts; lo->name; lo++)
    if (!strncmp(lo->name, name + 2, strlen(name + 2)) && n < (int)sizeof msg)
      n += snprintf(msg + n, sizeof msg - (size_t)n, "%s --%s", matches++ ? " or" : "", lo->name);
  if (matches > 1) return cli_usage_error("%s?", msg);
  return cli_usage_error("unknown option '%s'", name);
}

/* The next option in argv (getopt_long), or -1 after the last; '?' after an
 * error, which is reported. argv[optind] before the call is the argument
 * being read, since optstrings opening with '+' or '-' never permute argv. */
int cli_next_option(int argc, char **argv, const char *optstring, const struct option *longopts) {
  int at = optind > 0 ? optind : 1;
  int c = getopt_long(argc, argv, optstring, longopts, NULL);
  if (c == '?' || c == ':') {
    option_error(c, at < argc ? argv[at] : "", longopts);
    return '?';
  }
  return c;
}


char *cli_join_command_line(int argc, char **argv) {
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
int cli_exit_code(enum relsim_status st) {
  switch (st) {
  case RELSIM_OK: return 0;
  case RELSIM_ERR_USAGE: return EX_USAGE;
  case RELSIM_ERR_SCENARIO: return EX_DATAERR;
  case RELSIM_ERR_INPUT: return EX_NOINPUT;
  case RELSIM_ERR_MEMORY: return EX_OSERR;
  case RELSIM_ERR_CREATE: return EX_CANTCREAT;
  case RELSIM_ERR_WRITE: return EX_IOERR;
  case RELSIM_ERR_INTERRUPTED: return 128 + (cli_stop_signal ? (int)cli_stop_signal : SIGINT);
  case RELSIM_STATUS_COUNT: break;
  }
  return EX_SOFTWARE;
}


/* 1 if a and b name the same existing file. */
int cli_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}


int cli_take_set(const char *arg, const char **sets, int *n) {
  if (!strchr(arg, '=')) {
    /* A Chinese input method types a full-width colon or equals sign. */
    if (strstr(arg, "\xEF\xBC\x9A") || strstr(arg, "\xEF\xBC\x9D"))
      return cli_usage_error("--set needs KEY=VALUE with an ASCII '=', got '%s' (a full-width '\xEF\xBC\x9A' or "
                             "'\xEF\xBC\x9D' is not '='; switch the input method to half-width)", arg);
    return cli_usage_error("--set needs KEY=VALUE, got '%s'", arg);
  }
  sets[(*n)++] = arg;
  return 0;
}

int cli_take_count(const char *name, const char *arg, long max, int *out) {
  long v;
  if (cli_parse_positive_int(arg, max, &v) != 0) {
    char fmt[160];
    snprintf(fmt, sizeof fmt, "%s needs a whole number from 1 to %ld, got '%%s'", name, max);
    return cli_usage_error(fmt, arg);
  }
  *out = (int)v;
  return 0;
}

int cli_take_progress(const char *arg, enum cli_progress_mode *mode, int *given) {
  if (cli_progress_mode_parse(arg, mode) != 0)
    return cli_usage_error("--progress needs bar, lines, json or none, got '%s'", arg);
  *given = 1;
  return 0;
}

int cli_take_max_memory(const char *arg, uint64_t *out) {
  if (run_memory_parse(arg, out) != 0)
    return cli_usage_error("--max-memory needs a size such as 512M, 2G or 1.5GiB, or 'unlimited', got '%s'", arg);
  return 0;
}
