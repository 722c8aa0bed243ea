"""Session 50, helper E: the coverage map's legend opened by a tap on a phone held sideways.

Session 49 left it: opened over a card beside the map (740 x 360, 640 x 360), the cover legend (more rows than the
field map's: the walking bands with their counts, the service-point levels, the share within the limit) rose to
98-116 px from the top, over the card's head, whose close button was then moved left of it and its title squeezed
(en 640 x 360: "Household 003" cut to "Ho / us / e…"); a search's two rows made it taller still. The legend's rows
now scroll below the stamp, the page's title, the controls at the top right and a card's head (legend.js fit), a
line at their foot saying there is more below (the maturity panel's words) until the foot is reached.

Fixture: test_s46_e_cover_legend's cover run (30 households in two villages, a credit of three lines).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from test_s46_e_cover_legend import SEARCH, _cover
from test_s46_e_found_clear import READY_MAP

from yuanluo.gis.catalogue import Lang, text

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

# the boxes, whether the card's title shows whole (not cut to an ellipsis), and what covers the points of the card's
# head (its title and close button, every 4 px): anything but the head itself
STATE = """() => {
  const r = e => { if (!e || e.hidden) return null; const b = e.getBoundingClientRect();
    return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  const q = s => document.querySelector(s), g = q('.yl-legend'), head = q('.yl-card .yl-card-head'),
    h2 = head && head.querySelector('h2'), close = head && head.querySelector('button'), covered = [];
  for (const e of [h2, close]) {
    const b = e && e.getBoundingClientRect();
    if (b) for (let x = b.left + 1; x < b.right - 1; x += 4) for (let y = b.top + 1; y < b.bottom - 1; y += 4)
      if (!head.contains(document.elementFromPoint(x, y))) covered.push([Math.round(x), Math.round(y)]);
  }
  const body = g.querySelector('.yl-legend-body'), more = body.querySelector('.yl-more');
  return {legend: r(g), folded: g.classList.contains('yl-collapsed'), card: r(q('.yl-card')), close: r(close),
          whole: !!h2 && h2.scrollHeight <= h2.clientHeight + 1 && h2.scrollWidth <= h2.clientWidth + 1,
          covered: covered, above: [...document.querySelectorAll('.yl-stamp, .yl-title, .leaflet-top.leaflet-right .leaflet-control')].map(r),
          scrolls: body.scrollHeight > body.clientHeight + 1, more: more ? !more.hidden && more.offsetHeight > 0 : null,
          moreText: more ? more.textContent : null};
}"""
TO_FOOT = """() => { const b = document.querySelector('.yl-legend-body'); b.scrollTop = b.scrollHeight;
  b.dispatchEvent(new Event('scroll')); const m = b.querySelector('.yl-more'); return !m.hidden && m.offsetHeight > 0; }"""
SIZES = [("zh", (740, 360)), ("en", (740, 360)), ("en", (640, 360)), ("zh", (640, 360)), ("en", (844, 390)),
         ("zh", (844, 390))]
IDS = [f"{lang}-{w}x{h}" for lang, (w, h) in SIZES]


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


def _opened(p: Any) -> dict[str, Any]:
    p.locator(".yl-legend-toggle").tap()
    p.wait_for_timeout(250)
    return p.evaluate(STATE)


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
@pytest.mark.parametrize("found", [False, True], ids=["card", "after-search"])
def test_the_cover_legend_opened_sideways_leaves_the_cards_head_and_the_title_in_sight(
        tmp_path: Path, lang: Lang, size: tuple[int, int], found: bool) -> None:
    with live_page(_cover(tmp_path, lang), viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        first = p.evaluate(STATE)
        if found:  # the search's two rows shown in the legend (the outline round the village found)
            assert p.evaluate(SEARCH, "乙村") == ""
        p.evaluate("() => window.yuanluo.showHousehold(3)")
        p.wait_for_timeout(250)
        shut = p.evaluate(STATE)
        opened = _opened(p)
        p.screenshot(path=str(tmp_path.parent / f"s50-e-cover-legend-{lang}-{size[0]}-{int(found)}.png"))
        at_foot = p.evaluate(TO_FOOT) if opened["scrolls"] else None
        again = _opened(p)  # the next tap folds it
        assert not errors, errors
    assert first["folded"] and shut["folded"], (first, shut)  # the map first on a low screen
    assert shut["whole"] and not shut["covered"], shut
    assert not opened["folded"], opened
    # the card's title whole and its close button in its place, nothing over them (old: the legend over the head,
    # the close button moved left of it, the title cut short at 640 px)
    assert opened["whole"] and opened["covered"] == [], (shut, opened)
    # at the head's right end (the card narrower while the folded button stood beside it: as wide again, open)
    assert opened["close"][2] - opened["card"][2] == shut["close"][2] - shut["card"][2], (shut, opened)
    # nor over the stamp, the page's title and the controls at the top right
    assert not any(_meet(opened["legend"], b) for b in opened["above"]), opened
    # rows cut short say so until their foot is reached; else no such line
    assert opened["more"] is opened["scrolls"] and opened["moreText"] == text("maturity.map.more", lang), opened
    assert at_foot in (None, False), at_foot
    assert again["folded"] and again["card"] == shut["card"] and again["close"] == shut["close"], (shut, again)
