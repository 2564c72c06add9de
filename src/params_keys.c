/*
 * The scenario key tables: one row per parameter of struct relsim_params and
 * struct relsim_firm_params (MODEL.md §2-§10). Each row gives the key path,
 * type, field, allowed range, unit and a one-line description; the loader
 * (scenario.c), the resolved-YAML writer and `relsim help keys`
 * (docs/scenario-keys.md) all come from these rows.
 *
 * Not keys: n_attrs (the length of market.attributes), n_firms and firms
 * (the `firms:` list) and promise_set (set when `promise` is given).
 */
#include <math.h>
#include <stddef.h>
#include "relsim/scenario.h"

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)

/* A global key: path, type, field, [lo, hi] with open flags, choices, unit, doc. */
#define GKEY(path, type, field, lo, hi, lo_open, hi_open, choices, unit, doc)                          \
  {path, type, offsetof(struct relsim_params, field), FIELD_SIZE(struct relsim_params, field), lo, hi, \
   lo_open, hi_open, choices, unit, doc}
#define FKEY(path, type, field, lo, hi, lo_open, hi_open, choices, unit, doc)                                    \
  {path, type, offsetof(struct relsim_firm_params, field), FIELD_SIZE(struct relsim_firm_params, field), lo, hi, \
   lo_open, hi_open, choices, unit, doc}

#define INF INFINITY
#define INT32_TOP 2147483647.0
#define UINT64_TOP 18446744073709551615.0

/* Shorthands for the common shapes. */
#define G_REAL(path, field, lo, hi, unit, doc) GKEY(path, RELSIM_KEY_REAL, field, lo, hi, 0, 0, NULL, unit, doc)
#define G_POS(path, field, unit, doc) GKEY(path, RELSIM_KEY_REAL, field, 0, INF, 1, 0, NULL, unit, doc)
#define G_NONNEG(path, field, unit, doc) G_REAL(path, field, 0, INF, unit, doc)
#define G_PROB(path, field, unit, doc) G_REAL(path, field, 0, 1, unit, doc)
#define G_INT(path, field, lo, hi, unit, doc) GKEY(path, RELSIM_KEY_INT, field, lo, hi, 0, 0, NULL, unit, doc)
#define G_BOOL(path, field, doc) GKEY(path, RELSIM_KEY_BOOL, field, 0, 1, 0, 0, NULL, "switch", doc)
#define G_ENUM(path, field, names, doc) GKEY(path, RELSIM_KEY_ENUM, field, 0, 0, 0, 0, names, "name", doc)
#define MECH(name, doc) G_BOOL("mechanisms." #name, mech.name, doc)

#define F_REAL(path, field, lo, hi, unit, doc) FKEY(path, RELSIM_KEY_REAL, field, lo, hi, 0, 0, NULL, unit, doc)
#define F_POS(path, field, unit, doc) FKEY(path, RELSIM_KEY_REAL, field, 0, INF, 1, 0, NULL, unit, doc)
#define F_NONNEG(path, field, unit, doc) F_REAL(path, field, 0, INF, unit, doc)
#define F_PROB(path, field, unit, doc) F_REAL(path, field, 0, 1, unit, doc)
#define F_INT(path, field, lo, hi, unit, doc) FKEY(path, RELSIM_KEY_INT, field, lo, hi, 0, 0, NULL, unit, doc)
#define F_BOOL(path, field, doc) FKEY(path, RELSIM_KEY_BOOL, field, 0, 1, 0, 0, NULL, "switch", doc)
#define F_ENUM(path, field, names, doc) FKEY(path, RELSIM_KEY_ENUM, field, 0, 0, 0, 0, names, "name", doc)

