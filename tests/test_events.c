/*
 * Scheduled events (docs/scenarios.md, "Events over time"): the schedule the
 * loader makes of tests/scenarios/good_events.yaml and its round trip
 * through the resolved YAML; the exact message of every kind of mistake
 * (tests/scenarios/bad_events.yaml, --set); and what the events do in a
 * run: a firm out of the market before its entry has no customers, revenue,
 * budget or awareness; a price change shows in revenue per purchase from
 * its period; an exit stops the firm's purchases; a strategy or quality
 * change reaches the firm state; the same numbers on 1 and 2 threads; and a
 * run stopped and resumed from a checkpoint across events writes the same
 * file, bit for bit, as a run that never stopped (tests/golden_compare.py).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "relsim/run.h"
#include "relsim/scenario.h"
#include "relsim/sim.h"

#define FIXTURES RELSIM_SOURCE_DIR "/tests/scenarios/"

/* The whole of f from the start (malloc'd). */
static char *slurp(FILE *f) {
  size_t cap = 1024, n = 0;
  char *s = malloc(cap);
  rewind(f);
  for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, f)) > 0;) {
    n += got;
    if (n + 1 == cap) {
      char *t = realloc(s, cap *= 2);
      if (!t) free(s);
      s = t;
    }
  }
  if (!s) abort();
  s[n] = '\0';
  return s;
}

/* Load path (a fixture name, or text when text is given) with overrides;
 * the messages, with the fixture's directory shown as "@/", are returned
 * (malloc'd) and their count left in *count. */
static char *load(struct relsim_scenario *sc, const char *name, const char *text, const char *const *ov, int n_ov,
                  int *count) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", FIXTURES, name);
  FILE *err = tmpfile();
  if (!err) abort();
  struct scenario_load_options opt = {.overrides = ov, .n_overrides = n_ov, .text = text,
                                      .text_len = text ? strlen(text) : 0};
  *count = scenario_load_with(sc, path, &opt, err);
  char *msg = slurp(err);
  fclose(err);
  for (char *p; (p = strstr(msg, FIXTURES));) {
    memcpy(p, "@/", 2);
    memmove(p + 2, p + strlen(FIXTURES), strlen(p + strlen(FIXTURES)) + 1);
  }
  return msg;
}

static void check_text(const char *actual, const char *expected, const char *what) {
  check_count++;
  if (strcmp(actual, expected)) {
    fprintf(stderr, "%s: messages differ.\n--- expected:\n%s--- actual:\n%s---\n", what, expected, actual);
    check_failures++;
  }
}

/* Load and expect no problem. */
static void load_ok(struct relsim_scenario *sc, const char *name, const char *text, const char *const *ov, int n_ov) {
  int count;
  char *msg = load(sc, name, text, ov, n_ov, &count);
  CHECK_INT_EQ(count, 0);
  check_text(msg, "", name);
  free(msg);
}

/* Load and expect exactly these messages (one a line). */
static void load_errors(const char *name, const char *text, const char *const *ov, int n_ov, const char *expected) {
  struct relsim_scenario sc;
  int count, lines = 0;
  char *msg = load(&sc, name, text, ov, n_ov, &count);
  for (const char *c = expected; *c; c++) lines += *c == '\n';
  CHECK_INT_EQ(count, lines);
  check_text(msg, expected, name);
  CHECK_INT_EQ(sc.events.n_events, 0); /* released with the rest */
  free(msg);
  scenario_clean(&sc);
}

/* The explicit (not implied) change j of event e, or NULL. */
static const struct relsim_event_change *explicit_change(const struct relsim_schedule *s, int e, int j) {
  const struct relsim_event *ev = &s->events[e];
  for (int c = ev->first; c < ev->first + ev->n; c++)
    if (!s->changes[c].implied && j-- == 0) return &s->changes[c];
  return NULL;
}

/* ---- the schedule of good_events.yaml ----------------------------------- */

