#!/usr/bin/env python3
"""Plot a relsim experiment file (relsim experiment, relsim run --replications).

Usage:
  plot_experiment.py OUT.h5 --metric NAME [--firm F] [--tier T] [--points P,Q] [-o FILE.png] [--dump]
  plot_experiment.py OUT.h5 --measure NAME [--factor KEY] [--firm F] [--points P,Q] [-o FILE.png] [--dump]
  plot_experiment.py OUT.h5 --sobol [--measure NAME] [-o FILE.png] [--dump]

--metric: a firm, market or tier metric over time, the mean of each design
point's replications with its confidence interval shaded (/summary: mean, lo,
hi), one panel per firm and one line per design point (one point: one line per
firm). --tier A|B|C picks a tier metric's tier (without it, every tier).
--measure with --factor: each point's mean and confidence interval against the
factor (grid: lines through the points, one per value of the other factors;
lhs and sobol: one dot per point). --measure alone: the runs' values of each
point as a box and dots. NAME is a measure (/measures) or a field of the
runs' summary row (/run_summary: one value per firm). --sobol: first-order and
total Sobol indices with their bootstrap intervals, a panel per measure.

The PNG goes to -o, else beside the file (OUT_<metric>.png, OUT_<measure>_vs_
<factor>.png, OUT_<measure>_runs.png, OUT_sobol.png); its path is printed.
--dump prints the numbers plotted as JSON instead (NaN as null), and writes
the PNG only when -o is given. Exit status: 0 done, 1 the file is missing or
not a complete experiment file, 2 a name, option or selection the file does
not have (the message lists what it has). Needs numpy, h5py and matplotlib;
docs/experiments-plots.md shows each plot.
"""
import argparse
import difflib
import json
import math
import os
import re
import sys
import textwrap

try:
    import numpy as np
    import h5py
except ImportError as e:
    sys.exit(f"plot_experiment.py: {e.name} is missing for {sys.executable}; it needs numpy, h5py and matplotlib "
             "(Debian: apt-get install python3-h5py python3-matplotlib, then run it with /usr/bin/python3)")

PROG = "plot_experiment.py"
MAX_LINES = 8          # lines (or boxes) one plot holds
PERIODS_PER_YEAR = 52  # as plot_run.py
MONEY_UNITS = ("money", "money/customer")
TIERS = ("A", "B", "C")
# What each field of the runs' summary row is (ensemble_summary_labels in src/ensemble_write.c, as relsim
# inspect prints them): /run_summary's datasets share one long_name.
RUN_FIELDS = {
    "revenue": "revenue, total", "profit": "profit, total", "cumulative_profit": "cumulative profit, end",
    "active_customers": "active customers, end", "retention_rate": "retention per period, last year",
    "cohort_retention": "customers kept, last cohort window", "cost_per_acquisition":
    "cost per acquired, cohort window", "cost_per_retention": "cost per retained, cohort window",
    "acq_ret_cost_ratio": "acquisition / retention cost ratio", "cohort_window": "cohort window",
    "satisfaction_mean": "mean satisfaction of buyers", "wom_positive": "word of mouth, positive messages",
    "wom_negative": "word of mouth, negative messages", "clv": "customer lifetime value, last year",
    "revenue_share": "revenue share, last year"}


