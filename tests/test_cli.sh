#!/usr/bin/env bash
# The command line as a user meets it: help, version, validate, run, inspect,
# exit codes of sysexits.h, no output file after a bad scenario or a failed
# run, and an interrupted run leaving a valid file marked incomplete.
. "$(dirname "$0")/common.sh"

expect_status 0 "--help" -- "$RELSIM" --help
expect_in out.txt "Usage: relsim COMMAND" "--help prints usage"
expect_status 0 "--version" -- "$RELSIM" --version
expect_in out.txt "relsim 1." "--version prints the version"
expect_status 0 "help run" -- "$RELSIM" help run
expect_in out.txt "--set KEY=VALUE" "help run documents --set"
expect_status 0 "help keys" -- "$RELSIM" help keys
expect_in out.txt "market.customers" "help keys lists keys"
# help keys KEY: only that key's rows, each exactly as in the full reference.
"$RELSIM" help keys > keys_all.md
expect_key_rows() { # KEY COUNT: KEY shows COUNT rows, all of them rows of the full reference
  local key=$1 want=$2
  expect_status 0 "help keys $key" -- "$RELSIM" help keys "$key"
  checks=$((checks + 1))
  local rows
  rows=$(grep -c '^| `' out.txt)
  [ "$rows" -eq "$want" ] || fail "help keys $key: $rows rows, expected $want"
  checks=$((checks + 1))
  grep '^| `' out.txt | grep -vxFf keys_all.md >extra.txt && fail "help keys $key: rows not in the reference: $(cat extra.txt)"
}
expect_key_rows market.customers 1
expect_in out.txt '| `market.customers` | integer | customers | `100000` | integer from 1 to 2147483647 |' "help keys: global key row"
expect_key_rows wom "$(grep -c '^| `wom\.' keys_all.md)"
for key in price firms.0.price firms.Relationship.price; do
  expect_key_rows "$key" 1
  expect_in out.txt '| `price` | number | 1 | `1` | discounter: `0.85` | number > 0 |' "help keys $key: firm row with presets"
done
expect_key_rows firms.2 "$(sed -n '/^## Firms/,$p' keys_all.md | grep -c '^| `')"
expect_key_rows name 2
expect_status 64 "help keys unknown key" -- "$RELSIM" help keys marekt.customers
expect_in err.txt "unknown key 'marekt.customers'; did you mean 'market.customers'?" "help keys: suggestion"
expect_status 64 "help keys unknown firm key" -- "$RELSIM" help keys firms.0.pirce
expect_in err.txt "did you mean 'firms.0.price'?" "help keys: firm key suggestion"
expect_status 0 "help output" -- "$RELSIM" help output
expect_in out.txt "/firm/revenue" "help output lists datasets"
expect_status 64 "unknown command" -- "$RELSIM" frobnicate
expect_in err.txt "unknown command 'frobnicate'" "unknown command message"
expect_status 64 "unknown option" -- "$RELSIM" run "$SRC/scenarios/default.yaml" --frob
expect_status 64 "bad thread count" -- "$RELSIM" run "$SRC/scenarios/default.yaml" --threads zero

# validate
expect_status 0 "validate default" -- "$RELSIM" validate "$SRC/scenarios/default.yaml"
expect_in out.txt "valid scenario 'default'" "validate says valid"
expect_status 66 "validate missing file" -- "$RELSIM" validate no-such-file.yaml
expect_in err.txt "no-such-file.yaml" "missing file named"

# A bad scenario: every problem reported with file:line:column, exit 65, no output.
cat > bad.yaml <<'YAML'
name: bad
market:
  customers: -5
  exit_rat: 0.1
wom:
  relay: lots
firms:
  - name: A
    strategy: relationshp
YAML
expect_status 65 "run bad scenario" -- "$RELSIM" run bad.yaml -o bad.h5
expect_in err.txt "bad.yaml:3:14: market.customers" "range error located"
expect_in err.txt "bad.yaml:4:3: market.exit_rat" "unknown key located"
expect_in err.txt "did you mean 'market.exit_rate'?" "suggestion for misspelt key"
expect_in err.txt "bad.yaml:6:10: wom.relay" "type error located"
expect_in err.txt "bad.yaml:9:15: firms.0.strategy" "enum error located"
expect_no_file bad.h5 "no output after a bad scenario"
expect_no_file bad.h5.partial "no partial output after a bad scenario"
expect_status 65 "bad --set" -- "$RELSIM" validate "$SRC/scenarios/default.yaml" --set market.customers=0
expect_in err.txt "--set:1: market.customers" "override error located"

