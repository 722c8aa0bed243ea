"""The check and coverage reports on a phone: an overview on top whose lines link to their sections, findings
grouped by code (errors first), and long lists shortened on a screen with "…另有 N 条" while every row stays in the
file and in print (the rows hidden on a screen by CSS only, never by a closed ``<details>``, which does not print)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.errors import MAX_EXAMPLES
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import SHOW_FINDINGS, SHOW_ROWS, render_html, write_html

CRS = "EPSG:32631"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def many_findings():
    """64 households in a row 50 m apart, in 16 units of 4 under a 5–8 band: 15 SIZE-LOW errors; household 63
    given to the first unit (PLAN-NONCONTIG), an island of two far away (SIZE-EXCEPTION, a warning), and eight
    households in no unit (PLAN-UNASSIGNED: more ids than its message names)."""
    ids = [f"H{i:02d}" for i in range(74)]
    xy = [[50 * i, 0] for i in range(64)] + [[9000, 0], [9050, 0]] + [[50 * i, 500] for i in range(8)]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    edges = [(i, i + 1) for i in range(63)] + [(64, 65)] + [(i, i + 1) for i in range(66, 73)]
    g = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
    units: list[str | None] = [f"U{i // 4 + 1:02d}" for i in range(64)] + ["Z", "Z"] + [None] * 8
    units[63] = "U01"
    return check_plan(hh, pd.Series(units, index=ids, dtype=object), Rules(5, 8, name="test"), graph=g,
                      graph_kind="straight")


class _Page(HTMLParser):
    """Ids, in-page links, table rows (with their classes) and the headings of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.rows: list[str] = []
        self.h3: list[tuple[str, str]] = []
        self._h3: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a":
            self.links.append(a.get("href", ""))
        elif tag == "tr":
            self.rows.append(a.get("class") or "")
        elif tag == "h3":
            self.h3.append((a.get("id", ""), ""))
            self._h3 = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3" and self._h3 is not None:
            self.h3[-1] = (self.h3[-1][0], "".join(self._h3))
            self._h3 = None

    def handle_data(self, data: str) -> None:
        if self._h3 is not None:
            self._h3.append(data)


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_report_has_an_overview_linking_to_findings_grouped_by_code(lang: str) -> None:
    res = many_findings()
    counts = res.violations["code"].value_counts()
    assert counts["SIZE-LOW"] > SHOW_FINDINGS and {"PLAN-NONCONTIG", "SIZE-EXCEPTION"} <= set(counts.index)
    page = render_html(res, lang=lang)
    p = _parse(page)
    assert len(p.ids) == len(set(p.ids))
    for href in p.links:  # every link is in-page and lands on a section
        assert href.startswith("#") and href[1:] in p.ids, href
    toc = re.search(r'<ul class="toc">(.*?)</ul>', page, re.S)
    assert toc, "no overview"
    items = [(cls, a, re.sub("<[^>]+>", "", words), n) for cls, a, words, n in  # the code in a span.cid (s52 E)
             re.findall(r'<li class="(bad|warn)"><a href="#(f\d+)">(.*?)</a><span class="n">(\d+)</span></li>',
                        toc.group(1))]
    assert len(items) == len(counts)
    assert [cls for cls, *_ in items] == sorted((cls for cls, *_ in items), key=lambda c: c != "bad")  # errors first
    heads = dict(p.h3)
    for _, anchor, words, n in items:
        code = re.search(r"[A-Z]+(?:-[A-Z]+)+", words).group(0)
        assert int(n) == counts[code] and heads[anchor].startswith(words)
    for anchor in ("findings", "rules", "units"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    # one row per finding and one per unit, all in the file; on a screen the first few of each list
    extra = [c for c in p.rows if "extra" in c.split()]
    n_units, n_low = len(res.units), int(counts["SIZE-LOW"])
    assert len(p.rows) == len(counts) + 1 + len(res.violations) + n_units  # a header row per table
    assert len(extra) == (n_low - SHOW_FINDINGS) + (n_units - SHOW_ROWS)
    more = {"zh": f"……另有 {n_low - SHOW_FINDINGS} 条", "en": f"… and {n_low - SHOW_FINDINGS} more"}[lang]
    assert more in page and page.count('<details class="more">') == 2
    assert "@media print{" in page and "details.more,details.ids{display:none}" in page
    # a fix shared by every finding of a code is said once, under its group
    fix = {"zh": "处理办法：", "en": "Fix: "}[lang]
    low = page[page.index(heads_id(p, "SIZE-LOW")):]
    low = low[:low.index("<h3", 1)]
    assert low.count(fix) == 1
    # a finding naming more households than its message lists: all of them in the file, behind "列出全部" on a screen
    assert counts["PLAN-UNASSIGNED"] == 1 and MAX_EXAMPLES < 8
    show = {"zh": "列出全部 8 个户编号", "en": "List all 8 household ids"}[lang]
    sep = {"zh": "、", "en": ", "}[lang]
    assert page.count('<details class="ids">') == 1 and show in page
    assert re.search(r'<div class="allids">[^<]*' + sep.join(f"H{i}" for i in range(66, 74)) + "</div>", page)
    assert "td:not(:has(details.ids[open])) div.allids{display:none}" in page
    assert render_html(res, lang=lang) == page  # the same input, the same bytes


def heads_id(p: _Page, code: str) -> str:
    return next(f'<h3 id="{i}"' for i, words in p.h3 if f"({code})" in words or f"（{code}）" in words)


def many_uncovered():
    """72 households of one village in 15 groups, 12 of them cut off; a 1-minute limit leaves most not covered."""
    from yuanluo.planners.cover import CoverPlan, site

    n, iso = 60, 12
    ids = [f"H{i:03d}" for i in range(n + iso)]
    xy = [[100.0 * i, 0.0] for i in range(n)] + [[100.0 * i, 5000.0] for i in range(iso)]
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")
    groups = [f"{i // 4 + 1}组" for i in range(n)] + ["1组"] * iso
    hh = gpd.GeoDataFrame({"village": ["甲村"] * (n + iso), "group": groups},
                          geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]), crs=g.crs, index=g.ids.copy())
    return site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=1.0))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_report_has_an_overview_and_shortens_its_lists_on_a_screen(lang: str) -> None:
    from yuanluo.planners.cover_report import render_cover_report

    res = many_uncovered()
    hh, hubs = res.layers["households"], res.layers["hubs"]
    page = render_cover_report(res, lang=lang)
    p = _parse(page)
    assert len(p.ids) == len(set(p.ids)) and p.links
    for href in p.links:
        assert href.startswith("#") and href[1:] in p.ids, href
    n_unreach = int((hh["code"] == "COVER-UNREACHABLE").sum())
    n_far = int((hh["code"] == "COVER-FAR").sum())
    assert n_unreach > SHOW_ROWS and n_far > SHOW_ROWS
    toc = re.search(r'<ul class="toc">(.*?)</ul>', page, re.S).group(1)
    assert re.search(rf'<li class="bad"><a href="#nc-unreachable">[^<]+</a><span class="n">{n_unreach}</span>', toc)
    assert re.search(rf'<li class="warn"><a href="#nc-far">[^<]+</a><span class="n">{n_far}</span>', toc)
    n_group_hubs = int((hubs["level"] == "group").sum())
    assert n_group_hubs > SHOW_ROWS and re.search(rf'<a href="#lv\d">[^<]+</a><span class="n">{n_group_hubs}</span>', toc)
    for hid in hh.index[~hh["served"].astype(bool)]:  # every household not covered is in the file
        assert re.search(f"<td[^>]*>{re.escape(hid)}</td>", page), hid  # data-h: its heading (session 39)
    extra = [c for c in p.rows if "extra" in c.split()]
    n_groups = int(((res.layers["coverage"]["level"] == "group") & ~res.layers["coverage"]["total"]).sum())
    assert len(extra) == (n_unreach - SHOW_ROWS) + (n_far - SHOW_ROWS) + (n_group_hubs - SHOW_ROWS) + (
        n_groups - SHOW_ROWS)
    assert not [c for c in p.rows if "total" in c.split() and "extra" in c.split()]  # the total row always shows
    more = {"zh": f"……另有 {n_far - SHOW_ROWS} 户", "en": f"… and {n_far - SHOW_ROWS} more"}[lang]
    assert more in page
    assert render_cover_report(res, lang=lang) == page


