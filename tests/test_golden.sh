#!/usr/bin/env bash
# Golden output: a small run of every case in tests/golden/cases.txt (every
# shipped scenario, the validation scenarios, each network kind and the
# mechanism switches) must equal the committed reference file
# tests/golden/NAME.h5 bit for bit: every dataset of the reference's data
# groups, with its type, shape, attributes and dimension scales
# (tests/golden_compare.py says exactly what is compared and what is not).
#
# A change that is meant to change results renews the references:
#   cmake --build build --target golden-accept
# (RELSIM_GOLDEN_ACCEPT=1 runs this script in that mode), and says why in
# its commit.
. "$(dirname "$0")/common.sh"
GOLDEN=$SRC/tests/golden
SMALL_GOLDEN=(--set market.customers=1000 --set run.periods=60 --set network.contacts=20
              --set run.snapshot_every=30 --set market.cohort_periods=8 --set run.seed=7 --quiet)
H5_GROUPS=(/firm /firm_tier /market /firms /scenario /customers)
accept=${RELSIM_GOLDEN_ACCEPT:-0}
cases=()
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
  cases+=("$name")
done <"$GOLDEN/cases.txt"
# Every case against its reference, in one Python process: a line per case.
if [ "${#cases[@]}" -gt 0 ]; then
  "$PYTHON" "$SRC/tests/golden_compare.py" --cases "$GOLDEN" "$WORK" "${cases[@]}" -- "${H5_GROUPS[@]}" \
    >compare.txt 2>&1
  for name in "${cases[@]}"; do
    checks=$((checks + 1))
    if ! grep -qx "$name: same" compare.txt; then
      got=$(grep "^$name: " compare.txt | head -20)
      fail "$name differs from the reference: ${got:-$(tail -5 compare.txt)}"
    fi
  done
fi
finish