# A full-width colon or space (a Chinese input method left on): named at the
# character with its code point and the fix, like any scenario problem.
printf 'market:\n  customers\xef\xbc\x9a1000\n  exit_rate: 0.1\nfirms:\n  - name: A\n' > fullwidth.yaml
expect_status 65 "run full-width colon" -- "$RELSIM" run fullwidth.yaml -o fullwidth.h5
expect_in err.txt "fullwidth.yaml:2:12: full-width colon '：' (U+FF1A) is not a YAML colon; replace the full-width colon '：' (U+FF1A) with ':' followed by a space" "full-width colon named"
expect_in err.txt "1 problem found; nothing was run" "full-width colon: nothing was run"
expect_no_file fullwidth.h5 "no output after a full-width colon"
expect_status 65 "full-width space in --set" -- "$RELSIM" validate "$SRC/scenarios/default.yaml" \
  --set $'market.customers=1000\xe3\x80\x80'
expect_in err.txt "--set:1: market.customers: full-width space '　' (U+3000) is not a YAML space; replace the full-width space '　' (U+3000) with ordinary spaces" "full-width space in --set named"

# A small run, then inspect it.
expect_status 0 "small run" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o small.h5 --seed 5 \
  --set market.customers=3000 --set run.periods=12 --set network.contacts=20
expect_in out.txt "Summary over 12 periods" "run prints the summary"
expect_in out.txt "retention cost per retained customer, last cohort window" "summary has retention cost"
checks=$((checks + 1))
grep -E "^customers kept through the last cohort window +n/a +n/a" out.txt >/dev/null ||
  fail "cohort rows should be n/a before the window: $(grep 'kept through' out.txt)"
expect_status 0 "run longer than the cohort window" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o cohort.h5 \
  --seed 5 --set market.customers=3000 --set run.periods=12 --set network.contacts=20 --set market.cohort_periods=8
expect_in out.txt "customers kept through the last 8 periods" "cohort rows name a non-default window"
checks=$((checks + 1))
grep -E "^customers kept through the last 8 periods +[0-9.]+% +[0-9.]+%" out.txt >/dev/null ||
  fail "cohort retention row has no values after the window: $(grep 'kept through' out.txt)"
expect_file small.h5 "run writes the output"
expect_no_file small.h5.partial "no partial file after a run"
expect_status 0 "inspect" -- "$RELSIM" inspect small.h5
expect_in out.txt "complete:       yes" "inspect: complete"
expect_in out.txt "seed:           5" "inspect: seed"
expect_in out.txt "12 of 12 done" "inspect: periods"
expect_in out.txt "Relationship (relationship)" "inspect: firms"
expect_status 66 "inspect a non-HDF5 file" -- "$RELSIM" inspect bad.yaml
checks=$((checks + 1))
[ -s out.txt ] && fail "inspect of a non-HDF5 file printed to stdout: $(head -3 out.txt)"
expect_status 66 "inspect --json a non-HDF5 file" -- "$RELSIM" inspect --json bad.yaml
checks=$((checks + 1))
[ -s out.txt ] && fail "inspect --json of a non-HDF5 file printed to stdout: $(head -3 out.txt)"
expect_status 64 "inspect with an unknown option" -- "$RELSIM" inspect small.h5 --yaml

# inspect --json: one valid JSON object with what the text form shows, NaN as
# null, names escaped so that they read back exactly (quotes, backslash, tab,
# CJK, and an emoji beyond U+FFFF as a surrogate pair).
expect_status 0 "inspect --json" -- "$RELSIM" inspect small.h5 --json
cp out.txt small.json
expect_status 0 "inspect --json is valid JSON" -- "$PYTHON" -m json.tool small.json
expect_status 0 "inspect --json matches the file" -- "$PYTHON" -c '
import json, sys, h5py, numpy as np
j = json.load(open("small.json"))
with h5py.File("small.h5", "r") as f:
    names = list(f["firms/name"].asstr()[...])
    revenue = f["firm/revenue"][...].sum(axis=0)
