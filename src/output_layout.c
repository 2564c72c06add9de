/*
 * The layout of a relsim output file shared by the writer and the reference
 * printer: the metric groups, the units written for the tables' units, and
 * the coded metrics (docs/output.md).
 */
#include "output_layout.h"

#include <stdio.h>
#include <string.h>

const struct output_group output_groups[OUTPUT_GROUP_COUNT] = {
    {"firm", relsim_firm_fields, RELSIM_FM_COUNT, 2, "(period, firm)"},
    {"firm_tier", relsim_tier_fields, RELSIM_TM_COUNT, 3, "(period, firm, tier)"},
    {"market", relsim_market_fields, RELSIM_MM_COUNT, 1, "(period)"},
};

/* Units of the tables that are counts or money: dimensionless for UDUNITS
 * (the scenario's currency has no UDUNITS name). */
static const char *const count_units[] = {"money",     "money/customer", "customers", "messages",
                                          "purchases", "occasions",      "stories",   "impressions",
                                          "contacts",  "utility",        NULL};

const char *output_udunits(const char *units, const char **relsim_units) {
  for (int i = 0; count_units[i]; i++)
    if (units && !strcmp(units, count_units[i])) {
      *relsim_units = units;
      return "1";
    }
  *relsim_units = NULL;
  return units;
}

const char *output_metric_flags(int gi, int i, char *buf, size_t size) {
  if (gi != OUTPUT_GROUP_TIER || i != RELSIM_TM_level || size == 0) return NULL;
  size_t used = 0;
  buf[0] = '\0';
  for (int l = 0; relsim_level_names[l] && used < size; l++)
    used += (size_t)snprintf(buf + used, size - used, "%s%d %s", l ? " " : "", l, relsim_level_names[l]);
  return buf;
}