static void test_schedule(void) {
  struct relsim_scenario sc;
  load_ok(&sc, "good_events.yaml", NULL, NULL, 0);
  const struct relsim_schedule *s = &sc.events;
  CHECK_INT_EQ(s->n_events, 5);
  if (s->n_events != 5) return scenario_clean(&sc);
  /* by period, file order within period 22 */
  int periods[5] = {10, 15, 22, 22, 30}, firms[5] = {2, -1, -1, 1, 1};
  for (int e = 0; e < 5; e++) {
    CHECK_INT_EQ(s->events[e].period, periods[e]);
    CHECK_INT_EQ(s->events[e].firm, firms[e]);
  }
  CHECK(s->events[0].enter && !s->events[0].leave && s->events[0].n == 0);
  CHECK(s->events[4].leave && !s->events[4].enter);
  CHECK_INT_EQ(s->events[3].strategy, RELSIM_STRATEGY_TRANSACTIONAL);
  /* firms.Incumbent.budget: firm 0 by its name */
  const struct relsim_event_change *c = explicit_change(s, 1, 0);
  CHECK(c && c->firm == 0 && c->offset == offsetof(struct relsim_firm_params, budget));
  /* a firm key and a global key */
  c = explicit_change(s, 2, 1);
  CHECK(c && c->firm == -1 && c->offset == offsetof(struct relsim_params, search));
  /* the strategy's preset first (implied), then the event's own keys */
  const struct relsim_event *ev = &s->events[3];
  CHECK(ev->n > 2 && s->changes[ev->first].implied && !s->changes[ev->first + ev->n - 1].implied);
  c = explicit_change(s, 3, 0);
  CHECK(c && c->firm == 1 && c->flags == RELSIM_EVENT_QUALITY && c->size == 2 * sizeof(double));
  c = explicit_change(s, 3, 1);
  CHECK(c && c->flags == RELSIM_EVENT_OVERPROMISE);
  CHECK(events_absent_at_start(s, 2));
  CHECK(!events_absent_at_start(s, 1) && !events_absent_at_start(s, 0));
  /* what the events leave: the parameters after every event */
  struct relsim_params *p = malloc(sizeof *p);
  if (!p) abort();
  *p = sc.params;
  CHECK_INT_EQ(events_replay(p, s, 22), 2);
  CHECK(p->firms[0].budget == 0.3 && p->firms[0].price == 1.0);
  CHECK_INT_EQ(events_replay(p, s, 1000) - 2, 3); /* the rest, from where it stopped: replayed on top */
  *p = sc.params;
  events_replay(p, s, 1000);
  CHECK(p->firms[0].price == 1.5 && p->search == 0.2);
  CHECK_INT_EQ(p->firms[1].strategy, RELSIM_STRATEGY_TRANSACTIONAL);
  CHECK_INT_EQ(p->firms[1].level[RELSIM_TIER_A], RELSIM_LEVEL_BASIC);
  CHECK_INT_EQ(p->firms[1].recovery, 0);
  CHECK(p->firms[1].quality[0] == 0.8 && p->firms[1].quality[1] == 0.9 && p->firms[1].overpromise == 0.0);
  CHECK(p->firms[1].promise[1] == 0.9); /* derived again: quality + overpromise */
  free(p);
  /* the resolved YAML lists the events and loads back to the same schedule */
  CHECK(strstr(sc.resolved, "events:\n  - period: 10\n    firm: 2\n    enter: true\n") != NULL);
  CHECK(strstr(sc.resolved, "    strategy: transactional\n    set:\n      firms.1.quality: [0.8, 0.9]\n") != NULL);
  struct relsim_scenario back;
  load_ok(&back, "resolved", sc.resolved, NULL, 0);
  CHECK(memcmp(&back.params, &sc.params, sizeof back.params) == 0);
  CHECK_INT_EQ(back.events.n_events, s->n_events);
  CHECK_INT_EQ(back.events.n_changes, s->n_changes);
  if (back.events.n_events == s->n_events && back.events.n_changes == s->n_changes) {
    CHECK(memcmp(back.events.events, s->events, (size_t)s->n_events * sizeof *s->events) == 0);
    CHECK(memcmp(back.events.changes, s->changes, (size_t)s->n_changes * sizeof *s->changes) == 0);
  }
  check_text(back.resolved ? back.resolved : "", sc.resolved, "resolved round trip");
  scenario_clean(&back);
  scenario_clean(&sc);
}

