/*
 * Scenario loading: known answers for good files and overrides, a bit-exact
 * round trip through the resolved YAML, the exact text (with line:column) of
 * every class of error, and the consistency of the key tables with the
 * parameter structs. Fixtures are in tests/scenarios/.
 */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "relsim/scenario.h"

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

/* s with every occurrence of what replaced by "@" (in place). */
static char *shorten(char *s, const char *what) {
  size_t wl = strlen(what);
  for (char *p; (p = strstr(s, what));) {
    *p = '@';
    memmove(p + 1, p + wl, strlen(p + wl) + 1);
  }
  return s;
}

/* Load fixture name (path NULL: tests/scenarios/name) with overrides; the
 * error text, with the fixture path shown as "@", is returned (malloc'd). */
static char *load(struct relsim_scenario *sc, const char *name, const char *const *ov, int n_ov, int *count) {
  size_t len = strlen(FIXTURES) + strlen(name) + 1;
  char *path = malloc(len);
  if (!path) abort();
  snprintf(path, len, "%s%s", FIXTURES, name);
  FILE *err = tmpfile();
  if (!err) abort();
  *count = scenario_load(sc, path, ov, n_ov, err);
  char *text = shorten(slurp(err), path);
  fclose(err);
  free(path);
  return text;
}

static void check_text(const char *actual, const char *expected, const char *what) {
  check_count++;
  if (strcmp(actual, expected)) {
    fprintf(stderr, "%s: messages differ.\n--- expected:\n%s--- actual:\n%s---\n", what, expected, actual);
    check_failures++;
  }
}

/* Loading fixture name with overrides gives exactly the messages expected. */
static void expect_errors(const char *name, const char *const *ov, int n_ov, const char *expected) {
  struct relsim_scenario sc;
  int count, lines = 0;
  char *text = load(&sc, name, ov, n_ov, &count);
  for (const char *c = expected; *c; c++) lines += *c == '\n';
  CHECK_INT_EQ(count, lines);
  check_text(text, expected, name);
  free(text);
  scenario_clean(&sc);
}

static void expect_ok(struct relsim_scenario *sc, const char *name, const char *const *ov, int n_ov) {
  int count;
  char *text = load(sc, name, ov, n_ov, &count);
  CHECK_INT_EQ(count, 0);
  check_text(text, "", name);
  free(text);
}

/* ---- good scenarios --------------------------------------------------- */

static void test_good(void) {
  struct relsim_scenario sc;
  expect_ok(&sc, "good.yaml", NULL, 0);
  const struct relsim_params *p = &sc.params;
  CHECK(!strcmp(p->name, "Test market"));
  CHECK_INT_EQ(p->seed, 42);
  CHECK_INT_EQ(p->periods, 52);
  CHECK_INT_EQ(p->customers, 5000);
  CHECK_INT_EQ(p->n_attrs, 3);
  CHECK(!strcmp(p->attr_names[0], "product") && !strcmp(p->attr_names[2], "image"));
  CHECK_NEAR(p->exit_rate, 0.004, 0);
  CHECK_NEAR(p->recency, 26, 0); /* a default */
  CHECK_NEAR(p->high_involvement, 0.5, 0);
  CHECK_INT_EQ(p->network_kind, RELSIM_NET_SMALL_WORLD);
  CHECK_INT_EQ(p->contacts, 20);
  CHECK_NEAR(p->level_cost[1], 0.1, 0);
  CHECK_NEAR(p->level_cost[4], 2, 0);
  CHECK_NEAR(p->complaint_prob[0], 0.04, 0); /* a default */
  CHECK_INT_EQ(p->mech.relay, 0);
  CHECK_INT_EQ(p->mech.blocking, 1);
  CHECK_INT_EQ(p->n_firms, 3);
  CHECK(!strcmp(p->firms[0].name, "Transactional"));
  CHECK(!strcmp(p->firms[2].name, "Firm 3")); /* default name, 1-based */
  CHECK(sc.source && strstr(sc.source, "# A small, valid scenario") == sc.source);
  CHECK(sc.resolved != NULL);
  CHECK_STR_CONTAINS(sc.path, "tests/scenarios/good.yaml");
  scenario_clean(&sc);
}