def _phone(path: Path, shot: Path, *, click: bool = False) -> dict:
    """Rows and height of a page at 390 × 844: on the screen (after opening the first "…另有" when ``click``) and
    in print media."""
    import tempfile

    from browser import CHROMIUM_FLAGS, _font_env, chromium_path
    from playwright.sync_api import sync_playwright

    shown = "[...document.querySelectorAll('tbody tr')].filter(r => r.getClientRects().length).length"
    profile = tempfile.mkdtemp(prefix="yl-phone-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path=chromium_path(), headless=True,
                                                        args=CHROMIUM_FLAGS, env=_font_env(profile),
                                                        viewport={"width": 390, "height": 844})
            try:
                page = ctx.new_page()
                page.goto(path.resolve().as_uri(), wait_until="load")
                out = {"rows": page.evaluate(shown), "height": page.evaluate("document.documentElement.scrollHeight"),
                       "width": page.evaluate("document.documentElement.scrollWidth")}
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot))
                page.click("details.more summary")
                out["opened"] = page.evaluate(shown)
                page.click("details.more summary")
                out["closed"] = page.evaluate(shown)
                ids = "[...document.querySelectorAll('div.allids')].filter(d => d.getClientRects().length).length"
                out["ids_shown"] = page.evaluate(ids)
                if page.query_selector("details.ids summary"):
                    page.click("details.ids summary")
                out["ids_opened"] = page.evaluate(ids)
                page.emulate_media(media="print")
                out["print"] = page.evaluate(shown)
                out["ids_print"] = page.evaluate(ids)
                out["print_toggles"] = page.evaluate(
                    "[...document.querySelectorAll('details.more, details.ids')].filter(d => d.getClientRects().length).length")
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out


