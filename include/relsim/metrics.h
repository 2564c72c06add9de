/*
 * relsim metrics (MODEL.md §13): the one table of output fields.
 *
 * Each X(name, units, long_name) row declares a metric once; the enum, the
 * HDF5 writer, `relsim help output` and docs/output-fields.md all come from
 * these tables. A new metric is one row here plus the line in
 * src/accounting.c that computes it (and, if its unit is new, the UDUNITS
 * mapping in src/output_layout.c).
 */
#ifndef RELSIM_METRICS_H
#define RELSIM_METRICS_H

#include <stddef.h>
#include "relsim/field.h"
#include "relsim/params.h"

/* Per firm and period: /firm/<name> [period, firm]. */
#define RELSIM_FIRM_METRICS(X)                                                                        \
  X(revenue, "money", "revenue at list price")                                                        \
  X(cogs, "money", "cost of goods sold")                                                              \
  X(acquisition_cost, "money", "advertising plus prospecting cost plus first-purchase discounts given") \
  X(retention_cost, "money", "relationship cost plus loyalty discounts given")                         \
  X(recovery_cost, "money", "cost of service recoveries")                                             \
  X(rnd_cost, "money", "cost of quality changes from learning")                                       \
  X(profit, "money", "revenue minus all costs in the period")                                        \
  X(cumulative_profit, "money", "profit summed from the first period")                                \
  X(active_customers, "customers", "customers who bought from the firm within the recency window")   \
  X(new_customers, "customers", "customers making their first purchase from the firm")                \
  X(won_back_customers, "customers", "customers not active at the start of the period who bought again") \
  X(retained_customers, "customers", "customers active at the start of the period and not lost")     \
  X(lost_customers, "customers", "customers lost: lapsed past recency, switched, or left the market") \
  X(retention_rate, "1", "retained customers / customers active at the start of the period")          \
  X(churn_rate, "1", "lost customers / customers active at the start of the period")                  \
  X(cost_per_acquisition, "money/customer", "acquisition cost per new customer")                     \
  X(cost_per_retention, "money/customer", "retention cost per retained customer")                    \
  X(acq_ret_cost_ratio, "1", "cost per acquisition / cost per retention")                             \
  X(revenue_share, "1", "share of market revenue")                                                    \
  X(customer_share, "1", "share of all firms' active customers")                                      \
  X(satisfaction_mean, "1", "mean satisfaction of the period's buyers")                               \
  X(share_completely_satisfied, "1", "share of buyers completely satisfied")                          \
  X(share_satisfied, "1", "share of buyers satisfied (not completely)")                               \
  X(share_neutral, "1", "share of buyers neutral")                                                    \
  X(share_dissatisfied, "1", "share of buyers dissatisfied")                                          \
  X(net_promoter, "1", "share of promoters (completely satisfied) minus detractors (neutral or dissatisfied)") \
  X(wom_positive_sent, "messages", "positive word-of-mouth messages about the firm sent (incl. relays)") \
  X(wom_negative_sent, "messages", "negative word-of-mouth messages about the firm sent (incl. relays)") \
  X(wom_heard, "messages", "word-of-mouth messages about the firm heard")                             \
  X(aware_customers, "customers", "customers aware of the firm")                                      \
  X(blocking_customers, "customers", "customers refusing to deal with the firm after negative word of mouth") \
  X(trust_mean, "1", "mean trust of active customers")                                                \
  X(commitment_mean, "1", "mean commitment of active customers")                                      \
  X(clv, "money", "customer lifetime value m*r/(1+d-r) with the period's margin and retention")       \
  X(customer_equity, "money", "clv times active customers")                                           \
  X(delivered_value, "utility", "mean customer delivered value of buyers: w_E * mean performance - beta * price") \
  X(purchases, "purchases", "purchases from the firm")                                                \
  X(advertising_cost, "money", "advertising spend (the acquisition budget less first-purchase discounts, plus what the retention lines left)") \
  X(relationship_cost, "money", "service programme plus structural programme plus the managers' salaries for contacts with customers") \
  X(new_customer_discounts, "money", "first-purchase discounts given")                                \
  X(loyalty_discounts, "money", "loyalty discounts given")                                            \
  X(budget, "money", "marketing budget of the period")                                               \
  X(impressions, "impressions", "advertising impressions bought")                                     \
  X(failures, "purchases", "service failures")                                                        \
  X(complaints, "purchases", "failures or dissatisfactions that reached the firm")                    \
  X(recoveries, "purchases", "failures recovered (recovery_cost is paid for these and for complaints_answered)") \
  X(contacts, "contacts", "relationship managers' contacts with customers")                          \
  X(locked_customers, "customers", "customers under a lock-in contract")                              \
  X(loyal_customers, "customers", "active high-involvement customers who are committed")              \
  X(inert_customers, "customers", "active low-involvement customers buying from habit")               \
  X(quality_mean, "1", "mean quality over attributes")                                                \
  X(repurchase_completely_satisfied, "1", "share of occasions bought again from the firm after a completely satisfied last experience with it") \
  X(repurchase_satisfied, "1", "share of occasions bought again from the firm after a satisfied last experience with it") \
  X(repurchase_neutral, "1", "share of occasions bought again from the firm after a neutral last experience with it") \
  X(repurchase_dissatisfied, "1", "share of occasions bought again from the firm after a dissatisfied last experience with it") \
  X(repeat_occasions_completely_satisfied, "occasions", "occasions of customers whose last purchase was from the firm and left them completely satisfied (denominator of repurchase_completely_satisfied)") \
  X(repeat_occasions_satisfied, "occasions", "occasions of customers whose last purchase was from the firm and left them satisfied") \
  X(repeat_occasions_neutral, "occasions", "occasions of customers whose last purchase was from the firm and left them neutral") \
  X(repeat_occasions_dissatisfied, "occasions", "occasions of customers whose last purchase was from the firm and left them dissatisfied") \
  X(defection_inert, "1", "under a rival's promotion: share of occasions on which a low-involvement customer whose last purchase was from the firm bought from a rival") \
  X(defection_loyal, "1", "under a rival's promotion: share of occasions on which a committed high-involvement customer whose last purchase was from the firm bought from a rival") \
  X(promotion_occasions_inert, "occasions", "occasions of low-involvement customers whose last purchase was from the firm, under a rival's promotion") \
  X(promotion_occasions_loyal, "occasions", "occasions of committed high-involvement customers whose last purchase was from the firm, under a rival's promotion") \
  X(defection_high, "1", "under a rival's promotion: share of occasions on which a high-involvement customer (committed or not) whose last purchase was from the firm bought from a rival") \
  X(promotion_occasions_high, "occasions", "occasions of high-involvement customers whose last purchase was from the firm, under a rival's promotion") \
  X(positive_tellers, "customers", "buyers who told a positive story first-hand (people talking, not messages)") \
  X(negative_tellers, "customers", "buyers who told a negative story first-hand (people talking, not messages)") \
  X(satisfaction_recovered, "1", "mean satisfaction of purchases whose failure was recovered")       \
  X(satisfaction_no_failure, "1", "mean satisfaction of purchases without a failure")                \
  X(satisfaction_recovered_again, "1", "mean satisfaction of recovered purchases by customers who had a failure with the firm before (double deviation)") \
  X(staff, "1", "relationship managers employed in the period")                                       \
  X(staff_cost, "money", "relationship managers' salaries (prospecting_cost is the share for prospect visits)") \
  X(prospecting_cost, "money", "the managers' salaries for visits to prospects (an acquisition cost)") \
  X(acquisition_share, "1", "share of the budget for acquisition this period (the policy's choice)") \
  X(failure_rate, "1", "probability of a service failure per purchase (learning from heard failures lowers it)") \
  X(same_customers, "customers", "customers in the market who have bought from the firm and from a rival (the same-customer comparison)") \
  X(satisfaction_same_customers, "1", "their last satisfaction with the firm: compare with rival_satisfaction_same_customers, not satisfaction_mean, whose buyers differ") \
  X(rival_satisfaction_same_customers, "1", "the same customers' last satisfaction with the rivals they bought from (mean over those rivals)") \
  X(complaints_answered, "purchases", "complaints of dissatisfaction (no failure) answered in a service encounter") \
  X(service_cost, "money", "service programme cost: levels.cost per active customer by its tier's level") \
  X(programme_cost, "money", "structural programme cost: bonds.structural_cost per partner-stage customer") \
  X(managed_customers, "customers", "active customers served by a relationship manager")             \
  X(prospect_visits, "contacts", "relationship managers' visits to prospects")                         \
  X(customers_buyer, "customers", "active customers at the buyer stage (end of period)")             \
  X(customers_regular, "customers", "active customers at the regular stage")                          \
  X(customers_personal, "customers", "active customers at the personal-trust stage")                  \
  X(customers_partner, "customers", "active customers at the partner stage")                          \
  X(satisfaction_buyer, "1", "mean satisfaction of buyers at the buyer stage (or first purchase) when they bought") \
  X(satisfaction_regular, "1", "mean satisfaction of buyers at the regular stage when they bought")    \
  X(satisfaction_personal, "1", "mean satisfaction of buyers at the personal-trust stage when they bought") \
  X(satisfaction_partner, "1", "mean satisfaction of buyers at the partner stage when they bought")  \
  X(cohort_retained, "customers", "active customers who were also active market.cohort_periods periods ago (NaN before then)") \
  X(cohort_acquired, "customers", "active customers who were not active market.cohort_periods periods ago (new or won back)") \
  X(cohort_retention, "1", "cohort_retained / active customers market.cohort_periods periods ago (annual retention at the default 52)") \
  X(cohort_acquisition_cost, "money", "acquisition cost summed over the last market.cohort_periods periods") \
  X(cohort_retention_cost, "money", "retention cost summed over the last market.cohort_periods periods") \
  X(cost_per_acquired, "money/customer", "cohort_acquisition_cost / cohort_acquired: cost per customer acquired in the window") \
  X(cost_per_retained, "money/customer", "cohort_retention_cost / cohort_retained: cost per customer kept through the window") \
  X(cohort_cost_ratio, "1", "cost_per_acquired / cost_per_retained (the 4-6 rule of thumb compares these)")