class Refusal(Exception):
    """A problem to report: exit status 1 (the file) or 2 (what was asked)."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status


def listing(names, width=100, indent="  "):
    return textwrap.fill(", ".join(names), width=width, initial_indent=indent, subsequent_indent=indent)


def unknown(what, name, names, extra=""):
    """The message for a name the file does not have: the closest names, then every name."""
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return Refusal(f"no {what} '{name}' in the file{hint}{' ' + extra if extra else ''}\n"
                   f"the file's {what}s:\n{listing(names)}")


def fmt_value(v):
    if not np.isfinite(v):
        return "nan"
    return f"{v:.4g}"


def finite_or_none(a):
    return [None if not math.isfinite(float(x)) else float(x) for x in np.ravel(a)]


# ---- the file ------------------------------------------------------------------

class Experiment:
    """What the plots need from an experiment file, read with h5py."""

    def __init__(self, path):
        if not os.path.exists(path):
            raise Refusal(f"cannot open {path}: no such file", 1)
        try:
            self.f = h5py.File(path, "r")
        except OSError as e:
            raise Refusal(f"{path} is not an HDF5 file ({e}); expected the output of `relsim experiment` or "
                          "`relsim run --replications N`", 1)
        f = self.f
        self.path = path
        attr = lambda k, d=None: f.attrs.get(k, d)
        kind = attr("kind")
        if isinstance(kind, bytes):
            kind = kind.decode()
        if attr("software") != "relsim" and kind != "experiment":
            raise Refusal(f"{path} is not a relsim file (no root attribute software = \"relsim\")", 1)
        if kind != "experiment":
            what = "the file of one run" if kind is None and "scenario" in f else f"a relsim file of kind {kind!r}"
            raise Refusal(f"{path} is {what}, not an experiment file (no root attribute kind = \"experiment\"): "
                          "plot one run with analysis/plot_run.py; an experiment file comes from `relsim experiment` "
                          "or `relsim run SCENARIO --replications N`", 1)
        if not int(attr("complete", 0)):
            raise Refusal(f"{path} is not complete (root attribute complete = 0)", 1)
        if int(attr("slice", 0)) or "summary" not in f:
            raise Refusal(f"{path} holds a slice of the runs (runs {attr('first_run')} to {attr('last_run')}) and "
                          "no summaries: join the slices with `relsim merge` first", 1)
        self.name = str(attr("experiment_name", "?"))
        self.scenario = str(attr("scenario_name", "?"))
        self.design = str(attr("design", "grid"))
        self.level = float(attr("level", 0.95))
        self.replications = int(attr("replications", 1))
        self.samples = int(attr("samples", 0))
        self.bootstrap = int(attr("bootstrap", 0))
        self.periods = int(attr("periods", 0))
        self.firms = list(f["firms/name"].asstr()[...])
        self.strategies = list(f["firms/strategy"].asstr()[...]) if "firms/strategy" in f else [""] * len(self.firms)
        self.factors = list(f["factors/factor"].asstr()[...]) if "factors/factor" in f else []
        self.n_points = int(f["points/point"].shape[0])
        self.points = np.column_stack([f[f"points/{k}"][...] for k in self.factors]) if self.factors \
            else np.zeros((self.n_points, 0))
        self.run_point = f["runs/point"][...]
        self.run_status = f["runs/status"][...]
        order = f["measures"].attrs.get("order", "")
        order = order.decode() if isinstance(order, bytes) else str(order)
        self.measures = [m for m in order.split(",") if m] or data_vars(f["measures"])
        self.run_fields = data_vars(f["run_summary"])
        self.labels = self.factor_labels()

    def factor_labels(self):
        """For each factor: None (numeric) or the names of its list's values (the points hold indices)."""
        cats = [k for k in self.factors if "index" in str(self.f[f"points/{k}"].attrs.get("long_name", ""))]
        if not cats:
            return [None] * len(self.factors)
        text = self.f["experiment_resolved"].asstr()[()] if "experiment_resolved" in self.f else ""
        lists = {}
        try:
            import yaml
            lists = {k: [str(v) for v in vs] for k, vs in (yaml.safe_load(text).get("factors") or {}).items()
                     if isinstance(vs, list)}
        except Exception:  # no PyYAML: the resolved text's flow lists, one factor a line
            for k in cats:
                m = re.search(rf"^\s+{re.escape(k)}:\s*\[(.*)\]", text, re.M)
                if m:
                    lists[k] = [v.strip().strip("\"'") for v in m.group(1).split(",")]
        return [lists.get(k) if k in cats else None for k in self.factors]

    def value_text(self, j, v):
        labels = self.labels[j]
        if labels is not None and np.isfinite(v) and 0 <= int(v) < len(labels):
            return labels[int(v)]
        return fmt_value(v)

    def point_label(self, p, factors=None):
        js = range(len(self.factors)) if factors is None else factors
        parts = [f"{self.factors[j]} = {self.value_text(j, self.points[p, j])}" for j in js]
        return ", ".join(parts) if parts else ("all runs" if factors is None else "")

    def points_table(self, limit=24):
        rows = [f"  point {p}: {self.point_label(p)}" for p in range(min(self.n_points, limit))]
        if self.n_points > limit:
            rows.append(f"  ... ({self.n_points} points; `relsim inspect {self.path}` lists them all)")
        return "\n".join(rows)

    def firm_index(self, spec):
        if spec is None:
            return None
        if spec in self.firms:
            return self.firms.index(spec)
        if re.fullmatch(r"\d+", spec) and int(spec) < len(self.firms):
            return int(spec)
        raise unknown("firm", spec, self.firms, "(a firm is named by its name or its index "
                      f"0..{len(self.firms) - 1})")

    def stat(self, group):
        names = list(self.f[f"summary/{group}/stat"].asstr()[...])
        return {s: names.index(s) for s in ("mean", "lo", "hi", "n")}

    def units(self, ds):
        """The axis unit of a dataset: relsim_units (money, customers ...) or its UDUNITS units."""
        u = ds.attrs.get("relsim_units", ds.attrs.get("units", "1"))
        u = u.decode() if isinstance(u, bytes) else str(u)
        return "dimensionless" if u in ("1", "") else u

    def long_name(self, ds):
        n = ds.attrs.get("long_name", "")
        return n.decode() if isinstance(n, bytes) else str(n)

    def n_failed(self):
        return int(np.count_nonzero(self.run_status != 0))


def data_vars(group):
    return [k for k, v in group.items() if isinstance(v, h5py.Dataset) and v.attrs.get("CLASS") != b"DIMENSION_SCALE"]


