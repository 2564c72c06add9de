#!/usr/bin/env bash
# Build the fuzz harnesses (preset fuzz: clang, libFuzzer, AddressSanitizer,
# UndefinedBehaviorSanitizer) and run each for SECONDS (default 60), both at
# once. tests/run_all.sh runs it briefly; docs/testing.md describes a longer
# run and what to do with a crash.
#
#   bash tests/fuzz/run.sh [SECONDS]
#
# Seeds: the shipped and test scenarios and networks, and tests/fuzz/corpus.
# What the fuzzers find is kept in build-fuzz/corpus/ (a later run starts
# from it); a failing input goes to build-fuzz/artifacts/NAME/. Exits 1 if a
# fuzzer fails; without clang and libFuzzer it says so and exits 0 (1 when
# CI=true: .ci/deps installs them there).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash tests/fuzz/run.sh [SECONDS]" >&2
  exit 64
fi

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n'\
'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe/probe.c"
if ! command -v clang >/dev/null ||
   ! clang -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>"$probe/why"; then
  echo "fuzz: SKIPPED: needs clang with libFuzzer (Debian: clang libclang-rt-dev)" >&2
  [ -s "$probe/why" ] && sed 's/^/  /' "$probe/why" >&2
  [ "${CI:-}" = true ] && { echo "fuzz: CI=true and clang is missing: .ci/deps should have installed it" >&2; exit 1; }
  exit 0
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

out=build-fuzz
# The scenario dictionary: every key and value word of the key reference
# (so always the current keys), and the YAML that joins them.
{
  grep -o '`[^` ]*`' docs/scenario-keys.md | tr -d '`' | tr '.' '\n'
  grep -o '`[^` ]*`' docs/scenario-keys.md | tr -d '`'
  printf '%s\n' ': ' '- ' '#set ' 'firms.0.' 'firms.1.' '[' ']' '{' '}' ', ' '&a ' '*a' '!!str ' '!!map ' \
    '---' '...' '"' "'" '\' '>-' '|' 'true' 'false' '~' 'null' '.inf' '-.inf' '.nan' '0x' '1e309' \
    '-0' '2147483648' '18446744073709551616' $'\t' $'\r\n' $'\xef\xbc\x9a' $'\xe3\x80\x80'
} | LC_ALL=C sort -u |
  perl -ne 'chomp; next unless length; s/([\\"])/\\$1/g; s/([^\x20-\x7e])/sprintf("\\x%02X", ord $1)/ge; print "\"$_\"\n"' > "$out/scenario.dict"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
declare -A seeds=(
  [scenario]="scenarios tests/scenarios tests/fuzz/corpus/scenario"
  [network]="tests/networks tests/fuzz/corpus/network"
)
declare -A extra=(
  [scenario]="-max_len=8192 -dict=$out/scenario.dict"
  [network]="-max_len=8192"
)
declare -A pid
for name in scenario network; do
  mkdir -p "$out/corpus/$name" "$out/artifacts/$name"
  # shellcheck disable=SC2086  # the seed directories and options are word lists
  "$out/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${extra[$name]} -artifact_prefix="$out/artifacts/$name/" "$out/corpus/$name" ${seeds[$name]} \
    >"$out/fuzz_$name.log" 2>&1 &
  pid[$name]=$!
done
status=0
for name in scenario network; do
  if wait "${pid[$name]}"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$name.log")
    echo "fuzz_$name: ok, ${runs:-?} inputs in ${seconds} s, corpus $(find "$out/corpus/$name" -type f | wc -l) files"
  else
    status=1
    echo "fuzz_$name: FAILED (log: $out/fuzz_$name.log)" >&2
    # the report: from its first line (sanitizer, libFuzzer or harness) on
    awk '/^==[0-9]+==|^fuzz: |runtime error|^ALARM|^MS: / { on = 1 } on && n++ < 80' "$out/fuzz_$name.log" |
      sed 's/^/  /' >&2
    for a in "$out/artifacts/$name"/*; do
      [ -e "$a" ] || continue
      echo "  failing input: $a" >&2
      echo "  reproduce: $out/tests/fuzz/fuzz_$name $a" >&2
    done
    echo "  keep it as a test: docs/testing.md, 'A crash'" >&2
  fi
done
exit "$status"
