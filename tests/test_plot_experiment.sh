#!/usr/bin/env bash
# analysis/plot_experiment.py on tiny experiment files: a 2x2 grid with 3
# replications, a Sobol design and `relsim run --replications`. Each plot
# mode writes a PNG that is a real picture, and the numbers it plots (--dump)
# equal what h5py reads from the file: the band is /summary's lo and hi, the
# mean is the mean of the point's runs. A name the file does not have exits 2
# and lists what it has; a file that is not an experiment file exits 1.
. "$(dirname "$0")/common.sh"
PLOT=("$PYTHON" "$SRC/analysis/plot_experiment.py")
TINY=(--set market.customers=300 --set run.periods=30 --set network.contacts=10)

cat >grid.yaml <<EOF
name: tiny_grid
scenario: $SRC/scenarios/default.yaml
factors:
  wom.tell_positive: [0, 4]
  firms.0.strategy: [transactional, discounter]
replications: 3
measures:
  lead: {metric: profit, firm: Relationship, minus: 0, over: all, stat: sum}
  messages: {metric: wom_messages, over: all, stat: sum}
EOF
cat >sobol.yaml <<EOF
name: tiny_sobol
scenario: $SRC/scenarios/default.yaml
factors:
  wom.tell_positive: {uniform: [0, 4]}
  wom.tell_negative: {uniform: [0, 8]}
design: sobol
samples: 16
replications: 1
bootstrap: 200
measures:
  messages: {metric: wom_messages, over: all, stat: sum}
EOF
expect_status 0 "grid experiment" -- "$RELSIM" experiment grid.yaml -o grid.h5 "${TINY[@]}" -q
expect_status 0 "sobol experiment" -- "$RELSIM" experiment sobol.yaml -o sobol.h5 "${TINY[@]}" \
  --set run.periods=12 -q
expect_status 0 "replications" -- "$RELSIM" run "$SRC/scenarios/default.yaml" --replications 4 -o reps.h5 \
  "${TINY[@]}" -q
expect_status 0 "one run" -- "$RELSIM" run "$SRC/scenarios/default.yaml" -o one.h5 "${TINY[@]}" \
  --set run.periods=4 -q

# plot NAME ARGS...: the numbers plotted (--dump) into NAME.json, and with
# -o NAME.png the plot (a PNG takes about a second: one per plot mode).
plot() {
  local name=$1
  shift
  expect_status 0 "plot $name" -- "${PLOT[@]}" "$@" --dump
  cp out.txt "$name.json"
}
plot metric grid.h5 --metric cumulative_profit -o metric.png
plot tier grid.h5 --metric revenue --tier B --firm Relationship --points 1,2
plot market grid.h5 --metric wom_messages --points 0-1,3
plot factor grid.h5 --measure lead --factor firms.0.strategy -o factor.png
plot firms grid.h5 --measure profit --factor wom.tell_positive --firm 1
plot scatter sobol.h5 --measure messages --factor wom.tell_negative -o scatter.png
plot sobol sobol.h5 --sobol -o sobol.png
plot runs reps.h5 --measure cumulative_profit
plot runmeasure reps.h5 --measure profit_1
plot repmetric reps.h5 --metric retention_rate
expect_no_file grid_wom_messages.png "--dump without -o: no PNG"
# Without --dump: the PNG beside the file, named after what it shows, and its path printed.
expect_status 0 "plot runs" -- "${PLOT[@]}" reps.h5 --measure cumulative_profit
expect_in out.txt "reps_cumulative_profit_runs.png" "the path written is printed"

checks=$((checks + 1))
"$PYTHON" - metric tier market factor firms scatter sobol runs runmeasure repmetric >check.txt 2>&1 <<'EOF' ||
import json, sys
import h5py
import numpy as np
import matplotlib.image

bad = []

def same(dumped, expected, what):
    """A dumped list (None for NaN) against h5py's values."""
    d = np.array([np.nan if v is None else v for v in np.ravel(dumped)], dtype=float)
    e = np.asarray(expected, dtype=float).ravel()
    if d.shape != e.shape:
        bad.append(f"{what}: {d.size} values plotted, the file has {e.size}")
    elif not np.array_equal(d, e, equal_nan=True):
        i = int(np.flatnonzero(~((d == e) | (np.isnan(d) & np.isnan(e))))[0])
        bad.append(f"{what}: value {i} plotted {d[i]!r}, the file has {e[i]!r}")

def close(dumped, expected, what):
    d = np.array([np.nan if v is None else v for v in np.ravel(dumped)], dtype=float)
    e = np.asarray(expected, dtype=float).ravel()
    if d.shape != e.shape or not np.allclose(d, e, rtol=1e-9, atol=1e-9, equal_nan=True):
        bad.append(f"{what}: plotted {d[:4]}... but the runs give {e[:4]}...")

