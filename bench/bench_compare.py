"""Yuanluo's delineation side by side with peer tools, on the same inputs, in one run.

Usage (from the repository root)::

    /work/venv/bin/python bench/bench_compare.py            # full default run (~15 min on 2 cores)
    /work/venv/bin/python bench/bench_compare.py --quick    # N=300, seed 0, both presets, Andorra
    /work/venv/bin/python bench/bench_compare.py --sizes 300 --seeds 0 --presets banan --no-andorra

Datasets: synthetic Chongqing-like villages (:func:`yuanluo.gis.synth.make_village`, with DEM, rivers and
roads) of N = 300 and 1,000 households (3,000 for the fast tools), seeds 0-2; and the Ordino parish of
Andorra (real OSM buildings as households, SRTM 30 m DEM, OSM waterways, water and roads). Each dataset's
graph is built once with :func:`yuanluo.gis.neighbours.build_graph` and given to every tool.

Tools: ``yuanluo`` (``UnitDelineator.from_rules(rules, random_state=seed)``, the call of
``bench/bench_delineate.py``'s ``run_yuanluo``), ``maxp``, ``skater``, ``kmeans_constrained`` (see ``bench/peers.py``). Each run
is a fresh process with a time limit; a tool that times out on one seed is skipped for the other
seeds of the same size and preset (recorded as ``skipped``). Metrics: ``bench/metrics.py``.

Writes ``bench/results/compare.json`` (every run, after each run) and ``bench/results/compare.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import metrics  # noqa: E402
import peers  # noqa: E402

from yuanluo.gis.rules import Rules  # noqa: E402

ANDORRA = Path("/work/shared/data/andorra")
PRESETS = {"banan": (20, 50), "changshou": (15, 25)}
#: Tools too slow for N = 3,000 (MaxP is ~270 s at 1,000; Skater grows ~k·n²).
SLOW_TOOLS = {"maxp", "skater"}
SLOW_MAX_N = 1000
#: Above this size the slow tools run on the first seed only (keeps the default run near 15 minutes:
#: MaxP alone takes 20-100 s per run at N=300 on 2 cores).
SLOW_ALL_SEEDS_MAX_N = 0
#: OSM buildings taken as one household each (the proxy of SOURCE.md).
RESIDENTIAL = ("yes", "house", "residential", "apartments", "bungalow", "detached", "farm",
               "semidetached_house")


# ------------------------------------------------------------------------------------------- datasets
def synthetic(n: int, seed: int) -> tuple[gpd.GeoDataFrame, Any, dict[str, Any]]:
    """Households and graph of a synthetic village (DEM walking times, rivers, bridges)."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.gis.terrain import Terrain

    t0 = time.perf_counter()
    v = make_village(n, seed=seed)
    terrain = Terrain(crs=v.crs, transform=v.transform, elevation=v.dem, res=abs(float(v.transform.a)),
                      source="yuanluo.gis.synth")
    g = build_graph(v.households, terrain=terrain, rivers=v.rivers, roads=v.roads)
    return v.households, g, {"build_s": round(time.perf_counter() - t0, 2)}


def andorra(parish: str = "Ordino") -> tuple[gpd.GeoDataFrame, Any, dict[str, Any]]:
    """Residential buildings (40-400 m²) of one Andorran parish as households, EPSG:32631."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.terrain import read_dem

    t0 = time.perf_counter()
    gpkg = ANDORRA / "andorra.gpkg"
    crs = "EPSG:32631"
    b = gpd.read_file(gpkg, layer="building_points").to_crs(crs)
    par = gpd.read_file(gpkg, layer="parishes").to_crs(crs)
    area = par.loc[par["name"] == parish, "geometry"].union_all()
    res = b["building"].isin(RESIDENTIAL) & b["area_m2"].between(40, 400) & b.within(area)
    hh = b.loc[res].copy()
    hh.index = pd.Index(hh["osm_id"].astype(str), name="hid")
    hh = hh.sort_index()
    clip = area.buffer(500)
    rivers = gpd.read_file(gpkg, layer="waterways").to_crs(crs).clip(clip)
    water = gpd.read_file(gpkg, layer="water").to_crs(crs).clip(clip)
    roads = gpd.read_file(gpkg, layer="roads").to_crs(crs).clip(clip)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        terrain = read_dem(ANDORRA / "dem_30m_utm31n.tif", working_crs=crs, households=hh)
    g = build_graph(hh, terrain=terrain, rivers=rivers, water=water, roads=roads)
    return hh, g, {"build_s": round(time.perf_counter() - t0, 2), "parish": parish}


def graph_stats(g: Any) -> dict[str, Any]:
    cut = g.cut["reason"].astype(str).value_counts().sort_index().to_dict() if len(g.cut) else {}
    comp = np.bincount(g.components()) if g.n else np.array([])
    return {"n": int(g.n), "m": int(g.m), "cut": {str(k): int(v) for k, v in cut.items()},
            "components": int(len(comp)), "largest_component": int(comp.max()) if len(comp) else 0}


# ------------------------------------------------------------------------------------------- tools
def yuanluo_runner() -> tuple[Callable[..., Any] | None, str]:
    """Yuanluo's runner (:func:`peers.run_yuanluo`), or None and the reason it is absent."""
    if importlib.util.find_spec("yuanluo.gis.cluster") is None:
        return None, "yuanluo.gis.cluster does not exist yet"
    return peers.run_yuanluo, ""