static void test_presets(void) {
  struct relsim_scenario sc;
  expect_ok(&sc, "good.yaml", NULL, 0);
  const struct relsim_firm_params *t = &sc.params.firms[0], *r = &sc.params.firms[1], *d = &sc.params.firms[2];
  /* transactional preset */
  CHECK_INT_EQ(t->strategy, RELSIM_STRATEGY_TRANSACTIONAL);
  CHECK_NEAR(t->acquisition_share, 0.8, 0);
  CHECK_NEAR(t->new_customer_discount, 0.15, 0);
  CHECK_INT_EQ(t->promise_set, 0);
  CHECK_NEAR(t->promise[2], 0.75 + 0.1, 0); /* derived: quality + overpromise */
  /* relationship preset, acquisition_share and level overridden by later keys */
  CHECK_INT_EQ(r->strategy, RELSIM_STRATEGY_RELATIONSHIP);
  CHECK_NEAR(r->acquisition_share, 0.4, 0);
  CHECK_NEAR(r->loyalty_discount, 0.05, 0);
  CHECK_INT_EQ(r->recovery, 1);
  CHECK_INT_EQ(r->learning, 1);
  CHECK_INT_EQ(r->level[RELSIM_TIER_A], RELSIM_LEVEL_PARTNERSHIP);
  CHECK_INT_EQ(r->level[RELSIM_TIER_B], RELSIM_LEVEL_ACCOUNTABLE);
  CHECK_INT_EQ(r->level[RELSIM_TIER_C], RELSIM_LEVEL_REACTIVE);
  /* discounter: price comes before strategy in the file and still wins */
  CHECK_INT_EQ(d->strategy, RELSIM_STRATEGY_DISCOUNTER);
  CHECK_NEAR(d->price, 0.9, 0);
  CHECK_NEAR(d->quality[0], 0.6, 0);
  CHECK_INT_EQ(d->discount_target, RELSIM_DISCOUNT_RIVALS);
  CHECK_INT_EQ(d->promise_set, 1);
  CHECK_NEAR(d->promise[1], 0.65, 0);
  scenario_clean(&sc);

  /* The strategy is applied first even when set by --set. */
  const char *ov[] = {"firms.0.strategy=relationship"};
  expect_ok(&sc, "good.yaml", ov, 1);
  CHECK_INT_EQ(sc.params.firms[0].strategy, RELSIM_STRATEGY_RELATIONSHIP);
  CHECK_NEAR(sc.params.firms[0].quality[1], 0.75, 0); /* the file's key on top of the preset */
  CHECK_INT_EQ(sc.params.firms[0].level[RELSIM_TIER_A], RELSIM_LEVEL_PARTNERSHIP);
  scenario_clean(&sc);
}

static void test_per_attribute(void) {
  struct relsim_scenario sc;
  expect_ok(&sc, "good.yaml", NULL, 0);
  for (int a = 0; a < 3; a++) CHECK_NEAR(sc.params.firms[0].quality[a], 0.75, 0); /* a scalar for all */
  CHECK_NEAR(sc.params.firms[1].quality[0], 0.7, 0);                              /* a list */
  CHECK_NEAR(sc.params.firms[1].quality[2], 0.9, 0);
  CHECK_NEAR(sc.params.desire_mean[0], 0.6, 0);
  CHECK_NEAR(sc.params.desire_mean[2], 0.8, 0);
  CHECK_NEAR(sc.params.firms[2].promise[2], 0.65, 0);
  scenario_clean(&sc);

  const char *ov[] = {"customers.desire_mean=0.55", "market.attributes=[a, b]", "firms.1.quality=[0.5, 0.6]"};
  expect_ok(&sc, "good.yaml", ov, 3);
  CHECK_INT_EQ(sc.params.n_attrs, 2);
  CHECK(!strcmp(sc.params.attr_names[1], "b") && sc.params.attr_names[2][0] == '\0');
  CHECK_NEAR(sc.params.desire_mean[0], 0.55, 0);
  CHECK_NEAR(sc.params.desire_mean[1], 0.55, 0);
  CHECK_NEAR(sc.params.firms[1].quality[1], 0.6, 0);
  scenario_clean(&sc);
}

static void test_overrides(void) {
  struct relsim_scenario sc;
  const char *ov[] = {
      "market.customers=20000",           /* replaces a key of the file */
      "firms.0.price=1.1",                /* a firm by index */
      "firms.关系营销公司.unit_cost=0.5", /* a firm by name */
      "firms.Firm 3.price=0.95",          /* a firm by its default name */
      "wom.relay=0.2",                    /* a new section */
      "market.search=0.3",                /* a new key in a section of the file */
      "firms.3.strategy=lock_in",         /* index == count: a new firm */
      "name=\"Override: quoted\"",
      "market.customers=30000", /* the last override wins */
  };
  expect_ok(&sc, "good.yaml", ov, 9);
  const struct relsim_params *p = &sc.params;
  CHECK_INT_EQ(p->customers, 30000);
  CHECK_NEAR(p->firms[0].price, 1.1, 0);
  CHECK_NEAR(p->firms[1].unit_cost, 0.5, 0);
  CHECK_NEAR(p->firms[2].price, 0.95, 0);
  CHECK_NEAR(p->relay, 0.2, 0);
  CHECK_NEAR(p->search, 0.3, 0);
  CHECK_NEAR(p->exit_rate, 0.004, 0); /* untouched */
  CHECK_INT_EQ(p->n_firms, 4);
  CHECK(!strcmp(p->firms[3].name, "Firm 4"));
  CHECK_INT_EQ(p->firms[3].lock_in, 1);
  CHECK(!strcmp(p->name, "Override: quoted"));
  scenario_clean(&sc);
}

