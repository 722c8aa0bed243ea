"""Session 36 (helper GL): a unit bordered only by locked units was said mendable "only by changing the locked units
U007", the one locked unit the exact model's fewest moves happened to change (audit: U009 beside U005, U007, U008,
all locked; 000047 and 000050 from U005 mend it too). The reason now names every locked unit of the region as the
ones a mend must change one of, and the fewest moves found as one way; "unit" is singular where one is locked."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

ENV = {"COLUMNS": "400"}


def _street(labels: list[str]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    xs = [500000 + 60 * (k + 1) for k in range(len(labels))]
    ys = [3265000 + (15 if (k + 1) % 2 else 0) for k in range(len(xs))]
    hid = [f"H{k + 1:03d}" for k in range(len(xs))]
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), index=pd.Index(hid, name="hid"), crs="EPSG:4545")
    return hh, pd.Series(labels, index=hh.index)


RULES = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=None)


def _reason(labels: list[str], locked: list[str], lang: str) -> str:
    hh, plan = _street(labels)
    res = repair_plan(hh, plan, RULES, build_graph(hh, max_walk_min=1.0), locked=locked)
    assert not res.passed
    [line] = [x for x in res.reason_lines(lang) if x.startswith("SIZE-LOW")]
    return line


def test_two_locked_neighbours_are_both_named() -> None:
    """5|3|5 in 4–6, U1 and U3 locked: U2 takes one household of either; the reason names both as the locked
    units a mend changes one of, and the solution found as one way."""
    en = _reason(["U1"] * 5 + ["U2"] * 3 + ["U3"] * 5, ["U1", "U3"], "en")
    zh = _reason(["U1"] * 5 + ["U2"] * 3 + ["U3"] * 5, ["U1", "U3"], "zh")
    assert "it can be mended only by changing a locked unit (U1, U3): unlocked, the fewest moves the exact model " \
           "found change U" in en
    assert "the locked units U1:" not in en and "the locked units U3:" not in en
    assert "必须改动已锁定的院落（U1、U3）中的至少一个才能修复" in zh
    assert not re.search("[a-z]", zh), zh  # no English words in the Chinese reason


def test_one_locked_neighbour_is_singular() -> None:
    """5|3 in 4–6, U1 locked: "the locked unit U1" (it was "the locked units U1")."""
    en = _reason(["U1"] * 5 + ["U2"] * 3, ["U1"], "en")
    assert "it can be mended only by changing the locked unit U1: unlocked, the fewest moves the exact model found " \
           "include H005 from U1 to U2" in en
    assert "units" not in en
    zh = _reason(["U1"] * 5 + ["U2"] * 3, ["U1"], "zh")
    assert "只有改动已锁定的院落 U1 才能修复" in zh and "把 H005 从 U1 移到 U2" in zh