def parse_points(exp, text):
    if text is None:
        return list(range(exp.n_points))
    out = []
    for part in text.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise Refusal(f"--points {text}: '{part}' is not a point number; allowed: numbers from 0 to "
                          f"{exp.n_points - 1} or ranges A-B, separated by commas")
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        for p in range(a, b + 1):
            if p >= exp.n_points:
                raise Refusal(f"--points: no design point {p}; the file has points 0 to {exp.n_points - 1}:\n"
                              + exp.points_table())
            if p not in out:
                out.append(p)
    return out


def n_text(ns, what):
    """The number of runs behind the means: n = 5 runs per point (fewer where ...)."""
    ns = [int(n) for n in np.ravel(ns) if np.isfinite(n)]
    if not ns:
        return f"n = 0 {what}"
    lo, hi = min(ns), max(ns)
    return f"n = {hi} {what}" if lo == hi else \
        f"n = {hi} {what} (fewer where a run's value is undefined or the run failed)"


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---- what each mode plots ----------------------------------------------------------

def metric_spec(exp, args):
    f = exp.f
    name, tier_arg = args.metric, args.tier
    groups = ("firm_tier",) if tier_arg is not None else ("firm", "market", "firm_tier")
    group = next((g for g in groups if g in f and name in data_vars(f[g])), None)
    if group is None:
        if tier_arg is not None and any(name in data_vars(f[g]) for g in ("firm", "market")):
            raise Refusal(f"{name} has no tiers; --tier is for the tier metrics:\n{listing(data_vars(f['firm_tier']))}")
        every = data_vars(f["firm"]) + data_vars(f["market"]) + data_vars(f["firm_tier"])
        close = difflib.get_close_matches(name, every, n=1)
        raise Refusal(f"no metric '{name}' in the file" + (f"; did you mean '{close[0]}'?" if close else "")
                      + f"\nfirm metrics:\n{listing(data_vars(f['firm']))}\nmarket metrics:\n"
                      f"{listing(data_vars(f['market']))}\ntier metrics (--tier A, B or C; without it every tier):\n"
                      f"{listing(data_vars(f['firm_tier']))}")
    if group == "market" and args.firm is not None:
        raise Refusal(f"{name} is a market metric: it has no firms (drop --firm)")
    tiers = [None]
    if group == "firm_tier":
        if tier_arg is None:
            tiers = list(range(len(TIERS)))
        elif tier_arg.upper() in TIERS:
            tiers = [TIERS.index(tier_arg.upper())]
        else:
            raise Refusal(f"no tier '{tier_arg}'; the tiers: {', '.join(TIERS)}")
    firm = exp.firm_index(args.firm)
    firms = [None] if group == "market" else ([firm] if firm is not None else list(range(len(exp.firms))))
    points = parse_points(exp, args.points)
    if len(points) > MAX_LINES:
        raise Refusal(f"{len(points)} design points are too many lines for one plot (at most {MAX_LINES}): pick "
                      f"some with --points, e.g. --points {','.join(str(p) for p in points[:3])}; the points:\n"
                      + exp.points_table())
    ds = f[f"summary/{group}/{name}"]
    st = exp.stat(group)
    one_point = len(points) == 1
    series = []
    for p in points:
        block = ds[p]  # [stat, period, (firm, (tier))]
        for fi in firms:
            for ti in tiers:
                idx = (slice(None),) + (() if fi is None else (fi,)) + (() if ti is None else (ti,))
                get = lambda s: block[(st[s],) + idx]
                firm_name = None if fi is None else exp.firms[fi]
                tier_name = None if ti is None else TIERS[ti]
                if one_point:   # one design point: a panel per tier, a line per firm
                    panel = f"tier {tier_name}" if tier_name else ""
                    line = firm_label(exp, firm_name) if firm_name else exp.point_label(p)
                else:           # a panel per firm (and tier), a line per point
                    panel = " · ".join(x for x in (firm_name, tier_name and f"tier {tier_name}") if x)
                    line = exp.point_label(p)
                series.append({"point": p, "firm": firm_name, "tier": tier_name, "panel": panel, "label": line,
                               "period": [int(t) for t in f[f"summary/{group}/period"][...]],
                               "mean": get("mean"), "lo": get("lo"), "hi": get("hi"), "n": get("n")})
    lines = {s["label"] for s in series}
    if len(lines) > MAX_LINES:
        raise Refusal(f"{len(lines)} lines are too many for one plot (at most {MAX_LINES}): pick a firm with --firm "
                      f"({', '.join(exp.firms)})")
    stem = name + (f"_{safe(exp.firms[firm])}" if firm is not None else "") + \
        (f"_tier{TIERS[tiers[0]]}" if tier_arg is not None else "")
    return {"mode": "metric", "group": group, "metric": name, "dataset": ds, "points": points,
            "series": series, "stem": stem}


