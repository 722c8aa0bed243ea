"""Repair of a planner's slips (issue 13): households typed into some other unit of a result's plan table.

For a Yuanluo result, each seed moves ``k`` households chosen at random to units chosen at random (anywhere in
the result, as a mistyped unit id would), then repairs the plan as ``yuanluo repair result.gpkg --plan bad.csv``
does (the result's own rivers, water and roads, the DEM given, the exceptions it declared; a plan table brings
no meeting points),
and checks the repaired plan. Records whether it passes, the moves against the households planted (the
planted moves undone are always a repair; fewer is possible), the method and the seconds.

    python bench/bench_repair.py OUT RESULT.gpkg DEM.tif PRESET K SEEDS [--label L] [--merge OUT.json]

writes ``OUT.json`` (rows) and ``OUT.md`` (one line per result, k and label).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.planners import workflows as W
from yuanluo.planners.presets import resolve_rules


def plant(labels: pd.Series, k: int, seed: int) -> pd.Series:
    """``k`` households (at random) put into units at random; the plan as a planner's table would hold it."""
    rng = np.random.default_rng(seed)
    bad = labels.astype(object).copy()
    units = np.sort(labels.dropna().astype(str).unique())
    rows = rng.choice(len(bad), k, replace=False)
    bad.iloc[rows] = rng.choice(units, k)
    return bad


def run(result: str, dem: str, preset: str, k: int, seeds: list[int], label: str) -> list[dict[str, Any]]:
    inputs = W.load_inputs(result, dem=dem, max_edge_walk=10.0)
    g, kind = W.plan_graph(inputs, max_walk_min=10.0)
    rules = resolve_rules(preset_name=preset)
    declared = W.result_declared(inputs)
    own = inputs.households["unit_id"]
    rows = []
    for seed in seeds:
        bad = plant(own, k, seed)
        planted = int((bad.astype(str) != own.astype(str)).sum())
        t = time.perf_counter()
        res = repair_plan(inputs.households, bad, rules, g, graph_kind=kind, meeting_points=None, declared=declared)
        sec = time.perf_counter() - t
        again = check_plan(inputs.households, res.labels, rules, graph=g, graph_kind=kind,
                           meeting_points=res.meeting_points, declared=declared)
        row = {"result": Path(result).name, "preset": preset, "households": int(len(own)), "k": k, "seed": seed,
               "label": label, "planted": planted, "passed": bool(res.passed and again.passed),
               "moves": int(len(res.moves)), "method": res.method, "seconds": round(sec, 2)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    out = ["| result | households | preset | slips | code | plans | repaired | moves = planted | fewer | more (most) "
           "| s per plan |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    keys = sorted({(r["result"], r["households"], r["preset"], r["k"], r["label"]) for r in rows})
    for res, n, preset, k, label in keys:
        rs = [r for r in rows if (r["result"], r["k"], r["label"]) == (res, k, label)]
        ok = [r for r in rs if r["passed"]]
        d = [r["moves"] - r["planted"] for r in ok]
        more = [x for x in d if x > 0]
        out.append(f"| {res} | {n:,} | {preset} | {k} | {label} | {len(rs)} | {len(ok)} | {sum(x == 0 for x in d)} "
                   f"| {sum(x < 0 for x in d)} | {len(more)} ({max(more) if more else 0}) "
                   f"| {np.mean([r['seconds'] for r in rs]):.1f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    args = list(argv)
    label, merge = "now", None
    if "--label" in args:
        i = args.index("--label")
        label = args[i + 1]
        del args[i:i + 2]
    if "--merge" in args:
        i = args.index("--merge")
        merge = Path(args[i + 1])
        del args[i:i + 2]
    out, result, dem, preset, k, seeds = args[0], args[1], args[2], args[3], int(args[4]), int(args[5])
    rows = json.loads(merge.read_text(encoding="utf-8")) if merge else []
    rows += run(result, dem, preset, k, list(range(1, seeds + 1)), label)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out + ".json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    Path(out + ".md").write_text(table(rows), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
