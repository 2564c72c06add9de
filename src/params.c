/*
 * Model parameters: the defaults of MODEL.md, the strategy presets of §4 and
 * the cross-key checks. Every default below is the value given in MODEL.md;
 * values MODEL.md leaves open are marked "(chosen)" and documented in
 * docs/model.md.
 */
#include "relsim/params.h"
#include "relsim/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const relsim_level_names[RELSIM_LEVEL_COUNT + 1] = {"basic", "reactive", "accountable",
                                                                "proactive", "partnership", NULL};
const char *const relsim_tier_names[RELSIM_TIER_COUNT + 1] = {"A", "B", "C", NULL};
const char *const relsim_strategy_names[RELSIM_STRATEGY_COUNT + 1] = {"transactional", "relationship",
                                                                      "discounter", "lock_in", NULL};
const char *const relsim_network_names[RELSIM_NET_COUNT + 1] = {"random", "small_world", "scale_free",
                                                                "mixed", "file", NULL};
const char *const relsim_spend_names[RELSIM_SPEND_COUNT + 1] = {"pareto", "lognormal", NULL};
const char *const relsim_budget_mode_names[RELSIM_BUDGET_COUNT + 1] = {"per_customer", "absolute", "revenue_share",
                                                                      NULL};
const char *const relsim_discount_target_names[RELSIM_DISCOUNT_TARGET_COUNT + 1] = {"all", "rivals", NULL};
const char *const relsim_valence_names[3] = {"negative", "positive", NULL};
const char *const relsim_stage_names[RELSIM_STAGE_COUNT + 1] = {"stranger", "buyer", "regular", "personal",
                                                                "partner", NULL};
const char *const relsim_targeting_names[RELSIM_TARGET_COUNT + 1] = {"value", "potential", NULL};
const char *const relsim_policy_names[RELSIM_POLICY_COUNT + 1] = {"fixed", "kotler", "adaptive", NULL};

int params_lookup_name(const char *const *names, const char *name) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

void params_firm_default_name(char *name, size_t size, int index) { snprintf(name, size, "Firm %d", index + 1); }

