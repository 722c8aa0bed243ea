"""The saved map in headless Chromium with the network blocked: nothing leaves the page, no console
errors, every household and unit drawn, search works. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

COUNTS = {
    "households": "window.yuanluo.householdsDrawn",
    "units": "window.yuanluo.nUnits",
    "territories": "document.querySelectorAll('.leaflet-overlay-pane canvas').length",
    "painted": "window.yuanluo.householdsPainted",
    "stamp": "document.querySelector('.yl-stamp').textContent",
    "controls": "document.querySelectorAll('.leaflet-control').length",
}


CLICK_FIRST = """(() => {
  const Y = window.yuanluo, D = Y.households;
  const p = Y.map.latLngToContainerPoint([D.xy.lat[0], D.xy.lon[0]]);
  Y.map.fire('click', {containerPoint: p, latlng: Y.map.containerPointToLatLng(p)});
  const el = document.querySelector('[data-card="household"]');
  return el ? el.textContent : null;
})()"""


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(600, block=5, seed=7)


def test_offline_map_in_chromium(layers, tmp_path):
    require_browser()
    b = layers["households"].total_bounds
    yy, xx = np.mgrid[0:50, 0:50]
    path = save_map(layers, tmp_path / "map.html",
                    hillshade=(np.sin(xx / 6.0) * 20 + yy, tuple(b), "EPSG:32648"))
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "map_offline.png", wait_for="window.yuanluo",
                           evaluate={**COUNTS,
                                     "click_popup": CLICK_FIRST,
                                     "find_household": "window.yuanluo.find('000005')",
                                     "find_unit": "window.yuanluo.find('U003')",
                                     "find_nothing": "window.yuanluo.find('nope')"})
    assert rep.external_requests == []
    assert rep.console_errors == []
    assert rep.csp_violations == [] and rep.dialogs == []
    n_units = len(set(layers["households"]["unit_id"].dropna()) | set(layers["units"]["unit_id"]))
    assert rep.counts["households"] == len(layers["households"])
    assert rep.counts["painted"] == len(layers["households"])  # all in the initial view
    assert rep.counts["units"] == n_units
    assert rep.counts["territories"] >= 1  # canvas renderer
    assert rep.counts["stamp"] == "内部工作用图"
    assert rep.counts["controls"] >= 6  # zoom, fullscreen, locate, search, layers, scale, legend
    assert "000001" in rep.counts["click_popup"]  # canvas hit-testing finds the household
    assert rep.counts["find_household"] == "household"
    assert rep.counts["find_unit"] == "unit"
    assert rep.counts["find_nothing"] is False
    assert rep.screenshot is not None and rep.screenshot.stat().st_size > 10_000


def test_english_map_and_harness_catches_network(layers, tmp_path):
    """With an opt-in OSM basemap the harness must see (and block) the tile requests."""
    require_browser()
    path = save_map(layers, tmp_path / "map_osm.html", lang="en", basemap="osm")
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "map_osm_blocked.png", wait_for="window.yuanluo",
                           evaluate={"households": "window.yuanluo.householdsDrawn"})
    assert rep.counts["households"] == len(layers["households"])
    assert rep.csp_violations == []  # the chosen basemap's tile host is allowed
    assert rep.external_requests, "tile requests should have been recorded"
    assert all("tile.openstreetmap.org" in u for u in rep.external_requests)


UNIT_CARD = """(() => { const Y = window.yuanluo; Y.showUnit('U001', false);
  const el = document.querySelector('[data-card="unit"]'); return el ? el.textContent : null; })()"""


def _zoom(z: int) -> str:
    return (f"(() => {{ const m = window.yuanluo.map; m.setZoom({z}, {{animate: false}});"
            " return [m.getZoom(), window.yuanluo.householdsPainted, window.yuanluo.meetingPainted]; })()")


def test_households_culled_and_hidden_when_zoomed_out(layers, tmp_path, monkeypatch):
    """With a budget of 100 households in view, zooming out below the ~1.5 px spacing zoom leaves only the
    unit fills; zooming in draws only the households in view (grid culling)."""
    require_browser()
    import yuanluo.maps.interactive as mi

    monkeypatch.setattr(mi, "HOUSEHOLD_BUDGET", 100)
    path = save_map(layers, tmp_path / "map_gate.html", lang="en")
    rep = open_in_chromium(path, wait_for="window.yuanluo",
                           evaluate={"zmin": "window.yuanluo.households.zmin", "tip": UNIT_CARD,
                                     "out": _zoom(11), "in": _zoom(19), "mid": _zoom(15)})
    assert rep.console_errors == []
    zmin = rep.counts["zmin"]
    assert 11 < zmin < 15
    assert rep.counts["out"] == [11, 0, 0]  # nothing but unit fills
    z, painted, meeting = rep.counts["in"]
    assert z == 19 and 0 < painted < len(layers["households"]) and meeting >= 0
    assert rep.counts["mid"] == [15, len(layers["households"]), len(layers["meeting_points"])]
    tip = rep.counts["tip"]
    for text in ("Unit U001", "Size", "Status", "Meeting point", "Mean / longest walk"):
        assert text in tip, text


LABEL_UNDER_SEARCH = """(() => {
  const Y = window.yuanluo, m = Y.map, P = Y.unitLabelPlaces, k = P.ids.indexOf('U003');
  m.setZoom(m.getZoom() + 2, {animate: false});
  const box = m.getContainer().getBoundingClientRect();
  const r = document.querySelector('.yl-search').closest('.leaflet-control').getBoundingClientRect();
  const p = m.latLngToContainerPoint(P.at[k]);
  m.panBy([p.x - ((r.left + r.right) / 2 - box.left), p.y - ((r.top + r.bottom) / 2 - box.top)], {animate: false});
  const a = m.latLngToContainerPoint(P.at[k]), b = m.latLngToContainerPoint(P.alt[k]);
  return {search: [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top],
          first: [a.x, a.y], second: [b.x, b.y], drawn: Y.unitLabelsAt['U003']};
})()"""


def _on_phone(layers: dict, tmp_path, shot: str, script: str) -> dict:
    """The map of ``layers`` opened at 390 × 844 (screenshot ``shot`` in the artifacts), ``script`` run on it:
    its result, after checking that the page logged no error and broke no CSP rule."""
    require_browser()
    path = save_map(layers, tmp_path / "map.html")
    rep = open_in_chromium(path, screenshot=ARTIFACTS / shot, viewport=(390, 844), wait_for="window.yuanluo",
                           evaluate={"run": script})
    assert rep.console_errors == [] and rep.csp_violations == []
    return rep.counts["run"]


LABEL_AT_EDGE = """(() => {
  const Y = window.yuanluo, m = Y.map, P = Y.unitLabelPlaces, k = P.ids.indexOf('U003');
  m.setZoom(m.getZoom() + 2, {animate: false});
  const size = m.getSize(), a0 = m.latLngToContainerPoint(P.at[k]), b0 = m.latLngToContainerPoint(P.alt[k]);
  const x = b0.x < a0.x ? 3 : size.x - 3;  // the edge on the side of its second place: both then lie off it
  m.panBy([a0.x - x, a0.y - size.y / 2], {animate: false});
  const a = m.latLngToContainerPoint(P.at[k]), b = m.latLngToContainerPoint(P.alt[k]);
  return {size: [size.x, size.y], first: [a.x, a.y], second: [b.x, b.y], drawn: Y.unitLabelsAt['U003']};
})()"""


def test_a_unit_id_at_the_edge_of_the_map_is_drawn_whole(layers, tmp_path):
    """U003's first place is put 3 px from the side of the phone's map on which its second place lies: both
    places are partly or wholly off the map, so the id is moved in just far enough to be read whole."""
    r = _on_phone(layers, tmp_path, "map_label_edge_phone.png", LABEL_AT_EDGE)
    width = r["size"][0]
    assert min(r["first"][0], width - r["first"][0]) < 5  # the first place at the edge
    assert r["second"][0] < 0 or r["second"][0] > width  # the second off the map
    dx, dy = r["drawn"]
    assert 12 <= dx <= width - 12 and abs(dy - r["first"][1]) <= 1  # whole: "U003" is over 24 px wide
    assert abs(dx - r["first"][0]) < 40  # moved no farther than half its width and the halo


LABELS_CROWDED = """(() => {
  const Y = window.yuanluo, m = Y.map, P = Y.unitLabelPlaces;
  m.setZoom(m.getZoom() - 1, {animate: false});
  const size = m.getSize();
  let inside = 0;
  P.ids.forEach((id, k) => { const p = m.latLngToContainerPoint(P.at[k]);
    if (p.x > 0 && p.y > 0 && p.x < size.x && p.y < size.y) inside++; });
  return {boxes: Object.values(Y.unitLabelBoxes), painted: Y.unitLabelsPainted, inside: inside};
})()"""


def test_unit_ids_never_overlap_when_the_map_is_zoomed_out(layers, tmp_path):
    """Zoomed out on the phone, units are too small for every id: each id is drawn clear of those drawn
    before it (at its first or second place) or left out, never over another; most are still drawn."""
    r = _on_phone(layers, tmp_path, "map_labels_crowded_phone.png", LABELS_CROWDED)
    boxes = r["boxes"]
    assert len(boxes) == r["painted"] and r["painted"] >= r["inside"] / 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_unit_id_the_search_box_would_hide_goes_to_its_second_place(layers, tmp_path):
    r = _on_phone(layers, tmp_path, "map_label_moved_phone.png", LABEL_UNDER_SEARCH)
    x0, y0, x1, y1 = r["search"]
    fx, fy = r["first"]
    assert x0 < fx < x1 and y0 < fy < y1  # its first place lies under the search box
    dx, dy = r["drawn"]
    assert not (x0 - 20 < dx < x1 + 20 and y0 - 9 < dy < y1 + 9)  # drawn clear of it
    assert np.allclose([dx, dy], r["second"], atol=1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_count_of_one_in_the_singular(layers, tmp_path, lang):
    """The page fills in its own counts (unit cards: "{n} households"); in English one is said in the singular."""
    require_browser()
    path = save_map(layers, tmp_path / f"map-{lang}.html", lang=lang)
    fill = "window.yuanluo.fill('{n} households; {n} units are; 21 households', {n: %d})"
    rep = open_in_chromium(path, wait_for="window.yuanluo", evaluate={"one": fill % 1, "two": fill % 2})
    assert rep.console_errors == [] and rep.csp_violations == []
    if lang == "en":
        assert rep.counts["one"] == "1 household; 1 unit is; 21 households"
    else:
        assert rep.counts["one"] == "1 households; 1 units are; 21 households"
    assert rep.counts["two"] == "2 households; 2 units are; 21 households"


FIRST_VIEW = """(() => {
  const Y = window.yuanluo, m = Y.map, box = m.getContainer().getBoundingClientRect();
  const D = Y.households, lat = Array.from(D.xy.lat), lon = Array.from(D.xy.lon);
  let s = Math.min(...lat), n = Math.max(...lat), w = Math.min(...lon), e = Math.max(...lon);
  Object.values(Y.unitBounds).forEach(b => { s = Math.min(s, b[0]); w = Math.min(w, b[1]);
    n = Math.max(n, b[2]); e = Math.max(e, b[3]); });
  const a = m.latLngToContainerPoint([n, w]), b = m.latLngToContainerPoint([s, e]);
  const rect = el => { const r = el.getBoundingClientRect();
    return [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]; };
  const over = Array.from(document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title'))
    .filter(el => el.getBoundingClientRect().width > 0).map(rect);
  return {size: [box.width, box.height], data: [a.x, a.y, b.x, b.y], search: rect(document.querySelector('.yl-search')),
          over: over};
})()"""


def test_the_first_view_on_a_phone_keeps_the_data_clear_of_the_search_box_and_overlays(layers, tmp_path):
    """At 390 × 844 the search box (top left, under zoom, full screen and locate) covered the units at start while
    grey sat below them: the first view is fitted between the overlays at the top and those at the bottom, so
    nothing drawn starts under the search box, the stamp, the title or a control, and it is all in view."""
    from shapely import affinity

    def squeeze(g):  # the village tall and narrow, as on a phone: a plain fit would fill the screen's height
        x0, y0 = g.total_bounds[:2]
        return g.set_geometry(g.geometry.apply(lambda s: affinity.scale(s, 0.3, 1.0, origin=(x0, y0))))

    tall = {k: squeeze(v) if hasattr(v, "geometry") and getattr(v, "crs", None) is not None else v
            for k, v in layers.items()}
    r = _on_phone(tall, tmp_path, "map_first_view_phone.png", FIRST_VIEW)
    x0, y0, x1, y1 = r["data"]
    width, height = r["size"]
    assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height  # all in view
    assert y0 >= r["search"][3]  # below the search box
    for o in r["over"]:  # clear of every overlay
        assert o[2] <= x0 or x1 <= o[0] or o[3] <= y0 or y1 <= o[1], (o, r["data"])
    room = height - r["search"][3] - 120  # below the search box, above the legend and attribution
    assert 2 * (x1 - x0) > width or 2 * (y1 - y0) > room  # and as large as it fits (a zoom level in, it would not)