def tools(only: list[str] | None) -> tuple[dict[str, Callable[..., Any]], dict[str, str]]:
    out: dict[str, Callable[..., Any]] = {}
    absent: dict[str, str] = {}
    fn, why = yuanluo_runner()
    if fn is not None:
        out["yuanluo"] = fn
    else:
        absent["yuanluo"] = why
    out.update(peers.PEERS)
    if only:
        out = {k: v for k, v in out.items() if k in only}
    return out, absent


def versions() -> dict[str, str]:
    v = {"python": platform.python_version(), "machine": platform.machine(), "cpus": str(os.cpu_count())}
    for pkg in ("yuanluo", "spopt", "libpysal", "k-means-constrained", "numpy", "scipy", "scikit-learn", "psutil"):
        try:
            v[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            v[pkg] = "absent"
    return v


# ------------------------------------------------------------------------------------------- report
COLS = ["tool", "status", "wall_s", "peak_rss_mb", "peak_delta_mb", "n_units", "size_min", "size_max",
        "pct_in_bounds", "n_broken", "n_river_units", "n_long_units", "n_scattered", "mean_walk_min",
        "max_walk_min", "n_unreachable"]


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    if isinstance(x, float):
        if x.is_integer():
            return str(int(x))
        return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"
    return str(x)


def summary_table(runs: list[dict[str, Any]]) -> pd.DataFrame:
    """Mean over seeds per dataset, preset and tool (completed runs only; counts of statuses)."""
    df = pd.DataFrame(runs)
    rows = []
    for (ds, n, preset, tool), grp in df.groupby(["dataset", "n", "preset", "tool"], sort=False):
        ok = grp[grp["status"] == "ok"]
        row: dict[str, Any] = {"dataset": ds, "n": n, "preset": preset, "tool": tool,
                               "runs": f"{len(ok)}/{len(grp)} ok"}
        others = grp.loc[grp["status"] != "ok", "status"].value_counts().to_dict()
        if others:
            row["runs"] += " (" + ", ".join(f"{v} {k}" for k, v in sorted(others.items())) + ")"
        for c in COLS[2:]:
            vals = pd.to_numeric(ok[c], errors="coerce") if c in ok else pd.Series(dtype=float)
            row[c] = float(vals.mean()) if len(vals.dropna()) else None
        rows.append(row)
    return pd.DataFrame(rows)


def markdown(runs: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = ["# Yuanluo vs peer tools (bench/bench_compare.py)", ""]
    lines.append(f"Run {meta['finished']}, {meta['total_s']:.0f} s in all; timeout {meta['timeout_s']:.0f} s per run; "
                 f"versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".")
    if meta["absent"]:
        lines.append("")
        lines.append("Absent tools: " + "; ".join(f"{k}: {v}" for k, v in meta["absent"].items()) + ".")
    lines += [
        "",
        "Columns: `wall_s` time of the tool call in its own process; `peak_rss_mb` peak resident memory of "
        "that process (Python, libraries and inputs included, ~320 MB before any work); "
        "`peak_delta_mb` the peak minus the memory just before the call; "
        "`pct_in_bounds` % of households in units inside the size band; `n_broken` units not connected in "
        "the terrain graph; of those, `n_river_units` have pieces joined only across a river/water "
        "edge the graph cut, `n_long_units` pieces joined by an edge cut only for length (a long walk), "
        "`n_scattered` pieces with no candidate link at all; walking minutes from each household to its "
        "unit's medoid (shortest path inside the unit; for broken units over the whole graph plus the "
        "length-cut links; `n_unreachable` households that still cannot reach it). "
        "Means over the seeds that completed. Timings on a shared 2-core machine are indicative.",
        "",
        f"Slow tools ({', '.join(sorted(SLOW_TOOLS))}) run only up to N={SLOW_MAX_N}, and above "
        f"N={SLOW_ALL_SEEDS_MAX_N} on the first seed only (unless --all-seeds); a tool that times out on a "
        "seed is `skipped` on the later seeds of the same size and preset.",
        "",
        "## Graphs",
        "",
        "| dataset | n | seed | edges | cut | components (largest) | build s |",
        "|---|---|---|---|---|---|---|",
    ]
    for gstat in meta["graphs"]:
        cut = ", ".join(f"{k} {v}" for k, v in gstat["cut"].items())
        lines.append(f"| {gstat['dataset']} | {gstat['n']} | {gstat['seed']} | {gstat['m']} | {cut} | "
                     f"{gstat['components']} ({gstat['largest_component']}) | {gstat['build_s']} |")
    summ = summary_table(runs)
    lines += ["", "## Summary (mean over seeds)", ""]
    head = ["dataset", "n", "preset", "tool", "runs"] + COLS[2:]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for _, r in summ.iterrows():
        lines.append("| " + " | ".join(_fmt(r[c]) for c in head) + " |")
    lines += ["", "## Every run", ""]
    head = ["dataset", "n", "seed", "preset"] + COLS
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for r in runs:
        lines.append("| " + " | ".join(_fmt(r.get(c)) for c in head) + " |")
    errs = [r for r in runs if r["status"] == "error"]
    if errs:
        lines += ["", "## Errors", ""]
        for r in errs:
            first = str(r.get("error", "")).splitlines()[0] if r.get("error") else ""
            lines.append(f"- {r['dataset']} n={r['n']} seed={r['seed']} {r['preset']} {r['tool']}: {first}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--presets", nargs="+", default=list(PRESETS), choices=list(PRESETS))
    ap.add_argument("--tools", nargs="+", default=None, help="subset of yuanluo maxp skater kmeans_constrained")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    ap.add_argument("--all-seeds", action="store_true",
                    help=f"run MaxP and Skater on every seed also above N={SLOW_ALL_SEEDS_MAX_N}")
    ap.add_argument("--no-andorra", action="store_true")
    ap.add_argument("--parish", default="Ordino")
    ap.add_argument("--quick", action="store_true", help="N=300, seed 0 only (plus Andorra)")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    a = ap.parse_args(argv)
    if a.quick:
        a.sizes, a.seeds = [300], [0]
    a.out.mkdir(parents=True, exist_ok=True)
    todo, absent = tools(a.tools)
    t_start = time.perf_counter()
    runs: list[dict[str, Any]] = []
    meta: dict[str, Any] = {"versions": versions(), "absent": absent, "timeout_s": a.timeout, "graphs": [],
                            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()}}

    datasets: list[tuple[str, int, int, Callable[[], tuple[Any, Any, dict[str, Any]]]]] = []
    for n in a.sizes:
        for seed in a.seeds:
            datasets.append(("synth", n, seed, partial(synthetic, n, seed)))
    if not a.no_andorra:
        datasets.append((f"andorra-{a.parish}", 0, 0, partial(andorra, a.parish)))

    timed_out: dict[tuple[str, int, str, str], int] = {}
    for ds, n, seed, make in datasets:
        hh, g, info = make()
        n = g.n
        meta["graphs"].append({"dataset": ds, "seed": seed, **graph_stats(g), **info})
        print(f"[{time.perf_counter() - t_start:6.0f}s] {ds} n={n} seed={seed}: {graph_stats(g)}", flush=True)
        for preset in a.presets:
            rules = Rules(*PRESETS[preset], name=preset)
            for tool, fn in todo.items():
                rec: dict[str, Any] = {"dataset": ds, "n": n, "seed": seed, "preset": preset, "tool": tool}
                key = (ds, n if ds == "synth" else 0, preset, tool)
                if tool in SLOW_TOOLS and ds == "synth" and (
                    n > SLOW_MAX_N or (n > SLOW_ALL_SEEDS_MAX_N and seed != a.seeds[0] and not a.all_seeds)
                ):
                    continue
                if key in timed_out:
                    rec.update(status="skipped", error=f"timed out on seed {timed_out[key]}")
                    runs.append(rec)
                    continue
                r = peers.run_guarded(tool, fn, hh, g, rules, seed, timeout_s=a.timeout)
                rec.update(status=r.status, wall_s=r.wall_s, peak_rss_mb=r.peak_rss_mb,
                           peak_delta_mb=r.peak_delta_mb, error=r.error, **{f"x_{k}": v for k, v in r.extra.items()})
                if r.status == "timeout":
                    timed_out[key] = seed
                if r.labels is not None:
                    rec.update(metrics.evaluate(r.labels, g, rules, households=hh))
                runs.append(rec)
                print(f"[{time.perf_counter() - t_start:6.0f}s]   {preset:9s} {tool:18s} {r.status:7s} "
                      f"{_fmt(r.wall_s):>7s} s  in-bounds {_fmt(rec.get('pct_in_bounds')):>5s}%  "
                      f"broken {_fmt(rec.get('n_broken'))}  river {_fmt(rec.get('n_river_units'))}  "
                      f"walk {_fmt(rec.get('mean_walk_min'))}", flush=True)
                meta["total_s"] = time.perf_counter() - t_start
                (a.out / "compare.json").write_text(
                    json.dumps({"meta": meta, "runs": runs}, indent=1, ensure_ascii=False, default=str),
                    encoding="utf-8")
    meta["total_s"] = time.perf_counter() - t_start
    meta["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    (a.out / "compare.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=1, ensure_ascii=False,
                                                   default=str), encoding="utf-8")
    (a.out / "compare.md").write_text(markdown(runs, meta), encoding="utf-8")
    print(f"wrote {a.out / 'compare.json'} and {a.out / 'compare.md'} in {meta['total_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
