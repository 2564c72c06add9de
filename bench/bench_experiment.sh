#!/usr/bin/env bash
# relsim experiment benchmark (docs/performance.md, "Experiments"): RUNS runs
# of the default scenario at 10^4 customers x 52 periods, each with one
# thread, made
#   - by a shell loop of separate `relsim run` processes (one at a time, and
#     two at a time with xargs -P 2),
#   - by `relsim run --replications RUNS` with --jobs 1 and --jobs 2,
#   - by `mpiexec -n 2 relsim run --replications RUNS` (one job per rank),
# repeated REPS times, interleaved; prints the median wall times, the ratios,
# the experiment engine's overhead per run (wall time x jobs minus the runs'
# own time, /runs/wall_seconds, per run, as a share of a run's own time),
# the peak memory of 20 and of RUNS replications, and the task farm's weak
# scaling over 1, 2 and 4 ranks (--oversubscribe) at RUNS_PER_RANK runs per
# rank. Usage: bench/bench_experiment.sh [BUILD_DIR] [RUNS] [REPS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
runs=${2:-200}
reps=${3:-3}
runs_per_rank=${RUNS_PER_RANK:-40}
py=/usr/bin/python3
if [ ! -x "$build/relsim" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
relsim=$build/relsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
SETS=(--set market.customers=10000 --set run.periods=52)
scen=$src/scenarios/default.yaml
now() { date +%s.%N; }

loop1() { for s in $(seq 1 "$runs"); do "$relsim" run "$scen" -s "$s" -t 1 -o "$work/l$s.h5" -f -q "${SETS[@]}"; done; }
loop2() {
  seq 1 "$runs" | xargs -P 2 -I{} "$relsim" run "$scen" -s {} -t 1 -o "$work/l{}.h5" -f -q "${SETS[@]}"
}
jobs1() { "$relsim" run "$scen" --replications "$runs" -j 1 -t 1 -o "$work/j1.h5" -f -q "${SETS[@]}"; }
jobs2() { "$relsim" run "$scen" --replications "$runs" -j 2 -t 1 -o "$work/j2.h5" -f -q "${SETS[@]}"; }
mpi2() { mpiexec -n 2 "$relsim" run "$scen" --replications "$runs" -o "$work/m2.h5" -f -q "${SETS[@]}"; }

declare -A t
cases=(loop1 loop2 jobs1 jobs2)
if "$relsim" --version | grep -q "with MPI" && command -v mpiexec >/dev/null; then cases+=(mpi2); fi
for rep in $(seq 1 "$reps"); do
  for c in "${cases[@]}"; do
    a=$(now)
    "$c"
    t[$c]+="$(awk -v a="$a" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }') "
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "relsim $("$relsim" --version | cut -d' ' -f2-), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "$runs runs of the default scenario, 10^4 customers x 52 periods, 1 thread per run; median of $reps, interleaved"
echo
echo "| how | wall s (median) | all | runs/s |"
echo "|---|---:|---|---:|"
for c in "${cases[@]}"; do
  m=$(median "${t[$c]}")
  echo "| $c | $m | ${t[$c]}| $(awk -v r="$runs" -v m="$m" 'BEGIN { printf "%.2f", r / m }') |"
done
m_l1=$(median "${t[loop1]}"); m_l2=$(median "${t[loop2]}"); m_j1=$(median "${t[jobs1]}"); m_j2=$(median "${t[jobs2]}")
echo
awk -v l1="$m_l1" -v l2="$m_l2" -v j1="$m_j1" -v j2="$m_j2" 'BEGIN {
  printf "speed-up of the engine over the shell loop: %.2fx (1 at a time), %.2fx (2 at a time)\n", l1 / j1, l2 / j2
  printf "1 -> 2 workers: %.2fx (engine), %.2fx (shell loop)\n", j1 / j2, l1 / l2 }'
# the overhead per run: the wall time of --jobs 1 minus the runs' own time
"$py" - "$work/j1.h5" "$m_j1" <<'EOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1]); wall = float(sys.argv[2])
own = f["runs/wall_seconds"][:]
n = len(own)
over = (wall - own.sum()) / n
print(f"--jobs 1: {n} runs, a run's own time {own.mean() * 1e3:.1f} ms (median {np.median(own) * 1e3:.1f}), "
      f"wall per run {wall / n * 1e3:.1f} ms: engine overhead {over * 1e3:.2f} ms per run, "
      f"{100 * over / own.mean():.1f}% of a run's own time (process start, loading, journal, the file, summaries)")
EOF
for n in 20 "$runs"; do
  /usr/bin/time -f "%M" -o "$work/mem" "$relsim" run "$scen" --replications "$n" -j 2 -t 1 -o "$work/mem.h5" -f -q "${SETS[@]}"
  echo "peak memory, $n replications, --jobs 2: $(($(cat "$work/mem") / 1024)) MB; file $(($(stat -c %s "$work/mem.h5") / 1024)) KiB"
done
if [[ " ${cases[*]} " == *" mpi2 "* ]]; then
  echo
  echo "weak scaling of the task farm ($runs_per_rank runs per rank, 1 job per rank, --oversubscribe on $(nproc) cores):"
  echo "| ranks | runs | wall s | runs/s |"
  echo "|---:|---:|---:|---:|"
  for r in 1 2 4; do
    n=$((r * runs_per_rank))
    a=$(now)
    mpiexec --oversubscribe -n "$r" "$relsim" run "$scen" --replications "$n" -o "$work/w.h5" -f -q "${SETS[@]}"
    w=$(awk -v a="$a" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
    echo "| $r | $n | $w | $(awk -v n="$n" -v w="$w" 'BEGIN { printf "%.2f", n / w }') |"
  done
fi
