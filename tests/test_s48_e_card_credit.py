"""Session 48, helper E: a unit's card and the data credit on a phone, in every order of taps.

Field map, 360 x 640: a unit's card open, a tap on the folded credit (one line over the card) shows it whole, four
lines; the controls lifted above it then stood over the search box, so the card was made lower (card.js clearStack,
307 -> 254 px). The card stayed that low once the credit folded again, until it was opened anew: 53 px of the card
lost for nothing. What made the card lower is now measured again each time the controls move (card.js lift).

Each test goes through the orders of taps on one page: card then credit (open, folded), card then credit then close
the card, credit then card, credit open and the card opened again, and checks after each that the card and the
credit sit right: the card as tall as when it was first opened once the credit is folded, the credit one whole line
on a card across the screen, clear of a card beside the map (sideways), three whole lines at most at the foot with no
card, the scale and legend over neither.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import Lang
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS); 户籍与坐标：某某县自然资源局第三次全国国土调查成果（2024 年）"
READY_MAP = "!!(window.yuanluo && window.yuanluo.find)"

# the card, the credit, the scale and legend, the search box (page pixels, None when not shown); the credit's lines
# (its height over its line height), open or folded, cut short (a tap shows it whole) or not
STATE = """() => {
  const box = s => { const e = document.querySelector(s); if (!e || e.hidden) return null; const b = e.getBoundingClientRect();
    return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  const a = document.querySelector('.leaflet-control-attribution'), line = parseFloat(getComputedStyle(a).lineHeight);
  // the credit from the top of its line: folded over a card its box has a transparent top, a tap target (s53 E)
  const credit = box('.leaflet-control-attribution'); if (credit) credit[1] += a.clientTop;
  return {card: box('.yl-card'), credit: credit, scale: box('.leaflet-control-scale'),
          legend: box('.yl-legend'), search: box('.yl-search'), lines: a.clientHeight / line,
          open: a.classList.contains('yl-credit-open'), more: a.classList.contains('yl-credit-more'), w: window.innerWidth, h: window.innerHeight};
}"""


def _meet(a: list[float] | None, b: list[float] | None) -> bool:
    """Whether two rectangles overlap by more than half a pixel."""
    return bool(a and b and a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5)


def _sits_right(s: dict[str, Any], what: str) -> None:
    """The credit over no card, the scale and legend over neither; folded: whole lines, one over a card across the
    screen, three at most at the foot without a card."""
    card, credit = s["card"], s["credit"]
    assert not _meet(card, credit), (what, s)
    for k in ("scale", "legend"):
        assert not _meet(s[k], credit), (what, k, s)
        if card and card[2] - card[0] >= s["w"] - 2:  # a card across the screen: the controls above it
            assert not _meet(s[k], card), (what, k, s)
    if s["open"]:
        return
    assert abs(s["lines"] - round(s["lines"])) < 0.05, (what, s)
    if card and card[2] - card[0] >= s["w"] - 2:
        assert round(s["lines"]) == 1 and credit[3] <= card[1] + 0.5, (what, s)
    elif not card:
        assert 1 <= round(s["lines"]) <= 3 and abs(credit[3] - s["h"]) < 1, (what, s)


def _same(a: list[float], b: list[float]) -> bool:
    return all(abs(x - y) < 1 for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("s48e")
    layers = sample_layers(400, block=5, seed=7)
    return {lang: save_map(layers, tmp / f"m-{lang}.html", lang=lang, credit=CREDIT) for lang in ("zh", "en")}


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844)),
                                            ("en", (390, 844)), ("zh", (740, 360)), ("en", (740, 360))],
                         ids=["zh-360", "en-360", "zh-390", "en-390", "zh-740", "en-740"])
def test_card_and_credit_sit_right_in_every_order(pages: dict[str, Path], lang: Lang, size: tuple[int, int]) -> None:
    with live_page(pages[lang], viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        credit = p.locator(".leaflet-control-attribution")
        seen: list[tuple[str, dict[str, Any]]] = []

        def step(what: str) -> dict[str, Any]:
            p.wait_for_timeout(250)
            s = p.evaluate(STATE)
            seen.append((what, s))
            return s

        def card() -> None:
            p.evaluate("() => window.yuanluo.showUnit('U005', true)")

        card()
        first = step("card")
        assert first["card"] is not None and not first["open"], first
        credit.tap()
        assert step("card, credit shown")["open"]
        credit.tap()
        folded = step("card, credit shown and folded")
        assert _same(folded["card"], first["card"]), (first, folded)  # old: 53 px lower at 360 x 640
        credit.tap()
        step("card, credit shown again")
        p.locator(".yl-card-close").tap()
        closed = step("credit shown, card closed")
        assert closed["card"] is None and not closed["open"], closed
        if closed["more"]:  # three lines at the foot hold it all at 390 x 844 and sideways
            credit.tap()
            assert step("no card, credit shown")["open"]
        card()
        again = step("credit shown, then the card")
        assert _same(again["card"], first["card"]), (first, again)
        credit.tap()
        assert step("credit shown over the card")["open"]
        card()  # the card opened anew over the credit shown whole, then the credit folded
        step("credit shown, card opened again")
        if p.evaluate("() => document.querySelector('.leaflet-control-attribution').classList.contains('yl-credit-open')"):
            credit.tap()
        last = step("card opened again, credit folded")
        assert _same(last["card"], first["card"]), (first, last)
        p.screenshot(path=str(pages[lang].parent / f"s48-e-card-credit-{lang}-{size[0]}.png"))
        assert not errors, errors
    for what, s in seen:
        _sits_right(s, what)


# the controls at the top left (zoom, full screen, locate, search box with its 查找 button and 未找到 row) and the card
LEFT = """() => {
  const r = e => { const b = e.getBoundingClientRect(); return b.width && b.height ? [b.left, b.top, b.right, b.bottom] : null; };
  const tl = document.querySelector('.leaflet-top.leaflet-left'), card = document.querySelector('.yl-card');
  return {card: card.hidden ? null : r(card), controls: Array.from(tl.children).map(r).filter(Boolean),
          go: r(document.querySelector('.yl-search-go')), credit: r(document.querySelector('.leaflet-control-attribution'))};
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("en", (740, 360)), ("zh", (640, 360)),
                                            ("en", (844, 390))], ids=["zh-740", "en-740", "zh-640", "en-844"])
