"""A component whose size fits no split within the band (issue 13; 26–29 households under changshou's 15–25: two
units within the band need at least 30, one may hold at most 25) was cut evenly, 14 + 14: two exceptions and no
``ok`` unit. The construction's tree DP charges each household below the floor, and 14 + 14 and 15 + 13 both
have two; the even cut won on the size term. Now such a component is cut into the most units within the band,
then walking least (:func:`~yuanluo.gis.delineate.heads.remnant_cut`): 15 + 13, one ``ok`` unit and one
remnant (``RULE-INFEASIBLE``, ``unsplittable``)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.heads import remnant_cut
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.neighbours import build_graph


def village(n: int, branch: int = 0, heads: tuple[int, ...] = ()) -> gpd.GeoDataFrame:
    """``n`` households 30 m apart along a line; the last ``branch`` go up from the middle one."""
    x, y = np.arange(n) * 30.0, np.zeros(n)
    if branch:
        x[-branch:], y[-branch:] = x[n // 2], (np.arange(branch) + 1) * 30.0
    df = pd.DataFrame({"hid": [f"H{i:04d}" for i in range(n)], "head_candidate": [i in heads for i in range(n)],
                       "persons": 3}).set_index("hid")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(x + 542000, y + 3225000), crs="EPSG:4545")


def fit(hh: gpd.GeoDataFrame, require_head: bool = False, lo: int = 15, hi: int = 25) -> tuple[pd.DataFrame, bool]:
    g = build_graph(hh)
    d = UnitDelineator(min_size=lo, max_size=hi, require_head=require_head, random_state=1).fit(hh, g)
    again = UnitDelineator(min_size=lo, max_size=hi, require_head=require_head, random_state=1).fit(hh, g)
    assert again.labels_.equals(d.labels_)  # same input and seed, same units
    return d.units_, bool(d.check(hh, g).passed)


@pytest.mark.parametrize(("n", "branch"), [(26, 0), (27, 0), (28, 0), (28, 9), (27, 9)])
@pytest.mark.parametrize("require_head", [False, True])
def test_unsplittable_component_keeps_one_unit_within_the_band(n: int, branch: int, require_head: bool) -> None:
    # old code: 13 + 13, 13 + 14, 14 + 14 (and 13 + 14, 14 + 14 branched): two exceptions, no ok unit
    u, passed = fit(village(n, branch, tuple(range(0, n, 4)) if require_head else ()), require_head)
    ok = u[u["status"] == "ok"]
    assert len(ok) == 1 and 15 <= int(ok["n_households"].iloc[0]) <= 25
    rest = u[u["status"] != "ok"]
    assert len(rest) == 1 and rest["code"].iloc[0] == "RULE-INFEASIBLE"
    assert json.loads(rest["reason_params"].iloc[0])["why"] == "unsplittable"
    assert int(u["n_households"].sum()) == n
    if require_head:
        assert int(ok["n_heads"].iloc[0]) >= 1
    assert passed


def test_the_cut_walks_least_of_those_with_a_unit_within_the_band() -> None:
    """On a path of 28 households one minute apart every cut leaving a part of 15–25 is one edge: 15 + 13
    walks 56 + 42 = 98 minutes, 25 + 3 walks 156 + 2; the cut taken is the least of all of them."""
    n = 28
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    s = Settings(lo=15, hi=25, target=20.0)
    units = Units(g.csr(), np.r_[np.zeros(14, dtype=np.int64), np.full(14, 14)], size=g.w)
    part_ok = np.zeros(n, dtype=bool)
    assert remnant_cut(g, s, units, part_ok) == {0, 14}

    def walk(k: int) -> float:  # a path of k households: to its middle one
        return float(sum(abs(i - k // 2) for i in range(k)))

    least = min(walk(a) + walk(n - a) for a in range(1, n) if 15 <= a <= 25 or 15 <= n - a <= 25)
    assert units.cost[0] + units.cost[14] == least == 98.0
    assert sorted(len(x) for x in units.nodes.values()) == [13, 15]
    assert int(part_ok.sum()) == 15 and bool(part_ok[units.nodes[14]].all())


def test_components_that_fit_are_left_alone() -> None:
    """A component of 30 fits two units of 15: nothing changes, even cut unevenly (12 + 18 here)."""
    n = 30
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    lab = np.r_[np.zeros(12, dtype=np.int64), np.full(18, 12)]
    units = Units(g.csr(), lab.copy(), size=g.w)
    part_ok = np.r_[np.zeros(12, dtype=bool), np.ones(18, dtype=bool)]
    assert remnant_cut(g, Settings(lo=15, hi=25, target=20.0), units, part_ok) == set()
    assert units.lab.tolist() == lab.tolist()


def test_banan_band_has_no_such_component() -> None:
    """Under 20–50 every size from 40 up fits a split: 51–59 households are two units within the band."""
    u, passed = fit(village(55, 0), lo=20, hi=50)
    assert (u["status"] == "ok").all() and len(u) == 2 and passed
