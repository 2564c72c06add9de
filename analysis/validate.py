#!/usr/bin/python3
"""relsim validation: reference results the model must reproduce (MODEL.md §12).

Each check runs relsim as a user would (a scenario in tests/validation/ with
--set overrides), reads the HDF5 output, computes the expected value
independently (the formula, never a number copied from a run), and compares
them with a stated tolerance derived from the sampling error at the chosen
size and number of replications.

Replications: the N replications of one setting are one relsim process,
`relsim run SCENARIO --replications N --seed SEED`, with the seeds SEED, ...,
SEED + N - 1 (replication r is the single run with --seed SEED + r, bit for
bit) into one experiment file; its runs go in parallel over --jobs workers.
ctx.replicate returns one view per replication that reads like that run's
own file (view["firm/profit"] is its [period, firm] array). A check that
needs customer snapshots or a single run uses ctx.run. Intervals over
replications are two-sided 95% Student t intervals with the exact quantile
t(0.975, n - 1) from scipy.stats.

    /usr/bin/python3 analysis/validate.py --relsim build/relsim            # full size, figures
    /usr/bin/python3 analysis/validate.py --relsim build/relsim --quick     # CI size
    /usr/bin/python3 analysis/validate.py --relsim build/relsim --quick --jobs 2

It needs h5py, numpy, scipy and (full size) matplotlib: Debian's
python3-h5py, python3-numpy, python3-scipy, python3-matplotlib.

Full mode writes the figures to docs/figures/ and the results table to
docs/validation-results.md. The last line is "N passed, M failed"; the exit
status is 1 if any check failed.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.exit(f"validate.py: {e.name} is missing for {sys.executable}; run it with /usr/bin/python3 "
             "(Debian: apt-get install python3-h5py python3-numpy python3-scipy python3-matplotlib)")
try:
    from scipy import stats
except ImportError:  # pragma: no cover
    sys.exit(f"validate.py: scipy is missing for {sys.executable}: the confidence intervals use exact Student t "
             "quantiles from scipy.stats (Debian: apt-get install python3-scipy)")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCEN = os.path.join(ROOT, "tests", "validation")


class RunView:
    """One replication of an experiment file, read like the HDF5 file of that
    single run: view["firm/profit"] is its [period, firm] array,
    view["market/x"] its [period] array and view["firm_tier/x"] its
    [period, firm, tier] array, as read-only numpy arrays. An experiment file
    holds no customer snapshots: a check that reads customers/ uses ctx.run."""

    GROUPS = ("firm", "market", "firm_tier")

    def __init__(self, h5, index):
        self._h5, self._index = h5, index

    def __getitem__(self, key):
        if key.split("/", 1)[0] not in self.GROUPS:
            raise KeyError(f"{key}: a replication holds only {', '.join(self.GROUPS)}; "
                           "read a single run's file (ctx.run) for anything else")
        values = self._h5[key][self._index]
        values.flags.writeable = False
        return values


class Context:
    def __init__(self, relsim, quick, work, figures, jobs=None):
        self.relsim = relsim
        self.quick = quick
        self.work = work
        self.figures = figures  # directory for PNGs, or None
        self.jobs = jobs  # relsim --jobs for replications (None: relsim's default, one per core)
        self.runs = 0  # relsim processes started

    def _relsim(self, cmd):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
        self.runs += 1

    @staticmethod
    def _scenario(scenario):
        return scenario if os.path.isabs(scenario) else os.path.join(SCEN, scenario)

    def run(self, scenario, tag, sets=(), seed=None):
        """Run a scenario with overrides; return the open HDF5 file."""
        out = os.path.join(self.work, f"{tag}.h5")
        cmd = [self.relsim, "run", self._scenario(scenario), "-o", out, "--force", "--quiet"]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        for s in sets:
            cmd += ["--set", s]
        self._relsim(cmd)
        return h5py.File(out, "r")

    def replicate(self, scenario, tag, reps, seed, sets=()):
        """Run reps replications of a scenario with overrides, with the seeds
        seed, seed + 1, ..., seed + reps - 1, in one relsim process (relsim run
        --replications) into one experiment file; return one RunView per
        replication, in seed order. Replication r is the run --seed seed + r,
        bit for bit."""
        out = os.path.join(self.work, f"{tag}.h5")
        cmd = [self.relsim, "run", self._scenario(scenario), "--replications", str(reps), "--seed", str(seed),
               "-o", out, "--force", "--quiet"]
        if self.jobs:
            cmd += ["--jobs", str(self.jobs)]
        for s in sets:
            cmd += ["--set", s]
        self._relsim(cmd)
        f = h5py.File(out, "r")
        seeds, status = f["runs/seed"][:], f["runs/status"][:]
        if list(seeds) != list(range(seed, seed + reps)) or np.any(status != 0):
            raise RuntimeError(f"{out}: expected {reps} finished runs with the seeds {seed}..{seed + reps - 1}, "
                               f"found seeds {list(seeds)}, statuses {list(status)}")
        return [RunView(f, r) for r in range(reps)]


class Result:
    """One check's outcome. open_issue marks a reference result the model does
    not reproduce yet: it is measured and reported, and does not fail the run.
    differs marks a claim the model contradicts by design, for a reason given
    in docs/validation.md: measured and reported, not a failure. contradicts
    marks a claim of the source texts that the model's dynamics contradict at
    the defaults (an emergent result, explained in docs/validation.md):
    measured and reported, not a failure. kind says what a check shows:
    "emergent" (follows from the mechanisms), "calibrated: TO WHAT" (a
    default was chosen to reproduce it) or "verifies the code" (against the
    model's own equations)."""

    def __init__(self, name, passed, expected, measured, tolerance, why, open_issue=False, differs=False,
                 contradicts=False, kind=""):
        self.name, self.passed = name, passed
        self.open_issue, self.differs, self.contradicts = open_issue or differs or contradicts, differs, contradicts
        self.expected, self.measured, self.tolerance, self.why, self.kind = expected, measured, tolerance, why, kind


def plot(ctx, name, draw):
    """Draw a figure with matplotlib into docs/figures/NAME.png (full mode only)."""
    if not ctx.figures:
        return
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    draw(ax)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = os.path.join(ctx.figures, f"{name}.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------------------
# 1. Bass limit
# ---------------------------------------------------------------------------

def bass_recursion(p, q, periods, n):
    """Aware share after each period under relsim's mechanics (docs/model.md):
    ads make an unaware customer aware with probability p; every aware
    customer buys and tells Poisson(q) others drawn uniformly from the n - 1
    other customers, so an unaware customer escapes all B n buyers' stories
    with probability exp(-q B n / (n - 1))."""
    f, out = 0.0, []
    for _ in range(periods):
        b = 1.0 - (1.0 - f) * (1.0 - p)
        f = 1.0 - (1.0 - f) * (1.0 - p) * math.exp(-q * b * n / (n - 1))
        out.append(f)
    return np.array(out)


def bass_continuous(p, q, t):
    e = np.exp(-(p + q) * t)
    return (1 - e) / (1 + (q / p) * e)


def check_bass(ctx):
    n = 20000 if ctx.quick else 100000
    reps = 8 if ctx.quick else 10  # fewer than 8 makes the all-periods band flaky (t with few df)
    # The quick run stops at 45 periods: by then the recursion is at F = 0.99996
    # (every customer of 20 000 but one), and every check below is decided
    # earlier (the largest gaps at t = 10-30). Full size: 60, for the figure.
    periods = 45 if ctx.quick else 60
    q, p_target, ad_effect, ad_cost = 0.3, 0.01, 0.2, 4.0
    impressions = round(math.log(1 - p_target) / math.log(1 - ad_effect / n))
    p = 1 - (1 - ad_effect / n) ** impressions
    base = [f"market.customers={n}", f"run.periods={periods}", f"wom.tell_positive={q}",
            f"firms.0.acquisition_budget={impressions * ad_cost}"]
    expected = bass_recursion(p, q, periods, n)
    results = []

    def curves(extra, tag):
        runs = ctx.replicate("bass.yaml", f"bass_{tag}", reps, 100, base + extra)
        return np.array([f["firm/aware_customers"][:, 0] / n for f in runs])

    mixed = curves([], "mixed")
    mean = mixed.mean(axis=0)
    se = mixed.std(axis=0, ddof=1) / math.sqrt(reps)
    # Tolerance: 4 standard errors of the replication mean at the worst period
    # (the curve's spread is largest in the growth phase), plus 0.002 for the
    # binomial noise of a single period when the replications agree closely.
    dev = np.abs(mean - expected)
    tol = 4 * se + 0.002
    worst = int(np.argmax(dev - tol))
    results.append(Result(
        "Bass limit, mixed network", bool(np.all(dev <= tol)),
        f"recursion F(t), p={p:.4f}, q={q}: F(20)={expected[20]:.4f}, F(40)={expected[40]:.4f}",
        f"F(20)={mean[20]:.4f}, F(40)={mean[40]:.4f}; max |diff| {dev.max():.4f} at t={int(np.argmax(dev))}",
        f"4 SE of the mean of {reps} runs + 0.002 (at t={worst}: {tol[worst]:.4f})",
        f"N={n}, {reps} replications"))

    # The 250 rule leaves the curve almost unchanged on a random network.
    rnd = curves(["network.kind=random", "network.contacts=250"], "random250").mean(axis=0)
    dev250 = np.abs(rnd - expected).max()
    results.append(Result(
        "Bass limit, random network, 250 contacts", bool(dev250 <= 0.03),
        "within 0.03 of the mean-field recursion", f"max |diff| {dev250:.4f}",
        "0.03: a random 250-regular network is close to mean field (no clustering), "
        "the remaining gap is stories landing on already-aware neighbours", f"N={n}, {reps} replications"))

    # Few contacts: the same stories land on neighbours who already know: slower.
    few = curves(["network.kind=random", "network.contacts=4"], "random4").mean(axis=0)
    half = int(np.argmax(expected >= 0.5))
    half_few = int(np.argmax(few >= 0.5)) if np.any(few >= 0.5) else periods
    results.append(Result(
        "Bass limit, random network, 4 contacts (slower)", bool(half_few >= half + 2 and few[half] < expected[half] - 0.05),
        f"50% aware later than the mean field (t={half})",
        f"50% at t={half_few}; F({half})={few[half]:.3f} vs {expected[half]:.3f}",
        "at least 2 periods later and 0.05 lower at the mean-field half-way point", f"N={n}, {reps} replications"))

    t = np.arange(1, periods + 1)

    def draw(ax):
        ax.plot(t, mean, "o", ms=3, label="relsim, mixed network (mean of runs)")
        ax.plot(t, expected, "-", label="discrete recursion (relsim's mechanics)")
        ax.plot(t, bass_continuous(p, q, t), "--", label="Bass, continuous form")
        ax.plot(t, rnd, "-", alpha=0.7, label="relsim, random network, 250 contacts")
        ax.plot(t, few, "-", alpha=0.7, label="relsim, random network, 4 contacts")
        ax.set_xlabel("period (week)")
        ax.set_ylabel("share of customers aware (adopted)")
        ax.set_title(f"Bass limit: p = {p:.3f}, q = {q}")
        ax.legend(fontsize=8)
    plot(ctx, "bass", draw)
    return results


# ---------------------------------------------------------------------------
# 2. Cascade threshold
# ---------------------------------------------------------------------------

def percolation(r, k):
    """Site percolation of one story on a random k-regular graph where each
    informed customer relays, once, to its k - 1 other contacts with
    probability r. theta = probability that a customer reached along an edge
    does not lead to an unbounded chain: theta = 1 - r + r theta^(k-1)
    (smallest root in [0, 1]). A large cascade happens with probability
    1 - theta^k and then reaches the share 1 - theta^k."""
    theta = 0.0
    for _ in range(100000):
        nxt = 1 - r + r * theta ** (k - 1)
        if abs(nxt - theta) < 1e-15:
            break
        theta = nxt
    return 1 - theta ** k


def check_cascade(ctx):
    n = 20000 if ctx.quick else 50000
    k = 10
    reps = 12 if ctx.quick else 30
    branch = [0.5, 0.8, 1.3, 1.6, 2.0, 3.0] if not ctx.quick else [0.5, 2.0]
    # At the quick size every story has stopped spreading by period 23
    # (measured: the last relays at periods 1-23 of 120), and the awareness it
    # left stays: 40 periods suffice there. A run whose story still spreads
    # in its last 5 periods fails the check (the assert below).
    periods = ["run.periods=40"] if ctx.quick else []
    results, rows = [], []
    for b in branch:
        r = b / (k - 1)
        shares = []
        for f in ctx.replicate("cascade.yaml", f"cascade_{b}", reps, 1000,
                               [f"market.customers={n}", f"network.contacts={k}", f"wom.relay={r}"] + periods):
            shares.append(f["firm/aware_customers"][-1, 0] / n)
            assert f["market/wom_relayed"][-5:].sum() == 0, "cascade still running at the end"
        shares = np.array(shares)
        s = percolation(r, k)
        large = shares > 0.05
        rows.append((b, r, s, shares, large))
    # Below the threshold no large cascade; above, the share of large cascades
    # matches 1 - theta^k (binomial SE over reps) and their size matches
    # 1 - theta^k (SE from the spread of large cascades, finite-N effects <1%).
    sub = [row for row in rows if row[0] < 1]
    sup = [row for row in rows if row[0] > 1]
    ok_sub = all(row[3].max() < 0.05 for row in sub)
    results.append(Result(
        "Cascade: no large cascade below r = 1/(k-1)", ok_sub,
        f"no story reaches 5% of the market (the 'large' cut) for r(k-1) in {[row[0] for row in sub]}",
        ", ".join(f"r(k-1)={row[0]}: max {row[3].max():.4f}, mean {row[3].mean():.5f}" for row in sub),
        "5% of the market: a subcritical chain reaches about k/(1 - r(k-1)) people on average; "
        "P(any of 30 stories above 5%) is about 1e-4 at r(k-1) = 0.8", f"N={n}, k={k}, {reps} stories each"))
    for b, r, s, shares, large in sup:
        p_large = large.mean()
        se_p = math.sqrt(max(s * (1 - s), 1e-9) / len(shares))
        size = shares[large].mean() if large.any() else 0.0
        se_size = (shares[large].std(ddof=1) / math.sqrt(large.sum())) if large.sum() > 1 else 0.0
        tol_size = 4 * se_size + 0.01
        ok = abs(p_large - s) <= 4 * se_p + 0.5 / len(shares) and abs(size - s) <= tol_size
        results.append(Result(
            f"Cascade above threshold, r(k-1) = {b}", bool(ok),
            f"P(large) = share = {s:.4f}", f"P(large) {p_large:.3f}, share {size:.4f}",
            f"P: 4 binomial SE ({4 * se_p:.3f}) + half a story; share: 4 SE + 0.01 ({tol_size:.4f})",
            f"N={n}, k={k}, {reps} stories"))

    def draw(ax):
        grid = np.linspace(0.2, 3.2, 200)
        ax.plot(grid, [percolation(g / (k - 1), k) ** 2 for g in grid], "-", label="prediction: mean share (1-θ^k)²")
        ax.plot(grid, [percolation(g / (k - 1), k) for g in grid], "--", label="prediction: share of a large cascade")
        ax.plot([row[0] for row in rows], [row[3].mean() for row in rows], "o", label="relsim: mean share")
        for row in rows:
            ax.plot([row[0]] * len(row[3]), row[3], ".", color="grey", alpha=0.3)
        ax.axvline(1.0, color="k", lw=0.8)
        ax.set_xlabel("r (k - 1)   (critical at 1)")
        ax.set_ylabel("share of the market reached")
        ax.set_title(f"One story's reach, random network k = {k}, N = {n}")
        ax.legend(fontsize=8)
    plot(ctx, "cascade", draw)
    return results


# ---------------------------------------------------------------------------
# 3. Pareto
# ---------------------------------------------------------------------------

def pareto_top_share(alpha, trunc, top=0.2):
    """Top share of spend for Pareto(alpha) truncated at trunc * xmin (closed form)."""
    tail = trunc ** -alpha
    q = (1 - (1 - top) * (1 - tail)) ** (-1 / alpha)
    if abs(alpha - 1) < 1e-12:
        return math.log(trunc / q) / math.log(trunc)
    return (q ** (1 - alpha) - trunc ** (1 - alpha)) / (1 - trunc ** (1 - alpha))


def check_pareto(ctx):
    n = 100000  # the §12 claim is at N >= 10^5; one run is cheap
    f = ctx.run("pareto.yaml", "pareto", [f"market.customers={n}"])
    spend = np.sort(f["customers/spend"][0, :])[::-1]
    alpha = None
    for line in f["scenario/resolved"][()].decode().splitlines():
        if line.strip().startswith("spend_alpha:"):
            alpha = float(line.split(":")[1].split("#")[0])
        if line.strip().startswith("spend_truncate:"):
            trunc = float(line.split(":")[1].split("#")[0])
    top = spend[: n // 5].sum() / spend.sum()
    expected = pareto_top_share(alpha, trunc)
    # Standard error of the sample top share by bootstrap over customers (the
    # top fifth of a resample by partition: the same sum as sorting it).
    rng = np.random.default_rng(0)
    boots = []
    for _ in range(200):
        s = rng.choice(spend, n)
        boots.append(np.partition(s, n - n // 5)[n - n // 5:].sum() / s.sum())
    se = float(np.std(boots))
    results = [
        Result("Pareto: top-20% share, closed form of the configured law", abs(top - expected) <= 4 * se,
               f"{expected:.4f} (alpha {alpha}, truncated at {trunc:g} xmin)", f"{top:.4f}",
               f"4 bootstrap SE = {4 * se:.4f}", f"N={n}"),
        Result("Pareto: the 80/20 rule (MODEL.md §12: 0.80 ± 0.02 at N ≥ 10^5)", abs(top - 0.80) <= 0.02,
               "0.80", f"{top:.4f}", "0.02 (MODEL.md)", f"N={n}"),
    ]
    cum = np.cumsum(np.sort(spend)) / spend.sum()
    xs = np.arange(1, n + 1) / n

    def draw(ax):
        ax.plot(xs, cum, label=f"relsim customers (N = {n})")
        ax.plot([0, 1], [0, 1], "k:", lw=0.8, label="equal spend")
        ax.axvline(0.8, color="grey", lw=0.8)
        ax.axhline(1 - top, color="grey", lw=0.8)
        ax.set_xlabel("share of customers (smallest first)")
        ax.set_ylabel("share of spend")
        ax.set_title(f"Lorenz curve: top 20% hold {top:.1%} (alpha {alpha}, truncation {trunc:g} xmin)")
        ax.legend(fontsize=8)
    plot(ctx, "lorenz", draw)
    return results


# ---------------------------------------------------------------------------
# 4. Girard's arithmetic
# ---------------------------------------------------------------------------

def check_girard(ctx):
    n = 30000 if ctx.quick else 100000
    reps = 3 if ctx.quick else 8
    k, weeks, tellers, hops = 250, 52, 2, 3
    results = []
    # A random contact list of k entries holds n(1 - (1 - 1/n)^k) distinct
    # customers on average (docs/network.md: entries repeat about as often as
    # independent draws), 249.69 at n = 10^5: a teller reaches that many.
    k_eff = n * (1 - (1 - 1 / n) ** k)
    expected = n * (1 - (1 - k_eff / n) ** (tellers * weeks))
    reached = np.array([f["firm/aware_customers"][-1, 0]
                        for f in ctx.replicate("girard.yaml", "girard", reps, 200, [f"market.customers={n}"])])
    se = reached.std(ddof=1) / math.sqrt(reps)
    # Binomial spread of the distinct count: sqrt(N P (1 - P)) per run.
    pb = expected / n
    se_b = math.sqrt(n * pb * (1 - pb) / reps)
    tol = 4 * max(se, se_b)
    results.append(Result(
        "Girard: 2 unhappy customers a week x 250 contacts x 52 weeks, no relay",
        bool(abs(reached.mean() - expected) <= tol),
        f"N(1-(1-k'/N)^104) = {expected:.0f}, k' = {k_eff:.2f} distinct contacts of 250 (Girard's 26 000 without overlap)",
        f"{reached.mean():.0f}", f"4 SE ({4 * max(se, se_b):.0f})",
        f"N={n}, {reps} replications"))
    # With relay r: each story's expected reach grows by the branching factor
    # sum_{h<H} (r (k-1))^h (a hearer retells to its k-1 other contacts).
    r = 0.002
    factor = sum((r * (k - 1)) ** h for h in range(hops))
    m = k * factor
    expected_r = n * (1 - (1 - m / n) ** (tellers * weeks))
    relay = ctx.replicate("girard.yaml", "girard_relay", reps, 300,
                          [f"market.customers={n}", "mechanisms.relay=true", f"wom.relay={r}", f"wom.max_hops={hops}",
                           f"run.periods={weeks + hops}"])
    reached_r = np.array([f["firm/aware_customers"][-1, 0] for f in relay])
    se_r = reached_r.std(ddof=1) / math.sqrt(reps)
    tol_r = 4 * se_r + 0.01 * expected_r
    results.append(Result(
        f"Girard with relay {r}, {hops} hops: reach grows by the branching factor {factor:.3f}",
        bool(abs(reached_r.mean() - expected_r) <= tol_r),
        f"{expected_r:.0f}", f"{reached_r.mean():.0f}",
        f"4 SE ({4 * se_r:.0f}) + 1% (overlap between a story's hops)", f"N={n}, {reps} replications"))
    return results


# ---------------------------------------------------------------------------
# 5. Customer lifetime value
# ---------------------------------------------------------------------------

def check_clv(ctx):
    n = 20000 if ctx.quick else 100000
    f = ctx.run(os.path.join(ROOT, "scenarios", "default.yaml"), "clv",
                [f"market.customers={n}", "run.periods=104"])
    d = None
    for line in f["scenario/resolved"][()].decode().splitlines():
        if line.strip().startswith("discount_rate:"):
            d = float(line.split(":")[1].split("#")[0])
    g = f["firm"]
    m = (g["revenue"][:] - g["cogs"][:] - g["retention_cost"][:] - g["recovery_cost"][:]) / g["active_customers"][:]
    r = g["retention_rate"][:]
    formula = m * r / (1 + d - r)
    clv = g["clv"][:]
    ok = np.isfinite(clv[10:]).all() and np.allclose(clv[10:], formula[10:], rtol=1e-9, atol=1e-9)
    # Reichheld & Sasser's "5 points" are of annual retention: take the
    # relationship firm's cohort (annual) retention of the last period, add 5
    # points, and apply the formula on an annual basis with the same margin.
    annual = float(g["cohort_retention"][-1, 1])
    d_year = (1 + d) ** 52 - 1
    factor = ((annual + 0.05) / (1 + d_year - annual - 0.05)) / (annual / (1 + d_year - annual))
    return [Result("CLV metric = m r / (1 + d - r) for the period's margin and retention", bool(ok),
                   "the formula from the file's own revenue, costs, active customers and retention",
                   f"max relative difference {np.nanmax(np.abs(clv[10:] - formula[10:]) / np.abs(formula[10:])):.2e}; "
                   f"(for information, not tested: +5 points of annual retention at {annual:.2f} "
                   f"multiplies annual-basis CLV by {factor:.2f})",
                   "1e-9 relative (floating point)", f"N={n}, 104 periods")]


# ---------------------------------------------------------------------------
# Strategy checks on the default scenario (6, 7, 9, 10) and the price war (8)
# ---------------------------------------------------------------------------

def ci(values):
    """Mean and half-width of the two-sided 95% Student t interval of the
    mean of n replications (exact quantile, n - 1 degrees of freedom)."""
    v = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    return v.mean(), half


def default_runs(ctx):
    """Replications of the default scenario, shared by checks 6, 7, 9 and 10."""
    if getattr(ctx, "_default", None) is None:
        n = 20000 if ctx.quick else 100000
        reps = 6 if ctx.quick else 20
        periods = 156 if ctx.quick else 260
        ctx._default = ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default", reps, 500,
                                     [f"market.customers={n}", f"run.periods={periods}"])
        ctx._default_size = f"N={n}, {periods} periods, {reps} replications, 95% t intervals"
    return ctx._default, ctx._default_size


def weighted(f, metric, weight, firm, rows=slice(None)):
    """Mean of a per-period rate weighted by its per-period denominator."""
    v = f["firm/" + metric][rows, firm]
    w = f["firm/" + weight][rows, firm]
    ok = np.isfinite(v) & (w > 0)
    return float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else float("nan")


def check_strategy(ctx):
    """The default lesson, with replications: who wins new customers, who
    keeps them, who earns more (in how many seeds), whether the relationship
    firm still earns more with word of mouth off, and which firm satisfies
    the same customers more. All emergent."""
    runs, size = default_runs(ctx)
    T, R = 0, 1
    n = 20000 if ctx.quick else 100000
    reps = len(runs)
    periods = 156 if ctx.quick else 260
    rows = []
    new1 = [f["firm/new_customers"][:52, T].sum() - f["firm/new_customers"][:52, R].sum() for f in runs]
    no_visits = ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default_no_prospecting", reps, 500,
                              [f"market.customers={n}", f"run.periods={periods}", "mechanisms.prospecting=false"])
    new1_nv = [f["firm/new_customers"][:52, T].sum() - f["firm/new_customers"][:52, R].sum() for f in no_visits]
    m, h = ci(new1)
    mv, hv = ci(new1_nv)
    rows.append(Result("Strategy comparison: transactional firm wins more new customers in the first year",
                       bool(m - h > 0), "difference > 0 (95% CI above 0)",
                       f"{m:.4g} ± {h:.3g} customers (with mechanisms.prospecting off: {mv:.4g} ± {hv:.3g})",
                       "95% t interval over replications", size, contradicts=not m - h > 0, kind="emergent"))
    ret = [f["firm/cohort_retention"][-1, R] - f["firm/cohort_retention"][-1, T] for f in runs]
    m, h = ci(ret)
    rows.append(Result("Strategy comparison: relationship firm has higher retention (customers kept through the last year)",
                       bool(m - h > 0), "difference > 0 (95% CI above 0)", f"{m:.4g} ± {h:.3g} (annual retention)",
                       "95% t interval over replications", size, kind="emergent"))
    # Robust lesson: the profit lead in (nearly) every seed, at two sizes.
    small = runs if n == 20000 else ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default_20k", reps,
                                                  500, ["market.customers=20000", f"run.periods={periods}"])
    need = math.ceil(0.9 * reps)  # 18 of 20
    for label, rs, size_n in [("", runs, n)] + ([] if n == 20000 else [(" (20 000 customers)", small, 20000)]):
        cum = [f["firm/cumulative_profit"][-1, R] - f["firm/cumulative_profit"][-1, T] for f in rs]
        m, h = ci(cum)
        wins = sum(c > 0 for c in cum)
        rows.append(Result(f"Strategy comparison: relationship firm has higher cumulative profit at the end{label}",
                           bool(m - h > 0 and wins >= need),
                           f"difference > 0 (95% CI above 0) and in at least {need} of {reps} seeds",
                           f"{m:.4g} ± {h:.3g} money; relationship ahead in {wins} of {reps} seeds",
                           "95% t interval over replications", size.replace(f"N={n}", f"N={size_n}"), kind="emergent"))
    nowom = ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default_no_wom", reps, 500,
                          [f"market.customers={n}", f"run.periods={periods}", "mechanisms.word_of_mouth=false"])
    cum = [f["firm/cumulative_profit"][-1, R] - f["firm/cumulative_profit"][-1, T] for f in nowom]
    m, h = ci(cum)
    rows.append(Result("Strategy comparison: without word of mouth the relationship firm still earns more",
                       bool(m - h > 0), "difference > 0 (95% CI above 0)",
                       f"{m:.4g} ± {h:.3g} money; ahead in {sum(c > 0 for c in cum)} of {reps} seeds",
                       "95% t interval over replications", size + "; mechanisms.word_of_mouth=false", kind="emergent"))
    same = [f["firm/satisfaction_same_customers"][-1, R] - f["firm/satisfaction_same_customers"][-1, T] for f in runs]
    buyers = [np.nanmean(f["firm/satisfaction_mean"][-52:, R]) - np.nanmean(f["firm/satisfaction_mean"][-52:, T])
              for f in runs]
    m, h = ci(same)
    mb, hb = ci(buyers)
    rows.append(Result("Strategy comparison: the relationship firm satisfies the same customers more",
                       bool(m - h > 0), "difference > 0 (95% CI above 0), customers who bought from both firms",
                       f"{m:.4f} ± {h:.4f} (mean of each firm's buyers, last year: {mb:+.4f} ± {hb:.4f}: a "
                       "comparison of different customers)", "95% t interval over replications", size,
                       kind="emergent"))
    cpr_t = [f["firm/cost_per_retained"][-1, T] for f in runs]
    cpr_r = [f["firm/cost_per_retained"][-1, R] for f in runs]
    # all marketing spending of the last year per customer retained through it
    mkt = [[(f["firm/cohort_acquisition_cost"][-1, x] + f["firm/cohort_retention_cost"][-1, x]) /
            f["firm/cohort_retained"][-1, x] for f in runs] for x in (T, R)]
    mt, ht = ci(cpr_t)
    mr, hr = ci(cpr_r)
    (m_t, h_t), (m_r, h_r) = ci(mkt[0]), ci(mkt[1])
    # The stated reason for "differs": the transactional preset has nothing to
    # spend on retention. If a change gives it retention spending, this
    # becomes an ordinary check that can fail.
    no_spending = max(cpr_t) == 0.0
    rows.append(Result("Strategy comparison: relationship firm has lower cost per retained customer", bool(mr + hr < mt - ht),
                       "relationship < transactional (retention spending per customer retained through the last year)",
                       f"relationship {mr:.1f} ± {hr:.1f}, transactional {mt:.1f} ± {ht:.1f} (all marketing spending per "
                       f"retained customer: relationship {m_r:.1f} ± {h_r:.1f}, transactional {m_t:.1f} ± {h_t:.1f})",
                       "95% t intervals do not overlap", size, differs=no_spending, kind="emergent"))
    return rows


def check_valence(ctx):
    """East, Hammond & Wright: people giving positive word of mouth are 2-4
    times as many as those giving negative, although each dissatisfied
    talker tells more people. Counted as first-hand tellers, not messages."""
    runs, size = default_runs(ctx)
    ratio = [f["firm/positive_tellers"][:].sum() / f["firm/negative_tellers"][:].sum() for f in runs]
    msgs = [f["firm/wom_positive_sent"][:].sum() / f["firm/wom_negative_sent"][:].sum() for f in runs]
    m, h = ci(ratio)
    mm, hm = ci(msgs)
    inside = bool(2 <= m - h and m + h <= 4)
    dissatisfied = [np.nansum(f["firm/share_dissatisfied"][:] * f["firm/purchases"][:]) / f["firm/purchases"][:].sum()
                    for f in runs]
    md, hd = ci(dissatisfied)
    # Above the range (docs/validation.md): in model v2 fewer purchases leave
    # a customer dissatisfied (complaints answered, failures learned from,
    # recoveries), so fewer customers have a bad story to tell.
    return [Result("Word-of-mouth valence: positive talkers 2-4 times as many as negative ones",
                   inside, "2 to 4 (people who talk)",
                   f"{m:.2f} ± {h:.2f} (messages: {mm:.2f} ± {hm:.2f}, since an unhappy talker tells more people; "
                   f"share of purchases leaving a customer dissatisfied {md:.4f} ± {hd:.4f})",
                   "95% t interval inside [2, 4]", size, contradicts=not inside and m - h > 4, kind="emergent")]


def check_recovery(ctx):
    """The recovery paradox as an emergent result of the recovery encounter
    (docs/model.md §8): it appears when the recovery beats what customers
    expect of service, fades after an earlier failure (double deviation),
    and does not appear when recovery is no better than routine service."""
    runs, size = default_runs(ctx)
    R = 1
    diff = [weighted(f, "satisfaction_recovered", "recoveries", R) -
            weighted(f, "satisfaction_no_failure", "purchases", R) for f in runs]
    again = [weighted(f, "satisfaction_recovered", "recoveries", R) -
             weighted(f, "satisfaction_recovered_again", "recoveries", R) for f in runs]
    n = 20000 if ctx.quick else 100000
    periods = 156 if ctx.quick else 260
    plain = [weighted(f, "satisfaction_recovered", "recoveries", R) -
             weighted(f, "satisfaction_no_failure", "purchases", R)
             for f in ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default_plain_recovery", len(runs),
                                    500, [f"market.customers={n}", f"run.periods={periods}",
                                          "firms.1.recovery_quality=0.7"])]
    m, h = ci(diff)
    ma, ha = ci(again)
    mp, hp = ci(plain)
    return [Result("Service recovery paradox: recovered customers more satisfied than never-failed ones",
                   bool(m - h > 0), "satisfaction(recovered) - satisfaction(no failure) > 0",
                   f"{m:.4f} ± {h:.4f}", "95% t interval above 0", size + "; relationship firm, recovery_quality 0.8",
                   kind="emergent"),
            Result("Service recovery paradox fades after an earlier failure (double deviation)",
                   bool(ma - ha > 0), "satisfaction(recovered) - satisfaction(recovered after an earlier failure) > 0",
                   f"{ma:.4f} ± {ha:.4f}", "95% t interval above 0", size + "; relationship firm", kind="emergent"),
            Result("No paradox when recovery is no better than routine service",
                   bool(mp + hp < 0), "satisfaction(recovered) - satisfaction(no failure) < 0 at recovery_quality 0.7",
                   f"{mp:.4f} ± {hp:.4f}", "95% t interval below 0",
                   size + "; relationship firm, firms.1.recovery_quality=0.7 (= its quality)", kind="emergent")]


