/*
 * What `relsim run` tells on standard error while it runs (cli_progress.h):
 * the start line, warnings, progress as a bar, lines or JSON events, and how
 * the run ended.
 */
#include "cli_progress.h"

#include "relsim/json.h"
#include "relsim/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef RELSIM_VERSION
#define RELSIM_VERSION "unknown"
#endif

static const char *const mode_names[] = {
    [CLI_PROGRESS_NONE] = "none", [CLI_PROGRESS_BAR] = "bar", [CLI_PROGRESS_LINES] = "lines",
    [CLI_PROGRESS_JSON] = "json"};

enum { BAR_MIN_CELLS = 10, BAR_MAX_CELLS = 50, REPORTS_PER_RUN = 20 };
static const double bar_redraw_seconds = 0.1;

int cli_progress_mode_parse(const char *name, enum cli_progress_mode *mode) {
  for (size_t m = 0; m < sizeof mode_names / sizeof mode_names[0]; m++)
    if (!strcmp(name, mode_names[m])) {
      *mode = (enum cli_progress_mode)m;
      return 0;
    }
  return -1;
}

enum cli_progress_mode cli_progress_mode_default(FILE *out) {
  return isatty(fileno(out)) ? CLI_PROGRESS_BAR : CLI_PROGRESS_LINES;
}

void cli_progress_init(struct cli_progress *pr, enum cli_progress_mode mode, int quiet, FILE *out,
                       const char *scenario) {
  memset(pr, 0, sizeof *pr);
  pr->mode = mode;
  pr->quiet = quiet;
  pr->out = out;
  pr->scenario = scenario;
}

/* ,"key":value with value printed by fmt, or null if it is not finite. */
static void json_number(FILE *out, const char *key, const char *fmt, double v) {
  fprintf(out, ",\"%s\":", key);
  if (isfinite(v)) fprintf(out, fmt, v);
  else fputs("null", out);
}

/* Periods per second and seconds left (NAN while unknown). */
static void progress_pace(int done, int total, double elapsed, double *rate, double *left) {
  *rate = elapsed > 0 ? done / elapsed : 0.0;
  *left = *rate > 0 ? (total - done) / *rate : NAN;
}

/* m:ss, or h:mm:ss from an hour on; -:-- while unknown. */
static void progress_duration(char *buf, size_t len, double seconds) {
  if (!isfinite(seconds) || seconds < 0) {
    snprintf(buf, len, "-:--");
    return;
  }
  long s = lround(seconds);
  if (s >= 3600) snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
}

/* Columns of the terminal on fd, else $COLUMNS, else 80. */
static int progress_terminal_width(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  const char *columns = getenv("COLUMNS");
  if (columns) {
    char *end;
    long v = strtol(columns, &end, 10);
    if (end != columns && !*end && v > 0 && v <= 10000) return (int)v;
  }
  return 80;
}

/* The bar, redrawn in place: "[####......] period 52/260  12.3 periods/s  0:17 left",
 * filling all but the last column (writing there makes some terminals wrap).
 * The first text that leaves room for a bar of BAR_MIN_CELLS is drawn with
 * one; on a terminal too narrow for any, the first text that fits alone, or
 * the shortest cut to the width. */
static void progress_bar(struct cli_progress *pr, int done, int total, double elapsed) {
  double now = util_seconds();
  if (pr->drawn && done < total && now - pr->last_draw < bar_redraw_seconds) return;
  double rate, left;
  progress_pace(done, total, elapsed, &rate, &left);
  char left_text[32], texts[3][128], line[256];
  progress_duration(left_text, sizeof left_text, left);
  snprintf(texts[0], sizeof texts[0], "period %d/%d  %.1f periods/s  %s left", done, total, rate, left_text);
  snprintf(texts[1], sizeof texts[1], "%d/%d  %.1f/s  %s left", done, total, rate, left_text);
  snprintf(texts[2], sizeof texts[2], "%d/%d  %s left", done, total, left_text);
  int width = progress_terminal_width(fileno(pr->out)) - 1, t = 0;
  while (t < 2 && width - 3 - (int)strlen(texts[t]) < BAR_MIN_CELLS) t++; /* 3: "[", "] " */
  int cells = width - 3 - (int)strlen(texts[t]);
  if (cells > BAR_MAX_CELLS) cells = BAR_MAX_CELLS;
  if (cells >= BAR_MIN_CELLS) {
    int fill = total > 0 ? (int)((double)done * cells / total) : cells, n = 0;
    line[n++] = '[';
    for (int j = 0; j < cells; j++) line[n++] = j < fill ? '#' : '.';
    snprintf(line + n, sizeof line - (size_t)n, "] %s", texts[t]);
  } else {
    for (t = 0; t < 2 && (int)strlen(texts[t]) > width; t++) continue;
    snprintf(line, sizeof line, "%s", texts[t]);
  }
  /* Padded to the width so that a shorter line hides the longer one before it. */
  fprintf(pr->out, "\r%-*.*s", width, width, line);
  fflush(pr->out);
  pr->drawn = 1;
  pr->last_draw = now;
}

