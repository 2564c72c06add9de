/*
 * Engine tests: extreme-parameter invariants, per-customer records against
 * the aggregates, and bitwise thread-count independence.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sim_fixture.h"
#include "relsim/params.h"
#include "relsim/relation.h"
#include "relsim/sim.h"

static void base_params(struct relsim_params *p, int64_t n, int periods) { fixture_params(p, n, periods, 7); }
static struct relsim_sim *make(const struct relsim_params *p, int threads) { return fixture_make(p, threads); }
static int step(struct relsim_sim *s) { return fixture_step(s); }

/* No word of mouth, no advertising, no search, nobody aware at the start:
 * nobody ever hears of a firm, so nobody buys. */
static void test_no_awareness_channels(void) {
  struct relsim_params p;
  base_params(&p, 3000, 10);
  p.mech.word_of_mouth = 0;
  p.mech.advertising = 0;
  p.mech.search = 0;
  for (int f = 0; f < p.n_firms; f++) p.firms[f].prospect_share = 0.0; /* no visits to prospects */
  struct relsim_sim *s = make(&p, 2);
  CHECK(s != NULL);
  if (!s) return;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    CHECK_INT_EQ(MM(s, aware_any), 0);
    CHECK_INT_EQ(MM(s, market_purchases), 0);
  }
  sim_free(s);
}

/* No word of mouth: awareness comes only from advertising and search, no
 * message is sent or heard, nobody blocks a firm. */
static void test_no_wom(void) {
  struct relsim_params p;
  base_params(&p, 4000, 20);
  p.mech.word_of_mouth = 0;
  p.mech.search = 0;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double impressions_total = 0.0;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    CHECK_INT_EQ(MM(s, wom_messages), 0);
    CHECK_INT_EQ(MM(s, stories), 0);
    for (int f = 0; f < 2; f++) {
      CHECK_INT_EQ(FM(s, wom_heard, f), 0);
      CHECK_INT_EQ(FM(s, blocking_customers, f), 0);
      impressions_total += FM(s, impressions, f);
    }
  }
  /* Each aware customer-firm pair needs at least one impression. */
  CHECK(MM(s, aware_any) > 0);
  CHECK(FM(s, aware_customers, 0) + FM(s, aware_customers, 1) <= impressions_total);
  sim_free(s);
}

/* One firm holds every customer. */
static void test_single_firm(void) {
  struct relsim_params p;
  base_params(&p, 3000, 15);
  p.n_firms = 1;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    if (FM(s, revenue, 0) > 0) CHECK_NEAR(FM(s, revenue_share, 0), 1.0, 0.0);
    if (FM(s, active_customers, 0) > 0) CHECK_NEAR(FM(s, customer_share, 0), 1.0, 0.0);
    CHECK_INT_EQ(FM(s, purchases, 0), MM(s, market_purchases));
  }
  sim_free(s);
}

/* Zero failure rate: no failure, no recovery; recovery cost only for the
 * complaints of dissatisfaction answered. */
static void test_no_failures(void) {
  struct relsim_params p;
  base_params(&p, 3000, 15);
  p.firms[0].failure_rate = 0.0;
  p.firms[1].failure_rate = 0.0;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double purchases = 0.0;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    for (int f = 0; f < 2; f++) {
      CHECK_INT_EQ(FM(s, failures, f), 0);
      CHECK_INT_EQ(FM(s, recoveries, f), 0);
      CHECK_NEAR(FM(s, recovery_cost, f), FM(s, complaints_answered, f) * p.firms[f].recovery_cost, 1e-9);
      purchases += FM(s, purchases, f);
    }
  }
  CHECK(purchases > 0);
  sim_free(s);
}

/* Lock-in switched off: a lock_in firm locks nobody. With it on, it does. */
static void test_lock_in_switch(void) {
  struct relsim_params p;
  base_params(&p, 3000, 15);
  params_firm_defaults(&p.firms[0], RELSIM_STRATEGY_LOCK_IN, p.n_attrs);
  strcpy(p.firms[0].name, "L");
  for (int on = 0; on <= 1; on++) {
    p.mech.lock_in = on;
    struct relsim_sim *s = make(&p, 2);
    if (!s) {
    CHECK(s != NULL);
    return;
  }
    double locked = 0.0;
    for (int t = 0; t < p.periods; t++) {
      CHECK(step(s) == 0);
      locked += FM(s, locked_customers, 0);
    }
    int64_t left = 0;
    for (int64_t x = 0; x < s->w.n * s->w.k; x++) left += s->w.r.lock_left[x] > 0;
    if (on) {
      CHECK(locked > 0);
      CHECK(left > 0);
    } else {
      CHECK_NEAR(locked, 0.0, 0.0);
      CHECK_INT_EQ(left, 0);
    }
    sim_free(s);
  }
}

