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
    return check_plan(hh, lab, Rules(3, 3, name="test"), graph=g, graph_kind="straight", unapplied=False)


def test_html_is_self_contained_and_complete():
    res = small_result()
    assert not res.passed
    for lang in ("zh", "en"):
        page = render_html(res, lang=lang)
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
        assert "http://" not in page and "https://" not in page
        assert "<script" not in page.lower() and "<link" not in page.lower()
        assert 'name="viewport"' in page and "@page{size:A4" in page
        assert ("内部工作资料" if lang == "zh" else "Internal working document") in page
        assert "Content-Security-Policy" in page and "script-src 'none'" in page
        for code in res.violations["code"]:
            assert code in page
        for u in res.units["unit_id"]:
            assert f"<td class='nw'>{u}</td>" in page
    zh, en = render_html(res), render_html(res, lang="en")
    assert "未通过" in zh and "直线邻近图" in zh and 'lang="zh-CN"' in zh
    assert "FAILED" in en and "straight-line" in en and 'lang="en"' in en
    assert "院落 A" in zh and "Unit A" in en


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
    vpath, upath = write_csv(res, tmp_path / "r.csv", lang="en")  # the files of ``check --csv``
    raw = vpath.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(vpath, encoding="utf-8-sig", dtype=str)
    assert len(back) == len(res.violations) and "Message" in back.columns
    units = pd.read_csv(upath, encoding="utf-8-sig", dtype=str)
    assert units["Unit ID"].tolist() == ["A", "B"] and upath.name == "r_units.csv"
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
    for lang in ("zh", "en"):
        path = write_html(res, tmp_path / f"andorra-{lang}.html", lang=lang)
        rep = open_in_chromium(path, viewport=(390, 844), evaluate={
            "rows": "document.querySelectorAll('tbody tr').length",
            "overflow": "document.documentElement.scrollWidth > window.innerWidth + 1",
            # the findings table (code, unit, level, message) fits the phone: in English its messages were cut
            "findings": "(() => { const t = [...document.querySelectorAll('td.msg')].map(td => td.closest('table'))[0];"
                        " return t ? t.scrollWidth <= t.parentElement.clientWidth + 1 : null; })()",
        })
        assert not rep.external_requests and not rep.console_errors
        assert not rep.csp_violations  # its one stylesheet is allowed by hash
        assert rep.counts["rows"] == len(res.units) + len(res.violations)
        assert rep.counts["overflow"] is False  # tables scroll inside their box on a phone
        assert rep.counts["findings"] is True, (lang, rep.counts)


# ------------------------------------------------------------------------ header, order, rules not checked
def test_header_order_and_rules_not_checked(monkeypatch):
    """Village, rule, date and input file on top; violations before the unit table; a rule whose column is
    absent says 未检查, never 是; the walking graph says it was straight lines when no DEM was given."""
    from yuanluo.planners.report import ReportInfo, report_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")  # 2025-11-30
    res = small_result()
    res.rules = Rules(3, 3, name="changshou", label="长寿区“寿和小院”")
    info = ReportInfo(village="甲村", input_file="农户.csv", date=report_date(), barriers=("rivers",),
                      columns=frozenset({"persons", "village"}))
    zh = render_html(res, info=info)
    for s in ("甲村", "3–3 户（长寿区“寿和小院”）", "2025-11-30", "农户.csv"):
        assert s in zh, s
    h2 = [zh.index(f'<h2 id="{a}">') for a in ("summary", "findings", "rules", "units")]
    assert h2 == sorted(h2) and zh.index('<ul class="toc">') < h2[1]  # the overview before the findings
    head = re.search(r"<dt>需有院落长候选人</dt><dd>(.*?)</dd>", zh).group(1)
    assert head == "未检查（农户表没有院落长候选人列）"
    assert re.search(r"<dt>保持自然院落完整</dt><dd>未检查", zh)
    assert "未检查：农户表没有村民小组列" in zh and "没有 group" not in zh  # it said "group"
    assert "按直线距离、平地步行计算（未提供高程，未考虑坡度）；河流阻断步行" in zh and "考虑坡度、河流" not in zh
    assert re.search(r'@bottom-right\{content:"第 " counter\(page\) " 页\\ff0c 共 " counter\(pages\) " 页"', zh)
    full = ReportInfo(dem="dem.tif", columns=frozenset({"head_candidate", "settlement", "village", "group"}))
    zh2 = render_html(res, info=full)
    assert re.search(r"<dt>需有院落长候选人</dt><dd>是</dd>", zh2) and "未检查" not in zh2
    assert "按高程 dem.tif 计算坡度的地形步行时间；未提供河流、水面" in zh2
    en = render_html(res, lang="en", info=info)
    assert "not checked (the household file has no candidate-head column)" in en and "Page " in en
    assert "3–3 households (Changshou District “Shouhe Courtyards”)" in en
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"甲村|农户\.csv|\\[0-9a-f]+ ", "", en.split("<body>")[1]))


def test_hostile_header_text_stays_in_its_strings():
    """Village and file names reach the HTML escaped and the CSS margin boxes as escaped CSS strings."""
    from yuanluo.planners.report import ReportInfo

    bad = '甲村"}</style><script>alert(1)</script>\\'
    page = render_html(small_result(), info=ReportInfo(village=bad, input_file=bad))
    assert "<script" not in page.lower() and page.count("</style>") == 1
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    tops = re.findall(r"@top-left\{content:(\"[^\"]*\");", css)
    assert tops and "\\22 " in tops[0] and "\\3c " in tops[0] and "\\5c " in tops[0]


