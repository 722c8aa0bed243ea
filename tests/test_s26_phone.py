"""Audit s26 (P), the pages on a phone: the maturity map's panel clear of the stamp and title at 390 and 360 px;
the household card beside the search box and locate button in landscape (844 × 390); the check and coverage
reports' links and toggles at least 40 px tall on a phone and unchanged in print; the maturity report's hexagon
as wide as the phone's column (labels ≥ 12 px) and unchanged in print."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from browser import CHROMIUM_FLAGS, _font_env, chromium_path, require_browser
from typer.testing import CliRunner

from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
pytestmark = pytest.mark.browser


def _open(path: Path, viewport: tuple[int, int], script: str, *, shot: str | None = None,
          media: tuple[str, ...] = ("screen",)) -> dict[str, Any]:
    """``script`` evaluated on the page at ``viewport``, once per media (``screen``, ``print``); the page must log
    no error and break no Content-Security-Policy rule."""
    from playwright.sync_api import sync_playwright

    require_browser()
    out: dict[str, Any] = {}
    profile = tempfile.mkdtemp(prefix="yl-s26-")
    try:
        env: dict[str, str | float | bool] = dict(_font_env(profile))
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS, env=env, viewport={"width": viewport[0], "height": viewport[1]},
                is_mobile=True, has_touch=True, device_scale_factor=2)
            try:
                errors: list[str] = []
                page = ctx.new_page()
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                for m in media:
                    page.emulate_media(media=m)  # type: ignore[arg-type]
                    out[m] = page.evaluate(f"() => ({script})")
                    if shot and m == "screen":
                        ARTIFACTS.mkdir(exist_ok=True)
                        page.screenshot(path=str(ARTIFACTS / shot))
                assert errors == [], errors  # a CSP violation is logged as an error too
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result of four units scored for 2026Q4; its maturity map and report and its field map, zh and en."""
    from yuanluo.planners.cli.app import app

    d = tmp_path_factory.mktemp("s26phone")
    layers = sample_layers(100, block=5)
    write_layers(d / "result.gpkg", {k: v for k, v in layers.items() if k != "run"})
    M.write_template(d / "result.gpkg", d / "t.xlsx")
    wb = openpyxl.load_workbook(d / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6, "2026Q4")
        for c in range(9, 27):
            ws.cell(r, c, 3 + (r + c) % 7)
    wb.save(d / "s.xlsx")
    for lang in ("zh", "en"):
        res = CliRunner().invoke(app, ["--lang", lang, "maturity", "load", str(d / "result.gpkg"), str(d / "s.xlsx"),
                                       "-o", str(d / f"mat_{lang}.gpkg"), "--report", str(d / f"mat_report_{lang}.html"),
                                       "--map", str(d / f"mat_map_{lang}.html")])
        assert res.exit_code == 0, res.output
        res = CliRunner().invoke(app, ["--lang", lang, "map", str(d / "result.gpkg"), "-o", str(d / f"map_{lang}.html")])
        assert res.exit_code == 0, res.output
    return d


BOXES = """[...document.querySelectorAll('.yl-stamp, .yl-title, .yl-maturity-panel')].map(e => {
  const r = e.getBoundingClientRect(); return [e.className, r.left, r.top, r.right, r.bottom]; })"""


def _apart(a: list, b: list) -> bool:
    return a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [390, 360])
def test_the_maturity_panel_leaves_the_stamp_and_title_readable(pages: Path, lang: str, width: int) -> None:
    """Defect 2: at 390 px the folded "Service maturity ▾" panel (top right) lay over the "Internal working map"
    stamp and the page title (in Chinese over the title's right 21 px): on a narrow screen it now starts below
    them. No two of stamp, title and panel overlap, and all three are on the screen."""
    boxes = _open(pages / f"mat_map_{lang}.html", (width, 844), BOXES, shot=f"s26_mat_map_{lang}_{width}.png")["screen"]
    assert len(boxes) == 3, boxes
    for i, a in enumerate(boxes):
        assert 0 <= a[1] and a[3] <= width and 0 <= a[2] and a[4] <= 844, a
        for b in boxes[i + 1:]:
            assert _apart(a, b), (a, b)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_wide_screen_the_maturity_panel_stays_at_the_top(pages: Path, lang: str) -> None:
    boxes = _open(pages / f"mat_map_{lang}.html", (1200, 800), BOXES)["screen"]
    panel = [b for b in boxes if "yl-maturity-panel" in b[0]][0]
    assert panel[2] <= 12, panel


