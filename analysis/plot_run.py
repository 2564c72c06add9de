#!/usr/bin/env python3
"""Plot one relsim run: the measures that answer "which strategy does better, and why".

Usage: plot_run.py FILE.h5 [-o OUT.png]

One PNG with six panels, one colour per firm (labelled with the firm's name
and strategy): market share; cumulative profit; annual retention (customers
kept through the last year, not the weekly rate that sits near 100%);
satisfaction of the same customers (those who bought from both firms, with
the mean of each firm's buyers dashed: different customers); what the budget
bought, by line, over the run; the firm's active customers by relationship
stage at the end. The x axis is in years (52 periods = 1 year) for runs of a
year or more, else in periods. Needs only numpy, h5py and matplotlib.
Prints the path of the PNG.
"""
import argparse
import os
import sys
import warnings

try:
    import numpy as np
    import h5py
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager, ticker
except ImportError as e:
    sys.exit(f"plot_run.py: {e.name} is missing for {sys.executable}; it needs numpy, h5py and matplotlib "
             "(Debian: apt-get install python3-h5py python3-matplotlib, then run it with /usr/bin/python3)")

PERIODS_PER_YEAR = 52
# What the money bought: the cost metrics, in the order of the budget lines.
LINES = [("advertising_cost", "advertising"), ("prospecting_cost", "prospect visits"),
         ("new_customer_discounts", "first-purchase discounts"), ("contact_cost", "managers' contacts"),
         ("service_cost", "service programme"), ("programme_cost", "structural programme"),
         ("loyalty_discounts", "loyalty discounts"), ("recovery_cost", "recoveries"), ("rnd_cost", "R&D")]
STAGES = [("customers_buyer", "buyer"), ("customers_regular", "regular"), ("customers_personal", "personal trust"),
          ("customers_partner", "partner")]
SMOOTH = 13  # periods in the moving average (one quarter of weekly periods)
CJK_HINTS = ("CJK", "WenQuanYi", "Hei", "Droid Sans Fallback", "Source Han", "Sarasa", "AR PL", "Ming", "Song",
             "Kai", "Gothic", "IPA")


def die(msg):
    print(f"plot_run.py: {msg}", file=sys.stderr)
    sys.exit(1)


def load(path):
    """The run's firms, metrics and attributes, or exit with a message."""
    if not os.path.exists(path):
        die(f"cannot open {path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        die(f"{path} is not an HDF5 file ({e}); expected the output of `relsim run`")
    with f:
        if f.attrs.get("software") != "relsim" or "firm" not in f or "firms" not in f:
            die(f"{path} is not a relsim output file (no root attribute software = \"relsim\")")
        run = {
            "names": list(f["firms/name"].asstr()[...]),
            "strategies": list(f["firms/strategy"].asstr()[...]),
            "scenario": f.attrs.get("scenario_name", "?"),
            "seed": int(f.attrs.get("seed", 0)),
            "complete": int(f.attrs.get("complete", 0)),
            "planned": int(f.attrs.get("periods", 0)),
            "period": f["firm/period"][...],
        }
        k, t = len(run["names"]), len(run["period"])
        for name in ("revenue", "revenue_share", "cumulative_profit", "retention_rate", "satisfaction_mean",
                     "cohort_retention", "satisfaction_same_customers") + tuple(n for n, _ in LINES) + \
                tuple(n for n, _ in STAGES) + ("staff_cost",):
            ds = f.get(f"firm/{name}")
            values = np.full((t, k), np.nan)
            if ds is not None:
                rows = min(t, ds.shape[0])
                values[:rows] = ds[:rows]
            run[name] = values
    if t == 0:
        die(f"{path} holds no periods yet")
    run["contact_cost"] = run["staff_cost"] - run["prospecting_cost"]  # the managers' time with customers
    return run


def moving_average(y, window):
    """Trailing mean over `window` periods, ignoring NaN (undefined) values."""
    ok = np.isfinite(y)
    csum = np.concatenate([[0.0], np.cumsum(np.where(ok, y, 0.0))])
    cnt = np.concatenate([[0], np.cumsum(ok)])
    i = np.arange(len(y))
    lo = np.maximum(i + 1 - window, 0)
    n = cnt[i + 1] - cnt[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (csum[i + 1] - csum[lo]) / np.maximum(n, 1), np.nan)


def rolling_share(revenue, share, window):
    """Share of market revenue over the last `window` periods (from revenue
    sums, so one big customer in one period does not swamp the line); falls
    back to averaging the per-period revenue_share if revenue is missing."""
    if np.isfinite(revenue).any():
        total = moving_average(np.nansum(revenue, axis=1), window)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.column_stack([moving_average(revenue[:, f], window) for f in range(revenue.shape[1])]) \
                / total[:, None]
    return np.column_stack([moving_average(share[:, f], window) for f in range(share.shape[1])])


def setup_fonts(labels, prog="plot_run.py"):
    """Use a CJK-capable font as fallback when one is installed."""
    plt.rcParams.update({"font.size": 14, "axes.titlesize": 17, "axes.labelsize": 14, "legend.fontsize": 14,
                         "xtick.labelsize": 12, "ytick.labelsize": 12})
    if not any(ord(ch) > 0x2E7F for text in labels for ch in text):
        return
    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    cjk = [n for n in names if any(h in n for h in CJK_HINTS)]
    if cjk:
        plt.rcParams["font.family"] = ["DejaVu Sans"] + cjk[:1]
    else:
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        print(f"{prog}: no CJK font installed, Chinese names may show as boxes "
              "(apt-get install fonts-noto-cjk)", file=sys.stderr)


def money(x, _pos=None):
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:g}{unit}"
    return f"{x:g}"