/* Per-customer records add up to the aggregates (no turnover, so nobody's
 * record is reset). */
static void test_records_sum_to_aggregates(void) {
  struct relsim_params p;
  base_params(&p, 5000, 30);
  p.mech.turnover = 0;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double paid[2] = {0, 0}, purchases[2] = {0, 0}, newc[2] = {0, 0};
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    for (int f = 0; f < 2; f++) {
      paid[f] += FM(s, revenue, f) - FM(s, new_customer_discounts, f) - FM(s, loyalty_discounts, f);
      purchases[f] += FM(s, purchases, f);
      newc[f] += FM(s, new_customers, f);
    }
  }
  for (int f = 0; f < 2; f++) {
    double sum_paid = 0.0, sum_purchases = 0.0, first = 0.0, active = 0.0, aware = 0.0;
    for (int64_t i = 0; i < s->w.n; i++) {
      int64_t x = i * 2 + f;
      sum_paid += s->w.r.cum_spend[x];
      sum_purchases += s->w.r.purchases[x];
      first += s->w.r.first_purchase[x] >= 0;
      active += s->w.r.last_purchase[x] > p.periods - 1 - p.recency && s->w.r.last_purchase[x] >= 0 && !s->w.r.departed[x];
      aware += s->w.r.aware[x];
    }
    CHECK(sum_purchases > 0);
    CHECK_NEAR(sum_paid, paid[f], 1e-6 * paid[f]);
    CHECK_NEAR(sum_purchases, purchases[f], 0);
    CHECK_NEAR(first, newc[f], 0);
    CHECK_NEAR(active, FM(s, active_customers, f), 0);
    CHECK_NEAR(aware, FM(s, aware_customers, f), 0);
  }
  sim_free(s);
}

/* Accounting identities of each period. */
static void test_accounting(void) {
  struct relsim_params p;
  base_params(&p, 4000, 30);
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double cum[2] = {0, 0};
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    for (int f = 0; f < 2; f++) {
      double profit = FM(s, revenue, f) - FM(s, cogs, f) - FM(s, acquisition_cost, f) - FM(s, retention_cost, f) -
                      FM(s, recovery_cost, f) - FM(s, rnd_cost, f);
      CHECK_NEAR(FM(s, profit, f), profit, 1e-9 * fabs(profit) + 1e-9);
      cum[f] += FM(s, profit, f);
      CHECK_NEAR(FM(s, cumulative_profit, f), cum[f], 1e-9 * fabs(cum[f]) + 1e-6);
      CHECK_NEAR(FM(s, acquisition_cost, f),
                 FM(s, advertising_cost, f) + FM(s, prospecting_cost, f) + FM(s, new_customer_discounts, f), 1e-6);
      CHECK_NEAR(FM(s, staff_cost, f), FM(s, staff, f) * p.firms[f].staff_salary, 1e-9);
      CHECK_NEAR(FM(s, retention_cost, f), FM(s, relationship_cost, f) + FM(s, loyalty_discounts, f), 1e-6);
      /* The whole budget is spent: advertising buys whole impressions with
       * what the retention lines leave. */
      double spent = FM(s, advertising_cost, f) + FM(s, prospecting_cost, f) + FM(s, relationship_cost, f);
      CHECK(spent <= FM(s, budget, f) + 1e-6);
      CHECK(spent > FM(s, budget, f) - p.firms[f].ad_cost);
      CHECK(FM(s, relationship_cost, f) <= FM(s, budget, f) * (1 - p.firms[f].acquisition_share) + 1e-6);
      double buyers = FM(s, purchases, f);
      if (buyers > 0) {
        double bands = FM(s, share_completely_satisfied, f) + FM(s, share_satisfied, f) + FM(s, share_neutral, f) +
                       FM(s, share_dissatisfied, f);
        CHECK_NEAR(bands, 1.0, 1e-12);
      }
      double rr = FM(s, retention_rate, f);
      if (!isnan(rr)) CHECK_NEAR(rr + FM(s, churn_rate, f), 1.0, 1e-12);
      double tier_ret = 0, tier_lost = 0, tier_rev = 0;
      for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) {
        tier_ret += s->m.tier[RELSIM_TM_retained_customers][f][tier];
        tier_lost += s->m.tier[RELSIM_TM_lost_customers][f][tier];
        tier_rev += s->m.tier[RELSIM_TM_revenue][f][tier];
      }
      CHECK_NEAR(tier_ret, FM(s, retained_customers, f), 0);
      CHECK_NEAR(tier_lost, FM(s, lost_customers, f), 1e-9);
      CHECK_NEAR(tier_rev, FM(s, revenue, f), 1e-9 * FM(s, revenue, f) + 1e-9);
    }
    CHECK_NEAR(MM(s, wom_messages), MM(s, wom_positive) + MM(s, wom_negative), 0);
    CHECK(MM(s, market_purchases) + MM(s, no_purchase) == MM(s, occasions));
  }
  sim_free(s);
}

