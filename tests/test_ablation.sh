#!/usr/bin/env bash
# analysis/ablation.py: a mechanism no firm uses (lock-in in the default
# scenario) gives runs identical to the baseline's; word of mouth does not;
# an unknown mechanism is refused with the known ones; a measure that is not
# measured yet (the cohort window is longer than the run) is n/a.
# Usage: test_ablation.sh RELSIM SRC WORKDIR
source "$(dirname "$0")/common.sh"
ABL=("$PYTHON" "$SRC/analysis/ablation.py" "$SRC/scenarios/default.yaml" --relsim "$RELSIM" --replications 3
     --set market.customers=800 --set run.periods=30 --set network.contacts=12 --work "$WORK/runs")
expect_status 0 "ablation of lock_in and word_of_mouth" -- "${ABL[@]}" --mechanisms lock_in,word_of_mouth -o table.md
expect_in table.md "| lock_in | Transactional | no effect (identical runs) | n/a | no effect (identical runs) |" \
  "a mechanism no firm uses changes nothing"
checks=$((checks + 1))
grep -q "^| word_of_mouth | Relationship | no effect" table.md && fail "word of mouth reported as changing nothing"
checks=$((checks + 1))
[ "$(grep -c '^| word_of_mouth |' table.md)" -eq 2 ] || fail "word of mouth: not one row per firm"
expect_status 1 "an unknown mechanism" -- "${ABL[@]}" --mechanisms wom
expect_in err.txt "unknown mechanism 'wom'; known: turnover, trend" "the known mechanisms listed"

# The same from an experiment of design one_at_a_time: the baseline is point
# 0, each mechanism off one further point, and the effects are the same
# paired differences as the separate runs above (same seeds).
cat >oat.yaml <<EOF
scenario: $SRC/scenarios/default.yaml
set:
  market.customers: 800
  run.periods: 30
  network.contacts: 12
design: one_at_a_time
factors:
  mechanisms.lock_in: [true, false]
  mechanisms.word_of_mouth: [true, false]
replications: 3
measures:
  profit_r: {metric: cumulative_profit, firm: Relationship, at: end}
EOF
expect_status 0 "a one_at_a_time experiment" -- "$RELSIM" experiment oat.yaml -o oat.h5 -q
expect_status 0 "ablation from the experiment file" -- "$PYTHON" "$SRC/analysis/ablation.py" --experiment oat.h5 -o oat.md
expect_in oat.md "| mechanisms.lock_in off | no effect (identical runs) |" "lock-in off: the baseline's runs"
checks=$((checks + 1))
row=$(grep '^| word_of_mouth | Relationship |' table.md | cut -d'|' -f4 | sed 's/^ *//; s/ *$//')
grep -qF "| mechanisms.word_of_mouth off | $row |" oat.md ||
  fail "word of mouth off: the experiment's effect differs from the separate runs' ($row): $(cat oat.md)"
expect_status 1 "a grid is no ablation" -- "$PYTHON" "$SRC/analysis/ablation.py" --experiment "$WORK/runs/baseline.h5"
finish