const struct relsim_key relsim_global_keys[] = {
  /* For text keys, min and max are the allowed length in bytes. */
  GKEY("name", RELSIM_KEY_STRING, name, 1, RELSIM_NAME_MAX - 1, 0, 0, NULL, "text",
       "scenario name, recorded in the output"),

  /* run (§2) */
  GKEY("run.seed", RELSIM_KEY_UINT64, seed, 0, UINT64_TOP, 0, 0, NULL, "1",
       "seed of the random streams: the same seed gives the same results on any thread count"),
  G_INT("run.periods", periods, 1, 100000, "periods", "horizon: number of periods simulated (one period = one week)"),
  G_INT("run.snapshot_every", snapshot_every, 0, 100000, "periods",
        "write a snapshot of every customer every this many periods; 0 = never"),

  /* market (§3, §4, §13) */
  GKEY("market.customers", RELSIM_KEY_INT64, customers, 1, INT32_TOP, 0, 0, NULL, "customers",
       "number of customers N (constant: a leaving customer is replaced at once)"),
  GKEY("market.attributes", RELSIM_KEY_ATTR_NAMES, attr_names, 1, RELSIM_MAX_ATTRS, 0, 0, NULL, "names",
       "product attributes; per-attribute keys take one value per name, in this order"),
  G_PROB("market.exit_rate", exit_rate, "probability/period",
         "probability that a customer leaves the market in a period (moving, promotion, retirement)"),
  G_INT("market.recency", recency, 1, 100000, "periods",
        "a customer is an active customer of a firm if it bought from it within this many periods"),
  G_INT("market.cohort_periods", cohort_periods, 1, RELSIM_COHORT_RING - 1, "periods",
        "window of the cohort metrics: a customer is retained if active now and this many periods ago (52: a year)"),
  G_PROB("market.search", search, "probability",
         "probability that a customer aware of no usable firm finds one at a purchase occasion (§7)"),
  G_PROB("market.discount_rate", discount_rate, "1/period",
         "discount rate d per period for customer lifetime value (§13)"),
  G_PROB("market.tier_share_a", tier_share_a, "share",
         "share of a firm's customers, by trailing revenue, in value tier A (the superstars)"),
  G_PROB("market.tier_share_b", tier_share_b, "share", "share in value tier B (the next ones); the rest are tier C"),
  G_PROB("market.tenure_saving", tenure_saving, "share",
         "share of the cost of goods a firm saves on a customer of a year's tenure (linear up to a year; cost to serve)"),

  /* customers (§3) */
  G_ENUM("customers.spend", spend_dist, relsim_spend_names, "distribution of spend per purchase occasion"),
  G_POS("customers.spend_xmin", spend_xmin, "money", "Pareto scale: the smallest spend per occasion"),
  G_POS("customers.spend_alpha", spend_alpha, "1",
        "Pareto shape alpha; with the truncation at 1000 xmin, 0.91 gives the top 20% of customers 80% of spend"),
  GKEY("customers.spend_truncate", RELSIM_KEY_REAL, spend_truncate, 1, INF, 1, 0, NULL, "1",
       "Pareto truncation, as a multiple of spend_xmin"),
  G_POS("customers.spend_median", spend_median, "money", "lognormal spend: median spend per occasion"),
  G_NONNEG("customers.spend_sigma", spend_sigma, "1", "lognormal spend: sd of log spend"),
  G_PROB("customers.trend_rising", trend_rising, "share", "share of customers whose spend rises (rising stars)"),
  G_PROB("customers.trend_fading", trend_fading, "share", "share of customers whose spend fades (fading stars)"),
  G_REAL("customers.trend_growth", trend_growth, -1, 1, "1/period",
         "growth g of log spend per period of a rising customer (a fading one: -g)"),
  G_NONNEG("customers.trend_sd", trend_sd, "1/period", "sd s of the per-period shock to log spend"),
  G_PROB("customers.need_mean", need_mean, "probability/period",
         "mean probability of a purchase occasion in a period (Beta across customers)"),
  G_POS("customers.need_concentration", need_concentration, "1",
        "concentration a + b of the Beta distribution of need"),
  G_PROB("customers.high_involvement", high_involvement, "share",
         "share of high-involvement customers (repeat buying is loyalty, not inertia)"),
  GKEY("customers.desire_mean", RELSIM_KEY_ATTR_REALS, desire_mean, 0, 1, 0, 0, NULL, "1",
       "mean desire D_a per attribute (normal across customers, clipped to [0, 1])"),
  G_NONNEG("customers.desire_sd", desire_sd, "1", "sd of desires across customers"),
  G_NONNEG("customers.price_sensitivity_median", price_sensitivity_median, "utility",
           "median price sensitivity beta (lognormal across customers)"),
  G_NONNEG("customers.price_sensitivity_sigma", price_sensitivity_sigma, "1", "sd of log price sensitivity"),
  G_NONNEG("customers.talk_sigma", talk_sigma, "1", "sd of log talk propensity (lognormal, median 1)"),

  /* choice (§7) */
  G_NONNEG("choice.w_expectation", w_expectation, "utility", "weight w_E of the mean expectation in utility"),
  G_NONNEG("choice.w_trust", w_trust, "utility", "weight w_tau of trust in utility"),
  G_NONNEG("choice.w_commitment", w_commitment, "utility", "weight w_kappa of commitment in utility"),
  G_NONNEG("choice.commitment_factor_high", commitment_factor_high, "1",
           "multiplier of w_commitment for high-involvement customers"),
  G_NONNEG("choice.inertia_low", inertia_low, "utility",
           "inertia iota toward the last firm, low-involvement customers"),
  G_NONNEG("choice.inertia_high", inertia_high, "utility",
           "inertia iota toward the last firm, high-involvement customers"),
  G_NONNEG("choice.promotion_inertia_factor", promotion_inertia_factor, "1",
           "multiplier of a low-involvement customer's inertia in a period a rival offers it a discount"),
  G_PROB("choice.commitment_price", commitment_price, "1",
         "commitment lowers price sensitivity: beta times (1 - this * commitment)"),
  G_POS("choice.scale", choice_scale, "1/utility", "logit scale mu: the choice noise has scale 1/mu"),

  /* satisfaction (§8) */
  G_NONNEG("satisfaction.k_desires", k_desires, "1", "slope k_D of attribute satisfaction in desires congruency"),
  G_NONNEG("satisfaction.k_expectations", k_expectations, "1",
           "slope k_E of information satisfaction in expectations congruency"),
  G_PROB("satisfaction.w_attribute", w_attribute, "1", "weight w_AS of attribute satisfaction in overall satisfaction"),
  G_PROB("satisfaction.w_information", w_information, "1",
         "weight w_IS of information satisfaction in overall satisfaction"),
  G_PROB("satisfaction.adaptation", adaptation, "1",
         "lambda: expectations move this share toward the latest performance"),
  G_PROB("satisfaction.failure_severity", failure_severity, "1",
         "drop of the service attribute's performance at a service failure"),
  G_PROB("satisfaction.double_deviation", double_deviation, "1",
         "how much more a customer expects of a recovery after an earlier failure with the same firm"),
  G_PROB("satisfaction.band_complete", band_complete, "1",
         "satisfaction at or above which a customer is completely satisfied"),
  G_PROB("satisfaction.band_satisfied", band_satisfied, "1", "satisfaction at or above which a customer is satisfied"),
  G_PROB("satisfaction.band_neutral", band_neutral, "1",
         "satisfaction at or above which a customer is neutral; below it: dissatisfied"),

  /* trust (§8) */
  G_PROB("trust.start", trust_start, "1", "trust of a customer in a firm it has just heard of"),
  G_PROB("trust.gain", trust_gain, "1", "promise kept: trust moves this share of the way to 1"),
  G_PROB("trust.loss", trust_loss, "1", "promise broken: trust loses this share of itself"),
  G_PROB("trust.promise_tolerance", promise_tolerance, "1",
         "a promise is kept if mean performance >= promise - tolerance"),
  G_PROB("trust.contact", trust_contact, "1", "social bond: trust moves this share of the way to 1 at each contact"),

  /* commitment (§8) */
  G_NONNEG("commitment.rate", commitment_rate, "1", "commitment change per unit of satisfaction above the pivot"),
  G_PROB("commitment.pivot", commitment_pivot, "1", "satisfaction at which commitment does not change"),
  G_PROB("commitment.decay", commitment_decay, "1/period",
         "share of commitment lost in a period with no purchase and no contact"),
  G_PROB("commitment.social", commitment_social, "1", "commitment gained at each relationship manager's contact (social bond)"),
  G_PROB("commitment.structural", commitment_structural, "1",
         "commitment gained at each purchase at the partner stage (structural bond)"),
  G_PROB("commitment.committed", committed_threshold, "1",
         "commitment at or above which a customer counts as committed"),

  /* levels (§5) */
  GKEY("levels.cost", RELSIM_KEY_LEVEL_REALS, level_cost, 0, INF, 0, 0, NULL, "money/period/customer",
       "service programme cost of one active customer for one period at each level (complaint handling, "
       "follow-up), charged to the retention budget; managers and the structural programme are paid apart"),
  GKEY("levels.complaint", RELSIM_KEY_LEVEL_REALS, complaint_prob, 0, 1, 0, 0, NULL, "probability",
       "probability that a dissatisfied customer complains, at each level"),

  /* bonds (§6) */
  G_NONNEG("bonds.structural", structural_bond, "utility",
           "switching cost of a partner-stage customer (structural bond)"),
  G_NONNEG("bonds.structural_cost", structural_cost, "money/period/customer",
           "cost of the structural programme (shared systems, training) per partner-stage customer per period"),

  /* relationship stages */
  G_INT("stages.regular_purchases", stage_regular_purchases, 1, 1000000, "purchases",
        "purchases from the firm before a buyer can become a regular"),
  G_PROB("stages.regular_trust", stage_regular_trust, "1", "trust a buyer needs to become a regular"),
  G_INT("stages.personal_contacts", stage_personal_contacts, 0, 32767, "contacts",
        "relationship manager's contacts a regular needs to reach personal trust"),
  G_PROB("stages.personal_commitment", stage_personal_commitment, "1",
         "commitment a regular needs to reach personal trust"),
  G_PROB("stages.partner_commitment", stage_partner_commitment, "1",
         "commitment a personal-trust customer needs to become a partner (where partnership is offered)"),
  G_INT("stages.partner_tenure", stage_partner_tenure, 0, 100000, "periods",
        "periods since the first purchase before a customer can become a partner"),
  G_INT("stages.neglect", stage_neglect, 1, 100000, "periods",
        "periods without a purchase or a contact after which a relationship falls one stage (and again each such span)"),

  /* wom (§9) */
  G_PROB("wom.positive", wom_positive, "probability",
         "probability (times talk) that a completely satisfied customer tells others"),
  G_PROB("wom.negative", wom_negative, "probability",
         "probability (times talk) that a dissatisfied customer tells others"),
  /* A story reaches at most its teller's contacts, and no customer has more
   * than INT32_TOP: a larger mean tells nobody more, and keeps the Poisson
   * draw exact and quick (GSL's draw loops forever from about 4.9e9 on). */
  G_REAL("wom.tell_positive", tell_positive, 0, INT32_TOP, "customers",
         "mean (Poisson) number of contacts a satisfied teller tells (at most all of them)"),
  G_REAL("wom.tell_negative", tell_negative, 0, INT32_TOP, "customers",
         "mean (Poisson) number of contacts a dissatisfied teller tells (at most all of them)"),
  G_BOOL("wom.tell_all", tell_all, "a teller tells every contact (Girard's worst case) instead of a Poisson number"),
  G_PROB("wom.weight", wom_weight, "share", "a hearer's expectation moves this share toward the teller's experience"),
  G_PROB("wom.advocacy", advocacy, "1",
         "how much commitment drives praise: positive telling times (1 - a + 2 a commitment); 0: commitment plays no part"),
  G_INT("wom.block_periods", block_periods, 0, 100000, "periods",
        "periods a customer refuses a firm after negative word of mouth"),
  G_PROB("wom.block_prob", block_prob, "probability", "probability that negative word of mouth blocks the firm"),
  G_PROB("wom.block_satisfied", block_satisfied, "1",
         "multiplier of block_prob for a hearer whose own last experience with the firm was satisfied or completely "
         "satisfied (0: first-hand experience outweighs hearsay; 1: every hearer alike)"),
  G_PROB("wom.relay", relay, "probability", "probability that a hearer retells the story to its own contacts"),
  G_INT("wom.max_hops", max_hops, 1, 1000, "hops", "a story travels at most this many hops, one per period"),

  /* injected stories (§9, §12 Girard's arithmetic) */
  G_INT("inject.per_period", inject_per_period, 0, INT32_TOP, "customers",
        "customers, drawn at random each period, who tell a story about inject.firm (0 = none; at most "
        "market.customers)"),
  G_INT("inject.firm", inject_firm, 0, RELSIM_MAX_FIRMS - 1, "index", "0-based index of the firm the injected stories are about"),
  G_ENUM("inject.valence", inject_valence, relsim_valence_names, "negative or positive injected stories"),
  G_INT("inject.first_period", inject_first, 0, 100000, "period", "first period with injected stories"),
  G_INT("inject.last_period", inject_last, 0, 100000, "period", "last period with injected stories (inclusive)"),
  G_PROB("inject.performance", inject_performance, "1", "perceived performance carried by an injected story"),

  /* network (§9) */
  G_ENUM("network.kind", network_kind, relsim_network_names,
         "contact network: random, small_world, scale_free, mixed (mean field) or file (edge list)"),
  G_INT("network.contacts", contacts, 1, INT32_TOP, "customers", "contacts per customer (Girard's 250)"),
  G_PROB("network.rewire", rewire, "probability", "small_world: rewiring probability of each ring link"),
  GKEY("network.file", RELSIM_KEY_STRING, network_file, 0, RELSIM_PATH_MAX - 1, 0, 0, NULL, "path",
       "kind file: the edge list, one pair of 0-based customer indices per line"),

  /* mechanisms: each can be switched off to show what it does */
  MECH(turnover, "customers exit and are replaced by newcomers (§3)"),
  MECH(trend, "spend trends: rising, stable, fading (§3)"),
  MECH(advertising, "the acquisition budget buys advertising impressions (§4)"),
  MECH(search, "customers aware of no firm search (§7)"),
  MECH(inertia, "the inertia term toward the last firm in utility (§7)"),
  MECH(failures, "service failures (§8)"),
  MECH(recovery, "service recovery (§8); off overrides every firm"),
  MECH(learning, "firm learning from feedback (§10); off overrides every firm"),
  MECH(tiers, "value tiers; off: every customer is served at tier A's level"),
  MECH(promotions, "first-purchase discounts: the acquisition promotion (§4)"),
  MECH(financial_bonds, "loyalty discounts for regular customers: the financial bond (§6)"),
  MECH(social_bonds, "the effects of relationship managers' contacts with customers: trust, commitment, salience, "
                     "complaints heard, the personal stage (§5, §6); off: the managers are still paid"),
  MECH(prospecting, "relationship managers' visits to prospects: awareness, trust and salience; off: the visits "
                    "are still paid but reach nobody"),
  MECH(cost_to_serve, "the cost of goods of a customer falls with its tenure (market.tenure_saving)"),
  MECH(structural_bonds, "the partner stage's switching cost, commitment gain and joint value (§6); off: the "
                         "programme is still paid"),
  MECH(lock_in, "lock-in contracts (§6); off overrides every firm"),
  MECH(word_of_mouth, "word of mouth (§9)"),
  MECH(relay, "relay of stories beyond the first hop (§9)"),
  MECH(blocking, "negative word of mouth blocks a firm (§9)"),
};
const size_t relsim_n_global_keys = sizeof relsim_global_keys / sizeof relsim_global_keys[0];

