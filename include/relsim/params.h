/*
 * relsim parameters: every number of the market model (MODEL.md §2-§13).
 *
 * A struct relsim_params is built once (defaults, then the scenario file,
 * then --set overrides) and is read-only from sim_init on. Every field is a
 * scenario key; the key table in src/params_keys.c names it, gives its unit,
 * range and documentation, and is the single source of docs/scenario-keys.md.
 *
 * Money is in the scenario's currency unit; utilities are in the units of the
 * choice model (§7); shares and probabilities are in [0, 1]; times are
 * periods (one week by default).
 */
#ifndef RELSIM_PARAMS_H
#define RELSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define RELSIM_MAX_FIRMS 64
#define RELSIM_MAX_ATTRS 8
#define RELSIM_HIST_BINS 1024 /* log-spaced bins of a histogram of values (tally.h: tiers, managers) */
#define RELSIM_COHORT_RING 64 /* periods of history kept for the cohort metrics (cohort_periods < this) */
#define RELSIM_NAME_MAX 128
#define RELSIM_PATH_MAX 1024

/* Relationship levels (§5), ordered: each level includes the lower ones. */
enum relsim_level {
  RELSIM_LEVEL_BASIC = 0,
  RELSIM_LEVEL_REACTIVE,
  RELSIM_LEVEL_ACCOUNTABLE,
  RELSIM_LEVEL_PROACTIVE,
  RELSIM_LEVEL_PARTNERSHIP,
  RELSIM_LEVEL_COUNT
};

/* Relationship stages of a customer-firm pair, in climbing order (docs/model.md
 * "Relationship stages"): Bacon's ladder buyer -> supplier -> partner and the
 * path stranger -> acquaintance -> personal trust -> organisational trust. */
enum relsim_stage {
  RELSIM_STAGE_STRANGER = 0, /* aware at most: never bought */
  RELSIM_STAGE_BUYER,        /* has bought (普通买主) */
  RELSIM_STAGE_REGULAR,      /* repeat buyer whose promises were kept (熟悉, supplier): financial bond */
  RELSIM_STAGE_PERSONAL,     /* personal trust through a relationship manager (对个人的信任): social bond */
  RELSIM_STAGE_PARTNER,      /* organisational trust, structural ties (对组织的信任, partner): structural bond */
  RELSIM_STAGE_COUNT
};

/* How a firm ranks its customers for a relationship manager. */
enum relsim_targeting {
  RELSIM_TARGET_VALUE = 0,   /* trailing revenue from the customer */
  RELSIM_TARGET_POTENTIAL,   /* the customer's category spend a year ahead, by its trend (rising stars first) */
  RELSIM_TARGET_COUNT
};

/* How a firm chooses its levels and budget split (src/policy.h). */
enum relsim_policy { RELSIM_POLICY_FIXED = 0, RELSIM_POLICY_KOTLER, RELSIM_POLICY_ADAPTIVE, RELSIM_POLICY_COUNT };

/* Value tiers (§4): A = top 20% by trailing revenue, B = next 30%, C = rest. */
enum relsim_tier { RELSIM_TIER_A = 0, RELSIM_TIER_B, RELSIM_TIER_C, RELSIM_TIER_COUNT };

enum relsim_strategy {
  RELSIM_STRATEGY_TRANSACTIONAL = 0,
  RELSIM_STRATEGY_RELATIONSHIP,
  RELSIM_STRATEGY_DISCOUNTER,
  RELSIM_STRATEGY_LOCK_IN,
  RELSIM_STRATEGY_COUNT
};

enum relsim_network_kind {
  RELSIM_NET_RANDOM = 0,
  RELSIM_NET_SMALL_WORLD,
  RELSIM_NET_SCALE_FREE,
  RELSIM_NET_MIXED,
  RELSIM_NET_FILE,
  RELSIM_NET_COUNT
};

/* Satisfaction bands (§8), best first (thresholds: satisfaction.band_*). */
enum relsim_band { RELSIM_BAND_COMPLETE = 0, RELSIM_BAND_SATISFIED, RELSIM_BAND_NEUTRAL, RELSIM_BAND_DISSATISFIED,
                   RELSIM_BAND_COUNT };