void params_defaults(struct relsim_params *p) {
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "%s", "unnamed");
  p->seed = 1;
  p->periods = 260;
  p->snapshot_every = 0;

  p->customers = 100000;
  p->n_attrs = 2;
  snprintf(p->attr_names[0], sizeof p->attr_names[0], "%s", "product");
  snprintf(p->attr_names[1], sizeof p->attr_names[1], "%s", "service");
  p->exit_rate = 0.002;
  p->recency = 26;
  p->cohort_periods = 52; /* (chosen) a year */
  p->search = 0.1;
  p->discount_rate = 0.002; /* (chosen) about 10% a year */
  p->tier_share_a = 0.2;
  p->tier_share_b = 0.3;
  p->tenure_saving = 0.05; /* (chosen) */

  p->spend_dist = RELSIM_SPEND_PARETO;
  p->spend_xmin = 5.6; /* calibrated: keeps the mean spend of MODEL.md's law with alpha 0.91 */
  p->spend_alpha = 0.91; /* calibrated: 80/20 under the truncation at 1000 xmin (docs/model.md) */
  p->spend_truncate = 1000.0;
  p->spend_median = 20.0; /* (chosen) lognormal alternative */
  p->spend_sigma = 1.0;   /* (chosen) */
  p->trend_rising = 0.1;
  p->trend_fading = 0.1;
  p->trend_growth = 0.004;
  p->trend_sd = 0.01;
  p->need_mean = 0.2;
  p->need_concentration = 10.0;
  p->high_involvement = 0.4;
  for (int a = 0; a < RELSIM_MAX_ATTRS; a++) p->desire_mean[a] = 0.55; /* calibrated (docs/model.md) */
  p->desire_sd = 0.1;
  p->price_sensitivity_median = 1.0;
  p->price_sensitivity_sigma = 0.3;
  p->talk_sigma = 0.5; /* (chosen) lognormal median 1 */

  p->w_expectation = 3.0;
  p->w_trust = 1.0;
  p->w_commitment = 2.0;
  p->commitment_factor_high = 2.0;
  p->inertia_low = 1.0;
  p->inertia_high = 0.2;
  p->promotion_inertia_factor = 0.5;
  p->commitment_price = 0.5; /* (chosen) a fully committed customer is half as price sensitive */
  p->choice_scale = 8.0; /* calibrated */

  p->k_desires = 8.0;
  p->k_expectations = 8.0;
  p->w_attribute = 0.8;   /* calibrated */
  p->w_information = 0.2; /* calibrated */
  p->adaptation = 0.3;
  p->failure_severity = 0.4;
  p->double_deviation = 0.2; /* (chosen) */
  p->band_complete = 0.8;
  p->band_satisfied = 0.6;
  p->band_neutral = 0.4;

  p->trust_start = 0.5;
  p->trust_gain = 0.10;
  p->trust_loss = 0.25;
  p->promise_tolerance = 0.05;
  p->trust_contact = 0.02;
  p->commitment_rate = 0.3; /* calibrated */
  p->commitment_pivot = 0.6;
  p->commitment_decay = 0.01;
  p->commitment_social = 0.01;     /* (chosen) */
  p->commitment_structural = 0.01; /* (chosen) */
  p->committed_threshold = 0.5;    /* (chosen) */

  /* Service programme per customer served at the level: proactive and
   * partnership add relationship managers (staff) and the structural
   * programme (bonds.structural_cost) on top of accountable's follow-up. */
  static const double cost[RELSIM_LEVEL_COUNT] = {0.0, 0.05, 0.2, 0.2, 0.2};
  static const double complaint[RELSIM_LEVEL_COUNT] = {0.04, 0.5, 1.0, 1.0, 1.0};
  memcpy(p->level_cost, cost, sizeof cost);
  memcpy(p->complaint_prob, complaint, sizeof complaint);

  p->structural_bond = 0.5;
  p->structural_cost = 1.0; /* (chosen) v1's partnership cost above proactive */

  p->stage_regular_purchases = 3;   /* (chosen) v1's loyalty_from */
  p->stage_regular_trust = 0.6;     /* (chosen) two kept promises from the start of 0.5 */
  p->stage_personal_contacts = 3;   /* (chosen) */
  p->stage_personal_commitment = 0.3; /* (chosen) */
  p->stage_partner_commitment = 0.5;  /* (chosen) = commitment.committed */
  p->stage_partner_tenure = 26;     /* (chosen) half a year */
  p->stage_neglect = 13;            /* (chosen) a quarter */

  p->wom_positive = 0.4;
  p->wom_negative = 0.5;
  p->tell_positive = 4.0;
  p->tell_negative = 8.0;
  p->tell_all = 0;
  p->wom_weight = 0.3;
  p->advocacy = 0.5; /* (chosen) */
  p->block_periods = 26;
  p->block_prob = 0.3;
  p->block_satisfied = 0.0; /* first-hand experience outweighs hearsay (docs/model.md) */
  p->relay = 0.05;
  p->max_hops = 3;

  p->inject_per_period = 0;
  p->inject_firm = 0;
  p->inject_valence = 0;
  p->inject_first = 0;
  p->inject_last = 0;
  p->inject_performance = 0.3;

  p->network_kind = RELSIM_NET_RANDOM;
  p->contacts = 250;
  p->rewire = 0.1;
  p->network_file[0] = '\0';

  /* Every mechanism on. A new switch must be added here: the assertion
   * fails to compile until the count below matches the struct. */
  _Static_assert(sizeof(struct relsim_mechanisms) == 19 * sizeof(int),
                 "a mechanism was added or removed: update the initializer");
  struct relsim_mechanisms on = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  p->mech = on;
  p->n_firms = 0;
}

