"""Session 51, helper E: the maturity map held sideways (640 x 360, 740 x 360, a phone's touch screen) is usable.

Session 50 left the village panel and the legend each showing one or two rows there: the open panel stood above the
layers button and the legend's button, both stacked under it in the right-hand column (en 640: the panel 72-217 px,
its title and the two shading buttons, no row of its key), and with both open each scrolled down to a row or two.
Now, on a low screen, one of the two is open at a time (opening the one folds the other), the layers button and the
legend's button stand left of the open panel, so it runs down to the credit, its title staying at its top while its
lines scroll; opened over a unit card beside the map it starts below the card's head, its close button in sight.

Fixture: test_s49_e_maturity_phone's maturity map (200 households, 8 units in 40 villages).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from test_s49_e_maturity_phone import CLOSE_SHOWN, READY_MAP, maps  # noqa: F401  (maps: the module's fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

STATE = """() => {
  const r = e => { if (!e || e.hidden) return null; const b = e.getBoundingClientRect();
    return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  const shown = e => { const b = e && e.getBoundingClientRect();
    return !!b && b.width > 0 && e.contains(document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)); };
  const p = document.querySelector('.yl-maturity-panel'), g = document.querySelector('.leaflet-bottom .yl-legend');
  const lay = document.querySelector('.leaflet-control-layers');
  // the rows of the panel's key, and of the legend, wholly in sight (what shows at their middle is the row)
  const rows = s => [...document.querySelectorAll(s)].filter(e => shown(e)).length;
  return {panel: r(p), panelFolded: p.classList.contains('yl-collapsed'), panelHead: shown(p.querySelector('.yl-legend-toggle')),
          keyRows: rows('.yl-maturity-panel .yl-key > div span'),
          legend: r(g), legendFolded: g.classList.contains('yl-collapsed'), legendButton: shown(g.querySelector('.yl-legend-toggle')),
          legendRows: rows('.leaflet-bottom .yl-legend .yl-legend-body > span:not(.sw)'),
          legendAll: document.querySelectorAll('.leaflet-bottom .yl-legend .yl-legend-body > span:not(.sw)').length,
          layers: r(lay), layersShown: shown(lay),
          titles: [...document.querySelectorAll('.yl-stamp, .yl-title')].map(r).filter(Boolean),
          card: r(document.querySelector('.yl-card')), inner: innerHeight};
}"""
PANEL = ".yl-maturity-panel .yl-legend-toggle"
LEGEND = ".leaflet-bottom .yl-legend .yl-legend-toggle"
SIZES = [("zh", (740, 360)), ("en", (740, 360)), ("en", (640, 360)), ("zh", (640, 360))]
IDS = ["zh-740", "en-740", "en-640", "zh-640"]


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


def _tap(p: Any, sel: str) -> dict[str, Any]:
    p.locator(sel).tap()
    p.wait_for_timeout(250)
    return p.evaluate(STATE)


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
def test_held_sideways_the_open_panel_shows_its_key_and_the_legend_all_its_rows(
        maps: Path, lang: str, size: tuple[int, int]) -> None:  # noqa: F811
    with live_page(maps / f"map_{lang}.html", viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        panel = _tap(p, PANEL)
        p.screenshot(path=str(maps / f"s51-e-panel-{lang}-{size[0]}.png"))
        p.evaluate("() => { const d = document.querySelector('.yl-maturity-panel'); d.scrollTop = d.scrollHeight; }")
        p.wait_for_timeout(150)
        scrolled = p.evaluate(STATE)
        legend = _tap(p, LEGEND)  # opening the legend folds the panel
        p.screenshot(path=str(maps / f"s51-e-legend-{lang}-{size[0]}.png"))
        again = _tap(p, PANEL)  # and opening the panel folds the legend
        assert not errors, errors
    assert not panel["panelFolded"] and panel["legendFolded"], panel
    # old: no row of the key in sight (en 640: the panel's title and its two buttons, 72-217 px)
    assert panel["keyRows"] >= 5, panel
    assert panel["layersShown"] and panel["legendButton"] and panel["panelHead"], panel
    assert not any(_meet(panel["panel"], b) for b in [panel["layers"], panel["legend"], *panel["titles"]]), panel
    assert panel["panel"][3] <= size[1], panel
    # scrolled to its foot, its title (the button that folds it) stays at its top
    assert scrolled["panelHead"] and scrolled["panel"] == panel["panel"], scrolled
    # old, both open: the legend showed one or two of its four rows
    assert legend["panelFolded"] and not legend["legendFolded"], legend
    assert legend["legendRows"] == legend["legendAll"] >= 4 and legend["layersShown"], legend
    assert not any(_meet(legend["legend"], b) for b in [legend["layers"], legend["panel"], *legend["titles"]]), legend
    assert again["legendFolded"] and not again["panelFolded"] and again["keyRows"] >= 5, again


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
def test_held_sideways_the_panel_opened_over_a_card_leaves_its_close_button_in_sight(
        maps: Path, lang: str, size: tuple[int, int]) -> None:  # noqa: F811
    with live_page(maps / f"map_{lang}.html", viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        p.evaluate("() => window.yuanluo.showUnit('U003', true)")
        p.wait_for_timeout(250)
        opened = _tap(p, PANEL)
        close = p.evaluate(CLOSE_SHOWN)
        p.screenshot(path=str(maps / f"s51-e-panel-card-{lang}-{size[0]}.png"))
        assert not errors, errors
    # old zh 740: the panel and the layers button opened under the card; en 640: the panel over the card's close button
    assert close and not opened["panelFolded"], opened
    assert opened["panelHead"] and opened["layersShown"] and opened["legendButton"], opened
    assert opened["keyRows"] >= 3, opened
