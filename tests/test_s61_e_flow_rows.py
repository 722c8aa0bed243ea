"""Session 61, second round (helper E): the flow rows of the exact repair model written as arrays.

Profiled on test_s28_editor's exported plan (300 households, 39 units, a 2.5-minute walk; ``yuanluo repair`` 58 s CPU,
152 models written): writing the contiguity rows (``_rows_flow``, two rows an arc of a unit and one a household, each a
dict) took 8 s, and reading every row's dict back into the row matrix (``_matrices``) 5 s more. Now a unit's flow
rows are one block of arrays (``_Block``) and stand in ``_Model.rows`` as placeholders holding only their bounds, so a
row's number is its place as before. The row matrix is the same, entry for entry (a reference writing each row's dict
as before, compared here), so every model, its memo key and HiGHS's answer are the same. Counted, not timed.
"""

from __future__ import annotations

import copy

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from shapely import points

import yuanluo.gis.repair_exact as RE
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def _street(n: int) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"H{i:02d}" for i in range(n)]
    xy = [[80.0 * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame(geometry=points(xy), index=pd.Index(ids, name="hid"), crs="EPSG:32650")
    edges = [(i, i + 1) for i in range(n - 1)] + [(i, i + 2) for i in range(n - 2)]  # a few households two arcs
    return hh, TerrainGraph.from_edges(ids, xy, edges, crs="EPSG:32650")


def _reference(st, model, anchors):
    """The flow rows, columns and bounds as written before session 61: a dict per row."""
    cap = RE._flow_cap(st, model)
    inside = {h for h in model.hh.tolist() if not model.island(h)}
    arcs = [(a, int(b)) for a in sorted(inside) for b in st.cnbrs(a).tolist() if int(b) in inside and a != b]
    for u in model.units.tolist():
        if u in model.isle:
            continue
        root = anchors.get(u, -1)
        net: dict[int, dict[int, float]] = {}
        for a, b in arcs:
            ca, cb = model.col.get((a, u)), model.col.get((b, u))
            if ca is None or cb is None or b == root:
                continue
            f = model.n
            model.n += 1
            model.flows[f] = cap
            model.add({f: 1.0, ca: -cap}, -np.inf, 0.0)
            model.add({f: 1.0, cb: -cap}, -np.inf, 0.0)
            net.setdefault(b, {})[f] = 1.0
            net.setdefault(a, {})[f] = -1.0
        for h in sorted(inside):
            c = model.col.get((h, u))
            if c is None or h == root:
                continue
            r = model.root_col.get((h, u))
            if r is None:
                model.add({**net.get(h, {}), c: -1.0}, 0.0, 0.0)
            else:
                model.add({**net.get(h, {}), c: -1.0, r: cap}, 0.0, np.inf)


def _repaired(monkeypatch, hh, g, labels, rules):
    seen = {"models": 0, "rows": 0, "rooted": 0}
    real = RE._rows_flow

    def rows_flow(st, model, anchors):
        before = len(model.rows)
        probe = copy.copy(model)
        probe.rows, probe.flows, probe.blocks = list(model.rows), dict(model.flows), list(model.blocks)
        real(st, model, anchors)
        _reference(st, probe, anchors)
        assert (model.n, list(model.flows.items())) == (probe.n, list(probe.flows.items()))
        assert [(lo, hi) for _, lo, hi in model.rows] == [(lo, hi) for _, lo, hi in probe.rows]
        assert all(not c for c, _, _ in model.rows[before:])  # placeholders: no dict of entries per row
        mine, want = RE._matrices(st, model), RE._matrices(st, probe)
        a, b = mine[1], want[1]
        assert a.shape == b.shape and (a != b).nnz == 0 and a.nnz == b.nnz
        for x, y in zip(mine, want, strict=True):
            if sp.issparse(x):
                assert np.array_equal(x.indptr, y.indptr) and np.array_equal(x.indices, y.indices)
                assert np.array_equal(x.data, y.data) and x.indices.dtype == y.indices.dtype
            else:
                assert np.array_equal(x, y) and x.dtype == y.dtype
        seen["models"] += 1
        seen["rows"] += len(model.rows) - before
        seen["rooted"] += bool(model.root_col)

    monkeypatch.setattr(RE, "_rows_flow", rows_flow)
    res = repair_plan(hh, labels, rules, g)
    return res, seen


def test_flow_rows_as_arrays_are_the_rows_as_dicts(monkeypatch):
    """A street of 16 households, band 3-6, a 3-minute walk: models with units anchored, new and rooted (roots as
    variables). Every model's flow rows, flows and row matrix are the reference's, and each of those rows stands in
    ``_Model.rows`` without a dict of its own (before: a dict per row)."""
    hh, g = _street(16)
    labels = pd.Series(["A"] * 8 + ["B"] * 8, index=hh.index)
    labels.iloc[5:11] = "C"
    res, seen = _repaired(monkeypatch, hh, g, labels, Rules(3, 6, max_walk_min=3.0))
    assert seen["models"] > 0 and seen["rows"] > 0 and seen["rooted"] > 0, seen
    assert res.check is not None


def test_flow_rows_without_a_walking_limit(monkeypatch):
    """The same street without a walking limit, units 2|9|5 in band 4-6 (one over the ceiling, one under the floor):
    the models open new units; their flow rows are the reference's."""
    hh, g = _street(16)
    labels = pd.Series(["A"] * 2 + ["B"] * 9 + ["C"] * 5, index=hh.index)
    res, seen = _repaired(monkeypatch, hh, g, labels, Rules(4, 6, require_head=False, keep_settlements=False,
                                                             nest_by=()))
    assert seen["models"] > 0 and seen["rooted"] > 0, seen
    assert res.passed