def plot(run, out):
    labels = [f"{n} ({s})" for n, s in zip(run["names"], run["strategies"])]
    setup_fonts(labels + [str(run["scenario"])])
    t = run["period"].astype(float)
    years = len(t) >= PERIODS_PER_YEAR
    x = (t + 1) / PERIODS_PER_YEAR if years else t + 1
    xlabel = f"years ({PERIODS_PER_YEAR} periods = 1 year)" if years else "period (week)"
    panels = [
        ("Market share", f"share of market revenue (%),\n{SMOOTH}-period rolling",
         100 * rolling_share(run["revenue"], run["revenue_share"], SMOOTH), False),
        ("Cumulative profit", "money (scenario currency)", run["cumulative_profit"], False),
        ("Customers kept through the last year", "annual retention (%)", 100 * run["cohort_retention"], False),
        ("Satisfaction of the same customers", "last satisfaction, customers who bought from both\n"
         "(dashed: mean of each firm's own buyers)", run["satisfaction_same_customers"], False),
    ]
    fig, axes = plt.subplots(3, 2, figsize=(16, 16))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (title, ylabel, y, smooth) in zip(axes.flat, panels):
        for f, label in enumerate(labels):
            series = moving_average(y[:, f], SMOOTH) if smooth else y[:, f]
            ax.plot(x, series, color=colors[f % len(colors)], lw=2.5, label=label)
            if title.startswith("Satisfaction"):
                ax.plot(x, moving_average(run["satisfaction_mean"][:, f], SMOOTH), color=colors[f % len(colors)],
                        lw=1.2, ls="--")
        ax.set_title(title, fontweight="bold")
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel)
        ax.set_xlim(0, x[-1])
        ax.grid(True, alpha=0.3)
        if title == "Cumulative profit":
            ax.axhline(0, color="black", lw=1)
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(money))
    bars(axes[2, 0], labels, [[np.nansum(run[n][:, f]) for n, _ in LINES] for f in range(len(labels))],
         [name for _, name in LINES], "What the budget bought (whole run)", "money", money)
    bars(axes[2, 1], labels, [[run[n][-1, f] for n, _ in STAGES] for f in range(len(labels))],
         [name for _, name in STAGES], "Active customers by relationship stage (end)", "customers", None)
    title = f"{run['scenario']}  ·  seed {run['seed']}"
    if not run["complete"]:
        title += f"  ·  INCOMPLETE: {len(t)} of {run['planned']} periods"
    fig.suptitle(title, fontsize=20, fontweight="bold", y=0.99)
    handles, _ = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4), frameon=False,
               bbox_to_anchor=(0.5, 0.965), fontsize=15)
    fig.tight_layout(rect=(0, 0, 1, 0.945))
    fig.savefig(out, dpi=100)
    plt.close(fig)


def bars(ax, firms, values, parts, title, xlabel, fmt):
    """Horizontal stacked bars, one per firm, one segment per part."""
    values = np.nan_to_num(np.asarray(values, dtype=float))
    cmap = plt.get_cmap("tab10")
    left = np.zeros(len(firms))
    for j, part in enumerate(parts):
        ax.barh(range(len(firms)), values[:, j], left=left, color=cmap(j % 10), label=part)
        left += values[:, j]
    ax.set_yticks(range(len(firms)))
    ax.set_yticklabels(firms)
    ax.invert_yaxis()
    ax.set_title(title, fontweight="bold")
    ax.set_xlabel(xlabel)
    if fmt:
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(fmt))
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False)
    ax.grid(True, axis="x", alpha=0.3)


def main():
    ap = argparse.ArgumentParser(description="Plot a relsim run (market share, cumulative profit, annual "
                                             "retention, same-customer satisfaction, spending by line, stages) "
                                             "into one PNG.")
    ap.add_argument("file", help="relsim output file (.h5)")
    ap.add_argument("-o", "--output", help="PNG to write (default: FILE with .png extension)")
    args = ap.parse_args()
    run = load(args.file)
    out = args.output or os.path.splitext(args.file)[0] + ".png"
    try:
        plot(run, out)
    except OSError as e:
        die(f"cannot write {out}: {e.strerror or e}")
    print(out)


if __name__ == "__main__":
    main()
