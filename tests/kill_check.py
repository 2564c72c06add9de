#!/usr/bin/env python3
"""Check what a killed run left against the uninterrupted run's file.

A file left by a run that did not finish (complete = 0, or a .partial file)
claims the periods below its root attribute periods_done and the customer
snapshots below snapshots_done. Every value it claims must equal the
uninterrupted run's, bit for bit (NaNs included). A file that cannot be
opened or read is "unusable": acceptable only if `relsim inspect` refuses it
too, which the calling script checks.

Usage: kill_check.py REFERENCE.h5 LEFT.h5
Prints one line: "ok PERIODS SNAPSHOTS", "unusable: REASON" (exit 2) or
"wrong: DATASET ROWS" (exit 1).

Usage: kill_check.py REFERENCE.h5 --left LEFT.h5... --resumed RESUMED.h5...
Checks many files in one process: each LEFT file as above, each RESUMED file
(a run completed by --resume) against the reference in every group, bit for
bit, as tests/golden_compare.py compares. One line per file, "FILE: " and
the verdict ("ok ...", "unusable: ...", "wrong: ..."; "same" or "differs:
..."); exit 0 (the calling script judges the verdicts).
"""
import argparse
import sys

import h5py
import numpy as np

from golden_compare import compare, reference

GROUPS = ("firm", "firm_tier", "market")


def same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def claimed_snapshots(left, periods):
    if "snapshots_done" in left.attrs:
        return int(left.attrs["snapshots_done"])
    # files written before snapshots_done existed: the snapshots taken before periods_done
    if "customers" not in left:
        return 0
    return int(np.count_nonzero(left["customers/period"][()] < periods))


def check(ref, left):
    periods = int(left.attrs["periods_done"])
    snaps = claimed_snapshots(left, periods)
    wrong = []
    for g in GROUPS:
        for name, ds in left[g].items():
            if name in ("period", "firm", "tier"):  # the scales; period is compared below
                continue
            if ds.shape[0] < periods:
                wrong.append(f"/{g}/{name}: {ds.shape[0]} rows, {periods} claimed")
                continue
            got, want = ds[:periods], ref[g][name][:periods]
            if not same(got, want):
                bad = [t for t in range(periods) if got[t].tobytes() != want[t].tobytes()]
                wrong.append(f"/{g}/{name} rows {bad[0]}-{bad[-1]} ({len(bad)} rows)")
        if not same(left[g]["period"][:periods], ref[g]["period"][:periods]):
            wrong.append(f"/{g}/period")
    if snaps and "customers" in left:
        for name, ds in left["customers"].items():
            if name not in ("customer", "firm", "attribute"):  # the rest run along the snapshot period
                if ds.shape[0] < snaps or not same(ds[:snaps], ref["customers"][name][:snaps]):
                    wrong.append(f"/customers/{name} (first {snaps} snapshots)")
    return periods, snaps, wrong


def verdict(ref, left_path):
    """The verdict on a killed run's file and the exit status of the single-file form."""
    try:
        with h5py.File(left_path, "r") as left:
            periods, snaps, wrong = check(ref, left)
    except Exception as e:  # any failure to open or read: the file is unusable
        return f"unusable: {type(e).__name__}: {e}".replace("\n", " "), 2
    if wrong:
        return "wrong: " + "; ".join(wrong), 1
    return f"ok {periods} {snaps}", 0


# The groups a resumed run must have equal to the uninterrupted run's.
RESUMED_GROUPS = ("firm", "firm_tier", "market", "customers", "firms", "scenario")


def resumed_verdict(ref, path, known):
    try:
        with h5py.File(path, "r") as new:
            problems, count = compare(ref, new, RESUMED_GROUPS, known)
    except Exception as e:
        return f"differs: cannot read it: {type(e).__name__}: {e}".replace("\n", " ")
    if count == 0:
        return "differs: nothing compared"
    return "differs: " + "; ".join(problems[:5]) if problems else "same"


def main():
    if "--left" not in sys.argv and "--resumed" not in sys.argv:
        with h5py.File(sys.argv[1], "r") as ref:
            line, status = verdict(ref, sys.argv[2])
        print(line)
        return status
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--left", nargs="*", default=[])
    ap.add_argument("--resumed", nargs="*", default=[])
    args = ap.parse_args()
    with h5py.File(args.reference, "r") as ref:
        for path in args.left:
            print(f"{path}: {verdict(ref, path)[0]}", flush=True)
        known = reference(ref, RESUMED_GROUPS)
        for path in args.resumed:
            print(f"{path}: {resumed_verdict(ref, path, known)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