want = {"file": "small.h5", "software": "relsim", "scenario": "default", "seed": 5, "periods_done": 12,
        "periods_planned": 12, "complete": True, "customers": 3000}
for key, value in want.items():
    assert j[key] == value, (key, j[key], value)
for key in ("version", "git_commit", "compiler", "schema_version", "created", "threads", "ranks"):
    assert key in j, key
assert [firm["name"] for firm in j["firms"]] == names, j["firms"]
assert [firm["strategy"] for firm in j["firms"]] == ["transactional", "relationship"]
for i, firm in enumerate(j["firms"]):
    s = firm["summary"]
    assert abs(s["revenue"] - revenue[i]) <= 1e-9 * revenue[i], (s["revenue"], revenue[i])
    assert s["cohort_retention"] is None and s["cohort_window"] is None, s   # NaN before the cohort window
    assert 0 < s["retention_rate"] <= 1, s
'
checks=$((checks + 1))
grep -q "NaN\|nan\|inf" small.json && fail "inspect --json prints NaN or inf: $(grep -i 'nan\|inf' small.json | head -3)"
expect_status 0 "run with names that need escaping" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o names.h5 \
  "${SMALL[@]}" --set 'firms.0.name=Say "hi" \ 😀 老王' --set "firms.1.name=$(printf 'Tab\there')"
expect_status 0 "inspect --json with such names" -- "$RELSIM" inspect names.h5 --json
cp out.txt names.json
expect_status 0 "names read back from JSON" -- "$PYTHON" -c '
import json, h5py
j = json.load(open("names.json"))
names = list(h5py.File("names.h5", "r")["firms/name"].asstr()[...])
assert names == ["Say \"hi\" \\ \U0001F600 \u8001\u738b", "Tab\there"], names
assert [firm["name"] for firm in j["firms"]] == names, ([firm["name"] for firm in j["firms"]], names)
assert open("names.json", "rb").read().isascii()
'

# The file reads with xarray (named dimensions) and plots.
expect_status 0 "xarray reads a run" -- "$PYTHON" "$SRC/tests/check_xarray.py" small.h5
expect_status 0 "plot a run" -- "$PYTHON" "$SRC/analysis/plot_run.py" small.h5 -o small.png
expect_file small.png "plot written"
checks=$((checks + 1))
[ "$(head -c 8 small.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "small.png is not a PNG"
expect_status 1 "plot a non-relsim file" -- "$PYTHON" "$SRC/analysis/plot_run.py" bad.yaml

# Default output name: scenario base name + .h5 in the current directory.
expect_status 0 "default output name" -- "$RELSIM" run "$SRC/scenarios/default.yaml" "${SMALL[@]}"
expect_file default.h5 "default output name"

# Output in a missing directory: exit 73, nothing left behind.
expect_status 73 "unwritable output" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o no/such/dir/x.h5 "${SMALL[@]}"
expect_in err.txt "no/such/dir/x.h5" "unwritable output named"

# Interrupted run: SIGINT at a period boundary leaves a valid, incomplete file.
"$RELSIM" run "$SRC/scenarios/default.yaml" -o interrupted.h5 --quiet \
  --set market.customers=20000 --set run.periods=100000 --set network.contacts=20 >int.out 2>int.err &
pid=$!
for _ in $(seq 1 100); do [ -f interrupted.h5.partial ] && break; sleep 0.1; done
sleep 1
kill -INT "$pid"
wait "$pid"
status=$?
checks=$((checks + 1))
[ "$status" -eq 130 ] || fail "interrupted run: exit status $status, expected 130: $(cat int.err)"
expect_file interrupted.h5 "interrupted run leaves its file"
expect_no_file interrupted.h5.partial "interrupted run renames its file"
expect_in int.err "marked incomplete" "interrupted run says so"
expect_status 0 "inspect interrupted" -- "$RELSIM" inspect interrupted.h5
expect_in out.txt "complete:       NO" "interrupted file marked incomplete"
expect_status 0 "inspect --json interrupted" -- "$RELSIM" inspect --json interrupted.h5
expect_in out.txt '"complete": false' "interrupted file marked incomplete in JSON"

finish