/* A customer's spend trend (§3). */
enum relsim_trend { RELSIM_TREND_STABLE = 0, RELSIM_TREND_RISING, RELSIM_TREND_FADING };

enum relsim_spend_dist { RELSIM_SPEND_PARETO = 0, RELSIM_SPEND_LOGNORMAL, RELSIM_SPEND_COUNT };

/* How a firm's marketing budget is set each period. */
enum relsim_budget_mode {
  RELSIM_BUDGET_PER_CUSTOMER = 0, /* budget * N, split by acquisition_share */
  RELSIM_BUDGET_ABSOLUTE,         /* acquisition_budget and retention_budget, money per period */
  RELSIM_BUDGET_REVENUE_SHARE,    /* budget_share * last period's revenue, split by acquisition_share */
  RELSIM_BUDGET_COUNT
};

/* Whom a firm's new-customer discount is offered to. */
enum relsim_discount_target {
  RELSIM_DISCOUNT_ALL = 0,     /* every customer who has never bought from the firm */
  RELSIM_DISCOUNT_RIVALS,      /* only customers whose last purchase was from a rival */
  RELSIM_DISCOUNT_TARGET_COUNT
};

/* Names used in scenario files and output, indexed by the enums above. */
extern const char *const relsim_level_names[RELSIM_LEVEL_COUNT + 1];
extern const char *const relsim_tier_names[RELSIM_TIER_COUNT + 1];
extern const char *const relsim_strategy_names[RELSIM_STRATEGY_COUNT + 1];
extern const char *const relsim_network_names[RELSIM_NET_COUNT + 1];
extern const char *const relsim_spend_names[RELSIM_SPEND_COUNT + 1];
extern const char *const relsim_budget_mode_names[RELSIM_BUDGET_COUNT + 1];
extern const char *const relsim_discount_target_names[RELSIM_DISCOUNT_TARGET_COUNT + 1];
extern const char *const relsim_valence_names[3]; /* negative, positive */
extern const char *const relsim_stage_names[RELSIM_STAGE_COUNT + 1];
extern const char *const relsim_targeting_names[RELSIM_TARGET_COUNT + 1];
extern const char *const relsim_policy_names[RELSIM_POLICY_COUNT + 1];

/* One firm (§4). Scenario keys: firms.<i>.<field>. */
struct relsim_firm_params {
  char name[RELSIM_NAME_MAX];        /* UTF-8 display name */
  int strategy;                      /* enum relsim_strategy: the preset loaded first */

  double price;                      /* price index: a customer pays spend * price */
  double unit_cost;                  /* cost of goods as a share of list revenue */
  double quality[RELSIM_MAX_ATTRS];  /* mean perceived performance per attribute, [0,1] */
  double quality_noise;              /* sd of perceived performance */
  double failure_rate;               /* probability of a service failure per purchase */
  double overpromise;                /* promise = quality + overpromise (unless promise is set) */
  double promise[RELSIM_MAX_ATTRS];  /* advertised performance per attribute */
  int promise_set;                   /* 1 if promise was given explicitly (else derived) */

  int budget_mode;                   /* enum relsim_budget_mode */
  double budget;                     /* marketing budget, money per period per market customer
                                        (per_customer mode; first period in revenue_share mode) */
  double acquisition_budget;         /* absolute mode: money per period for acquisition */
  double retention_budget;           /* absolute mode: money per period for retention */
  double budget_share;               /* revenue_share mode: budget = share of last period's revenue */
  double acquisition_share;          /* share of the budget for acquisition; rest is retention */
  double ad_cost;                    /* money per advertising impression */
  double ad_effect;                  /* probability an impression makes an unaware customer aware */
  double initial_awareness;          /* share of customers aware of the firm at period 0 */

  double new_customer_discount;      /* price cut on a customer's first purchase */
  int discount_target;               /* enum relsim_discount_target */
  double loyalty_discount;           /* price cut for customers at the regular stage and above (financial bond) */

