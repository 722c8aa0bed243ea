"""Session 59, helper U: the phone's Back closes the topmost open thing only, and the maturity panel is one of them.

Since 164e57a a Back closed what was open instead of leaving the page, but everything at once: the legend opened over
a unit card went with the card, and a second Back left the page. The maturity map's village panel was not registered
at all: opened on a phone, a Back left the page. Now a Back closes the thing opened last (the legend over the card:
the legend, then the card, then the page is left), the page standing on one history entry of its own while anything
is open (the history does not grow), and never needing two presses for one thing. On a page opened as a file.

Fixtures: the sample layers (400 households, units U001 …) as a field map; test_s49_e_maturity_phone's maturity map
(200 households, 8 units); 360 x 640 on a touch screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from test_s49_e_maturity_phone import READY_MAP, maps  # noqa: F401  (maps: the module's fixture)

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit && window.yuanluo.map)"
# what stands open, and where the page's address and history stand
STATE = """() => { const c = document.querySelector('.yl-card'), lg = document.querySelector('.leaflet-bottom .yl-legend'),
  p = document.querySelector('.yl-maturity-panel');
  if (!c) return {page: location.href};  // the page left
  return {page: location.pathname.split('/').pop(), hash: location.hash, length: history.length,
          card: c.hidden ? null : c.getAttribute('data-id'), legend: !lg.classList.contains('yl-collapsed'),
          panel: !!p && !p.classList.contains('yl-collapsed')}; }"""
LEGEND = ".leaflet-bottom .yl-legend .yl-legend-toggle"
PANEL = ".yl-maturity-panel .yl-legend-toggle"


def _back(page) -> dict:  # type: ignore[no-untyped-def]
    page.go_back()
    page.wait_for_timeout(200)
    return page.evaluate(STATE)


def _tap(page, sel: str) -> dict:  # type: ignore[no-untyped-def]
    page.locator(sel).tap()
    page.wait_for_timeout(150)
    return page.evaluate(STATE)


def _left(page) -> None:  # type: ignore[no-untyped-def]
    page.go_back()
    page.wait_for_timeout(200)
    assert not page.url.split("#")[0].endswith(".html"), page.url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_back_closes_the_legend_over_a_card_then_the_card(tmp_path: Path, lang: str) -> None:
    path = save_map(sample_layers(400, block=5, seed=7), tmp_path / "m.html", lang=lang)
    with live_page(path, viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        start = page.evaluate(STATE)
        page.evaluate("window.yuanluo.showUnit('U003', true)")
        both = _tap(page, LEGEND)
        assert both["card"] == "U003" and both["legend"] and both["length"] == start["length"] + 1, both
        one = _back(page)
        # old: the card went with the legend
        assert one["page"] == "m.html" and not one["legend"] and one["card"] == "U003", one
        assert one["hash"] == "#U003" and one["length"] == both["length"], one  # one entry of its own, not more
        none = _back(page)
        assert none["page"] == "m.html" and none["card"] is None and none["hash"] == "", none  # old: the page left
        # the other way round: a card opened over the open legend goes first, and another card opened over the
        # legend is on top again
        page.evaluate("window.yuanluo.showUnit('U004', true)")
        _tap(page, LEGEND)
        page.evaluate("window.yuanluo.showUnit('U005', true)")
        one = _back(page)
        assert one["card"] is None and one["legend"] and one["hash"] == "", one
        none = _back(page)
        assert none["page"] == "m.html" and not none["legend"] and none["card"] is None, none
        assert not errors, errors
        _left(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_back_folds_the_maturity_panel_one_thing_at_a_time(maps: Path, lang: str) -> None:  # noqa: F811
    with live_page(maps / f"map_{lang}.html", viewport=(360, 640), ready=READY_MAP, touch=True) as (page, errors):
        start = page.evaluate(STATE)
        opened = _tap(page, PANEL)
        assert opened["panel"] and opened["length"] == start["length"] + 1, opened  # old: no entry of its own
        one = _back(page)
        assert one["page"] == f"map_{lang}.html" and not one["panel"], one  # old: Back left the page
        # the panel opened over a unit card: the panel, then the card
        uid = page.evaluate("Object.keys(window.yuanluo.unitBounds).sort()[0]")
        page.evaluate("(u) => window.yuanluo.showUnit(u, true)", uid)
        both = _tap(page, PANEL)
        assert both["panel"] and both["card"] == uid, both
        one = _back(page)
        assert not one["panel"] and one["card"] == uid and one["length"] == both["length"], one
        none = _back(page)
        assert none["page"] == f"map_{lang}.html" and none["card"] is None, none
        assert not errors, errors
        _left(page)
