"""Session 50, helper E (second round): the legend opened by a tap keeps clear of the controls at the top.

1. The maturity map held sideways (740 x 360, 640 x 360), its village panel and its legend both opened by taps (in
   either order): the legend's top stood over the layers button under the panel (en 740: legend [474, 189, 730,
   328], layers [682, 182, 730, 230]; legend.js fit() left the top-right controls out on the maturity map). The
   panel now ends above the legend as it stands unscrolled (shorter than its 96 px if it must), and the legend's rows
   scroll below the layers button. (Session 51: on a low screen one of the two is open at a time, the one tapped last.)
2. A phone upright (360 x 640), a card open across the screen: the cover legend opened by a tap, lifted above the
   card, rose over the search box's Find button (en: legend [134, 165, 350, 395], Find [212, 218, 266, 262]) until
   folded. Its rows now scroll below the controls at the top left (the search box) as below those at the right.

Fixtures: test_s49_e_maturity_phone's maturity map (200 households, 8 units in 40 villages) and
test_s46_e_cover_legend's cover run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from test_s46_e_cover_legend import _cover
from test_s46_e_found_clear import READY_MAP
from test_s49_e_maturity_phone import maps  # noqa: F401  (the module's fixture)

from yuanluo.gis.catalogue import Lang

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

# the boxes; for each control named, whether it is what shows at its middle
STATE = """() => {
  const r = e => { if (!e || e.hidden) return null; const b = e.getBoundingClientRect();
    return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  const at = e => { const b = e && e.getBoundingClientRect();
    return !!b && b.width > 0 && e.contains(document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)); };
  const g = document.querySelector('.leaflet-bottom .yl-legend'), p = document.querySelector('.yl-maturity-panel'),
    lay = document.querySelector('.leaflet-control-layers'), find = document.querySelector('.yl-search button.yl-search-go');
  return {legend: r(g), folded: g.classList.contains('yl-collapsed'), panel: r(p), panelFolded: p ? p.classList.contains('yl-collapsed') : null,
          layers: r(lay), layersShown: at(lay), find: r(find), findShown: find ? at(find) : null,
          toggle: at(g.querySelector('.yl-legend-toggle')), card: r(document.querySelector('.yl-card')),
          top: [...document.querySelectorAll('.yl-stamp, .yl-title, .leaflet-top .leaflet-control')].map(r).filter(Boolean)};
}"""
PANEL = ".yl-maturity-panel .yl-legend-toggle"
LEGEND = ".leaflet-bottom .yl-legend .yl-legend-toggle"


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


def _tap(p: Any, sel: str) -> dict[str, Any]:
    p.locator(sel).tap()
    p.wait_for_timeout(250)
    return p.evaluate(STATE)


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("en", (740, 360)), ("en", (640, 360)),
                                            ("zh", (640, 360))], ids=["zh-740", "en-740", "en-640", "zh-640"])
@pytest.mark.parametrize("order", ["panel-first", "legend-first"])
def test_held_sideways_the_open_legend_ends_below_the_layers_button_under_the_open_panel(
        maps: Path, lang: str, size: tuple[int, int], order: str) -> None:  # noqa: F811
    taps = [PANEL, LEGEND] if order == "panel-first" else [LEGEND, PANEL]
    with live_page(maps / f"map_{lang}.html", viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        first = p.evaluate(STATE)
        _tap(p, taps[0])
        both = _tap(p, taps[1])
        p.screenshot(path=str(maps / f"s50-e-legend-clear-{lang}-{size[0]}-{order}.png"))
        again = _tap(p, LEGEND)  # folded again: the panel as before
        assert not errors, errors
    assert first["folded"] and first["panelFolded"], first  # both folded at first on a low screen
    # session 51: one of the two is open at a time on a low screen (both open, each showed a row or two), the one
    # tapped last; the legend, open or folded to its button, stands clear of the layers button and the panel
    legend_last = order == "panel-first"
    assert both["folded"] != legend_last and both["panelFolded"] == legend_last, both
    # old: the legend's top over the layers button (en 740: 189 against its foot at 230)
    assert not _meet(both["legend"], both["layers"]) and both["layersShown"], both
    assert not any(_meet(both["legend"], b) for b in both["top"]) and both["toggle"], both
    assert again["folded"] == legend_last and again["panelFolded"] and again["layersShown"], again


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upright_the_legend_opened_over_a_card_leaves_the_find_button_in_sight(tmp_path: Path, lang: Lang) -> None:
    size = (360, 640)
    with live_page(_cover(tmp_path, lang), viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        p.evaluate("() => window.yuanluo.showHousehold(3)")
        p.wait_for_timeout(250)
        shut = p.evaluate(STATE)
        opened = _tap(p, LEGEND)
        p.screenshot(path=str(tmp_path.parent / f"s50-e-legend-find-{lang}-{size[1]}.png"))
        again = _tap(p, LEGEND)
        assert not errors, errors
    assert shut["folded"] and shut["findShown"], shut
    w = opened["card"][2] - opened["card"][0]
    assert not opened["folded"] and w >= size[0] - 2, opened  # a card across the screen, the legend lifted above it
    # old: the legend over the Find button (en 360 x 640: its top at 165, the button 218-262)
    assert opened["findShown"] and not any(_meet(opened["legend"], b) for b in opened["top"]), opened
    assert opened["legend"][3] <= opened["card"][1] and opened["toggle"], opened
    assert again["folded"] and again["findShown"], again
