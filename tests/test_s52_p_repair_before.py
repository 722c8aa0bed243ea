"""Session 52 (helper P): a repair's ``before`` is the plan as given checked as ``check`` checks it.

A unit's given meeting point typed into another unit is the error PLAN-MEETING of ``check_plan`` with the points as
given (``yuanluo check --plan`` of a result: the result's own points). The repair walks that unit to its centre and
checked the plan as given so too, so its ``before`` lacked that error: ``yuanluo repair`` said "2 violations before"
of a plan ``yuanluo check`` had just said 3 of (found by tests/test_s52_p_repair_property.py's village of eight).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

IDS = list("abcdef")
XY = [[50 * i, 0] for i in range(6)]


def _row() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    hh = gpd.GeoDataFrame(geometry=points(XY), crs="EPSG:32631", index=pd.Index(IDS, name="hid"))
    return hh, TerrainGraph.from_edges(IDS, XY, [(i, i + 1) for i in range(5)], crs="EPSG:32631")


def _errors(v: pd.DataFrame) -> list[tuple[str, str]]:
    v = v[v["severity"] == "error"]
    return sorted(zip(v["code"].astype(str), v["unit_id"].astype(str), strict=True))


@pytest.mark.parametrize("limit", [None, 10.0])
def test_before_is_the_check_of_the_plan_as_given(limit: float | None) -> None:
    """Units A = a..c (meeting at c) and B = d..f, band 3–3; c typed into B: A too small, B too large, and A's
    meeting point in B. The repair moves c back (its point with it) and says the three errors it mended."""
    hh, g = _row()
    rules = Rules(3, 3, max_walk_min=limit)
    plan = pd.Series(list("AABBBB"), index=IDS)
    meet = pd.Series({"A": "c", "B": "d"})
    given = check_plan(hh, plan, rules, graph=g, meeting_points=meet)
    assert _errors(given.violations) == [("PLAN-MEETING", "A"), ("SIZE-HIGH", "B"), ("SIZE-LOW", "A")]
    res = repair_plan(hh, plan, rules, g, meeting_points=meet)
    assert res.passed and res.moves["hid"].tolist() == ["c"]
    assert res.before is not None
    assert _errors(res.before.violations) == _errors(given.violations)
