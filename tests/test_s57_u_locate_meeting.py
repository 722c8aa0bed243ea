"""Session 57, helper U (audit of the demo's map on a phone, item 6): a tap on ◎ showed the fix at zoom 18 (a 30 m
scale bar); the GPS card names the unit and its meeting point (议事点 AD0875 户 → 前往), but neither was in view. As
the editor frames you and your unit, the field map now frames the fix and its unit's meeting point clear of the
controls, the credit and the card (card.js Y.frame) once the control's flight ends.

Fixture: the sample layers (400 households), the fix at the household farthest from its unit's meeting point, zh and
en at 360 x 640.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, open_in_chromium
from test_s57_u_locate_clear import TAP_AND_REST

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# the fix's unit's meeting point on screen (as meeting_points.js draws it) against every box over the map
MEETING = """(() => {
  const Y = window.yuanluo, m = Y.map, card = document.querySelector('[data-card="gps"]');
  const k = Y.unitIndex.get(card.getAttribute('data-id')), i = Y.householdIndex(Y.cardF.meet[k]);
  const p = m.latLngToContainerPoint([Y.households.xy.lat[i], Y.households.xy.lon[i]]), r = 6, bad = [];
  const box = m.getContainer().getBoundingClientRect(), x = box.left + p.x, y = box.top + p.y;
  document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title, .yl-card').forEach(e => {
    const b = e.getBoundingClientRect();
    if (b.width && b.height && x + r > b.left && x - r < b.right && y + r > b.top && y - r < b.bottom)
      bad.push(e.className.split(' ').slice(0, 2).join(' '));
  });
  if (x < r || y < r || x > innerWidth - r || y > innerHeight - r) bad.push('edge');
  return {meeting: Y.cardF.meet[k], bad: bad, zoom: m.getZoom()};
})()"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_locate_frames_the_fix_and_its_meeting_point(tmp_path: Path, lang: str) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    hh, mp = lyr["households"], lyr["meeting_points"].set_index("unit_id")
    hh = hh[hh["unit_id"].notna()]
    far = hh.geometry.distance(mp.geometry.reindex(hh["unit_id"]).set_axis(hh.index)).idxmax()
    at = hh.to_crs(4326).geometry.loc[far]
    path = save_map(lyr, tmp_path / "m.html", lang=lang,
                    credit="© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)")
    rep = open_in_chromium(path, viewport=(360, 640), wait_for="!!(window.yuanluo && window.yuanluo.find)",
                           geolocation=(float(at.y), float(at.x)), timeout_s=30,
                           screenshot=SHOTS / f"s57_u_locate_meeting_{lang}.png",
                           evaluate={"fix": TAP_AND_REST, "meeting": MEETING})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    fix, meeting = rep.counts["fix"], rep.counts["meeting"]
    assert fix is not None and fix["bad"] == [], fix  # the ring clear, as before
    assert meeting["meeting"] and meeting["bad"] == [], (meeting, fix)  # old: off the screen at zoom 18