def check_cost_ratio(ctx):
    """The 4-6 rule on a per-customer-year basis, per firm: the relationship
    firm's acquisition spending over the last year per customer acquired
    (active now, not a year ago) against its retention spending per customer
    retained (active now and a year ago). The transactional preset spends
    nothing on retention, so its ratio is undefined; the market's pooled
    ratio mixes the two firms' spending and is reported, not tested."""
    runs, size = default_runs(ctx)
    market = [f["market/market_cohort_cost_ratio"][-1] for f in runs]
    relationship = [f["firm/cohort_cost_ratio"][-1, 1] for f in runs]
    cpa = [f["firm/cost_per_acquired"][-1, :] for f in runs]
    cpr = [f["firm/cost_per_retained"][-1, :] for f in runs]
    m, h = ci(market)
    mr, hr = ci(relationship)
    a_t, _ = ci([v[0] for v in cpa])
    a_r, _ = ci([v[1] for v in cpa])
    r_r, _ = ci([v[1] for v in cpr])
    inside = bool(4 <= mr - hr and mr + hr <= 6)
    return [Result("Acquisition cost per customer acquired is 4-6 times retention cost per customer retained (relationship firm, per customer-year)",
                   inside, "4 to 6",
                   f"{mr:.2f} ± {hr:.2f} ({a_r:.1f} per acquired, {r_r:.1f} per retained; market pooled "
                   f"{m:.2f} ± {h:.2f}; transactional firm {a_t:.1f} per acquired, no retention spending)",
                   "95% t interval inside [4, 6]", size + "; last year of the run", contradicts=not inside,
                   kind="emergent")]