static void test_override_errors(void) {
  const char *ov[] = {"market.customers=lots", "market.customers",     "firms.Nobody.price=1",
                      "firms.7.price=1",       "wom.relya=3",          "market.exit_rate=[0.1,",
                      "firms.price=3",         "market.customers.x=1", "firms.0.quality=[0.1, 0.2]",
                      "firms.0.pirce=1"};
  expect_errors("good.yaml", ov, 10,
                "--set:1: market.customers: 'lots' is not an integer; allowed: integer from 1 to 2147483647\n"
                "--set:2: 'market.customers' is not KEY=VALUE; allowed: KEY=VALUE, e.g. market.customers=20000\n"
                "--set:3: firms.Nobody.price: there is no firm named 'Nobody'; allowed: a firm index or one of the "
                "names 'Transactional', '关系营销公司', 'Firm 3'\n"
                "--set:4: firms.7.price: there is no firm 7; allowed: an index from 0 to 2 (3 adds a firm) or a "
                "firm name\n"
                "--set:5: wom.relya: unknown key; did you mean 'wom.relay'?\n"
                "--set:6: market.exit_rate: YAML syntax error in the value: did not find expected node content "
                "(while parsing a flow node); allowed: a YAML value, e.g. 0.5, text or [0.7, 0.8]\n"
                "--set:7: firms.price: incomplete firm key; allowed: firms.<index or name>.<key>, e.g. "
                "firms.1.price\n"
                "--set:8: market.customers.x: 'market.customers' is not a mapping, cannot set a key in it\n"
                "--set:9: firms.0.quality: 2 values given; allowed: one number for all attributes or a list of 3 "
                "(product, service, image), each number from 0 to 1\n"
                "--set:10: firms.0.pirce: unknown key; did you mean 'firms.0.price'?\n");
  /* A file error and an override error are both reported, the file's first. */
  const char *ov2[] = {"run.periods=0"};
  expect_errors("bad_promise.yaml", ov2, 1,
                "@:3:14: firms.0.promise: given together with overpromise (at line 4, column 18); allowed: either "
                "promise (absolute) or overpromise (relative to quality), not both\n"
                "--set:1: run.periods: 0 is out of range; allowed: integer from 1 to 100000\n");
  /* An override can remove a contradiction ... or make one. */
  const char *ov3[] = {"firms.0.promise=0.8"};
  expect_errors("good.yaml", ov3, 1, "");
  const char *ov4[] = {"firms.Firm 3.overpromise=0.1"};
  expect_errors("good.yaml", ov4, 1,
                "@:34:14: firms.2.promise: given together with overpromise (at --set:1); allowed: either promise "
                "(absolute) or overpromise (relative to quality), not both\n");
  /* Unique names are params_check's rule: a name given twice is reported there, once, and not at all for
   * a firm whose name was already reported (it keeps its default name, here taken by firms.0). */
  const char *ov5[] = {"firms.2.name=Transactional", "firms.3.name=Transactional"};
  expect_errors("good.yaml", ov5, 2,
                "--set:1: firms.2.name: 'Transactional' is already the name of firms.0; allowed: a unique name per "
                "firm\n"
                "--set:2: firms.3.name: 'Transactional' is already the name of firms.0; allowed: a unique name per "
                "firm\n");
  const char *ov6[] = {"firms.0.name=Firm 2", "firms.1.name=[x]"};
  expect_errors("good.yaml", ov6, 2, "--set:2: firms.1.name: got a list; allowed: text of 1 to 127 bytes\n");
}

static void test_chinese_name(void) {
  struct relsim_scenario sc;
  const char *ov[] = {"firms.关系营销公司.price=1.2"};
  expect_ok(&sc, "good.yaml", ov, 1);
  CHECK(!strcmp(sc.params.firms[1].name, "关系营销公司"));
  CHECK_NEAR(sc.params.firms[1].price, 1.2, 0);
  CHECK_STR_CONTAINS(sc.resolved, "  - name: \"关系营销公司\"\n    strategy: relationship\n    price: 1.2\n");
  scenario_clean(&sc);
}

