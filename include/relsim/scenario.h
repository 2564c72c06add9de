/*
 * relsim scenarios: YAML file + --set overrides -> struct relsim_params.
 *
 * Loading order: the --set overrides are written into the file's YAML tree
 * first (replacing or adding values, in command-line order); then
 * params_defaults(); for each firm the strategy preset (params_firm_defaults),
 * then the firm's keys; the other keys; then params_finalize() and
 * params_check(); then the events: list (checked against the firms and
 * run.periods, and by params_check after each event). All problems are collected and reported together, each as
 *   file:line:column: key: what is wrong; what is allowed
 * (with "did you mean ...?" for a misspelt key). Overrides are reported as
 *   --set:N: key: ...
 */
#ifndef RELSIM_SCENARIO_H
#define RELSIM_SCENARIO_H

#include <stddef.h>
#include <stdio.h>
#include "relsim/events.h"
#include "relsim/params.h"

enum relsim_key_type {
  RELSIM_KEY_INT,        /* integer (int) */
  RELSIM_KEY_INT64,      /* integer (int64_t) */
  RELSIM_KEY_UINT64,     /* integer (uint64_t) */
  RELSIM_KEY_REAL,       /* real (double) */
  RELSIM_KEY_BOOL,       /* true/false (int) */
  RELSIM_KEY_ENUM,       /* one of choices (int) */
  RELSIM_KEY_STRING,     /* UTF-8 text (char[RELSIM_NAME_MAX] or [RELSIM_PATH_MAX]) */
  RELSIM_KEY_ATTR_REALS, /* a real, or a list of one real per attribute (double[RELSIM_MAX_ATTRS]) */
  RELSIM_KEY_ATTR_NAMES, /* list of attribute names (attr_names + n_attrs) */
  RELSIM_KEY_LEVEL_REALS,/* list of one real per relationship level (double[RELSIM_LEVEL_COUNT]) */
  RELSIM_KEY_TIER_LEVELS /* list of one level name per tier, or one name for all (int[RELSIM_TIER_COUNT]) */
};

/* One scenario key. Global keys are "section.name" with offsets into struct
 * relsim_params; firm keys are "name" with offsets into struct
 * relsim_firm_params and appear as firms.<index or name>.<name>. */
struct relsim_key {
  const char *path;
  enum relsim_key_type type;
  size_t offset;
  size_t size;                 /* bytes of the field (string capacity) */
  double min, max;             /* allowed range for numbers (and list elements) */
  int min_open, max_open;      /* 1: the bound itself is not allowed */
  const char *const *choices;  /* NULL-terminated, for ENUM and TIER_LEVELS */
  const char *unit;
  const char *doc;
};

extern const struct relsim_key relsim_global_keys[];
extern const size_t relsim_n_global_keys;
extern const struct relsim_key relsim_firm_keys[];
extern const size_t relsim_n_firm_keys;

/* The largest scenario file read (1 MiB): a longer one, /dev/zero
 * included, is refused where it passes the limit. */
#define RELSIM_SCENARIO_MAX_BYTES 1048576

struct relsim_scenario {
  struct relsim_params params;       /* the parameters at the start of the run */
  struct relsim_schedule events;     /* the events: list, by period (events.h) */
  char *source;       /* the file verbatim (NUL-terminated; UTF-8, at most RELSIM_SCENARIO_MAX_BYTES) */
  char *resolved;     /* every parameter actually used, as YAML */
  char path[RELSIM_PATH_MAX];
};

/* Load path with overrides ("key=value" strings). On problems prints every
 * one of them to err and returns the count (> 0); returns -1 if the file
 * cannot be read, SCENARIO_OUT_OF_MEMORY if memory ran out while reading or
 * interpreting it (messages printed); 0 on success. */
#define SCENARIO_OUT_OF_MEMORY (-2)
int scenario_load(struct relsim_scenario *sc, const char *path, const char *const *overrides,
                  int n_overrides, FILE *err);
/* scenario_load with more choices (zero-initialise, then set what is needed). */
struct yaml_tree;
struct scenario_load_options {
  const char *const *overrides;      /* "KEY=VALUE" strings, applied in order */
  int n_overrides;
  const char *const *override_names; /* NULL, or where each override came from ("exp.yaml:12:7"), printed
                                        instead of --set:N in its problems */
  const char *text;                  /* NULL: read path; else the scenario's text (path names it in messages) */
  size_t text_len;
  const struct yaml_tree *tree;      /* NULL, or the scenario already parsed from text (a part of a larger
                                        YAML file, positions in text): it is copied, not parsed again */
};
int scenario_load_with(struct relsim_scenario *sc, const char *path, const struct scenario_load_options *opt,
                       FILE *err);
/* Read a file into a NUL-terminated buffer (malloc'd), no more than limit
 * + 1 bytes: *len > limit says it is too large. NULL with *err (an errno)
 * if it cannot be opened or read, or memory runs out. */
char *scenario_read_file(const char *path, size_t limit, size_t *len, int *err);
/* Free what scenario_load allocated; call it whatever scenario_load returned. */
void scenario_clean(struct relsim_scenario *sc);

/* The key a path names: a global key (wom.relay) or a firm key written as
 * firms.<index or name>.<key> (the firm itself is not checked); NULL if none. */
const struct relsim_key *scenario_key_of(const char *path);

/* Render every parameter of p as YAML (malloc'd) in the scenario format. */
char *scenario_resolved_yaml(const struct relsim_params *p);
/* The same followed by the events: list of events (none: nothing more). */
char *scenario_resolved_yaml_events(const struct relsim_params *p, const struct relsim_schedule *events);

/* Print the scenario key reference (Markdown) with defaults, units, ranges. */
void scenario_print_reference(FILE *out);

/* Print the reference of key only (`relsim help keys KEY`): its row(s) of
 * the reference under their heading. key is a global key path
 * (market.customers), a section (wom: all its keys), a firm key given as
 * firms.0.price, firms.NAME.price or price (with the presets that differ),
 * firms or firms.<index or name> (every firm key), a top-level key (name,
 * description) or a global key without its section (relay). Returns 0; if
 * key names nothing, prints nothing, writes "unknown key 'KEY'; did you mean
 * '...'?" (or what is allowed) into why and returns -1. */
int scenario_print_key_reference(FILE *out, const char *key, char *why, size_t why_size);

#endif
