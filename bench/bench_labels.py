"""Fingerprints of the delineation labels on the benchmark villages (N = 300 … 100,000, both presets).

A refactor of the delineator must leave the labels unchanged: run this before and after and compare the
``labels_sha256`` columns (``bench/results/labels_before.json`` holds the run before the round-2 pipeline).

    python bench/bench_labels.py bench/results/labels_after.json            # all sizes
    python bench/bench_labels.py /tmp/x.json 300 1000                        # some sizes
    python bench/bench_labels.py --compare bench/results/labels_before.json bench/results/labels_after.json
    python bench/bench_labels.py --heads off /tmp/x.json 300 1000 3000     # require_head=False (default: on)
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
SIZES = [300, 1000, 3000, 10000, 100000]


def _sha(lines: Any) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def fingerprints(sizes: list[int], require_head: bool = True) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for seed in [0, 1, 2] if n < 100_000 else [0]:
            v = make_village(n, seed=seed)
            g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
            for name, rules in PRESETS.items():
                t = time.perf_counter()
                d = UnitDelineator.from_rules(rules, random_state=seed, require_head=require_head).fit(v.households, g)
                sec = time.perf_counter() - t
                lab = d.labels_.astype(str)
                row = {"n": n, "seed": seed, "rules": name, "seconds": round(sec, 3),
                       "labels_sha256": _sha(f"{i},{u}" for i, u in zip(lab.index, lab.values, strict=True)),
                       "status_sha256": _sha(d.status_.astype(str)), "units": int(len(d.units_))}
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def compare(before: Path, after: Path) -> int:
    """Print a before/after table; return the number of runs whose labels differ."""
    a = {(r["n"], r["seed"], r["rules"]): r for r in json.loads(before.read_text(encoding="utf-8"))}
    b = {(r["n"], r["seed"], r["rules"]): r for r in json.loads(after.read_text(encoding="utf-8"))}
    print("| N | seed | rules | units | labels | s before | s after |\n|---|---|---|---|---|---|---|")
    diff = 0
    for key in sorted(set(a) & set(b)):
        same = a[key]["labels_sha256"] == b[key]["labels_sha256"] and a[key]["status_sha256"] == b[key]["status_sha256"]
        diff += not same
        print(f"| {key[0]} | {key[1]} | {key[2]} | {b[key]['units']} | {'identical' if same else 'DIFFERENT'} | "
              f"{a[key]['seconds']:.2f} | {b[key]['seconds']:.2f} |")
    return diff


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    args = sys.argv[1:]
    heads = True
    if args[0] == "--heads":
        heads = {"on": True, "off": False}[args[1]]
        args = args[2:]
    out = Path(args[0])
    rows = fingerprints([int(s) for s in args[1:]] or SIZES, require_head=heads)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
