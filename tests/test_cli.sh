#!/usr/bin/env bash
# The command line as a user meets it: help, version, validate, run, inspect,
# option syntax (getopt_long) and its errors, the progress modes, the
# warning for more threads than cores, exit codes of sysexits.h, no output
# file after a bad scenario or a failed run, and an interrupted run leaving a
# valid file marked incomplete.
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
expect_key_rows firms.2 "$(sed -n '/^## Firms/,/^## Events/p' keys_all.md | grep -c '^| `')"
expect_key_rows name 2
expect_status 64 "help keys unknown key" -- "$RELSIM" help keys marekt.customers
expect_in err.txt "unknown key 'marekt.customers'; did you mean 'market.customers'?" "help keys: suggestion"
expect_status 64 "help keys unknown firm key" -- "$RELSIM" help keys firms.0.pirce
expect_in err.txt "did you mean 'firms.0.price'?" "help keys: firm key suggestion"
expect_status 0 "help output" -- "$RELSIM" help output
expect_in out.txt "/firm/revenue" "help output lists datasets"
expect_status 64 "unknown command" -- "$RELSIM" frobnicate
expect_in err.txt "unknown command 'frobnicate'" "unknown command message"
expect_status 64 "bad thread count" -- "$RELSIM" run "$SRC/scenarios/default.yaml" --threads zero
expect_in err.txt "--threads needs a whole number from 1 to 4096, got 'zero'" "bad thread count message"

# expect_usage_error DESCRIPTION MESSAGE -- COMMAND...: exit 64 with exactly
# "relsim: MESSAGE" and the hint, each once (getopt's own messages are off).
expect_usage_error() {
  local what=$1 message=$2
  shift 2
  expect_status 64 "$what" "$@"
  checks=$((checks + 1))
  printf 'relsim: %s\nTry '"'"'relsim --help'"'"' for more information.\n' "$message" >want.txt
  cmp -s want.txt err.txt || fail "$what: stderr is not exactly the message: $(cat err.txt)"
}
D=$SRC/scenarios/default.yaml
expect_usage_error "unknown option" "unknown option '--frob'" -- "$RELSIM" run "$D" --frob
expect_usage_error "unknown option with a value" "unknown option '--frob'" -- "$RELSIM" run "$D" --frob=3
expect_usage_error "unknown short option in a cluster" "unknown option '-x'" -- "$RELSIM" run "$D" -qx
expect_usage_error "missing value, long" "option '--output' needs a value" -- "$RELSIM" run "$D" --output
expect_usage_error "missing value, short in a cluster" "option '-o' needs a value" -- "$RELSIM" run "$D" -qo
expect_usage_error "value for a flag" "option '--quiet' takes no value" -- "$RELSIM" run "$D" --quiet=yes
expect_usage_error "ambiguous abbreviation" "option '--s' is ambiguous; did you mean --seed or --set?" -- \
  "$RELSIM" run "$D" --s 3
expect_usage_error "run option given to validate" "unknown option '--seed'" -- "$RELSIM" validate "$D" --seed 3
expect_usage_error "unknown global option" "unknown option '--frob'" -- "$RELSIM" --frob run "$D"
expect_usage_error "no command" "missing COMMAND; commands: run, experiment, merge, validate, inspect, help" -- "$RELSIM" --
expect_usage_error "two scenarios" "unexpected argument '$D'" -- "$RELSIM" run "$D" "$D"
expect_usage_error "bad progress mode" "--progress needs bar, lines, json or none, got 'fancy'" -- \
  "$RELSIM" run "$D" --progress=fancy
expect_status 0 "-V" -- "$RELSIM" -V
expect_in out.txt "relsim 1." "-V prints the version"
expect_status 0 "abbreviated --version" -- "$RELSIM" --vers
expect_in out.txt "relsim 1." "--vers prints the version"

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
expect_status 64 "full-width colon in place of = in --set" -- "$RELSIM" validate "$SRC/scenarios/default.yaml" \
  --set "market.customers$(printf '\xef\xbc\x9a')1000"
expect_in err.txt "with an ASCII '='" "full-width colon in --set named"

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

