"""Session 45 (helper C, second task): repair proves by counting, not by HiGHS, a region that cannot hold its
households in units each with a candidate head or excused by the check.

Found on the Andorra sample (951 households, 二组 given 1.5 % candidates, delineated 15-40 by groups, the plan
exported and checked without the result's declarations): a 341-household area of 二组 with 4 candidates, drawn
in 10 units, 6 without a candidate where the check excuses 5 (⌈341 / 40⌉ − 4), so all six are PLAN-NO-HEAD.
``yuanluo repair`` spent its whole 180 s of exact models on regions of 5-7 of those units: e.g. 216 households, 6
units, 2 candidates, 3 of them allowed to lack one: at least ⌈216 / 40⌉ = 6 units, at most 2 + 3 with a head or
an excuse, yet HiGHS took 16 s and 15 s to prove it, and gave up on the same region with new units at 20 s.
:func:`~yuanluo.gis.repair_exact.too_few_heads` now says so before the solver is called.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import _meeting, _State, repair_plan
from yuanluo.gis.rules import Rules


def _street(n: int, heads: list[int]) -> gpd.GeoDataFrame:
    xs = 500000 + 60.0 * np.arange(n)
    return gpd.GeoDataFrame({"group": ["G1"] * n, "head_candidate": [i in heads for i in range(n)]},
                            geometry=gpd.points_from_xy(xs, 3265000 + np.where(np.arange(n) % 2, 18, 0)),
                            index=pd.Index([f"H{i + 1}" for i in range(n)], name="hid"), crs="EPSG:4545")


def _run(monkeypatch: pytest.MonkeyPatch, n: int, heads: list[int], units: list[str], rules: Rules):
    statuses: list[int] = []
    real = RE.milp

    def counted(*a, **k):
        res = real(*a, **k)
        statuses.append(int(res.status))
        return res

    monkeypatch.setattr(RE, "milp", counted)
    hh = _street(n, heads)
    graph = build_graph(hh, max_walk_min=1.0)
    labels = pd.Series(units, index=hh.index, dtype=object)
    res = repair_plan(hh, labels, rules, graph)
    after = check_plan(hh, res.labels, rules, graph=graph)
    assert after.passed == res.passed
    return res, statuses


def _state(n: int, heads: list[int], units: list[str]):
    hh = _street(n, heads)
    st = _State(hh, pd.Series(units, index=hh.index, dtype=object), Rules(2, 3, nest_by=("group",), require_head=True),
                build_graph(hh, max_walk_min=1.0), None)
    st.meet = _meeting(st, None)
    return st


def _no_solver(*a, **k):
    raise AssertionError("HiGHS called for a region counting proves infeasible")


def test_a_region_too_short_of_heads_is_proven_by_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    """12 in a row, band 2-3, candidates H3 and H9, six units of two: the area needs 4 units, the check excuses
    4 − 2 = 2 without a candidate, the plan has 4 (U1, U3, U4, U6), all PLAN-NO-HEAD. The region of one of them
    and its neighbours (U1 with U2: 4 households, 1 candidate; the 3 lacking units outside use up the allowance)
    needs 2 units and may open 1: infeasible, and HiGHS is not asked."""
    st = _state(12, [2, 8], [f"U{i // 2 + 1}" for i in range(12)])
    monkeypatch.setattr(RE, "milp", _no_solver)
    for u in range(6):
        o = RE.exact_repair(st, {u}, np.zeros(0, dtype=np.int64), st.meet)
        assert o.status == "infeasible", u


def test_the_count_is_a_bound_not_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same row with every unit in the region: 12 households fit 4 units, 2 candidates + 2 excused: HiGHS
    solves it, and the whole repair re-cuts the row into 4 units of 3 that the check passes."""
    st = _state(12, [2, 8], [f"U{i // 2 + 1}" for i in range(12)])
    assert not RE.too_few_heads(st, RE._build(st, np.arange(12), np.arange(6), {}, None, {}, {}))
    res, statuses = _run(monkeypatch, 12, [2, 8], [f"U{i // 2 + 1}" for i in range(12)],
                         Rules(2, 3, nest_by=("group",), require_head=True))
    assert res.passed and len(set(res.labels.tolist())) == 4
    assert 0 in statuses  # HiGHS solved it
