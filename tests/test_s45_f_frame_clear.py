"""Session 45, helper F: what the field map is framed to lies clear of every control.

Session 44 left a unit of a Chongqing-like village partly under the legend button at 360 × 640 (zh, U023 of the demo
with villages and groups: 3 of its 41 households under it, framed by the search with its card open). The frame took
a strip across the map below the top-left stack and above the card, the controls lifted above the card (legend
button, scale, credit) left out of it: a unit wider than tall filled the strip's width and its lower right corner
lay under the legend button. The frame (a unit, a village, a group: card.js Y.frame) and the first view (ui.js) now
take the clear rectangle of the map, among those whose edges are the map's and the controls' edges, that shows what
is framed largest (yuanluo.js Y.clearPadding).

Fixture: the sample layers (400 households, 16 units of 5 × 5 households) stretched four times along y, a village
strung along a valley: every unit four times as tall as wide. Each unit is searched by its id as an official types it,
each village and a group by its name; the households framed are measured against the boxes of the controls, stamp,
title and card (boxes, not pixels), at 360 × 640, 390 × 844, 412 × 915 (touch) and a desk's 1366 × 768, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search');
  box.querySelector('input').value = q; box.querySelector('button.yl-search-go').click();
  return box.querySelector('.yl-search-msg').textContent;
}"""
# the households (of unit uid; of the field f equal to v; all) drawn under a control, the stamp, the title or the
# open card, each box named by its first class, and how many lie off the map
UNDER = """([uid, f, v]) => {
  const Y = window.yuanluo, D = Y.households, m = Y.map, size = m.getSize(), box = m.getContainer().getBoundingClientRect();
  const els = Array.from(document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title, .yl-card'));
  const k = uid === null ? null : Y.unitIndex.get(uid), fi = f === null ? -1 : D.fields.indexOf(f);
  const out = {}; let n = 0;
  for (let i = 0; i < D.hid.length; i++) {
    if (k !== null && D.u_[i] !== k) continue;
    if (fi >= 0 && D.extra[fi].v[D.extra[fi].c[i]] !== v) continue;
    n++;
    const p = m.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]);
    if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { out.off = (out.off || 0) + 1; continue; }
    els.forEach(e => {
      const r = e.getBoundingClientRect();
      if (r.width && r.height && p.x >= r.left - box.left && p.x <= r.right - box.left && p.y >= r.top - box.top
          && p.y <= r.bottom - box.top) {
        const c = e.className.split(' ').filter(s => s && s !== 'leaflet-control' && s !== 'leaflet-bar')[0] || 'control';
        out[c] = (out[c] || 0) + 1;
      }
    });
  }
  return [n, out];
}"""
SIZES = [(360, 640), (390, 844), (412, 915), (1366, 768)]


def _valley() -> dict:
    lay = sample_layers(400, block=5, seed=7)
    origin = (600_000.0, 3_300_000.0)
    for name in ("households", "units", "meeting_points"):
        lay[name] = lay[name].set_geometry(lay[name].geometry.scale(xfact=1.0, yfact=4.0, origin=origin))
    hh = lay["households"]
    order = {u: j for j, u in enumerate(sorted(lay["units"]["unit_id"].astype(str)))}
    at = hh["unit_id"].map(lambda u: order.get(u, 0))  # a household in no unit: with the first
    lay["households"] = hh.assign(village=at.map(lambda j: "</script><b>x</b>村" if j < 8 else "胜利村"),
                                  group=at.map(lambda j: f"{j // 4 + 1}组"))
    return lay


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_what_is_framed_is_clear_of_every_control(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    lay = _valley()
    path = save_map(lay, tmp_path / f"v_{lang}.html", lang=lang, credit=CREDIT)
    units = sorted(lay["units"]["unit_id"].astype(str))
    found: dict[str, list] = {}
    with live_page(path, viewport=size, ready=READY, touch=size[0] < 700) as (page, errors):
        page.wait_for_timeout(100)
        first = page.evaluate(UNDER, [None, None, None])
        for uid in units:
            page.evaluate("() => window.yuanluo.closeCard()")
            msg = page.evaluate(SEARCH, uid)  # the unit framed with its card open
            page.wait_for_timeout(60)  # the card's ResizeObserver: framed again if the room changed
            found[uid] = [msg, page.evaluate("() => document.querySelector('.yl-card').getAttribute('data-id')"),
                          page.evaluate(UNDER, [uid, None, None])]
        for field, value in (("village", "胜利村"), ("village", "</script><b>x</b>村"), ("group", "3组")):
            msg = page.evaluate(SEARCH, value)  # a place: framed with the card closed, its households marked
            page.wait_for_timeout(60)
            found[value] = [msg, page.evaluate("() => window.yuanluo.placeMarked"),
                            page.evaluate(UNDER, [None, field, value])]
        if size == (360, 640):
            page.evaluate(SEARCH, units[3])
            page.wait_for_timeout(60)
            page.screenshot(path=str(tmp_path.parent / f"s45_f_frame_{lang}_{size[0]}.png"))
        assert not errors, errors
    assert first[0] == 400 and first[1] == {}, first
    hh = lay["households"]
    for uid in units:
        n = int((hh["unit_id"].astype(str) == uid).sum())
        # old, zh 360 x 640: 12 of the 16 units had 1-5 households under the legend button, lifted above the card
        assert found[uid] == ["", uid, [n, {}]], (uid, found[uid])
    for field, value in (("village", "胜利村"), ("village", "</script><b>x</b>村"), ("group", "3组")):
        n = int((hh[field] == value).sum())
        assert found[value] == ["", n, [n, {}]], (value, found[value])
