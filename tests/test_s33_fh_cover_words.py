"""Session 33 (FH): what ``yuanluo cover`` says it optimised, --crs of a layer, COVER-P, the coverage layer."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from yuanluo.gis.catalogue import text
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, read_points, site
from yuanluo.planners.cover_report import _per_area, render_cover_report


def _line(n: int, villages: list[str], groups: list[str]) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"h{i:02d}" for i in range(n)]
    xy = [[500000.0 + 60 * i, 3300000.0] for i in range(n)]
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": villages, "group": groups}, geometry=[Point(*p) for p in xy],
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    return hh, g


def test_the_report_and_console_say_the_real_total_walk_was_proven_least() -> None:
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.cover import _summary_fields

    hh, g = _line(6, ["甲村"] * 6, ["1组"] * 3 + ["2组"] * 3)
    res = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=1.0))
    assert res.summary["penalty_min"] == 4.5  # the longest walk of any household to any site: h0 to h5
    page = render_cover_report(res, lang="zh")
    assert "罚分" not in page and "证明总步行时间最短" in page and "按 4.5 分钟计" in page
    en = render_cover_report(res, lang="en")
    assert "penalty" not in en and "proven to give the least total walk" in en and "counts at 4.5 minutes" in en
    C.set_lang("zh")
    line = C.msg("cli.cover.done", **_summary_fields(res.summary))
    assert "精确求解，总步行时间已证明最短（每村服务点、每组服务点）" in line
    cov = site(hh, g, CoverPlan(n_hubs=1, objective="coverage", limit_min=1.0))
    assert "精确求解，限时内覆盖户数已证明最多" in C.msg("cli.cover.done", **_summary_fields(cov.summary))


def test_crs_declares_a_table_never_overrides_a_layers_own(tmp_path) -> None:
    """--crs gcj02 given for the candidates table moved a --fixed GeoPackage in EPSG:4545 as if its metres were
    degrees (CRS-OVERRIDE, then COVER-SITE-FAR: the existing points dropped)."""
    f = tmp_path / "existing.gpkg"
    pts = gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[Point(500060.0, 3300000.0)], crs="EPSG:4545")
    pts.to_file(f, layer="points")
    got = read_points(str(f), "EPSG:4545", "fixed", crs="gcj02")
    assert (got.geometry.x.round(3).tolist(), got.geometry.y.round(3).tolist()) == ([500060.0], [3300000.0])
    assert "CRS-OVERRIDE" not in [p.code for p in got.attrs.get("warnings", [])]


def test_more_hubs_than_candidates_is_cover_p_when_every_candidate_is_usable() -> None:
    hh, g = _line(4, ["甲村"] * 4, ["1组"] * 4)
    try:
        site(hh, g, CoverPlan(n_hubs=9))
    except InputError as exc:
        assert exc.codes == ["COVER-P"] and "1 到 4 之间" in exc.problems[0].title("zh")
    else:
        raise AssertionError("no error")


def test_the_coverage_layer_and_the_wording_of_levels() -> None:
    hh, g = _line(4, ["甲村", "甲村", "乙村", "乙村"], ["1组", "2组", "1组", "1组"])
    cov = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1})).layers["coverage"]
    village_rows = cov[(cov["level"] == "village") & ~cov["total"]]
    # the roster's order (session 37; by name, 乙村 came first)
    assert village_rows["village"].tolist() == ["甲村", "乙村"] and village_rows["group"].tolist() == ["", ""]
    from yuanluo.gis.layerstyle import field_alias

    assert field_alias("group", "zh", layer="coverage") == "村民小组"
    for lvl in ("village", "group", "fixed"):  # QGIS's categories, the maps' and the report's: one wording
        assert text(f"style.level.{lvl}", "zh") == text(f"covermap.level.{lvl}", "zh")
    page = render_cover_report(site(hh, g, CoverPlan(per_level={"village": 1})), lang="zh")
    assert re.search("<td[^>]*>甲村</td>", page) and re.search("<td[^>]*>乙村</td>", page)  # data-h (session 39)


def _table(n_groups: int) -> pd.DataFrame:
    rows = [{"village": "甲村", "group": f"{i + 1}组", "total": False, "households": 1, "within_15": 1,
             "unreachable": 0, "share_15": 1.0, "level": "group"} for i in range(n_groups)]
    rows.append({"village": "", "group": "", "total": True, "households": n_groups, "within_15": n_groups,
                 "unreachable": 0, "share_15": 1.0, "level": "group"})
    return pd.DataFrame(rows)


def test_one_row_past_the_screen_is_shown_not_hidden_behind_a_line() -> None:
    one = _per_area(_table(11), "zh")
    assert "另有 1 行" not in one and 'class="extra"' not in one and "11组" in one
    two = _per_area(_table(12), "zh")
    assert "另有 2 行" in two and two.count('class="extra"') == 2
    assert np.all([("合计" in one), ("合计" in two)])
