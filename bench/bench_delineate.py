"""Benchmark of Yuanluo's own delineation engine (yuanluo.gis.cluster.UnitDelineator).

Synthetic villages (yuanluo.gis.synth.make_village) with their terrain graph (yuanluo.gis.neighbours.build_graph,
flat walking, rivers and roads), N households × seeds × presets. Prints a table and writes
bench/results/delineate.json and bench/results/delineate.md.

    /work/venv/bin/python bench/bench_delineate.py                 # N = 300 .. 100k (100k: seed 0)
    /work/venv/bin/python bench/bench_delineate.py --sizes 300 1000 --seeds 0 1 2

``run_yuanluo(households, graph, rules, seed)`` is the entry point peer benchmarks call.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
OUT = Path(__file__).parent / "results"


def run_yuanluo(households: Any, graph: TerrainGraph, rules: Rules, seed: int = 0, **kw: Any) -> dict[str, Any]:
    """Delineate with UnitDelineator.from_rules and return metrics (time, in-bounds share, walking) and the
    ``labels`` (Series of unit ids on ``hid``; dropped before the results are written)."""
    t = time.perf_counter()
    d = UnitDelineator.from_rules(rules, random_state=seed, **kw).fit(households, graph)
    elapsed = time.perf_counter() - t
    u = d.units_
    ok = u["status"] == "ok"
    n = len(households)
    return {
        "tool": "yuanluo",
        "n": n,
        "rules": rules.name,
        "min": rules.min_size,
        "max": rules.max_size,
        "seed": seed,
        "seconds": round(elapsed, 3),
        "units": len(u),
        "pct_in_bounds": round(100.0 * float(u.loc[ok, "n_households"].sum()) / n, 3),
        "exceptions": int((~ok).sum()),
        "households_in_exceptions": int(u.loc[~ok, "n_households"].sum()),
        # exceptions the rules did not force (the component could have been split within the band)
        "households_in_avoidable_exceptions": int(u.loc[~ok & (u["code"] != "RULE-INFEASIBLE"), "n_households"].sum()),
        "mean_walk_min": round(d.objective_ / n, 4),
        "max_walk_min": round(float(u["max_walk_min"].max()), 3),
        "size_mean": round(float(u.loc[ok, "n_households"].mean()), 2) if ok.any() else None,
        "size_min": int(u.loc[ok, "n_households"].min()) if ok.any() else None,
        "size_max": int(u.loc[ok, "n_households"].max()) if ok.any() else None,
        "units_without_head": int((~u["has_head"]).sum()),
        "lower_bound": d.lower_bound_,
        "gap": None if d.gap_ is None else round(d.gap_, 4),
        "bounded_components": int(len(d.bounds_)),
        "bounded_gap_mean": round(float(d.bounds_["gap"].mean()), 4) if len(d.bounds_) else None,
        "timings": {k: round(v, 3) for k, v in d.timings_.items()},
        "recombine_moves": int(getattr(d, "recombine_moves_", 0)),
        "labels": d.labels_,
    }


def _markdown(rows: list[dict[str, Any]]) -> str:
    head = ("| N | rules | seed | s | units | % in band | exceptions (hh) | avoidable exc. hh | mean walk min |"
            " sizes min/mean/max | no head | gap (bounded comps) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        gap = "" if r["bounded_gap_mean"] is None else f"{100 * r['bounded_gap_mean']:.1f}% ({r['bounded_components']})"
        lines.append(
            f"| {r['n']} | {r['rules']} {r['min']}–{r['max']} | {r['seed']} | {r['seconds']:.2f} | {r['units']} | "
            f"{r['pct_in_bounds']:.2f} | {r['exceptions']} ({r['households_in_exceptions']}) | "
            f"{r['households_in_avoidable_exceptions']} | {r['mean_walk_min']:.3f} | "
            f"{r['size_min']}/{r['size_mean']}/{r['size_max']} | {r['units_without_head']} | {gap} |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[300, 1000, 3000, 10000, 100000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    ap.add_argument("--big-seeds", type=int, default=1, help="seeds used for N >= 100000")
    ap.add_argument("--exact-n", type=int, default=300, help="N at or below which exact=True is also run")
    ap.add_argument("--out", default=str(OUT / "delineate"))
    a = ap.parse_args()
    rows: list[dict[str, Any]] = []
    for n in a.sizes:
        seeds = a.seeds if n < 100_000 else a.seeds[: a.big_seeds]
        for seed in seeds:
            v = make_village(n, seed=seed)
            t = time.perf_counter()
            g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
            gsec = time.perf_counter() - t
            for rules in PRESETS.values():
                r = run_yuanluo(v.households, g, rules, seed)
                r.pop("labels")
                r["graph_seconds"] = round(gsec, 3)
                r["mode"] = "auto"
                rows.append(r)
                print(json.dumps({k: r[k] for k in ("n", "rules", "seed", "seconds", "units", "pct_in_bounds",
                                                    "exceptions", "mean_walk_min", "gap", "bounded_gap_mean")}),
                      flush=True)
                if n <= a.exact_n:
                    r2 = run_yuanluo(v.households, g, rules, seed, exact=True, exact_max_n=100, exact_time_limit=20)
                    r2.pop("labels")
                    r2["mode"] = "exact"
                    rows.append(r2)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"machine": platform.platform(), "cpus": __import__("os").cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "note": "load from other jobs on the machine inflates times"}
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "runs": rows}, indent=1), encoding="utf-8")
    md = "# Yuanluo delineation benchmark\n\n" + _markdown([r for r in rows if r["mode"] == "auto"])
    ex = [r for r in rows if r["mode"] == "exact"]
    if ex:
        md += "\nWith exact=True (components ≤ 400 households, 20 s each):\n\n" + _markdown(ex)
    out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