void params_firm_defaults(struct relsim_firm_params *f, int strategy, int n_attrs) {
  memset(f, 0, sizeof *f);
  (void)n_attrs;
  f->strategy = strategy;
  f->price = 1.0;
  f->unit_cost = 0.6;
  for (int a = 0; a < RELSIM_MAX_ATTRS; a++) f->quality[a] = 0.7;
  f->quality_noise = 0.1;
  f->failure_rate = 0.05;
  f->overpromise = 0.0;
  f->promise_set = 0;

  f->budget_mode = RELSIM_BUDGET_PER_CUSTOMER;
  f->acquisition_budget = 0.0;
  f->retention_budget = 0.0;
  f->budget = 0.5;         /* (chosen) money per period per market customer */
  f->budget_share = 0.05;  /* (chosen) */
  f->acquisition_share = 0.5;
  f->ad_cost = 4.0;        /* (chosen) */
  f->ad_effect = 0.2;      /* (chosen) */
  f->initial_awareness = 0.0;

  f->new_customer_discount = 0.0;
  f->discount_target = RELSIM_DISCOUNT_ALL;
  f->loyalty_discount = 0.0;

  for (int t = 0; t < RELSIM_TIER_COUNT; t++) f->level[t] = RELSIM_LEVEL_BASIC;
  f->contact_interval = 4;
  f->cross_sell = 0.05;
  f->joint_value = 0.05;   /* (chosen) */
  f->staff_salary = 100.0; /* MODEL.md §5's price of a contact (0.5 a period, one every 4) x 50 contacts */
  f->staff_contacts = 50.0; /* seed 001: 7 + 3 visits a day, five days */
  f->prospect_share = 0.3;  /* seed 001: 3 of the 10 to new prospects */
  f->targeting = RELSIM_TARGET_VALUE;
  f->policy = RELSIM_POLICY_FIXED;
  f->policy_share = 0.25; /* (chosen) */
  f->policy_window = 13;  /* (chosen) a quarter */
  f->policy_step = 0.1;   /* (chosen) */

  f->recovery = 0;
  f->recovery_rate = 0.9;
  f->recovery_cost = 2.0;
  f->recovery_quality = 0.8; /* (chosen) */

  f->learning = 0;
  f->learning_rate = 0.002;
  f->rnd_cost = 10.0;      /* (chosen) */

  f->lock_in = 0;
  f->lock_in_periods = 52;
  f->lock_in_cost = 1.0;   /* (chosen) */
  f->lock_in_renewal = 0.0; /* (chosen) a contract ends */

  switch (strategy) {
  case RELSIM_STRATEGY_RELATIONSHIP:
    f->level[RELSIM_TIER_A] = RELSIM_LEVEL_PARTNERSHIP;
    f->level[RELSIM_TIER_B] = RELSIM_LEVEL_PROACTIVE;
    f->level[RELSIM_TIER_C] = RELSIM_LEVEL_REACTIVE;
    f->acquisition_share = 0.3;
    f->new_customer_discount = 0.0;
    f->overpromise = 0.0;
    f->recovery = 1;
    f->learning = 1;
    f->loyalty_discount = 0.05;
    f->contact_interval = 4;
    f->targeting = RELSIM_TARGET_POTENTIAL;
    break;
  case RELSIM_STRATEGY_DISCOUNTER:
    f->price = 0.85;
    for (int a = 0; a < RELSIM_MAX_ATTRS; a++) f->quality[a] = 0.6;
    f->acquisition_share = 1.0;
    f->new_customer_discount = 0.10; /* (chosen) */
    f->discount_target = RELSIM_DISCOUNT_RIVALS;
    break;
  case RELSIM_STRATEGY_LOCK_IN:
  case RELSIM_STRATEGY_TRANSACTIONAL:
  default:
    f->acquisition_share = 0.8;
    f->new_customer_discount = 0.15;
    f->overpromise = 0.1;
    f->recovery = 0;
    f->learning = 0;
    f->loyalty_discount = 0.0;
    if (strategy == RELSIM_STRATEGY_LOCK_IN) {
      f->lock_in = 1;
      f->lock_in_periods = 52;
    }
    break;
  }
}

double params_customers_per_manager(const struct relsim_firm_params *f) {
  return f->staff_contacts * (1.0 - f->prospect_share) * f->contact_interval;
}

double params_promise_of(const struct relsim_firm_params *f, double quality) {
  return util_clip01(quality + f->overpromise);
}

void params_finalize(struct relsim_params *p) {
  for (int i = 0; i < p->n_firms; i++) {
    struct relsim_firm_params *f = &p->firms[i];
    if (!f->promise_set)
      for (int a = 0; a < RELSIM_MAX_ATTRS; a++) f->promise[a] = params_promise_of(f, f->quality[a]);
  }
}

