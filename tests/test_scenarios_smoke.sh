#!/usr/bin/env bash
# Every shipped scenario validates and runs small, and its output reads back.
# A scenario with scheduled events runs 60 periods (past price_war's entry
# at week 52): an event after the end of the run is an error.
. "$(dirname "$0")/common.sh"
for sc in "$SRC"/scenarios/*.yaml; do
  name=$(basename "$sc" .yaml)
  periods=()
  grep -q '^events:' "$sc" && periods=(--set run.periods=60)
  expect_status 0 "validate $name" -- "$RELSIM" validate "$sc"
  expect_status 0 "run $name" -- "$RELSIM" run "$sc" -o "$name.h5" "${SMALL[@]}" "${periods[@]}"
  expect_status 0 "inspect $name" -- "$RELSIM" inspect "$name.h5"
  expect_in out.txt "complete:       yes" "$name completes"
done
finish
