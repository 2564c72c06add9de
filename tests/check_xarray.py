#!/usr/bin/env python3
"""Check that a relsim output file reads as labelled arrays in its ecosystem.

Usage: check_xarray.py FILE.h5... [--engine netcdf4|h5netcdf] [--expect 'GROUP/VAR[i,j,...]=VALUE' ...]

With each engine (netcdf4, then h5netcdf, unless --engine is given): opens the
root and every group with xarray; checks the dimension names, the
coordinates (period 0..n-1 with axis T; firm = the names in /firms/name;
tier A, B, C), that every variable equals what h5py reads directly, that
.sel(firm=NAME) picks the same values as the firm's position, and that
xr.merge of /firm and /market (and of /firm with the prefixed /firm_tier, as
docs/output.md shows) works. Without xarray: the CF metadata (Conventions,
units and long_name on every variable, every `units` accepted by UDUNITS's
udunits2, _FillValue NaN of the variable's own type on every real variable,
flag_values of the variable's type matching flag_meanings and the data),
and each --expect value (indices are positions along the dimensions).
Each file is checked on its own, up to its first failure: one line per file,
"check_xarray: FILE: CF metadata ... OK" on standard output or
"check_xarray: FILE: what failed" on standard error. Exits 1 if any failed.
netcdf4 comes first because it is fast (h5netcdf takes seconds to open a
file of many variables along an unlimited period axis), so a file that
fails in the first engine fails fast.
"""
import argparse
import math
import re
import shutil
import subprocess
import sys
import warnings

try:
    import h5py
    import netCDF4  # noqa: F401  (the netcdf4 engine)
    import numpy as np
    import xarray as xr
except ImportError as e:
    sys.exit(f"check_xarray: {e.name} is missing for {sys.executable} "
             "(Debian: apt-get install python3-xarray python3-h5netcdf python3-netcdf4)")

ENGINES = ("netcdf4", "h5netcdf")
CONVENTIONS = "CF-1.8"
DIMS = {
    "firm": ("period", "firm"),
    "firm_tier": ("period", "firm", "tier"),
    "market": ("period",),
}
# Coded variables whose flags list only the special values; other values are firm indices.
FIRM_INDEX_CODES = {"customers/last_firm"}


class Failure(Exception):
    """A check failed: the file is not as it should be."""


def fail(msg):
    raise Failure(msg)


def check_group(path, engine, h5, group, dims, names):
    ds = xr.open_dataset(path, group=group, engine=engine)
    periods = h5[f"{group}/period"].shape[0]
    for name, var in ds.data_vars.items():
        if var.dims != dims:
            fail(f"{engine}: {group}/{name}: dims {var.dims}, expected {dims}")
        raw = h5[f"{group}/{name}"][...]
        if not np.array_equal(var.values, raw, equal_nan=True):
            fail(f"{engine}: {group}/{name}: xarray and h5py values differ")
    if list(ds["period"].values) != list(range(periods)):
        fail(f"{engine}: {group}: period coordinate {ds['period'].values}, expected 0..{periods - 1}")
    if ds["period"].attrs.get("axis") != "T" or ds["period"].attrs.get("units") != "week":
        fail(f"{engine}: {group}/period: attributes {ds['period'].attrs}, expected axis T and units week")
    if "firm" in dims:
        if [str(n) for n in ds["firm"].values] != names:
            fail(f"{engine}: {group}: firm coordinate {ds['firm'].values}, expected the names {names}")
        first = next(iter(ds.data_vars))
        for i, name in enumerate(names):
            if not ds[first].sel(firm=name).equals(ds[first].isel(firm=i)):
                fail(f"{engine}: {group}/{first}: .sel(firm={name!r}) differs from position {i}")
    if "tier" in dims and [str(t) for t in ds["tier"].values] != ["A", "B", "C"]:
        fail(f"{engine}: {group}: tier coordinate {ds['tier'].values}, expected A, B, C")
    return ds


