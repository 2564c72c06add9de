/*
 * What `relsim run` tells on standard error while it runs, in one of four
 * progress modes (--progress=MODE):
 *
 *   bar    a bar redrawn in place, at most ten times a second, that fits the
 *          terminal's width (the default when standard error is a terminal);
 *   lines  a plain line every ceil(periods / 20) periods and at the last
 *          period, for logs (the default otherwise);
 *   json   one JSON object per line: a start event, progress events at the
 *          periods of `lines`, warnings, and a done event that also carries
 *          any error, so a program can follow a run;
 *   none   no progress.
 *
 * In the text modes the start line and warnings are omitted when quiet;
 * errors are always told. Part of the command line, not of the library.
 */
#ifndef RELSIM_CLI_PROGRESS_H
#define RELSIM_CLI_PROGRESS_H

#include <stdio.h>

#include "relsim/params.h"

enum cli_progress_mode { CLI_PROGRESS_NONE, CLI_PROGRESS_BAR, CLI_PROGRESS_LINES, CLI_PROGRESS_JSON };

struct cli_progress {
  enum cli_progress_mode mode;
  int quiet;         /* text modes: no start line, no warnings */
  FILE *out;         /* standard error */
  const char *scenario; /* the scenario's path, as given */
  double last_draw;  /* bar: when it was last drawn (monotonic seconds) */
  int drawn;         /* bar: a bar is on the current line */
};

/* How a run ended, for the final report. */
struct cli_progress_end {
  int periods_done;
  int periods;
  int complete;        /* every period done and the file closed */
  double wall_s;       /* seconds from building the simulation to closing the file */
  const char *output;  /* the result file, or NULL if none was left */
  int exit_status;
  const char *message; /* what went wrong or stopped the run; NULL if nothing */
};

/* Parse a mode name; 0, or -1 if the name is not a mode. */
int cli_progress_mode_parse(const char *name, enum cli_progress_mode *mode);

/* The default mode: bar if out is a terminal, lines otherwise. */
enum cli_progress_mode cli_progress_mode_default(FILE *out);

void cli_progress_init(struct cli_progress *pr, enum cli_progress_mode mode, int quiet, FILE *out,
                       const char *scenario);

/* A warning (printf-style text, no trailing newline). */
void cli_progress_warning(struct cli_progress *pr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The run has started (the run layer's `started` hook). */
void cli_progress_start(struct cli_progress *pr, const struct relsim_params *p, int threads, const char *output);

/* done of total periods are written after elapsed seconds (the `period_done` hook). */
void cli_progress_period(struct cli_progress *pr, int done, int total, double elapsed);

/* The run has ended: ends the bar's line, tells the message, or the done event. */
void cli_progress_finish(struct cli_progress *pr, const struct cli_progress_end *end);

#endif