  int level[RELSIM_TIER_COUNT];      /* enum relsim_level per value tier: the deepest relationship offered */
  int contact_interval;              /* periods between a relationship manager's contacts with a customer */
  double cross_sell;                 /* personal stage and above: spend with the firm * (1 + cross_sell) */
  double joint_value;                /* partner stage: further spend * (1 + joint_value) */
  double staff_salary;               /* money per relationship manager per period */
  double staff_contacts;             /* contacts one relationship manager makes per period */
  double prospect_share;             /* share of the managers' contacts spent on prospects (visits) */
  int targeting;                     /* enum relsim_targeting: whom the managers serve first */
  int policy;                        /* enum relsim_policy: how levels and the budget split are chosen */
  double policy_share;               /* kotler: share of a tier's margin per customer spent on its level */
  int policy_window;                 /* adaptive: periods between changes of acquisition_share */
  double policy_step;                /* adaptive: change of acquisition_share per window */

  int recovery;                      /* 1: detected failures are recovered */
  double recovery_rate;              /* probability a detected failure is recovered */
  double recovery_cost;              /* money per recovery */
  double recovery_quality;           /* mean performance of the recovery encounter, [0,1] */

  int learning;                      /* 1: quality moves toward heard desires (§10) */
  double learning_rate;              /* rate per 1% of market customers heard in a period */
  double rnd_cost;                   /* money per unit of quality change per market customer */

  int lock_in;                       /* 1: contract / points lock (forced relationship, §6) */
  int lock_in_periods;               /* length of the lock from a purchase */
  double lock_in_cost;               /* switching cost while locked, utility */
  double lock_in_renewal;            /* probability a customer signs again at a purchase after its contract ended */
};

/* Mechanism switches: each can be turned off to show what it does. */
struct relsim_mechanisms {
  int turnover;        /* customers exit and are replaced (§3) */
  int trend;           /* spend trends rising/stable/fading (§3) */
  int advertising;     /* acquisition budget buys impressions (§4) */
  int search;          /* customers aware of no firm search (§7) */
  int inertia;         /* the [f = last] inertia term of §7 */
  int failures;        /* service failures (§8) */
  int recovery;        /* service recovery (§8); off overrides every firm */
  int learning;        /* firm learning (§10); off overrides every firm */
  int tiers;           /* value tiers; off: every customer is served at tier A's level */
  int promotions;      /* first-purchase discounts (acquisition promotions, §4) */
  int financial_bonds; /* loyalty discounts (§6) */
  int social_bonds;    /* relationship managers' contacts with customers (§5, §6) */
  int prospecting;     /* relationship managers' visits to prospects */
  int cost_to_serve;   /* the cost of serving a customer falls with its tenure */
  int structural_bonds;/* partnership switching cost and joint value (§6) */
  int lock_in;         /* lock-in contracts (§6); off overrides every firm */
  int word_of_mouth;   /* word of mouth (§9) */
  int relay;           /* relay of stories beyond the first hop (§9) */
  int blocking;        /* negative word of mouth blocks a firm (§9) */
};

struct relsim_params {
  /* run */
  char name[RELSIM_NAME_MAX];        /* scenario name */
  uint64_t seed;                     /* run.seed */
  int periods;                       /* run.periods: horizon in periods */
  int snapshot_every;                /* run.snapshot_every: customer snapshot period, 0 = none */

  /* market (§2, §3) */
  int64_t customers;                 /* market.customers: N */
  int n_attrs;                       /* number of product attributes */
  char attr_names[RELSIM_MAX_ATTRS][32]; /* market.attributes */
  double exit_rate;                  /* market.exit_rate: per period */
  int recency;                       /* market.recency: periods a customer stays active */
  int cohort_periods;                /* market.cohort_periods: window of the cohort metrics */
  double search;                     /* market.search: probability an unaware customer finds a firm */
  double discount_rate;              /* market.discount_rate: per period, for CLV */
  double tier_share_a;               /* market.tier_share_a: top share in tier A (0.2) */
  double tier_share_b;               /* market.tier_share_b: next share in tier B (0.3) */
  double tenure_saving;              /* market.tenure_saving: share of the cost of goods saved on a customer of a year's tenure */

