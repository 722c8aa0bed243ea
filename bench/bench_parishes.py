"""Delineation on every Andorra parish (real OSM buildings, SRTM 30 m DEM, OSM waterways, water and roads).

Households: every ``building_points`` feature inside the parish (one household per building — a proxy, see
``../shared/data/andorra/SOURCE.md``). Each parish is delineated under banan (20–50) and changshou (15–25); the
result is then audited by the independent check (``yuanluo.gis.check.check_plan``) on the same terrain graph, which
counts non-contiguous units and units crossing a river away from a bridge. Writes
bench/results/parishes.json and bench/results/parishes.md.

    /work/venv/bin/python bench/bench_parishes.py
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import geopandas as gpd

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.terrain import read_dem

ANDORRA = Path(os.environ.get("YUANLUO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data" / "andorra"
OUT = Path(__file__).parent / "results"
CRS = "EPSG:32631"
PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}


def run() -> list[dict[str, Any]]:
    gpkg = ANDORRA / "andorra.gpkg"
    parishes = gpd.read_file(gpkg, layer="parishes").to_crs(CRS)
    buildings = gpd.read_file(gpkg, layer="building_points").to_crs(CRS)
    buildings["hid"] = buildings["osm_id"].astype(str)
    buildings = buildings.drop_duplicates("hid").set_index("hid")
    rivers = gpd.read_file(gpkg, layer="waterways").to_crs(CRS)
    water = gpd.read_file(gpkg, layer="water").to_crs(CRS)
    roads = gpd.read_file(gpkg, layer="roads").to_crs(CRS)
    rows: list[dict[str, Any]] = []
    for name, poly in sorted(zip(parishes["name"], parishes.geometry, strict=True)):
        hh = buildings[buildings.within(poly)][["geometry"]]
        terrain = read_dem(ANDORRA / "dem_30m_utm31n.tif", working_crs=CRS, households=hh)
        t0 = time.perf_counter()
        g = build_graph(hh, terrain=terrain, rivers=rivers, water=water, roads=roads)
        t_graph = time.perf_counter() - t0
        for preset, rules in PRESETS.items():
            t1 = time.perf_counter()
            d = UnitDelineator.from_rules(rules, random_state=0).fit(hh, g)
            t_fit = time.perf_counter() - t1
            res = check_plan(hh, d.labels_, rules, graph=g)
            codes = res.violations["code"].value_counts().to_dict() if len(res.violations) else {}
            u = d.units_
            ok = u["status"] == "ok"
            rows.append({
                "parish": name, "households": len(hh), "preset": preset, "graph_s": round(t_graph, 2),
                "delineate_s": round(t_fit, 2), "units": len(u), "units_ok": int(ok.sum()),
                "pct_in_bounds": round(100 * float(u.loc[ok, "n_households"].sum()) / len(hh), 2),
                "exception_households": int(u.loc[~ok, "n_households"].sum()),
                "avoidable_exception_households": int(u.loc[~ok & (u["code"] != "RULE-INFEASIBLE"),
                                                            "n_households"].sum()),
                "noncontiguous_units": int(codes.get("PLAN-NONCONTIG", 0)),
                "river_crossing_units": int(codes.get("PLAN-CROSS-RIVER", 0)),
                "long_join_units": int(codes.get("PLAN-LONG-JOIN", 0)),
                "check_passed": bool(res.passed),
                "mean_walk_min": round(d.objective_ / len(hh), 3),
            })
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    cols = list(rows[0])
    lines = ["# Delineation on every Andorra parish (OSM buildings as households, 30 m DEM)", "",
             f"Load average at the end: {os.getloadavg()}", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    rows = run()
    OUT.mkdir(exist_ok=True)
    (OUT / "parishes.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    (OUT / "parishes.md").write_text(markdown(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