# The file reads with xarray (named dimensions) and plots. These test Python's
# readers on a file that is the same from every build: the release build's
# test_cli runs them, the AddressSanitizer build's leaves them out. A run
# without snapshots, through the netcdf4 engine: test_ecosystem reads one
# with snapshots (the same groups and more) through both engines (h5netcdf
# takes seconds per file).
if grep -aq __asan_init "$RELSIM"; then
  echo "test_cli: xarray and plot checks left to the release build (AddressSanitizer build)"
else
  expect_status 0 "xarray reads a run" -- "$PYTHON" "$SRC/tests/check_xarray.py" small.h5 --engine netcdf4
  expect_status 0 "plot a run" -- "$PYTHON" "$SRC/analysis/plot_run.py" small.h5 -o small.png
  expect_file small.png "plot written"
  checks=$((checks + 1))
  [ "$(head -c 8 small.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "small.png is not a PNG"
  expect_status 1 "plot a non-relsim file" -- "$PYTHON" "$SRC/analysis/plot_run.py" bad.yaml
fi

# Option syntax: attached, separate and '=' values, clusters, abbreviations;
# inspect shows what each run took.
TINY=(--set market.customers=3000 --set run.periods=12 --set network.contacts=20)
expect_status 0 "clustered and attached short options" -- "$RELSIM" run -qt1 -s5 "$D" -o opt1.h5 \
  --set=market.customers=3000 --set run.periods=12 --set=network.contacts=20
expect_status 0 "inspect opt1" -- "$RELSIM" inspect opt1.h5
expect_in out.txt "threads:        1 (ranks 1)" "-qt1 sets one thread"
expect_in out.txt "seed:           5" "-s5 sets the seed"
expect_in out.txt "customers:      3000" "--set=K=V overrides"
expect_status 0 "long options with = and separate values" -- "$RELSIM" run "$D" --output=opt2.h5 --threads=2 \
  --seed 6 --qui "${TINY[@]}"
expect_status 0 "inspect opt2" -- "$RELSIM" inspect opt2.h5
expect_in out.txt "threads:        2 (ranks 1)" "--threads=2 sets two threads"
expect_in out.txt "seed:           6" "--seed 6 sets the seed"
expect_status 0 "separate short values" -- "$RELSIM" run "$D" -o opt3.h5 -t 2 -s 7 --threads 1 -q "${TINY[@]}"
expect_status 0 "inspect opt3" -- "$RELSIM" inspect opt3.h5
expect_in out.txt "threads:        1 (ranks 1)" "the last --threads wins"
expect_in out.txt "seed:           7" "-s 7 sets the seed"
# Options after the scenario work even where POSIXLY_CORRECT would stop the scan there.
expect_status 0 "options after the scenario, POSIXLY_CORRECT" -- env POSIXLY_CORRECT=1 "$RELSIM" run "$D" \
  -o posix.h5 -q "${TINY[@]}"
expect_file posix.h5 "options after the scenario are read"
# '--' ends the options: a scenario named like an option.
cp "$D" ./-odd.yaml
expect_usage_error "option-like scenario without --" "missing SCENARIO.yaml" -- "$RELSIM" run -odd.yaml
expect_status 0 "scenario after --" -- "$RELSIM" run -q "${TINY[@]}" -- -odd.yaml
expect_file ./-odd.h5 "a scenario after -- is run into its default output"

# Progress, lines (the default when standard error is not a terminal): a line
# every ceil(periods / 20) periods and at the last; 50 periods: every 3rd, 16
# lines, and period 50.
LINES_RE='^relsim: period [0-9]+/50 \([0-9]+%\), [0-9]+\.[0-9] periods/s, ([0-9]+:)?[0-9]+:[0-9]{2} left$'
check_lines() {
  checks=$((checks + 1))
  local n
  n=$(grep -c '^relsim: period' err.txt)
  [ "$n" -eq 17 ] || fail "$1: $n progress lines, expected 17: $(cat err.txt)"
  checks=$((checks + 1))
  [ "$(grep '^relsim: period' err.txt | grep -cvE "$LINES_RE")" -eq 0 ] ||
    fail "$1: a progress line is malformed: $(grep '^relsim: period' err.txt | grep -vE "$LINES_RE")"
  expect_in err.txt "relsim: period 3/50 (6%), " "$1: first line at period 3"
  expect_in err.txt "relsim: period 50/50 (100%), " "$1: a line at the last period"
}
expect_status 0 "progress lines by default" -- "$RELSIM" run "$D" -o lines.h5 "${TINY[@]}" --set run.periods=50
check_lines "default progress off a terminal"
expect_in err.txt "3000 customers, 2 firms, 50 periods" "the start line is told"
expect_status 0 "quiet with --progress=lines" -- "$RELSIM" run "$D" -o lines.h5 --force "${TINY[@]}" \
  --set run.periods=50 --progress=lines --quiet
check_lines "--progress=lines --quiet"
checks=$((checks + 1))
[ "$(grep -vc '^relsim: period' err.txt)" -eq 0 ] || fail "--quiet still told more than progress: $(cat err.txt)"
expect_status 0 "quiet" -- "$RELSIM" run "$D" -o quiet.h5 "${TINY[@]}" -q
checks=$((checks + 1))
[ ! -s err.txt ] && [ ! -s out.txt ] || fail "--quiet printed something: $(cat out.txt err.txt)"
expect_status 0 "progress none" -- "$RELSIM" run "$D" -o none.h5 "${TINY[@]}" --progress=none
checks=$((checks + 1))
! grep -qE 'relsim: period|/12' err.txt || fail "--progress=none told progress: $(cat err.txt)"
expect_in err.txt "3000 customers, 2 firms, 12 periods" "--progress=none keeps the start line"
expect_in out.txt "none.h5 written" "--progress=none keeps the summary"

# Progress, json: every line is an object; start, 17 progress events, done.
expect_status 0 "progress json" -- "$RELSIM" run "$D" -o json.h5 "${TINY[@]}" --set run.periods=50 --progress=json
cp err.txt json.txt
expect_status 0 "every json line parses" -- "$PYTHON" -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <json.txt
expect_status 0 "json events" -- "$PYTHON" - json.txt <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
assert kinds == ["start"] + ["progress"] * 17 + ["done"], kinds
s, d = ev[0], ev[-1]
assert (s["customers"], s["firms"], s["periods"], s["output"], s["name"]) == (3000, 2, 50, "json.h5", "default"), s
assert s["scenario"].endswith("scenarios/default.yaml") and s["threads"] >= 1, s
assert [e["period"] for e in ev[1:-1]] == list(range(3, 49, 3)) + [50], ev
for e in ev[1:-1]:
    assert e["periods"] == 50 and e["elapsed_s"] >= 0 and e["rate"] >= 0, e
assert ev[-2]["left_s"] == 0, ev[-2]
assert (d["periods_done"], d["periods"], d["complete"], d["output"], d["exit_status"]) == (50, 50, True, "json.h5", 0), d
assert d["wall_s"] > 0 and "message" not in d, d
PY
# Strings are escaped: an output name with a quote, a backslash and a tab.
expect_status 0 "json: odd output name" -- "$RELSIM" run "$D" -o $'we"ird\\\tname.h5' "${TINY[@]}" --progress=json
cp err.txt json-odd.txt
expect_status 0 "json: odd output name escaped" -- "$PYTHON" - json-odd.txt <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[0]["output"] == ev[-1]["output"] == 'we"ird\\\tname.h5', ev
PY
expect_status 73 "json: a failed run" -- "$RELSIM" run "$D" -o no/such/dir/j.h5 "${TINY[@]}" --progress=json
cp err.txt json-fail.txt
expect_status 0 "json: the failure is a done event" -- "$PYTHON" - json-fail.txt <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
d = ev[-1]
assert d["event"] == "done" and d["exit_status"] == 73 and d["output"] is None and not d["complete"], d
assert "no/such/dir/j.h5" in d["message"], d
PY

# Progress, bar (the default on a terminal), in a pseudo-terminal of 40
# columns: set on the terminal (which wins over $COLUMNS), then from $COLUMNS
# when the terminal reports no size. No draw is wider than 39 columns.
# bar_draws FILE: the bar's draws in a terminal transcript, one a line.
bar_draws() { tr '\r' '\n' <"$1" | grep -E '[0-9]+/[0-9]+ .*left' || true; }
check_bar() {
  checks=$((checks + 1))
  local n wide
  n=$(bar_draws "$1" | wc -l)
  wide=$(bar_draws "$1" | awk -v w="$2" 'length($0) > w - 1')
  [ "$n" -gt 0 ] && [ -z "$wide" ] || fail "$3: $n draws, wider than $(($2 - 1)): ${wide:-none}; $(cat -A "$1")"
  checks=$((checks + 1))
  bar_draws "$1" | tail -1 | grep -qE '^\[#+\] .*12/12.*/s' || fail "$3: the last draw is not a full bar: $(cat -A "$1")"
  checks=$((checks + 1))
  [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "$3: the bar's line is not ended: $(cat -A "$1")"
}
if command -v script >/dev/null; then
  printf -v run_cmd '%q ' "$RELSIM" run "$D" -o bar.h5 --force "${TINY[@]}"
  COLUMNS=200 SHELL=/bin/bash script -qec "stty cols 40; $run_cmd >/dev/null" /dev/null </dev/null >bar1.txt
  check_bar bar1.txt 40 "bar on a 40-column terminal"
  COLUMNS=40 SHELL=/bin/bash script -qec "stty cols 0; $run_cmd >/dev/null" /dev/null </dev/null >bar2.txt
  check_bar bar2.txt 40 "bar with COLUMNS=40"
  # At most ~10 draws a second: a run of a few hundred quick periods (one
  # thread: two contend badly on a busy machine).
  start=$EPOCHREALTIME
  COLUMNS=80 SHELL=/bin/bash script -qec "$run_cmd --set run.periods=200 -t1 >/dev/null" /dev/null </dev/null >bar3.txt
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  checks=$((checks + 1))
  draws=$(bar_draws bar3.txt | wc -l)
  awk -v n="$draws" -v t="$seconds" 'BEGIN { exit !(n <= 10 * t + 2) }' || fail "bar drawn $draws times in $seconds s"
else
  echo "SKIP: the bar tests need util-linux 'script' for a pseudo-terminal"
fi

# More threads than cores: a warning, then the same run; none with --quiet.
cores=$(nproc)
expect_status 0 "more threads than cores" -- "$RELSIM" run "$D" -o many.h5 "${TINY[@]}" --threads $((cores + 1))
expect_in err.txt "relsim: warning: --threads $((cores + 1)) is more than the $cores core" "threads warning"
expect_in err.txt "results are identical, but the run will be slower" "threads warning says why"
expect_status 0 "inspect many" -- "$RELSIM" inspect many.h5
expect_in out.txt "threads:        $((cores + 1)) (ranks 1)" "the run used the threads asked for"
expect_status 0 "threads within the cores" -- "$RELSIM" run "$D" -o few.h5 "${TINY[@]}" --threads "$cores"
checks=$((checks + 1))
! grep -q warning err.txt || fail "a warning for $cores threads on $cores cores: $(cat err.txt)"

# Default output name: scenario base name + .h5 in the current directory.
expect_status 0 "default output name" -- "$RELSIM" run "$SRC/scenarios/default.yaml" "${SMALL[@]}"
expect_file default.h5 "default output name"

# Output in a missing directory: exit 73, nothing left behind.
expect_status 73 "unwritable output" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o no/such/dir/x.h5 "${SMALL[@]}"
expect_in err.txt "no/such/dir/x.h5" "unwritable output named"

# Interrupted run: SIGINT leaves the partial file, valid and marked incomplete;
# the output name is not written.
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
expect_file interrupted.h5.partial "interrupted run keeps its partial file"
expect_no_file interrupted.h5 "interrupted run does not write the output name"
expect_in int.err "marked incomplete" "interrupted run says so"
expect_status 0 "inspect interrupted" -- "$RELSIM" inspect interrupted.h5.partial
expect_in out.txt "complete:       NO" "interrupted file marked incomplete"
expect_status 0 "inspect --json interrupted" -- "$RELSIM" inspect --json interrupted.h5.partial
expect_in out.txt '"complete": false' "interrupted file marked incomplete in JSON"

# Failures of building the simulation map to their own exit statuses: an
# unreadable network file is unreadable input (66), a wrong one a bad
# scenario (65); neither leaves a file.
expect_status 66 "missing network file" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o nonet.h5 "${SMALL[@]}" \
  --set network.kind=file --set network.file=no-such-network.txt
expect_in err.txt "cannot open network file 'no-such-network.txt'" "missing network file named"
expect_no_file nonet.h5 "no output for a missing network file"
expect_no_file nonet.h5.partial "no partial output for a missing network file"
expect_status 65 "bad network file" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o badnet.h5 "${SMALL[@]}" \
  --set network.kind=file --set network.file="$SRC/tests/networks/bad_token.txt"
expect_in err.txt "bad_token.txt:4: expected two customer indices" "bad network file located"
expect_no_file badnet.h5 "no output for a bad network file"

# A file whose /firm/period has 32 dimensions (HDF5's maximum) is refused,
# not read past the reader's buffers.
"$PYTHON" - <<'PY'
import shutil, h5py, numpy as np
shutil.copy("small.h5", "rank32.h5")
with h5py.File("rank32.h5", "r+") as f:
    del f["firm/period"]
    f.create_dataset("firm/period", data=np.zeros((1,) * 32, dtype="i4"))
PY
expect_status 66 "inspect a file with a 32-dimensional period" -- "$RELSIM" inspect rank32.h5
expect_in err.txt "not a complete relsim output file" "32-dimensional period refused"

# -o naming a directory is refused before anything runs (exit 73).
mkdir -p outdir
expect_status 73 "output is a directory" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o outdir "${SMALL[@]}"
expect_in err.txt "cannot write outdir: it is a directory" "directory output refused"
expect_no_file outdir.partial "directory output leaves nothing"

# JSON progress stays valid JSON when the scenario's path is not UTF-8.
cp "$SRC/scenarios/default.yaml" "bad$(printf '\xff')name.yaml"
expect_status 0 "json progress with a non-UTF-8 path" -- "$RELSIM" run "bad$(printf '\xff')name.yaml" -o badname.h5 \
  --set market.customers=2000 --set run.periods=2 --set network.contacts=20 --progress=json
checks=$((checks + 1))
"$PYTHON" -c 'import json, sys; [json.loads(l) for l in sys.stdin]' <err.txt || fail "json progress with a non-UTF-8 path is not JSON"

# Bounds: every value that drives a loop or a draw keeps a period finite, or
# is refused with its position, key, value and what is allowed. A hang is
# killed after 120 s and fails its check (relsim stops at a period boundary
# on SIGTERM, so the kill is SIGKILL).
T=(timeout -s KILL 120)
expect_status 0 "advertising with a tiny ad_cost ends" -- "${T[@]}" "$RELSIM" run "$D" -o ads.h5 "${SMALL[@]}" \
  --set run.periods=3 --set firms.0.ad_cost=1e-300 --set firms.0.new_customer_discount=0
expect_status 0 "inspect the tiny ad_cost run" -- "$RELSIM" inspect --json ads.h5
expect_status 0 "everyone is aware of the advertiser" -- "$PYTHON" -c '
import h5py
with h5py.File("ads.h5", "r") as f:
    aware = f["firm/aware_customers"][...]
    impressions = f["firm/impressions"][...]
assert (aware[:, 0] == 3000).all(), aware[:, 0]
assert (impressions[:, 0] > 1e290).all(), impressions[:, 0]
'
expect_status 65 "a story size beyond any contact list" -- "${T[@]}" "$RELSIM" run "$D" -o tell.h5 "${SMALL[@]}" \
  --set wom.tell_negative=1e12
expect_in err.txt "--set:4: wom.tell_negative: 1e12 is out of range; allowed: number from 0 to 2147483647" \
  "story size bound named"
expect_status 65 "story sizes in a file" -- "$RELSIM" validate "$SRC/tests/scenarios/bad_story_size.yaml"
expect_in err.txt "bad_story_size.yaml:5:18: wom.tell_negative: 1e12 is out of range; allowed: number from 0 to 2147483647" \
  "story size bound located"
# A story explosion is reported as one, with the keys to lower (exit 65), not
# as running out of memory.
expect_status 65 "a story explosion" -- "${T[@]}" "$RELSIM" run "$D" -o boom.h5 --quiet --max-memory unlimited \
  --set market.customers=70000 --set run.periods=2 --set network.kind=mixed --set wom.tell_all=true \
  --set inject.per_period=70000
expect_in err.txt "relsim: word of mouth in period 0: " "story explosion: the period"
expect_in err.txt "more than the 4294967294 one period can hold (a story explosion); lower wom.tell_all (true: a story reaches every contact), wom.relay (0.05: hearers tell again), inject.per_period (70000) or the contacts (network.kind mixed: 69999 each)" \
  "story explosion: what happened and the keys to lower"
checks=$((checks + 1))
! grep -q "out of memory" err.txt || fail "a story explosion reported as out of memory: $(cat err.txt)"
# Every input read is bounded: a scenario of more than 1 MiB is refused where
# it passes the limit (reading /dev/zero ends at once); a UTF-16 scenario is
# refused, not recorded with 3 of its bytes.
expect_status 65 "validate /dev/zero" -- "${T[@]}" "$RELSIM" validate /dev/zero
expect_in err.txt "/dev/zero:1:1048577: the file goes on past 1048576 bytes here; allowed: a scenario file of at most 1048576 bytes (1 MiB)" \
  "scenario size limit named"
expect_status 65 "a UTF-16 scenario" -- "$RELSIM" run "$SRC/tests/scenarios/bad_utf16.yaml" -o utf16.h5 "${SMALL[@]}"
expect_in err.txt "bad_utf16.yaml:1:1: the file is UTF-16LE text (it starts with the byte-order mark FF FE); allowed: UTF-8 text (save the file as UTF-8)" \
  "UTF-16 scenario refused"
expect_no_file utf16.h5 "no output for a UTF-16 scenario"
# A YAML tag is refused at the tag, with its key (it was ignored).
expect_status 65 "a YAML tag" -- "$RELSIM" validate "$SRC/tests/scenarios/bad_tag_python.yaml"
expect_in err.txt "bad_tag_python.yaml:4:6: run: tag '!!python/object:os.system' is not supported; allowed: a value without a tag (its key decides how it is read; !!str marks a scalar as text)" \
  "YAML tag refused"
# A network file is text of at most 16 GiB with at least one edge: /dev/zero
# ends at its first byte, a NUL byte is named (not "line longer than 4094
# characters"), an empty edge list is an error (it ran with no contacts).
expect_status 65 "network file /dev/zero" -- "${T[@]}" "$RELSIM" run "$D" -o zero.h5 "${SMALL[@]}" \
  --set network.kind=file --set network.file=/dev/zero
expect_in err.txt '/dev/zero:1:1: a NUL byte, so not a text file; allowed: lines of two customer indices "i j"' \
  "network /dev/zero refused"
expect_status 65 "network file with a NUL byte" -- "$RELSIM" run "$D" -o nul.h5 "${SMALL[@]}" \
  --set network.kind=file --set network.file="$SRC/tests/networks/bad_nul.txt"
expect_in err.txt 'bad_nul.txt:4:2: a NUL byte, so not a text file; allowed: lines of two customer indices "i j"' \
  "NUL byte in a network file named"
expect_status 65 "network file without edges" -- "$RELSIM" run "$D" -o empty.h5 "${SMALL[@]}" \
  --set network.kind=file --set network.file="$SRC/tests/networks/bad_empty.txt"
expect_in err.txt 'bad_empty.txt: no edges (the file is empty, or has only comments and blank lines), so no customer could tell another; allowed: an edge list of at least one line "i j"' \
  "empty network file refused"
expect_no_file empty.h5 "no output for an empty network file"

finish
