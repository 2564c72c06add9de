#!/usr/bin/env bash
# The output in its ecosystem: a small run with snapshots (UTF-8 firm names)
# reads with xarray through both the h5netcdf and the netcdf4 engines, with
# CF metadata and UDUNITS units (tests/check_xarray.py), and with ncdump -h
# of the netCDF library. Each check is shown to fail on a copy of the file
# with one defect (all the copies in one check_xarray run, a verdict per
# file). (Debian has no CF checker package; R's hdf5r is
# tests/test_hdf5r.sh.)
. "$(dirname "$0")/common.sh"
CHECK=("$PYTHON" "$SRC/tests/check_xarray.py")

expect_status 0 "run with snapshots" -- "$RELSIM" run "$SRC/scenarios/guanxi_zh.yaml" -o run.h5 \
  --set market.customers=2000 --set run.periods=30 --set network.contacts=20 --set run.snapshot_every=10 \
  --set market.cohort_periods=8 --quiet
expect_status 0 "xarray, CF metadata and UDUNITS" -- "${CHECK[@]}" run.h5
expect_in out.txt "engines netcdf4, h5netcdf" "both engines checked"

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

# Each check can fail: one defect per copy of run.h5, and the message that
# names it. defect NAME PYTHON-STATEMENTS MESSAGE (f is the h5py file open
# for writing); mutate NAME... makes the copies, in one Python process.
defects=()
messages=()
defect() {
  printf '%s\n' "$2" >"$1.py"
  defects+=("$1")
  messages+=("$3")
}
mutate() {
  "$PYTHON" -c "import shutil, sys, h5py, numpy as np
for name in sys.argv[1:]:
    shutil.copy('run.h5', name + '.h5')
    with h5py.File(name + '.h5', 'r+') as f:
        exec(open(name + '.py').read())" "$@"
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
n_defects=${#defects[@]}
# and two for ncdump
defect ncdump_no_conventions "del f.attrs['Conventions']" ""
defect ncdump_no_flags "del f['customers/trend'].attrs['flag_values']" ""
mutate "${defects[@]}"

# One check_xarray for all the copies: each file is checked on its own and
# gets its own line; each must be rejected with its defect named.
files=()
for name in "${defects[@]:0:n_defects}"; do files+=("$name.h5"); done
expect_status 1 "check_xarray rejects every defect" -- "${CHECK[@]}" "${files[@]}"
for ((i = 0; i < n_defects; i++)); do
  name=${defects[i]}
  checks=$((checks + 1))
  grep -F "check_xarray: $name.h5: " err.txt | grep -qF -- "${messages[i]}" ||
    fail "check_xarray does not reject $name naming '${messages[i]}': $(grep -F "$name.h5: " out.txt err.txt)"
done
expect_status 1 "check_xarray rejects a wrong expected value" -- "${CHECK[@]}" run.h5 --expect 'market/occasions[3]=-1'
expect_in err.txt "market/occasions[3] = " "check_xarray names the wrong value"
checks=$((checks + 1))
check_ncdump ncdump_no_conventions.h5 >/dev/null && fail "check_ncdump accepts a file without Conventions"
checks=$((checks + 1))
check_ncdump ncdump_no_flags.h5 >/dev/null && fail "check_ncdump accepts a file without trend flag_values"

finish
