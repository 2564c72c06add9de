#!/usr/bin/env bash
# Runs killed with SIGKILL at random moments (docs/output.md, "What a run
# leaves"): every value the file left behind claims (rows below
# periods_done, snapshots below snapshots_done) equals the uninterrupted
# run's, bit for bit; a file that cannot be read is refused by `relsim
# inspect` too; and `--resume` completes each run to a file whose data equal
# the uninterrupted run's. KILLS (default 20) and KILL_SEED (default: random,
# printed) choose the runs and the moments.
# Usage: test_kill.sh RELSIM SOURCE_DIR WORK_DIR
source "$(dirname "$0")/common.sh"
KILLS=${KILLS:-20}
KILL_SEED=${KILL_SEED:-$RANDOM}
echo "test_kill: $KILLS kills, KILL_SEED=$KILL_SEED"
RUN=(run "$SRC/scenarios/default.yaml" --quiet -t 2 --set market.customers=2000 --set run.periods=160
     --set run.snapshot_every=32 --set network.contacts=20)
GROUPS_COMPARED=(firm firm_tier market customers firms scenario)

start=$(date +%s.%N)
expect_status 0 "the uninterrupted run" -- "$RELSIM" "${RUN[@]}" -o ref.h5
wall=$("$PYTHON" -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
# the moments: uniform over the uninterrupted run's wall time
mapfile -t moments < <("$PYTHON" -c "
import random, sys
r = random.Random(int(sys.argv[1]))
for _ in range(int(sys.argv[2])): print(f'{r.uniform(0.02, float(sys.argv[3])):.3f}')" "$KILL_SEED" "$KILLS" "$wall")

declare -A seen=()
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
    state="nothing"                     # killed before the file was created
  else
    state=$("$PYTHON" "$SRC/tests/kill_check.py" ref.h5 "$left")
    checks=$((checks + 1))
    case "$state" in
      ok*) "$RELSIM" inspect "$left" >inspect.out 2>&1 || fail "kill $i at ${at}s: inspect refuses a readable file: $(cat inspect.out)" ;;
      unusable*)
        if "$RELSIM" inspect "$left" >inspect.out 2>&1; then
          fail "kill $i at ${at}s: $state, yet relsim inspect accepts it"
        fi ;;
      *) fail "kill $i at ${at}s: $state" ;;
    esac
  fi
  seen[${state%% *}]=$((${seen[${state%% *}]:-0} + 1))
  checkpoint=none
  [ -f out.h5.checkpoint ] && checkpoint=yes
  if [ -f out.h5 ] && [ ! -f out.h5.partial ]; then
    resumed="(finished before the kill)"
  else
    expect_status 0 "kill $i at ${at}s: --resume" -- "$RELSIM" "${RUN[@]}" -o out.h5 --checkpoint-every 10 --resume
    resumed="resumed"
  fi
  checks=$((checks + 1))
  if ! "$PYTHON" "$SRC/tests/golden_compare.py" ref.h5 out.h5 "${GROUPS_COMPARED[@]}" >cmp.txt 2>&1; then
    fail "kill $i at ${at}s ($state, checkpoint $checkpoint): the resumed file differs: $(head -5 cmp.txt)"
  fi
  expect_no_file out.h5.partial "kill $i: no partial file after the resumed run"
  expect_no_file out.h5.checkpoint "kill $i: no checkpoint after the resumed run"
  echo "kill $i at ${at}s: $state; checkpoint $checkpoint; $resumed"
done
for s in "${!seen[@]}"; do echo "test_kill: $s: ${seen[$s]}"; done
finish