/* ---- mistakes ------------------------------------------------------------ */

#define MID_RUN "market.exit_rate, market.search, market.discount_rate, choice.w_expectation, choice.w_trust, " \
                "choice.w_commitment, choice.commitment_factor_high, choice.inertia_low, choice.inertia_high, " \
                "choice.promotion_inertia_factor, choice.commitment_price, choice.scale"

static void test_errors(void) {
  load_errors(
      "bad_events.yaml", NULL, NULL, 0,
      "@/bad_events.yaml:10:13: events.0.period: 100 is after the end of the run (run.periods is 100, at line 4, "
      "column 12); allowed: integer from 0 to 99\n"
      "@/bad_events.yaml:14:11: events.1.firm: there is no firm 'Discountr'; did you mean 'Discounter'?\n"
      "@/bad_events.yaml:17:11: events.2.firm: there is no firm 5; allowed: an index from 0 to 1 or a firm name\n"
      "@/bad_events.yaml:20:11: events.3.set.market.customers: cannot change during a run; allowed: any firm key but "
      "name and strategy, or one of " MID_RUN "\n"
      "@/bad_events.yaml:20:32: events.3.set.network.contacts: cannot change during a run; allowed: any firm key but "
      "name and strategy, or one of " MID_RUN "\n"
      "@/bad_events.yaml:20:53: events.3.set.price: a firm key, but the event names no firm; allowed: firm: <index or "
      "name> in the event, or firms.<index or name>.price\n"
      "@/bad_events.yaml:23:11: events.4.set.pirce: unknown key; did you mean 'price'?\n"
      "@/bad_events.yaml:23:38: events.4.set.firms.1.price: -1 is out of range; allowed: number > 0\n"
      "@/bad_events.yaml:23:72: events.4.set.firms.1.budget: this event sets it already (at line 23, column 42); "
      "allowed: each key once per event\n"
      "@/bad_events.yaml:23:93: events.4.set.firms.0.strategy: a strategy is set by the event's own key; allowed: "
      "strategy: <preset> beside firm: (it loads the preset, then set: overrides it)\n"
      "@/bad_events.yaml:29:12: events.6.enter: 'Discounter' already enters at period 50 (events.5 at line 24, column "
      "5); allowed: one entry per firm\n"
      "@/bad_events.yaml:32:12: events.7.leave: 'Discounter' leaves at period 5, before it enters at period 50 "
      "(events.5 at line 24, column 5); allowed: an exit after the firm's entry\n"
      "@/bad_events.yaml:33:5: events.8.perod: unknown key; did you mean 'period'?\n"
      "@/bad_events.yaml:33:5: events.8: no period given; allowed: period: an integer from 0 to 99 (run.periods - 1)\n"
      "@/bad_events.yaml:35:15: events.8.strategy: unknown value 'relationshp' (did you mean 'relationship'?); "
      "allowed: one of transactional, relationship, discounter, lock_in\n"
      "@/bad_events.yaml:36:5: events.9: nothing happens; allowed: enter, leave, strategy or set beside period\n"
      "@/bad_events.yaml:39:12: events.10.enter: false does nothing; allowed: true (or leave enter out)\n"
      "@/bad_events.yaml:43:12: events.11.leave: 'Incumbent' already leaves at period 90 (events.10 at line 37, "
      "column 5); allowed: one exit per firm\n"
      "@/bad_events.yaml:44:13: events.12.period: '7' is quoted text, not a number; allowed: integer from 0 to 99\n"
      "@/bad_events.yaml:45:11: events.12.set.firms.0.promise: given together with overpromise (at line 45, column "
      "33); allowed: either promise (absolute) or overpromise (relative to quality), not both\n"
      "@/bad_events.yaml:45:74: events.12.set.market.search: 2 is out of range; allowed: number from 0 to 1\n"
      "@/bad_events.yaml:46:5: events.13: after this event (period 3), firms.0.acquisition_budget: an absolute budget "
      "is given but budget_mode is per_customer; allowed: budget_mode: absolute with acquisition_budget and "
      "retention_budget, or budget and acquisition_share\n"
      "@/bad_events.yaml:48:5: events.14: got a single value; allowed: a mapping with period: and what happens, e.g. "
      "{period: 52, firm: 2, enter: true}\n");

  /* A run shortened by --set: the event after its end says where run.periods came from. */
  const char *shorter[] = {"run.periods=12"};
  load_errors("good_events.yaml", NULL, shorter, 1,
              "@/good_events.yaml:20:13: events.0.period: 30 is after the end of the run (run.periods is 12, at "
              "--set:1); allowed: integer from 0 to 11\n"
              "@/good_events.yaml:26:13: events.2.period: 15 is after the end of the run (run.periods is 12, at "
              "--set:1); allowed: integer from 0 to 11\n"
              "@/good_events.yaml:28:13: events.3.period: 22 is after the end of the run (run.periods is 12, at "
              "--set:1); allowed: integer from 0 to 11\n"
              "@/good_events.yaml:30:13: events.4.period: 22 is after the end of the run (run.periods is 12, at "
              "--set:1); allowed: integer from 0 to 11\n");
  /* --set cannot reach the events */
  const char *ov[] = {"events.0.period=3"};
  load_errors("good_events.yaml", NULL, ov, 1,
              "--set:1: events.0.period: the scheduled events cannot be overridden (--set, an experiment's set:); "
              "allowed: a scenario key (edit the events: list in the scenario file)\n");
  /* the shape of the list, a misspelt top-level key, a duplicate event key */
  load_errors("inline.yaml", "firms: [{name: A}]\nevents: {period: 3}\n", NULL, 0,
              "@/inline.yaml:2:9: events: got a mapping; allowed: a list of events, each a mapping such as {period: "
              "52, firm: 2, enter: true}\n");
  load_errors("inline.yaml", "firms: [{name: A}]\nevent:\n  - {period: 3, firm: 0, leave: true}\n", NULL, 0,
              "@/inline.yaml:2:1: event: unknown key; did you mean 'events'?\n");
  load_errors("inline.yaml", "firms: [{name: A}]\nevents:\n  - {period: 3, period: 4, firm: 0, leave: true}\n", NULL,
              0, "@/inline.yaml:3:17: events.0.period: duplicate key (first given at line 3, column 6); allowed: each "
                 "key once\n");
  load_errors("inline.yaml", "firms: [{name: A}]\nevents:\n  - {period: 3, set: {price: 2}}\n", NULL, 0,
              "@/inline.yaml:3:23: events.0.set.price: a firm key, but the event names no firm; allowed: firm: <index "
              "or name> in the event, or firms.<index or name>.price\n");
  /* an empty list is no events */
  struct relsim_scenario sc;
  load_ok(&sc, "inline.yaml", "firms: [{name: A}]\nevents: []\n", NULL, 0);
  CHECK_INT_EQ(sc.events.n_events, 0);
  CHECK(strstr(sc.resolved, "events") == NULL);
  scenario_clean(&sc);
}

