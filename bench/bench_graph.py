"""Benchmark of the terrain-aware neighbour graph (yuanluo.gis.neighbours.build_graph).

Part 1, Andorra (real data, /work/shared/data/andorra): households proxy = the ``building_points`` layer,
30 m DEM, waterways, water polygons and roads, all in EPSG:32631. Prints edge counts (candidate, kept,
cut by reason), components and their size distribution, walking minutes vs straight metres.

Part 2, scale: synthetic villages (yuanluo.gis.synth.make_village) of 10k, 100k and 1M households on a 30 m DEM,
with rivers and roads; each size runs in its own subprocess so the peak memory (ru_maxrss) is its own.
Build time excludes generating the village; peak memory is reported two ways: the traced Python/numpy
peak of build_graph alone (tracemalloc) and the whole subprocess's maximum resident set size.

Writes bench/results/graph.json and bench/results/graph.md.

Usage::

    /work/venv/bin/python bench/bench_graph.py [--sizes 10000 100000 1000000] [--skip-andorra]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ANDORRA = Path(__file__).resolve().parents[2] / "shared" / "data" / "andorra"
CRS = "EPSG:32631"


def _dist(a: np.ndarray) -> dict[str, float]:
    if len(a) == 0:
        return {}
    q = np.percentile(a, [0, 50, 90, 99, 100])
    return {"min": float(q[0]), "median": float(q[1]), "p90": float(q[2]), "p99": float(q[3]), "max": float(q[4])}


def andorra() -> dict:
    import geopandas as gpd
    import pandas as pd

    from yuanluo.gis.graph import components_report
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.terrain import read_dem

    gpkg = ANDORRA / "andorra.gpkg"
    b = gpd.read_file(gpkg, layer="building_points").to_crs(CRS)
    hid = b["osm_type"].astype(str).str[0] + b["osm_id"].astype(str)
    b = b.set_index(pd.Index(hid, name="hid"))
    rivers = gpd.read_file(gpkg, layer="waterways").to_crs(CRS)
    water = gpd.read_file(gpkg, layer="water").to_crs(CRS)
    roads = gpd.read_file(gpkg, layer="roads").to_crs(CRS)
    t0 = time.perf_counter()
    terrain = read_dem(ANDORRA / "dem_30m_utm31n.tif", working_crs=CRS, households=b)
    t_dem = time.perf_counter() - t0
    t0 = time.perf_counter()
    g = build_graph(b, terrain=terrain, rivers=rivers, water=water, roads=roads, max_walk_min=10.0)
    t_graph = time.perf_counter() - t0
    comp = components_report(g)
    sizes = comp["size"].to_numpy()
    pos = g.length_m > 0
    ratio = g.walk_min[pos] / g.length_m[pos]  # minutes per metre
    flat_ratio = 60.0 / (5.0367 * 1000)
    assert g.walk_uv is not None and g.walk_vu is not None
    asym = np.abs(g.walk_uv[pos] - g.walk_vu[pos]) / g.walk_min[pos]
    out = {
        "households": int(g.n),
        "locations": int(g.meta["n_locations"]),
        "edges_candidate": int(g.meta["n_candidate_edges"]),
        "edges_kept": int(g.m),
        "edges_cut": {k: int(v) for k, v in g.meta["n_cut"].items()},
        "barrier_counts": g.meta["barrier_counts"],
        "components": int(len(sizes)),
        "component_sizes": {
            "largest5": sorted(sizes.tolist(), reverse=True)[:5],
            "singletons": int((sizes == 1).sum()),
            "2-19": int(((sizes >= 2) & (sizes < 20)).sum()),
            "20-99": int(((sizes >= 20) & (sizes < 100)).sum()),
            ">=100": int((sizes >= 100).sum()),
        },
        "kept_length_m": _dist(g.length_m[pos]),
        "kept_walk_min": _dist(g.walk_min[pos]),
        "walk_min_per_100m": {k: v * 100 for k, v in _dist(ratio).items()},
        "walk_over_flat_ratio": {"median": float(np.median(ratio) / flat_ratio),
                                 "p90": float(np.percentile(ratio, 90) / flat_ratio)},
        "direction_asymmetry_median": float(np.median(asym)),
        "dem_seconds": round(t_dem, 2),
        "graph_seconds": round(t_graph, 2),
        "dem_warnings": [p.code for p in terrain.problems],
    }
    return out


def scale_one(n: int) -> dict:
    """Run in a subprocess: generate a village of n households and time build_graph on it."""
    import tracemalloc

    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.gis.terrain import Terrain

    t0 = time.perf_counter()
    v = make_village(n, seed=1, dem_res=30.0)
    t_gen = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    terrain = Terrain(crs=v.crs, transform=v.transform, elevation=v.dem, res=30.0, source="synth")
    tracemalloc.start()
    t0 = time.perf_counter()
    g = build_graph(v.households, terrain=terrain, rivers=v.rivers, roads=v.roads, max_walk_min=10.0)
    t_build = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # untraced repeat for the time (tracemalloc slows allocation-heavy code)
    t0 = time.perf_counter()
    build_graph(v.households, terrain=terrain, rivers=v.rivers, roads=v.roads, max_walk_min=10.0)
    t_build2 = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "households": n,
        "dem_shape": list(v.dem.shape),
        "rivers": len(v.rivers),
        "roads": len(v.roads),
        "generate_seconds": round(t_gen, 2),
        "build_seconds": round(t_build2, 2),
        "build_seconds_traced": round(t_build, 2),
        "build_traced_peak_mb": round(peak / 2**20, 1),
        "process_maxrss_mb_before_build": round(rss_before, 1),
        "process_maxrss_mb": round(rss, 1),
        "edges_candidate": int(g.meta["n_candidate_edges"]),
        "edges_kept": int(g.m),
        "edges_cut": {k: int(c) for k, c in g.meta["n_cut"].items()},
        "components": int(g.components().max()) + 1,
    }


def scale(sizes: list[int]) -> list[dict]:
    out = []
    for n in sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            out.append({"households": n, "error": proc.stderr.strip().splitlines()[-1:]})
            continue
        out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  {n:>9,d} households: build {out[-1]['build_seconds']:.1f} s, "
              f"traced peak {out[-1]['build_traced_peak_mb']:.0f} MB, maxrss {out[-1]['process_maxrss_mb']:.0f} MB",
              flush=True)
    return out


def to_markdown(res: dict) -> str:
    lines = ["# Neighbour graph benchmark", "", f"Machine: {res['machine']}", ""]
    a = res.get("andorra")
    if a:
        lines += [
            "## Andorra (building_points as households, 30 m DEM, EPSG:32631)", "",
            "| measure | value |", "|---|---|",
            f"| households / distinct locations | {a['households']:,} / {a['locations']:,} |",
            f"| candidate edges | {a['edges_candidate']:,} |",
            f"| kept edges | {a['edges_kept']:,} |",
            *[f"| cut: {k} | {v:,} |" for k, v in sorted(a["edges_cut"].items())],
            f"| components | {a['components']:,} (largest {a['component_sizes']['largest5']}, "
            f"{a['component_sizes']['singletons']} singletons) |",
            f"| components by size 2-19 / 20-99 / >=100 | {a['component_sizes']['2-19']} / "
            f"{a['component_sizes']['20-99']} / {a['component_sizes']['>=100']} |",
            f"| kept edge length median / p90 (m) | {a['kept_length_m']['median']:.0f} / {a['kept_length_m']['p90']:.0f} |",
            f"| walk minutes per 100 m, median / p90 | {a['walk_min_per_100m']['median']:.2f} / "
            f"{a['walk_min_per_100m']['p90']:.2f} (flat: 1.19) |",
            f"| walk / flat-walk ratio, median / p90 | {a['walk_over_flat_ratio']['median']:.2f} / "
            f"{a['walk_over_flat_ratio']['p90']:.2f} |",
            f"| DEM read / graph build (s) | {a['dem_seconds']} / {a['graph_seconds']} |",
            "",
        ]
    s = res.get("scale") or []
    if s:
        lines += ["## Scale (yuanluo.gis.synth.make_village, 30 m DEM, rivers + roads)", "",
                  "| households | build s | s per 100k | traced peak MB | process maxrss MB | kept edges | cut |",
                  "|---|---|---|---|---|---|---|"]
        for r in s:
            if "error" in r:
                lines.append(f"| {r['households']:,} | error: {r['error']} | | | | | |")
                continue
            lines.append(
                f"| {r['households']:,} | {r['build_seconds']:.1f} | {r['build_seconds'] / r['households'] * 1e5:.2f} | "
                f"{r['build_traced_peak_mb']:.0f} | {r['process_maxrss_mb']:.0f} | {r['edges_kept']:,} | "
                f"{sum(r['edges_cut'].values()):,} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--skip-andorra", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(scale_one(args.one)))
        return
    res: dict = {"machine": f"{platform.machine()}, {platform.python_version()}, "
                            f"{__import__('os').cpu_count()} CPUs"}
    if not args.skip_andorra:
        print("Andorra ...", flush=True)
        res["andorra"] = andorra()
    if args.sizes:
        print("Scale ...", flush=True)
        res["scale"] = scale(args.sizes)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "graph.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    md = to_markdown(res)
    (RESULTS / "graph.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
