/*
 * The state of the world (MODEL.md §3, §4): customers, customer-firm
 * relations and firms, as structure-of-arrays.
 *
 * The customer and relation columns are listed once, in the two tables
 * below; the tables drive the struct fields, allocation and release, the
 * reset of a slot when a newcomer is born, the memory report and the
 * customer snapshot (/customers in the output file). A new customer
 * attribute is one row here plus its draw in turnover.c (and a scenario key
 * if it has parameters).
 *
 * Row: X(field, ctype, shape, reset, init, snapshot, units, description, flags)
 *   shape     CUSTOMER (one per customer), CUSTOMER_ATTR (per customer and
 *             product attribute), CUSTOMER_FIRM (per customer and firm,
 *             index [customer * firms + firm]) or CUSTOMER_FIRM_ATTR
 *             (index [(customer * firms + firm) * attrs + attr])
 *   reset     1: set to init when a newcomer takes the slot (init may use
 *             the parameters p); 0: kept (generation) or drawn at birth
 *   snapshot  the dataset name in /customers, or 0 if not snapshotted
 *   flags     coded values of a snapshotted column as "VALUE MEANING" pairs
 *             (the CF flag_values and flag_meanings in /customers), else 0
 */
#ifndef RELSIM_WORLD_H
#define RELSIM_WORLD_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "relsim/field.h"
#include "relsim/params.h"

/* Customer attributes (§3) and per-period scratch. */
#define RELSIM_CUSTOMER_FIELDS(X)                                                                               \
  X(spend, double, CUSTOMER, 0, 0, "spend", "money", "money spent per purchase occasion", 0)                    \
  X(trend, uint8_t, CUSTOMER, 0, 0, "trend", "1", "spend trend: 0 stable, 1 rising, 2 fading",                  \
    "0 stable 1 rising 2 fading")                                                                               \
  X(need, float, CUSTOMER, 0, 0, "need", "1", "probability of a purchase occasion in a period", 0)              \
  X(involvement, uint8_t, CUSTOMER, 0, 0, "involvement", "1", "involvement: 1 high, 0 low", "0 low 1 high")     \
  X(beta, float, CUSTOMER, 0, 0, "price_sensitivity", "1", "price sensitivity beta of the choice model", 0)     \
  X(talk, float, CUSTOMER, 0, 0, "talk", "1", "word-of-mouth propensity multiplier (median 1)", 0)              \
  X(last_firm, int32_t, CUSTOMER, 1, -1, "last_firm", "1", "firm index of the last purchase, -1 none", "-1 none") \
  X(desire, float, CUSTOMER_ATTR, 0, 0, "desire", "1", "desired performance per product attribute", 0)          \
  X(generation, uint32_t, CUSTOMER, 0, 0, 0, "1", "times this slot was refilled by a newcomer", 0)              \
  X(bought, int16_t, CUSTOMER, 1, -1, 0, "1", "scratch: firm bought from this period, -1 none", 0)              \
  X(prev_last_firm, int16_t, CUSTOMER, 1, -1, 0, "1", "scratch: last_firm at the start of the period", 0)       \
  X(prev_last, int32_t, CUSTOMER, 1, -1, 0, "period",                                                           \
    "scratch: last purchase period (before this period) of the firm bought from", 0)                            \
  X(paid_list, float, CUSTOMER, 1, 0, 0, "money", "scratch: list revenue of this period's purchase", 0)         \
  X(heard_chain, uint64_t, CUSTOMER, 1, 0, 0, "1", "the last story chain this customer told or heard (relays once per chain)", 0)

