#!/usr/bin/env python3
"""Check that a relsim output file reads as named, labelled arrays in xarray.

Usage: check_xarray.py FILE.h5 [--expect 'GROUP/VAR[i,j,...]=VALUE' ...]

Opens the groups firm, firm_tier, market (and firms, customers when present)
with engine="h5netcdf", asserts their dimension names and coordinates,
checks that every variable equals what h5py reads directly, and checks each
--expect value (indices are positions along the dimensions). Exits 1 with a
message on the first failure.
"""
import argparse
import math
import re
import sys

try:
    import h5py
    import numpy as np
    import xarray as xr
except ImportError as e:
    sys.exit(f"check_xarray: {e.name} is missing for {sys.executable} "
             "(Debian: apt-get install python3-xarray python3-h5netcdf)")

DIMS = {
    "firm": ("period", "firm"),
    "firm_tier": ("period", "firm", "tier"),
    "market": ("period",),
}


def fail(msg):
    print(f"check_xarray: {msg}", file=sys.stderr)
    sys.exit(1)


def check_group(path, h5, group, dims):
    ds = xr.open_dataset(path, group=group, engine="h5netcdf")
    periods = h5[f"{group}/period"].shape[0]
    for name, var in ds.data_vars.items():
        if var.dims != dims:
            fail(f"{group}/{name}: dims {var.dims}, expected {dims}")
        for attr in ("units", "long_name"):
            if not var.attrs.get(attr):
                fail(f"{group}/{name}: no '{attr}' attribute")
        raw = h5[f"{group}/{name}"][...]
        if not np.array_equal(var.values, raw, equal_nan=True):
            fail(f"{group}/{name}: xarray and h5py values differ")
    if list(ds["period"].values) != list(range(periods)):
        fail(f"{group}: period coordinate {ds['period'].values}, expected 0..{periods - 1}")
    if "firm" in dims and list(ds["firm"].values) != list(range(ds.sizes["firm"])):
        fail(f"{group}: firm coordinate {ds['firm'].values}")
    if "tier" in dims and [str(t) for t in ds["tier"].values] != ["A", "B", "C"]:
        fail(f"{group}: tier coordinate {ds['tier'].values}, expected A, B, C")
    return ds


def check_expect(datasets, spec):
    m = re.fullmatch(r"(\w+)/(\w+)\[([\d,\s]+)\]=(\S+)", spec)
    if not m:
        fail(f"bad --expect {spec!r}: use GROUP/VAR[i,j]=VALUE")
    group, var, idx, value = m.groups()
    index = tuple(int(i) for i in idx.split(","))
    got = float(datasets[group][var].values[index])
    want = float(value)
    if not (got == want or (math.isnan(got) and math.isnan(want))):
        fail(f"{group}/{var}{list(index)} = {got!r}, expected {want!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--expect", action="append", default=[])
    args = ap.parse_args()

    with h5py.File(args.file, "r") as h5:
        if h5.attrs.get("software") != "relsim":
            fail(f"{args.file} is not a relsim output file")
        datasets = {g: check_group(args.file, h5, g, d) for g, d in DIMS.items()}
        firms = xr.open_dataset(args.file, group="firms", engine="h5netcdf")
        if firms["name"].dims != ("index",) or firms.sizes["index"] != datasets["firm"].sizes["firm"]:
            fail(f"firms/name: dims {firms['name'].dims}")
        names = [str(n) for n in firms["name"].values]
        if "customers" in h5:
            cust = xr.open_dataset(args.file, group="customers", engine="h5netcdf")
            for name, want in (("spend", ("period", "customer")), ("desire", ("period", "customer", "attribute")),
                               ("trust", ("period", "customer", "firm"))):
                if cust[name].dims != want:
                    fail(f"customers/{name}: dims {cust[name].dims}, expected {want}")
            if list(cust["period"].values) != list(h5["customers/period"][...]):
                fail("customers/period coordinate differs from h5py")
    for spec in args.expect:
        check_expect(datasets, spec)
    print(f"check_xarray: {args.file}: groups {', '.join(DIMS)} OK; firms {names}")


if __name__ == "__main__":
    main()