void cli_progress_warning(struct cli_progress *pr, const char *fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (pr->mode == CLI_PROGRESS_JSON) {
    fputs("{\"event\":\"warning\",\"message\":", pr->out);
    json_write_string(pr->out, text);
    fputs("}\n", pr->out);
  } else if (!pr->quiet) {
    fprintf(pr->out, "relsim: warning: %s\n", text);
  }
}

void cli_progress_start(struct cli_progress *pr, const struct relsim_params *p, int threads, const char *output) {
  if (pr->mode == CLI_PROGRESS_JSON) {
    fputs("{\"event\":\"start\",\"version\":\"" RELSIM_VERSION "\",\"scenario\":", pr->out);
    json_write_string(pr->out, pr->scenario);
    fputs(",\"name\":", pr->out);
    json_write_string(pr->out, p->name);
    fprintf(pr->out, ",\"customers\":%lld,\"firms\":%d,\"periods\":%d,\"threads\":%d,\"output\":",
            (long long)p->customers, p->n_firms, p->periods, threads);
    json_write_string(pr->out, output);
    fputs("}\n", pr->out);
  } else if (!pr->quiet) {
    fprintf(pr->out, "relsim %s: %s: %lld customers, %d firms, %d periods, %d threads -> %s\n", RELSIM_VERSION,
            pr->scenario, (long long)p->customers, p->n_firms, p->periods, threads, output);
  }
}

void cli_progress_period(struct cli_progress *pr, int done, int total, double elapsed) {
  if (pr->mode == CLI_PROGRESS_NONE) return;
  if (pr->mode == CLI_PROGRESS_BAR) {
    progress_bar(pr, done, total, elapsed);
    return;
  }
  int every = (total + REPORTS_PER_RUN - 1) / REPORTS_PER_RUN;
  if (every < 1) every = 1;
  if (done % every != 0 && done != total) return;
  double rate, left;
  progress_pace(done, total, elapsed, &rate, &left);
  if (pr->mode == CLI_PROGRESS_LINES) {
    char left_text[32];
    progress_duration(left_text, sizeof left_text, left);
    fprintf(pr->out, "relsim: period %d/%d (%d%%), %.1f periods/s, %s left\n", done, total,
            total > 0 ? (int)(100.0 * done / total) : 100, rate, left_text);
  } else {
    fprintf(pr->out, "{\"event\":\"progress\",\"period\":%d,\"periods\":%d", done, total);
    json_number(pr->out, "elapsed_s", "%.3f", elapsed);
    json_number(pr->out, "rate", "%.2f", rate);
    json_number(pr->out, "left_s", "%.1f", left);
    fputs("}\n", pr->out);
  }
  fflush(pr->out);
}

void cli_progress_finish(struct cli_progress *pr, const struct cli_progress_end *end) {
  if (pr->drawn) fputc('\n', pr->out);
  pr->drawn = 0;
  if (pr->mode != CLI_PROGRESS_JSON) {
    if (end->message) fprintf(pr->out, "relsim: %s\n", end->message);
    return;
  }
  fprintf(pr->out, "{\"event\":\"done\",\"periods_done\":%d,\"periods\":%d,\"complete\":%s", end->periods_done,
          end->periods, end->complete ? "true" : "false");
  json_number(pr->out, "wall_s", "%.3f", end->wall_s);
  fputs(",\"output\":", pr->out);
  if (end->output) json_write_string(pr->out, end->output);
  else fputs("null", pr->out);
  fprintf(pr->out, ",\"exit_status\":%d", end->exit_status);
  if (end->message) {
    fputs(",\"message\":", pr->out);
    json_write_string(pr->out, end->message);
  }
  fputs("}\n", pr->out);
  fflush(pr->out);
}