def measure_source(exp, name, firm_arg):
    """(group, dataset name, firms) of a measure or a run summary field."""
    if name in exp.measures and name in exp.f["measures"]:
        if firm_arg is not None:
            raise Refusal(f"measure {name} is one number per run: it has no firm (drop --firm; --firm is for the "
                          "run summary fields and the metrics)")
        return "measures", [None]
    if name in exp.run_fields:
        fi = exp.firm_index(firm_arg)
        return "run_summary", [fi] if fi is not None else list(range(len(exp.firms)))
    every = exp.measures + exp.run_fields
    close = difflib.get_close_matches(name, every, n=1)
    raise Refusal(f"no measure '{name}' in the file" + (f"; did you mean '{close[0]}'?" if close else "")
                  + f"\nthe experiment's measures (/measures):\n{listing(exp.measures)}\n"
                  f"the runs' summary fields, per firm (/run_summary):\n{listing(exp.run_fields)}")


def measure_meta(exp, group, name):
    """(axis label, unit) of a measure: its text, and the unit of the metric it is made from."""
    ds = exp.f[f"{group}/{name}"]
    if group == "run_summary":
        src = exp.f.get(f"firm/{name}")
        unit = exp.units(src) if src is not None else "dimensionless"
        units = {"cohort_window": "periods", "wom_positive": "messages", "wom_negative": "messages"}
        return f"{RUN_FIELDS.get(name, name)} (the run's summary row)", units.get(name, unit)
    unit = "dimensionless"
    text = exp.f["experiment_resolved"].asstr()[()] if "experiment_resolved" in exp.f else ""
    m = re.search(rf"^\s+{re.escape(name)}:\s*\{{\s*metric:\s*([A-Za-z_0-9]+)", text, re.M)
    if m:
        for g in ("firm", "market"):
            if m.group(1) in exp.f[g]:
                unit = exp.units(exp.f[f"{g}/{m.group(1)}"])
    return exp.long_name(ds) or name, unit


def factor_spec(exp, args):
    name = args.measure
    group, firms = measure_source(exp, name, args.firm)
    if not exp.factors:
        raise Refusal(f"{exp.path} has no factors (one design point): plot the runs' values with --measure "
                      f"{name} alone")
    if args.factor not in exp.factors:
        raise unknown("factor", args.factor, exp.factors)
    j = exp.factors.index(args.factor)
    others = [i for i in range(len(exp.factors)) if i != j]
    points = parse_points(exp, args.points)
    ds = exp.f[f"summary/{group}/{name}"]
    st = exp.stat(group)
    data = ds[...]
    grid = exp.design == "grid"
    groups = {}
    for p in points:
        key = tuple(exp.points[p, others]) if grid else ()
        groups.setdefault(key, []).append(p)
    if grid and len(groups) * len(firms) > MAX_LINES:
        raise Refusal(f"{len(groups) * len(firms)} lines (one per value of the other factors"
                      f"{' and firm' if len(firms) > 1 else ''}) are too many for one plot (at most {MAX_LINES}): "
                      "pick points with --points" + (" or a firm with --firm" if len(firms) > 1 else "")
                      + "; the points:\n" + exp.points_table())
    series = []
    for key, ps in groups.items():
        ps = sorted(ps, key=lambda p: exp.points[p, j])
        for fi in firms:
            idx = (() if fi is None else (fi,))
            get = lambda s: np.array([data[(p, st[s]) + idx] for p in ps])
            label = " · ".join(x for x in (exp.firms[fi] if fi is not None and len(firms) > 1 else None,
                                            exp.point_label(ps[0], others) if grid and others else None) if x)
            series.append({"firm": None if fi is None else exp.firms[fi], "label": label or name, "points": ps,
                           "x": [float(exp.points[p, j]) for p in ps], "mean": get("mean"), "lo": get("lo"),
                           "hi": get("hi"), "n": get("n")})
    stem = f"{name}" + (f"_{safe(exp.firms[firms[0]])}" if args.firm is not None else "") + f"_vs_{safe(args.factor)}"
    return {"mode": "factor", "group": group, "measure": name, "factor": args.factor, "factor_index": j,
            "series": series, "stem": stem}


def box_spec(exp, args):
    name = args.measure
    group, firms = measure_source(exp, name, args.firm)
    if args.points is None and exp.n_points > 1:
        if len(exp.factors) == 1:
            args.factor = exp.factors[0]
            return factor_spec(exp, args)
        raise Refusal(f"{exp.path} has {exp.n_points} design points: say which factor goes on the x axis with "
                      f"--factor ({', '.join(exp.factors)}), or pick points with --points to see their runs")
    points = parse_points(exp, args.points)
    if len(points) * len(firms) > MAX_LINES:
        raise Refusal(f"{len(points) * len(firms)} boxes are too many for one plot (at most {MAX_LINES}): pick fewer "
                      "points with --points" + (" or a firm with --firm" if len(firms) > 1 else ""))
    runs_ds = exp.f[f"{group}/{name}"][...]
    sds = exp.f[f"summary/{group}/{name}"][...]
    st = exp.stat(group)
    series = []
    for p in points:
        runs = [int(r) for r in np.flatnonzero(exp.run_point == p)]
        for fi in firms:
            idx = () if fi is None else (fi,)
            vals = np.array([runs_ds[(r,) + idx] if exp.run_status[r] == 0 else np.nan for r in runs])
            label = " · ".join(x for x in (exp.firms[fi] if fi is not None else None,
                                            exp.point_label(p) if len(points) > 1 or exp.factors else None) if x)
            series.append({"point": p, "firm": None if fi is None else exp.firms[fi], "label": label or name,
                           "runs": runs, "values": vals, "mean": sds[(p, st["mean"]) + idx],
                           "lo": sds[(p, st["lo"]) + idx], "hi": sds[(p, st["hi"]) + idx],
                           "n": sds[(p, st["n"]) + idx]})
    stem = name + (f"_{safe(exp.firms[firms[0]])}" if args.firm is not None else "") + "_runs"
    return {"mode": "runs", "group": group, "measure": name, "series": series, "stem": stem}


