#!/usr/bin/env bash
# The output read from R with hdf5r (tests/check_hdf5r.R): names, axes,
# values, units and CF attributes; a wrong expectation must fail. Skipped
# (exit 77) with a message when R or its hdf5r package is absent (Debian:
# apt-get install r-cran-hdf5r; .ci/deps installs it).
. "$(dirname "$0")/common.sh"
if ! command -v Rscript >/dev/null || ! Rscript -e 'suppressPackageStartupMessages(library(hdf5r))' >/dev/null 2>&1; then
  echo "SKIP: R with the hdf5r package is not installed (apt-get install r-cran-hdf5r)"
  exit 77
fi
expect_status 0 "run with snapshots" -- "$RELSIM" run "$SRC/scenarios/guanxi_zh.yaml" -o run.h5 \
  --set market.customers=2000 --set run.periods=30 --set network.contacts=20 --set run.snapshot_every=10 --quiet
# The names and the revenue sum as h5py reads them, for R to match.
mapfile -t names < <("$PYTHON" -c "import h5py
for n in h5py.File('run.h5', 'r')['firms/name'].asstr()[...]: print(n)")
revenue=$("$PYTHON" -c "import h5py, numpy as np; print(repr(float(np.nansum(h5py.File('run.h5', 'r')['firm/revenue'][...]))))")
expect_status 0 "hdf5r reads the file" -- Rscript "$SRC/tests/check_hdf5r.R" run.h5 "$revenue" "${names[@]}"
expect_in out.txt "OK: firms ${names[0]}" "hdf5r reads the UTF-8 names"
expect_status 1 "hdf5r check rejects wrong names" -- Rscript "$SRC/tests/check_hdf5r.R" run.h5 "$revenue" A B
expect_in err.txt "firm names" "wrong names are named"
expect_status 1 "hdf5r check rejects a wrong sum" -- Rscript "$SRC/tests/check_hdf5r.R" run.h5 1 "${names[@]}"
expect_in err.txt "/firm/revenue sums to" "wrong values are named"
finish
