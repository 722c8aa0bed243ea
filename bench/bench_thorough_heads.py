"""``--thorough-heads`` against the default (issue 13): the same Changshou-like villages delineated with the
delineator's ``head_exact_max_n`` at 100 (default) and 400 (the command line's ``--thorough-heads``); units left
HEAD-UNPLACED, HEAD-SHORT, walking minutes and seconds per village, and the totals.

    python bench/bench_thorough_heads.py 3000 --seeds 4    # villages of seeds 0-3 (bench/results/heads.md)
"""

from __future__ import annotations

import json
import sys
import time

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

LIMITS = (100, 400)


def main(argv: list[str]) -> None:
    n = int(argv[0])
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 1
    total = {lim: {"head_unplaced": 0, "head_short": 0, "walk_min": 0.0, "seconds": 0.0} for lim in LIMITS}
    for seed in range(seeds):
        v = make_village(n, seed=seed)
        g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
        for lim in LIMITS:
            t = time.perf_counter()
            d = UnitDelineator.from_rules(Rules(15, 25, name="changshou"), random_state=seed,
                                          head_exact_max_n=lim).fit(v.households, g)
            sec = time.perf_counter() - t
            u = d.units_
            row = {"n": n, "seed": seed, "head_exact_max_n": lim,
                   "head_unplaced": int((u["code"] == "HEAD-UNPLACED").sum()),
                   "head_short": int((u["code"] == "HEAD-SHORT").sum()),
                   "walk_min": round(float(d.objective_), 1), "seconds": round(sec, 1)}
            for k in ("head_unplaced", "head_short", "walk_min", "seconds"):
                total[lim][k] += row[k]
            print(json.dumps(row), flush=True)
    print(json.dumps({"total": total}))


if __name__ == "__main__":
    main(sys.argv[1:])
