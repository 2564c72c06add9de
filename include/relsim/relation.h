/*
 * The rules of a customer-firm relation (MODEL.md §3, §4, §13): the one
 * place that says what "aware", "active" and "value tier" mean.
 *
 *   aware     the customer knows the firm; on becoming aware its
 *             expectations start at the firm's promise (§7)
 *   recent    bought from the firm within the last recency periods
 *   active    recent, and not departed (switched to a rival) since
 *   tier      A if trailing revenue >= the firm's threshold A, B if >=
 *             threshold B, else C (thresholds: firm.c)
 *   priority  the firm's ranking for a relationship manager: trailing
 *             revenue (targeting value) or the customer's category spend a
 *             year ahead, spend * need * outlook of its trend (potential)
 *   managed   active at the start of the period, the firm hires managers,
 *             and priority >= the firm's threshold (set by its capacity)
 */
#ifndef RELSIM_RELATION_H
#define RELSIM_RELATION_H

#include <stdint.h>
#include "relsim/world.h"

/* Did a relation whose last purchase was in period last_purchase (-1 never)
 * buy within the recency periods ending with period t? */
static inline int relation_recent(int32_t last_purchase, int t, int recency) {
  return last_purchase >= 0 && last_purchase > t - recency;
}

/* Is relation x (customer * firms + firm) active at the end of period t? */
static inline int relation_active(const struct relsim_relations *r, int64_t x, int t, int recency) {
  return relation_recent(r->last_purchase[x], t, recency) && !r->departed[x];
}

/* The value tier of trailing revenue value for a firm in state f. */
static inline int relation_tier_of(const struct relsim_firm_state *f, double value) {
  return value >= f->threshold[0] ? RELSIM_TIER_A : value >= f->threshold[1] ? RELSIM_TIER_B : RELSIM_TIER_C;
}

/* Does a firm offer some value tier proactive or above, so that it hires
 * relationship managers (whatever the budget allows this period)? */
static inline int relation_offers_managers(const struct relsim_firm_params *fp) {
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++)
    if (fp->level[tier] >= RELSIM_LEVEL_PROACTIVE) return 1;
  return 0;
}

/* Customer i's priority for firm f's relationship managers. */
static inline double relation_priority(const struct relsim_params *p, const struct relsim_world *w, int64_t i, int f) {
  if (p->firms[f].targeting == RELSIM_TARGET_VALUE) return w->r.value[i * w->k + f];
  return (double)w->c.spend[i] * w->c.need[i] * w->firm[f].outlook[w->c.trend[i]];
}

/* Does customer i, active for firm f at the start of the period, have a
 * relationship manager? */
static inline int relation_managed(const struct relsim_params *p, const struct relsim_world *w, int64_t i, int f) {
  return w->firm[f].staff > 0.0 && relation_priority(p, w, i, f) >= w->firm[f].manage_threshold;
}

/* Customer i becomes aware of firm f (nothing if it already is): its
 * expectations start at the firm's current promise. */
static inline void relation_make_aware(struct relsim_world *w, int64_t i, int f) {
  int64_t x = i * w->k + f;
  if (w->r.aware[x]) return;
  w->r.aware[x] = 1;
  for (int a = 0; a < w->a; a++) w->r.expect[x * w->a + a] = (float)w->firm[f].promise[a];
}

#endif
