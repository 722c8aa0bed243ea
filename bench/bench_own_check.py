"""Does a delineation pass ``check`` with the same rules? (issue 13) Synthetic villages, both presets with their
candidate heads, nesting and settlements, with and without a walking limit: the delineation, then
``check_plan`` on the same graph with the delineation's meeting points, once without and once with the exceptions
it declared (``gis.check.Declared``). Counts errors left, the warnings the check derives itself (SIZE-, HEAD-,
WALK-EXCEPTION) and the declared ones.

    python bench/bench_own_check.py bench/results/own_check 1000 3000 --seeds 3   # writes own_check.{md,json}
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from yuanluo.gis.check import Declared, check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
WALKS = (None, 4.0)
DERIVED = ("SIZE-EXCEPTION", "HEAD-EXCEPTION", "WALK-EXCEPTION")


def run(n: int, seed: int) -> list[dict[str, Any]]:
    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    rows = []
    for name, base in PRESETS.items():
        for walk in WALKS:
            rules = Rules(base.min_size, base.max_size, name=name, max_walk_min=walk)
            d = UnitDelineator.from_rules(rules, random_state=seed).fit(v.households, g)
            u = d.units_
            meet = u.set_index("unit_id")["meeting_hid"]
            split_ids = {h for p in d.problems_ if p.code == "SETTLEMENT-SPLIT" for h in p.ids}
            split = v.households.index.to_series().astype(str).isin(split_ids)
            plain = check_plan(v.households, d.labels_, rules, graph=g, meeting_points=meet)
            dec = check_plan(v.households, d.labels_, rules, graph=g, meeting_points=meet,
                             declared=Declared.of(u, d.labels_, split=split))
            before = Counter(plain.violations.loc[plain.violations["severity"] == "error", "code"])
            after = Counter(dec.violations["code"])
            row = {"n": n, "seed": seed, "rules": name, "max_walk_min": walk, "units": int(len(u)),
                   "exception_units": int((u["status"] == "exception").sum()),
                   "errors_without_declared": dict(sorted(before.items())),
                   "errors_with_declared": int((dec.violations["severity"] == "error").sum()),
                   "derived": {c: int(after[c]) for c in DERIVED if after[c]},
                   "declared": int(after["DECLARED-EXCEPTION"]), "passed": bool(dec.passed)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    out = ["| N | seed | rules | walk limit | units (exceptions) | errors without declarations | errors with | "
           "derived warnings | DECLARED-EXCEPTION | passes |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        before = ", ".join(f"{c} {k}" for c, k in r["errors_without_declared"].items()) or "0"
        derived = ", ".join(f"{c} {k}" for c, k in r["derived"].items()) or "0"
        out.append(f"| {r['n']} | {r['seed']} | {r['rules']} | {r['max_walk_min'] or '-'} | {r['units']} "
                   f"({r['exception_units']}) | {before} | {r['errors_with_declared']} | {derived} | "
                   f"{r['declared']} | {'yes' if r['passed'] else 'no'} |")
    ok = sum(r["passed"] for r in rows)
    out.append(f"\n{ok} of {len(rows)} delineations pass `check` with the same rules and their declarations; "
               f"{sum(not r['errors_without_declared'] for r in rows)} of {len(rows)} without them.")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    out, args = Path(argv[0]), argv[1:]
    seeds = 1
    if "--seeds" in args:
        i = args.index("--seeds")
        seeds = int(args[i + 1])
        args = args[:i] + args[i + 2:]
    rows = [r for n in map(int, args) for s in range(seeds) for r in run(n, s)]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    out.with_suffix(".md").write_text("# A delineation checked with its own rules (issue 13)\n\n"
                                      "`python bench/bench_own_check.py " + " ".join(argv) + "`\n\n" + table(rows),
                                      encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
