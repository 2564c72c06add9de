#!/usr/bin/env bash
# Build relsim and run every test: the release build, then the sanitizer
# build (AddressSanitizer + UndefinedBehaviorSanitizer), then every shipped
# scenario under ThreadSanitizer, then a short run of the fuzz harnesses
# (docs/testing.md). Installs what is missing first. This is the README's
# test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# step NAME COMMAND...: run a step and say how long it took.
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "run_all: $name: $((SECONDS - start)) s" >&2
}
step deps bash .ci/deps
jobs=$(nproc)
# The tests run $jobs at a time (ctest -j), the longest first.
step "release build" eval 'cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j "$jobs"'
step "release tests" ctest --test-dir build --output-on-failure -j "$jobs"
step "sanitizer build" eval 'cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELSIM_SANITIZE=ON &&
  cmake --build build-asan -j "$jobs"'
step "sanitizer tests" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# ThreadSanitizer (clang, libomp and its Archer tool): every shipped scenario
# on three blocks of customers and three threads (tests/CMakeLists.txt).
if command -v clang >/dev/null; then
  step "tsan build" eval 'cmake --preset tsan && cmake --build --preset tsan -j "$jobs"'
  step "tsan tests" ctest --preset tsan -j "$jobs"
else
  echo "tsan: SKIPPED: needs clang (Debian: clang libomp-dev)" >&2
  [ "${CI:-}" != true ] || { echo "tsan: CI=true and clang is missing: .ci/deps should have installed it" >&2; exit 1; }
fi
# The fuzz harnesses of tests/fuzz, 20 seconds each, both at once (skipped
# without clang and libFuzzer): a smoke run from the seeds; every seed and
# committed reproducer replays in ctest above, and a longer run is
# docs/testing.md's.
step "fuzz (build and 20 s)" bash tests/fuzz/run.sh 20
echo "run_all: all steps: $SECONDS s" >&2