CARD = """(() => {
  const Y = window.yuanluo, D = Y.households;
  const p = Y.map.latLngToContainerPoint([D.xy.lat[0], D.xy.lon[0]]);
  Y.map.fire('click', {containerPoint: p, latlng: Y.map.containerPointToLatLng(p)});
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const card = document.querySelector('[data-card="household"]').closest('.yl-card');
  return {card: box(card), controls: [...document.querySelectorAll(
    '.yl-search input, .leaflet-control-locate, .leaflet-control-zoom, .yl-stamp, .yl-title')].map(box)};
})()"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_in_landscape_the_household_card_leaves_the_search_box_and_locate_button_free(pages: Path, lang: str) -> None:
    """Defect 4: at 844 × 390 the card (a panel at the lower left) covered the search box and most of the locate
    button, so the official had to close it to search again: it now stands beside the controls, below the title,
    and shows more rows than before (about 200 px)."""
    r = _open(pages / f"map_{lang}.html", (844, 390), CARD, shot=f"s26_map_{lang}_landscape_card.png")["screen"]
    card = r["card"]
    assert len(r["controls"]) == 5, r
    for c in r["controls"]:
        assert c[2] <= card[0] or card[2] <= c[0] or c[3] <= card[1] or card[3] <= c[1], (c, card)
    assert card[2] <= 844 and card[3] <= 390 and card[3] - card[1] > 220, card


def test_in_portrait_the_household_card_is_still_a_bottom_sheet(pages: Path) -> None:
    card = _open(pages / "map_zh.html", (390, 844), CARD)["screen"]["card"]
    assert card[0] == 0 and card[2] == 390 and card[3] == 844, card


TAPS = """[...document.querySelectorAll('a, details summary')].filter(e => e.getClientRects().length).map(e => {
  const r = e.getBoundingClientRect(); return [e.textContent.trim().slice(0, 20), Math.round(r.height)]; })"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reports_links_and_toggles_are_big_enough_to_tap_on_a_phone(tmp_path: Path, lang: str) -> None:
    """Defect 5: in the check and coverage reports the jump links were 20 px tall ("规则" 28 × 20) and the
    "列出全部 … 个户编号" toggles 25 px: on a phone every link and toggle is now at least 40 px tall (by padding,
    the text keeps its size); printed, the links are as before (one line)."""
    from test_report_phone import many_findings, many_uncovered

    from yuanluo.planners.cover_report import render_cover_report
    from yuanluo.planners.report import render_html

    (tmp_path / "check.html").write_text(render_html(many_findings(), lang=lang), encoding="utf-8")
    (tmp_path / "cover.html").write_text(render_cover_report(many_uncovered(), lang=lang), encoding="utf-8")
    for name in ("check", "cover"):
        r = _open(tmp_path / f"{name}.html", (390, 844), TAPS, shot=f"s26_{name}_{lang}.png", media=("screen", "print"))
        assert r["screen"] and any(t[0] for t in r["screen"]), r
        small = [t for t in r["screen"] if t[1] < 40]
        assert not small, (name, small)
        assert all(t[1] < 30 for t in r["print"]), (name, r["print"])


RADAR = """[...document.querySelectorAll('svg.yl-radar')].map(s => {
  const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width, t = s.querySelector('text');
  return [s.getBoundingClientRect().width, parseFloat(getComputedStyle(t).fontSize) * k]; })"""


@pytest.fixture(scope="module")
def wide_radar(pages: Path) -> dict[str, list]:
    """The report's hexagons read on a wide screen (1200 × 800), per language: the same page at the same size for
    both phone widths, so read once."""
    return {lang: _open(pages / f"mat_report_{lang}.html", (1200, 800), RADAR)["screen"] for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [390, 360])
def test_the_maturity_reports_hexagon_is_readable_on_a_phone(pages: Path, wide_radar: dict[str, list], lang: str,
                                                              width: int) -> None:
    """Defect 6: the report's hexagons were drawn 202 px wide whatever the screen, their labels 9.3 px (the map's
    card uses 12 px): on a phone each hexagon now fills its card's width, labels ≥ 12 px; printed (and on a wide
    screen) it is drawn as before, 202 px wide."""
    r = _open(pages / f"mat_report_{lang}.html", (width, 844), RADAR, shot=f"s26_mat_report_{lang}_{width}.png",
              media=("screen", "print"))
    assert len(r["screen"]) == 4, r
    for w, size in r["screen"]:
        assert size >= 12 and w > 250, r["screen"]
    assert all(round(w) == 202 for w, _ in r["print"]), r["print"]
    wide = wide_radar[lang]
    assert all(round(w) == 202 for w, _ in wide), wide