/* ---- what events do in a run --------------------------------------------- */

/* The metrics of every period of sc (malloc'd [periods]), on threads threads. */
static struct relsim_metrics *run_metrics(const struct relsim_scenario *sc, int threads) {
  const int n = sc->params.periods;
  struct relsim_metrics *m = calloc((size_t)n, sizeof *m);
  struct relsim_sim *s = NULL;
  char err[256];
  if (!m || sim_create_scheduled(&s, &sc->params, &sc->events, threads, err, sizeof err) != RELSIM_OK) {
    fprintf(stderr, "sim_create_scheduled: %s\n", err);
    abort();
  }
  for (int t = 0; t < n; t++) {
    if (sim_step(s, err, sizeof err) != RELSIM_OK) {
      fprintf(stderr, "sim_step: %s\n", err);
      abort();
    }
    m[t] = s->m;
  }
  sim_free(s);
  return m;
}

#define FM(m, name, f) ((m).firm[RELSIM_FM_##name][f])

static void test_entry_and_exit(void) {
  struct relsim_scenario sc;
  load_ok(&sc, "good_events.yaml", NULL, NULL, 0);
  struct relsim_metrics *m = run_metrics(&sc, 2);
  double after = 0.0;
  for (int t = 0; t < 10; t++) { /* the discounter (firm 2) enters at period 10 */
    CHECK(FM(m[t], purchases, 2) == 0.0 && FM(m[t], revenue, 2) == 0.0 && FM(m[t], active_customers, 2) == 0.0);
    CHECK(FM(m[t], budget, 2) == 0.0 && FM(m[t], advertising_cost, 2) == 0.0);
    CHECK(FM(m[t], aware_customers, 2) == 0.0 && FM(m[t], profit, 2) == 0.0);
  }
  CHECK(FM(m[10], budget, 2) > 0.0);
  CHECK(FM(m[10], aware_customers, 2) > 300.0); /* initial_awareness 0.2 of 3000, at its entry */
  for (int t = 10; t < 40; t++) after += FM(m[t], revenue, 2);
  CHECK(after > 0.0);
  CHECK(FM(m[29], purchases, 1) > 0.0); /* Relationship (firm 1) leaves at period 30 */
  for (int t = 30; t < 40; t++) {
    CHECK(FM(m[t], purchases, 1) == 0.0 && FM(m[t], revenue, 1) == 0.0 && FM(m[t], new_customers, 1) == 0.0);
    CHECK(FM(m[t], budget, 1) == 0.0 && FM(m[t], relationship_cost, 1) == 0.0 && FM(m[t], contacts, 1) == 0.0);
  }
  /* its strategy switch at 22: served at basic from then on; its given quality (learning is off now) */
  CHECK(m[21].tier[RELSIM_TM_level][1][RELSIM_TIER_A] > RELSIM_LEVEL_BASIC);
  CHECK(m[22].tier[RELSIM_TM_level][1][RELSIM_TIER_A] == RELSIM_LEVEL_BASIC);
  CHECK_NEAR(FM(m[22], quality_mean, 1), 0.85, 1e-12);
  /* the same numbers on one thread */
  struct relsim_metrics *one = run_metrics(&sc, 1);
  CHECK(memcmp(one, m, (size_t)sc.params.periods * sizeof *m) == 0);
  free(one);
  free(m);
  scenario_clean(&sc);
}

