"""Session 42, helper O: the English reports' table cells (td.num) wrote "9000" under a sentence saying "9,000".

After gis.catalogue.number grouped the thousands of the reports' sentences (helper M), the tables beside them still
printed the bare digits: the cover report's walking bands ("Within 15 min | 9000"), its points' and areas' rows
(households, minutes), the check report's units table (households, persons, minutes); so did the maturity report's
village line. They now write numbers as the sentences do: English "9,000" / "1,234.5", Chinese the digits as they are.

Fixture: 10 000 households' walks (the cover report's bands); one point row of 10 000 households walking 1 234.5
minutes at most; 1 200 households in one unit of a row (check report); a village of 1 200 units (maturity report);
en and zh.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.planners.cover_report import _answer, _row
from yuanluo.planners.report import render_html


def _cells(page: str) -> list[str]:
    return re.findall(r'<td[^>]*class="num"[^>]*>([^<]*)</td>', page)


def _coverage() -> SimpleNamespace:
    walk = np.r_[np.full(9000, 3.0), np.full(900, 20.0), np.full(100, np.nan)]
    hh = pd.DataFrame({"walk_min": walk, "served": np.r_[np.ones(9000, bool), np.zeros(1000, bool)],
                       "code": [None] * 9900 + ["COVER-UNREACHABLE"] * 100}, index=[f"H{i:05d}" for i in range(10000)])
    return SimpleNamespace(layers={"households": hh}, summary={"limit_min": 15.0})


def test_the_cover_reports_band_cells_group_thousands_as_its_sentence() -> None:
    en, zh = _answer(_coverage(), "en", "15"), _answer(_coverage(), "zh", "15")  # type: ignore[arg-type]
    assert "9,000 can walk" in en and "9,000" in _cells(en) and "9000" not in _cells(en), _cells(en)
    assert "9000" in _cells(zh) and not any("," in c for c in _cells(zh)), _cells(zh)


def test_the_cover_reports_point_row_groups_thousands_in_english() -> None:
    cells = ["P001", "S1", np.int64(10000), 12.25, 1234.5]
    en, zh = _row(cells, {2, 3, 4}, lang="en"), _row(cells, {2, 3, 4}, lang="zh")
    assert _cells(en) == ["10,000", "12.2", "1,234.5"], en
    assert _cells(zh) == ["10000", "12.2", "1234.5"], zh
    assert ">P001<" in en  # an id is never grouped


def test_the_check_reports_units_table_groups_thousands_in_english() -> None:
    n, crs = 1200, "EPSG:32631"
    ids, xy = [f"H{i:04d}" for i in range(n)], [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame({"persons": pd.array([3] * n, dtype="Int64")}, geometry=points(xy), crs=crs,
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=crs)
    res = check_plan(hh, pd.Series(["U001"] * n, index=ids), Rules(8, 12, name="t"),
                     graph=g, graph_kind="straight", unapplied=False)
    en, zh = render_html(res, lang="en"), render_html(res, lang="zh")
    assert "<dd>1,200</dd>" in en  # the sentence above, as helper M left it
    assert {"1,200", "3,600"} <= set(_cells(en)) and not {"1200", "3600"} & set(_cells(en)), _cells(en)
    assert {"1200", "3600"} <= set(_cells(zh)) and not any("," in c for c in _cells(zh)), _cells(zh)


def test_the_maturity_reports_village_line_groups_thousands_in_english() -> None:
    from yuanluo.gis.maturity import CATEGORY_KEYS
    from yuanluo.planners.maturity import _village_line

    s = {"village": "新华村", "n_units": 1200, "n_full": 1100, "weakest": None, **{k: 3.0 for k in CATEGORY_KEYS}}
    en, zh = _village_line(s, "en"), _village_line(s, "zh")
    assert en.startswith("新华村: 1,200 units, 1,100 with all six rated;"), en
    assert zh.startswith("新华村：1200 个院落，六类全评 1100 个；"), zh
