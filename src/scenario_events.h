/*
 * The `events:` list of a scenario (docs/scenarios.md, "Events over time")
 * read into a schedule (include/relsim/events.h), every mistake reported
 * where it is; and which keys an event may change.
 */
#ifndef RELSIM_SCENARIO_EVENTS_H
#define RELSIM_SCENARIO_EVENTS_H

#include "problems.h"
#include "relsim/events.h"
#include "relsim/scenario.h"
#include "relsim/textbuf.h"
#include "values.h"
#include "yaml_tree.h"

/* Read list (the value of `events:`, NULL if absent) into *out, after the
 * rest of the scenario: rd->p holds its parameters, finalized; periods_at
 * is the value of run.periods (NULL: not given), named in the message of an
 * event after the end of the run. Every problem goes to rd->pr.
 * check_after: the scenario itself has no problem,
 * so the cross-key checks (params_check) are run on the parameters after
 * each event too. *out is zeroed first and filled even if problems were
 * found (the caller frees it). */
void scenario_events_read(struct values_reader *rd, const struct yaml_tree *list, const struct yaml_tree *periods_at,
                          int check_after, struct relsim_schedule *out);

/* May an event change key k (firm: a firm key, else a global key)? Firm
 * keys but name and strategy (an event's own strategy: loads a preset);
 * the global keys read afresh every period with nothing derived from them. */
int scenario_events_key_ok(const struct relsim_key *k, int firm);

/* Append the global keys an event may change, comma-separated ("market.search, ..."). */
void scenario_events_list_globals(struct textbuf *b);
/* Append the firm keys an event's strategy loads: those on which the presets differ. */
void scenario_events_list_preset_keys(struct textbuf *b);

#endif