/* One firm whose price triples at period 12: every purchase of that period
 * is the same as without the event, at three times the money. */
static void test_price_change(void) {
  static const char base[] = "run: {periods: 16}\nmarket: {customers: 2000}\nnetwork: {contacts: 20}\n"
                             "firms: [{name: Only, initial_awareness: 0.5}]\n";
  static const char event[] = "events:\n  - {period: 12, firm: Only, set: {price: 3}}\n";
  char text[512];
  snprintf(text, sizeof text, "%s%s", base, event);
  struct relsim_scenario with, without;
  load_ok(&with, "inline.yaml", text, NULL, 0);
  load_ok(&without, "inline.yaml", base, NULL, 0);
  struct relsim_metrics *a = run_metrics(&with, 2), *b = run_metrics(&without, 2);
  CHECK(memcmp(a, b, 12 * sizeof *a) == 0); /* nothing differs before the event */
  CHECK(FM(a[12], purchases, 0) > 0.0 && FM(a[12], purchases, 0) == FM(b[12], purchases, 0));
  double per_a = FM(a[12], revenue, 0) / FM(a[12], purchases, 0);
  double per_b = FM(b[12], revenue, 0) / FM(b[12], purchases, 0);
  CHECK_NEAR(per_a / per_b, 3.0, 1e-9);
  CHECK_NEAR(FM(a[11], revenue, 0) / FM(a[11], purchases, 0), FM(b[11], revenue, 0) / FM(b[11], purchases, 0), 0.0);
  free(a);
  free(b);
  scenario_clean(&with);
  scenario_clean(&without);
}