/* The same seed gives the same bits with 1 and 2 threads; another seed differs. */
static void test_thread_determinism(void) {
  struct relsim_params p;
  base_params(&p, 9000, 25); /* 3 reduction blocks */
  p.contacts = 30;
  struct relsim_sim *a = make(&p, 1), *b = make(&p, 2);
  p.seed = 8;
  struct relsim_sim *c = make(&p, 2);
  if (!a || !b || !c) {
    CHECK(0 && "sim_create failed");
    return;
  }
  int same = 1, differs = 0;
  for (int t = 0; t < 25; t++) {
    CHECK(step(a) == 0);
    CHECK(step(b) == 0);
    CHECK(step(c) == 0);
    if (memcmp(&a->m, &b->m, sizeof a->m) != 0) same = 0;
    if (memcmp(&a->m, &c->m, sizeof a->m) != 0) differs = 1;
  }
  CHECK(same);
  CHECK(differs);
  CHECK(memcmp(a->w.r.trust, b->w.r.trust, (size_t)a->w.n * a->w.k * sizeof *a->w.r.trust) == 0);
  CHECK(memcmp(a->w.c.spend, b->w.c.spend, (size_t)a->w.n * sizeof *a->w.c.spend) == 0);
  sim_free(a);
  sim_free(b);
  sim_free(c);
}

/* Exits: about exit_rate * N per period, N constant, newcomers start fresh. */
static void test_turnover(void) {
  struct relsim_params p;
  base_params(&p, 20000, 20);
  p.exit_rate = 0.01;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double exits = 0.0;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    exits += MM(s, exits);
  }
  /* 20 periods x 20000 x 0.01 = 4000 expected; sd = sqrt(4000 * 0.99) ~ 63. */
  CHECK_NEAR(exits, 4000.0, 5 * 63.0);
  int64_t refilled = 0;
  for (int64_t i = 0; i < s->w.n; i++) refilled += s->w.c.generation[i] > 0;
  CHECK(refilled > 3000);
  sim_free(s);
}


/* Customer flows close every period without turnover:
 * active(t) = active(t-1) + new + won back - lost, and a switcher is lost
 * once (it is not active again until it buys from the firm again). */
static void test_customer_flows(void) {
  struct relsim_params p;
  base_params(&p, 5000, 40);
  p.mech.turnover = 0;
  p.recency = 1000; /* nobody lapses: every loss is a switch */
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  double prev[2] = {0, 0}, lost_total = 0;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    for (int f = 0; f < 2; f++) {
      double active = FM(s, active_customers, f);
      CHECK_NEAR(active, prev[f] + FM(s, new_customers, f) + FM(s, won_back_customers, f) - FM(s, lost_customers, f), 0);
      CHECK_NEAR(FM(s, retained_customers, f) + FM(s, lost_customers, f), prev[f], 0);
      lost_total += FM(s, lost_customers, f);
      prev[f] = active;
    }
  }
  CHECK(lost_total > 0); /* switching happens */
  sim_free(s);
}