def defection_ratio(f, firm):
    """Defection (buying elsewhere at the next occasion) of satisfied over
    completely satisfied customers, pooled exactly from the repurchase rates
    and their occasion counts over the run."""
    def defection(band):
        occ = f["firm/repeat_occasions_" + band][:, firm]
        kept = np.nan_to_num(f["firm/repurchase_" + band][:, firm]) * occ
        return 1.0 - kept.sum() / occ.sum()
    return defection("satisfied") / defection("completely_satisfied")


def check_jones_sasser(ctx):
    """Jones & Sasser (1995): in a competitive market satisfied customers
    defect several times as often as completely satisfied ones; a lock-in
    holds the merely satisfied too and so narrows the gap (false loyalty).
    The lock-in runs are the default scenario with the transactional firm
    locking its buyers in, paired by seed."""
    runs, size = default_runs(ctx)
    out = []
    ratios = {}
    for firm, label in [(0, "transactional"), (1, "relationship")]:
        ratios[firm] = [defection_ratio(f, firm) for f in runs]
        m, h = ci(ratios[firm])
        out.append(Result(f"Jones & Sasser: satisfied customers defect several times as often as completely satisfied ({label})",
                          bool(m - h >= 2), "defection ratio satisfied / completely satisfied >= 2",
                          f"{m:.2f} ± {h:.2f}", "95% t interval at or above 2", size))
    n = 20000 if ctx.quick else 100000
    periods = 156 if ctx.quick else 260
    locked = [defection_ratio(f, 0) for f in
              ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), "default_locked", len(runs), 500,
                            [f"market.customers={n}", f"run.periods={periods}", "firms.0.lock_in=true"])]
    diff = [a - b for a, b in zip(ratios[0], locked)]
    m, h = ci(diff)
    ml, hl = ci(locked)
    out.append(Result("Jones & Sasser: a lock-in narrows the gap (false loyalty)", bool(m - h > 0),
                      "transactional firm's defection ratio without lock-in minus with it > 0",
                      f"{m:.2f} ± {h:.2f} (with lock-in {ml:.2f} ± {hl:.2f})", "95% t interval of the paired difference above 0",
                      size + "; the same seeds with firms.0.lock_in=true"))
    return out


