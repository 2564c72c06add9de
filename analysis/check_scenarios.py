#!/usr/bin/python3
"""Does each shipped scenario show its lesson, seed after seed?

For every scenario in scenarios/ (or those named), runs N replications at its
shipped size with `relsim run SCENARIO --replications N` (seeds seed ..
seed + N - 1, one experiment file each) and evaluates the scenario's lesson
in every replication: the condition named below, stated in the scenario's
own comment. Prints, per scenario, in how many seeds the lesson holds and
the measure behind it as mean ± 95% t half-width (scipy).

    /usr/bin/python3 analysis/check_scenarios.py --relsim build/relsim [--replications 20] [--jobs 2]
        [--set KEY=VALUE]... [--only default,lock_in] [--work DIR] [-o scenarios.md]

The lessons (firm indices are the scenario's order):
  default, guanxi_zh  the relationship firm ends with the higher cumulative profit
  mass_market         the transactional firm ends with the higher cumulative profit
  lock_in             the relationship firm ends with the higher cumulative
                      profit than the contract firm
  service_recovery    recovered purchases leave customers more satisfied than
                      purchases without a failure, and the recovering firm
                      ends with the higher cumulative profit
  word_of_mouth       the unreliable firm sends more negative word of mouth and
                      ends with the lower cumulative profit
  price_war           under a rival's promotion the incumbents' low-involvement
                      repeat buyers defect more often than their committed
                      high-involvement ones
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
    from scipy import stats
except ImportError as e:  # pragma: no cover
    sys.exit(f"check_scenarios.py: {e.name} is missing for {sys.executable}; run it with /usr/bin/python3 "
             "(Debian: apt-get install python3-h5py python3-numpy python3-scipy)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def end_profit(f, r, firm):
    return f["firm/cumulative_profit"][r, -1, firm]


def weighted(f, r, metric, weight, firm):
    v, w = f["firm/" + metric][r, :, firm], f["firm/" + weight][r, :, firm]
    ok = np.isfinite(v) & (w > 0)
    return float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else float("nan")


def pooled_defection(f, r, group, firms):
    occ = np.nan_to_num(f["firm/promotion_occasions_" + group][r][:, firms])
    dfc = np.nan_to_num(f["firm/defection_" + group][r][:, firms]) * occ
    return dfc.sum() / occ.sum() if occ.sum() > 0 else float("nan")


def lead(value):
    """A measure that must be positive: (value, holds)."""
    return value, bool(value > 0)


# scenario: (lesson in words, measure(f, r) -> (value, holds), what the value is)
LESSONS = {
    "default": ("the relationship firm ends with the higher cumulative profit",
                lambda f, r: lead(end_profit(f, r, 1) - end_profit(f, r, 0)), "profit lead of the relationship firm"),
    "guanxi_zh": ("the relationship firm ends with the higher cumulative profit",
                  lambda f, r: lead(end_profit(f, r, 1) - end_profit(f, r, 0)), "profit lead of the relationship firm"),
    "mass_market": ("the transactional firm ends with the higher cumulative profit",
                    lambda f, r: lead(end_profit(f, r, 0) - end_profit(f, r, 1)),
                    "profit lead of the transactional firm"),
    "lock_in": ("earned loyalty beats a forced relationship: the relationship firm ends with the higher profit",
                lambda f, r: lead(end_profit(f, r, 1) - end_profit(f, r, 0)),
                "profit lead of the relationship firm over the contract firm"),
    "service_recovery": ("recovered purchases more satisfied than failure-free ones, and recovering pays",
                         lambda f, r: (weighted(f, r, "satisfaction_recovered", "recoveries", 0) -
                                       weighted(f, r, "satisfaction_no_failure", "purchases", 0),
                                       weighted(f, r, "satisfaction_recovered", "recoveries", 0) >
                                       weighted(f, r, "satisfaction_no_failure", "purchases", 0) and
                                       end_profit(f, r, 0) > end_profit(f, r, 1)),
                         "satisfaction of recovered minus failure-free purchases (recovering firm)"),
    "word_of_mouth": ("the unreliable firm sends more negative word of mouth and earns less",
                      lambda f, r: (end_profit(f, r, 1) - end_profit(f, r, 0),
                                    end_profit(f, r, 1) > end_profit(f, r, 0) and
                                    f["firm/wom_negative_sent"][r, :, 0].sum() > f["firm/wom_negative_sent"][r, :, 1].sum()),
                      "profit lead of the reliable firm"),
    "price_war": ("under a promotion, inert repeat buyers defect more often than committed ones",
                  lambda f, r: (pooled_defection(f, r, "inert", [0, 1]) / pooled_defection(f, r, "loyal", [0, 1]),
                                pooled_defection(f, r, "inert", [0, 1]) > pooled_defection(f, r, "loyal", [0, 1])),
                  "defection ratio inert / committed, both incumbents"),
}


def ci(values):
    v = np.asarray([x for x in values if np.isfinite(x)], dtype=float)
    if len(v) < 2:
        return float("nan"), float("nan")
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relsim", default=os.path.join(ROOT, "build", "relsim"))
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], help="KEY=VALUE for every run (e.g. a smaller market)")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--work", help="directory for the experiment files (default: a temporary one)")
    ap.add_argument("-o", "--output", help="also write the table (Markdown) here")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else sorted(LESSONS)
    for n in names:
        if n not in LESSONS:
            sys.exit(f"check_scenarios.py: no lesson for '{n}'; known: {', '.join(sorted(LESSONS))}")
    work = a.work or tempfile.mkdtemp(prefix="relsim-scenarios-")
    os.makedirs(work, exist_ok=True)
    need = math.ceil(0.9 * a.replications)
    lines = [f"Each shipped scenario at its shipped size{' (' + ' '.join(a.set) + ')' if a.set else ''}, "
             f"{a.replications} seeds; the lesson should hold in at least {need}.", "",
             "| scenario | lesson | holds in | measure | mean ± 95% t half-width |", "|---|---|---|---|---|"]
    short = 0
    for n in names:
        out = os.path.join(work, f"{n}.h5")
        cmd = [a.relsim, "run", os.path.join(ROOT, "scenarios", f"{n}.yaml"), "--replications",
               str(a.replications), "-o", out, "--force", "--quiet"]
        if a.jobs:
            cmd += ["--jobs", str(a.jobs)]
        for s in a.set:
            cmd += ["--set", s]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"check_scenarios.py: {' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
        words, measure, what = LESSONS[n]
        with h5py.File(out, "r") as f:
            got = [measure(f, r) for r in range(a.replications)]
        holds = sum(bool(h) for _, h in got)
        short += holds < need
        m, h = ci([v for v, _ in got])
        lines.append(f"| {n} | {words} | {holds} of {a.replications} | {what} | {m:.4g} ± {h:.2g} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text + "\n")
    print(f"{len(names) - short} of {len(names)} scenarios show their lesson in at least {need} of "
          f"{a.replications} seeds")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