/* Per firm, value tier and period: /firm_tier/<name> [period, firm, tier]. */
#define RELSIM_TIER_METRICS(X)                                                                        \
  X(active_customers, "customers", "active customers in the tier (tier assigned at period start)")   \
  X(revenue, "money", "revenue from the tier")                                                        \
  X(retained_customers, "customers", "customers of the tier retained")                                \
  X(lost_customers, "customers", "customers of the tier lost")                                        \
  X(retention_rate, "1", "retention rate of the tier")                                                \
  X(level, "1", "relationship level offered (0 basic .. 4 partnership) after budget fallback")       \
  X(relationship_cost, "money", "service programme cost of the tier")                                 \
  X(satisfaction_mean, "1", "mean satisfaction of the tier's buyers (tier at the period start)")

/* Per period, whole market: /market/<name> [period]. A market metric that
 * shares its name with a firm metric carries the prefix market_, so that the
 * /firm and /market groups merge into one dataset (xarray.merge). */
#define RELSIM_MARKET_METRICS(X)                                                                      \
  X(occasions, "occasions", "purchase occasions")                                                     \
  X(market_purchases, "purchases", "purchases from any firm")                                         \
  X(no_purchase, "occasions", "occasions without a purchase (no firm known or all blocked)")         \
  X(searches, "customers", "customers who found a firm by search")                                    \
  X(aware_any, "customers", "customers aware of at least one firm")                                   \
  X(exits, "customers", "customers who left the market (replaced by newcomers)")                      \
  X(stories, "stories", "stories told (first tellings and relays)")                                   \
  X(wom_messages, "messages", "word-of-mouth messages sent")                                          \
  X(wom_positive, "messages", "positive messages sent")                                               \
  X(wom_negative, "messages", "negative messages sent")                                               \
  X(wom_relayed, "messages", "messages sent by relaying hearers")                                     \
  X(mean_spend, "money", "mean spend per purchase occasion over all customers")                      \
  X(market_cohort_cost_ratio, "1", "all firms pooled: cost per customer acquired / cost per customer retained over market.cohort_periods")