/* Tiers off: every tier is served at the same level, also under budget fallback. */
static void test_tiers_off(void) {
  struct relsim_params p;
  base_params(&p, 6000, 30);
  p.mech.tiers = 0;
  p.firms[1].budget = 0.05; /* tight: the fallback binds */
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  int fell_back = 0;
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    CHECK_INT_EQ(s->w.firm[1].level[RELSIM_TIER_A], s->w.firm[1].level[RELSIM_TIER_B]);
    CHECK_INT_EQ(s->w.firm[1].level[RELSIM_TIER_A], s->w.firm[1].level[RELSIM_TIER_C]);
    fell_back |= s->w.firm[1].level[RELSIM_TIER_A] < RELSIM_LEVEL_PARTNERSHIP;
    /* Programmes and managers fit in the retention budget. */
    CHECK(FM(s, relationship_cost, 1) <= FM(s, budget, 1) * (1 - p.firms[1].acquisition_share) + 1e-6);
  }
  CHECK(fell_back);
  sim_free(s);
}

/* A lock of L periods is felt in the L periods after the purchase. */
static void test_lock_length(void) {
  struct relsim_params p;
  base_params(&p, 3000, 12);
  params_firm_defaults(&p.firms[0], RELSIM_STRATEGY_LOCK_IN, p.n_attrs);
  p.firms[0].lock_in_periods = 1;
  p.firms[0].initial_awareness = 1.0;
  struct relsim_sim *s = make(&p, 1);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  CHECK(step(s) == 0);
  /* Everyone who bought from firm 0 in period 0 is locked for period 1 only. */
  CHECK(FM(s, locked_customers, 0) > 0);
  CHECK_NEAR(FM(s, locked_customers, 0), FM(s, purchases, 0), 0);
  int64_t wrong = 0;
  for (int64_t i = 0; i < s->w.n; i++) wrong += (s->w.r.lock_left[i * 2] == 1) != (s->w.c.bought[i] == 0);
  CHECK_INT_EQ(wrong, 0);
  sim_free(s);
}

static void count_problem(void *ctx, const char *key, const char *message) {
  (void)message;
  if (strcmp(key, "firms.0.acquisition_budget") == 0) ++*(int *)ctx;
}

/* budget_mode absolute: the firm spends its money budgets as given; absolute
 * budgets in another mode are a contradiction. */
static void test_absolute_budget(void) {
  struct relsim_params p;
  base_params(&p, 3000, 5);
  p.firms[0].budget_mode = RELSIM_BUDGET_ABSOLUTE;
  p.firms[0].acquisition_budget = 400.0;
  p.firms[0].retention_budget = 100.0;
  p.firms[0].new_customer_discount = 0.0; /* no discounts reserved from the acquisition budget */
  int hits = 0;
  CHECK_INT_EQ(params_check(&p, count_problem, &hits), 0);
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  for (int t = 0; t < p.periods; t++) {
    CHECK(step(s) == 0);
    CHECK_NEAR(FM(s, budget, 0), 500.0, 0);
    CHECK(FM(s, advertising_cost, 0) <= 500.0); /* retention money a basic firm cannot use buys advertising */
    CHECK(FM(s, advertising_cost, 0) > 0);
  }
  sim_free(s);
  p.firms[0].budget_mode = RELSIM_BUDGET_PER_CUSTOMER;
  CHECK_INT_EQ(params_check(&p, count_problem, &hits), 1);
  CHECK_INT_EQ(hits, 1);
}

/* Cohort metrics against a direct recomputation from each period's active
 * customers (no turnover, so the state after a step is the state the
 * metrics saw): retained = active now and W periods ago, acquired = active
 * now and not then, retention = retained / active W periods ago, costs
 * summed over the last W periods. */
