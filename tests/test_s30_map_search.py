"""The phone map's search and unit ids (audit U §1, §3, §6), in headless Chromium at 390 × 844: a household or
service point found by the search box is shown clear of every control and of the card (and a service point's card
opens, as a tap opens it); unit ids are drawn clear of the household dots and meeting points. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = (390, 844)
WAIT = "window.yuanluo && window.yuanluo.map"

# every box a found point must stay clear of, in the map's pixels: the controls, stamp, title and the open card
COVERS = """(() => {
  const Y = window.yuanluo, m = Y.map, box = m.getContainer().getBoundingClientRect();
  return Array.from(document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title, .yl-card'))
    .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
    .map(r => [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
})()"""


def _found(what: str, ll: str) -> str:
    """A script: ``find(what)``, then where ``ll`` (a JS expression of [lat, lon]) lies on the map, the boxes it
    must be clear of, the map's size and the open card's kind and id."""
    return f"""(() => {{
  const Y = window.yuanluo, m = Y.map, got = Y.find({json.dumps(what)});
  const p = m.latLngToContainerPoint({ll}), size = m.getSize(), card = document.querySelector('.yl-card');
  return {{got: got, at: [p.x, p.y], size: [size.x, size.y], covers: {COVERS},
          card: card.hidden ? null : [card.getAttribute('data-card'), card.getAttribute('data-id')]}};
}})()"""


def _household_at(hid: str) -> str:
    return (f"(i => [window.yuanluo.households.xy.lat[i], window.yuanluo.households.xy.lon[i]])"
            f"(window.yuanluo.householdIndex({json.dumps(hid)}))")


def _assert_clear(r: dict, margin: float = 14) -> None:
    """The found point and the highlight ring around it (radius 14 px) on the map and under no box."""
    x, y = r["at"]
    w, h = r["size"]
    assert margin <= x <= w - margin and margin <= y <= h - margin, r
    for c in r["covers"]:
        assert x + margin <= c[0] or x - margin >= c[2] or y + margin <= c[1] or y - margin >= c[3], (r["at"], c)


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(600, block=5, seed=7)


@pytest.fixture(scope="module")
def phone_map(layers, tmp_path_factory) -> Path:
    return save_map(layers, tmp_path_factory.mktemp("s30") / "map.html")


# ------------------------------------------------------------------ §1: a household found by search on a phone
def test_a_household_found_on_a_phone_is_shown_clear_of_the_search_box_and_the_card(layers, phone_map):
    """The found household was centred in the strip above the card, at about (195, 220) on a 390 px wide phone:
    under the search box, whatever the id. It now lies clear of every control, the stamp, the title and the card."""
    require_browser()
    hids = [str(h) for h in layers["households"].index[[5, 123, 300, 599]]]
    rep = open_in_chromium(phone_map, screenshot=ARTIFACTS / "s30_found_household_phone.png", viewport=PHONE,
                           wait_for=WAIT, evaluate={h: _found(h, _household_at(h)) for h in hids})
    assert rep.console_errors == [] and rep.csp_violations == []
    for h in hids:
        r = rep.counts[h]
        assert r["got"] == "household" and r["card"] == ["household", h], r
        _assert_clear(r)


# ------------------------------------------------------------------ §6: a service point found on the cover map
def test_a_service_point_found_on_the_cover_map_opens_its_card_like_a_tap(tmp_path):
    """find('P001') zoomed to the service point but opened no card (a tap did): its card now opens and the point
    is shown clear of the controls and the card."""
    require_browser()
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.maps.coverage import save_cover_map
    from yuanluo.planners.cover import CoverPlan, output_layers, site

    v = make_village(600, seed=1)  # one service point per village and per group
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    out = output_layers(site(v.households, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=15.0)), "zh")
    path = save_cover_map({**out, "rivers": v.rivers, "roads": v.roads}, tmp_path / "cover.html", lang="zh")
    hub = "(H => [H.lat0 + H.d[0] * H.q, H.lon0 + H.d[1] * H.q])(window.yuanluo.hubs)"  # the first, P001
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "s30_found_hub_phone.png", viewport=PHONE,
                           wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"hub": _found("p００1", hub),
                                     "text": "document.querySelector('.yl-card').textContent"})
    assert rep.console_errors == [] and rep.csp_violations == []
    r = rep.counts["hub"]
    assert r["got"] == "unit" and r["card"] == ["hub", "P001"], r
    assert "P001" in rep.counts["text"]
    _assert_clear(r)


# ------------------------------------------------------------------ §3: unit ids over dots and meeting points
def _labels_at(zoom: int, meeting: list[list[float]]) -> str:
    """A script: the map at ``zoom`` over the middle of the households, the card closed; the drawn ids' boxes,
    the household dots (radius 4 px at zoom 15–16, an exception's red ring 2.5 px more) and the meeting points
    ``meeting`` ([lat, lon]; 7 px and a 1 px white edge) in view as (x, y, radius), and the ids drawn."""
    return f"""(() => {{
  const Y = window.yuanluo, m = Y.map, D = Y.households, n = D.xy.lat.length;
  let la = 0, lo = 0; for (let i = 0; i < n; i++) {{ la += D.xy.lat[i]; lo += D.xy.lon[i]; }}
  Y.closeCard(); m.setView([la / n, lo / n], {zoom}, {{animate: false}});
  const discs = [], size = m.getSize();
  const add = (ll, r) => {{ const p = m.latLngToContainerPoint(ll);
    if (p.x > -20 && p.y > -20 && p.x < size.x + 20 && p.y < size.y + 20) discs.push([p.x, p.y, r]); }};
  for (let i = 0; i < n; i++) add([D.xy.lat[i], D.xy.lon[i]], D.st_[i] ? 6.5 : 4.5);
  {json.dumps(meeting)}.forEach(ll => add(ll, 8));
  return {{boxes: Y.unitLabelBoxes, discs: discs, painted: Y.unitLabelsPainted,
          dots: [Y.householdsPainted, Y.meetingPainted]}};
}})()"""


@pytest.mark.parametrize("zoom", [15, 16])
def test_unit_ids_are_drawn_clear_of_household_dots_and_meeting_points(phone_map, zoom):
    """At zoom 15–16 the ids were drawn over household dots and meeting points: each id drawn now touches none
    (one that finds no clear spot near its unit is left out; the unit is still found by a tap or the search)."""
    require_browser()
    found = re.search(r"var M = (\{.*?\});\n", phone_map.read_text(encoding="utf-8"))
    assert found is not None
    m = json.loads(found.group(1))  # meeting points as meeting_points.js reads them: running sums of offsets
    meeting, y, x = [], 0, 0
    for dy, dx in zip(m["d"][::2], m["d"][1::2], strict=True):
        y, x = y + dy, x + dx
        meeting.append([m["lat0"] + y * m["q"], m["lon0"] + x * m["q"]])
    rep = open_in_chromium(phone_map, screenshot=ARTIFACTS / f"s30_labels_z{zoom}_phone.png", viewport=PHONE,
                           wait_for=WAIT, evaluate={"r": _labels_at(zoom, meeting)})
    assert rep.console_errors == [] and rep.csp_violations == []
    r = rep.counts["r"]
    assert r["dots"][0] > 100 and r["dots"][1] > 3 and r["painted"] >= 3, (r["dots"], r["painted"])
    for uid, b in r["boxes"].items():
        for x, y, rad in r["discs"]:
            dx, dy = max(b[0] - x, 0, x - b[2]), max(b[1] - y, 0, y - b[3])
            assert dx * dx + dy * dy >= rad * rad - 1e-6, (uid, b, (x, y, rad))
