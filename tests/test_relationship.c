/*
 * The relationship mechanisms of model v2 (docs/model.md): stages, managers
 * and their capacity, budget lines, the recovery encounter, contracts that
 * end, praise that follows commitment, cost to serve, learning from
 * failures, the policies and the same-customer comparison. Each test sets
 * up a market where the mechanism must show, and checks what it promises;
 * where a switch or a key turns it off, the test checks that too.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "sim_fixture.h"
#include "relsim/params.h"
#include "relsim/relation.h"
#include "relsim/sim.h"

static void base_params(struct relsim_params *p, int64_t n, int periods) { fixture_params(p, n, periods, 11); }
static struct relsim_sim *make(const struct relsim_params *p) { return fixture_make(p, 2); }
static int step(struct relsim_sim *s) { return fixture_step(s); }
#define TM(s, name, f, tr) ((s)->m.tier[RELSIM_TM_##name][f][tr])

/* Run p for its periods, calling each(s, t, ctx) after every period. */
static struct relsim_sim *run(const struct relsim_params *p, void (*each)(struct relsim_sim *, int, void *), void *ctx) {
  struct relsim_sim *s = make(p);
  CHECK(s != NULL);
  if (!s) return NULL;
  for (int t = 0; t < p->periods; t++) {
    if (step(s) != 0) {
      CHECK(0);
      break;
    }
    if (each) each(s, t, ctx);
  }
  return s;
}

/* Every relation's stage agrees with the conditions that let it climb (a
 * stage can fall, never skip its conditions), and each stage is reached. */
static void test_stages(void) {
  struct relsim_params p;
  base_params(&p, 4000, 60);
  struct relsim_sim *s = run(&p, NULL, NULL);
  if (!s) return;
  const struct relsim_relations *r = &s->w.r;
  int64_t seen[RELSIM_STAGE_COUNT] = {0};
  for (int64_t x = 0; x < s->w.n * s->w.k; x++) {
    int st = r->stage[x];
    seen[st]++;
    if (st >= RELSIM_STAGE_BUYER) CHECK(r->purchases[x] >= 1);
    if (st >= RELSIM_STAGE_REGULAR) CHECK(r->purchases[x] >= (uint32_t)p.stage_regular_purchases);
    if (st >= RELSIM_STAGE_PERSONAL) CHECK(r->contacts_got[x] >= p.stage_personal_contacts);
    if (st == RELSIM_STAGE_PARTNER) CHECK(s->period - 1 - r->first_purchase[x] >= p.stage_partner_tenure);
    if (r->purchases[x] == 0) CHECK_INT_EQ(st, RELSIM_STAGE_STRANGER);
  }
  for (int st = 0; st < RELSIM_STAGE_COUNT; st++) CHECK(seen[st] > 0);
  /* The transactional firm has no managers: nobody reaches personal trust with it. */
  CHECK_NEAR(FM(s, customers_personal, 0) + FM(s, customers_partner, 0), 0.0, 0.0);
  CHECK(FM(s, customers_partner, 1) > 0);
  sim_free(s);

  /* Social bonds off: contacts do not count, so nobody reaches personal trust. */
  p.mech.social_bonds = 0;
  s = run(&p, NULL, NULL);
  if (!s) return;
  for (int64_t x = 0; x < s->w.n * s->w.k; x++) CHECK(s->w.r.stage[x] <= RELSIM_STAGE_REGULAR);
  CHECK(FM(s, contacts, 1) > 0); /* the managers still work and are paid */
  CHECK(FM(s, staff_cost, 1) > 0);
  sim_free(s);
}

/* The managers never serve more customers than their capacity; the whole
 * budget is spent on its lines; a basic firm hires nobody. */