@pytest.mark.browser
def test_on_a_phone_the_lists_are_short_and_printed_in_full(tmp_path: Path) -> None:
    from browser import require_browser

    require_browser()
    from yuanluo.planners.cover_report import render_cover_report

    res = many_findings()
    total = len(res.violations) + len(res.units)
    cover = many_uncovered()
    (tmp_path / "cover.html").write_text(render_cover_report(cover, lang="en"), encoding="utf-8")
    for name, path in (("check", write_html(res, tmp_path / "check.html")), ("cover", tmp_path / "cover.html")):
        got = _phone(path, ARTIFACTS / f"report_phone_{name}.png")
        assert got["width"] <= 390, got
        # fewer rows on the screen; opening "…另有" shows more, closing it hides them again; print shows all
        assert got["rows"] < got["print"] and got["closed"] == got["rows"] < got["opened"], got
        assert got["print_toggles"] == 0, got  # "…另有 N 条" is never printed
        rows = path.read_text(encoding="utf-8").count("<tr") - path.read_text(encoding="utf-8").count("<thead>")
        assert got["print"] == rows, got
        if name == "check":
            hidden = int(res.violations["code"].eq("SIZE-LOW").sum()) - SHOW_FINDINGS + len(res.units) - SHOW_ROWS
            assert got["print"] == total and got["rows"] == total - hidden, got
            assert (got["ids_shown"], got["ids_opened"], got["ids_print"]) == (0, 1, 1), got


@pytest.mark.browser
def test_printed_to_pdf_every_finding_and_unit_is_there(tmp_path: Path) -> None:
    from browser import require_browser
    from test_report import _print_pdf

    require_browser()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    res = many_findings()
    path = write_html(res, tmp_path / "r.html", lang="en")
    _print_pdf(path, tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for u in res.units["unit_id"]:
        assert re.search(rf"\b{u}\b", text), u
    low = res.violations.loc[res.violations["code"] == "SIZE-LOW", "unit_id"]
    for u in low:  # each SIZE-LOW finding printed: "Unit U05 has 4 households, below the minimum of 5."
        assert f"Unit {u} has" in text, u
    for i in range(66, 74):  # all eight households in no unit, though the message names five
        assert f"H{i}" in text, i
    assert "tap to show" not in text and "List all" not in text and "tap one to go" not in text