def check_engine(path, engine, h5, names):
    """Open every group with one engine; return the metric groups."""
    root = xr.open_dataset(path, engine=engine)
    if root.attrs.get("Conventions") != CONVENTIONS:
        fail(f"{engine}: root attribute Conventions = {root.attrs.get('Conventions')!r}, expected {CONVENTIONS}")
    datasets = {g: check_group(path, engine, h5, g, d, names) for g, d in DIMS.items()}
    firms = xr.open_dataset(path, group="firms", engine=engine)
    if firms["name"].dims != ("index",) or [str(n) for n in firms["name"].values] != names:
        fail(f"{engine}: firms/name: dims {firms['name'].dims}, values {firms['name'].values}")
    for group in ("scenario", "volatile"):
        xr.open_dataset(path, group=group, engine=engine)
    if "customers" in h5:
        cust = xr.open_dataset(path, group="customers", engine=engine)
        for name, want in (("spend", ("period", "customer")), ("desire", ("period", "customer", "attribute")),
                           ("trust", ("period", "customer", "firm"))):
            if cust[name].dims != want:
                fail(f"{engine}: customers/{name}: dims {cust[name].dims}, expected {want}")
        if list(cust["period"].values) != list(h5["customers/period"][...]):
            fail(f"{engine}: customers/period coordinate differs from h5py")
        if [str(n) for n in cust["firm"].values] != names:
            fail(f"{engine}: customers: firm coordinate {cust['firm'].values}")
        for name, var in cust.data_vars.items():
            if not np.array_equal(var.values, h5[f"customers/{name}"][...], equal_nan=True):
                fail(f"{engine}: customers/{name}: xarray and h5py values differ")
    firm, market, tier = datasets["firm"], datasets["market"], datasets["firm_tier"]
    try:
        merged = xr.merge([firm, market])
    except Exception as e:  # xarray.MergeError, ValueError
        fail(f"{engine}: xr.merge of the firm and market groups fails: {e}")
    if len(merged.data_vars) != len(firm.data_vars) + len(market.data_vars):
        fail(f"{engine}: xr.merge of firm and market lost variables: "
             f"{sorted(set(firm.data_vars) & set(market.data_vars))} are in both")
    try:  # the recipe of docs/output.md for the per-tier breakdown
        xr.merge([firm, tier.rename({v: f"tier_{v}" for v in tier.data_vars})])
    except Exception as e:
        fail(f"{engine}: xr.merge of firm and the prefixed firm_tier fails: {e}")
    return datasets


def all_variables(h5):
    found = []
    h5.visititems(lambda name, obj: found.append((name, obj)) if isinstance(obj, h5py.Dataset) else None)
    return found


def check_udunits(units):
    """Every unit must be one UDUNITS knows (udunits2 of Debian's udunits-bin)."""
    tool = shutil.which("udunits2")
    if not tool:
        fail("udunits2 is missing (Debian: apt-get install udunits-bin)")
    for unit in sorted(units):
        run = subprocess.run([tool, "-H", unit, "-W", ""], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"units {unit!r} ({', '.join(sorted(units[unit])[:3])}) are not UDUNITS units: "
                 f"{run.stderr.strip()}")


def check_cf(h5, n_firms):
    """The CF attributes, read with h5py (independent of the netCDF libraries)."""
    if h5.attrs.get("Conventions") != CONVENTIONS:
        fail(f"root attribute Conventions = {h5.attrs.get('Conventions')!r}, expected {CONVENTIONS}")
    units = {}
    for name, ds in all_variables(h5):
        for attr in ("units", "long_name"):
            if not ds.attrs.get(attr):
                fail(f"{name}: no '{attr}' attribute")
        units.setdefault(ds.attrs["units"], []).append(name)
        if ds.dtype.kind == "f":
            fill = ds.attrs.get("_FillValue")
            if fill is None or not np.isnan(fill) or np.asarray(fill).dtype != ds.dtype:
                fail(f"{name}: _FillValue {fill!r}, expected NaN of type {ds.dtype}")
        if "flag_values" in ds.attrs or "flag_meanings" in ds.attrs:
            values = np.atleast_1d(ds.attrs.get("flag_values", []))
            meanings = str(ds.attrs.get("flag_meanings", "")).split()
            if values.dtype != ds.dtype:
                fail(f"{name}: flag_values of type {values.dtype}, the variable is {ds.dtype}")
            if len(values) != len(meanings) or len(set(values.tolist())) != len(values):
                fail(f"{name}: flag_values {values.tolist()} do not match flag_meanings {meanings}")
            data = ds[...]
            data = np.unique(data[~np.isnan(data)] if ds.dtype.kind == "f" else data)
            allowed = set(values.tolist())
            if name in FIRM_INDEX_CODES:
                allowed |= set(range(n_firms))
            if not set(data.tolist()) <= allowed:
                fail(f"{name}: values {sorted(set(data.tolist()) - allowed)} are not in flag_values {values.tolist()}")
    check_udunits(units)


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


def check_file(path, engines, expects):
    """Check one file; raise Failure at the first problem."""
    with h5py.File(path, "r") as h5:
        if h5.attrs.get("software") != "relsim":
            fail("not a relsim output file")
        names = list(h5["firms/name"].asstr()[...])
        check_cf(h5, len(names))
        for engine in engines:
            datasets = check_engine(path, engine, h5, names)
            for spec in expects:
                check_expect(datasets, spec)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--engine", choices=ENGINES, action="append")
    ap.add_argument("--expect", action="append", default=[])
    args = ap.parse_args()
    # The netCDF4 module of Debian 12 warns about a numpy ABI detail on import; nothing else may warn.
    warnings.filterwarnings("ignore", message="numpy.ndarray size changed")
    engines = args.engine or ENGINES
    failed = 0
    for path in args.files:
        try:
            names = check_file(path, engines, args.expect)
        except Exception as e:  # a Failure, or a file that cannot be read at all
            what = str(e) if isinstance(e, Failure) else f"{type(e).__name__}: {e}"
            print(f"check_xarray: {path}: {what}", file=sys.stderr)
            failed += 1
            continue
        print(f"check_xarray: {path}: CF metadata and UDUNITS units OK; engines {', '.join(engines)} "
              f"read groups {', '.join(DIMS)}, sel(firm=NAME) and merge OK; firms {names}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