/* Load the resolved YAML of sc back: the parameters are identical, bit for bit. */
static void check_round_trip(const struct relsim_scenario *sc, const char *what) {
  const char *tmp = "test_scenario_resolved.yaml";
  FILE *f = fopen(tmp, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(sc->resolved, f);
  fclose(f);
  struct relsim_scenario back;
  FILE *err = tmpfile();
  CHECK_INT_EQ(scenario_load(&back, tmp, NULL, 0, err), 0);
  char *text = slurp(err);
  check_text(text, "", what);
  CHECK(memcmp(&back.params, &sc->params, sizeof back.params) == 0);
  check_text(back.resolved ? back.resolved : "", sc->resolved, what);
  free(text);
  fclose(err);
  scenario_clean(&back);
  remove(tmp);
}

static void test_round_trip(void) {
  struct relsim_scenario sc;
  expect_ok(&sc, "good.yaml", NULL, 0);
  check_round_trip(&sc, "good.yaml");
  scenario_clean(&sc);

  /* Numbers that need all 17 digits, extreme integers, escapes in text. */
  const char *ov[] = {"choice.scale=0.1",
                      "market.exit_rate=0.0030000000000000001",
                      "customers.trend_growth=-0.0037",
                      "customers.desire_mean=[0.1, 0.30000000000000004, 0.7]",
                      "run.seed=18446744073709551615",
                      "market.customers=2147483647",
                      "network.contacts=7",
                      "name='a \"quoted\" \\ name\ttab'",
                      "network.file=edges 1.txt",
                      "firms.0.level=[proactive, basic, partnership]",
                      "firms.0.overpromise=-0.2",
                      "firms.1.promise=[0.1, 0.2, 1]",
                      "firms.3.name=x",
                      "mechanisms.tiers=off"};
  expect_ok(&sc, "good.yaml", ov, (int)(sizeof ov / sizeof ov[0]));
  CHECK(sc.params.seed == UINT64_MAX);
  CHECK_INT_EQ(sc.params.mech.tiers, 0);
  CHECK(!strcmp(sc.params.name, "a \"quoted\" \\ name\ttab"));
  check_round_trip(&sc, "good.yaml with overrides");
  scenario_clean(&sc);

  const char *str_ov[] = {"name=!!str 12"}; /* the one tag taken: text */
  expect_ok(&sc, "good.yaml", str_ov, 1);
  CHECK(!strcmp(sc.params.name, "12"));
  scenario_clean(&sc);

  expect_ok(&sc, "good_64_firms.yaml", NULL, 0);
  CHECK_INT_EQ(sc.params.n_firms, 64);
  CHECK(!strcmp(sc.params.firms[63].name, "Firm 64"));
  check_round_trip(&sc, "good_64_firms.yaml");
  scenario_clean(&sc);
}

/* ---- one test per class of error ------------------------------------------ */

static void test_errors(void) {
  expect_errors("bad_unknown_key.yaml", NULL, 0,
                "@:4:3: wom.relya: unknown key; did you mean 'wom.relay'?\n"
                "@:5:1: netwrok: unknown key; did you mean 'network'?\n"
                "@:7:1: exit_rate: unknown key; did you mean 'market.exit_rate'?\n"
                "@:10:5: firms.0.pirce: unknown key; did you mean 'firms.0.price'?\n"
                "@:11:5: firms.0.rating: unknown key; allowed: name, strategy, price, unit_cost, quality, "
                "quality_noise, failure_rate, overpromise, promise, budget_mode, budget, acquisition_budget, retention_budget, budget_share, "
                "acquisition_share, ad_cost, ad_effect, initial_awareness, new_customer_discount, discount_target, "
                "loyalty_discount, level, contact_interval, cross_sell, joint_value, staff_salary, staff_contacts, "
                "prospect_share, policy, policy_share, policy_window, policy_step, targeting, recovery, recovery_rate, "
                "recovery_cost, recovery_quality, learning, "
                "learning_rate, rnd_cost, lock_in, lock_in_periods, lock_in_cost, lock_in_renewal\n"
                "@:13:3: market.contacts: unknown key; did you mean 'network.contacts'?\n"
                "@:14:1: colour: unknown key; allowed: name, description, firms, run, market, customers, choice, "
                "satisfaction, trust, commitment, levels, bonds, stages, wom, inject, network, mechanisms, events\n");
  expect_errors("bad_type.yaml", NULL, 0,
                "@:2:14: market.customers: 'many' is not an integer; allowed: integer from 1 to 2147483647\n"
                "@:3:14: market.exit_rate: 'lots' is not a number; allowed: number from 0 to 1\n"
                "@:4:12: market.recency: '2.5' is not an integer; allowed: integer from 1 to 100000\n"
                "@:6:13: wom.tell_all: 'maybe' is not true or false; allowed: true or false\n"
                "@:8:21: customers.high_involvement: '0.4' is quoted text, not a number; allowed: number from 0 "
                "to 1\n"
                "@:9:13: mechanisms: got a list; allowed: a mapping of mechanisms keys\n"
                "@:12:12: firms.0.price: got a list; allowed: number > 0\n"
                "@:13:12: firms.0.level: got a mapping; allowed: one level for all tiers or a list of 3 (tiers A, "
                "B, C), each one of basic, reactive, accountable, proactive, partnership\n"
                "@:14:12: firms.0.budget: no value given; allowed: number >= 0\n");
  expect_errors("bad_range.yaml", NULL, 0,
                "@:3:12: run.periods: 0 is out of range; allowed: integer from 1 to 100000\n"
                "@:4:9: run.seed: -1 is out of range; allowed: integer from 0 to 18446744073709551615\n"
                "@:6:14: market.exit_rate: 1.5 is out of range; allowed: number from 0 to 1\n"
                "@:11:14: market.customers: -5 is out of range; allowed: integer from 1 to 2147483647\n"
                "@:13:10: choice.scale: 0 is out of range; allowed: number > 0\n"
                "@:16:12: firms.0.price: -1 is out of range; allowed: number > 0\n"
                "@:17:20: firms.0.quality[1]: 1.2 is out of range; allowed: number from 0 to 1\n");
  expect_errors("bad_story_size.yaml", NULL, 0,
                "@:4:18: wom.tell_positive: 2147483648 is out of range; allowed: number from 0 to 2147483647\n"
                "@:5:18: wom.tell_negative: 1e12 is out of range; allowed: number from 0 to 2147483647\n");
  expect_errors("bad_inject.yaml", NULL, 0,
                "@:8:15: inject.per_period: 101 tellers a period in a market of 100 customers; allowed: at most the "
                "number of customers\n"
                "@:9:9: inject.firm: firm 2 does not exist; allowed: 0 to 0 (0-based index)\n"
                "@:11:16: inject.last_period: last period 5 is before the first period 10; allowed: "
                "inject.last_period >= inject.first_period\n");
  expect_errors("bad_tag_python.yaml", NULL, 0,
                "@:4:6: run: tag '!!python/object:os.system' is not supported; allowed: a value without a tag (its "
                "key decides how it is read; !!str marks a scalar as text)\n");
  expect_errors("bad_tag_local.yaml", NULL, 0,
                "@:5:20: firms.1.quality[1]: tag '!percent' is not supported; allowed: a value without a tag (its "
                "key decides how it is read; !!str marks a scalar as text)\n");
  const char *tag_ov[] = {"run={seed: !!int 3}"}, *tag_ov2[] = {"firms.0.quality=[0.5, !x 0.7]"};
  expect_errors("good.yaml", tag_ov, 1,
                "--set:1: run.seed: tag '!!int' is not supported; allowed: a value without a tag (its key decides "
                "how it is read; !!str marks a scalar as text)\n");
  expect_errors("good.yaml", tag_ov2, 1,
                "--set:1: firms.0.quality[1]: tag '!x' is not supported; allowed: a value without a tag (its key "
                "decides how it is read; !!str marks a scalar as text)\n");
  const char *alias_ov[] = {"firms=[{name: &n A}, {name: *n}]"};
  expect_errors("good.yaml", alias_ov, 1,
                "--set:1: firms.1.name: alias '*n' is not supported; allowed: plain values (repeat the value "
                "instead)\n");
  expect_errors("bad_enum.yaml", NULL, 0,
                "@:2:9: network.kind: unknown value 'smallworld' (did you mean 'small_world'?); allowed: one of "
                "random, small_world, scale_free, mixed, file\n"
                "@:4:10: customers.spend: unknown value 'gaussian'; allowed: one of pareto, lognormal\n"
                "@:7:15: firms.0.strategy: unknown value 'relation' (did you mean 'relationship'?); allowed: one "
                "of transactional, relationship, discounter, lock_in\n"
                "@:8:26: firms.0.level[1]: unknown value 'proactiv' (did you mean 'proactive'?); allowed: one of "
                "basic, reactive, accountable, proactive, partnership\n");
  expect_errors("bad_length.yaml", NULL, 0,
                "@:2:16: customers.desire_mean: 3 values given; allowed: one number for all attributes or a list "
                "of 2 (product, service), each number from 0 to 1\n"
                "@:4:9: levels.cost: 4 values given; allowed: a list of 5 numbers (basic, reactive, accountable, "
                "proactive, partnership), each number >= 0\n"
                "@:5:14: levels.complaint: got a single value; allowed: a list of 5 numbers (basic, reactive, "
                "accountable, proactive, partnership), each number from 0 to 1\n"
                "@:8:12: firms.0.level: 2 values given; allowed: one level for all tiers or a list of 3 (tiers A, "
                "B, C), each one of basic, reactive, accountable, proactive, partnership\n");
  /* with the attributes wrong, per-attribute list lengths are not checked */
  expect_errors("bad_attributes.yaml", NULL, 0,
                "@:3:15: market.attributes: 9 names given; allowed: a list of 1 to 8 attribute names, e.g. "
                "[product, service]\n");
  expect_errors("bad_duplicate.yaml", NULL, 0,
                "@:4:3: market.customers: duplicate key (first given at line 2, column 3); allowed: each key once\n"
                "@:8:5: firms.0.price: duplicate key (first given at line 7, column 5); allowed: each key once\n"
                "@:9:1: market: duplicate key (first given at line 1, column 1); allowed: each key once\n");
  expect_errors("bad_syntax.yaml", NULL, 0,
                "@:4:6: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line "
                "3, column 14); allowed: YAML, see docs/scenarios.md\n");
  expect_errors("bad_firm_name.yaml", NULL, 0,
                "@:5:11: firms.2.name: '关系营销公司' is already the name of firms.0; allowed: a unique name per "
                "firm\n"
                "@:6:11: firms.3.name: 'Firm 2' is already the name of firms.1; allowed: a unique name per firm\n"
                "@:7:21: firms.4.pirce: unknown key; did you mean 'firms.4.price'?\n");
  expect_errors("bad_promise.yaml", NULL, 0,
                "@:3:14: firms.0.promise: given together with overpromise (at line 4, column 18); allowed: either "
                "promise (absolute) or overpromise (relative to quality), not both\n");
  expect_errors("bad_no_firms.yaml", NULL, 0,
                "@:3:8: firms: no firms given; allowed: a list of 1 to 64 firms, each a mapping of firm keys\n");
  expect_errors("bad_missing_firms.yaml", NULL, 0,
                "@:1:1: firms: no firms given; allowed: a list of 1 to 64 firms, each a mapping of firm keys\n");
  expect_errors("bad_65_firms.yaml", NULL, 0,
                "@:3:3: firms: 65 firms given; allowed: a list of 1 to 64 firms, each a mapping of firm keys\n");
  expect_errors("bad_many.yaml", NULL, 0,
                "@:3:12: run.periods: -1 is out of range; allowed: integer from 1 to 100000\n"
                "@:4:3: run.seeed: unknown key; did you mean 'run.seed'?\n"
                "@:6:14: market.customers: 'lots' is not an integer; allowed: integer from 1 to 2147483647\n"
                "@:8:9: network.kind: unknown value 'ring'; allowed: one of random, small_world, scale_free, "
                "mixed, file\n"
                "@:11:14: firms.0.quality: 3 values given; allowed: one number for all attributes or a list of 2 "
                "(product, service), each number from 0 to 1\n"
                "@:12:11: firms.1.name: 'A' is already the name of firms.0; allowed: a unique name per firm\n"
                "@:14:14: firms.1.promise: given together with overpromise (at line 15, column 18); allowed: "
                "either promise (absolute) or overpromise (relative to quality), not both\n");
}

/* A full-width colon or space (a Chinese input method left on) is named, with
 * its code point and the fix, at the character itself: in a key, between a
 * key and its value, in the indentation, where YAML syntax breaks on it, and
 * in --set. Text keeps them (a comment, a description, a quoted name). */
#define FW_COLON "\xEF\xBC\x9A" /* U+FF1A */
#define FW_SPACE "\xE3\x80\x80" /* U+3000 */
#define COLON_FIX                                                                                                      \
  "full-width colon '" FW_COLON "' (U+FF1A) is not a YAML colon; replace the full-width colon '" FW_COLON              \
  "' (U+FF1A) with ':' followed by a space\n"
#define SPACE_FIX                                                                                                      \
  "full-width space '" FW_SPACE "' (U+3000) is not a YAML space; replace the full-width space '" FW_SPACE              \
  "' (U+3000) with ordinary spaces\n"

static void test_fullwidth(void) {
  expect_errors("bad_fullwidth_colon.yaml", NULL, 0,
                "@:3:11: run.seed" FW_COLON "3: " COLON_FIX /* a key of a flow mapping */
                "@:5:12: market: " COLON_FIX                /* key and value read as one value */
                "@:7:9: firms.0: " COLON_FIX);
  expect_errors("bad_fullwidth_syntax.yaml", NULL, 0, "@:3:12: " COLON_FIX); /* not libyaml's message */
  expect_errors("bad_fullwidth_space.yaml", NULL, 0,
                "@:3:1: " FW_SPACE "customers: " SPACE_FIX /* indentation */
                "@:5:15: network.kind: " SPACE_FIX         /* after a value */
                "@:7:9: wom: " SPACE_FIX                   /* between key and value */
                "@:9:4: firms: " SPACE_FIX);               /* after a list dash */
  const char *ov[] = {"market" FW_COLON "customers=1000", "market.customers=" FW_SPACE "1000",
                      "run={seed" FW_COLON "3}",          "firms.0.price" FW_SPACE "=1",
                      "market.customers" FW_COLON "1000", "firms.0.name=" FW_SPACE "A" FW_COLON "B"};
  expect_errors("good.yaml", ov, 6,
                "--set:1: market" FW_COLON "customers: the key has a full-width colon '" FW_COLON
                "' (U+FF1A); allowed: section.key or firms.<index or name>.key in ASCII, e.g. market.customers=20000\n"
                "--set:2: market.customers: " SPACE_FIX "--set:3: run.seed" FW_COLON "3: " COLON_FIX
                "--set:4: firms.0.price" FW_SPACE ": the key has a full-width space '" FW_SPACE
                "' (U+3000); allowed: section.key or firms.<index or name>.key in ASCII, e.g. market.customers=20000\n"
                "--set:5: 'market.customers" FW_COLON "1000' has a full-width colon '" FW_COLON
                "' (U+FF1A) where '=' belongs; allowed: KEY=VALUE, e.g. market.customers=20000\n");
  const char *ov2[] = {"run=seed" FW_COLON "3\nperiods: 2"}; /* a syntax error in an override's value */
  expect_errors("good.yaml", ov2, 1, "--set:1: run: " COLON_FIX);
}

/* Contradictions come from params_check; only their position is ours. */
static void test_contradictions(void) {
  struct relsim_scenario sc;
  int count;
  char *text = load(&sc, "bad_contradiction.yaml", NULL, 0, &count);
  CHECK_INT_EQ(count, 3);
  /* a key that was not set: the position of its section */
  CHECK(!strncmp(text, "@:2:1: market.tier_share_b: ", 28));
  /* keys that were set: the position of their value */
  CHECK_STR_CONTAINS(text, "\n@:6:13: network.contacts: 300 contacts cannot fit in a market of 200 customers");
  CHECK_STR_CONTAINS(text, "\n@:9:17: customers.trend_fading: rising + fading shares = 1.1 exceed 1");
  free(text);
  scenario_clean(&sc);

  const char *ov[] = {"network.contacts=5000"};
  text = load(&sc, "good.yaml", ov, 1, &count);
  CHECK_INT_EQ(count, 1);
  CHECK(!strncmp(text, "--set:1: network.contacts: 5000 contacts cannot fit", 51));
  free(text);
  scenario_clean(&sc);
}

static void test_unreadable(void) {
  struct relsim_scenario sc;
  FILE *err = tmpfile();
  const char *path = FIXTURES "no_such_file.yaml";
  CHECK_INT_EQ(scenario_load(&sc, path, NULL, 0, err), -1);
  char *text = slurp(err);
  CHECK_STR_CONTAINS(text, path);
  CHECK_STR_CONTAINS(text, strerror(ENOENT));
  free(text);
  fclose(err);
  scenario_clean(&sc);
}

/* Write len bytes of text to path. */
static void write_bytes(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK_INT_EQ(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* Load path, expecting exactly the messages expected (path shown as "@"). */
static void expect_file_errors(const char *path, const char *expected, const char *what) {
  struct relsim_scenario sc;
  FILE *err = tmpfile();
  if (!err) abort();
  int lines = 0;
  for (const char *c = expected; *c; c++) lines += *c == '\n';
  CHECK_INT_EQ(scenario_load(&sc, path, NULL, 0, err), lines);
  char *text = shorten(slurp(err), path);
  check_text(text, expected, what);
  free(text);
  fclose(err);
  scenario_clean(&sc);
}

/* A scenario is UTF-8 text of at most RELSIM_SCENARIO_MAX_BYTES: UTF-16 and
 * UTF-32 (with a byte-order mark or without) are named and refused (a
 * UTF-16 file used to load with 3 of its bytes kept as the source); a file
 * one byte too long is refused at the byte past the limit, one of exactly
 * the limit is read; /dev/zero ends. */
static void test_encodings_and_size(void) {
  expect_errors("bad_utf16.yaml", NULL, 0,
                "@:1:1: the file is UTF-16LE text (it starts with the byte-order mark FF FE); allowed: UTF-8 text "
                "(save the file as UTF-8)\n");
  const char *tmp = "test_scenario_encoding.yaml";
  write_bytes(tmp, "\0f\0i\0r\0m\0s\0:\0\n", 14);
  expect_file_errors(tmp,
                     "@:1:1: the file is UTF-16BE text (no byte-order mark, but a zero byte before its first "
                     "character); allowed: UTF-8 text (save the file as UTF-8)\n",
                     "UTF-16BE without a mark");
  write_bytes(tmp, "\xFF\xFE\0\0n\0\0\0", 8);
  expect_file_errors(tmp,
                     "@:1:1: the file is UTF-32LE text (it starts with the byte-order mark FF FE 00 00); allowed: "
                     "UTF-8 text (save the file as UTF-8)\n",
                     "UTF-32LE");

  /* Comment lines of 64 bytes, the last one shorter, then "firms: [{name: A}]" up to the limit. */
  size_t max = RELSIM_SCENARIO_MAX_BYTES, n = max + 1;
  char *big = malloc(n);
  if (!big) abort();
  memset(big, '#', n);
  for (size_t i = 63; i < n; i += 64) big[i] = '\n';
  memcpy(big + max - 18, "firms: [{name: A}]", 18);
  big[max - 19] = '\n';
  write_bytes(tmp, big, n); /* one byte past the limit: right after "]", at line 16385, column 19 */
  expect_file_errors(tmp,
                     "@:16385:19: the file goes on past 1048576 bytes here; allowed: a scenario file of at most "
                     "1048576 bytes (1 MiB)\n",
                     "one byte too long");
  write_bytes(tmp, big, max); /* exactly the limit */
  expect_file_errors(tmp, "", "exactly the limit");
  free(big);
  remove(tmp);
  expect_file_errors("/dev/zero",
                     "@:1:1048577: the file goes on past 1048576 bytes here; allowed: a scenario file of at most "
                     "1048576 bytes (1 MiB)\n",
                     "/dev/zero");
}

/* Text that is not valid YAML at the byte level, and an empty file. */
static void test_odd_files(void) {
  const char *tmp = "test_scenario_odd.yaml";
  FILE *f = fopen(tmp, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs("firms:\n  - name: ok\n  - name: bad\xff\n", f);
  fclose(f);
  struct relsim_scenario sc;
  FILE *err = tmpfile();
  CHECK_INT_EQ(scenario_load(&sc, tmp, NULL, 0, err), 1);
  char *text = slurp(err);
  check_text(text,
             "test_scenario_odd.yaml:3:14: YAML syntax error: invalid leading UTF-8 octet (byte 0xFF); allowed: "
             "YAML, see docs/scenarios.md\n",
             "invalid UTF-8");
  free(text);
  fclose(err);
  scenario_clean(&sc);

  f = fopen(tmp, "wb");
  if (!f) return;
  fclose(f);
  const char *ov[] = {"firms.0.name=Only"};
  err = tmpfile();
  CHECK_INT_EQ(scenario_load(&sc, tmp, ov, 1, err), 0); /* an empty file plus one firm */
  CHECK(!strcmp(sc.params.firms[0].name, "Only"));
  CHECK(sc.source && sc.source[0] == '\0');
  fclose(err);
  scenario_clean(&sc);
  remove(tmp);
}

/* ---- the key tables -------------------------------------------------------- */

struct span {
  size_t offset, size, align;
};

static int span_cmp(const void *a, const void *b) {
  const struct span *x = a, *y = b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static size_t type_align(enum relsim_key_type t) {
  switch (t) {
  case RELSIM_KEY_REAL:
  case RELSIM_KEY_ATTR_REALS:
  case RELSIM_KEY_LEVEL_REALS: return alignof(double);
  case RELSIM_KEY_INT64:
  case RELSIM_KEY_UINT64: return alignof(int64_t);
  case RELSIM_KEY_STRING:
  case RELSIM_KEY_ATTR_NAMES: return 1;
  default: return alignof(int);
  }
}

static size_t type_size(const struct relsim_key *k) {
  switch (k->type) {
  case RELSIM_KEY_REAL: return sizeof(double);
  case RELSIM_KEY_INT64:
  case RELSIM_KEY_UINT64: return sizeof(int64_t);
  case RELSIM_KEY_ATTR_REALS: return RELSIM_MAX_ATTRS * sizeof(double);
  case RELSIM_KEY_LEVEL_REALS: return RELSIM_LEVEL_COUNT * sizeof(double);
  case RELSIM_KEY_TIER_LEVELS: return RELSIM_TIER_COUNT * sizeof(int);
  case RELSIM_KEY_ATTR_NAMES: return sizeof((struct relsim_params *)0)->attr_names;
  case RELSIM_KEY_STRING: return (size_t)k->max + 1;
  default: return sizeof(int);
  }
}

/* Every byte of the struct is a key's field, a listed non-key field, or
 * padding the compiler had to insert: no field was forgotten. */
static void check_table(const struct relsim_key *keys, size_t n, size_t struct_size, size_t struct_align,
                        const struct span *extra, size_t n_extra, const char *what) {
  struct span *s = malloc((n + n_extra) * sizeof *s);
  if (!s) abort();
  for (size_t i = 0; i < n; i++) {
    const struct relsim_key *k = &keys[i];
    s[i] = (struct span){k->offset, k->size, type_align(k->type)};
    check_count++;
    if (k->size != type_size(k)) {
      fprintf(stderr, "%s: %s: size %zu does not fit its type\n", what, k->path, k->size);
      check_failures++;
    }
    CHECK(k->doc && k->doc[0] && k->unit && k->unit[0]);
    CHECK(k->min <= k->max);
    CHECK((k->type == RELSIM_KEY_ENUM || k->type == RELSIM_KEY_TIER_LEVELS) == (k->choices != NULL));
    for (size_t j = 0; j < i; j++) CHECK(strcmp(keys[j].path, k->path) != 0);
  }
  memcpy(s + n, extra, n_extra * sizeof *s);
  qsort(s, n + n_extra, sizeof *s, span_cmp);
  size_t end = 0;
  for (size_t i = 0; i < n + n_extra; i++) {
    size_t expect = (end + s[i].align - 1) / s[i].align * s[i].align;
    check_count++;
    if (s[i].offset != expect) {
      fprintf(stderr, "%s: a field without a key between offsets %zu and %zu\n", what, end, s[i].offset);
      check_failures++;
    }
    end = s[i].offset + s[i].size;
  }
  CHECK_INT_EQ((end + struct_align - 1) / struct_align * struct_align, struct_size);
  free(s);
}

static void test_key_tables(void) {
  const struct span global_extra[] = {
      {offsetof(struct relsim_params, n_attrs), sizeof(int), alignof(int)},
      {offsetof(struct relsim_params, n_firms), sizeof(int), alignof(int)},
      {offsetof(struct relsim_params, firms), sizeof((struct relsim_params *)0)->firms,
       alignof(struct relsim_firm_params)},
  };
  const struct span firm_extra[] = {{offsetof(struct relsim_firm_params, promise_set), sizeof(int), alignof(int)}};
  check_table(relsim_global_keys, relsim_n_global_keys, sizeof(struct relsim_params), alignof(struct relsim_params),
              global_extra, 3, "global keys");
  check_table(relsim_firm_keys, relsim_n_firm_keys, sizeof(struct relsim_firm_params),
              alignof(struct relsim_firm_params), firm_extra, 1, "firm keys");
  /* the keys of a section are contiguous (the writers rely on it) */
  for (size_t i = 1; i < relsim_n_global_keys; i++)
    for (size_t j = 0; j + 1 < i; j++) {
      const char *a = relsim_global_keys[i].path, *b = relsim_global_keys[j].path, *c = relsim_global_keys[i - 1].path;
      size_t la = strcspn(a, "."), lc = strcspn(c, ".");
      if (strchr(a, '.') && strchr(b, '.') && la == strcspn(b, ".") && !strncmp(a, b, la)) {
        CHECK(la == lc && !strncmp(a, c, la));
      }
    }
}

static void test_reference(void) {
  FILE *f = tmpfile();
  if (!f) abort();
  scenario_print_reference(f);
  char *text = slurp(f);
  fclose(f);
  CHECK(!strncmp(text, "# Scenario key reference\n", 25));
  for (size_t i = 0; i < relsim_n_global_keys; i++) {
    char row[256];
    snprintf(row, sizeof row, "\n| `%s` |", relsim_global_keys[i].path);
    CHECK_STR_CONTAINS(text, row);
  }
  for (size_t i = 0; i < relsim_n_firm_keys; i++) {
    char row[256];
    snprintf(row, sizeof row, "\n| `%s` |", relsim_firm_keys[i].path);
    CHECK_STR_CONTAINS(text, row);
  }
  CHECK_STR_CONTAINS(text, "\n| `market.customers` | integer | customers | `100000` | integer from 1 to 2147483647 |");
  CHECK_STR_CONTAINS(text, "\n| `price` | number | 1 | `1` | discounter: `0.85` | number > 0 |");
  CHECK_STR_CONTAINS(
      text, "| `level` | per-tier levels | name | `basic` | relationship: `[partnership, proactive, reactive]` |");
  free(text);
}

int main(void) {
  test_good();
  test_presets();
  test_per_attribute();
  test_overrides();
  test_override_errors();
  test_chinese_name();
  test_round_trip();
  test_errors();
  test_fullwidth();
  test_contradictions();
  test_unreadable();
  test_odd_files();
  test_encodings_and_size();
  test_key_tables();
  test_reference();
  return check_report("test_scenario");
}
