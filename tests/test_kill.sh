#!/usr/bin/env bash
# Runs killed with SIGKILL at random moments (docs/output.md, "What a run
# leaves"): every value the file left behind claims (rows below
# periods_done, snapshots below snapshots_done) equals the uninterrupted
# run's, bit for bit; a file that cannot be read is refused by `relsim
# inspect` too; and `--resume` completes each run to a file whose data equal
# the uninterrupted run's, as does an uninterrupted run with checkpoints.
# KILLS (default 20) and KILL_SEED (default: random, printed) choose the
# runs and the moments, uniform over the time a run with checkpoints takes.
# Usage: test_kill.sh RELSIM SOURCE_DIR WORK_DIR
source "$(dirname "$0")/common.sh"
KILLS=${KILLS:-20}
KILL_SEED=${KILL_SEED:-$RANDOM}
echo "test_kill: $KILLS kills, KILL_SEED=$KILL_SEED"
RUN=(run "$SRC/scenarios/default.yaml" --quiet -t 2 --set market.customers=2000 --set run.periods=160
     --set run.snapshot_every=32 --set network.contacts=20)

expect_status 0 "the uninterrupted run" -- "$RELSIM" "${RUN[@]}" -o ref.h5
# The moments: uniform over the wall time of an uninterrupted run made as
# the killed ones are (checkpoints included, which make it slower), so that
# they cover the whole run. Its file must equal the reference too.
start=$(date +%s.%N)
expect_status 0 "an uninterrupted run with checkpoints" -- "$RELSIM" "${RUN[@]}" -o timed.h5 --checkpoint-every 10
wall=$("$PYTHON" -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
mapfile -t moments < <("$PYTHON" -c "
import random, sys
r = random.Random(int(sys.argv[1]))
for _ in range(int(sys.argv[2])): print(f'{r.uniform(0.02, float(sys.argv[3])):.3f}')" "$KILL_SEED" "$KILLS" "$wall")

# Each kill: what the moment left is kept as left_I.h5 (and relsim inspect's
# verdict on it), the run completed by --resume as resumed_I.h5; the files
# are checked against the reference afterwards, all in one Python process.
declare -A state inspected how
lefts=()
resumed=(timed.h5)
for i in "${!moments[@]}"; do
  at=${moments[$i]}
  rm -f out.h5 out.h5.partial out.h5.partial.new out.h5.checkpoint out.h5.checkpoint.new
  "$RELSIM" "${RUN[@]}" -o out.h5 --checkpoint-every 10 >run.out 2>run.err &
  pid=$!
  sleep "$at"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  left=out.h5.partial
  [ -f "$left" ] || left=out.h5
  if [ ! -f "$left" ]; then
    state[$i]="nothing"                 # killed before the file was created
  else
    cp "$left" "left_$i.h5"
    lefts+=("left_$i.h5")
    "$RELSIM" inspect "$left" >"inspect_$i.out" 2>&1
    inspected[$i]=$?
  fi
  checkpoint=none
  [ -f out.h5.checkpoint ] && checkpoint=yes
  if [ -f out.h5 ] && [ ! -f out.h5.partial ]; then
    completed="(finished before the kill)"
  else
    expect_status 0 "kill $i at ${at}s: --resume" -- "$RELSIM" "${RUN[@]}" -o out.h5 --checkpoint-every 10 --resume
    completed="resumed"
  fi
  expect_no_file out.h5.partial "kill $i: no partial file after the resumed run"
  expect_no_file out.h5.checkpoint "kill $i: no checkpoint after the resumed run"
  [ -f out.h5 ] && mv out.h5 "resumed_$i.h5"
  resumed+=("resumed_$i.h5")
  how[$i]="checkpoint $checkpoint; $completed"
done

# The verdicts, one line per file ("FILE: VERDICT").
"$PYTHON" "$SRC/tests/kill_check.py" ref.h5 --left "${lefts[@]}" --resumed "${resumed[@]}" >verdicts.txt 2>&1 ||
  fail "kill_check.py failed: $(tail -5 verdicts.txt)"
verdict() { sed -n "s/^$1: //p" verdicts.txt; }
checks=$((checks + 1))
[ "$(verdict timed.h5)" = same ] || fail "the uninterrupted run with checkpoints differs: $(verdict timed.h5)"
declare -A seen=()
for i in "${!moments[@]}"; do
  at=${moments[$i]}
  if [ -f "left_$i.h5" ]; then
    state[$i]=$(verdict "left_$i.h5")
    checks=$((checks + 1))
    case "${state[$i]}" in
      ok*) [ "${inspected[$i]}" -eq 0 ] || fail "kill $i at ${at}s: inspect refuses a readable file: $(cat "inspect_$i.out")" ;;
      unusable*) [ "${inspected[$i]}" -ne 0 ] || fail "kill $i at ${at}s: ${state[$i]}, yet relsim inspect accepts it" ;;
      *) fail "kill $i at ${at}s: ${state[$i]:-no verdict}" ;;
    esac
  fi
  checks=$((checks + 1))
  [ "$(verdict "resumed_$i.h5")" = same ] ||
    fail "kill $i at ${at}s (${state[$i]}, ${how[$i]}): the resumed file differs: $(verdict "resumed_$i.h5")"
  s=${state[$i]}
  seen[${s%% *}]=$((${seen[${s%% *}]:-0} + 1))
  echo "kill $i at ${at}s: ${state[$i]}; ${how[$i]}"
done
for s in "${!seen[@]}"; do echo "test_kill: $s: ${seen[$s]}"; done
finish