static void capacity_each(struct relsim_sim *s, int t, void *ctx) {
  (void)t;
  const struct relsim_params *p = ctx;
  for (int f = 0; f < 2; f++) {
    const struct relsim_firm_params *fp = &p->firms[f];
    double capacity = FM(s, staff, f) * params_customers_per_manager(fp);
    CHECK(FM(s, managed_customers, f) <= capacity + 1e-9);
    CHECK(FM(s, contacts, f) <= FM(s, managed_customers, f) + 1e-9);
    CHECK_NEAR(FM(s, prospect_visits, f), floor(FM(s, staff, f) * fp->staff_contacts * fp->prospect_share), 0.0);
  }
  CHECK_NEAR(FM(s, staff, 0), 0.0, 0.0);
}

static void test_capacity(void) {
  struct relsim_params p;
  base_params(&p, 5000, 40);
  p.firms[1].staff_salary = 400.0; /* few managers: the portfolio binds */
  struct relsim_sim *s = run(&p, capacity_each, &p);
  if (!s) return;
  CHECK(FM(s, staff, 1) >= 1);
  CHECK(FM(s, managed_customers, 1) < FM(s, active_customers, 1)); /* capacity binds */
  CHECK(FM(s, managed_customers, 1) > 0);
  sim_free(s);
}

/* Targeting by potential serves rising stars: among the relationship
 * firm's active customers, the managed ones include a larger share of
 * rising customers than the unmanaged ones. */
static void test_targeting(void) {
  struct relsim_params p;
  base_params(&p, 5000, 40);
  p.firms[1].staff_salary = 400.0;
  struct relsim_sim *s = run(&p, NULL, NULL);
  if (!s) return;
  double rising[2] = {0, 0}, count[2] = {0, 0};
  for (int64_t i = 0; i < s->w.n; i++) {
    int64_t x = i * s->w.k + 1;
    if (!relation_active(&s->w.r, x, s->period - 1, p.recency)) continue;
    int managed = relation_managed(&s->p, &s->w, i, 1);
    count[managed] += 1.0;
    rising[managed] += s->w.c.trend[i] == RELSIM_TREND_RISING;
  }
  CHECK(count[0] > 0 && count[1] > 0);
  if (count[0] > 0 && count[1] > 0) CHECK(rising[1] / count[1] > rising[0] / count[0]);
  sim_free(s);
}

/* The recovery encounter: the paradox appears only when the recovery beats
 * what customers expect of service, and fades after an earlier failure. */
static double recovered_minus_no_failure(struct relsim_params *p, double *again) {
  struct relsim_sim *s = make(p);
  CHECK(s != NULL);
  if (!s) return NAN;
  double rec = 0, nrec = 0, ok = 0, nok = 0, rec2 = 0, nrec2 = 0;
  for (int t = 0; t < p->periods; t++) {
    CHECK(step(s) == 0);
    double n = FM(s, recoveries, 1), n0 = FM(s, purchases, 1) - FM(s, failures, 1);
    if (n > 0) rec += FM(s, satisfaction_recovered, 1) * n, nrec += n;
    if (n0 > 0) ok += FM(s, satisfaction_no_failure, 1) * n0, nok += n0;
    double n2 = 0;
    if (!isnan(FM(s, satisfaction_recovered_again, 1))) {
      /* recovered_again counts recoveries after an earlier failure: weight by 1 per period */
      n2 = 1;
      rec2 += FM(s, satisfaction_recovered_again, 1), nrec2 += n2;
    }
  }
  sim_free(s);
  *again = nrec2 > 0 ? rec2 / nrec2 : NAN;
  return rec / nrec - ok / nok;
}

static void test_recovery_encounter(void) {
  struct relsim_params p;
  base_params(&p, 3000, 40);
  p.firms[1].failure_rate = 0.3;
  double again;
  p.firms[1].recovery_quality = 1.0;
  double high = recovered_minus_no_failure(&p, &again);
  p.firms[1].recovery_quality = 0.5;
  double low = recovered_minus_no_failure(&p, &again);
  CHECK(high > 0.0);
  CHECK(low < 0.0);
  /* Double deviation: raising the expectation after an earlier failure
   * lowers the satisfaction of those recoveries. */
  p.firms[1].recovery_quality = 0.8;
  p.double_deviation = 0.0;
  double again_none, again_dd;
  recovered_minus_no_failure(&p, &again_none);
  p.double_deviation = 0.5;
  recovered_minus_no_failure(&p, &again_dd);
  CHECK(again_dd < again_none - 0.02);
}

