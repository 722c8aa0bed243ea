"""Session 42, helper M: the English reports wrote "Of 10000 households" and "38684.0 minutes" (auditor F).

English groups the thousands: the cover report's answer ("Of 10,000 households, …") and total walk ("walk 38,684.0
minutes in all"), and the check report's head counts ("Households 1,200"), now through one helper of the catalogue
layer (gis.catalogue.number). Chinese keeps its digits as they are (10000 户中), as its tables and messages have.

Fixture: 10 000 households' walks (cover report's answer) and 1 200 households in a row in units of 10 (check report);
en and zh.
"""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.planners.cover_report import _answer
from yuanluo.planners.report import render_html


def _coverage() -> SimpleNamespace:
    n = 10000
    walk = np.r_[np.full(9000, 3.0), np.full(900, 20.0), np.full(100, np.nan)]  # 27 000 + 18 000 minutes
    hh = pd.DataFrame({"walk_min": walk, "served": np.r_[np.ones(9000, bool), np.zeros(1000, bool)],
                       "code": [None] * 9900 + ["COVER-UNREACHABLE"] * 100}, index=[f"H{i:05d}" for i in range(n)])
    return SimpleNamespace(layers={"households": hh}, summary={"limit_min": 15.0})


def test_the_cover_reports_answer_groups_thousands_in_english() -> None:
    en, zh = _answer(_coverage(), "en", "15"), _answer(_coverage(), "zh", "15")  # type: ignore[arg-type]
    assert "Of 10,000 households, 9,000 can walk to a service point within 15 minutes (90.0%); 900 walk" in en, en
    assert "The 9,900 households that can reach a service point walk 45,000.0 minutes in all" in en, en
    assert "10000 户中，9000 户在 15 分钟内" in zh and "能走到服务点的 9900 户到最近服务点的步行共 45000.0 分钟" in zh, zh


def test_the_check_reports_counts_group_thousands_in_english() -> None:
    n, crs = 1200, "EPSG:32631"
    ids, xy = [f"H{i:04d}" for i in range(n)], [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame({"persons": pd.array([3] * n, dtype="Int64")}, geometry=points(xy), crs=crs,
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=crs)
    res = check_plan(hh, pd.Series([f"U{i // 10:03d}" for i in range(n)], index=ids), Rules(8, 12, name="t"),
                     graph=g, graph_kind="straight", unapplied=False)
    en, zh = render_html(res, lang="en"), render_html(res, lang="zh")
    assert "<dd>1,200</dd>" in en and "<dd>1200</dd>" not in en
    assert "<dd>1200</dd>" in zh and "1,200" not in zh