def check_inertia(ctx):
    """Defection of the two incumbents' customers at occasions where a rival
    (the discounter, or the other incumbent) offers its first-purchase
    discount, pooled exactly over both incumbents (the claim is about the
    market) from the defection rates and their occasion counts. The
    scenario's own 156 periods: the discounter enters at week 52, so the
    price war lasts 104 periods."""
    n = 20000 if ctx.quick else 100000
    reps = 4 if ctx.quick else 10
    pooled, per_firm, matched = [], {0: [], 1: []}, []
    for f in ctx.replicate(os.path.join(ROOT, "scenarios", "price_war.yaml"), "price_war", reps, 700,
                           [f"market.customers={n}"]):
        # Exact pooling: defections = rate x occasions, per period and firm.
        rates = {}
        for group in ("inert", "high", "loyal"):
            occ = np.nan_to_num(f["firm/promotion_occasions_" + group][:, :2])
            dfc = np.nan_to_num(f["firm/defection_" + group][:, :2]) * occ
            rates[group] = (dfc.sum(axis=0) / occ.sum(axis=0), dfc.sum() / occ.sum())
        for k in (0, 1):
            per_firm[k].append(rates["inert"][0][k] / rates["loyal"][0][k])
        pooled.append(rates["inert"][1] / rates["loyal"][1])
        matched.append(rates["inert"][1] / rates["high"][1])
    m, h = ci(pooled)
    mm, hm = ci(matched)
    m0, h0 = ci(per_firm[0])
    m1, h1 = ci(per_firm[1])
    size = f"price_war scenario, N={n}, 156 periods (the discounter from week 52), {reps} replications"
    return [Result("Inertia is not loyalty: under a rival's promotion low-involvement repeat buyers defect far more than high-involvement ones",
                   bool(mm - hm >= 2), "defection ratio low / high involvement >= 2, all repeat buyers (no selection on commitment)",
                   f"{mm:.2f} ± {hm:.2f}; selected on commitment (committed high-involvement only): {m:.2f} ± {h:.2f} "
                   f"(transactional firm {m0:.2f} ± {h0:.2f}, relationship firm {m1:.2f} ± {h1:.2f})",
                   "95% t interval at or above 2", size, contradicts=not mm - hm >= 2, kind="emergent")]

