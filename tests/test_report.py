"""Tests of yuanluo.planners.report: self-contained HTML (zh/en), JSON and CSV; a real-data check of Andorra."""

from __future__ import annotations

import html
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from paths import ANDORRA_GPKG
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import render_html, write_csv, write_html, write_json

CRS = "EPSG:32631"
ANDORRA = ANDORRA_GPKG


def small_result():
    """Row of 6 households (50 m apart), units A = a,b,c and B = d,e,f; f given to A -> violations."""
    ids = list("abcdef")
    xy = [[50 * i, 0] for i in range(6)]
    hh = gpd.GeoDataFrame({"persons": pd.array([2, 3, 1, 4, 2, 2], dtype="Int64")}, geometry=points(xy),
                          crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(5)], crs=CRS)
    lab = pd.Series(list("AAABBA"), index=ids)
    return check_plan(hh, lab, Rules(3, 3, name="test"), graph=g, graph_kind="straight")


def test_html_is_self_contained_and_complete():
    res = small_result()
    assert not res.passed
    for lang in ("zh", "en"):
        page = render_html(res, lang=lang)
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
        assert "http://" not in page and "https://" not in page
        assert "<script" not in page.lower() and "<link" not in page.lower()
        assert 'name="viewport"' in page and "@page{size:A4" in page
        assert ("内部工作用图" if lang == "zh" else "Internal working map") in page
        assert "Content-Security-Policy" in page and "script-src 'none'" in page
        for code in res.violations["code"]:
            assert code in page
        for u in res.units["unit_id"]:
            assert f"<td>{u}</td>" in page
    zh, en = render_html(res), render_html(res, lang="en")
    assert "未通过" in zh and "直线邻近图" in zh and 'lang="zh-CN"' in zh
    assert "FAILED" in en and "straight-line" in en and 'lang="en"' in en
    assert "院落 A" in zh and "unit A" in en


def test_html_escapes_and_title(tmp_path):
    res = small_result()
    page = render_html(res, title="<测试> & 村")
    assert "&lt;测试&gt; &amp; 村" in page and "<测试>" not in page
    p = write_html(res, tmp_path / "r.html")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_json_and_csv(tmp_path):
    res = small_result()
    doc = json.loads(write_json(res, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["summary"]["passed"] is False
    assert len(doc["violations"]) == len(res.violations)
    assert [u["unit_id"] for u in doc["units"]] == ["A", "B"]
    vpath, upath = write_csv(res, tmp_path / "r.csv")
    raw = vpath.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(vpath, encoding="utf-8-sig", dtype=str)
    assert len(back) == len(res.violations) and "message_zh" in back.columns
    units = pd.read_csv(upath, encoding="utf-8-sig", dtype=str)
    assert units["unit_id"].tolist() == ["A", "B"] and upath.name == "r_units.csv"
    assert not list(tmp_path.glob("*.tmp"))


def andorra_plan():
    """Ordino parish building points grouped by their nearest place node (hamlet, village ...)."""
    parishes = gpd.read_file(ANDORRA, layer="parishes").to_crs(CRS)
    ordino = parishes[parishes["name"].str.contains("Ordino")]
    pts = gpd.read_file(ANDORRA, layer="building_points").to_crs(CRS)
    pts = pts[pts.within(ordino.union_all())]
    hh = pts.assign(hid=pts["osm_id"].astype(str)).set_index("hid")[["building", "geometry"]]
    hh = hh[~hh.index.duplicated()]
    places = gpd.read_file(ANDORRA, layer="places").to_crs(CRS)
    places = places[places.within(ordino.union_all().buffer(500))][["name", "geometry"]]
    near = gpd.sjoin_nearest(hh, places, how="left").groupby(level=0).first()
    labels = near["name"].reindex(hh.index).astype("string")
    return hh, labels


@pytest.mark.skipif(not ANDORRA.exists(), reason="Andorra sample data not present")
def test_andorra_hand_made_plan(tmp_path):
    from yuanluo.gis.neighbours import build_graph

    hh, labels = andorra_plan()
    g = build_graph(hh)
    mp = labels.groupby(labels).apply(lambda s: s.index.sort_values()[0])
    res = check_plan(hh, labels, Rules(20, 50, name="banan", max_walk_min=15.0), graph=g, graph_kind="straight",
                     meeting_points=mp)
    assert res.n_households == len(hh) > 300
    assert res.units["n_households"].sum() == res.n_assigned == len(hh)
    assert {"SIZE-HIGH", "SIZE-LOW"} <= set(res.violations["code"])  # nearest-hamlet groups ignore the band
    page = render_html(res, title="Ordino (Andorra) — nearest-hamlet plan")
    assert "http://" not in page and "https://" not in page
    for u in res.units["unit_id"]:
        assert html.escape(str(u)) in page
    out = write_html(res, tmp_path / "andorra.html")
    assert out.stat().st_size > 1000
    np.testing.assert_array_equal(res.units["unit_id"], np.sort(res.units["unit_id"]))


@pytest.mark.browser
@pytest.mark.skipif(not ANDORRA.exists(), reason="Andorra sample data not present")
def test_andorra_report_in_headless_chromium(tmp_path):
    from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

    require_browser()
    from yuanluo.gis.neighbours import build_graph

    hh, labels = andorra_plan()
    res = check_plan(hh, labels, Rules(20, 50), graph=build_graph(hh), graph_kind="straight")
    path = write_html(res, tmp_path / "andorra.html")
    rep = open_in_chromium(path, viewport=(390, 844), evaluate={
        "rows": "document.querySelectorAll('tbody tr').length",
        "overflow": "document.documentElement.scrollWidth > window.innerWidth + 1",
    })
    assert not rep.external_requests and not rep.console_errors
    assert not rep.csp_violations  # its one stylesheet is allowed by hash
    assert rep.counts["rows"] == len(res.units) + len(res.violations)
    assert rep.counts["overflow"] is False  # tables scroll inside their box on a phone
