#!/usr/bin/env bash
# Every shipped scenario validates and runs small, and its output reads back.
. "$(dirname "$0")/common.sh"
for sc in "$SRC"/scenarios/*.yaml; do
  name=$(basename "$sc" .yaml)
  expect_status 0 "validate $name" -- "$RELSIM" validate "$sc"
  expect_status 0 "run $name" -- "$RELSIM" run "$sc" -o "$name.h5" "${SMALL[@]}"
  expect_status 0 "inspect $name" -- "$RELSIM" inspect "$name.h5"
  expect_in out.txt "complete:       yes" "$name completes"
done
finish
