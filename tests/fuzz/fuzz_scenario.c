/*
 * Fuzz harness of the scenario loader (scenario_load) and its resolved-YAML
 * round trip.
 *
 * The input is a scenario file. Each of its lines that starts with "#set "
 * (a comment to YAML) also gives one --set override, KEY=VALUE, applied in
 * order as on the command line (at most FUZZ_MAX_OVERRIDES). Properties:
 *  - the loader never crashes, leaks or reads out of bounds (the sanitizers),
 *    whatever the text and the overrides;
 *  - a scenario that loads keeps its text verbatim and has a resolved YAML;
 *    one that does not leaves nothing allocated;
 *  - the resolved YAML loads again without a problem, to the same parameters
 *    and scheduled events bit for bit and to the same resolved YAML;
 *  - the key reference of the first override's key (`relsim help keys KEY`)
 *    either prints or says why not.
 * A failed property prints what differs and aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "relsim/params.h"
#include "relsim/scenario.h"

#define FUZZ_MAX_OVERRIDES 16
#define FUZZ_SET "#set "

/* The overrides of the "#set KEY=VALUE" lines of data, as separate strings
 * (malloc'd; free with free_overrides). Returns their count. */
static int read_overrides(const uint8_t *data, size_t size, char **ov) {
  int n = 0;
  size_t tag = strlen(FUZZ_SET);
  for (size_t i = 0; i < size && n < FUZZ_MAX_OVERRIDES;) {
    size_t end = i;
    while (end < size && data[end] != '\n') end++;
    if (end - i >= tag && !memcmp(data + i, FUZZ_SET, tag)) {
      size_t b = i + tag, e = b;
      while (e < end && data[e] != '\r' && data[e] != '\0') e++;
      if (!(ov[n] = malloc(e - b + 1))) fuzz_fail("out of memory");
      memcpy(ov[n], data + b, e - b);
      ov[n][e - b] = '\0';
      n++;
    }
    i = end + 1;
  }
  return n;
}

static void free_overrides(char **ov, int n) {
  for (int i = 0; i < n; i++) free(ov[i]);
}

/* Name the keys whose values differ between a and b (to stderr). */
static void report_differences(const struct relsim_params *a, const struct relsim_params *b) {
  const char *pa = (const char *)a, *pb = (const char *)b;
  for (size_t k = 0; k < relsim_n_global_keys; k++) {
    const struct relsim_key *key = &relsim_global_keys[k];
    if (memcmp(pa + key->offset, pb + key->offset, key->size))
      fprintf(stderr, "fuzz: %s differs after the round trip\n", key->path);
  }
  if (a->n_firms != b->n_firms) fprintf(stderr, "fuzz: %d firms, then %d\n", a->n_firms, b->n_firms);
  for (int f = 0; f < a->n_firms && f < b->n_firms && f < RELSIM_MAX_FIRMS; f++)
    for (size_t k = 0; k < relsim_n_firm_keys; k++) {
      const struct relsim_key *key = &relsim_firm_keys[k];
      if (memcmp((const char *)&a->firms[f] + key->offset, (const char *)&b->firms[f] + key->offset, key->size))
        fprintf(stderr, "fuzz: firms.%d.%s differs after the round trip\n", f, key->path);
    }
  for (size_t i = 0; i < sizeof *a; i++)
    if (pa[i] != pb[i]) {
      fprintf(stderr, "fuzz: first differing byte of struct relsim_params: offset %zu\n", i);
      break;
    }
}

/* The first line where texts a and b differ (to stderr). */
static void report_text_difference(const char *a, const char *b) {
  int line = 1;
  const char *sa = a, *sb = b;
  while (*a && *a == *b) {
    if (*a == '\n') {
      line++;
      sa = a + 1;
      sb = b + 1;
    }
    a++;
    b++;
  }
  fprintf(stderr, "fuzz: the resolved YAML differs at line %d:\n  first:  %.*s\n  second: %.*s\n", line,
          (int)strcspn(sa, "\n"), sa, (int)strcspn(sb, "\n"), sb);
}

/* Load the resolved YAML of a back and check it gives a again. */
static void round_trip(const struct relsim_scenario *a) {
  const char *path = fuzz_file(1, a->resolved, strlen(a->resolved));
  struct relsim_scenario b;
  int n = scenario_load(&b, path, NULL, 0, fuzz_null());
  if (n != 0) {
    fprintf(stderr, "fuzz: the resolved YAML does not load again:\n");
    scenario_clean(&b);
    scenario_load(&b, path, NULL, 0, stderr);
    fprintf(stderr, "fuzz: resolved YAML:\n%s\n", a->resolved);
    fuzz_fail("round trip: %d problem(s) in the resolved YAML", n);
  }
  if (memcmp(&a->params, &b.params, sizeof a->params)) {
    report_differences(&a->params, &b.params);
    fuzz_fail("round trip: the parameters differ");
  }
  if (!b.resolved || strcmp(a->resolved, b.resolved)) {
    report_text_difference(a->resolved, b.resolved ? b.resolved : "");
    fuzz_fail("round trip: the resolved YAML differs");
  }
  const struct relsim_schedule *x = &a->events, *y = &b.events;
  if (x->n_events != y->n_events || x->n_changes != y->n_changes ||
      (x->n_events && memcmp(x->events, y->events, (size_t)x->n_events * sizeof *x->events)) ||
      (x->n_changes && memcmp(x->changes, y->changes, (size_t)x->n_changes * sizeof *x->changes)))
    fuzz_fail("round trip: the scheduled events differ (%d events, %d changes; then %d, %d)", x->n_events,
              x->n_changes, y->n_events, y->n_changes);
  scenario_clean(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *ov[FUZZ_MAX_OVERRIDES];
  int n_ov = read_overrides(data, size, ov);
  const char *path = fuzz_file(0, data, size);
  struct relsim_scenario sc;
  int n = scenario_load(&sc, path, (const char *const *)ov, n_ov, fuzz_null());
  if (n < 0) fuzz_fail("the input file %s cannot be read", path);
  if (n > 0) {
    if (sc.source || sc.resolved || sc.events.events || sc.events.changes)
      fuzz_fail("a scenario with %d problem(s) keeps memory", n);
  } else {
    if (!sc.source || memcmp(sc.source, data, size) || sc.source[size] != '\0')
      fuzz_fail("the scenario's text is not kept verbatim");
    if (!sc.resolved) fuzz_fail("a scenario that loads has no resolved YAML");
    round_trip(&sc);
  }
  scenario_clean(&sc);

  if (n_ov > 0) { /* the first override's key only: its suggestions cost more than the load */
    char why[256] = "";
    ov[0][strcspn(ov[0], "=")] = '\0';
    if (scenario_print_key_reference(fuzz_null(), ov[0], why, sizeof why) != 0 && !why[0])
      fuzz_fail("the key reference of '%s' fails without saying why", ov[0]);
  }
  free_overrides(ov, n_ov);
  return 0;
}
