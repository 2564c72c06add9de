#!/usr/bin/env bash
# analysis/ablation.py: a mechanism no firm uses (lock-in in the default
# scenario) gives runs identical to the baseline's; word of mouth does not;
# an unknown mechanism is refused with the known ones.
# Usage: test_ablation.sh RELSIM SRC WORKDIR
source "$(dirname "$0")/common.sh"
ABL=("$PYTHON" "$SRC/analysis/ablation.py" "$SRC/scenarios/default.yaml" --relsim "$RELSIM" --replications 3
     --set market.customers=800 --set run.periods=30 --set network.contacts=12 --work "$WORK/runs")
expect_status 0 "ablation of lock_in and word_of_mouth" -- "${ABL[@]}" --mechanisms lock_in,word_of_mouth -o table.md
expect_in table.md "| lock_in | Transactional | no effect (identical runs) | no effect (identical runs) | no effect (identical runs) |" \
  "a mechanism no firm uses changes nothing"
checks=$((checks + 1))
grep -q "^| word_of_mouth | Relationship | no effect" table.md && fail "word of mouth reported as changing nothing"
checks=$((checks + 1))
[ "$(grep -c '^| word_of_mouth |' table.md)" -eq 2 ] || fail "word of mouth: not one row per firm"
expect_status 1 "an unknown mechanism" -- "${ABL[@]}" --mechanisms wom
expect_in err.txt "unknown mechanism 'wom'; known: turnover, trend" "the known mechanisms listed"
finish
