"""Time yuanluo.gis.check.check_plan and yuanluo.gis.repair.repair_plan on synthetic grids (prints and writes JSON).

Usage: /work/venv/bin/python bench/check_scale.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def grid(nx: int, ny: int, step: float = 20.0) -> tuple[gpd.GeoDataFrame, TerrainGraph, np.ndarray, np.ndarray]:
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    ids = np.char.add("h", np.arange(len(ii)).astype(str))
    xy = np.c_[ii * step, jj * step].astype(float)
    idx = np.arange(len(ii)).reshape(nx, ny)
    e = np.r_[np.c_[idx[:-1].ravel(), idx[1:].ravel()], np.c_[idx[:, :-1].ravel(), idx[:, 1:].ravel()]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    return hh, TerrainGraph.from_edges(ids, xy, e, crs="EPSG:32631"), ii, jj


def main() -> None:
    out = {}
    for nx, ny in ((100, 100), (400, 250)):
        hh, g, ii, jj = grid(nx, ny)
        n = len(hh)
        lab = pd.Series(np.char.add("U", ((ii // 10) * (ny // 5) + jj // 5).astype(str)), index=hh.index)
        mp = lab.groupby(lab).apply(lambda s: s.index[len(s) // 2])
        r = Rules(40, 60, max_walk_min=5.0)
        t0 = time.perf_counter()
        res = check_plan(hh, lab, r, graph=g, meeting_points=mp)
        t_check = time.perf_counter() - t0
        rng = np.random.default_rng(0)
        bad = lab.copy()
        # move 20 boundary households (row j % 5 == 4) to the unit above them
        cand = np.flatnonzero((jj % 5 == 4) & (jj < ny - 1))
        pick = rng.choice(cand, 20, replace=False)
        bad.iloc[pick] = lab.iloc[pick + 1].to_numpy()
        t0 = time.perf_counter()
        rep = repair_plan(hh, bad, Rules(50, 50), g)
        t_rep = time.perf_counter() - t0
        out[str(n)] = {"households": n, "units": len(res.units), "check_s": round(t_check, 3),
                       "check_passed": res.passed, "repair_s": round(t_rep, 3), "perturbed": 20, "repair_rules": "50-50",
                       "repair_moves": len(rep.moves), "repair_passed": rep.passed}
        print(out[str(n)])
    Path(__file__).with_name("results").mkdir(exist_ok=True)
    Path(__file__).with_name("results").joinpath("check_scale.json").write_text(
        json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
