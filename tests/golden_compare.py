#!/usr/bin/env python3
"""Compare a run's HDF5 file with a golden reference, bit for bit.

Every dataset of the reference under the compared groups must exist in the
new file with the same type, shape and bytes (NaNs included), the same
attributes (values compared as bytes; dimension-scale bookkeeping compared
by the names of the attached scales) and the same dimension scales. Objects
the new file adds are allowed (a new metric is a new dataset); the resolved
scenario, which lists every key with its default, is not compared (a new key
adds a line without changing a result). Root attributes (command line,
threads, git revision) and /volatile are not compared.

Usage: golden_compare.py REFERENCE.h5 NEW.h5 GROUP... ; exit 1 and one line
per difference.
"""
import sys

import h5py
import numpy as np

SKIP = {"/scenario/resolved"}
SCALE_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST"}


def as_bytes(value):
    a = np.asarray(value)
    if a.dtype.kind == "O":
        return repr([v if not isinstance(v, bytes) else v.decode("utf-8", "replace") for v in a.ravel()]).encode()
    return a.dtype.str.encode() + str(a.shape).encode() + a.tobytes()


def scale_names(ds):
    return [[s.name for s in dim.values()] for dim in ds.dims]


def reference(ref, groups):
    """What compare() reads of the reference, read once: a list of
    (path, attributes, dataset) with the attributes as (key, value, bytes)
    and, for a dataset, (dtype, shape, bytes of the values, scale names), or
    None for a group; and the number of objects."""
    objects = []
    for g in groups:
        if g not in ref:
            continue
        ref[g].visititems(lambda name, obj, g=g: objects.append((f"{g}/{name}", obj)))
        objects.append((g, ref[g]))
    items = []
    for path, obj in objects:
        if path in SKIP:
            continue
        attrs = [(key, value, as_bytes(value)) for key, value in obj.attrs.items() if key not in SCALE_ATTRS]
        data = None
        if isinstance(obj, h5py.Dataset):
            data = (obj.dtype, obj.shape, as_bytes(obj[()]), scale_names(obj))
        items.append((path, attrs, data))
    return items, len(objects)


def compare(ref, new, groups, known=None):
    """The differences of NEW from REF under GROUPS, and the number of objects
    compared. known: reference(ref, groups), when many files are compared
    with one reference."""
    items, count = known or reference(ref, groups)
    problems = []
    for path, attrs, data in items:
        if path not in new:
            problems.append(f"{path}: missing in the new file")
            continue
        other = new[path]
        if data is not None:
            dtype, shape, values, scales = data
            if not isinstance(other, h5py.Dataset):
                problems.append(f"{path}: not a dataset in the new file")
                continue
            if dtype != other.dtype or shape != other.shape:
                problems.append(f"{path}: {dtype}{shape} in the reference, {other.dtype}{other.shape} now")
                continue
            if values != as_bytes(other[()]):
                problems.append(f"{path}: values differ")
            if scales != scale_names(other):
                problems.append(f"{path}: dimension scales {scales} in the reference, {scale_names(other)} now")
        for key, value, value_bytes in attrs:
            if key not in other.attrs:
                problems.append(f"{path}: attribute {key} missing in the new file")
            elif value_bytes != as_bytes(other.attrs[key]):
                problems.append(f"{path}: attribute {key} differs: {value!r} in the reference, {other.attrs[key]!r} now")
    return problems, count


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    with h5py.File(sys.argv[1], "r") as ref, h5py.File(sys.argv[2], "r") as new:
        problems, count = compare(ref, new, sys.argv[3:])
    for p in problems[:40]:
        print(p)
    if len(problems) > 40:
        print(f"... and {len(problems) - 40} more")
    if count == 0:
        print("nothing compared: none of the groups is in the reference")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