/* Customer-firm relations (§3 "per customer, per firm"). */
#define RELSIM_RELATION_FIELDS(X)                                                                               \
  X(aware, uint8_t, CUSTOMER_FIRM, 1, 0, "aware", "1", "1 if the customer is aware of the firm", 0)             \
  X(tier, uint8_t, CUSTOMER_FIRM, 1, RELSIM_TIER_C, 0, "1", "value tier at the start of the period", 0)         \
  X(blocked_until, int32_t, CUSTOMER_FIRM, 1, 0, 0, "period", "refuses to deal with the firm while period < this", 0) \
  X(expect, float, CUSTOMER_FIRM_ATTR, 1, 0, 0, "1", "expected performance per attribute", 0)                   \
  X(trust, float, CUSTOMER_FIRM, 1, p->trust_start, "trust", "1", "trust in the firm", 0)                       \
  X(commit, float, CUSTOMER_FIRM, 1, 0, "commitment", "1", "commitment to the firm", 0)                         \
  X(first_purchase, int32_t, CUSTOMER_FIRM, 1, -1, 0, "period", "period of the first purchase, -1 never", 0)    \
  X(last_purchase, int32_t, CUSTOMER_FIRM, 1, -1, 0, "period", "period of the last purchase, -1 never", 0)      \
  X(last_contact, int32_t, CUSTOMER_FIRM, 1, -1, 0, "period", "period of the last proactive contact, -1 never", 0) \
  X(purchases, uint32_t, CUSTOMER_FIRM, 1, 0, "purchases", "purchases", "purchases from the firm so far", 0)    \
  X(lock_left, int32_t, CUSTOMER_FIRM, 1, 0, 0, "periods", "lock-in periods left", 0)                           \
  X(departed, uint8_t, CUSTOMER_FIRM, 1, 0, 0, "1", "1 after switching away, until the next purchase from the firm", 0) \
  X(value, float, CUSTOMER_FIRM, 1, 0, 0, "money", "trailing revenue (exponentially weighted, window = recency)", 0) \
  X(cum_spend, double, CUSTOMER_FIRM, 1, 0, "cum_spend", "money", "money paid to the firm so far", 0)           \
  X(last_sat, float, CUSTOMER_FIRM, 1, NAN, "satisfaction", "1", "last satisfaction with the firm, NaN if never bought", 0) \
  X(active_hist, uint64_t, CUSTOMER_FIRM, 1, 0, 0, "1", "bit j: active at the end of period t - j (cohort metrics)", 0) \
  X(stage, uint8_t, CUSTOMER_FIRM, 1, RELSIM_STAGE_STRANGER, "stage", "1", "relationship stage",                  \
    "0 stranger 1 buyer 2 regular 3 personal 4 partner")                                                        \
  X(contacts_got, int16_t, CUSTOMER_FIRM, 1, 0, "contacts_received", "contacts",                               \
    "relationship manager's contacts received from the firm (at most 32767)", 0)                                \
  X(failures, uint8_t, CUSTOMER_FIRM, 1, 0, 0, "purchases", "service failures experienced with the firm (at most 255)", 0)

#define RELSIM_WORLD_FIELD(field, ctype, shape, reset, init, snapshot, units, doc, flags) ctype *field;
struct relsim_customers { RELSIM_CUSTOMER_FIELDS(RELSIM_WORLD_FIELD) };
struct relsim_relations { RELSIM_RELATION_FIELDS(RELSIM_WORLD_FIELD) };
#undef RELSIM_WORLD_FIELD