def test_info_from_inputs():
    from pathlib import Path
    from types import SimpleNamespace

    from yuanluo.planners.report import info_from_inputs

    hh = pd.DataFrame({"village": ["乙村", "甲村"], "head_candidate": [True, False]})
    inp = SimpleNamespace(households=hh, paths={"households": Path("/x/农户.gpkg"), "dem": Path("/x/dem.tif")},
                          terrain=object(), rivers=None, water=object())
    info = info_from_inputs(inp, meeting_points=True)
    assert (info.village, info.input_file, info.dem, info.barriers) == ("乙村、甲村", "农户.gpkg", "dem.tif", ("water",))
    assert info.columns == {"village", "head_candidate"} and info.meeting_points


def _print_pdf(html_path, pdf_path):
    """Print a page to PDF in headless Chromium as a browser's "Save as PDF" does (CSS page size, margin boxes)."""
    import shutil
    import tempfile

    from browser import CHROMIUM_FLAGS, _font_env, chromium_path
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="yl-pdf-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path=chromium_path(), headless=True,
                                                        args=CHROMIUM_FLAGS, env=_font_env(profile))
            try:
                page = ctx.new_page()
                page.goto(html_path.resolve().as_uri(), wait_until="load")
                page.pdf(path=str(pdf_path), prefer_css_page_size=True)
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return pdf_path


@pytest.mark.browser
@pytest.mark.skipif(not ANDORRA.exists(), reason="Andorra sample data not present")
def test_andorra_report_prints_on_a4_without_an_empty_page(tmp_path):
    """Printed to PDF: every page numbered "第 n 页，共 m 页", and the last page holds the last unit rows."""
    import shutil
    import subprocess

    from browser import require_browser

    require_browser()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.planners.report import ReportInfo

    hh, labels = andorra_plan()
    res = check_plan(hh, labels, Rules(20, 50), graph=build_graph(hh), graph_kind="straight")
    path = write_html(res, tmp_path / "r.html", info=ReportInfo(village="Ordino", input_file="andorra.gpkg",
                                                                date="2025-11-30", columns=frozenset(hh.columns)))
    pdf = _print_pdf(path, tmp_path / "r.pdf").read_bytes()
    n = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert n >= 2
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip() or pages.index(p) < n]
    assert len(pages) == n
    for i, page in enumerate(pages, 1):
        assert f"第 {i} 页，共 {n} 页" in page and "Ordino" in page
    assert str(res.units["unit_id"].iloc[-1]) in pages[-1]  # no page holding only the footer


def test_check_command_report_says_what_it_could_not_check(tmp_path, monkeypatch):
    """``yuanluo check --report`` on a six-household CSV without a candidate-head column, no DEM, no rivers."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    hh = tmp_path / "农户.csv"
    rows = [f"H{i},{106.5 + i * 0.0005:.4f},29.5000,{2 + i % 3},甲村" for i in range(6)]
    hh.write_text("户编号,经度,纬度,人数,村\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "\n".join(f"H{i},{'AB'[i // 3]}" for i in range(6)) + "\n",
                    encoding="utf-8")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3",
                                   "--max", "3", "--report", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "<dd>农户.csv</dd>" in page and "<dd>2025-11-30</dd>" in page and "<dd>甲村</dd>" in page
    assert "未检查（农户表没有院落长候选人列）" in page
    assert "按直线距离、平地步行计算（未提供高程，未考虑坡度）；未提供河流、水面" in page


def test_an_unavoidable_exception_is_a_unit_of_its_own_kind():
    """An island below the floor (SIZE-EXCEPTION, a warning) is neither a violation nor "合规": the summary
    counts it as an exception unit and its row says 例外 with the code."""
    ids = list("abcdef")
    xy = [[50 * i, 0] for i in range(4)] + [[5000, 0], [5050, 0]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(0, 1), (1, 2), (2, 3), (4, 5)], crs=CRS)
    res = check_plan(hh, pd.Series(list("AAAABB"), index=ids), Rules(3, 4, name="test"), graph=g,
                     graph_kind="straight")
    assert res.passed and res.units["status"].tolist() == ["ok", "exception"]
    zh, en = render_html(res), render_html(res, lang="en")
    assert "<dt>符合规定的院落</dt><dd>1</dd><dt>例外院落</dt><dd>1</dd>" in zh
    assert "<td class='nw'>B</td><td class=\"num\">2</td><td class='nw'>例外</td><td class='codes'><span>无法避免的户数例外（<span class=\"cid\">SIZE-EXCEPTION</span>）</span></td>" in zh
    assert "<dt>Exception units</dt><dd>1</dd>" in en


def test_every_finding_of_the_check_has_words_beside_its_code() -> None:
    """The report listed bare codes in a Chinese page ("按代码统计：PLAN-LONG-JOIN × 4", a unit's "SIZE-EXCEPTION");
    each finding of the check now has a short name in both languages, shown before its code."""
    import tomllib
    from pathlib import Path

    import yuanluo.gis as G
    from yuanluo.gis.catalogue import has
    from yuanluo.planners.report import code_words

    sections = tomllib.loads((Path(G.__file__).parent / "messages" / "check.toml").read_text(encoding="utf-8"))
    findings = [k for k, v in sections.items() if k[:1].isupper() and "title" in v.get("zh", {}) and not k.startswith("CHECK-")
                and k not in ("PLAN-FILE", "PLAN-COLUMN", "PLAN-UNITS-LAYER", "MEETING-POINTS-TYPE", "UNITS-FAR")]  # input errors, never listed by unit
    assert len(findings) >= 25 and all(has(f"check.label.{k}") for k in findings), findings
    assert code_words("PLAN-LONG-JOIN", "zh") == "远距离相连（PLAN-LONG-JOIN）"