static int check_fail(params_report_fn report, void *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int check_fail(params_report_fn report, void *ctx, const char *key, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  report(ctx, key, msg);
  return 1;
}

int params_check(const struct relsim_params *p, params_report_fn report, void *ctx) {
  int n = 0;
  char key[96];
  if (p->n_firms < 1 || p->n_firms > RELSIM_MAX_FIRMS)
    n += check_fail(report, ctx, "firms", "%d firms given; allowed: 1 to %d firms", p->n_firms,
                    RELSIM_MAX_FIRMS);
  if (p->network_kind != RELSIM_NET_MIXED && p->network_kind != RELSIM_NET_FILE &&
      (int64_t)p->contacts >= p->customers)
    n += check_fail(report, ctx, "network.contacts",
                    "%d contacts cannot fit in a market of %lld customers; allowed: fewer contacts than customers "
                    "(or network.kind: mixed)",
                    p->contacts, (long long)p->customers);
  if (p->network_kind == RELSIM_NET_SCALE_FREE && p->contacts < 2)
    n += check_fail(report, ctx, "network.contacts",
                    "%d contacts is too few for a scale_free network; allowed: at least 2 (m = contacts/2 links per newcomer)",
                    p->contacts);
  if (p->network_kind == RELSIM_NET_FILE && p->network_file[0] == '\0')
    n += check_fail(report, ctx, "network.file",
                    "network.kind is file but no edge-list file is given; allowed: a path to an edge list");
  if (p->inject_per_period > 0 && p->inject_firm >= p->n_firms)
    n += check_fail(report, ctx, "inject.firm", "firm %d does not exist; allowed: 0 to %d (0-based index)",
                    p->inject_firm, p->n_firms - 1);
  if (p->inject_per_period > 0 && p->inject_last < p->inject_first)
    n += check_fail(report, ctx, "inject.last_period", "last period %d is before the first period %d; allowed: "
                    "inject.last_period >= inject.first_period", p->inject_last, p->inject_first);
  if ((int64_t)p->inject_per_period > p->customers)
    n += check_fail(report, ctx, "inject.per_period", "%d tellers a period in a market of %lld customers; allowed: "
                    "at most the number of customers", p->inject_per_period, (long long)p->customers);
  if (p->tier_share_a + p->tier_share_b > 1.0)
    n += check_fail(report, ctx, "market.tier_share_b",
                    "tier shares A + B = %g exceed 1; allowed: tier_share_a + tier_share_b <= 1",
                    p->tier_share_a + p->tier_share_b);
  if (!(p->band_neutral <= p->band_satisfied && p->band_satisfied <= p->band_complete))
    n += check_fail(report, ctx, "satisfaction.band_satisfied",
                    "bands are not ordered (neutral %g, satisfied %g); allowed: band_neutral <= band_satisfied <= band_complete",
                    p->band_neutral, p->band_satisfied);
  if (p->trend_rising + p->trend_fading > 1.0)
    n += check_fail(report, ctx, "customers.trend_fading",
                    "rising + fading shares = %g exceed 1; allowed: trend_rising + trend_fading <= 1",
                    p->trend_rising + p->trend_fading);
  if (p->spend_dist == RELSIM_SPEND_PARETO && p->spend_truncate <= 1.0)
    n += check_fail(report, ctx, "customers.spend_truncate",
                    "truncation at %g x xmin leaves no range; allowed: a value above 1", p->spend_truncate);
  if (p->need_mean < 1.0 && p->need_mean > 0.0 && p->need_concentration <= 0.0)
    n += check_fail(report, ctx, "customers.need_concentration",
                    "concentration %g must be positive for a Beta need; allowed: > 0", p->need_concentration);
  for (int i = 0; i < p->n_firms; i++) {
    const struct relsim_firm_params *f = &p->firms[i];
    for (int j = 0; j < i; j++) /* the first firm of that name */
      if (strcmp(p->firms[j].name, f->name) == 0) {
        snprintf(key, sizeof key, "firms.%d.name", i);
        n += check_fail(report, ctx, key, "'%s' is already the name of firms.%d; allowed: a unique name per firm",
                        f->name, j);
        break;
      }
    if (f->budget_mode != RELSIM_BUDGET_ABSOLUTE && (f->acquisition_budget > 0 || f->retention_budget > 0)) {
      snprintf(key, sizeof key, f->acquisition_budget > 0 ? "firms.%d.acquisition_budget" : "firms.%d.retention_budget", i);
      n += check_fail(report, ctx, key,
                      "an absolute budget is given but budget_mode is %s; allowed: budget_mode: absolute with "
                      "acquisition_budget and retention_budget, or budget and acquisition_share",
                      relsim_budget_mode_names[f->budget_mode]);
    }
    if (f->acquisition_share > 0 && f->ad_cost <= 0) {
      snprintf(key, sizeof key, "firms.%d.ad_cost", i);
      n += check_fail(report, ctx, key, "ad_cost %g must be positive when part of the budget buys advertising; allowed: > 0",
                      f->ad_cost);
    }
  }
  return n;
}
