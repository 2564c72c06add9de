#!/usr/bin/env bash
# Build relsim and run every test: the release build, then the sanitizer
# build (AddressSanitizer + UndefinedBehaviorSanitizer), then every shipped
# scenario under ThreadSanitizer, then a short run of the fuzz harnesses
# (docs/testing.md). Installs what is missing first. This is the README's
# test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELSIM_SANITIZE=ON
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# ThreadSanitizer (clang, libomp and its Archer tool): every shipped scenario
# on three blocks of customers and three threads (tests/CMakeLists.txt).
if command -v clang >/dev/null; then
  cmake --preset tsan
  cmake --build --preset tsan -j "$jobs"
  ctest --preset tsan -j "$jobs"
else
  echo "tsan: SKIPPED: needs clang (Debian: clang libomp-dev)" >&2
  [ "${CI:-}" != true ] || { echo "tsan: CI=true and clang is missing: .ci/deps should have installed it" >&2; exit 1; }
fi
# The fuzz harnesses of tests/fuzz, 45 seconds each, both at once (skipped
# without clang and libFuzzer).
bash tests/fuzz/run.sh 45
