"""Repair of a planner's slips (issue 13): households typed into some other unit of a result's plan table.

For a Yuanluo result, each seed moves ``k`` households chosen at random to units chosen at random (anywhere in
the result, as a mistyped unit id would), then repairs the plan as ``yuanluo repair result.gpkg --plan bad.csv``
does (the result's own rivers, water and roads, the DEM given, the exceptions it declared; a plan table brings
no meeting points),
and checks the repaired plan. Records whether it passes, the moves against the households planted (the
planted moves undone are always a repair; fewer is possible), the method and the seconds.

With ``--islands`` every slip touches an island (a piece of its group the check excuses as one unit, smaller than
the floor: :func:`yuanluo.gis.repair_exact.island_blocks`), one of three kinds at random: an island's household
typed into a unit at random, a household typed into an island's unit, an island's household left in no unit.
A result declares its islands exceptions, and the repair first puts a declared exception back as declared (the
slips into and out of it undone); with ``--undeclared`` the islands' units are not declared (the other exceptions
are), as in a plan table beside the households file (``yuanluo repair households.csv --plan plan.csv``), whose
islands the check excuses as it finds them.

    python bench/bench_repair.py OUT RESULT.gpkg DEM.tif PRESET K SEEDS [--label L] [--merge OUT.json] [--islands]
                                 [--undeclared]

PRESET is a preset's name or a rule file (``.toml``).

Streets with islands against brute force (``--streets``): random plans of 2–3 units of 4–6 households 60 m apart
along a street and 2–3 islands of 1–3 households far off (band 4–6), 1 to SLIPS households typed into another unit
or into none (15 %), each repaired and compared with the fewest moves of any plan (the street cut into runs within
the band, each island one unit, names matched: :mod:`yuanluo.gis.synth_streets`, whose plans and brute force
tests/test_s37_e_island_mix.py tests with too):

    python bench/bench_repair.py --streets SEED COUNT SLIPS [WALK|-] [MAX_MOVES]

writes ``OUT.json`` (rows) and ``OUT.md`` (one line per result, k and label).

The slow inputs of sessions 28–54 (test_s28_editor's exported plan, Andorra's plans edited in the editor under
banan and changshou, s102), each rebuilt from the repository and repaired once (:mod:`slow_cases`):

    python bench/bench_repair.py --slow WORK [s28 banan changshou s102] [--out OUT]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import _State, repair_plan
from yuanluo.gis.repair_exact import island_blocks
from yuanluo.gis.synth_streets import fewest_moves, street_households, street_plan, street_plans
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


def plant_islands(labels: pd.Series, block: np.ndarray, k: int, seed: int) -> pd.Series:
    """``k`` slips touching the islands (``block``: each household's island, or -1), each one of three at random:
    an island's household typed into a unit at random, a household typed into an island's unit, an island's
    household in no unit (a blank cell); ``k`` different households."""
    rng = np.random.default_rng(seed)
    bad = labels.astype(object).copy()
    units = np.sort(labels.dropna().astype(str).unique())
    isl = np.flatnonzero(block >= 0)
    isl_units = np.sort(labels.iloc[isl].astype(str).unique())
    used: set[int] = set()
    while len(used) < k:
        kind = int(rng.integers(3))
        h = int(rng.choice(len(bad) if kind == 1 else isl))
        if h in used:
            continue
        used.add(h)
        bad.iloc[h] = rng.choice(units) if kind == 0 else rng.choice(isl_units) if kind == 1 else None
    return bad


def run(result: str, dem: str, preset: str, k: int, seeds: list[int], label: str,
        islands: bool = False, undeclared: bool = False) -> list[dict[str, Any]]:
    inputs = W.load_inputs(result, dem=dem, max_edge_walk=10.0)
    g, kind = W.plan_graph(inputs, max_walk_min=10.0)
    rules = resolve_rules(rules_file=preset) if preset.endswith(".toml") else resolve_rules(preset_name=preset)
    preset = Path(preset).stem
    declared = W.result_declared(inputs)
    own = inputs.households["unit_id"]
    block = island_blocks(_State(inputs.households, own, rules, g, declared)) if islands or undeclared else None
    if undeclared and declared is not None and block is not None:
        isle_units = set(own.iloc[np.flatnonzero(block >= 0)].astype(str))
        declared = replace(declared, members=declared.members[~declared.members.astype(str).isin(isle_units)])
    rows = []
    for seed in seeds:
        bad = plant_islands(own, block, k, seed) if islands and block is not None else plant(own, k, seed)
        planted = int((bad.astype(str) != own.astype(str)).sum())
        t = time.perf_counter()
        res = repair_plan(inputs.households, bad, rules, g, graph_kind=kind, meeting_points=None, declared=declared)
        sec = time.perf_counter() - t
        again = check_plan(inputs.households, res.labels, rules, graph=g, graph_kind=kind,
                           meeting_points=res.meeting_points, declared=declared)
        tags = [t for t, on in (("islands", islands), ("undeclared", undeclared)) if on]
        row = {"result": Path(result).name + (f" ({', '.join(tags)})" if tags else ""), "preset": preset,
               "households": int(len(own)), "k": k, "seed": seed,
               "label": label, "planted": planted, "passed": bool(res.passed and again.passed),
               "moves": int(len(res.moves)), "method": res.method, "seconds": round(sec, 2), **said(res)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def said(res: Any) -> dict[str, Any]:
    """What else a repair tells: the errors it left, why each was left (the catalogue keys of ``repair.why.*``), the
    exact step's status, and a digest of the plan it wrote (the same plan on another run or commit, or not)."""
    import hashlib

    errors = int((res.check.violations["severity"] == "error").sum()) if res.check is not None else -1
    whys = [p["why"][0] for k, p in res.reasons if k == "repair.reason.violation" and "why" in p]
    plan = hashlib.sha256(res.labels.to_csv().encode()).hexdigest()[:12]
    return {"errors_left": errors, "whys": whys, "exact_status": res.exact_status, "plan": plan}


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


def streets(seed: int, count: int, most: int, walk: float | None, max_moves: int | None) -> None:
    """The street plans repaired and against the brute force, a line each and the totals (printed)."""
    from yuanluo import build_graph
    from yuanluo.gis.rules import Rules

    more = short = 0
    took = 0.0
    plans = street_plans(seed, count, most)
    for sizes, isles, slips in plans:
        lab = street_plan(sizes, isles, slips)
        hh = street_households(sum(sizes), isles)
        rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
        g = build_graph(hh, max_walk_min=1.0)
        t = time.perf_counter()
        res = repair_plan(hh, pd.Series(lab, index=hh.index, dtype=object), rules, g, max_moves=max_moves)
        took += time.perf_counter() - t
        ok = res.passed and check_plan(hh, res.labels, rules, graph=g).passed
        fewest = fewest_moves(lab, sum(sizes), isles)
        short += not ok
        more += ok and len(res.moves) > fewest
        print(json.dumps({"sizes": sizes, "isles": isles, "slips": slips, "fewest": fewest, "moves": len(res.moves),
                          "passed": ok, "method": res.method, **said(res)}), flush=True)
    print(f"plans {len(plans)}, repaired {len(plans) - short}, at the fewest {len(plans) - short - more}, "
          f"more {more}, seconds {took:.1f}")


def main(argv: list[str]) -> None:
    args = list(argv)
    if args and args[0] == "--slow":
        from slow_cases import main as slow

        slow(args[1:])
        return
    if args and args[0] == "--streets":
        walk = float(args[4]) if len(args) > 4 and args[4] != "-" else None
        streets(int(args[1]), int(args[2]), int(args[3]), walk, int(args[5]) if len(args) > 5 else None)
        return
    label, merge = "now", None
    islands, undeclared = "--islands" in args, "--undeclared" in args
    args = [a for a in args if a not in ("--islands", "--undeclared")]
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
    rows += run(result, dem, preset, k, list(range(1, seeds + 1)), label, islands, undeclared)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out + ".json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    Path(out + ".md").write_text(table(rows), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
