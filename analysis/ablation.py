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

From experiment files instead: an experiment with `design: one_at_a_time`
(docs/ablation.yaml: every mechanism [true, false]) holds the baseline as
point 0 and one change per further point, on the same seeds. With
--experiment FILE.h5 (repeatable, e.g. one per market size) the table gives,
for every point and every measure of the file, the paired effect point minus
baseline with its 95% t half-width:

    /usr/bin/python3 analysis/ablation.py --experiment ablation-20k.h5 --experiment ablation-100k.h5 -o docs/ablation.md
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
    if not ok.any():  # nothing measured (e.g. a cohort metric before its first window)
        return float("nan"), float("nan"), False
    if np.array_equal(np.asarray(off), np.asarray(on), equal_nan=True):
        return 0.0, 0.0, True
    d = d[ok]
    if len(d) < 2:
        return float("nan"), float("nan"), False
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean()), float(half), False


def cell(mean, half, same):
    if same:
        return "no effect (identical runs)"
    if np.isnan(mean):
        return "n/a"
    sig = "" if abs(mean) > half else " (CI includes 0)"
    return f"{mean:+.4g} ± {half:.2g}{sig}"


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def from_experiment(path):
    """The paired effects of an experiment file of design one_at_a_time:
    (heading, measure names, rows of (change, cells)) for point 1.. against
    point 0 over the same replications."""
    f = h5py.File(path, "r")
    design = text(f.attrs.get("design", ""))
    if design != "one_at_a_time":
        sys.exit(f"ablation.py: {path}: design {design or '?'}; --experiment reads a one_at_a_time experiment "
                 "(docs/ablation.yaml)")
    names = text(f["measures"].attrs["order"]).split(",")
    point, rep = f["runs/point"][:], f["runs/replication"][:]
    reps = int(rep.max()) + 1
    n_points = int(point.max()) + 1
    keys = [k for k in f["points"].keys() if k != "point"]
    values = {k: f["points"][k][:] for k in keys}
    by_point = {}
    for m in names:
        v = np.full((n_points, reps), np.nan)
        v[point, rep] = f["measures"][m][:]
        by_point[m] = v
    rows = []
    for p in range(1, n_points):
        changed = [k for k in keys if values[k][p] != values[k][0]]
        label = ", ".join(f"{k} off" if k.startswith("mechanisms.") else f"{k} = {values[k][p]:g}" for k in changed)
        rows.append((label or f"point {p}", [cell(*effect(by_point[m][p], by_point[m][0])) for m in names]))
    heading = (f"{os.path.basename(path)}: {n_points - 1} changes against the baseline, {reps} replications each, "
               f"{int(f.attrs['periods'])} periods (`{text(f.attrs.get('command_line', '?'))}`)")
    return heading, names, rows


def main_experiments(paths, output):
    lines = ["Paired effect of each change against the baseline, over the same seeds (change minus baseline), "
             "mean ± 95% t half-width; \"(CI includes 0)\" marks an effect the replications cannot tell from 0.", ""]
    for path in paths:
        heading, names, rows = from_experiment(path)
        lines += [f"### {heading}", "", "| change | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
        lines.append("")
    out = "\n".join(lines)
    print(out)
    if output:
        with open(output, "w") as f:
            f.write(out + "\n")


def main():
    if "--experiment" in sys.argv:
        ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        ap.add_argument("--experiment", action="append", required=True, help="a one_at_a_time experiment file (.h5)")
        ap.add_argument("-o", "--output", help="also write the tables (Markdown) here")
        a = ap.parse_args()
        main_experiments(a.experiment, a.output)
        return
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
            cells = [cell(*effect(off[m][:, fi], base[m][:, fi])) for m, _ in MEASURES]
            lines.append(f"| {n} | {firm} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