def picture(png, what):
    img = matplotlib.image.imread(png)
    h, w = img.shape[:2]
    rgb = (img[..., :3] * 255).astype(np.uint32).reshape(-1, 3)
    colours = len(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]))
    inked = np.mean(rgb.min(axis=1) < 200)
    if h < 400 or w < 500 or colours < 50 or inked < 0.02:
        bad.append(f"{what}: {png} is {w}x{h}, {colours} colours, {inked:.1%} inked: not a plot")

picture("reps_cumulative_profit_runs.png", "runs")
for name in sys.argv[1:]:
    dump = json.load(open(f"{name}.json"))
    if dump["output"]:
        picture(dump["output"], name)
    f = h5py.File(dump["file"], "r")
    firms = list(f["firms/name"].asstr()[...])
    if dump["mode"] == "sobol":
        for s in dump["series"]:
            m = list(f["sobol/measure"].asstr()[...]).index(s["measure"])
            for k in ("first", "first_lo", "first_hi", "total", "total_lo", "total_hi"):
                same(s[k], f[f"sobol/{k}"][m, :], f"{name} {s['measure']} {k}")
        continue
    group = dump["group"]
    item = dump.get("metric") or dump.get("measure")
    stats = list(f[f"summary/{group}/stat"].asstr()[...])
    summary = f[f"summary/{group}/{item}"][...]
    runs = f[f"{group}/{item}"][...]
    run_point = f["runs/point"][...]
    if not dump["series"]:
        bad.append(f"{name}: nothing plotted")
    for s in dump["series"]:
        idx = () if s.get("firm") is None else (firms.index(s["firm"]),)
        if s.get("tier") is not None:
            idx += ("ABC".index(s["tier"]),)
        what = f"{name} {item} {s['label']}"
        if dump["mode"] in ("metric", "runs"):
            p = s["point"]
            for st in ("mean", "lo", "hi", "n"):
                sl = (p, stats.index(st)) + ((slice(None),) + idx if dump["mode"] == "metric" else idx)
                same(s[st], summary[sl], f"{what} {st}")
            mine = runs[(run_point == p,) + ((slice(None),) + idx if dump["mode"] == "metric" else idx)]
            close(s["mean"], np.nanmean(mine, axis=0), f"{what} mean of the runs")
            if dump["mode"] == "runs":
                same(s["values"], mine, f"{what} the runs")
        else:  # factor
            factor = dump["factor"]
            same(s["x"], f[f"points/{factor}"][...][s["points"]], f"{what} x")
            for st in ("mean", "lo", "hi", "n"):
                same(s[st], [summary[(p, stats.index(st)) + idx] for p in s["points"]], f"{what} {st}")
            keys = list(f["factors/factor"].asstr()[...])
            if f.attrs["design"] == "grid":   # one line per value of the other factors
                for k in keys:
                    if k != factor and len(set(f[f"points/{k}"][...][s["points"]])) != 1:
                        bad.append(f"{what}: one line mixes values of {k}")
    if dump["mode"] == "factor" and f.attrs["design"] == "grid":
        covered = sorted(p for s in dump["series"] for p in s["points"])
        per = len(covered) // max(1, len({s.get("firm") for s in dump["series"]}))
        if per != f["points/point"].shape[0]:
            bad.append(f"{name}: the lines hold {per} points of {f['points/point'].shape[0]}")
print("\n".join(bad) or "OK")
sys.exit(1 if bad else 0)
EOF
  fail "the plotted numbers differ from the file: $(cat check.txt)"

# A name the file does not have: exit 2, the message lists what it has.
refuse() {
  local what=$1 message=$2
  shift 2
  expect_status 2 "$what" -- "${PLOT[@]}" "$@"
  expect_in err.txt "$message" "$what: the message"
}
refuse "unknown metric" "did you mean 'profit'?" grid.h5 --metric proft
expect_in err.txt "market metrics:" "unknown metric: the metrics are listed"
refuse "unknown firm" "the file's firms:" grid.h5 --metric profit --firm Nobody
expect_in err.txt "Transactional, Relationship" "unknown firm: the firms are listed"
refuse "unknown measure" "no measure 'leed' in the file; did you mean 'lead'?" grid.h5 --measure leed --factor wom.tell_positive
refuse "unknown factor" "the file's factors:" grid.h5 --measure lead --factor market.size
expect_in err.txt "wom.tell_positive, firms.0.strategy" "unknown factor: the factors are listed"
refuse "too many points" "pick some with --points" sobol.h5 --metric profit
refuse "point out of range" "no design point 9" grid.h5 --metric profit --points 9
refuse "sobol of a grid" "not a Sobol experiment" grid.h5 --sobol
expect_no_file grid_proft.png "no PNG for a refused plot"
# Not an experiment file: exit 1.
expect_status 1 "one run's file" -- "${PLOT[@]}" one.h5 --metric profit
expect_in err.txt "not an experiment file" "one run's file: the message"
expect_in err.txt "plot_run.py" "one run's file: what plots it"
finish
