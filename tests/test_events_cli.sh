#!/usr/bin/env bash
# Scheduled events through the command line (docs/scenarios.md, "Events over
# time"): price_war's discounter has no customers, sales or budget before
# its entry at week 52 and sales after it, on any thread count; validate
# lists the events and reports a bad schedule at its places (exit status
# 65), as does --set of an event or a run shortened before an event; an
# experiment runs a scenario with events (its measures see the entry) and
# refuses an event as a factor or a fixed override. What the events do in a
# run, and resuming across them, are tested in test_events.c.
. "$(dirname "$0")/common.sh"
PW="$SRC/scenarios/price_war.yaml"
SMALLPW=(--set market.customers=3000 --set network.contacts=20 --set run.periods=60 --quiet)

# 1. The entry at week 52, the same on 1 and 2 threads.
expect_status 0 "run price_war, 2 threads" -- "$RELSIM" run "$PW" -o pw2.h5 -t 2 "${SMALLPW[@]}"
expect_status 0 "run price_war, 1 thread" -- "$RELSIM" run "$PW" -o pw1.h5 -t 1 "${SMALLPW[@]}"
for group in /firm /firm_tier /market; do
  expect_status 0 "h5diff $group, 1 vs 2 threads" -- h5diff pw1.h5 pw2.h5 "$group" "$group"
done
checks=$((checks + 1))
"$PYTHON" - pw2.h5 >entry.txt 2>&1 <<'EOF' || fail "the discounter's entry at week 52: $(cat entry.txt)"
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["firms/name"][()]]
    d = names.index("Discounter")
    col = lambda m: f["firm/" + m][:, d]
    before, after = slice(0, 52), slice(52, None)
    for m in ("purchases", "revenue", "active_customers", "budget", "advertising_cost", "aware_customers"):
        assert np.all(col(m)[before] == 0), f"{m} before week 52: {col(m)[before]}"
    assert col("budget")[52] > 0, "no budget at week 52"
    assert col("purchases")[after].sum() > 0 and col("revenue")[after].sum() > 0, "no sales after week 52"
    assert "events:\n  - period: 52\n    firm: 2\n    enter: true\n" in f["scenario/resolved"].asstr()[()]
EOF

# 2. validate lists the events, and places every mistake.
expect_status 0 "validate price_war" -- "$RELSIM" validate "$PW"
expect_in out.txt "events: period 52: Discounter enters" "the events listed"
expect_status 65 "a bad schedule" -- "$RELSIM" validate "$SRC/tests/scenarios/bad_events.yaml"
expect_in err.txt "bad_events.yaml:14:11: events.1.firm: there is no firm 'Discountr'; did you mean 'Discounter'?" \
  "an unknown firm located"
expect_in err.txt "bad_events.yaml:20:11: events.3.set.market.customers: cannot change during a run" \
  "a key that cannot change mid-run located"
expect_in err.txt "bad_events.yaml:29:12: events.6.enter: 'Discounter' already enters at period 50" "a second entry located"
expect_in err.txt "bad_events.yaml:32:12: events.7.leave: 'Discounter' leaves at period 5, before it enters" \
  "an exit before the entry located"
expect_in err.txt "bad_events.yaml:23:11: events.4.set.pirce: unknown key; did you mean 'price'?" "did you mean"
expect_in err.txt "relsim: $SRC/tests/scenarios/bad_events.yaml: 23 problems found; nothing was run" "every problem counted"
expect_status 65 "run of a bad schedule" -- "$RELSIM" run "$SRC/tests/scenarios/bad_events.yaml" -o bad.h5 -q
expect_no_file bad.h5 "a bad schedule writes nothing"

# 3. --set cannot reach the events; a shortened run cannot drop one.
expect_status 65 "--set of an event" -- "$RELSIM" validate "$PW" --set events.0.period=3
expect_in err.txt "--set:1: events.0.period: the scheduled events cannot be overridden" "--set of an event told"
expect_status 65 "a run shorter than its events" -- "$RELSIM" run "$PW" -o short.h5 --set run.periods=20 -q
line=$(grep -n "period: 52" "$SRC/scenarios/price_war.yaml" | head -1 | cut -d: -f1) # the entry's line
expect_in err.txt "price_war.yaml:$line:13: events.0.period: 52 is after the end of the run (run.periods is 20, at --set:1)" \
  "an event after a shortened run told"

# 4. An experiment over price_war: every run has the entry; an event cannot be a factor.
cat >exp.yaml <<EOF
scenario: $PW
set: {market.customers: 2000, network.contacts: 20, run.periods: 60}
factors:
  firms.Discounter.price: [0.8, 0.9]
replications: 2
measures:
  before: {metric: revenue, firm: Discounter, over: [0, 51], stat: sum}
  after: {metric: revenue, firm: Discounter, over: [52, 59], stat: sum}
EOF
expect_status 0 "an experiment with events" -- "$RELSIM" experiment exp.yaml -o exp.h5 -j 2 -t 1 -q
checks=$((checks + 1))
"$PYTHON" -c "
import h5py, numpy as np
with h5py.File('exp.h5', 'r') as f:
    before, after = f['measures/before'][()], f['measures/after'][()]
    assert before.shape == (4,) and np.all(before == 0), before
    assert np.all(after > 0), after
    assert 'enter: true' in f['scenario_resolved'].asstr()[()]
" >exp.txt 2>&1 || fail "the experiment's runs: $(cat exp.txt)"
sed 's/firms.Discounter.price: \[0.8, 0.9\]/events.0.period: [40, 50]/' exp.yaml >factor.yaml
expect_status 65 "an event as a factor" -- "$RELSIM" experiment factor.yaml -o factor.h5 --dry-run
expect_in err.txt "factor.yaml:4:3: events.0.period: cannot be a factor: the scheduled events are not scenario keys" \
  "an event as a factor refused"
sed 's/^set: {/set: {events.0.period: 40, /' exp.yaml >fixed.yaml
expect_status 65 "an event as a fixed override" -- "$RELSIM" experiment fixed.yaml -o fixed.h5 --dry-run
expect_in err.txt "events.0.period: the scheduled events cannot be overridden" "an event in set: refused"
finish
