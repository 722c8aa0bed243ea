"""Session 42, lead: with a card open on a phone, the map's scale stood under a two-line data credit.

5d3393a lifted the controls at the map's foot (legend, credit, scale) above an open card, all by the card's height;
at the foot without a card the scale stands above a credit wrapped across the screen (ui.js ``liftScale``), but with
the card open both corners were set to the same height and the credit covered the scale ("© OpenStreetMap
contributors (ODbL); SRTM (NASA/USGS)" over "200 m" on the demo at 390 × 844). The scale now stands above the credit
with a card open too, and back in its place when the card closes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.showUnit)"
RECTS = """() => {
  const e = document.querySelector('.leaflet-control-attribution'), a = e.getBoundingClientRect(),
        s = document.querySelector('.leaflet-control-scale').getBoundingClientRect();
  // the top of its line: a credit folded over a card has a transparent top to its box, a tap target (s53 E)
  return {creditTop: a.top + e.clientTop, creditLeft: a.left, scaleBottom: s.bottom, scaleRight: s.right};
}"""


@pytest.mark.parametrize("size", [(390, 844), (360, 640)])
def test_scale_above_a_wrapped_credit_with_a_card_open(tmp_path: Path, size: tuple[int, int]) -> None:
    credit = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS); 重庆市巴南区规划和自然资源局 2026"
    path = save_map(sample_layers(400, block=5, seed=7), tmp_path / "m.html", lang="zh", credit=credit)
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        closed = page.evaluate(RECTS)
        page.evaluate("() => window.yuanluo.showUnit('U005', true)")
        page.wait_for_timeout(300)
        opened = page.evaluate(RECTS)
        page.screenshot(path=str(SHOTS / f"s42_lead_scale_credit_{size[0]}.png"))
        page.evaluate("() => document.querySelector('.yl-card-head button').click()")
        page.wait_for_timeout(300)
        again = page.evaluate(RECTS)
        assert not errors, errors
    for r in (closed, opened, again):  # the credit wraps under the scale's corner: the scale stands above it
        assert r["creditLeft"] < r["scaleRight"], r
        assert r["scaleBottom"] <= r["creditTop"] + 0.5, r
    assert opened["creditTop"] < closed["creditTop"] - 100, (opened, closed)  # lifted above the card
    assert abs(again["scaleBottom"] - closed["scaleBottom"]) < 1, (again, closed)
