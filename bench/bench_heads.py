"""Candidate heads in every unit (issue 13): the same synthetic villages delineated with ``require_head`` off
and on (both presets), units without a candidate, HEAD-SHORT / HEAD-UNPLACED exceptions, mean walk, time.

    python bench/bench_heads.py bench/results/heads 1000 3000 10000 100000   # writes heads.md and heads.json
    python bench/bench_heads.py /tmp/h 1000 --merge bench/results/heads.json # add rows to earlier runs
    python bench/bench_heads.py /tmp/m 3000 --seeds 6                        # villages of seeds 0-5

With ``--seeds K`` each size is run on the villages of seeds 0 … K-1 (the delineator's ``random_state`` is the
seed too), and the table ends with the totals per preset: mean Δ walk, units still without a head, Δ time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}


def run(n: int, seed: int = 0) -> list[dict[str, Any]]:
    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    cand = float(v.households["head_candidate"].mean())
    rows = []
    for name, rules in PRESETS.items():
        for heads in (False, True):
            t = time.perf_counter()
            d = UnitDelineator.from_rules(rules, random_state=seed, require_head=heads).fit(v.households, g)
            sec = time.perf_counter() - t
            u = d.units_
            short = u[u["code"] == "HEAD-SHORT"]
            params = [json.loads(p) for p in short["reason_params"]]
            shortfall = sum(p.get("shortfall", 0) for p in params)  # proven ones carry no count
            row = {"n": n, "seed": seed, "rules": name, "require_head": heads, "candidates_share": round(cand, 4),
                   "units": int(len(u)), "ok_units": int((u["status"] == "ok").sum()),
                   "no_head": int((~u["has_head"]).sum()),
                   "ok_no_head": int(((u["status"] == "ok") & ~u["has_head"]).sum()),
                   "head_short": int(len(short)), "head_short_shortfall": int(shortfall),
                   "head_short_proven": int(sum(bool(p.get("proven")) for p in params)),
                   "head_unplaced": int((u["code"] == "HEAD-UNPLACED").sum()),
                   "mean_walk_min": round(d.objective_ / n, 4), "seconds": round(sec, 2)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: one line per village and preset, heads off → on."""
    key = {(r["n"], r["seed"], r["rules"], r["require_head"]): r for r in rows}
    out = ["| N | rules | cand. | units off → on | ok units without a head off → on | all units without a head "
           "off → on | HEAD-SHORT (shortfall; proven) | HEAD-UNPLACED | mean walk min off → on | Δ walk | s off → on | Δ time |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    seeds = len({r["seed"] for r in rows}) > 1
    tot: dict[str, list[float]] = {}
    for (n, seed, rules, heads), on in sorted(key.items()):
        if not heads or (n, seed, rules, False) not in key:
            continue
        off = key[(n, seed, rules, False)]
        dw = 100 * (on["mean_walk_min"] / off["mean_walk_min"] - 1)
        dt = 100 * (on["seconds"] / off["seconds"] - 1)
        t = tot.setdefault(rules, [0, 0.0, 0, 0, 0.0, 0.0])
        t[0] += 1
        t[1] += dw
        t[2] += on["head_unplaced"]
        t[3] += on["head_short"]
        t[4] += off["seconds"]
        t[5] += on["seconds"]
        out.append(f"| {n:,}{f' (seed {seed})' if seeds else ''} | {rules} | {100 * on['candidates_share']:.1f} % | {off['units']} → {on['units']} | "
                   f"{off['ok_no_head']} → {on['ok_no_head']} | {off['no_head']} → {on['no_head']} | "
                   f"{on['head_short']} ({on['head_short_shortfall']}; {on.get('head_short_proven', 0)}) | "
                   f"{on['head_unplaced']} | "
                   f"{off['mean_walk_min']:.3f} → {on['mean_walk_min']:.3f} | {dw:+.1f} % | "
                   f"{off['seconds']:.1f} → {on['seconds']:.1f} | {dt:+.0f} % |")
    if seeds:
        out += ["", "| rules | runs | mean Δ walk | HEAD-SHORT | HEAD-UNPLACED | s off → on (all runs) | Δ time |",
                "|---|---|---|---|---|---|---|"]
        for rules, (k, dw, unp, short, s0, s1) in sorted(tot.items()):
            out.append(f"| {rules} | {k} | {dw / k:+.2f} % | {short} | {unp} | {s0:.1f} → {s1:.1f} | "
                       f"{100 * (s1 / s0 - 1):+.0f} % |")
    return "\n".join(out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path, help="where to write BASE.md and BASE.json")
    ap.add_argument("sizes", type=int, nargs="*",
                    help="households per village; none: only redraw the table of the merged rows")
    ap.add_argument("--merge", type=Path, help="a heads.json of earlier runs to add the new rows to")
    ap.add_argument("--seeds", type=int, default=1, help="run the villages of seeds 0 … K-1 (default 1)")
    opt = ap.parse_args()
    rows = json.loads(opt.merge.read_text(encoding="utf-8")) if opt.merge else []
    for n in opt.sizes:
        rows = [r for r in rows if r["n"] != n]
        for seed in range(opt.seeds):
            rows += run(n, seed)
    opt.base.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    opt.base.with_suffix(".md").write_text(table(rows) + "\n", encoding="utf-8")
    print(table(rows))