const struct relsim_key relsim_firm_keys[] = {
  FKEY("name", RELSIM_KEY_STRING, name, 1, RELSIM_NAME_MAX - 1, 0, 0, NULL, "text",
       "display name, any UTF-8 text, unique among the firms (default: Firm <position from 1>)"),
  F_ENUM("strategy", strategy, relsim_strategy_names, "preset loaded before the firm's other keys (§4)"),

  F_POS("price", price, "1", "price index: a customer pays spend x price"),
  FKEY("unit_cost", RELSIM_KEY_REAL, unit_cost, 0, 1, 0, 1, NULL, "share",
       "cost of goods as a share of list revenue (below 1, or every sale loses money)"),
  FKEY("quality", RELSIM_KEY_ATTR_REALS, quality, 0, 1, 0, 0, NULL, "1",
       "mean perceived performance q_a per attribute"),
  F_NONNEG("quality_noise", quality_noise, "1", "sd of perceived performance around quality"),
  F_PROB("failure_rate", failure_rate, "probability", "probability of a service failure per purchase"),
  F_REAL("overpromise", overpromise, -1, 1, "1",
         "promise = quality + overpromise, clipped to [0, 1] (used unless promise is given)"),
  FKEY("promise", RELSIM_KEY_ATTR_REALS, promise, 0, 1, 0, 0, NULL, "1",
       "advertised performance per attribute, from which new customers form expectations"),

  F_ENUM("budget_mode", budget_mode, relsim_budget_mode_names,
         "per_customer: budget x customers per period; absolute: acquisition_budget and retention_budget; "
         "revenue_share: budget_share of last period's revenue"),
  F_NONNEG("budget", budget, "money/period/customer",
           "marketing budget per market customer (per_customer mode; first period in revenue_share mode)"),
  F_NONNEG("acquisition_budget", acquisition_budget, "money/period", "absolute mode: acquisition budget per period"),
  F_NONNEG("retention_budget", retention_budget, "money/period", "absolute mode: retention budget per period"),
  F_PROB("budget_share", budget_share, "share", "revenue_share mode: budget as a share of last period's revenue"),
  F_PROB("acquisition_share", acquisition_share, "share",
         "share of the budget spent on acquisition; the rest on retention"),
  F_POS("ad_cost", ad_cost, "money", "cost of one advertising impression"),
  F_PROB("ad_effect", ad_effect, "probability", "probability that an impression makes an unaware customer aware"),
  F_PROB("initial_awareness", initial_awareness, "share", "share of customers aware of the firm at the start"),

  F_PROB("new_customer_discount", new_customer_discount, "share", "price cut on a customer's first purchase"),
  F_ENUM("discount_target", discount_target, relsim_discount_target_names,
         "who gets the new-customer discount: all newcomers to the firm, or rivals' customers only"),
  F_PROB("loyalty_discount", loyalty_discount, "share",
         "price cut for customers at the regular stage and above (financial bond)"),

  FKEY("level", RELSIM_KEY_TIER_LEVELS, level, 0, 0, 0, 0, relsim_level_names, "name",
       "deepest relationship level offered per value tier: one level for all, or a list for tiers A, B, C (§5)"),
  F_INT("contact_interval", contact_interval, 1, 100000, "periods",
        "periods between a relationship manager's contacts with one customer"),
  F_NONNEG("cross_sell", cross_sell, "share", "personal stage and above: spend with the firm rises by this share"),
  F_NONNEG("joint_value", joint_value, "share", "partner stage: spend with the firm rises by a further share"),
  F_NONNEG("staff_salary", staff_salary, "money/period", "cost of one relationship manager per period"),
  F_NONNEG("staff_contacts", staff_contacts, "contacts/period", "contacts one relationship manager makes per period"),
  F_PROB("prospect_share", prospect_share, "share",
         "share of the managers' contacts spent visiting prospects (the rest on existing customers)"),
  F_ENUM("policy", policy, relsim_policy_names,
         "how the firm chooses its levels and budget split: as given (fixed), by Kotler's rule from each tier's margin "
         "(kotler), or by moving acquisition_share toward higher profit (adaptive)"),
  F_PROB("policy_share", policy_share, "share",
         "kotler: the share of a tier's gross margin per customer the firm spends on its relationship level"),
  F_INT("policy_window", policy_window, 1, 100000, "periods", "adaptive: periods between changes of the budget split"),
  F_PROB("policy_step", policy_step, "share", "adaptive: change of acquisition_share per window"),
  F_ENUM("targeting", targeting, relsim_targeting_names,
         "whom the relationship managers serve first: by trailing revenue (value) or by spend a year ahead (potential)"),

  F_BOOL("recovery", recovery, "detected service failures are recovered (§8)"),
  F_PROB("recovery_rate", recovery_rate, "probability", "probability that a detected failure is recovered"),
  F_NONNEG("recovery_cost", recovery_cost, "money", "cost of one recovery"),
  F_PROB("recovery_quality", recovery_quality, "1",
         "mean performance of a recovery encounter, judged against the customer's expectation of service"),

  F_BOOL("learning", learning, "quality moves toward the desires heard in feedback (§10)"),
  F_NONNEG("learning_rate", learning_rate, "1", "learning rate per 1% of market customers heard in a period"),
  F_NONNEG("rnd_cost", rnd_cost, "money/customer", "cost per unit of quality change per market customer"),

  F_BOOL("lock_in", lock_in, "a contract or points lock signed at the first purchase (forced relationship, §6)"),
  F_INT("lock_in_periods", lock_in_periods, 1, 100000, "periods", "term of a contract"),
  F_NONNEG("lock_in_cost", lock_in_cost, "utility", "switching cost while the contract runs"),
  F_PROB("lock_in_renewal", lock_in_renewal, "probability",
         "probability that a customer whose contract ended signs again at its next purchase"),
};
const size_t relsim_n_firm_keys = sizeof relsim_firm_keys / sizeof relsim_firm_keys[0];