def sobol_spec(exp, args):
    if exp.design != "sobol" or "sobol" not in exp.f:
        raise Refusal(f"{exp.path} is not a Sobol experiment (design: {exp.design}): --sobol needs design: sobol "
                      "(plot a measure against a factor with --measure NAME --factor KEY)")
    g = exp.f["sobol"]
    measures = list(g["measure"].asstr()[...])
    factors = list(g["factor"].asstr()[...])
    if args.measure is not None and args.measure not in measures:
        raise unknown("measure", args.measure, measures)
    chosen = [args.measure] if args.measure else measures
    series = []
    for m in chosen:
        i = measures.index(m)
        entry = {"measure": m, "factor": factors}
        for k in ("first", "first_lo", "first_hi", "total", "total_lo", "total_hi"):
            entry[k] = g[k][i, :]
        series.append(entry)
    return {"mode": "sobol", "series": series, "stem": "sobol" + (f"_{args.measure}" if args.measure else "")}


def safe(text):
    return re.sub(r"[^\w.-]+", "_", text)


# ---- drawing ---------------------------------------------------------------------

def pyplot(labels):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import plot_run
    plot_run.setup_fonts(labels, PROG)
    plt.rcParams.update({"legend.fontsize": 12, "axes.titlesize": 15})
    return plt, plot_run


def axis_formatter(ax, unit, plot_run, axis="y"):
    from matplotlib import ticker
    if unit in MONEY_UNITS:
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(ticker.FuncFormatter(plot_run.money))


def wrap(text, width=48):
    """Lines of at most about width characters, of even lengths (no last word alone)."""
    n = math.ceil(len(text) / width)
    for w in range(math.ceil(len(text) / n), width + 1):
        lines = textwrap.wrap(text, w)
        if len(lines) <= n:
            return "\n".join(lines)
    return "\n".join(textwrap.wrap(text, width)) or text


def ci_text(exp, ns, what="runs per point"):
    return f"{exp.level:.0%} confidence interval of the mean, {n_text(ns, what)}"


def design_text(exp):
    if exp.n_points == 1:
        return plural(exp.replications, "replication")
    return f"{exp.design}, {exp.n_points} points × {plural(exp.replications, 'replication')}"


def suptitle(fig, what, where, size):
    """The figure's title: what is plotted, then the experiment; on two lines when one is too wide."""
    text = f"{what}  ·  {where}"
    per_inch = 100 / size * 0.95  # characters of bold text per inch at this size, roughly
    if len(text) > fig.get_size_inches()[0] * per_inch:
        text = f"{what}\n{where}"
    fig.suptitle(text, fontsize=size, fontweight="bold")


def no_values(fig, axes, series, what):
    """Say so on the plot (and on stderr) when nothing plotted has a value."""
    if any(np.isfinite(np.asarray(s["mean"], dtype=float)).any() for s in series):
        return
    msg = f"no values: {what} is undefined (NaN) in every run plotted"
    print(f"{PROG}: warning: {msg}", file=sys.stderr)
    for ax in axes:
        ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center", fontsize=13, wrap=True,
                bbox={"facecolor": "white", "edgecolor": "none"})


def zero_line(ax):
    lo, hi = ax.get_ylim()
    if lo < 0 < hi:
        ax.axhline(0, color="black", lw=0.8, zorder=1.5)


def firm_label(exp, name):
    """The firm's name, with its strategy when the name does not say it."""
    s = exp.strategies[exp.firms.index(name)] if name in exp.firms else ""
    return name if not s or s.lower() in name.lower() else f"{name} ({s})"