#define RELSIM_X_ENUM_FIRM(name, units, doc) RELSIM_FM_##name,
#define RELSIM_X_ENUM_TIER(name, units, doc) RELSIM_TM_##name,
#define RELSIM_X_ENUM_MARKET(name, units, doc) RELSIM_MM_##name,
enum relsim_firm_metric { RELSIM_FIRM_METRICS(RELSIM_X_ENUM_FIRM) RELSIM_FM_COUNT };
enum relsim_tier_metric { RELSIM_TIER_METRICS(RELSIM_X_ENUM_TIER) RELSIM_TM_COUNT };
enum relsim_market_metric { RELSIM_MARKET_METRICS(RELSIM_X_ENUM_MARKET) RELSIM_MM_COUNT };

extern const struct relsim_field relsim_firm_fields[RELSIM_FM_COUNT];
extern const struct relsim_field relsim_tier_fields[RELSIM_TM_COUNT];
extern const struct relsim_field relsim_market_fields[RELSIM_MM_COUNT];

/* One period's metrics. Arrays are [metric][firm] and [metric][firm][tier]. */
struct relsim_metrics {
  int period;
  int n_firms;
  double firm[RELSIM_FM_COUNT][RELSIM_MAX_FIRMS];
  double tier[RELSIM_TM_COUNT][RELSIM_MAX_FIRMS][RELSIM_TIER_COUNT];
  double market[RELSIM_MM_COUNT];
};

