"""The coverage report's list of households not covered showed each household's plain village: 新华村 of 甲镇 and
新华村 of 乙镇 read alike, while the report's coverage tables and service points said 甲镇/新华村 and 乙镇/新华村.
The list now names villages (and, without a village column, groups) as those do (planners.cover.level_names,
gis.keys.nest_labels) (session 35, fixer FB, defect 2)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site
from yuanluo.planners.cover_report import render_cover_report

CRS = "EPSG:4545"


def _coverage(cols: Mapping[str, Sequence[str | None]], per_level: dict[str, int]) -> object:
    n = 12
    ids = [f"{i:03d}" for i in range(n)]
    xy = np.c_[np.arange(n) * 400.0, np.zeros(n)]  # 6 minutes apart: most are beyond a 5-minute limit
    hh = gpd.GeoDataFrame({k: pd.Series(v, index=ids, dtype=object) for k, v in cols.items()},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    graph = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)
    return site(hh, graph, CoverPlan(per_level=per_level, limit_min=5))


def _uncovered_rows(page: str) -> dict[str, list[str]]:
    """Each household id of the list of households not covered -> its cells after the id."""
    part = page[page.index('id="uncovered"'):]
    part = part[: part.index("<h2", 10)] if "<h2" in part[10:] else part
    rows = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", part, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


TOWNS = {"乡镇": ["甲镇"] * 6 + ["乙镇"] * 6, "village": ["新华村"] * 12,
         "group": ["一组"] * 3 + ["二组"] * 3 + ["一组"] * 3 + ["二组"] * 3}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_village_name_of_two_towns_is_said_with_its_town(lang: str) -> None:
    rows = _uncovered_rows(render_cover_report(_coverage(TOWNS, {"village": 1}), lang=lang))
    assert len(rows) == 10, rows
    # beside the town column (session 37, helper B) the village is its own name, its town in the cell before it
    assert rows["000"][:3] == ["甲镇", "新华村", "一组"] and rows["011"][:3] == ["乙镇", "新华村", "二组"]
    assert {tuple(r[:2]) for r in rows.values()} == {("甲镇", "新华村"), ("乙镇", "新华村")}


def test_groups_without_villages_are_said_with_their_town_where_ambiguous() -> None:
    cols = {"乡镇": TOWNS["乡镇"], "group": ["一组"] * 6 + ["一组"] * 3 + ["三组"] * 3}
    rows = _uncovered_rows(render_cover_report(_coverage(cols, {"group": 1})))
    assert rows["000"][:2] == ["甲镇", "一组"] and rows["006"][:2] == ["乙镇", "一组"] and rows["011"][:2] == [
        "乙镇", "三组"]


def test_one_town_or_names_that_tell_apart_stay_plain() -> None:
    cols = {"乡镇": TOWNS["乡镇"], "village": ["新华村"] * 6 + ["胜利村"] * 6, "group": TOWNS["group"]}
    rows = _uncovered_rows(render_cover_report(_coverage(cols, {"village": 1})))
    assert {r[1] for r in rows.values()} == {"新华村", "胜利村"}
    blank: dict[str, list[str | None]] = {"village": ["新华村"] * 11 + [None], "group": [" 一组 "] * 12}
    rows = _uncovered_rows(render_cover_report(_coverage(blank, {"village": 1})))
    assert rows["011"][:2] == ["", "一组"] and rows["000"][:2] == ["新华村", "一组"]