# ---------------------------------------------------------------------------
# 11. When relationships do not pay (Kotler's margin x customers matrix)
# ---------------------------------------------------------------------------

MARKETS = {
    # few big customers: the default Pareto spend (top 20% hold 80%)
    "concentrated": ["firms.0.budget=0.5", "firms.1.budget=0.5"],
    # many small customers of similar size
    "mass": ["customers.spend=lognormal", "customers.spend_median=4", "customers.spend_sigma=0.3",
             "firms.0.budget=0.05", "firms.1.budget=0.05"],
}
REVENUE_BUDGETS = ["firms.0.budget_mode=revenue_share", "firms.1.budget_mode=revenue_share",
                   "firms.0.budget_share=0.08", "firms.1.budget_share=0.08"]


def check_kotler(ctx):
    """The default scenario's two firms in two markets and at three unit
    margins, both budgeting 8% of revenue. Relative profit advantage of the
    relationship firm: (R - T) / |T| at the end, with 95% t intervals."""
    # The concentrated market's profit hangs on a few "superstar" customers,
    # so even the CI size needs a few tens of thousands of customers (quick:
    # +9.6% ± 4.8% at 30 000). The mass market's does not: at 10 000
    # customers its corner measured -17.7% ± 1.7% and the shipped
    # mass_market -18.3% ± 3.1%, as far below 0 as at 30 000 (-17.8% ± 1.0%,
    # -16.4% ± 0.6%) in units of their own intervals.
    n = 30000 if ctx.quick else 50000
    size_of = {"concentrated": n, "mass": 10000 if ctx.quick else n}
    reps = 8 if ctx.quick else 10
    periods = 156
    costs = [0.6, 0.75, 0.85]
    # The two corners of Kotler's matrix are checked with the presets' fixed
    # levels: along the margin axis the same revenues and marketing costs are
    # valued at a thinner margin, so the relationship firm's extra revenue
    # must pay for its extra relationship costs. Then the relationship firm
    # choosing its levels by Kotler's rule (policy kotler): which levels it
    # picks in each corner, and whether that pays where relationships do not.
    # The cells between the corners are only reported and plotted: full size only.
    hi, lo = ("concentrated", costs[0]), ("mass", costs[-1])
    cells = [hi, lo] if ctx.quick else [(market, uc) for market in MARKETS for uc in costs]
    adv = {}
    for market, uc in cells:
        vals = []
        for f in ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), f"kotler_{market}_{uc}", reps, 900,
                               [f"market.customers={size_of[market]}", f"run.periods={periods}",
                                f"firms.0.unit_cost={uc}", f"firms.1.unit_cost={uc}"] + REVENUE_BUDGETS + MARKETS[market]):
            c = f["firm/cumulative_profit"][-1]
            vals.append((c[1] - c[0]) / abs(c[0]))
        adv[(market, uc)] = ci(vals)
    size = lambda market: f"N={size_of[market]}, {periods} periods, {reps} replications, 95% t intervals"
    fmt = lambda key: f"{adv[key][0]:+.1%} ± {adv[key][1]:.1%}"
    out = [
        Result("Kotler: relationships pay with few big customers and a high margin", bool(adv[hi][0] - adv[hi][1] > 0),
               "relationship firm's profit advantage > 0", fmt(hi), "95% t interval above 0",
               size("concentrated") + f"; concentrated market, unit_cost {costs[0]}", kind="emergent"),
        Result("Kotler: the transactional firm wins with many small customers and a thin margin",
               bool(adv[lo][0] + adv[lo][1] < 0), "relationship firm's profit advantage < 0",
               fmt(lo) + ("; the two corners: " if ctx.quick else "; all cells: ") +
               "; ".join(f"{m} {uc}: {fmt((m, uc))}" for m, uc in cells),
               "95% t interval below 0", size("mass") + f"; mass market, unit_cost {costs[-1]}", kind="emergent"),
    ]
    shipped = []
    for f in ctx.replicate(os.path.join(ROOT, "scenarios", "mass_market.yaml"), "mass_market", reps, 950,
                           [f"market.customers={size_of['mass']}", f"run.periods={periods}"]):
        c = f["firm/cumulative_profit"][-1]
        shipped.append((c[1] - c[0]) / abs(c[0]))
    m, h = ci(shipped)
    out.append(Result("Kotler: in the shipped mass_market scenario the transactional firm wins", bool(m + h < 0),
                      "relationship firm's profit advantage < 0", f"{m:+.1%} ± {h:.1%}", "95% t interval below 0",
                      f"scenarios/mass_market.yaml, N={size_of['mass']}, {periods} periods, {reps} replications",
                      kind="emergent"))
    # Kotler's rule as the relationship firm's policy, paired with the fixed
    # preset by seed, in both corners.
    gain, levels = {}, {}
    for market, uc in (hi, lo):
        sets = [f"market.customers={size_of[market]}", f"run.periods={periods}", f"firms.0.unit_cost={uc}",
                f"firms.1.unit_cost={uc}"] + REVENUE_BUDGETS + MARKETS[market]
        fixed = ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), f"kotler_{market}_{uc}", reps, 900, sets)
        ruled = ctx.replicate(os.path.join(ROOT, "scenarios", "default.yaml"), f"kotler_rule_{market}_{uc}", reps, 900,
                              sets + ["firms.1.policy=kotler"])
        gain[market] = ci([(b["firm/cumulative_profit"][-1, 1] - a["firm/cumulative_profit"][-1, 1]) /
                           abs(a["firm/cumulative_profit"][-1, 1]) for a, b in zip(fixed, ruled)])
        lv = np.mean([f["firm_tier/level"][-52:, 1, :].mean(axis=0) for f in ruled], axis=0)
        levels[market] = ", ".join(f"{t} {v:.1f}" for t, v in zip("ABC", lv))
    mg, hg = gain["mass"]
    out.append(Result("Kotler: choosing levels by margin pays where relationships do not (mass market, thin margin)",
                      bool(mg - hg > 0), "profit of the relationship firm with policy kotler minus with the fixed preset > 0",
                      f"{mg:+.1%} ± {hg:.1%}; levels chosen (0 basic .. 4 partnership, last year): mass market "
                      f"{levels['mass']}; concentrated market, unit_cost {costs[0]}: {levels['concentrated']} "
                      f"(profit {gain['concentrated'][0]:+.1%} ± {gain['concentrated'][1]:.1%} against the preset)",
                      "95% t interval of the paired relative difference above 0",
                      size("mass") + f"; mass market, unit_cost {costs[-1]}; firms.1.policy=kotler", kind="emergent"))

    def draw(ax):
        for market in MARKETS:
            ys = [adv[(market, uc)][0] * 100 for uc in costs]
            es = [adv[(market, uc)][1] * 100 for uc in costs]
            ax.errorbar(costs, ys, yerr=es, marker="o", capsize=3,
                        label="few big customers (Pareto)" if market == "concentrated" else "many small customers")
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xlabel("unit cost (share of list revenue): margin falls to the right")
        ax.set_ylabel("relationship firm's cumulative profit advantage (%)")
        ax.set_title("When relationships pay (Kotler): budgets 8% of revenue")
        ax.legend(fontsize=8)
    plot(ctx, "kotler", draw)
    return out