/* Contracts: signed at the first purchase, they end; with renewal off no
 * customer is under contract except those whose first purchase was within
 * the term. */
static void lock_each(struct relsim_sim *s, int t, void *ctx) {
  double *news = ctx; /* new customers of firm 0 per period */
  news[t] = FM(s, new_customers, 0);
  double recent = news[t] + (t > 0 ? news[t - 1] : 0.0);
  CHECK(FM(s, locked_customers, 0) <= recent + 1e-9);
}

static void test_contracts_end(void) {
  struct relsim_params p;
  base_params(&p, 4000, 30);
  params_firm_defaults(&p.firms[0], RELSIM_STRATEGY_LOCK_IN, p.n_attrs);
  strcpy(p.firms[0].name, "L");
  p.firms[0].lock_in_periods = 2;
  double news[30];
  struct relsim_sim *s = run(&p, lock_each, news);
  if (!s) return;
  double ended = FM(s, locked_customers, 0);
  sim_free(s);
  p.firms[0].lock_in_renewal = 1.0; /* re-signed at the next purchase after the term */
  s = run(&p, NULL, NULL);
  if (!s) return;
  CHECK(FM(s, locked_customers, 0) > 2.0 * ended);
  sim_free(s);
}

/* Praise follows commitment: with advocacy 1, customers without commitment
 * tell no positive story; with advocacy 0 they do. */
static void test_advocacy(void) {
  struct relsim_params p;
  base_params(&p, 4000, 30);
  p.commitment_rate = 0.0;
  p.commitment_social = 0.0;
  p.commitment_structural = 0.0;
  p.band_complete = 0.5; /* many completely satisfied buyers */
  p.advocacy = 1.0;
  double told = 0.0;
  struct relsim_sim *s = make(&p);
  if (!s) return;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    told += FM(s, positive_tellers, 0) + FM(s, positive_tellers, 1);
  }
  sim_free(s);
  CHECK_NEAR(told, 0.0, 0.0);
  p.advocacy = 0.0;
  s = make(&p);
  if (!s) return;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    told += FM(s, positive_tellers, 0) + FM(s, positive_tellers, 1);
  }
  sim_free(s);
  CHECK(told > 0.0);
}

/* Cost to serve: cost of goods below unit_cost x revenue once customers have
 * tenure, exactly unit_cost x revenue with the mechanism off. */
static double cogs_share(struct relsim_params *p) {
  struct relsim_sim *s = run(p, NULL, NULL);
  if (!s) return NAN;
  double share = FM(s, cogs, 1) / FM(s, revenue, 1);
  sim_free(s);
  return share;
}

static void test_cost_to_serve(void) {
  struct relsim_params p;
  base_params(&p, 3000, 40);
  double on = cogs_share(&p);
  p.mech.cost_to_serve = 0;
  double off = cogs_share(&p);
  CHECK_NEAR(off, p.firms[1].unit_cost, 1e-12);
  CHECK(on < off - 0.005);
  CHECK(on > off * (1.0 - p.tenure_saving) - 1e-12);
}

/* Learning from heard failures lowers the failure rate, at an R&D cost; a
 * firm that does not learn keeps its rate. */
static void test_failure_learning(void) {
  struct relsim_params p;
  base_params(&p, 4000, 40);
  double rnd = 0;
  struct relsim_sim *s = make(&p);
  if (!s) return;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    rnd += FM(s, rnd_cost, 1);
  }
  CHECK_NEAR(FM(s, failure_rate, 0), p.firms[0].failure_rate, 0.0);
  CHECK(FM(s, failure_rate, 1) < p.firms[1].failure_rate - 0.001);
  CHECK(rnd > 0.0);
  sim_free(s);
}