  /* customers (§3) */
  int spend_dist;                    /* customers.spend: enum relsim_spend_dist */
  double spend_xmin;                 /* customers.spend_xmin: Pareto scale, money */
  double spend_alpha;                /* customers.spend_alpha: Pareto shape */
  double spend_truncate;             /* customers.spend_truncate: truncation as a multiple of xmin */
  double spend_median;               /* customers.spend_median: lognormal median, money */
  double spend_sigma;                /* customers.spend_sigma: lognormal sd of log */
  double trend_rising;               /* customers.trend_rising: share rising */
  double trend_fading;               /* customers.trend_fading: share fading */
  double trend_growth;               /* customers.trend_growth: g per period of a rising customer */
  double trend_sd;                   /* customers.trend_sd: s */
  double need_mean;                  /* customers.need_mean: Beta mean */
  double need_concentration;         /* customers.need_concentration: Beta a + b */
  double high_involvement;           /* customers.high_involvement: share of high-involvement */
  double desire_mean[RELSIM_MAX_ATTRS]; /* customers.desire_mean: per attribute */
  double desire_sd;                  /* customers.desire_sd */
  double price_sensitivity_median;   /* customers.price_sensitivity_median: beta median */
  double price_sensitivity_sigma;    /* customers.price_sensitivity_sigma: sd of log beta */
  double talk_sigma;                 /* customers.talk_sigma: sd of log talk (median 1) */

  /* choice (§7) */
  double w_expectation;              /* choice.w_expectation */
  double w_trust;                    /* choice.w_trust */
  double w_commitment;               /* choice.w_commitment */
  double commitment_factor_high;     /* choice.commitment_factor_high: w_commitment multiplier, high involvement */
  double inertia_low;                /* choice.inertia_low */
  double inertia_high;               /* choice.inertia_high */
  double promotion_inertia_factor;   /* choice.promotion_inertia_factor: low-involvement inertia multiplier under a rival's discount */
  double commitment_price;           /* choice.commitment_price: beta * (1 - this * kappa): commitment lowers price sensitivity */
  double choice_scale;               /* choice.scale: logit mu */

  /* satisfaction (§8) */
  double k_desires;                  /* satisfaction.k_desires */
  double k_expectations;             /* satisfaction.k_expectations */
  double w_attribute;                /* satisfaction.w_attribute */
  double w_information;              /* satisfaction.w_information */
  double adaptation;                 /* satisfaction.adaptation: lambda */
  double failure_severity;           /* satisfaction.failure_severity */
  double double_deviation;           /* satisfaction.double_deviation: raise of the recovery expectation after an earlier failure */
  double band_complete;              /* satisfaction.band_complete: S >= this: completely satisfied */
  double band_satisfied;             /* satisfaction.band_satisfied */
  double band_neutral;               /* satisfaction.band_neutral: below: dissatisfied */

  /* trust and commitment (§8) */
  double trust_start;                /* trust.start */
  double trust_gain;                 /* trust.gain: promise kept */
  double trust_loss;                 /* trust.loss: promise broken */
  double promise_tolerance;          /* trust.promise_tolerance */
  double trust_contact;              /* trust.contact: social-bond gain per contact */
  double commitment_rate;            /* commitment.rate */
  double commitment_pivot;           /* commitment.pivot: satisfaction with no commitment change */
  double commitment_decay;           /* commitment.decay: per idle period */
  double commitment_social;          /* commitment.social: gain per proactive contact */
  double commitment_structural;      /* commitment.structural: gain per purchase at partnership */
  double committed_threshold;        /* commitment.committed: kappa at or above which a customer is committed */

  /* relationship levels (§5) */
  double level_cost[RELSIM_LEVEL_COUNT];      /* levels.cost: money per customer per period */
  double complaint_prob[RELSIM_LEVEL_COUNT];  /* levels.complaint: probability a dissatisfied customer complains */

  /* bonds (§6) */
  double structural_bond;            /* bonds.structural: switching cost at the partner stage, utility */
  double structural_cost;            /* bonds.structural_cost: money per partner-stage customer per period */

