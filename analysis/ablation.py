#!/usr/bin/python3
"""Ablation: what each mechanism does, switched off one at a time.

For a scenario, runs the baseline and, for each mechanism, the same
replications (the same seeds: common random numbers) with
mechanisms.<name>=false, through `relsim run --replications` (one process
and one experiment file per setting). For each firm and measure it prints
the paired effect of switching the mechanism off (off minus on, run by run)
as mean ± the 95% t half-width (scipy), and whether the interval excludes 0.

    /usr/bin/python3 analysis/ablation.py scenarios/default.yaml --relsim build/relsim \\
        --replications 10 --set market.customers=20000 [--mechanisms word_of_mouth,relay] [-o ablation.md]

Measures per firm: cumulative profit at the end, customers kept through the
last cohort window (cohort_retention at the end), active customers at the
end. A mechanism whose runs are identical to the baseline's, bit for bit,
is reported as "no effect (identical runs)".
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
    from scipy import stats
except ImportError as e:  # pragma: no cover
    sys.exit(f"ablation.py: {e.name} is missing for {sys.executable}; run it with /usr/bin/python3 "
             "(Debian: apt-get install python3-h5py python3-numpy python3-scipy)")

MEASURES = [("cumulative_profit", "cumulative profit"), ("cohort_retention", "kept, last cohort window"),
            ("active_customers", "active customers")]


def mechanisms(relsim):
    out = subprocess.run([relsim, "help", "keys", "mechanisms"], capture_output=True, text=True, check=True).stdout
    return [line.split("`")[1].split(".", 1)[1] for line in out.splitlines() if line.startswith("| `mechanisms.")]


def replicate(relsim, scenario, reps, sets, out, jobs):
    cmd = [relsim, "run", scenario, "--replications", str(reps), "-o", out, "--force", "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    for s in sets:
        cmd += ["--set", s]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"ablation.py: {' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    f = h5py.File(out, "r")
    return {m: f["firm/" + m][:, -1, :] for m, _ in MEASURES}, [n.decode() if isinstance(n, bytes) else n
                                                                  for n in f["firms/name"][:]]


def effect(off, on):
    """Paired effect off - on over replications: (mean, half-width, identical)."""
    d = np.asarray(off, float) - np.asarray(on, float)
    ok = np.isfinite(d)
    if np.array_equal(np.asarray(off), np.asarray(on), equal_nan=True):
        return 0.0, 0.0, True
    d = d[ok]
    if len(d) < 2:
        return float("nan"), float("nan"), False
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean()), float(half), False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--relsim", default="relsim")
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--set", action="append", default=[], help="KEY=VALUE, for every run")
    ap.add_argument("--mechanisms", help="comma-separated names (default: every mechanisms.* key)")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--work", help="directory for the experiment files (default: a temporary one)")
    ap.add_argument("-o", "--output", help="also write the table (Markdown) here")
    a = ap.parse_args()
    if a.replications < 2:
        sys.exit("ablation.py: --replications must be at least 2 (a confidence interval needs two)")
    known = mechanisms(a.relsim)
    names = a.mechanisms.split(",") if a.mechanisms else known
    for n in names:
        if n not in known:
            sys.exit(f"ablation.py: unknown mechanism '{n}'; known: {', '.join(known)}")
    work = a.work or tempfile.mkdtemp(prefix="relsim-ablation-")
    os.makedirs(work, exist_ok=True)
    base, firms = replicate(a.relsim, a.scenario, a.replications, a.set, os.path.join(work, "baseline.h5"), a.jobs)
    lines = [f"Ablation of {a.scenario} ({' '.join(a.set) or 'as shipped'}), {a.replications} replications, "
             "the same seeds with the mechanism off; effect = off minus on, mean ± 95% t half-width",
             "", "| mechanism off | firm | " + " | ".join(label for _, label in MEASURES) + " |",
             "|---|---|" + "---|" * len(MEASURES)]
    for n in names:
        off, _ = replicate(a.relsim, a.scenario, a.replications, a.set + [f"mechanisms.{n}=false"],
                           os.path.join(work, f"{n}.h5"), a.jobs)
        for fi, firm in enumerate(firms):
            cells = []
            for m, _ in MEASURES:
                mean, half, same = effect(off[m][:, fi], base[m][:, fi])
                if same:
                    cells.append("no effect (identical runs)")
                elif np.isnan(mean):
                    cells.append("n/a")
                else:
                    sig = "" if abs(mean) > half else " (CI includes 0)"
                    cells.append(f"{mean:+.4g} ± {half:.2g}{sig}")
            lines.append(f"| {n} | {firm} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
