"""Session 57, helper U (audit of the demo's map on a phone): a tap on ◎ showed no "you are here" ring at 360 x 640.
The locate control flies to the fix and puts it in the middle of the map; the GPS card (你在院落 … 内) opens across
the foot of the screen, and the middle then lies at its top edge, under the credit line lifted above it: the ring
was drawn behind "Leaflet | © OpenStreetMap 贡献者…". Once the control's flight ends, a fix under a control, the
credit or the card is moved to the clear spot a found household goes to (Y.freeSpot); a map moved away by hand is
not moved back.

Fixture: the sample layers (400 households), the fix at one household, zh and en, 360 x 640 and 390 x 844.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, open_in_chromium

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"

# tap ◎, wait for the GPS card and for the map to rest (no move for 800 ms), then the ring (the locate control's
# marker, its box) against every box over the map: the controls (the credit is one), stamp, title and card
TAP_AND_REST = """new Promise(res => {
  const Y = window.yuanluo, m = Y.map;
  let last = Date.now(); m.on('movestart move moveend', () => { last = Date.now(); });
  document.querySelector('.leaflet-control-locate a').click();
  const t0 = Date.now(), poll = () => {
    const card = document.querySelector('[data-card="gps"]'), mark = document.querySelector('.leaflet-control-locate-location');
    if (card && !card.hidden && mark && Date.now() - last > 800) {
      const r = mark.getBoundingClientRect(), bad = [];
      document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title, .yl-card').forEach(e => {
        const b = e.getBoundingClientRect();
        if (b.width && b.height && r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom)
          bad.push(e.className.split(' ').slice(0, 2).join(' '));
      });
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) bad.push('edge');
      res({bad: bad, at: [Math.round(r.left), Math.round(r.top)], card: card.textContent});
    } else if (Date.now() - t0 > 15000) res(null); else setTimeout(poll, 100);
  }; poll(); })"""
# then the map dragged by hand (a pan of 150 px down) and a second fix: the map is not moved back to it
MOVED_BY_HAND = """new Promise(res => {
  const Y = window.yuanluo, m = Y.map;
  m.fire('dragstart'); m.panBy([0, -150], {animate: false}); m.fire('dragend');
  const before = m.getCenter();
  m.fire('locationfound', {latlng: L.latLng(before.lat + 0.00001, before.lng), accuracy: 20});
  setTimeout(() => { const after = m.getCenter(); res([before.lat === after.lat && before.lng === after.lng]); }, 1500);
})"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844)),
                                            ("en", (390, 844))])
def test_the_ring_of_a_fix_stands_clear_of_the_card_and_credit(tmp_path: Path, lang: str,
                                                               size: tuple[int, int]) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    hh = lyr["households"].to_crs(4326)
    at = hh.geometry.iloc[len(hh) // 2]
    path = save_map(lyr, tmp_path / "m.html", lang=lang,
                    credit="© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)")
    rep = open_in_chromium(path, viewport=size, wait_for="!!(window.yuanluo && window.yuanluo.find)",
                           geolocation=(float(at.y), float(at.x)), timeout_s=30,
                           screenshot=SHOTS / f"s57_u_locate_{lang}_{size[0]}.png",
                           evaluate={"fix": TAP_AND_REST, "hand": MOVED_BY_HAND})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    fix = rep.counts["fix"]
    assert fix is not None, "no GPS card, or the map never rested"
    assert ("U" in fix["card"]) and fix["bad"] == [], fix
    assert rep.counts["hand"] == [True]
