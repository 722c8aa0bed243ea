"""Session 60, helper U: the unit ids (and the household dots, meeting points) move with the map while it flies.

The ◎ control flies to a fix (Leaflet's flyToBounds: the map moved frame by frame, the move ended only at the end).
The canvases the field map draws on (Y.CanvasLayer: households, meeting points, unit ids) were drawn again only
when a move ended: during the flight the ids stood where they had been on the screen while the territories moved and
grew under them, and jumped to their places when it ended. The canvas now moves and scales with the map at each
frame (as Leaflet moves its own vector layers) and is drawn afresh when the move ends.

Fixture: the sample layers (400 households), the fix at one household, 360 x 640, zh and en. At each frame of the
flight every id drawn before it is measured where its canvas puts it on the screen against where the map shows the
spot it was drawn at; the old canvas stood still, so the two parted by hundreds of pixels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, open_in_chromium

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

# the ids drawn (Y.unitLabelsAt: canvas pixels) and the map's spot under each, noted whenever the ids are drawn
# anew; at each frame of a move (zoom, move) each id's place on the screen (the canvas's box: its place and scale)
# against where the map now shows its spot. Tap ◎, wait for the GPS card and the map to rest
FLY = """new Promise(res => {
  const Y = window.yuanluo, m = Y.map, canvas = Y.unitLabels._c;
  let spots = {}, frames = 0, worst = 0, zooms = new Set(), last = Date.now();
  const note = () => { spots = {}; const box = m.getContainer().getBoundingClientRect();
    Object.entries(Y.unitLabelsAt).forEach(([id, p]) => { spots[id] = [p, m.containerPointToLatLng(p)]; }); };
  note();
  const ids0 = Object.keys(spots).length;
  m.on('moveend zoomend viewreset resize', note);
  m.on('zoom move', () => {
    last = Date.now(); zooms.add(m.getZoom().toFixed(3));
    const r = canvas.getBoundingClientRect(), s = r.width / canvas.width, box = m.getContainer().getBoundingClientRect();
    Object.values(spots).forEach(([p, ll]) => {
      const q = m.latLngToContainerPoint(ll), x = r.left + p[0] * s, y = r.top + p[1] * s;
      worst = Math.max(worst, Math.hypot(x - box.left - q.x, y - box.top - q.y));
    });
    frames++;
  });
  m.on('movestart moveend', () => { last = Date.now(); });
  document.querySelector('.leaflet-control-locate a').click();
  const t0 = Date.now(), poll = () => {
    const card = document.querySelector('[data-card="gps"]');
    if (card && !card.hidden && frames && Date.now() - last > 800)
      res({ids: ids0, frames: frames, zooms: zooms.size, worst: Math.round(worst * 10) / 10,
           after: Object.keys(Y.unitLabelsAt).length, transform: canvas.style.transform});
    else if (Date.now() - t0 > 20000) res({timeout: true, frames: frames, ids: ids0}); else setTimeout(poll, 50);
  }; poll(); })"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_ids_move_with_the_map_while_it_flies_to_a_fix(tmp_path: Path, lang: str) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    hh = lyr["households"].to_crs(4326)
    at = hh.geometry.iloc[len(hh) // 3]
    path = save_map(lyr, tmp_path / "m.html", lang=lang)
    rep = open_in_chromium(path, viewport=(360, 640), wait_for="!!(window.yuanluo && window.yuanluo.find)",
                           geolocation=(float(at.y), float(at.x)), timeout_s=40, evaluate={"fly": FLY})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests, rep.console_errors
    fly = rep.counts["fly"]
    assert fly and not fly.get("timeout"), fly
    assert fly["ids"] >= 3 and fly["frames"] >= 5 and fly["zooms"] >= 3, fly  # ids in view, and a real flight
    assert fly["worst"] <= 1.5, fly  # old: the ids stood still while the map flew (hundreds of px)
    assert fly["after"] >= 1 and "scale" not in fly["transform"], fly  # drawn afresh at the end, unscaled