CHECKS = {
    "bass": check_bass,
    "cascade": check_cascade,
    "pareto": check_pareto,
    "girard": check_girard,
    "clv": check_clv,
    "cost_ratio": check_cost_ratio,
    "jones_sasser": check_jones_sasser,
    "inertia": check_inertia,
    "recovery": check_recovery,
    "strategy": check_strategy,
    "valence": check_valence,
    "kotler": check_kotler,
}


def status_of(r):
    return ("PASS" if r.passed else "DIFFERS" if r.differs else "CONTRADICTS" if r.contradicts
            else "OPEN" if r.open_issue else "FAIL")


def write_table(results, path, quick):
    with open(path, "w") as out:
        out.write("<!-- generated by analysis/validate.py; do not edit -->\n")
        out.write(f"# Validation results ({'quick' if quick else 'full'} size)\n\n")
        out.write("| check | kind | result | expected | measured | tolerance | size |\n|---|---|---|---|---|---|---|\n")
        for r in results:
            status = status_of(r).lower() if r.passed or r.open_issue else "**FAIL**"
            cells = [r.name, r.kind or "-", status, r.expected, r.measured, r.tolerance, r.why]
            out.write("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--relsim", default=os.path.join(ROOT, "build", "relsim"), help="path to the relsim binary")
    ap.add_argument("--quick", action="store_true", help="CI sizes (small markets, few replications), no figures")
    ap.add_argument("--only", nargs="*", choices=sorted(CHECKS), help="run only these checks")
    ap.add_argument("--work", help="directory for the run files (default: a temporary directory)")
    ap.add_argument("--jobs", type=int, help="replications relsim runs at once (relsim --jobs; default: one per core)")
    args = ap.parse_args()
    if not os.access(args.relsim, os.X_OK):
        sys.exit(f"validate.py: {args.relsim} is not an executable relsim binary (build it, or pass --relsim)")
    work = args.work or tempfile.mkdtemp(prefix="relsim-validate-")
    os.makedirs(work, exist_ok=True)
    figures = None
    if not args.quick:
        figures = os.path.join(ROOT, "docs", "figures")
        os.makedirs(figures, exist_ok=True)
    ctx = Context(args.relsim, args.quick, work, figures, args.jobs)
    results = []
    for name in args.only or list(CHECKS):
        try:
            got = CHECKS[name](ctx)
        except Exception as e:  # a failed run is a failed check, with its reason
            got = [Result(name, False, "-", f"error: {e}", "-", "-")]
        for r in got:
            status = status_of(r)
            print(f"{status}  {r.name}{' [' + r.kind + ']' if r.kind else ''}\n      expected {r.expected}\n"
                  f"      measured {r.measured}\n      tolerance {r.tolerance} ({r.why})", flush=True)
        results += got
    if not args.quick and not args.only:
        write_table(results, os.path.join(ROOT, "docs", "validation-results.md"), args.quick)
    passed = sum(r.passed for r in results)
    failed = sum(not r.passed and not r.open_issue for r in results)
    still_open = sum(not r.passed and r.open_issue and not r.differs and not r.contradicts for r in results)
    differs = sum(not r.passed and r.differs for r in results)
    contradicts = sum(not r.passed and r.contradicts for r in results)
    if still_open:
        print(f"{still_open} reference results not reproduced yet (OPEN, see docs/validation.md)")
    if differs:
        print(f"{differs} claims the model contradicts by design (DIFFERS, see docs/validation.md)")
    if contradicts:
        print(f"{contradicts} claims the model's dynamics contradict at the defaults (CONTRADICTS, see docs/validation.md)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
