"""Session 49, helper E: what session 48 left of the pages on a phone.

1. Field map held sideways (740 x 360): the legend, open at first, lay under a unit card beside the map (legend
   [511, 135, 730, 328], card [276, 76, 656, 331]). The legend is now folded at first on a low screen too, the card
   beside the map stands left of the controls at the right where 240 px or more are left for it, and where they are
   not (the legend opened by a tap at 740 and 640 px), the legend stands over the card, not under it.
2. Check report: the units table's "swipe sideways" line (report.swipe) showed by the screen's width (600 px or
   less), not by whether the table overflows: shown on a 560 px screen where the table fits, missing from a window
   wider than 600 px where it overflows. It now follows the overflow (CSS: the box's scroll timeline is active only
   while the table is wider than it), and so does the name column kept in place. A long unit name (the column does
   not wrap) kept in place covered every other column at 360 px (a 490 px name in a 348 px box): it now wraps, 7 em
   to 40 % of the screen wide.
   The line said 左右滑动 / "swipe it sideways", wider than the screen, on a desktop window too (where it now shows
   when the table overflows): it says 左右滚动或滑动 / "scroll it sideways", wider than the page.
3. Field map: the 未找到 / "Not found" row gone, the controls were not measured again: a card made 29 px lower for
   the row (en, 360 x 640) stayed so until the next lift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page
from shapely import points
from test_s42_m_report_phone import _result

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.report import write_html

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY_MAP = "!!(window.yuanluo && window.yuanluo.find)"
BOXES = """() => { const r = s => { const e = document.querySelector(s); if (!e || e.hidden) return null;
  const b = e.getBoundingClientRect(); return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  return {card: r('.yl-card'), legend: r('.yl-legend'), msg: r('.yl-search-msg'),
          folded: document.querySelector('.yl-legend').classList.contains('yl-collapsed')}; }"""
# what shows at each point of the legend a card overlaps (every 6 px): the legend, or what covers it
HIDDEN = """() => { const g = document.querySelector('.yl-legend'), a = g.getBoundingClientRect(),
  c = document.querySelector('.yl-card').getBoundingClientRect(), out = [];
  for (let x = Math.max(a.left, c.left) + 1; x < Math.min(a.right, c.right) - 1; x += 6)
    for (let y = Math.max(a.top, c.top) + 1; y < Math.min(a.bottom, c.bottom) - 1; y += 6)
      if (!g.contains(document.elementFromPoint(x, y))) out.push([x, y]);
  return out; }"""


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("s49e")
    layers = sample_layers(400, block=5, seed=7)
    return {lang: save_map(layers, tmp / f"m-{lang}.html", lang=lang) for lang in ("zh", "en")}


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("en", (740, 360)), ("en", (640, 360)),
                                            ("zh", (844, 390))], ids=["zh-740", "en-740", "en-640", "zh-844"])
def test_a_card_beside_the_map_leaves_the_legend_in_sight(maps: dict[str, Path], lang: Lang,
                                                          size: tuple[int, int]) -> None:
    with live_page(maps[lang], viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        first = p.evaluate(BOXES)
        p.evaluate("() => window.yuanluo.showUnit('U005', true)")
        p.wait_for_timeout(250)
        shut = p.evaluate(BOXES)
        hidden_shut = p.evaluate(HIDDEN)
        p.locator(".yl-legend-toggle").tap()  # the legend opened with the card beside the map
        p.wait_for_timeout(250)
        opened = p.evaluate(BOXES)
        hidden_open = p.evaluate(HIDDEN)
        p.screenshot(path=str(maps[lang].parent / f"s49-e-legend-{lang}-{size[0]}.png"))
        p.locator(".yl-legend-toggle").tap()
        p.wait_for_timeout(250)
        again = p.evaluate(BOXES)
        assert not errors, errors
    assert first["folded"], first  # a phone held sideways: the map first (old: open, under the card)
    assert shut["card"][2] - shut["card"][0] >= 240 and not _meet(shut["card"], shut["legend"]), shut
    assert hidden_shut == [], (shut, hidden_shut[:5])
    assert not opened["folded"] and hidden_open == [], (opened, hidden_open[:5])  # over the card, or clear of it
    assert again["folded"] and again["card"] == shut["card"], (shut, again)


def test_the_not_found_row_gone_the_card_stands_as_before(maps: dict[str, Path]) -> None:
    with live_page(maps["en"], viewport=(360, 640), ready=READY_MAP, touch=True) as (p, errors):
        p.evaluate("() => window.yuanluo.showUnit('U005', true)")
        p.wait_for_timeout(250)
        before = p.evaluate(BOXES)
        box = p.locator(".yl-search")
        box.locator("input").fill("no such place")
        box.locator("button.yl-search-go").tap()
        p.wait_for_timeout(250)
        missed = p.evaluate(BOXES)
        p.evaluate("() => window.yuanluo.clearSearchMsg()")  # what a tap on the map, a GPS fix or a card call
        p.evaluate("() => window.yuanluo.showUnit('U005', true)")
        p.wait_for_timeout(250)
        after = p.evaluate(BOXES)
        assert not errors, errors
    # a search finding nothing closes the card (s57 U: it was read as the answer under 未找到); the row gone and the
    # card opened again, it stands as before (s49: 29 px lower still, the row's lift kept)
    assert missed["msg"] is not None and missed["card"] is None, (before, missed)
    assert after["msg"] is None and after["card"] == before["card"], (before, after)


STATE = """(() => {
  const s = document.querySelector('h2#units ~ .rows .scroll'), cue = document.querySelector('h2#units ~ .rows p.swipe');
  const cell = s.querySelector('tbody td'), wide = s.scrollWidth > s.clientWidth + 1;
  s.scrollLeft = s.scrollWidth;
  const r = cell.getBoundingClientRect(), box = s.getBoundingClientRect();
  return {wide: wide, cue: cue.offsetHeight > 0 && getComputedStyle(cue).visibility === 'visible', text: cue.textContent,
          nameLeft: r.left - box.left, nameRight: r.right - box.left, box: box.width, page: document.documentElement.scrollWidth <= window.innerWidth + 1};
})()"""


def _long_names() -> Any:
    """Test_s42_m_report_phone's 60 households in five units named as a village may name them, 36 characters each."""
    n, crs = 60, "EPSG:32631"
    ids, xy = [f"H{i:03d}" for i in range(n)], [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame({"persons": pd.array([3] * n, dtype="Int64")}, geometry=points(xy), crs=crs,
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=crs)
    name = "双河口村第{}村民小组老街上段沿河东侧第{}院落（含新迁入农户与集中安置点）"
    lab = pd.Series([name.format(i // 24 + 1, i // 12 + 1) for i in range(n)], index=ids)
    return check_plan(hh, lab, Rules(8, 14, name="test", max_walk_min=5.0), graph=g, graph_kind="straight",
                      unapplied=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_swipe_line_follows_the_tables_overflow(tmp_path: Path, lang: Lang) -> None:
    fits = write_html(_result(), tmp_path / f"fits-{lang}.html", lang=lang)
    long = write_html(_long_names(), tmp_path / f"long-{lang}.html", lang=lang)
    seen = {}
    for what, path, size, touch in [("phone", fits, (360, 640), True), ("fits", fits, (560, 900), True),
                                    ("long names", long, (360, 640), True), ("window", long, (640, 800), False),
                                    ("desktop", fits, (1280, 800), False)]:
        with live_page(path, viewport=size, ready="true", touch=touch) as (p, errors):
            seen[what] = p.evaluate(STATE)
            if what == "fits":  # the same page, the window made narrower and wider again
                p.set_viewport_size({"width": 360, "height": 900})
                p.wait_for_timeout(150)
                seen["fits, narrowed"] = p.evaluate(STATE)
                p.set_viewport_size({"width": 560, "height": 900})
                p.wait_for_timeout(150)
                seen["fits, widened"] = p.evaluate(STATE)
            p.screenshot(path=str(tmp_path / f"s49-e-report-{lang}-{what}.png"), full_page=True)
            assert not errors, errors
    for what, st in seen.items():
        assert st["cue"] is st["wide"], (what, seen)  # old: shown at 560 px, where the table fits
        assert st["text"] == text("report.swipe", lang) and st["page"], (what, st)
        if st["wide"]:
            assert -1 <= st["nameLeft"] <= 1, (what, st)  # the name column stays in place while the rest scrolls
            assert st["nameRight"] - st["nameLeft"] <= 0.45 * st["box"], (what, st)  # and leaves room for the rest
    assert seen["phone"]["wide"] and seen["long names"]["wide"] and seen["fits, narrowed"]["wide"], seen
    assert not seen["fits"]["wide"] and not seen["fits, widened"]["wide"] and not seen["desktop"]["wide"], seen


def test_the_swipe_line_reads_right_with_a_mouse_too() -> None:
    zh, en = text("report.swipe", "zh"), text("report.swipe", "en")
    # old: 表格比屏幕宽：左右滑动… / "wider than the screen: swipe it sideways", shown on a desktop window too
    assert "左右滚动或滑动" in zh and "屏幕" not in zh, zh
    assert "scroll it sideways" in en and "swipe" not in en and "screen" not in en, en
