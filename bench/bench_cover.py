"""Service-point siting: Yuanluo (``yuanluo.gis.cover``) and spopt ``PMedian``/``MCLP`` on the same instances.

Instances: synthetic Chongqing-like villages (``make_village``) of N households with their terrain graph (rivers
crossed only at bridges); K candidate sites drawn from the household locations (seeded); walking minutes on the
graph. spopt has no walking graph, so it is given the dense N × K matrix of the same walking minutes (computed by
Yuanluo) and solves with the CBC solver bundled with PuLP; it is skipped where that dense matrix alone would exceed
``--dense-max`` entries. Every run is a fresh process (time of the call, peak resident memory of the process).

    python bench/bench_cover.py                         # N = 1,000 … 100,000 and the district case
    python bench/bench_cover.py --sizes 1000 --no-district

Writes ``bench/results/cover.json`` and ``cover.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).parent / "results"


def _instance(n: int, k: int, seed: int) -> tuple[Any, Any]:
    from yuanluo.gis.cover import service_network
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    cand = np.sort(np.random.default_rng(seed).choice(g.n, min(k, g.n), replace=False))
    return g, service_network(g, site_xy=g.xy[cand], site_ids=g.ids[cand])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_one(tool: str, problem: str, n: int, k: int, p: int, limit: float, seed: int) -> dict[str, Any]:
    """One measurement (called in a fresh process)."""
    from yuanluo.gis.cover import cover_entries, max_cover, p_median

    g, net = _instance(n, k, seed)
    before = _peak_mb()
    t = time.perf_counter()
    if tool == "yuanluo":
        e = cover_entries(net, limit)
        s = p_median(e, p) if problem == "pmedian" else max_cover(e, p)
        out = {"objective": s.objective, "bound": s.bound, "gap": s.gap, "method": s.method,
               "entries": int(len(e.hh))}
    else:
        out = _run_spopt(problem, net, p, limit)
    out.update(tool=tool, problem=problem, n=n, k=net.k, p=p, limit_min=limit, seed=seed,
               seconds=round(time.perf_counter() - t, 3), peak_mb=round(_peak_mb(), 1),
               setup_peak_mb=round(before, 1))
    return out


def _run_spopt(problem: str, net: Any, p: int, limit: float) -> dict[str, Any]:
    import pulp
    from scipy.sparse.csgraph import dijkstra
    from spopt.locate import MCLP, PMedian

    d = dijkstra(net.reverse, directed=True, indices=net.n + np.arange(net.k))[:, : net.n].T  # households × sites
    w = np.ones(net.n)
    if problem == "pmedian":
        cost = np.where(np.isfinite(d) & (d <= limit), d, 2 * limit)  # the same penalty as Yuanluo's
        m = PMedian.from_cost_matrix(cost, w, p_facilities=p).solve(pulp.PULP_CBC_CMD(msg=False))
        chosen = np.flatnonzero([v.value() > 0.5 for v in m.fac_vars])
        obj = float(cost[:, chosen].min(axis=1).sum())
    else:
        cost = np.where(np.isfinite(d), d, 1e9)
        m = MCLP.from_cost_matrix(cost, w, service_radius=limit, p_facilities=p).solve(pulp.PULP_CBC_CMD(msg=False))
        chosen = np.flatnonzero([v.value() > 0.5 for v in m.fac_vars])
        obj = float((cost[:, chosen] <= limit).any(axis=1).sum())
    return {"objective": obj, "bound": None, "gap": None, "method": "CBC"}


def _child(args: list[str], timeout: float) -> dict[str, Any]:
    try:
        r = subprocess.run([sys.executable, __file__, "--one", *args], capture_output=True, text=True,
                           timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:.0f} s"}
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


def _markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| problem | N | K | p | limit min | tool | s | peak MB | objective | bound | gap | method |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r or "skipped" in r:
            lines.append(f"| {r['problem']} | {r['n']} | {r['k']} | {r['p']} | {r['limit_min']} | {r['tool']} | "
                         f"{r.get('error') or r.get('skipped')} | | | | | |")
            continue
        gap = "" if r["gap"] is None else f"{100 * r['gap']:.2f} %"
        bound = "" if r["bound"] is None else f"{r['bound']:.1f}"
        lines.append(f"| {r['problem']} | {r['n']} | {r['k']} | {r['p']} | {r['limit_min']} | {r['tool']} | "
                     f"{r['seconds']:.2f} | {r['peak_mb']:.0f} | {r['objective']:.1f} | {bound} | {gap} | "
                     f"{r['method']} |")
    return "\n".join(lines) + "\n"


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The old rows with those measured again replaced in place (first match), the rest of the new ones after."""
    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["problem"], r["n"], r["k"], r["p"], r["tool"])

    fresh = {key(r): r for r in new}
    out = []
    for r in old:
        out.append(fresh.pop(key(r), r))
    return out + [r for r in new if key(r) in fresh]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10000, 100000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=float, default=10.0, help="walking limit (minutes) for coverage and p-median")
    ap.add_argument("--dense-max", type=float, default=3e6, help="largest N × K dense matrix given to spopt")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--no-district", action="store_true")
    ap.add_argument("--problems", nargs="*", default=["pmedian", "mclp"], help="problems to measure")
    ap.add_argument("--tools", nargs="*", default=["yuanluo", "spopt"], help="tools to measure")
    ap.add_argument("--keep", action="store_true",
                    help="keep the rows of cover.json that this run does not measure again (same problem, N, K, p, "
                         "tool); new rows replace old ones in place")
    ap.add_argument("--one", nargs="*")
    a = ap.parse_args()
    if a.one is not None:
        tool, prob, n, k, p, limit, seed = a.one
        print(json.dumps(run_one(tool, prob, int(n), int(k), int(p), float(limit), int(seed))))
        return
    cases = [(n, min(max(n // 20, 20), 5000)) for n in a.sizes]
    rows: list[dict[str, Any]] = []
    for n, k in cases:
        for prob in a.problems:
            p = max(2, math.ceil(n / 300)) if prob == "pmedian" else max(2, k // 10)
            for tool in a.tools:
                base = {"tool": tool, "problem": prob, "n": n, "k": k, "p": p, "limit_min": a.limit}
                if tool == "spopt" and n * k > a.dense_max:
                    rows.append({**base, "skipped": f"dense {n}×{k} matrix"})
                    continue
                r = {**base, **_child([tool, prob, str(n), str(k), str(p), str(a.limit), str(a.seed)], a.timeout)}
                rows.append(r)
                print(json.dumps(r), flush=True)
    if not a.no_district and "mclp" in a.problems and "yuanluo" in a.tools:
        base = {"tool": "yuanluo", "problem": "mclp", "n": 100000, "k": 5000, "p": 500, "limit_min": a.limit}
        r = {**base, **_child(["yuanluo", "mclp", "100000", "5000", "500", str(a.limit), str(a.seed)], a.timeout)}
        rows.append(r)
        print(json.dumps(r), flush=True)
    meta = {"machine": platform.platform(), "cpus": __import__("os").cpu_count(), "python": platform.python_version(),
            "note": "one run each on a shared 2-core machine; time is the tool call only (instance built before)"}
    if a.keep and (OUT / "cover.json").exists():
        rows = _merge(json.loads((OUT / "cover.json").read_text(encoding="utf-8"))["runs"], rows)
    OUT.mkdir(exist_ok=True)
    (OUT / "cover.json").write_text(json.dumps({"meta": meta, "runs": rows}, indent=1), encoding="utf-8")
    md = "# Service-point siting: Yuanluo and spopt\n\n" + _markdown(rows)
    (OUT / "cover.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
