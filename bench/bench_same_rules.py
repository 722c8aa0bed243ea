"""Yuanluo against k-means-constrained on the problem the peers actually solve.

The peers ignore villager groups and natural settlements, so in ``bench_compare.py`` Yuanluo, which nests units in
groups and keeps settlements whole, solves a harder problem. Here Yuanluo also runs without nesting and without
keeping settlements (``nest_by=()``, ``keep_settlements=False``); the band and contiguity stay hard. Mean walking
minutes to the unit medoid are measured by the same independent ``bench/metrics.py`` on the same graphs
(``bench_compare.synthetic``: DEM walking times, rivers, bridges). Writes bench/results/same_rules.{json,md}.

    /work/venv/bin/python bench/bench_same_rules.py [--sizes 300 1000] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import bench_compare  # noqa: E402
import metrics  # noqa: E402
import peers  # noqa: E402

from yuanluo.gis.cluster import UnitDelineator  # noqa: E402
from yuanluo.gis.rules import Rules  # noqa: E402

OUT = Path(__file__).parent / "results"
PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
VARIANTS: dict[str, dict[str, Any]] = {
    "yuanluo (nested, settlements whole)": {},
    "yuanluo (same rules as peers)": {"nest_by": (), "keep_settlements": False},
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[300, 1000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    a = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for n in a.sizes:
        for name, rules in PRESETS.items():
            walks: dict[str, list[float]] = {k: [] for k in [*VARIANTS, "k-means-constrained"]}
            broken: dict[str, list[int]] = {k: [] for k in walks}
            for seed in a.seeds:
                hh, g, _ = bench_compare.synthetic(n, seed)
                for label, kw in VARIANTS.items():
                    d = UnitDelineator.from_rules(rules, random_state=seed, **kw).fit(hh, g)
                    m = metrics.evaluate(d.labels_, g, rules)
                    walks[label].append(m["mean_walk_min"])
                    broken[label].append(m["n_broken"])
                m = metrics.evaluate(peers.run_kmeans_constrained(hh, g, rules, seed), g, rules)
                walks["k-means-constrained"].append(m["mean_walk_min"])
                broken["k-means-constrained"].append(m["n_broken"])
            for tool in walks:
                rows.append({"n": n, "preset": name, "tool": tool, "seeds": len(a.seeds),
                             "mean_walk_min": round(float(np.mean(walks[tool])), 3),
                             "broken_units": round(float(np.mean(broken[tool])), 2)})
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "same_rules.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = ["# Same rules as the peers (no nesting, settlements not kept whole); mean over seeds", "",
             f"Load average at the end: {os.getloadavg()}", "",
             "| N | preset | tool | mean walk min | broken units |", "|---|---|---|---|---|"]
    lines += [f"| {r['n']} | {r['preset']} | {r['tool']} | {r['mean_walk_min']} | {r['broken_units']} |" for r in rows]
    (OUT / "same_rules.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
