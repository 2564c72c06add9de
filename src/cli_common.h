/*
 * What the command line's commands share: usage errors, option scanning
 * (getopt_long with relsim's own messages), signals, the one mapping of
 * library statuses to exit codes (sysexits.h).
 */
#ifndef RELSIM_CLI_COMMON_H
#define RELSIM_CLI_COMMON_H

#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "cli_progress.h"
#include "relsim/status.h"

/* The signal that asked to stop (0: none); set by cli_catch_signals' handler. */
extern volatile sig_atomic_t cli_stop_signal;
/* From here on SIGINT and SIGTERM set cli_stop_signal (SA_RESTART). */
void cli_catch_signals(void);

/* "relsim: <fmt with arg>" and a hint; returns EX_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);
/* The peak resident memory of this process, MB. */
double cli_peak_memory_mb(void);
/* s as a whole number from 1 to max: 0, or -1. */
int cli_parse_positive_int(const char *s, long max, long *out);
/* The scenario's base name with .h5 (or suffix). */
void cli_default_output(const char *scenario, char *out, size_t len);
/* Start a fresh scan of an argument vector (getopt's state is global). */
void cli_options_reset(void);
/* The next option (getopt_long), -1 after the last, '?' after an error (reported). */
int cli_next_option(int argc, char **argv, const char *optstring, const struct option *longopts);
/* The arguments joined by spaces (malloc'd; NULL if memory ran out). */
char *cli_join_command_line(int argc, char **argv);
/* Option values shared by the commands; each returns 0, or reports a usage
 * error and returns EX_USAGE. */
/* --set KEY=VALUE: appended to sets[*n]. */
int cli_take_set(const char *arg, const char **sets, int *n);
/* A whole number from 1 to max for option name (--threads, --jobs, ...). */
int cli_take_count(const char *name, const char *arg, long max, int *out);
/* --progress MODE. */
int cli_take_progress(const char *arg, enum cli_progress_mode *mode, int *given);
/* --max-memory SIZE. */
int cli_take_max_memory(const char *arg, uint64_t *out);

/* The exit status of a library status. */
int cli_exit_code(enum relsim_status st);
/* 1 if a and b name the same existing file. */
int cli_same_file(const char *a, const char *b);

#endif
