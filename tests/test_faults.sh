#!/usr/bin/env bash
# Faults around the output file (docs/output.md, "What a run leaves"): two
# runs writing the same output, an existing output with and without
# --force, the scenario file as the output, an interrupted rerun, -o naming
# a directory, the output directory removed during a run, a full disk at the
# start and during a run (a small tmpfs, when run as root), a signal inside a
# long period, and --resume without what it needs. Each checks the exit
# status, the message and what is left on the disk.
# Usage: test_faults.sh RELSIM SOURCE_DIR WORK_DIR
source "$(dirname "$0")/common.sh"
D="$SRC/scenarios/default.yaml"
TINY=(--set market.customers=3000 --set run.periods=12 --set network.contacts=20 --quiet)
LONG=(--set market.customers=3000 --set run.periods=100000 --set network.contacts=20 --quiet)

# wait_for FILE: until FILE exists (at most 20 s).
wait_for() {
  for _ in $(seq 1 200); do [ -e "$1" ] && return 0; sleep 0.1; done
  fail "waited 20 s for $1"
}

# stop PID SIGNAL: send the signal and give the exit status in $status.
stop() {
  kill "-$2" "$1"
  wait "$1"
  status=$?
}

# 1. Two runs with the same output: the second is refused, even with
# --force, and the first is untouched.
"$RELSIM" run "$D" -o same.h5 "${LONG[@]}" 2>first.err &
first=$!
wait_for same.h5.partial
sleep 1
for force in "" --force; do
  expect_status 73 "a second writer $force" -- "$RELSIM" run "$D" -o same.h5 $force "${TINY[@]}"
  expect_in err.txt "another relsim run is writing same.h5.partial (the file is locked)" "second writer $force told"
done
expect_status 66 "inspect a file being written" -- "$RELSIM" inspect same.h5.partial
expect_in err.txt "is being written by a running relsim" "inspect of a live file told"
stop "$first" TERM
checks=$((checks + 1))
[ "$status" -eq 143 ] || fail "first writer: exit status $status after SIGTERM, expected 143: $(cat first.err)"
expect_status 0 "the first writer's file is intact" -- "$RELSIM" inspect same.h5.partial
expect_in out.txt "complete:       NO" "the first writer's file is marked incomplete"
checks=$((checks + 1))
grep -qE '^periods: +[1-9][0-9]* of 100000 done' out.txt || fail "the first writer's file lost its periods: $(cat out.txt)"
expect_no_file same.h5 "an interrupted run writes no output name"

# 2. A partial file left by a dead run: refused without --resume or --force.
expect_status 73 "a dead run's partial file" -- "$RELSIM" run "$D" -o same.h5 "${TINY[@]}"
expect_in err.txt "same.h5.partial is left by a run that did not finish; continue it with --resume" \
  "a dead run's partial file told"
expect_status 0 "--force replaces a dead run's partial file" -- "$RELSIM" run "$D" -o same.h5 --force "${TINY[@]}"
expect_file same.h5 "--force run completes"
expect_no_file same.h5.partial "--force run leaves no partial file"

# 3. An existing output: refused without --force (untouched); replaced with it.
sum=$(md5sum <same.h5)
expect_status 73 "an existing output" -- "$RELSIM" run "$D" -o same.h5 "${TINY[@]}"
expect_in err.txt "same.h5 exists; give --force to replace it" "an existing output told"
checks=$((checks + 1))
[ "$(md5sum <same.h5)" = "$sum" ] || fail "a refused run changed the existing output"
expect_status 0 "--force replaces an existing output" -- "$RELSIM" run "$D" -o same.h5 --force "${TINY[@]}" -s 2
checks=$((checks + 1))
[ "$(md5sum <same.h5)" != "$sum" ] || fail "--force did not replace the output"

# 4. An interrupted rerun never replaces a complete file.
sum=$(md5sum <same.h5)
"$RELSIM" run "$D" -o same.h5 --force "${LONG[@]}" 2>rerun.err &
rerun=$!
wait_for same.h5.partial
sleep 1
stop "$rerun" INT
checks=$((checks + 1))
[ "$status" -eq 130 ] || fail "interrupted rerun: exit status $status, expected 130: $(cat rerun.err)"
checks=$((checks + 1))
[ "$(md5sum <same.h5)" = "$sum" ] || fail "an interrupted rerun replaced the complete output"
expect_file same.h5.partial "the interrupted rerun keeps its partial file"
expect_in rerun.err "same.h5.partial keeps them, marked incomplete" "the interrupted rerun names its partial file"

# 5. The scenario file as the output: refused, even with --force.
cp "$D" scen.yaml
for force in "" --force; do
  expect_status 73 "the scenario as output $force" -- "$RELSIM" run scen.yaml -o scen.yaml $force "${TINY[@]}"
  expect_in err.txt "the output scen.yaml is the scenario file itself" "the scenario as output told"
done
checks=$((checks + 1))
cmp -s "$D" scen.yaml || fail "the scenario file was changed"