def test_a_card_beside_the_map_leaves_the_search_box_whole(pages: dict[str, Path], lang: Lang,
                                                           size: tuple[int, int]) -> None:
    """A phone held sideways: the card beside the map stood at 224 px over the search box's 查找 / Find button (the box
    257 px wide); it now stands right of every control at the left, a not-found row under the box included, and still
    clear of the credit (old: card [224, 76, 604, 331] over the button [212, 218, 265, 262] at 740 x 360). Since
    session 57 a search finding nothing closes the card: the not-found row never stands beside it."""
    with live_page(pages[lang], viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        p.evaluate("() => window.yuanluo.showUnit('U005', true)")
        p.wait_for_timeout(250)
        shown = p.evaluate(LEFT)
        box = p.locator(".yl-search")
        box.locator("input").fill("no such place")
        box.locator("button.yl-search-go").tap(timeout=3000)  # old: under the card, never tapped
        p.wait_for_timeout(250)
        missed = p.evaluate(LEFT)
        p.locator(".yl-search-go").tap(timeout=3000)  # the button is there to tap again
        p.screenshot(path=str(pages[lang].parent / f"s48-e-beside-{lang}-{size[0]}.png"))
        assert not errors, errors
    s = shown
    assert s["card"] is not None and s["card"][2] - s["card"][0] >= 240, s
    assert not any(_meet(s["card"], c) for c in s["controls"]), s
    assert not _meet(s["card"], s["credit"]), s
    # a search finding nothing closes the card (s57 U: it was read as the answer under 未找到)
    assert missed["card"] is None and len(missed["controls"]) == len(shown["controls"]), missed
