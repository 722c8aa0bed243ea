"""Session 45, helper F: the households a search found, readable over the dots at every zoom, and a pulse.

Session 44 ringed each household of a found village (a dark ring on a white halo, thinner below zoom 15): with a
whole village of 400 households in view (zoom 14 at 390 × 844) the rings of neighbours crossed each other's dots,
dark blobs over the dots' colours. The found set is now one outline about the union of discs around its households
(Y.placeMarkRadius px by zoom), nothing drawn within it: no household's dot is painted over at any zoom. The place
the search went to (a unit, a household, a village) pulses briefly: a ring (yuanluo.css .yl-pulse, three beats),
still where the phone asks for reduced motion, gone after 2.6 s.

Fixture: the sample layers (400 households, 16 units), units 1-8 in the village ``</script><b>x</b>村`` and 9-16
in 胜利村; 390 × 844 zh and 360 × 640 en, touch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.maps import offline
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
HOSTILE = "</script><b>x</b>村"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search');
  box.querySelector('input').value = q; box.querySelector('button.yl-search-go').click();
  return box.querySelector('.yl-search-msg').textContent;
}"""
# the canvases on the page before the search, so the mark's canvas is the one added by it
BEFORE = "() => { window.__c = Array.from(document.querySelectorAll('canvas')); return window.__c.length; }"
# of the households of village v: how many are in view, and how many have a pixel of the mark's canvas drawn within
# 2 px of their centre (over their dot); how many pixels the mark draws, and how many lie half opaque or more within
# r - 2 px of a found household (inside the outline of the union of discs about them; every other pixel checked)
PAINT = """(v) => {
  const Y = window.yuanluo, D = Y.households, m = Y.map, f = D.fields.indexOf('village');
  // the mark's canvas (old pages: the first canvas the search added)
  const c = Y.placeMarkCanvas ? Y.placeMarkCanvas()
          : Array.from(document.querySelectorAll('canvas')).filter(x => !window.__c.includes(x))[0];
  const ctx = c.getContext('2d'), img = ctx.getImageData(0, 0, c.width, c.height).data, W = c.width, H = c.height;
  const r = Y.placeMarkRadius ? Y.placeMarkRadius(m.getZoom()) : null, pts = [];
  for (let i = 0; i < D.hid.length; i++) {
    if (D.extra[f].v[D.extra[f].c[i]] !== v) continue;
    const p = m.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]);
    if (p.x >= 3 && p.y >= 3 && p.x < W - 3 && p.y < H - 3) pts.push(p);
  }
  let over = 0;
  pts.forEach(p => {
    let hit = false;
    for (let dy = -2; dy <= 2 && !hit; dy++) for (let dx = -2; dx <= 2 && !hit; dx++)
      if (img[((Math.round(p.y) + dy) * W + Math.round(p.x) + dx) * 4 + 3] > 0) hit = true;
    if (hit) over++;
  });
  let drawn = 0, stray = 0;
  for (let y = 0; y < H; y += 2) for (let x = 0; x < W; x += 2) {
    if (!img[(y * W + x) * 4 + 3]) continue;
    drawn++;
    let near = Infinity;
    pts.forEach(p => { near = Math.min(near, Math.hypot(p.x - x - 0.5, p.y - y - 0.5)); });
    // at least half opaque within the outline's inner edge and its 1-2 px of smoothing
    if (r !== null && near < r - 2 && img[(y * W + x) * 4 + 3] >= 128) stray++;
  }
  return {z: m.getZoom(), r: r, inView: pts.length, over: over, drawn: drawn, stray: stray};
}"""
# the view on the mean place of village v's households at zoom z
CENTRE = """([v, z]) => {
  const Y = window.yuanluo, D = Y.households, f = D.fields.indexOf('village');
  let la = 0, lo = 0, n = 0;
  for (let i = 0; i < D.hid.length; i++) if (D.extra[f].v[D.extra[f].c[i]] === v) { la += D.xy.lat[i]; lo += D.xy.lon[i]; n++; }
  Y.map.setView([la / n, lo / n], z, {animate: false});
}"""
PULSE = """() => {
  const e = window.yuanluo.pulsing, s = e ? getComputedStyle(e) : null, r = e ? e.getBoundingClientRect() : null;
  return e ? {name: s.animationName, beats: s.animationIterationCount, centre: [r.left + r.width / 2, r.top + r.height / 2],
              size: [Math.round(r.width), Math.round(r.height)]} : null;
}"""
# the centre on the screen of unit u's bounds, of household h, of village v's households
WHERE = """([kind, id]) => {
  const Y = window.yuanluo, m = Y.map, D = Y.households, box = m.getContainer().getBoundingClientRect();
  let b;
  if (kind === 'unit') { const q = Y.unitBounds[id]; b = L.latLngBounds([[q[0], q[1]], [q[2], q[3]]]); }
  else if (kind === 'household') { const k = Y.householdIndex(id); b = L.latLngBounds([[D.xy.lat[k], D.xy.lon[k]], [D.xy.lat[k], D.xy.lon[k]]]); }
  else { const f = D.fields.indexOf('village'), ll = [];
         for (let i = 0; i < D.hid.length; i++) if (D.extra[f].v[D.extra[f].c[i]] === id) ll.push([D.xy.lat[i], D.xy.lon[i]]);
         b = L.latLngBounds(ll); }
  const p = m.latLngToContainerPoint(b.getCenter());
  return [p.x + box.left, p.y + box.top];
}"""


