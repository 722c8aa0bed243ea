"""The rescue's region re-cuts (tree cuts of growing regions) are bounded by work, not only its exact search.

A narrow band with many parts the repair left short re-cut regions of up to RESCUE_MAX_N nodes along 34 spanning
trees each, ring after ring, part after part: a 600-household village (band 30-32 persons) spent 274 of its
303 s there (3,055,945 region nodes cut along 8,172 trees for 27 short parts, of which it rescued 2). Now each
rescue cuts at most RESCUE_CUT_WORK region nodes along trees, at most RESCUE_PART_WORK of them for one part; a
part left so is an exception unit not proven unsplittable (RULE-NOSPLIT), and the result still passes its own
verification and check.

The budgets are made small here so that the test is quick (and the exact search is left out: its budget is
tested in test_s32_fj_rescue_bound); they are set with ``raising=False`` so that on code without them the same
counts are taken (and are far above them).
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yuanluo.gis.delineate.rescue as rescue_mod
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.construct import construct
from yuanluo.gis.delineate.problem import NodeGraph, Settings, feasible
from yuanluo.gis.delineate.repair import repair
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

CUT, PART = 3000, 1200
FAILED = 14  # the budgets of the test (region nodes cut along trees): one rescue, one part


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Small budgets, and counts of the region nodes the rescue cuts along trees: in all and per failed part."""
    monkeypatch.setattr(rescue_mod, "RESCUE_CUT_WORK", CUT, raising=False)
    monkeypatch.setattr(rescue_mod, "RESCUE_PART_WORK", PART, raising=False)
    monkeypatch.setattr(rescue_mod, "RESCUE_MILP_WORK", 0)  # no exact search (bounded apart, and slow here)
    seen: dict[str, Any] = {"nodes": 0, "parts": []}
    real_construct, real_part = rescue_mod.construct, rescue_mod._rescue_part

    def counting_construct(g: NodeGraph, *a: Any, **k: Any) -> np.ndarray:
        seen["nodes"] += g.n
        return real_construct(g, *a, **k)

    def counting_part(*a: Any, **k: Any) -> Any:
        before = seen["nodes"]
        out = real_part(*a, **k)
        seen["parts"].append(seen["nodes"] - before)
        return out

    monkeypatch.setattr(rescue_mod, "construct", counting_construct)
    monkeypatch.setattr(rescue_mod, "_rescue_part", counting_part)
    return seen


def _village() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 10 x 10 grid of households of 1-6 persons (seed 0), its 180 edges: under 20-21 persons the repair
    leaves 14 parts short."""
    side = 10
    w = np.random.default_rng(0).integers(1, 7, side * side)
    i = np.arange(side * side)
    r, c = np.divmod(i, side)
    u = np.r_[i[c < side - 1], i[r < side - 1]]
    v = np.r_[i[c < side - 1] + 1, i[r < side - 1] + side]
    return w, u, v


def _narrow() -> tuple[NodeGraph, Settings, np.ndarray, list[int]]:
    """The village as the delineator's graph, cut and repaired as it does under 20-21 persons."""
    w, u, v = _village()
    g = NodeGraph.build(w.astype(float), u, v, np.ones(len(u)))
    s = Settings(lo=20, hi=21, target=20.5)
    lab, failed = repair(g, s, construct(g, s), feasible(np.bincount(g.comp, weights=g.w), s.lo, s.hi),
                         np.random.default_rng(0))
    return g, s, lab, failed


def test_the_region_recuts_of_one_rescue_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    g, s, lab, failed = _narrow()
    assert len(failed) == FAILED  # parts the repair left short
    seen = _counting(monkeypatch)
    out = rescue_mod.rescue(g, s, lab, failed, np.random.default_rng(0))
    assert seen["nodes"] <= CUT  # was 144,534 region nodes cut
    assert max(seen["parts"]) <= PART
    assert out.proven == [] and len(out.failed) >= 1  # left over: not proven unsplittable (RULE-NOSPLIT)
    # every part not failed keeps the band; every part is contiguous
    size = np.bincount(out.labels, weights=g.w)
    kept = np.setdiff1d(np.unique(out.labels), out.failed)
    assert ((size[kept] >= s.lo) & (size[kept] <= s.hi)).all()
    for p in np.unique(out.labels):
        m = out.labels == p
        e = m[g.u] & m[g.v]
        assert len(np.unique(_components(int(m.sum()), np.flatnonzero(m), g.u[e], g.v[e]))) == 1
    # the same input and seed: the same cut (the budget counts work, never time)
    again = rescue_mod.rescue(g, s, lab, failed, np.random.default_rng(0))
    assert (again.labels == out.labels).all() and again.failed == out.failed


def test_a_narrow_band_village_within_the_budget_passes_its_check(monkeypatch: pytest.MonkeyPatch) -> None:
    w, u, v = _village()
    n = len(w)
    xy = np.c_[np.arange(n) % 10 * 40.0, np.arange(n) // 10 * 40.0]
    ids = [f"H{i:04d}" for i in range(n)]
    hh = gpd.GeoDataFrame({"persons": w}, index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T),
                          crs="EPSG:4545")
    graph = TerrainGraph.from_edges(ids, xy, np.c_[u, v], crs="EPSG:4545")
    seen = _counting(monkeypatch)
    rules = Rules(20, 21, size_by="persons", require_head=False, keep_settlements=False)
    d = UnitDelineator.from_rules(rules, random_state=0, exact=False).fit(hh, graph)  # fit verifies its result
    assert seen["nodes"] <= CUT and max(seen["parts"]) <= PART  # was 72,267 region nodes cut
    exc = d.units_[d.units_["status"] == "exception"]
    assert "RULE-NOSPLIT" in exc["code"].tolist()
    assert {json.loads(x)["why"] for x in exc.loc[exc["code"] == "RULE-NOSPLIT", "reason_params"]} == {"nosplit"}
    assert d.check(hh, graph).passed
    again = UnitDelineator.from_rules(rules, random_state=0, exact=False).fit(hh, graph)
    assert again.labels_.equals(d.labels_)


def _components(k: int, nodes: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Component labels of ``nodes`` joined by the edges ``u``-``v`` (node ids of the whole graph)."""
    from yuanluo.gis.delineate.problem import components

    local = np.asarray(np.searchsorted(nodes, np.r_[u, v]))
    return components(k, local[: len(u)], local[len(u):])
