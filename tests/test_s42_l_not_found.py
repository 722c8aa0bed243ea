"""Session 42, helper L: the field map's 未找到 / not found (``.yl-search-msg``) had no background, so a unit id was
drawn through it (360 × 640, banan, search S0468), and it stayed after the next action (a GPS fix, a tap on the map, a
card). It is now an opaque row of its own under the box, cleared by any of them.

Fixture: the sample layers (400 households) at 360 × 640 and 390 × 844 on a touch screen, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search'), input = box.querySelector('input');
  input.value = q; box.querySelector('button.yl-search-go').click();
  const m = box.querySelector('.yl-search-msg'), r = m.getBoundingClientRect();
  return {msg: m.textContent, shown: r.height > 0, bg: getComputedStyle(m).backgroundColor};
}"""
MSG = "() => { const m = document.querySelector('.yl-search-msg'); return [m.textContent, m.getBoundingClientRect().height > 0]; }"
@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (390, 844))])
def test_not_found_is_opaque_and_cleared(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    path = save_map(sample_layers(400, block=5, seed=7), tmp_path / "m.html", lang=lang)
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        first = page.evaluate(SEARCH, "S0468")
        page.screenshot(path=str(SHOTS / f"s42_l_not_found_{lang}_{size[0]}.png"))
        page.evaluate("() => window.yuanluo.map.fire('locationfound', {latlng: window.yuanluo.map.getCenter(), accuracy: 10})")
        after_gps = page.evaluate(MSG)
        page.evaluate(SEARCH, "S0468")
        page.mouse.click(size[0] - 60, 150)  # a tap on the map, above the card
        after_tap = page.evaluate(MSG)
        page.evaluate(SEARCH, "S0468")
        page.evaluate("() => window.yuanluo.showUnit('U003', true)")
        after_card = page.evaluate(MSG)
        assert not errors, errors
    assert first["msg"] == text("map.not_found", lang) and first["shown"], first
    assert first["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), first
    assert after_gps == ["", False] and after_tap == ["", False] and after_card == ["", False], (after_gps, after_tap,
                                                                                                 after_card)