static void test_cohort_metrics(void) {
  struct relsim_params p;
  base_params(&p, 4000, 30);
  p.mech.turnover = 0;
  p.recency = 4; /* customers lapse as well as switch */
  p.cohort_periods = 5;
  const int W = p.cohort_periods, T = p.periods;
  struct relsim_sim *s = make(&p, 2);
  if (!s) {
    CHECK(s != NULL);
    return;
  }
  const int64_t nk = s->w.n * s->w.k;
  uint8_t *act = calloc((size_t)(nk * T), 1);
  double active[30][2], acq[30][2], ret[30][2];
  double market_checked = 0;
  for (int t = 0; t < T && act; t++) {
    CHECK(step(s) == 0);
    for (int64_t x = 0; x < nk; x++) act[t * nk + x] = (uint8_t)relation_active(&s->w.r, x, t, p.recency);
    double pool[4] = {0, 0, 0, 0};
    for (int f = 0; f < 2; f++) {
      active[t][f] = FM(s, active_customers, f);
      acq[t][f] = FM(s, acquisition_cost, f);
      ret[t][f] = FM(s, retention_cost, f);
      if (t < W) {
        CHECK(isnan(FM(s, cohort_retained, f)) && isnan(FM(s, cohort_retention, f)));
        continue;
      }
      double kept = 0, won = 0, wa = 0, wr = 0;
      for (int64_t i = 0; i < s->w.n; i++) {
        int64_t x = i * s->w.k + f;
        if (!act[t * nk + x]) continue;
        if (act[(t - W) * nk + x]) kept++;
        else won++;
      }
      for (int j = t - W + 1; j <= t; j++) wa += acq[j][f], wr += ret[j][f];
      CHECK_NEAR(FM(s, cohort_retained, f), kept, 0);
      CHECK_NEAR(FM(s, cohort_acquired, f), won, 0);
      CHECK_NEAR(FM(s, cohort_retained, f) + FM(s, cohort_acquired, f), FM(s, active_customers, f), 0);
      CHECK_NEAR(FM(s, cohort_retention, f), kept / active[t - W][f], 1e-12);
      CHECK_NEAR(FM(s, cohort_acquisition_cost, f), wa, 1e-6 * (1 + wa));
      CHECK_NEAR(FM(s, cohort_retention_cost, f), wr, 1e-6 * (1 + wr));
      if (wr > 0 && kept > 0 && won > 0)
        CHECK_NEAR(FM(s, cohort_cost_ratio, f), (wa / won) / (wr / kept), 1e-9 * (wa / won) / (wr / kept));
      pool[0] += wa, pool[1] += wr, pool[2] += won, pool[3] += kept;
    }
    if (t >= W) {
      CHECK_NEAR(MM(s, market_cohort_cost_ratio), (pool[0] / pool[2]) / (pool[1] / pool[3]), 1e-9 * MM(s, market_cohort_cost_ratio));
      market_checked++;
    }
  }
  CHECK(act != NULL);
  CHECK(market_checked == T - W);
  /* lapses and switches happen, so the check can tell retained from acquired */
  CHECK(FM(s, cohort_acquired, 0) > 0 && FM(s, cohort_retention, 1) < 1.0);
  free(act);
  sim_free(s);
}

/* Negative word of mouth: with wom.block_satisfied = 0 no hearer whose own
 * last experience with the firm was satisfied or better blocks it; with 1,
 * such hearers do block (so the first half can fail). Many injected
 * negative stories a period make blocks common. */
static int blocked_satisfied(double block_satisfied) {
  struct relsim_params p;
  base_params(&p, 5000, 20);
  p.block_satisfied = block_satisfied;
  p.block_prob = 1.0;
  p.inject_per_period = 50;
  p.inject_firm = 1;
  p.inject_valence = 0;
  p.inject_first = 5;
  p.inject_last = 19;
  struct relsim_sim *s = make(&p, 2);
  if (!s) return -1;
  int found = 0;
  for (int t = 0; t < p.periods; t++) {
    if (step(s) != 0) break;
    for (int64_t i = 0; i < s->w.n; i++)
      for (int f = 0; f < s->w.k; f++) {
        int64_t x = i * s->w.k + f;
        /* blocked this period (blocks are set in the hearing phase, after purchases) */
        if (s->w.r.blocked_until[x] == t + 1 + p.block_periods && s->w.r.last_sat[x] >= p.band_satisfied) found++;
      }
  }
  sim_free(s);
  return found;
}

static void test_block_satisfied(void) {
  CHECK_INT_EQ(blocked_satisfied(0.0), 0);
  CHECK(blocked_satisfied(1.0) > 0);
}

