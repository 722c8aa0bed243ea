"""Session 36 (helper GL): an island household typed into another island's exception unit was not mended.

Audit s36 (planD1.csv): the delineation's plan of the two-town Andorra roster with 000064 (its 1-household island
unit U006) typed into U005, a 12-household island exception unit. ``yuanluo repair`` moved nothing, exit 1:
"PLAN-NONCONTIG（院落 U005）：精确模型求出了…最少调整方案，但该方案仍违反这条规则" with "以下连通片区的规模无法分成
20–50 的院落：12（…）；1（000064）". The exact model gave each island the unit holding most of it, a unit to one
island only: the second island in U005 got none and was left where it was (or, taken out as a cut-off piece, put
back into U005, the model not seeing U005's 12 others outside its region). Now a unit goes to the island holding
most of it (islands outside the region count), and an island left without one is a new unit of its own; the
blocks reason names no island, which the check excuses as one exception unit.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

ENV = {"COLUMNS": "400"}


def _street(labels: list[str], islands: list[list[str]]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Households 60 m apart along a street (``labels``), then each island's households 20 km further on each (no
    link reaches them), each household with the unit the plan types it into."""
    xs = [500000 + 60 * (k + 1) for k in range(len(labels))]
    for i, isle in enumerate(islands):
        xs += [500000 + 20000 * (i + 1) + 60 * k for k in range(len(isle))]
    ys = [3265000 + (15 if (k + 1) % 2 else 0) for k in range(len(xs))]
    hid = [f"H{k + 1:03d}" for k in range(len(xs))]
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), index=pd.Index(hid, name="hid"), crs="EPSG:4545")
    return hh, pd.Series(labels + [u for isle in islands for u in isle], index=hh.index)


@pytest.mark.parametrize("walk", [None, 3.0])
@pytest.mark.parametrize("first", [True, False])
def test_an_island_typed_into_another_islands_unit(walk: float | None, first: bool) -> None:
    """5|5 in 4–6, an island of 3 (U3) and one of 1 typed into U3 (its own unit U4 gone), the small island first
    or last: one move, the small island a unit of its own, and the check passes (both islands SIZE-EXCEPTION)."""
    isles = [["U3"], ["U3"] * 3] if first else [["U3"] * 3, ["U3"]]
    hh, plan = _street(["U1"] * 5 + ["U2"] * 5, isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
    g = build_graph(hh, max_walk_min=1.0)
    assert not check_plan(hh, plan, rules, graph=g).passed
    res = repair_plan(hh, plan, rules, g)
    lone = "H011" if first else "H014"
    assert res.passed, res.reason_lines("en")
    assert res.moves.values.tolist() == [[lone, "U3", "U3-2", "island"]]
    after = check_plan(hh, res.labels, rules, graph=g)
    assert after.passed
    assert sorted(after.violations[["code", "unit_id"]].values.tolist()) == [["SIZE-EXCEPTION", "U3"],
                                                                            ["SIZE-EXCEPTION", "U3-2"]]


def test_no_island_is_named_as_a_block_that_cannot_be_cut() -> None:
    """U3 holding both islands locked: the plan cannot be mended, and the reasons do not say the islands' sizes
    (1 and 3) cannot be cut into units of 4–6, which the check excuses each as one unit (the old reasons did)."""
    hh, plan = _street(["U1"] * 5 + ["U2"] * 5, [["U3"], ["U3"] * 3])
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=None)
    res = repair_plan(hh, plan, rules, build_graph(hh, max_walk_min=1.0), locked=["U3"])
    assert not res.passed and "PLAN-NONCONTIG" in set(res.check.violations["code"])
    assert not [k for k, _ in res.reasons if k == "repair.reason.blocks"], res.reason_lines("en")
    assert "cannot be cut" not in "\n".join(res.reason_lines("en"))
    assert "无法分成" not in "\n".join(res.reason_lines("zh"))

