#!/usr/bin/env python3
"""Compare two experiment files' data bit for bit.

Every dataset (values, dtype, shape; NaN equal to NaN) and every attribute
of every object, except what is meant to differ between identical
experiments: /runs/wall_seconds, the /volatile group and the root
attributes command_line and git_commit. Usage: experiment_compare.py A.h5 B.h5
Exit 0 if equal, 1 with the differences listed.
"""
import sys

import h5py
import numpy as np

SKIP_OBJECTS = {"/runs/wall_seconds", "/volatile"}
SKIP_ROOT_ATTRS = {"command_line", "git_commit"}


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return a.tobytes() == b.tobytes() or bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def walk(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__("/" + name, obj))
    out["/"] = f
    return out


def main():
    a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
    oa, ob = walk(a), walk(b)
    diffs = []
    for name in sorted(set(oa) | set(ob)):
        if any(name == s or name.startswith(s + "/") for s in SKIP_OBJECTS):
            continue
        if name not in oa or name not in ob:
            diffs.append(f"{name}: only in {'B' if name in ob else 'A'}")
            continue
        x, y = oa[name], ob[name]
        if isinstance(x, h5py.Dataset) and not same(x[()], y[()]):
            diffs.append(f"{name}: data differ")
        for k in sorted(set(x.attrs) | set(y.attrs)):
            if name == "/" and k in SKIP_ROOT_ATTRS or k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                continue
            if k not in x.attrs or k not in y.attrs or not same(x.attrs[k], y.attrs[k]):
                diffs.append(f"{name}: attribute {k} differs")
    for d in diffs[:20]:
        print(d)
    if diffs:
        print(f"{len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
