"""The first view of a map on a phone stays readable at any size: a town of 10,000 households and 400 units seen
whole shows its unit fills, not a blanket of household dots and meeting-point discs (they come back a zoom or
two in); a village still opens with every household and meeting point drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = (390, 844)

FIRST = ("(() => { const Y = window.yuanluo; return [Y.map.getZoom(), Y.householdsPainted, Y.meetingPainted]; })()")
ZOOM_IN = ("(() => { const Y = window.yuanluo, m = Y.map; m.setZoom(m.getZoom() + 2, {animate: false});"
           " return [m.getZoom(), Y.householdsPainted, Y.meetingPainted]; })()")


def test_town_overview_on_a_phone_shows_unit_fills(tmp_path):
    require_browser()
    layers = sample_layers(10_000, block=5, seed=3)
    n_meeting = len(layers["meeting_points"])
    assert n_meeting >= 300
    path = save_map(layers, tmp_path / "town.html", lang="en")
    rep = open_in_chromium(path, viewport=PHONE, screenshot=ARTIFACTS / "map_town_overview_phone.png",
                           wait_for="window.yuanluo", settle_ms=1000, evaluate={"first": FIRST, "in": ZOOM_IN})
    assert rep.console_errors == [] and rep.csp_violations == []
    z, households, meeting = rep.counts["first"]
    assert households == 0, f"{households} household dots over the whole town at zoom {z}"
    assert meeting == 0, f"{meeting} of {n_meeting} meeting-point discs over the whole town at zoom {z}"
    z_in, households, meeting = rep.counts["in"]
    assert z_in > z and 0 < households < len(layers["households"]) and 0 < meeting < n_meeting


def test_village_on_a_phone_shows_every_household_and_meeting_point(tmp_path):
    require_browser()
    layers = sample_layers(951, block=5, seed=7)
    path = save_map(layers, tmp_path / "village.html", lang="en")
    rep = open_in_chromium(path, viewport=PHONE, wait_for="window.yuanluo", settle_ms=1000,
                           evaluate={"first": FIRST})
    assert rep.console_errors == []
    _, households, meeting = rep.counts["first"]
    assert households == len(layers["households"])
    assert meeting == len(layers["meeting_points"])