/* ---- resume across events ------------------------------------------------ */

static const struct relsim_provenance prov = {"relsim", "test", "events", "cc", "good_events.yaml", "test_events", 0,
                                              1};

struct stopper {
  volatile sig_atomic_t stop;
  int at;
};

static void stop_at(void *ctx, int done, int total, double elapsed) {
  struct stopper *st = ctx;
  (void)total, (void)elapsed;
  if (done == st->at) st->stop = 1;
}

static enum relsim_status run_file(const struct relsim_scenario *sc, const char *out, enum relsim_output_mode mode,
                                   struct stopper *st, struct relsim_run_result *res) {
  char err[512] = "";
  struct relsim_run_options o = {.output = out, .mode = mode, .threads = 2, .prov = prov,
                                 .max_memory = RELSIM_MEMORY_UNCHECKED};
  if (st) {
    o.checkpoint_every = 10;
    o.stop = &st->stop;
    o.hooks = (struct relsim_run_hooks){.period_done = stop_at, .ctx = st};
  }
  enum relsim_status rc = run_scenario(sc, &o, res, err, sizeof err);
  if (rc != RELSIM_OK) fprintf(stderr, "run_scenario %s: %s\n", out, err);
  return rc;
}

/* Stopped after period 25 (the checkpoint: after period 20, between the
 * events of 10 and 15 and those of 22 and 30), resumed, it writes the same
 * file as a run that never stopped. */
static void test_resume(void) {
  struct relsim_scenario sc;
  struct relsim_run_result res;
  struct stopper st = {0, 25};
  load_ok(&sc, "good_events.yaml", NULL, NULL, 0);
  const char *straight = "test_events_straight.h5", *resumed = "test_events_resumed.h5";
  remove(resumed);
  CHECK_INT_EQ(run_file(&sc, straight, RELSIM_OUTPUT_FORCE, NULL, &res), RELSIM_OK);
  CHECK_INT_EQ(run_file(&sc, resumed, RELSIM_OUTPUT_NEW, &st, &res), RELSIM_OK);
  CHECK(res.stopped && res.periods_done == 25 && res.checkpoint_period == 20);
  st.stop = 0;
  st.at = -1;
  CHECK_INT_EQ(run_file(&sc, resumed, RELSIM_OUTPUT_RESUME, &st, &res), RELSIM_OK);
  CHECK_INT_EQ(res.resumed_from, 20);
  CHECK_INT_EQ(res.periods_done, 40);
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s' '%s/tests/golden_compare.py' %s %s /firm /firm_tier /market /customers /firms",
           RELSIM_PYTHON, RELSIM_SOURCE_DIR, straight, resumed);
  int rc = system(cmd);
  if (rc != 0) fprintf(stderr, "%s: exit status %d\n", cmd, rc);
  CHECK_INT_EQ(rc, 0);
  remove(straight);
  remove(resumed);
  scenario_clean(&sc);
}

int main(void) {
  output_at_start();
  test_schedule();
  test_errors();
  test_entry_and_exit();
  test_price_change();
  test_resume();
  return check_report("test_events");
}
