"""Session 45, helper D: the unit lists inside check's findings in the planner's order (``gis.plan.unit_sort_key``).

Session 44 (21fc103) put check's units table and its findings in natural order (U2 before U10, 二组二院落 before
二组十院落), but the lists of units a finding names were still sorted by code point: PLAN-DUP-ASSIGN's units
(U10、U2, and the first ten only: the ten a clerk reads were not the first ten), PLAN-OVERLAP and PLAN-ON-BOUNDARY's
units, PLAN-ID's shared polygon ids, PLAN-EMPTY-UNIT's ids and the rows the units table adds for empty units at
its end, PLAN-MEETING-UNKNOWN's units and the units a plan table marks 例外 or 锁定 (``marked_units``, which check
and repair print). Each now follows ``unit_sort_key``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from yuanluo.gis.check import check_plan
from yuanluo.gis.plan import (
    STATUS_ALIASES,
    assign_by_unit_polygons,
    marked_units,
    read_plan_table,
    unit_sort_key,
)
from yuanluo.gis.rules import Rules

RULES = Rules(1, 10, nest_by=(), keep_settlements=False, require_head=False)
NAMES = ["二组十院落", "U10", "二组二院落", "U2", "U1", "一组十一院落"]
NATURAL = sorted(NAMES, key=unit_sort_key)  # U1, U2, U10, 一组十一院落, 二组二院落, 二组十院落


def _households(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(10.0 * i, 0) for i in range(n)], crs="EPSG:32631",
                            index=pd.Index([f"H{i:02d}" for i in range(n)], name="hid"))


def _in_order(said: str, names: list[str]) -> list[str]:
    """The names of ``names`` that ``said`` gives, in the order it gives them."""
    return sorted((u for u in names if u in said), key=said.index)


def test_dup_assign_lists_units_in_natural_order(tmp_path: Path) -> None:
    hh = _households(2)
    plan = tmp_path / "p.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"H00,{u}\n" for u in NAMES) + "H01,U1\n", encoding="utf-8")
    got = read_plan_table(plan, hh)
    (p,) = [q for q in got.problems if q.code == "PLAN-DUP-ASSIGN"]
    assert _in_order(p.message("en"), NAMES) == NATURAL, p.message("en")
    # check's own reading of a labels series with a household twice
    labels = pd.Series(["U10", "U2", "U1"], index=["H00", "H00", "H01"])
    res = check_plan(hh, labels, RULES)
    row = res.violations[res.violations["code"] == "PLAN-DUP-ASSIGN"].iloc[0]
    assert list(row["units"]) == ["U2", "U10"], row["units"]
    assert _in_order(row["message_en"], ["U2", "U10"]) == ["U2", "U10"], row["message_en"]


def test_polygon_findings_list_units_in_natural_order() -> None:
    hh = _households(3)  # H00 at x=0 inside every polygon, H01 on no line, H02 at x=20
    polys = gpd.GeoDataFrame({"unit_id": [*NAMES, "U10", "U3", "U3", "U30"],  # U10, U3 twice: two villages
                              "村": [*["甲"] * len(NAMES), "乙", "甲", "乙", "甲"]}, crs="EPSG:32631", geometry=[
        *[box(-5, -5, 5, 5)] * len(NAMES),  # all overlap at H00
        box(100, 100, 101, 101), box(200, 200, 201, 201), box(300, 300, 301, 301),
        box(400, 400, 401, 401)])  # U30: empty
    got = assign_by_unit_polygons(hh, polys, "unit_id", file="u.gpkg")
    by = {q.code: q for q in got.problems}
    assert _in_order(by["PLAN-OVERLAP"].message("en"), NAMES) == NATURAL, by["PLAN-OVERLAP"].message("en")
    assert list(by["PLAN-ID"].ids) == ["U3", "U10"], by["PLAN-ID"].ids
    labels = got.labels
    res = check_plan(hh, labels, RULES, plan_problems=got.problems)
    empty = res.violations.loc[res.violations["code"] == "PLAN-EMPTY-UNIT", "unit_id"].tolist()
    assert empty == sorted(empty, key=unit_sort_key) and "U30" in empty and "U2" in empty, empty
    tail = res.units["unit_id"].tolist()[-len(empty):]  # the units table's rows for the empty units
    assert tail == sorted(tail, key=unit_sort_key), tail


def test_meeting_unknown_and_marked_units_in_natural_order(tmp_path: Path) -> None:
    hh = _households(2)
    labels = pd.Series(["A", "A"], index=["H00", "H01"])
    meet = pd.Series(["H00", "H00", "H00", "H01"], index=["U10", "U2", "A", "二组十院落"])
    res = check_plan(hh, labels, RULES, meeting_points=meet)
    row = res.violations[res.violations["code"] == "PLAN-MEETING-UNKNOWN"].iloc[0]
    assert list(row["hids"]) == ["二组十院落", "U2", "U10"], row["hids"]
    plan = tmp_path / "p.csv"
    plan.write_text("户编号,院落编号,状态\n" + "".join(f"H{i:02d},{u},例外\n" for i, u in enumerate(NAMES)),
                    encoding="utf-8")
    assert marked_units(plan, STATUS_ALIASES, {"例外"}) == NATURAL

