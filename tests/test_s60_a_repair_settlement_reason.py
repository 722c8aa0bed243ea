"""A repair move said to keep a natural settlement in one unit says so only where the settlement ends whole.

The stepwise heuristic's settlement step moves a split settlement's households one at a time into the unit holding
most of it and stops where the next no longer fits under the ceiling; the moves made stand (the split then names
fewer households to move by hand: session 53). Each was said "moved so that its natural settlement stays in one
unit" / "为保持自然院落完整而调整" while the split was still a violation of the result (the hostile village of
session 56 with renamed units: H000079, H000129-H000131 and H000134, with PLAN-SETTLEMENT-SPLIT of S0002 and S0012
left; session 60, helper A, finding C). Such a move's reason is now ``settlement-part``: moved to the unit holding
most of its settlement, which is still split.

Fixture: a street of 10 households 50 m apart, units A = h0-h4 and B = h5-h9, band 4-6; settlement S = h2-h7
(6 households, fits a unit) split 3 / 3. Joining all of it to A would make A 8; no plan keeps every rule."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

from yuanluo import repair_plan
from yuanluo.gis.catalogue import text
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def _street() -> tuple[gpd.GeoDataFrame, TerrainGraph, pd.Series]:
    ids = [f"h{i}" for i in range(10)]
    xy = [[50 * i, 0] for i in range(10)]
    settle = [None, None, "S", "S", "S", "S", "S", "S", None, None]
    hh = gpd.GeoDataFrame({"settlement": settle}, geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(9)], crs=CRS)
    return hh, g, pd.Series(list("AAAAABBBBB"), index=ids)


def _split_after(res, hh: gpd.GeoDataFrame) -> bool:  # type: ignore[no-untyped-def]
    return res.labels[hh.index[hh["settlement"] == "S"]].nunique() > 1


def test_a_move_toward_a_settlement_left_split_says_it_is_still_split() -> None:
    hh, g, plan = _street()
    res = repair_plan(hh, plan, Rules(4, 6), g)
    assert not res.passed and _split_after(res, hh)
    assert "PLAN-SETTLEMENT-SPLIT" in set(res.check.violations["code"]), res.check.violations
    assert not res.moves.empty and set(res.moves["reason"]) == {"settlement-part"}, res.moves


@pytest.mark.parametrize(("lang", "says"), [("zh", "该自然院落仍被分开"), ("en", "the settlement is still split")])
def test_the_reason_reads_in_both_languages(lang: str, says: str) -> None:
    assert says in text("move.reason.settlement-part", lang)


def test_a_settlement_made_whole_keeps_its_reason() -> None:
    """Where the settlement can be made whole (a ceiling of 8), its moves say so and it ends in one unit."""
    hh, g, plan = _street()
    res = repair_plan(hh, plan, Rules(2, 8), g)
    assert res.passed and not _split_after(res, hh), res.reason_lines("en")
    assert "settlement-part" not in set(res.moves["reason"]), res.moves