def draw_metric(exp, spec, out):
    plt, plot_run = pyplot([s["label"] for s in spec["series"]] + exp.firms + [exp.name])
    from matplotlib.patches import Patch
    series = spec["series"]
    panels = list(dict.fromkeys(s["panel"] for s in series))
    lines = list(dict.fromkeys(s["label"] for s in series))
    ncols = min(len(panels), 2 if len(panels) == 4 else 3)
    nrows = math.ceil(len(panels) / ncols)
    panel_w = 7.5 if ncols <= 2 else 6.2
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_w * ncols + 1, 5.2 * nrows + 1), sharex=True, sharey=True,
                             squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    periods = np.array(series[0]["period"], dtype=float)
    years = exp.periods >= PERIODS_PER_YEAR
    x = (periods + 1) / PERIODS_PER_YEAR if years else periods + 1
    ds = spec["dataset"]
    unit = exp.units(ds)
    handles = []
    for s in series:
        ax = axes.flat[panels.index(s["panel"])]
        c = colors[lines.index(s["label"]) % len(colors)]
        ax.fill_between(x, s["lo"], s["hi"], color=c, alpha=0.22, lw=0)
        h, = ax.plot(x, s["mean"], color=c, lw=2.2, label=s["label"])
        if len(handles) < len(lines) and s["label"] not in [hh.get_label() for hh in handles]:
            handles.append(h)
    one_tier = len({s["tier"] for s in series}) == 1 and series[0]["tier"]
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_visible(False)
            continue
        if panels[i] and not (len(panels) == 1 and one_tier and panels[i] == f"tier {series[0]['tier']}"):
            ax.set_title(panels[i], fontweight="bold")
        ax.grid(True, alpha=0.3)
        ax.set_xlim(0, x[-1])
        axis_formatter(ax, unit, plot_run)
        if i % ncols == 0:
            ax.set_ylabel(f"{wrap(exp.long_name(ds) or spec['metric'], 40)}\n({unit})")
        if i >= len(panels) - ncols:
            ax.set_xlabel(f"years ({PERIODS_PER_YEAR} periods = 1 year)" if years else "period (week)")
            ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes.flat[:len(panels)]:
        zero_line(ax)
    no_values(fig, axes.flat[:len(panels)], series, spec["metric"])
    ns = np.concatenate([np.ravel(s["n"]) for s in series])
    band = Patch(color="grey", alpha=0.35, label="shaded: " + ci_text(exp, ns, "runs per point" if len(
        spec["points"]) > 1 else "runs"))
    title = spec["metric"] + (f" (tier {series[0]['tier']})" if one_tier else "")
    suptitle(fig, f"{title} over time", f"{exp.name}  ({design_text(exp)})", 18)
    legend_title = "firm" if len(spec["points"]) == 1 else "design point"
    if len(spec["points"]) == 1 and exp.factors:
        legend_title += f" (at {exp.point_label(spec['points'][0])})"
    band.set_label(wrap(band.get_label(), 80))
    inline = sum(len(h.get_label()) for h in handles) + len(band.get_label()) < 110
    save(fig, out, plt, {"handles": handles + [band], "ncol": len(handles) + 1 if inline else 1,
                         "title": legend_title})


def draw_factor(exp, spec, out):
    series = spec["series"]
    plt, plot_run = pyplot([s["label"] for s in series] + exp.firms + [exp.name])
    j = spec["factor_index"]
    labels = exp.labels[j]
    grid = exp.design == "grid"
    fig, ax = plt.subplots(figsize=(11, 6.8))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    label, unit = measure_meta(exp, spec["group"], spec["measure"])
    xs_all = sorted({x for s in series for x in s["x"]})
    span = (xs_all[-1] - xs_all[0]) if len(xs_all) > 1 else 1.0
    for i, s in enumerate(series):
        c = colors[i % len(colors)]
        mean, lo, hi = np.asarray(s["mean"]), np.asarray(s["lo"]), np.asarray(s["hi"])
        # grid lines side by side: a small shift so their whiskers do not hide each other
        shift = (i - (len(series) - 1) / 2) * 0.012 * span if grid and len(series) > 1 else 0.0
        x = np.asarray(s["x"]) + shift
        yerr = np.vstack([mean - lo, hi - mean])
        yerr = np.where(np.isfinite(yerr), yerr, 0)
        if not np.isfinite(mean).any():
            ax.plot([], [], color=c, lw=2.2, marker="o", label=s["label"])
        elif grid:
            ax.errorbar(x, mean, yerr=yerr, color=c, lw=2.2, marker="o", ms=7, capsize=5, label=s["label"])
        else:
            ax.errorbar(x, mean, yerr=yerr, color=c, ls="none", marker="o", ms=5, capsize=0, elinewidth=1,
                        alpha=0.75, label=s["label"])
    if labels is not None:
        ax.set_xticks(range(len(labels)), labels)
    elif grid and len(xs_all) <= 12:
        ax.set_xticks(xs_all, [fmt_value(x) for x in xs_all])
    ax.set_xlabel(spec["factor"])
    ax.set_ylabel(f"{wrap(label, 55)}\n({unit})")
    axis_formatter(ax, unit, plot_run)
    ax.grid(True, alpha=0.3)
    ns = np.concatenate([np.ravel(s["n"]) for s in series])
    zero_line(ax)
    no_values(fig, [ax], series, spec["measure"])
    how = "dots: each design point's mean" if grid else "one dot per design point: its mean"
    ax.set_title(f"{how}; whiskers: {ci_text(exp, ns)}", fontsize=12)
    suptitle(fig, f"{spec['measure']} against {spec['factor']}", f"{exp.name}  ({design_text(exp)})", 17)
    legend = None
    if len(series) > 1 or series[0]["label"] != spec["measure"]:
        others = [exp.factors[i] for i in range(len(exp.factors)) if i != j]
        title = "firm" if spec["group"] == "run_summary" and not (grid and others) else \
            ("firm · " if spec["group"] == "run_summary" and len({s["firm"] for s in series}) > 1 else "") + \
            ("the other factors" if grid and others else "")
        legend = {"handles": ax.get_legend_handles_labels()[0], "ncol": 1 if len(series) > 4 else len(series),
                  "title": title or None}
    save(fig, out, plt, legend)


