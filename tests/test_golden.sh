#!/usr/bin/env bash
# Golden output: a small run of every case in tests/golden/cases.txt (every
# shipped scenario, the validation scenarios, each network kind and the
# mechanism switches) must equal the committed reference file
# tests/golden/NAME.h5 bit for bit in every data group (h5diff, which also
# compares the datasets' attributes). Root attributes (command line, thread
# count, git revision) and /volatile (creation time) are not compared.
#
# A change that is meant to change results renews the references:
#   cmake --build build --target golden-accept
# (RELSIM_GOLDEN_ACCEPT=1 runs this script in that mode), and says why in
# its commit.
. "$(dirname "$0")/common.sh"
GOLDEN=$SRC/tests/golden
SMALL_GOLDEN=(--set market.customers=1000 --set run.periods=60 --set network.contacts=20
              --set run.snapshot_every=30 --set market.cohort_periods=8 --set run.seed=7 --quiet)
GROUPS=(/firm /firm_tier /market /firms /scenario /customers)
accept=${RELSIM_GOLDEN_ACCEPT:-0}
while read -r name scenario rest; do
  case "$name" in ''|'#'*) continue ;; esac
  read -r -a extra <<<"$rest"
  # Run from the source root so that relative paths in the cases (and in the
  # recorded resolved scenario) are the same on every machine.
  expect_status 0 "run $name" -- bash -c 'cd "$1" && shift && exec "$@"' _ "$SRC" \
    "$RELSIM" run "$scenario" -o "$WORK/$name.h5" "${SMALL_GOLDEN[@]}" "${extra[@]}"
  if [ "$accept" = 1 ]; then
    cp "$WORK/$name.h5" "$GOLDEN/$name.h5"
    echo "accepted $name"
    continue
  fi
  if [ ! -f "$GOLDEN/$name.h5" ]; then
    fail "$name: no reference file $GOLDEN/$name.h5 (accept it with the golden-accept target)"
    continue
  fi
  for group in "${GROUPS[@]}"; do
    # A group absent from both files (no snapshots in the case) is equal.
    if ! h5ls "$GOLDEN/$name.h5$group" >/dev/null 2>&1 && ! h5ls "$WORK/$name.h5$group" >/dev/null 2>&1; then
      continue
    fi
    expect_status 0 "$name: $group equals the reference" -- h5diff "$GOLDEN/$name.h5" "$WORK/$name.h5" "$group" "$group"
  done
done <"$GOLDEN/cases.txt"
finish
