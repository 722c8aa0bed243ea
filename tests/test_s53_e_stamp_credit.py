"""Session 53, helper E (second round): the stamp and the folded credit on a phone, the reports' header.

- The stamp "Internal working map", one line centred on the map, ran under the zoom and layers buttons at a phone's
  text at 130 % (277 and 300 CSS px wide: "ternal working m…" between them), on the field, cover and maturity maps
  and over the zoom-in button in the plan editor. It now stands between the controls, wrapped there (smaller on so
  narrow a screen), the page's title under it (ui.js); one line where it fits, as before.
- The data credit, folded to one line over a unit's card (360 x 640), was a button 22 px tall. Its box is now 44 px,
  the part above its line transparent and under the legend: the line, the legend, the scale and the card where they
  were, and a tap on the map just above the line shows the credit whole.
- The check and cover reports' header said 村 – where the household file has no village column; the line is left
  out, as the tables leave out a column no row has.

Fixtures: sample households (maps.sample), the bundled sample's editor page (built_fixtures), six households in a row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import Lang
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

needs_chromium = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS); 户籍与坐标：某某县自然资源局第三次全国国土调查成果（2024 年）"
STAMPS = {"zh": "内部工作用图", "en": "Internal working map"}

#: the stamp: its box, its lines, whether its text is cut, the controls and title it meets, on screen or not
STAMP = """(sel) => { const s = document.querySelector(sel), r = s.getBoundingClientRect();
  const lines = e => { const g = document.createRange(); g.selectNodeContents(e);
    return new Set([...g.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top))).size; };
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const meet = b => b[0] < r.right - 0.5 && r.left < b[2] - 0.5 && b[1] < r.bottom - 0.5 && r.top < b[3] - 0.5;
  const meets = [...document.querySelectorAll('.leaflet-control, .yl-title')]
    .filter(c => c.getBoundingClientRect().width > 0 && meet(box(c))).map(c => c.className);
  return {text: s.textContent, meets: meets, cut: s.scrollWidth > s.clientWidth + 1 || s.scrollHeight > s.clientHeight + 1,
          inside: r.left >= 0 && r.right <= innerWidth && r.top >= 0,
          lines: lines(s)}; }"""


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("s53e2")
    layers = sample_layers(400, block=5, seed=7)
    return {lang: save_map(layers, tmp / f"m-{lang}.html", lang=lang, credit=CREDIT) for lang in ("zh", "en")}


def _stamp(page: Path, sel: str, viewport: tuple[int, int], scale: float) -> dict[str, Any]:
    with live_page(page, viewport=viewport, ready="document.readyState=='complete' && !!window.yuanluo", touch=True,
                   scale=scale) as (p, errs):
        p.wait_for_timeout(400)
        s = p.evaluate(STAMP, sel)
        assert not errs, errs
    return s


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [(277, 492), (300, 649)], ids=["277x492-130", "300x649-130"])
@pytest.mark.browser
@needs_chromium
def test_the_stamp_meets_no_control_with_large_text(maps: dict[str, Path], lang: str, viewport: tuple[int, int]) -> None:
    s = _stamp(maps[lang], ".yl-stamp", viewport, 1.3)
    assert s["text"] == STAMPS[lang] and s["inside"] and not s["cut"], s
    assert s["meets"] == [], s  # en: one line under the zoom and layers buttons


@pytest.mark.browser
@needs_chromium
def test_the_stamp_keeps_one_line_where_it_fits(maps: dict[str, Path]) -> None:
    s = _stamp(maps["en"], ".yl-stamp", (360, 640), 1.0)
    assert s["meets"] == [] and s["lines"] == 1, s


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.browser
@needs_chromium
def test_the_editors_stamp_clears_the_zoom_buttons(tmp_path: Path, lang: Lang) -> None:
    from built_fixtures import sample_editor_page

    page = sample_editor_page(tmp_path, lang)
    for viewport in ((277, 492), (300, 649)):
        with live_page(page, viewport=viewport, ready="document.readyState=='complete'", touch=True,
                       scale=1.3) as (p, errs):
            p.wait_for_timeout(400)
            s = p.evaluate(STAMP, ".yl-ed-stamp")
            assert not errs, errs
        assert s["text"] == STAMPS[lang] and s["inside"] and not s["cut"] and s["meets"] == [], (viewport, s)


#: the credit over an open card: its box, its line (the box below its transparent top), the legend, scale and card;
#: what a tap finds 3 px below the box's top half-way between the scale and the legend, and at the legend's foot
CREDIT_STATE = """() => {
  const a = document.querySelector('.leaflet-control-attribution'), ar = a.getBoundingClientRect();
  const box = s => { const b = document.querySelector(s).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const lg = box('.yl-legend'), sc = box('.leaflet-control-scale');
  const at = (x, y) => document.elementFromPoint(x, y);
  const band = at((sc[2] + lg[0]) / 2, ar.top + 3), foot = at((lg[0] + lg[2]) / 2, lg[3] - 2);
  return {box: [ar.left, ar.top, ar.right, ar.bottom], line: ar.top + a.clientTop, legend: lg, scale: sc,
          card: box('.yl-card'), more: a.classList.contains('yl-credit-more'), one: a.classList.contains('yl-credit-one'),
          band: !!band && a.contains(band), legendTap: !!foot && !!foot.closest('.yl-legend'),
          x: (sc[2] + lg[0]) / 2};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.browser
@needs_chromium
def test_the_folded_credit_is_a_44_px_tap_target(maps: dict[str, Path], lang: str) -> None:
    with live_page(maps[lang], viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.find)",
                   touch=True) as (p, errs):
        p.wait_for_timeout(300)
        p.evaluate("window.yuanluo.showUnit(window.yuanluo.card.units[0], true)")
        p.wait_for_timeout(400)
        s = p.evaluate(CREDIT_STATE)
        p.mouse.click(s["x"], s["box"][1] + 3)  # on the map just above the credit's line
        p.wait_for_timeout(300)
        opened = p.evaluate("document.querySelector('.leaflet-control-attribution').classList.contains('yl-credit-open')")
        assert not errs, errs
    assert s["more"] and s["one"], s  # one line over the card, cut short: a button
    assert s["box"][3] - s["box"][1] >= 44 - 0.5, s  # was 22 px
    assert s["band"] and opened, s
    assert s["legendTap"], s  # the legend keeps its taps: the credit's box is under it
    # its line where it stood: on the card, the scale and the legend above it
    line = s["line"]
    assert abs(s["box"][3] - s["card"][1]) < 1 and s["box"][3] - line < 24, s
    assert s["legend"][3] <= line - 8 and s["scale"][3] <= line, s


# ---------------------------------------------------------------------------------------- reports
def _row() -> tuple[Any, Any]:
    """Six households 50 m apart, their walking graph (a row), with no village column."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from yuanluo.gis.graph import TerrainGraph

    ids = list("abcdef")
    xy = [[500000.0 + 50 * i, 3265000.0] for i in range(6)]
    hh = gpd.GeoDataFrame({"persons": [2, 3, 1, 4, 2, 2]}, geometry=[Point(x, y) for x, y in xy], crs="EPSG:4545",
                          index=pd.Index(ids, name="hid"))
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(5)], crs="EPSG:4545")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_reports_header_names_no_village_it_does_not_know(lang: str) -> None:
    import pandas as pd

    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.report import ReportInfo, render_html, village_names

    hh, g = _row()
    res = check_plan(hh, pd.Series(list("AAABBB"), index=hh.index), Rules(3, 3, name="test"), graph=g,
                     graph_kind="straight", unapplied=False)
    word = "村" if lang == "zh" else "Village"
    page = render_html(res, lang=lang, info=ReportInfo(villages=village_names(hh), input_file="hh.csv", date="2026-12-06"))
    assert f"<dt>{word}</dt>" not in page and "<dd>–</dd>" not in page  # it said 村 –
    named = hh.assign(village=["新华村"] * 6)
    page = render_html(res, lang=lang, info=ReportInfo(villages=village_names(named), input_file="hh.csv"))
    assert f"<dt>{word}</dt><dd>新华村</dd>" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_reports_header_names_no_village_it_does_not_know(lang: str) -> None:
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report
    from yuanluo.planners.report import ReportInfo, village_names

    hh, g = _row()
    c = site(hh, g, CoverPlan(n_hubs=1))
    word = "村" if lang == "zh" else "Village"
    page = render_cover_report(c, lang=lang, info=ReportInfo(villages=village_names(hh), input_file="hh.csv",
                                                            date="2026-12-06"))
    assert f"<dt>{word}</dt>" not in page and "<dd>–</dd>" not in page, page[page.find("<dl"):][:300]
    page = render_cover_report(c, lang=lang, info=ReportInfo(villages=("新华村",), input_file="hh.csv"))
    assert f"<dt>{word}</dt><dd>新华村</dd>" in page
