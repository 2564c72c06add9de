# Check that a relsim output file reads in R with hdf5r (Debian: r-cran-hdf5r).
#
# Usage: Rscript check_hdf5r.R FILE.h5 REVENUE_SUM NAME...
#
# REVENUE_SUM is the sum of /firm/revenue (NaN left out) as another reader
# computed it; NAME... are the firm names expected in /firms/name and as the
# firm coordinate. Checks the root attribute Conventions, the names (UTF-8),
# the reversed axes R shows ([firm, period]), the values, the UDUNITS units
# with relsim_units, _FillValue NaN, the CF flags of /firm_tier/level and the
# snapshot axes. Exits 1 with a message on the first failure.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) {
  message("usage: Rscript check_hdf5r.R FILE.h5 REVENUE_SUM NAME...")
  quit(status = 2)
}
suppressPackageStartupMessages(library(hdf5r))
file <- args[1]
revenue_sum <- as.numeric(args[2])
names_want <- args[-(1:2)]
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    message("check_hdf5r: ", file, ": ", what)
    quit(status = 1)
  }
}
f <- H5File$new(file, mode = "r")
check(identical(h5attr(f, "software"), "relsim"), "not a relsim output file")
check(identical(h5attr(f, "Conventions"), "CF-1.8"), "root attribute Conventions is not CF-1.8")
names <- f[["firms/name"]][]
check(identical(names, names_want), paste("firm names", paste(names, collapse = ", "), "expected",
                                          paste(names_want, collapse = ", ")))
for (group in c("firm", "firm_tier")) {
  check(identical(f[[paste0(group, "/firm")]][], names_want), paste0("/", group, "/firm is not the firm names"))
}
periods <- f[["firm/period"]][]
check(identical(as.numeric(periods), as.numeric(seq_along(periods) - 1)), "/firm/period is not 0..n-1")
revenue <- f[["firm/revenue"]]
check(identical(as.numeric(revenue$dims), as.numeric(c(length(names), length(periods)))),
      "/firm/revenue is not [firm, period] in R")
values <- revenue[, ]
check(abs(sum(values, na.rm = TRUE) - revenue_sum) <= 1e-9 * abs(revenue_sum),
      paste("/firm/revenue sums to", format(sum(values, na.rm = TRUE), digits = 17), "expected", revenue_sum))
check(identical(h5attr(revenue, "units"), "1") && identical(h5attr(revenue, "relsim_units"), "money"),
      "/firm/revenue units are not 1 with relsim_units money")
check(is.nan(h5attr(revenue, "_FillValue")), "/firm/revenue _FillValue is not NaN")
level <- f[["firm_tier/level"]]
meanings <- strsplit(h5attr(level, "flag_meanings"), " ")[[1]]
check(length(meanings) == length(h5attr(level, "flag_values")), "/firm_tier/level flags do not match")
check(all(level[, , ] %in% c(h5attr(level, "flag_values"), NaN)), "/firm_tier/level holds values outside its flags")
if (f$exists("customers")) {
  trust <- f[["customers/trust"]]
  check(trust$dims[1] == length(names) && trust$dims[2] == h5attr(f, "customers"),
        "/customers/trust is not [firm, customer, period] in R")
}
f$close_all()
cat("check_hdf5r:", file, "OK: firms", paste(names, collapse = ", "), "\n")