/* Firm state that changes during a run (§4, §5, §10). */
struct relsim_firm_state {
  double quality[RELSIM_MAX_ATTRS]; /* current quality (learning moves it) */
  double failure_rate;              /* current probability of a service failure (learning lowers it) */
  double promise[RELSIM_MAX_ATTRS]; /* current promise */
  double promise_mean;              /* mean over attributes */
  double budget, acq_budget, ret_budget; /* money this period */
  int level[RELSIM_TIER_COUNT];     /* effective level per tier after budget fallback */
  int offers_managers;              /* some tier is offered proactive or above: the firm hires managers */
  int offers_partnership;           /* some tier is offered partnership */
  double staff;                     /* relationship managers this period */
  double staff_cost, service_cost, programme_cost; /* money this period, budgeted at its start */
  double tier_service_cost[RELSIM_TIER_COUNT];   /* service_cost by tier */
  double ad_budget;                 /* money for advertising this period (what the other lines leave) */
  double prospect_visits;           /* managers' visits to prospects this period */
  double manage_threshold;          /* priority at or above which an active customer has a manager */
  double managed_capacity;          /* customers the managers can serve: staff * contacts * (1 - prospects) * interval */
  double last_partners;             /* partner-stage active customers at the end of last period */
  uint32_t priority_hist[RELSIM_HIST_BINS]; /* last period's active customers by priority bin (tally.h) */
  double tier_margin[RELSIM_TIER_COUNT]; /* last period's gross margin per active customer by tier (NaN: none) */
  double acq_share;                 /* the share of the budget for acquisition this period (policy.h) */
  double window_profit, last_window_profit; /* adaptive policy: profit of this and the last window */
  int policy_direction;             /* adaptive policy: +1 more acquisition, -1 more retention */
  double outlook[3];                /* spend a year ahead per trend (stable, rising, fading), for potential targeting */
  double threshold[2];              /* trailing-revenue thresholds of tiers A and B, money */
  int64_t tier_count[RELSIM_TIER_COUNT]; /* active customers per tier at the period start */
  double last_revenue;              /* money */
  double cumulative_profit;         /* money */
  double pending_lost;              /* active customers who left the market last period */
  double pending_lost_tier[RELSIM_TIER_COUNT];
  /* the last RELSIM_COHORT_RING periods, slot t % RELSIM_COHORT_RING (cohort metrics) */
  double ring_active[RELSIM_COHORT_RING], ring_acq[RELSIM_COHORT_RING], ring_ret[RELSIM_COHORT_RING];
  /* scheduled entry and exit (events.h) */
  int absent;                       /* 1: out of the market (not entered yet, or left): no budget, not chosen */
  int entered;                      /* the period it last entered (0: in the market from the start) */
};

struct relsim_world {
  int64_t n;   /* customers */
  int k;       /* firms */
  int a;       /* product attributes */
  struct relsim_customers c;
  struct relsim_relations r;
  struct relsim_firm_state firm[RELSIM_MAX_FIRMS];
  size_t bytes; /* bytes of the customer and relation columns */
};

/* Allocate the columns of n customers, k firms and a attributes (zeroed).
 * Returns 0, or -1 (out of memory; nothing left allocated). */
int world_alloc(struct relsim_world *w, int64_t n, int k, int a);
void world_free(struct relsim_world *w);

/* Bytes the columns of n customers, k firms and a attributes need. */
size_t world_bytes_needed(int64_t n, int k, int a);

/* Reset customer slot i for a newcomer: every column with reset = 1 takes
 * its init value (the drawn attributes are set by turnover_birth). */
void world_reset_customer(struct relsim_world *w, const struct relsim_params *p, int64_t i);

/* The customer snapshot: the columns with a snapshot name, in table order,
 * pointing into w's arrays (w NULL: descriptions only, data NULL). cols
 * holds RELSIM_WORLD_SNAPSHOT_MAX entries; returns how many were filled. */
#define RELSIM_WORLD_SNAPSHOT_MAX 32
int world_snapshot_columns(const struct relsim_world *w, struct relsim_column *cols);

/* Every column of the state (checkpoints): named "c.<field>" or
 * "r.<field>", data pointing at the world's arrays. Returns the count. */
#define RELSIM_WORLD_COLUMNS_MAX 64
int world_state_columns(const struct relsim_world *w, struct relsim_column *cols);

/* Elements of a column of the given shape in w. */
size_t world_column_length(const struct relsim_world *w, enum relsim_shape shape);

/* Firm f's state at the start of a run (quality and promise from p). */
void world_init_firm(struct relsim_world *w, const struct relsim_params *p, int f);

#endif