def _layers() -> dict:
    lay = sample_layers(400, block=5, seed=7)
    order = {u: j for j, u in enumerate(sorted(lay["units"]["unit_id"].astype(str)))}
    at = lay["households"]["unit_id"].map(lambda u: order.get(u, 0))
    lay["households"] = lay["households"].assign(village=at.map(lambda j: HOSTILE if j < 8 else "胜利村"))
    return lay


@pytest.mark.parametrize(("lang", "size"), [("zh", (390, 844)), ("en", (360, 640))])
def test_the_found_set_leaves_every_dot_as_it_is(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    lay = _layers()
    n = int((lay["households"]["village"] == HOSTILE).sum())
    path = save_map(lay, tmp_path / f"f_{lang}.html", lang=lang)
    seen = {}
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        page.evaluate("() => window.yuanluo.map.setView(window.yuanluo.map.getCenter(), 14, {animate: false})")
        page.evaluate(BEFORE)
        assert page.evaluate(SEARCH, HOSTILE) == ""
        page.wait_for_timeout(50)
        marked = page.evaluate("() => window.yuanluo.placeMarked")
        for z in (13, 14, 15, 17):
            page.evaluate(CENTRE, [HOSTILE, z])  # the view on the middle of the village at zoom z
            page.wait_for_timeout(50)
            seen[z] = page.evaluate(PAINT, HOSTILE)
            if z == 14:
                page.screenshot(path=str(tmp_path.parent / f"s45_f_found_{lang}_{size[0]}_z14.png"))
        assert not errors, errors
    assert marked == n
    for z, s in seen.items():
        assert s["inView"] > 0 and s["drawn"] > 0, (z, s)
        # old, zh 390 x 844 at zoom 14: 194 of the 200 households' dots under a neighbour's ring or halo
        assert s["over"] == 0, (z, s)
        assert s["stray"] == 0, (z, s)  # nothing drawn within the outline
    assert [seen[z]["r"] for z in (13, 14, 15, 17)] == [6, 6, 7, 9]


@pytest.mark.parametrize("reduce", [False, True])
def test_the_place_the_search_went_to_pulses(tmp_path: Path, reduce: bool) -> None:
    lay = _layers()
    path = save_map(lay, tmp_path / "p.html", lang="zh")
    hid = str(lay["households"].index[37])
    got = {}
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        if reduce:
            page.emulate_media(reduced_motion="reduce")
        for kind, q in (("unit", "U003"), ("household", hid), ("village", HOSTILE)):
            assert page.evaluate(SEARCH, q) == ""
            got[kind] = [page.evaluate(PULSE), page.evaluate(WHERE, [kind, q])]
        page.wait_for_timeout(2800)
        gone = page.evaluate(PULSE)
        assert not errors, errors
    for kind, (pulse, centre) in got.items():
        assert pulse is not None, kind  # old: no pulse
        assert pulse["name"] == ("none" if reduce else "yl-pulse"), (kind, pulse)
        assert reduce or pulse["beats"] == "3", (kind, pulse)
        assert abs(pulse["centre"][0] - centre[0]) <= 2 and abs(pulse["centre"][1] - centre[1]) <= 2, (kind, pulse, centre)
        assert pulse["size"][0] == pulse["size"][1] >= 36, (kind, pulse)
    assert gone is None


def test_the_pulse_honours_reduced_motion_in_the_css() -> None:
    css = offline.read_own_asset("yuanluo.css")
    rule = css[css.index("@media (prefers-reduced-motion: reduce)"):]
    assert ".yl-pulse" in rule.split("}")[0] and "animation: none" in rule.split("}")[0]
    assert "@keyframes yl-pulse" in css
