#!/usr/bin/env bash
# relsim benchmark: customer-periods per second and peak memory for the
# default scenario (250 contacts, 260 periods) at 10^5 and 10^6 customers,
# with 1 and 2 threads. Prints a Markdown table (paste into
# docs/performance.md). Usage: bench/bench.sh [BUILD_DIR] [PERIODS]
# The memory target: 10^6 customers x 260 periods x 250 contacts in < 2 GB.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
periods=${2:-260}
if [ ! -x "$build/relsim" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "relsim $("$build/relsim" --version | cut -d' ' -f2-), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| customers | threads | periods | wall s | customer-periods/s | peak memory MB |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in 100000 1000000; do
  for th in 1 2; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$build/relsim" run "$src/scenarios/default.yaml" \
      -o "$work/b.h5" --force --threads "$th" --set market.customers=$n --set run.periods="$periods" --quiet
    read -r wall kb <"$work/time"
    rate=$(awk -v n="$n" -v p="$periods" -v w="$wall" 'BEGIN { printf "%.3g", n * p / w }')
    echo "| $n | $th | $periods | $wall | $rate | $((kb / 1024)) |"
  done
done