# 6. -o naming a directory, a missing directory, a device: refused before the run.
mkdir -p adir
expect_status 73 "-o a directory" -- "$RELSIM" run "$D" -o adir "${TINY[@]}"
expect_in err.txt "cannot write adir: it is a directory; give a file name, e.g. -o adir/run.h5" "-o a directory told"
expect_no_file adir.partial "-o a directory leaves nothing"
expect_status 73 "-o in a missing directory" -- "$RELSIM" run "$D" -o no/such/x.h5 "${TINY[@]}"
expect_in err.txt "cannot write no/such/x.h5: directory no/such does not exist" "missing directory told"
expect_status 73 "-o a device" -- "$RELSIM" run "$D" -o /dev/null --force "${TINY[@]}"
expect_in err.txt "it is not a regular file" "-o a device told"

# 7. The output directory removed during the run: a clear error (74) at the
# next commit, no crash.
mkdir -p gone
"$RELSIM" run "$D" -o gone/x.h5 "${LONG[@]}" 2>gone.err &
run=$!
wait_for gone/x.h5.partial
sleep 1
rm -rf gone
wait "$run"
status=$?
checks=$((checks + 1))
[ "$status" -eq 74 ] || fail "directory removed: exit status $status, expected 74: $(cat gone.err)"
expect_in gone.err "gone/x.h5.partial was removed, moved or replaced during the run (or its directory was)" \
  "directory removed told"

# 8. --resume without what it needs.
expect_status 0 "--resume with no file at all starts the run" -- "$RELSIM" run "$D" -o nothing.h5 --resume "${TINY[@]}"
expect_file nothing.h5 "--resume with no file at all writes the output"
expect_status 66 "--resume of a complete output" -- "$RELSIM" run "$D" -o nothing.h5 --resume "${TINY[@]}"
expect_in err.txt "nothing to resume: nothing.h5 is complete" "nothing to resume told"
expect_status 64 "--resume with --force" -- "$RELSIM" run "$D" -o x.h5 --resume --force "${TINY[@]}"
# a checkpointed run stopped by SIGTERM, resumed with another seed: refused, kept
"$RELSIM" run "$D" -o ck.h5 --checkpoint-every 5 "${LONG[@]}" 2>ck.err &
run=$!
wait_for ck.h5.checkpoint
stop "$run" TERM
expect_in ck.err "continue from the checkpoint at period" "an interrupted checkpointed run says how to resume"
expect_status 66 "--resume with another seed" -- "$RELSIM" run "$D" -o ck.h5 --resume -s 99 "${LONG[@]}"
expect_in err.txt "was written for another scenario" "another scenario told"
expect_file ck.h5.partial "a refused resume keeps the partial file"
expect_file ck.h5.checkpoint "a refused resume keeps the checkpoint"
cp ck.h5.checkpoint ck.saved
"$PYTHON" -c "
import h5py
with h5py.File('ck.h5.checkpoint', 'r+') as f: f.attrs['git_commit'] = 'another'"
expect_status 66 "--resume from another build's checkpoint" -- "$RELSIM" run "$D" -o ck.h5 --resume "${LONG[@]}"
expect_in err.txt "resume with the build that wrote it" "another build's checkpoint told"
mv ck.saved ck.h5.checkpoint
# the same scenario resumes (and is stopped again)
"$RELSIM" run "$D" -o ck.h5 --checkpoint-every 5 --resume "${LONG[@]}" >resume.out 2>resume.err &
run=$!
sleep 2
stop "$run" TERM
checks=$((checks + 1))
[ "$status" -eq 143 ] || fail "a resumed run stopped: exit status $status, expected 143: $(cat resume.err)"
expect_status 0 "a resumed and stopped file is readable" -- "$RELSIM" inspect ck.h5.partial

# 9. A signal inside a long period stops the run within it: a one-period
# run of a million customers, signalled once its file exists (the period has
# begun), ends interrupted (143) with no period done instead of finishing.
"$RELSIM" run "$D" -o big.h5 --set market.customers=1000000 --set run.periods=1 --set network.contacts=20 \
  --quiet 2>big.err &
run=$!
wait_for big.h5.partial
stop "$run" TERM
checks=$((checks + 1))
[ "$status" -eq 143 ] || fail "signal in a long period: exit status $status, expected 143: $(cat big.err)"
expect_in big.err "interrupted by signal 15 after 0 of 1 periods" "the period was cut short"

# 10. A full disk, at the start and during the run (a tmpfs; root only).
if [ "$(id -u)" -ne 0 ] || ! mkdir -p full || ! mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
  echo "test_faults: skipping the full-disk cases (they mount a small tmpfs, which needs root)"
else
  expect_status 73 "a full disk at the start" -- "$RELSIM" run "$D" -o full/a.h5 "${TINY[@]}"
  expect_in err.txt "No space left on device" "a full disk at the start told"
  checks=$((checks + 1))
  [ -z "$(ls full)" ] || fail "a full disk at the start left: $(ls full)"
  umount full
  mount -t tmpfs -o size=3m tmpfs full
  expect_status 74 "a full disk during the run" -- "$RELSIM" run "$D" -o full/b.h5 --set market.customers=20000 \
    --set run.periods=200 --set run.snapshot_every=1 --set network.contacts=20 --quiet
  expect_in err.txt "No space left on device; no result file was written" "a full disk during the run told"
  checks=$((checks + 1))
  [ -z "$(ls full)" ] || fail "a full disk during the run left: $(ls full)"
  umount full
fi
finish
