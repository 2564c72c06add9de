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
       golden_compare.py --cases REFERENCE_DIR NEW_DIR NAME... -- GROUP... ;
compares REFERENCE_DIR/NAME.h5 with NEW_DIR/NAME.h5 for each NAME in one
process: "NAME: same", or one line "NAME: DIFFERENCE" per difference; exit 1
if any differs.
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


def differences(ref_path, new_path, groups):
    """The lines to print (at most 40 differences) for one pair of files."""
    with h5py.File(ref_path, "r") as ref, h5py.File(new_path, "r") as new:
        problems, count = compare(ref, new, groups)
    lines = problems[:40]
    if len(problems) > 40:
        lines.append(f"... and {len(problems) - 40} more")
    if count == 0:
        lines.append("nothing compared: none of the groups is in the reference")
    return lines


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--cases":
        if "--" not in sys.argv[4:]:
            print(__doc__.strip().splitlines()[-4], file=sys.stderr)
            return 2
        cut = sys.argv.index("--", 4)
        ref_dir, new_dir, names, groups = sys.argv[2], sys.argv[3], sys.argv[4:cut], sys.argv[cut + 1:]
        failed = 0
        for name in names:
            try:
                lines = differences(f"{ref_dir}/{name}.h5", f"{new_dir}/{name}.h5", groups)
            except Exception as e:  # a file that is missing or cannot be read
                lines = [f"cannot compare: {type(e).__name__}: {e}".replace("\n", " ")]
            failed += bool(lines)
            for line in lines or ["same"]:
                print(f"{name}: {line}", flush=True)
        return 1 if failed else 0
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[-6], file=sys.stderr)
        return 2
    lines = differences(sys.argv[1], sys.argv[2], sys.argv[3:])
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
