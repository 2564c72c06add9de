#!/usr/bin/env bash
# The output in its ecosystem: a small run with snapshots (UTF-8 firm names)
# reads with xarray through both the h5netcdf and the netcdf4 engines, with
# CF metadata and UDUNITS units (tests/check_xarray.py), and with ncdump -h
# of the netCDF library. Each check is shown to fail on a copy of the file
# with one defect. (Debian has no CF checker package; R's hdf5r is
# tests/test_hdf5r.sh.)
. "$(dirname "$0")/common.sh"
CHECK=("$PYTHON" "$SRC/tests/check_xarray.py")

expect_status 0 "run with snapshots" -- "$RELSIM" run "$SRC/scenarios/guanxi_zh.yaml" -o run.h5 \
  --set market.customers=2000 --set run.periods=30 --set network.contacts=20 --set run.snapshot_every=10 \
  --set market.cohort_periods=8 --quiet
expect_status 0 "xarray, CF metadata and UDUNITS" -- "${CHECK[@]}" run.h5
expect_in out.txt "engines h5netcdf, netcdf4" "both engines checked"

# ncdump -h FILE: the netCDF library reads every group, the conventions, the
# firm names as the firm coordinate, and the CF attributes.
check_ncdump() {
  local cdl=$1.cdl
  ncdump -h "$1" >"$cdl" 2>&1 || { echo "ncdump -h $1 failed: $(head -3 "$cdl")"; return 1; }
  local want
  for want in ':Conventions = "CF-1.8"' 'group: firm {' 'group: firm_tier {' 'group: market {' \
              'group: firms {' 'group: customers {' 'string firm(firm)' 'period = UNLIMITED' \
              'period:axis = "T"' 'level:flag_meanings = "basic reactive accountable proactive partnership"' \
              'trend:flag_values = 0UB, 1UB, 2UB' 'revenue:_FillValue = NaN' 'revenue:relsim_units = "money"'; do
    grep -qF -- "$want" "$cdl" || { echo "ncdump -h $1 lacks: $want"; return 1; }
  done
}
checks=$((checks + 1))
if ! command -v ncdump >/dev/null; then
  fail "ncdump is missing (Debian: apt-get install netcdf-bin)"
else
  msg=$(check_ncdump run.h5) || fail "$msg"
fi

# Each check can fail: one defect per copy, and the message that names it.
# mutate NAME PYTHON-STATEMENTS (f is the h5py file open for writing).
mutate() {
  cp run.h5 "$1.h5"
  "$PYTHON" -c "import h5py, numpy as np
with h5py.File('$1.h5', 'r+') as f:
    $2"
}
defect() {
  local name=$1 code=$2 message=$3
  mutate "$name" "$code"
  expect_status 1 "check_xarray rejects $name" -- "${CHECK[@]}" "$name.h5"
  expect_in err.txt "$message" "check_xarray names the defect of $name"
}
defect no_conventions "del f.attrs['Conventions']" "Conventions"
defect money_units "f['firm/revenue'].attrs['units'] = 'money'" "are not UDUNITS units"
defect no_fill "del f['firm/profit'].attrs['_FillValue']" "firm/profit: _FillValue"
defect fill_type "f['customers/trust'].attrs['_FillValue'] = np.float64('nan')" "expected NaN of type float32"
defect flag_count "f['firm_tier/level'].attrs['flag_meanings'] = 'basic reactive'" "do not match flag_meanings"
defect flag_type "f['customers/trend'].attrs['flag_values'] = np.array([0, 1, 2], dtype='int32')" \
  "flag_values of type int32"
defect flag_data "f['customers/trend'][0, 0] = 7" "values [7] are not in flag_values"
defect no_axis "del f['market/period'].attrs['axis']" "market/period: attributes"
defect firm_order "f['firm/firm'][...] = f['firm/firm'].asstr()[...][::-1]" "firm coordinate"
defect merge_clash "f.move('market/market_purchases', 'market/purchases')" "xr.merge of the firm and market groups fails"
defect no_long_name "del f['customers/spend'].attrs['long_name']" "customers/spend: no 'long_name'"
expect_status 1 "check_xarray rejects a wrong expected value" -- "${CHECK[@]}" run.h5 --expect 'market/occasions[3]=-1'
expect_in err.txt "market/occasions[3] = " "check_xarray names the wrong value"
checks=$((checks + 1))
mutate ncdump_no_conventions "del f.attrs['Conventions']"
check_ncdump ncdump_no_conventions.h5 >/dev/null && fail "check_ncdump accepts a file without Conventions"
checks=$((checks + 1))
mutate ncdump_no_flags "del f['customers/trend'].attrs['flag_values']"
check_ncdump ncdump_no_flags.h5 >/dev/null && fail "check_ncdump accepts a file without trend flag_values"

finish
