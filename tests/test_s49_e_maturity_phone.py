"""Session 49, helper E (second round): the maturity map (``maturity load … --map``) on a phone.

1. Held sideways (740 x 360, 640 x 360) the village panel (top right) was open at first, as on a wide screen: it
   pushed the layers button down under the legend's button (layers [682, 302, 730, 350], legend [662, 280, 730, 328]),
   and a unit card beside the map lay under it, the card's close button covered. It is now folded at first on a low
   screen too (as the legend is, session 49's first round), and the card stands beside the map left of it; where
   240 px are not left beside it (en, 640 x 360) the card's head ends left of the controls standing over it, so its
   close button is in sight (it lay under the folded panel's button).
2. Opened by a tap over a card across the screen (360 x 640) or held sideways, the panel ran down over the legend's
   button and the layers button went under the card (en 360: panel [74, 94, 350, 482], layers [302, 492, 350, 540],
   the card's top at 349) or under the legend's button. The open panel and the layers button under it now end above
   the controls at the map's foot; the panel scrolls (its "more below" line says so), and stays clear of the title.

Fixture: the sample layers (200 households, 8 units) in 40 villages, so that the panel runs long; scored whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from built_fixtures import scored_maturity_maps

from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY_MAP = "!!(window.yuanluo && window.yuanluo.find)"
BOXES = """() => { const r = e => { if (!e || e.hidden) return null; const b = e.getBoundingClientRect();
    return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; }, q = s => r(document.querySelector(s));
  const foot = [...document.querySelectorAll('.leaflet-bottom.leaflet-right .leaflet-control:not(.leaflet-control-attribution)')]
    .map(r).filter(Boolean);
  const at = s => { const b = q(s); if (!b) return null;
    return document.querySelector(s).contains(document.elementFromPoint((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)); };
  const p = document.querySelector('.yl-maturity-panel'), more = p.querySelector('.yl-more');
  return {panel: q('.yl-maturity-panel'), folded: p.classList.contains('yl-collapsed'), layers: q('.leaflet-control-layers'),
          foot: foot, card: q('.yl-card'),
          titles: [...document.querySelectorAll('.yl-stamp, .yl-title')].map(r).filter(Boolean),
          layersShown: at('.leaflet-control-layers'), more: !!more && more.offsetParent !== null,
          below: p.scrollHeight - p.clientHeight - p.scrollTop}; }"""
# the card's close button: what shows at its middle
CLOSE_SHOWN = """() => { const c = document.querySelector('.yl-card'), x = [...c.querySelectorAll('button')].find(b => {
    const r = b.getBoundingClientRect(); return r.width && r.top - c.getBoundingClientRect().top < 40; });
  const r = x.getBoundingClientRect(); return x.contains(document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2)); }"""


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("s49e2")
    layers = {k: v for k, v in sample_layers(200, block=5).items() if k != "run"}
    layers["units"]["village"] = [f"第{i}村" for i in range(len(layers["units"]))]
    return scored_maturity_maps(d, layers)


def _shot(page: Any, maps: Path, name: str) -> None:
    page.screenshot(path=str(maps / f"s49-e-maturity-{name}.png"))


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("en", (740, 360)), ("en", (640, 360))],
                         ids=["zh-740", "en-740", "en-640"])
def test_held_sideways_the_panel_starts_folded_and_the_card_stands_beside_it(maps: Path, lang: str,
                                                                               size: tuple[int, int]) -> None:
    with live_page(maps / f"map_{lang}.html", viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        first = p.evaluate(BOXES)
        p.evaluate("() => window.yuanluo.showUnit('U003', true)")
        p.wait_for_timeout(250)
        card = p.evaluate(BOXES)
        close = p.evaluate(CLOSE_SHOWN)
        _shot(p, maps, f"{lang}-{size[0]}")
        assert not errors, errors
    # old: open at first, the layers button pushed under the legend's, the card under the panel
    assert first["folded"], first
    assert first["layersShown"] and not any(_meet(first["layers"], f) for f in first["foot"]), first
    assert card["card"][2] - card["card"][0] >= 240, card
    # at 740 px beside the folded panel; at 640 px (en) no 240 px are left beside it: it stands over the card, whose
    # head ends left of it
    assert not _meet(card["card"], card["panel"]) or size[0] < 700, card
    assert close, card  # old en 640: under the panel's button


@pytest.mark.parametrize(("lang", "size", "unit"), [("zh", (360, 640), True), ("en", (360, 640), True),
                                                    ("zh", (740, 360), False), ("en", (740, 360), False)],
                         ids=["zh-360-card", "en-360-card", "zh-740", "en-740"])
def test_the_panel_opened_by_a_tap_ends_above_the_controls_at_the_foot(maps: Path, lang: str, size: tuple[int, int],
                                                                       unit: bool) -> None:
    with live_page(maps / f"map_{lang}.html", viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        if unit:
            p.evaluate("() => window.yuanluo.showUnit('U003', true)")
            p.wait_for_timeout(250)
        if p.evaluate(BOXES)["folded"]:  # (old: open at first at 740 px)
            p.locator(".yl-maturity-panel .yl-legend-toggle").tap()
            p.wait_for_timeout(250)
        opened = p.evaluate(BOXES)
        _shot(p, maps, f"open-{lang}-{size[0]}{'-card' if unit else ''}")
        p.locator(".yl-maturity-panel .yl-legend-toggle").tap()
        p.wait_for_timeout(250)
        folded = p.evaluate(BOXES)
        assert not errors, errors
    assert not opened["folded"] and opened["foot"], opened
    top = min(f[1] for f in opened["foot"])
    # old: the panel ran down over the legend's button, the layers button under the card or the legend's button
    assert not any(_meet(opened["panel"], f) or _meet(opened["layers"], f) for f in opened["foot"]), opened
    assert opened["layersShown"] and opened["panel"][3] <= size[1], opened
    if size[1] >= 500:  # upright they end above them; held sideways (session 51) they stand left of the open panel
        assert opened["panel"][3] <= top and opened["layers"][3] <= top, opened
    if opened["card"] and opened["card"][2] - opened["card"][0] >= size[0] - 2:  # a card across the screen
        assert opened["layers"][3] <= opened["card"][1] and opened["panel"][3] <= opened["card"][1], opened
    assert not any(_meet(opened["panel"], t) for t in opened["titles"]), opened
    assert opened["below"] > 40 and opened["more"], opened  # it scrolls, and says so
    assert folded["folded"] and not folded["more"] and folded["layersShown"], folded
