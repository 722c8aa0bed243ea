"""The coverage report of ``yuanluo cover --report``: its numbers are the GeoPackage's, it escapes everything, it
carries a CSP, reads on a phone and prints on A4 without an empty trailing page."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pytest

from yuanluo.gis.graph import TerrainGraph

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


class _Rows(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _rows(page: str) -> list[list[str]]:
    p = _Rows()
    p.feed(page)
    return p.rows


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled sample through ``yuanluo cover``: 3 hubs over the area, mobile points within 10 minutes, 5 min
    counted as served (so that some households are not)."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app
    from yuanluo.planners.workflows import sample_paths

    d = tmp_path_factory.mktemp("coverreport")
    result = sample_paths()["households"].split("::")[0]
    out, report = d / "cover.gpkg", d / "cover.html"
    r = CliRunner().invoke(app, ["cover", result, "--hubs", "3", "--limit", "5", "--mobile-within", "10",
                                 "-o", str(out), "--report", str(report)], env={"SOURCE_DATE_EPOCH": "1764460800"})
    assert r.exit_code == 0, r.output
    return out, report


def test_the_report_holds_the_numbers_of_the_layers(sample_run: tuple[Path, Path]) -> None:
    out, report = sample_run
    page = report.read_text(encoding="utf-8")
    hh = gpd.read_file(out, layer="households")
    hubs = gpd.read_file(out, layer="hubs")
    cov = gpd.read_file(out, layer="coverage")
    total = cov.loc[cov["total"].astype(bool)].iloc[0]
    assert "Content-Security-Policy" in page and "<script" not in page
    assert "2025-11-30" in page and "andorra_ordino.gpkg" in page
    served = int(hh["served"].sum())
    assert f"{len(hh)} 户中，{served} 户在 5 分钟内" in page
    rows = _rows(page)
    bands = {r[0]: r[1] for r in rows if len(r) == 3}
    for b in (5, 10, 15):
        assert bands[f"{b} 分钟内"] == str(int(total[f"within_{b}"]))
    # every household not served is listed, with its nearest point and minutes
    listed = {r[0]: r for r in rows if r and r[0] in set(hh["hid"])}
    far = hh.loc[~hh["served"].astype(bool)]
    assert len(far) > 0 and set(far["hid"]) == set(listed)
    for rec in far.itertuples():
        assert listed[rec.hid][1] == rec.hub_id and listed[rec.hid][2] == f"{rec.walk_min:.1f}"
    assert f"未被覆盖的农户（{len(far)} 户）" in page
    # every service point with its households, mean and longest walk, under the heading of its level
    by_id = {r[0]: r for r in rows if r and re.fullmatch(r"P\d{3}", r[0])}
    assert set(by_id) == set(hubs["hub_id"])
    for rec in hubs.itertuples():
        assert by_id[rec.hub_id][1] == rec.site
        assert by_id[rec.hub_id][2:] == [str(rec.n_households), f"{rec.mean_walk_min:.1f}", f"{rec.max_walk_min:.1f}"]
    for level, n in hubs["level"].value_counts().items():
        words = {"hub": "片区服务点", "mobile": "流动服务点"}[level]
        assert re.search(rf'<h3 id="lv\d">{words} <span class="small">{n} 个</span></h3>', page), level
    assert ["合计", str(len(hh)), *(str(int(total[f"within_{b}"])) for b in (5, 10, 15)),
            str(int(total["unreachable"])), f"{100 * total['share_15']:.1f}"] in rows
    assert "片区服务点" in page and "流动服务点" in page and "与最优的差距至多" in page
    # what the walking minutes were computed over, and the methods in words of the report's language
    assert "<dt>步行图依据</dt><dd>按直线距离、平地步行计算（未提供高程，未考虑坡度）；未提供河流、水面，未考虑其阻隔</dd>" in page
    start = page.index("<h2 id=\"quality\">布点质量")
    quality = page[start:page.index("<h2", start + 1)]
    assert "求解方法" in quality and not re.search(r"[A-Za-z]{3,}", html.unescape(re.sub(r"<[^>]+>", "", quality)))


def test_every_siting_method_is_said_in_words() -> None:
    """The siting methods gis.cover names (its Siting.method values) each have words in the catalogue."""
    from yuanluo.gis.catalogue import has

    src = (Path(__file__).parents[1] / "gis" / "cover.py").read_text(encoding="utf-8")
    methods = set(re.findall(r'method="([a-z+\-]+)"', src)) | set(re.findall(r'\), "((?:exact|greedy)[a-z+\-]*)"', src))
    assert {"enumeration", "exact", "greedy+swap", "greedy+lp-bound"} <= methods
    assert [m for m in sorted(methods) if not has(f"coverreport.method.{m}")] == []


def test_a_report_is_refused_before_any_work_unless_it_is_html(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app
    from yuanluo.planners.workflows import sample_paths

    result = sample_paths()["households"].split("::")[0]
    r = CliRunner().invoke(app, ["cover", result, "--hubs", "3", "-o", str(tmp_path / "c.gpkg"),
                                 "--report", str(tmp_path / "c.txt")])
    assert r.exit_code == 2 and "OUT-SUFFIX" in r.output, r.output
    assert not (tmp_path / "c.gpkg").exists() and not (tmp_path / "c.txt").exists()


def test_hostile_ids_and_names_are_escaped_and_personal_columns_stay_out() -> None:
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report
    from yuanluo.planners.report import ReportInfo

    bad = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "a&b</style>", "d"]
    g = TerrainGraph.from_edges(bad, [[0, 0], [60, 0], [120, 0], [900, 0]], [(0, 1), (1, 2)], crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": ["<b>V</b>"] * 4, "group": ["</td></table>G"] * 4,
                           "name": ["张三秘"] * 4, "phone": ["13800009999"] * 4},
                          geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]), crs=g.crs, index=g.ids.copy())
    res = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}))
    page = render_cover_report(res, lang="en", info=ReportInfo(village="<b>V</b>", input_file="x</title>.gpkg",
                                                              date="2025-11-30"))
    body = page.split("</style>", 1)[1]
    for raw in bad[:3] + ["<b>V</b>", "</td></table>G", "x</title>"]:
        assert raw not in body
    assert html.escape("<b>V</b>") in body and "Cannot walk to any service point" in body
    assert "Households not covered (1)" in page  # d, across the water without a bridge
    assert "张三秘" not in page and "13800009999" not in page
    assert "<script" not in page and "script-src" in page and "Village hubs" in page
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", page)


@pytest.mark.browser
def test_the_report_on_a_phone_and_printed_on_a4(sample_run: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil
    import subprocess

    from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest
    from test_report import _print_pdf

    require_browser()
    _, report = sample_run
    rep = open_in_chromium(report, screenshot=ARTIFACTS / "cover_report_phone.png", viewport=(390, 844),
                           evaluate={"width": "document.documentElement.scrollWidth"})
    assert rep.counts["width"] <= 390
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests and not rep.dialogs
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = _print_pdf(report, tmp_path / "r.pdf").read_bytes()
    n = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip() or pages.index(p) < n]
    assert n >= 2 and len(pages) == n
    for i, text in enumerate(pages, 1):
        assert f"第 {i} 页，共 {n} 页" in text and "服务点步行覆盖报告" in text
    assert "不含姓名" in pages[-1]  # the last page holds the last paragraph, no empty trailing page


def test_fixed_points_and_the_coverage_objective_are_said_in_words() -> None:
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report

    g = TerrainGraph.from_edges(["a", "b", "c", "d"], [[0, 0], [60, 0], [120, 0], [900, 0]], [(0, 1), (1, 2)],
                                crs="EPSG:4545")
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]), crs=g.crs, index=g.ids.copy())
    hall = gpd.GeoDataFrame({"名称": ["<村委会>"]}, geometry=[hh.geometry.iloc[0]], crs=hh.crs)
    res = site(hh, g, CoverPlan(n_hubs=1, objective="coverage", limit_min=15.0), fixed=hall)
    page = render_cover_report(res, lang="zh")
    assert "保留 1 个现有服务点，位置不变。" in page and "&lt;村委会&gt;" in page and "<村委会>" not in page
    covered = int(res.summary["served"])
    assert f"15 分钟内覆盖 {covered} 户" in page and "现有固定服务点" in page and "片区服务点" in page
    assert "全部" in page and "合计" in page  # no village column: one table over all households
