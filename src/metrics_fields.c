/*
 * The output field tables, expanded from the X-macro rows of metrics.h.
 */
#include "relsim/metrics.h"

#define RELSIM_X_FIELD(name, units, doc) {#name, units, doc},
const struct relsim_field relsim_firm_fields[RELSIM_FM_COUNT] = {RELSIM_FIRM_METRICS(RELSIM_X_FIELD)};
const struct relsim_field relsim_tier_fields[RELSIM_TM_COUNT] = {RELSIM_TIER_METRICS(RELSIM_X_FIELD)};
const struct relsim_field relsim_market_fields[RELSIM_MM_COUNT] = {RELSIM_MARKET_METRICS(RELSIM_X_FIELD)};