/* Kotler's rule: a thin margin buys no relationship; a rich one buys
 * partnership for the top tier. The adaptive policy moves the split by one
 * step at window ends only. */
static void adaptive_each(struct relsim_sim *s, int t, void *ctx) {
  double *last = ctx;
  double share = FM(s, acquisition_share, 1);
  if (t % 5 != 0) CHECK_NEAR(share, *last, 0.0);
  else if (t > 0) CHECK_NEAR(fabs(share - *last), 0.1, 1e-12);
  *last = share;
}

static void test_policies(void) {
  struct relsim_params p;
  base_params(&p, 4000, 30);
  p.firms[1].policy = RELSIM_POLICY_KOTLER;
  p.firms[1].unit_cost = 0.99;
  struct relsim_sim *s = run(&p, NULL, NULL);
  if (!s) return;
  /* 1% of revenue buys at most a complaint line: no managers, no partnership */
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) CHECK(TM(s, level, 1, tier) <= RELSIM_LEVEL_REACTIVE);
  CHECK_NEAR(FM(s, staff, 1), 0.0, 0.0);
  sim_free(s);
  p.firms[1].unit_cost = 0.2;
  p.firms[1].policy_share = 1.0;
  s = run(&p, NULL, NULL);
  if (!s) return;
  CHECK_NEAR(TM(s, level, 1, RELSIM_TIER_A), RELSIM_LEVEL_PARTNERSHIP, 0.0);
  CHECK(TM(s, level, 1, RELSIM_TIER_C) <= TM(s, level, 1, RELSIM_TIER_A));
  sim_free(s);

  base_params(&p, 3000, 31);
  p.firms[1].policy = RELSIM_POLICY_ADAPTIVE;
  p.firms[1].policy_window = 5;
  double last = p.firms[1].acquisition_share;
  s = run(&p, adaptive_each, &last);
  sim_free(s);
}

/* Prospect visits are a channel of awareness of their own. */
static void test_prospecting(void) {
  struct relsim_params p;
  base_params(&p, 3000, 10);
  p.mech.word_of_mouth = 0;
  p.mech.advertising = 0;
  p.mech.search = 0;
  struct relsim_sim *s = run(&p, NULL, NULL);
  if (!s) return;
  CHECK(FM(s, aware_customers, 1) > 0);
  CHECK_NEAR(FM(s, aware_customers, 0), 0.0, 0.0);
  sim_free(s);
  p.mech.prospecting = 0;
  s = run(&p, NULL, NULL);
  if (!s) return;
  CHECK_NEAR(FM(s, aware_customers, 1), 0.0, 0.0);
  CHECK(FM(s, prospect_visits, 1) > 0); /* paid, reaching nobody */
  sim_free(s);
}

/* The same-customer comparison of two firms is one set of customers seen
 * from both sides. */
static void same_each(struct relsim_sim *s, int t, void *ctx) {
  (void)t, (void)ctx;
  CHECK_NEAR(FM(s, same_customers, 0), FM(s, same_customers, 1), 0.0);
  if (FM(s, same_customers, 0) > 0) {
    CHECK_NEAR(FM(s, satisfaction_same_customers, 0), FM(s, rival_satisfaction_same_customers, 1), 1e-9);
    CHECK_NEAR(FM(s, satisfaction_same_customers, 1), FM(s, rival_satisfaction_same_customers, 0), 1e-9);
  }
}

static void test_same_customers(void) {
  struct relsim_params p;
  base_params(&p, 4000, 40);
  struct relsim_sim *s = run(&p, same_each, NULL);
  if (!s) return;
  CHECK(FM(s, same_customers, 0) > 0);
  sim_free(s);
}

int main(void) {
  test_stages();
  test_capacity();
  test_targeting();
  test_recovery_encounter();
  test_contracts_end();
  test_advocacy();
  test_cost_to_serve();
  test_failure_learning();
  test_policies();
  test_prospecting();
  test_same_customers();
  return check_report("test_relationship");
}