def draw_runs(exp, spec, out):
    series = spec["series"]
    plt, plot_run = pyplot([s["label"] for s in series] + exp.firms + [exp.name])
    fig, ax = plt.subplots(figsize=(max(9, 2.2 * len(series) + 3), 6.8))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    label, unit = measure_meta(exp, spec["group"], spec["measure"])
    rng = np.random.default_rng(0)
    for i, s in enumerate(series):
        c = colors[i % len(colors)]
        v = np.asarray(s["values"], dtype=float)
        v = v[np.isfinite(v)]
        if len(v):
            ax.boxplot([v], positions=[i], widths=0.5, showfliers=False, patch_artist=True,
                       boxprops={"facecolor": c, "alpha": 0.25, "edgecolor": c},
                       medianprops={"color": c, "lw": 2}, whiskerprops={"color": c}, capprops={"color": c})
            ax.scatter(i - 0.32 + rng.uniform(-0.05, 0.05, len(v)), v, s=22, color=c, alpha=0.8, zorder=3)
        lo, hi, mean = float(s["lo"]), float(s["hi"]), float(s["mean"])
        if np.isfinite(lo) and np.isfinite(hi):
            ax.errorbar([i + 0.32], [mean], yerr=[[mean - lo], [hi - mean]], color="black", marker="D", ms=7,
                        capsize=6, lw=2, zorder=4)
        elif np.isfinite(mean):
            ax.plot([i + 0.32], [mean], "D", color="black", ms=7)
    zero_line(ax)
    no_values(fig, [ax], series, spec["measure"])
    ax.set_xticks(range(len(series)), [wrap(firm_label(exp, s["label"]), 26) for s in series])
    ax.set_xlim(-0.7, len(series) - 0.3)
    ax.set_ylabel(f"{wrap(label, 55)}\n({unit})")
    axis_formatter(ax, unit, plot_run)
    ax.grid(True, axis="y", alpha=0.3)
    ns = [s["n"] for s in series]
    ax.set_title(wrap(f"dots: the runs; box: median and quartiles; diamond: the mean; whiskers: the "
                      f"{ci_text(exp, ns, 'runs')}", int(fig.get_size_inches()[0] * 9)), fontsize=12)
    suptitle(fig, spec["measure"], f"{exp.name}  ({design_text(exp)})", 17)
    save(fig, out, plt)


