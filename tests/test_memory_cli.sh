#!/usr/bin/env bash
# Memory: validate prints what a run needs; run refuses a scenario that
# cannot fit before allocating (exit 71, the estimate, the memory available,
# the keys to lower, no output file); --max-memory sets the limit and
# 'unlimited' skips the check; a real allocation failure under ulimit -v
# exits 71 too, in the simulation and in the scenario loader.
. "$(dirname "$0")/common.sh"
D=$SRC/scenarios/default.yaml

# validate: the estimate, its largest part exact (192 bytes per customer at 2 firms).
expect_status 0 "validate prints the memory" -- "$RELSIM" validate "$D" --set market.customers=1000000
expect_in out.txt "memory: about " "validate: memory line"
expect_in out.txt "(customers 200 MB, " "validate: customers part, largest first"
expect_in out.txt " available (" "validate: memory available"
expect_status 0 "validate: 8 firms" -- "$RELSIM" validate "$D" --set market.customers=1000000 \
  --set firms.2.name=C --set firms.3.name=D --set firms.4.name=E --set firms.5.name=F --set firms.6.name=G \
  --set firms.7.name=H
expect_in out.txt "(customers 626 MB, " "validate: 8 firms cost more per customer"

# run: refused before anything is allocated or created.
expect_status 71 "run refused by --max-memory" -- "$RELSIM" run "$D" -o refused.h5 --set market.customers=1000000 \
  --max-memory 100M
expect_in err.txt "relsim: the scenario needs about " "refusal: the estimate"
expect_in err.txt "more than the 100 MB of memory available (the limit set for this run)" "refusal: the limit"
expect_in err.txt "lower one of: market.customers (1000000), the number of firms (2)" "refusal: the keys"
expect_in err.txt "--max-memory unlimited skips this check" "refusal: how to override"
expect_no_file refused.h5 "no output after a refusal"
expect_no_file refused.h5.partial "no partial output after a refusal"
checks=$((checks + 1))
[ -s out.txt ] && fail "refusal printed on standard output: $(cat out.txt)"
expect_status 71 "refusal with --progress=json" -- "$RELSIM" run "$D" -o refused.h5 --set market.customers=1000000 \
  --max-memory=0.1G --progress=json
expect_in err.txt '"exit_status":71' "json: the refusal's exit status"
# The same run fits in a limit above its estimate, and with the check off.
SMALL=(--set market.customers=3000 --set run.periods=3 --set network.contacts=20 --quiet)
expect_status 0 "run within --max-memory" -- "$RELSIM" run "$D" -o fits.h5 "${SMALL[@]}" --max-memory 1G
expect_file fits.h5 "a run within the limit writes its file"
expect_status 71 "small run, smaller limit" -- "$RELSIM" run "$D" -o tiny.h5 "${SMALL[@]}" --max-memory 1M
expect_status 0 "--max-memory unlimited" -- "$RELSIM" run "$D" -o unchecked.h5 "${SMALL[@]}" --max-memory 1M \
  --max-memory unlimited
expect_status 64 "bad --max-memory" -- "$RELSIM" run "$D" -o bad.h5 "${SMALL[@]}" --max-memory 2X
expect_in err.txt "--max-memory needs a size such as 512M, 2G or 1.5GiB, or 'unlimited', got '2X'" "bad size message"
expect_status 64 "zero --max-memory" -- "$RELSIM" run "$D" -o bad.h5 "${SMALL[@]}" --max-memory 0

# ulimit -v: the address-space limit is memory available too; with the check
# off, the allocation itself fails: exit 71 either way. AddressSanitizer
# reserves terabytes of address space and cannot start under ulimit -v.
if grep -aq __asan_init "$RELSIM"; then
  echo "test_memory_cli: ulimit -v checks skipped (AddressSanitizer build)"
else
  BIG=(--set market.customers=5000000 --set run.periods=2 --quiet)
  expect_status 71 "ulimit -v: refused" -- bash -c 'ulimit -v 600000 && exec "$@"' _ "$RELSIM" run "$D" -o ulimit.h5 \
    "${BIG[@]}"
  expect_in err.txt "(the address-space limit (ulimit -v) less what the process maps)" "ulimit -v: the limit named"
  expect_status 71 "ulimit -v: allocation fails" -- bash -c 'ulimit -v 600000 && exec "$@"' _ "$RELSIM" run "$D" \
    -o ulimit.h5 "${BIG[@]}" --max-memory unlimited
  expect_in err.txt "relsim: out of memory allocating" "ulimit -v: the allocation failure named"
  expect_in err.txt "no result file was written" "ulimit -v: no result"
  expect_no_file ulimit.h5 "ulimit -v: no output"
  expect_no_file ulimit.h5.partial "ulimit -v: no partial output"
  # A scenario whose parse tree needs more memory than the limit (half a
  # million list items, within the 1 MiB a scenario may have): out of memory,
  # not a bad scenario. The limit: the smallest (in steps of 4 MB) under which
  # a one-line scenario still loads, plus 8 MB, so it does not depend on the
  # size of the program and its libraries on this machine.
  { echo "name: big"; printf 'description: ['; yes '0,' | head -n 500000 | tr -d '\n'; echo '0]'; } >big.yaml
  echo "name: tiny" >tiny.yaml
  loads() { bash -c "ulimit -v $1 && exec \"\$@\"" _ "$RELSIM" validate tiny.yaml 2>&1 | grep -q "no firms given"; }
  base=200000
  while [ "$base" -gt 8000 ] && loads $((base - 4000)); do base=$((base - 4000)); done
  expect_status 71 "ulimit -v: loader out of memory" -- bash -c "ulimit -v $((base + 8000)) && exec \"\$@\"" _ \
    "$RELSIM" validate big.yaml
  expect_in err.txt "big.yaml: out of memory while loading the scenario" "loader: out of memory named"
  checks=$((checks + 1))
  grep -q "problem found" err.txt && fail "loader out of memory counted as a problem of the scenario: $(cat err.txt)"
fi

finish
