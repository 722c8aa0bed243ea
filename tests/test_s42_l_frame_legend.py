"""Session 42, helper L: on a phone the field map framed a found unit under the search box, and its card hid the legend.

1. A unit found by the search was framed with a fixed margin of 60 px at the top (card.js ``showUnit``), partly under
   the search box, which stands 220-265 px down (4-9 of each unit's 25 households of the sample under it at 360 × 640
   and 390 × 844): it is now framed in the part of the map the controls (measured on the page) and the card leave
   free, below the stack at the top left or, where that leaves less room, beside it.
2. An open card covered the 图例 / legend button: the controls at the map's foot now stand above the card.

Fixture: the sample layers (400 households, 16 units) at 360 × 640 and 390 × 844 on a touch screen, zh and en.
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
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search'), input = box.querySelector('input');
  input.value = q; box.querySelector('button.yl-search-go').click();
  const m = box.querySelector('.yl-search-msg'), r = m.getBoundingClientRect();
  return {msg: m.textContent, shown: r.height > 0, bg: getComputedStyle(m).backgroundColor};
}"""
# every unit searched for: its households (in px of the map) under the search box or the card, or off the map
FRAMES = """() => {
  const Y = window.yuanluo, D = Y.households, out = {};
  Object.keys(Y.unitBounds).sort().forEach(uid => {
    const box = document.querySelector('.yl-search');
    box.querySelector('input').value = uid; box.querySelector('button.yl-search-go').click();
    const s = box.getBoundingClientRect(), m = Y.map.getContainer().getBoundingClientRect(), size = Y.map.getSize();
    const k = Y.unitIndex.get(uid), top = size.y - Y.sheetCover();
    let hidden = 0, n = 0;
    for (let i = 0; i < D.hid.length; i++) {
      if (D.u_[i] !== k) continue;
      n++;
      const p = Y.map.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]), x = p.x + m.left, y = p.y + m.top;
      if ((x >= s.left && x <= s.right && y >= s.top && y <= s.bottom) || p.y > top || p.x < 0 || p.x > size.x || p.y < 0)
        hidden++;
    }
    out[uid] = [hidden, n];
  });
  return out;
}"""
LEGEND = """() => {
  const t = document.querySelector('.yl-legend-toggle'), r = t.getBoundingClientRect();
  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {reachable: !!at && t.contains(at), h: r.height, card: !document.querySelector('.yl-card').hidden};
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (390, 844))])
def test_a_found_unit_is_clear_of_the_box_and_the_legend_of_the_card(tmp_path: Path, lang: str,
                                                                    size: tuple[int, int]) -> None:
    path = save_map(sample_layers(400, block=5, seed=7), tmp_path / "m.html", lang=lang)
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        frames = page.evaluate(FRAMES)
        page.evaluate(SEARCH, "U003")
        page.screenshot(path=str(SHOTS / f"s42_l_frame_{lang}_{size[0]}.png"))
        legend = page.evaluate(LEGEND)
        page.locator(".yl-legend-toggle").click()
        opened = page.evaluate("() => !document.querySelector('.yl-legend').classList.contains('yl-collapsed')")
        assert not errors, errors
    assert len(frames) == 16 and all(n > 0 for _, n in frames.values()), frames
    assert {u: h for u, (h, n) in frames.items() if h} == {}, frames
    assert legend["card"] and legend["reachable"] and legend["h"] >= 44, legend
    assert opened
