#!/usr/bin/env python3
"""Check that every relsim #include points down the layer order.

Each source file belongs to a module (its base name, with the aliases
below); each module sits on a layer. A file may include headers of its own
module and of modules on lower layers only: never sideways, never up.
Usage: include_order.py SOURCE_ROOT. Exit 1 and one line per offence.
"""
import os
import re
import sys

# Layer of each module, bottom (0) to top. Keep docs/architecture.md in step.
LAYERS = {
    # 0: helpers every layer may use
    "util": 0, "status": 0, "field": 0, "json": 0,
    # 1: parameters, random streams, growable text, statistics of replications
    "params": 1, "rng": 1, "textbuf": 1, "stats": 1,
    # 2: the model's vocabulary: equations, metric tables, network, state, tallies, stories;
    #    sampling designs and sensitivity indices
    "model": 2, "metrics": 2, "network": 2, "world": 2, "tally": 2, "story": 2, "design": 2,
    # 3: the rules of a relation; a firm's decision rules
    "relation": 3, "policy": 3,
    # 4: the phases of a period (events: the scheduled changes at a period's start)
    "events": 4, "firm": 4, "market": 4, "experience": 4, "wom": 4, "turnover": 4, "accounting": 4,
    # 5: the simulation, the scenario loader and the output file (side by side)
    "sim": 5, "scenario": 5, "output": 5,
    # 6: checkpoints of a simulation; experiment files and their designs (side by side)
    "checkpoint": 6, "experiment": 6,
    # 7: one run; the results of an experiment's runs on the disk (side by side)
    "run": 7, "ensemble": 7,
    # 8: the task farm: an experiment's runs over workers and MPI ranks
    "farm": 8,
    # 9: the command line
    "main": 9,
}

# Files whose module is not their base name.
ALIASES = {
    "params_keys": "scenario",      # the key table belongs to the scenario loader
    "metrics_fields": "metrics",
    "cli_progress": "main",         # the command line's progress reporters
    "cli_common": "main", "cli_experiment": "main",
    "h5io": "output",               # the output module's checked HDF5 wrappers
    "run_memory": "run",            # the run's memory estimate and check
    # the parts of the scenario loader (they include one another)
    "yaml_tree": "scenario", "problems": "scenario", "fullwidth": "scenario", "suggest": "scenario",
    "keys": "scenario", "values": "scenario", "overrides": "scenario",
}

GENERATED = {"relsim_git.h"}


def module_of(name):
    base = os.path.splitext(os.path.basename(name))[0]
    if base in ALIASES:
        return ALIASES[base]
    if base in LAYERS:
        return base
    for family in ("scenario", "output", "network", "experiment", "ensemble", "farm"):
        if base.startswith(family + "_"):
            return family
    return None


def main():
    root = sys.argv[1]
    files = []
    for sub in ("src", os.path.join("include", "relsim")):
        d = os.path.join(root, sub)
        files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith((".c", ".h"))]
    bad = 0
    for path in files:
        rel = os.path.relpath(path, root)
        mod = module_of(path)
        if mod is None:
            print(f"{rel}: module '{os.path.basename(path)}' has no layer: add it to LAYERS in tests/include_order.py")
            bad += 1
            continue
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m or m.group(1) in GENERATED:
                    continue
                target = module_of(m.group(1))
                if target is None:
                    print(f"{rel}:{lineno}: includes '{m.group(1)}', which has no layer")
                    bad += 1
                elif target == mod:
                    continue
                elif LAYERS[target] >= LAYERS[mod]:
                    how = "sideways" if LAYERS[target] == LAYERS[mod] else "up"
                    print(f"{rel}:{lineno}: {mod} (layer {LAYERS[mod]}) includes {target} (layer {LAYERS[target]}): points {how}")
                    bad += 1
    print(f"{len(files)} files checked, {bad} offences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
