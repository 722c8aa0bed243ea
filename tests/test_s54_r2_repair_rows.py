"""Session 54, second round (helper R, issue 13): the exact model's rows written without work done again.

Traced on test_s28_editor's exported plan (300 households, 39 units, a 2.5-minute walk; ``yuanluo repair`` 95-121 s
CPU): a third of the repair's Python time was writing the rows of models HiGHS then solved in a fraction of it. Under
a walking limit a unit with a root of its own choosing (a new unit, or one rooted, ``_rows_new``) has a row per
possible root holding the households farther than the limit from it out of the unit, and each row asked every
household of the region again whether it may be in the unit and is of no island: ``roots × households`` questions
per unit (13.8 million in that repair). Now the unit's households are asked once and each root's far ones picked
from them. The rows are the same, in the same order (a reference written as before, compared here), so every model,
its memo key and HiGHS's answer are the same. Counted, not timed.
"""

from __future__ import annotations

import copy

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points

import yuanluo.gis.repair_exact as RE
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def _street(n: int) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"H{i:02d}" for i in range(n)]
    xy = [[80.0 * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame(geometry=points(xy), index=pd.Index(ids, name="hid"), crs="EPSG:32650")
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:32650")


def _reference(st, model, d, at) -> list[tuple[dict[int, float], float, float]]:
    """The walking rows of the units with a root of their own as written before: each root asks every household."""
    limit = st.rules.max_walk_min
    rows = []
    for v in [*model.new, *model.rooted]:
        for (k, u), c in model.root_col.items():
            if u != v:
                continue
            far = [model.col[(h, v)] for h in model.hh.tolist()
                   if (h, v) in model.col and not model.island(h) and d[at[h], at[k]] > limit + 1e-9]
            if far:
                rows.append(({**dict.fromkeys(far, 1.0), c: float(len(far))}, -np.inf, float(len(far))))
    return rows


def test_walking_rows_of_new_units_ask_each_household_once(monkeypatch):
    """A street of 16 households all in one unit, band 3-6, a 3-minute walk: the model opens new units, each with a
    root among the region's households. The walking rows are the reference's, and ``_Model.island`` is asked at most
    once per household and unit while they are written (before: once per household per possible root)."""
    hh, g = _street(16)
    labels = pd.Series(["A"] * 8 + ["B"] * 8, index=hh.index)
    labels.iloc[5:11] = "C"  # A 5, C 6, B 5; band 3-6 fits, the walk does not: units must be cut again
    asked = {"island": 0, "rows": 0, "most": 0}
    real_island, real_rows_new = RE._Model.island, RE._rows_new
    writing = [False]

    def island(self, h):
        if writing[0]:
            asked["island"] += 1
        return real_island(self, h)

    def rows_new(st, model, d, at):
        if st.rules.max_walk_min is None or d is None or not (model.new or model.rooted):
            return real_rows_new(st, model, d, at)
        before = len(model.rows)
        probe = copy.copy(model)
        probe.rows, probe.order_rows = list(model.rows), list(model.order_rows)
        writing[0] = True
        try:
            real_rows_new(st, model, d, at)
        finally:
            writing[0] = False
        asked["most"] += len(model.hh) * len([*model.new, *model.rooted])
        written = model.rows[before:]
        walking = [r for r in written if r[1] == -np.inf and len(r[0]) > 2 and r[2] > 0]
        want = _reference(st, probe, d, at)
        assert [(list(c.items()), lo, hi) for c, lo, hi in walking] == [(list(c.items()), lo, hi) for c, lo, hi in want]
        asked["rows"] += len(want)

    monkeypatch.setattr(RE._Model, "island", island)
    monkeypatch.setattr(RE, "_rows_new", rows_new)
    res = repair_plan(hh, labels, Rules(3, 6, max_walk_min=3.0), g)
    assert asked["rows"] > 0  # walking rows of new units were written, and were the reference's
    assert asked["island"] <= asked["most"], asked  # before: roots × households per unit
    assert res.check is not None