/* Per-firm summary over a whole run (the table printed by run and inspect). */
struct relsim_summary_row {
  double revenue;              /* total over the run */
  double profit;               /* total over the run */
  double cumulative_profit;    /* at the last period */
  double active_customers;     /* at the last period */
  double retention_rate;       /* retained / active-at-start over the last 52 periods (or all) */
  double cohort_retention;     /* customers kept through the last cohort window, at the last period */
  double cost_per_acquisition; /* cost per customer acquired over the last cohort window, at the last period */
  double cost_per_retention;   /* cost per customer retained through the last cohort window, at the last period */
  double acq_ret_cost_ratio;   /* their ratio */
  double cohort_window;        /* market.cohort_periods, found as the first period with cohort metrics; NaN if none */
  double satisfaction_mean;    /* purchase-weighted mean over the run */
  double wom_positive;         /* total positive messages sent */
  double wom_negative;         /* total negative messages sent */
  double clv;                  /* mean over the last 52 periods (or all) */
  double revenue_share;        /* of the last 52 periods' revenue */
};

/* A run's history of firm metrics: hist[metrics_hist_index(t, m, f, n_firms)]
 * holds metric m of firm f in period t. */
static inline size_t metrics_hist_index(int t, int metric, int f, int n_firms) {
  return ((size_t)t * RELSIM_FM_COUNT + (size_t)metric) * (size_t)n_firms + (size_t)f;
}

/* Compute the summary from a history (metrics_hist_index) of periods 0..n_periods-1. */
void metrics_summary(const double *hist, int n_periods, int n_firms, struct relsim_summary_row *rows);

/* Print the summary table; names[f] are UTF-8 firm names. */
#include <stdio.h>
void metrics_summary_print(FILE *out, const struct relsim_summary_row *rows, int n_firms,
                           const char *const *names, int n_periods);

#endif