/* Aware customers of each of k firms after one period of advertising
 * alone: absolute budgets buying `count` impressions of effect 0.05 each. */
static int64_t aware_after_ads(int64_t n, int k, double count, double ad_cost) {
  struct relsim_params p;
  base_params(&p, n, 1);
  p.mech.word_of_mouth = p.mech.search = p.mech.turnover = 0;
  p.n_firms = k;
  for (int f = 0; f < k; f++) {
    struct relsim_firm_params *fp = &p.firms[f];
    params_firm_defaults(fp, RELSIM_STRATEGY_TRANSACTIONAL, p.n_attrs);
    params_firm_default_name(fp->name, sizeof fp->name, f);
    fp->budget_mode = RELSIM_BUDGET_ABSOLUTE;
    fp->acquisition_budget = count * ad_cost;
    fp->retention_budget = 0.0;
    fp->ad_cost = ad_cost;
    fp->ad_effect = 0.05;
    fp->new_customer_discount = 0.0;
  }
  struct relsim_sim *s = make(&p, 2);
  int64_t aware = 0;
  if (s && step(s) == 0) {
    for (int f = 0; f < k; f++) {
      CHECK_NEAR(FM(s, impressions, f), count, count * 1e-15);
      aware += (int64_t)FM(s, aware_customers, f);
    }
  } else
    CHECK(!"advertising run failed");
  sim_free(s);
  return aware;
}

/* Advertising: impressions drawn one by one up to 16 per customer, the
 * successful ones directly beyond. Both give a customer the chance
 * 1 - (1 - ad_effect / n)^count of becoming aware (just below and just above
 * the switch: 32 firms x 2000 customers, P = 0.5507, sd of the sum 126;
 * a gap between successes one impression too long or short moves it by
 * 9 sd). A budget of 10^300 impressions ends within the period, everyone
 * aware (it looped forever past 2^53 impressions). */
static void test_advertising_bound(void) {
  const int64_t n = 2000;
  const int k = 32;
  double per_impression = 1.0 - pow(1.0 - 0.05 / (double)n, 32000.0);
  double want = (double)k * (double)n * per_impression, sd = sqrt(want * (1.0 - per_impression));
  CHECK_NEAR(aware_after_ads(n, k, 32000.0, 1.0), want, 5 * sd); /* one by one: 16 per customer */
  CHECK_NEAR(aware_after_ads(n, k, 32001.0, 1.0), want, 5 * sd); /* the successes directly */
  alarm(60);                                                      /* a hang fails the test */
  CHECK_INT_EQ(aware_after_ads(n, 2, 1e300, 1e-300), 2 * n);
  alarm(0);
}

/* A story explosion (every customer tells everyone on the mixed network:
 * 70 000 x 69 999 messages, above the 2^32 - 1 a period holds) stops the
 * period as a scenario problem that says so and names the keys to lower,
 * before anything is allocated for it (it was reported as out of memory). */
static void test_story_explosion(void) {
  struct relsim_params p;
  base_params(&p, 70000, 2);
  p.network_kind = RELSIM_NET_MIXED;
  p.tell_all = 1;
  p.inject_per_period = 70000;
  struct relsim_sim *s = make(&p, 2);
  CHECK(s != NULL);
  if (!s) return;
  char err[1024] = "";
  CHECK_INT_EQ(sim_step(s, err, sizeof err), RELSIM_ERR_SCENARIO);
  CHECK_STR_CONTAINS(err, "word of mouth in period 0: ");
  CHECK_STR_CONTAINS(err, "more than the 4294967294 one period can hold (a story explosion); lower wom.tell_all "
                          "(true: a story reaches every contact), wom.relay (0.05: hearers tell again), "
                          "inject.per_period (70000) or the contacts (network.kind mixed: 69999 each)");
  sim_free(s);
}

int main(void) {
  test_no_awareness_channels();
  test_no_wom();
  test_single_firm();
  test_no_failures();
  test_lock_in_switch();
  test_records_sum_to_aggregates();
  test_accounting();
  test_thread_determinism();
  test_turnover();
  test_customer_flows();
  test_tiers_off();
  test_lock_length();
  test_absolute_budget();
  test_cohort_metrics();
  test_block_satisfied();
  test_advertising_bound();
  test_story_explosion();
  return check_report("test_sim");
}