  /* relationship stages (docs/model.md) */
  int stage_regular_purchases;       /* stages.regular_purchases: purchases to become regular */
  double stage_regular_trust;        /* stages.regular_trust: trust to become regular */
  int stage_personal_contacts;       /* stages.personal_contacts: manager contacts to reach personal trust */
  double stage_personal_commitment;  /* stages.personal_commitment */
  double stage_partner_commitment;   /* stages.partner_commitment */
  int stage_partner_tenure;          /* stages.partner_tenure: periods since the first purchase */
  int stage_neglect;                 /* stages.neglect: periods without purchase or contact that cost a stage */

  /* word of mouth (§9) */
  double wom_positive;               /* wom.positive: probability (x talk) a completely satisfied customer talks */
  double wom_negative;               /* wom.negative: probability (x talk) a dissatisfied customer talks */
  double tell_positive;              /* wom.tell_positive: Poisson mean of contacts told */
  double tell_negative;              /* wom.tell_negative */
  int tell_all;                      /* wom.tell_all: a teller tells every contact (Girard's worst case) */
  double wom_weight;                 /* wom.weight: expectation shift toward the story */
  double advocacy;                   /* wom.advocacy: positive telling * (1 - a + 2 a kappa): committed customers refer more */
  int block_periods;                 /* wom.block_periods */
  double block_prob;                 /* wom.block_prob */
  double block_satisfied;            /* wom.block_satisfied: block_prob multiplier for a hearer satisfied by its own last experience */
  double relay;                      /* wom.relay: probability a hearer retells the story */
  int max_hops;                      /* wom.max_hops */

  /* injected stories: a lesson's "what if n customers a week complain" */
  int inject_per_period;             /* inject.per_period: random customers telling a story each period */
  int inject_firm;                   /* inject.firm: 0-based index of the firm the stories are about */
  int inject_valence;                /* inject.valence: 0 negative, 1 positive */
  int inject_first;                  /* inject.first_period */
  int inject_last;                   /* inject.last_period (inclusive) */
  double inject_performance;         /* inject.performance: perceived performance the stories carry */

  /* network (§9) */
  int network_kind;                  /* network.kind */
  int contacts;                      /* network.contacts: contacts per customer */
  double rewire;                     /* network.rewire: small-world rewiring probability */
  char network_file[RELSIM_PATH_MAX];/* network.file: edge list (kind file) */

  struct relsim_mechanisms mech;     /* mechanisms.* */

  int n_firms;
  struct relsim_firm_params firms[RELSIM_MAX_FIRMS];
};

/* Fill p with the defaults of MODEL.md (no firms). */
void params_defaults(struct relsim_params *p);

/* Fill f with the generic firm defaults, then apply strategy preset s. */
void params_firm_defaults(struct relsim_firm_params *f, int strategy, int n_attrs);

/* The name of firm index (0-based) when its entry gives none: "Firm 1", "Firm 2", ... */
void params_firm_default_name(char *name, size_t size, int index);

/* Customers one of firm f's relationship managers serves: its contacts with
 * customers a period (staff_contacts less the prospect share), each
 * customer once every contact_interval periods. */
double params_customers_per_manager(const struct relsim_firm_params *f);

/* Derive dependent values (promise from quality + overpromise when not set). */
void params_finalize(struct relsim_params *p);

/* The promise a firm derives from a quality when its promise is not set:
 * quality + overpromise, clipped to [0, 1] (§4). */
double params_promise_of(const struct relsim_firm_params *f, double quality);

/* Cross-key checks (contradictions). Calls report once per problem with the
 * key path (e.g. "network.contacts" or "firms.1.budget") and a message that
 * says what is wrong and what is allowed. Returns the number of problems. */
typedef void (*params_report_fn)(void *ctx, const char *key, const char *message);
int params_check(const struct relsim_params *p, params_report_fn report, void *ctx);

/* Index of name in a NULL-terminated names table, or -1. */
int params_lookup_name(const char *const *names, const char *name);

#endif