def draw_sobol(exp, spec, out):
    series = spec["series"]
    plt, plot_run = pyplot(series[0]["factor"] + [exp.name])
    n = len(series)
    fig, axes = plt.subplots(n, 1, figsize=(max(9, 2.2 * len(series[0]["factor"]) + 4), 3.9 * n + 1.4),
                             squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, s in zip(axes.flat, series):
        k = len(s["factor"])
        xs = np.arange(k)
        for off, key, c, name in ((-0.2, "first", colors[0], "first-order index"),
                                  (0.2, "total", colors[1], "total index")):
            v = np.asarray(s[key], dtype=float)
            lo, hi = np.asarray(s[key + "_lo"], dtype=float), np.asarray(s[key + "_hi"], dtype=float)
            yerr = np.vstack([v - lo, hi - v])
            yerr = np.where(np.isfinite(yerr), np.maximum(yerr, 0), 0)
            ax.bar(xs + off, np.nan_to_num(v), width=0.38, color=c, alpha=0.85, label=name,
                   yerr=yerr, capsize=6, error_kw={"elinewidth": 1.6})
        if not np.isfinite(np.asarray(s["first"], dtype=float)).any():
            ax.text(0.5, 0.5, "no indices (see the run's messages)", transform=ax.transAxes, ha="center")
        ax.set_xticks(xs, s["factor"])
        ax.axhline(0, color="black", lw=0.8)
        ax.set_ylim(min(-0.05, ax.get_ylim()[0]), max(1.05, ax.get_ylim()[1]))
        ax.set_ylabel("share of the variance\nof the point means")
        ds = exp.f.get(f"measures/{s['measure']}")
        ax.set_title(f"{s['measure']}: {exp.long_name(ds)}" if ds is not None else s["measure"], fontsize=13)
        ax.grid(True, axis="y", alpha=0.3)
    axes.flat[-1].set_xlabel("factor")
    suptitle(fig, "Sobol indices", f"{exp.name}  ({exp.samples} base samples, {exp.n_points} points × "
                                   f"{plural(exp.replications, 'replication')})", 16)
    save(fig, out, plt, {"handles": axes.flat[0].get_legend_handles_labels()[0], "ncol": 2,
                         "title": f"whiskers: {exp.level:.0%} bootstrap confidence interval ({exp.bootstrap} "
                                  "resamples)"})


def save(fig, out, plt, legend=None):
    """Lay out once and write: the legend (if any) in a band of its own height below the panels."""
    band = 0.0
    if legend:
        ncol = legend["ncol"]
        w, h = fig.get_size_inches()
        while True:  # as many columns as fit the figure's width
            leg = fig.legend(handles=legend["handles"], ncol=ncol, title=legend.get("title"),
                             loc="lower center", bbox_to_anchor=(0.5, 0.0), frameon=False, title_fontsize=13)
            box = leg.get_window_extent(fig.canvas.get_renderer())
            if ncol == 1 or box.width <= 0.98 * w * fig.dpi:
                break
            leg.remove()
            ncol = max(1, ncol // 2)
        extra = box.height / fig.dpi + 0.2  # inches
        fig.set_size_inches(w, h + extra)
        band = extra / (h + extra)
    fig.tight_layout(rect=(0, band, 1, 1))
    fig.savefig(out, dpi=100)
    plt.close(fig)


# ---- main ----------------------------------------------------------------------------

def dump(exp, spec, out):
    keep = {"metric": ("point", "firm", "tier", "label", "period", "mean", "lo", "hi", "n"),
            "factor": ("firm", "label", "points", "x", "mean", "lo", "hi", "n"),
            "runs": ("point", "firm", "label", "runs", "values", "mean", "lo", "hi", "n"),
            "sobol": ("measure", "factor", "first", "first_lo", "first_hi", "total", "total_lo", "total_hi")}
    series = []
    for s in spec["series"]:
        d = {}
        for k in keep[spec["mode"]]:
            v = s[k]
            if isinstance(v, np.ndarray) or isinstance(v, (np.floating, float)):
                v = finite_or_none(v) if np.ndim(v) else finite_or_none([v])[0]
            d[k] = v
        series.append(d)
    head = {k: spec[k] for k in ("mode", "group", "metric", "measure", "factor") if k in spec}
    print(json.dumps({"file": exp.path, "output": out, "level": exp.level, **head, "series": series},
                     ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser(prog=PROG, description="Plot a relsim experiment file: a metric over time per "
                                 "design point, a measure against a factor, the runs of a point, or Sobol indices.",
                                 epilog="Exit status: 0 done, 1 not a complete experiment file, 2 a name or option "
                                 "the file does not have.")
    ap.add_argument("file", help="experiment file (.h5) of relsim experiment or relsim run --replications")
    mode = ap.add_argument_group("what to plot (one of)")
    mode.add_argument("--metric", help="a firm, market or tier metric over time (relsim help output lists them)")
    mode.add_argument("--measure", help="a measure (/measures) or run summary field (/run_summary)")
    mode.add_argument("--sobol", action="store_true", help="Sobol indices of every measure (or of --measure)")
    ap.add_argument("--factor", help="with --measure: the factor on the x axis")
    ap.add_argument("--firm", help="only this firm (name or 0-based index)")
    ap.add_argument("--tier", help="with a tier metric: only this tier (A, B or C)")
    ap.add_argument("--points", help="only these design points, e.g. 0,4,8 or 0-3 (at most 8 lines)")
    ap.add_argument("-o", "--output", help="PNG to write (default: beside FILE, named after what is plotted)")
    ap.add_argument("--dump", action="store_true", help="print the plotted numbers as JSON instead of the path; "
                                                        "no PNG unless -o is given too")
    args = ap.parse_args()
    if sum(bool(x) for x in (args.metric, args.sobol)) + (args.measure is not None and not args.sobol) != 1:
        ap.error("say what to plot: one of --metric NAME, --measure NAME [--factor KEY], --sobol")
    if args.factor is not None and (args.metric or args.sobol):
        ap.error("--factor goes with --measure (a measure against a factor)")
    if args.tier is not None and not args.metric:
        ap.error("--tier goes with --metric (a tier metric)")
    if args.sobol and (args.firm is not None or args.points is not None):
        ap.error("--sobol takes no --firm or --points (the indices are over every point)")
    try:
        exp = Experiment(args.file)
        if args.metric:
            spec, draw = metric_spec(exp, args), draw_metric
        elif args.sobol:
            spec, draw = sobol_spec(exp, args), draw_sobol
        elif args.factor is not None:
            spec, draw = factor_spec(exp, args), draw_factor
        else:
            spec = box_spec(exp, args)
            draw = draw_factor if spec["mode"] == "factor" else draw_runs
        out = args.output or f"{os.path.splitext(args.file)[0]}_{spec['stem']}.png"
        if args.dump and not args.output:
            out = None  # the numbers only
        try:
            if out:
                draw(exp, spec, out)
        except OSError as e:
            raise Refusal(f"cannot write {out}: {e.strerror or e}", 1)
    except Refusal as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        sys.exit(e.status)
    if args.dump:
        dump(exp, spec, out)
    else:
        print(out)


if __name__ == "__main__":
    main()
