"""Audit L (s29) §2 on the editor: a town seen whole does not open on a blanket of meeting-point triangles. The page
draws the units' ▲/△ only while the screen has room for them (about 30 × 30 px each, as the map page hides its points
by the room on screen), so a 1,000-unit town opens on its households coloured by unit, and the triangles come back
as the view is zoomed in; the units of the selected households keep theirs; a village keeps all of them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from shapely.geometry import Point
from typer.testing import CliRunner

RULES = '[rules]\nname = "s29"\nmin_size = 5\nmax_size = 12\nrequire_head = false\nkeep_settlements = false\n'

#: the marks drawn at the opening view, then with one unit selected, then zoomed in three steps on the middle
PROBE = r"""
(() => {
  var Y = window.yuanluo, ui = Y.editorUi, E = Y.editor, P = Y.editorPage, m = ui.map, out = {};
  out.open = ui.marks(); out.zoom = m.getZoom();
  var u = E.units()[Math.floor(E.units().length / 2)];
  P.select(E.members(u).map(function(h) { return P.idx.get(h); }), false); ui.refresh(); out.selected = ui.marks();
  P.select([], false); ui.refresh();
  m.setView(m.getCenter(), m.getZoom() + 3, {animate: false}); out.zoomed = ui.marks();
  return out;
})()"""


def _town(folder, units: int, per: int = 8):
    """A synthetic result of ``units`` units of ``per`` households each: a hamlet every 90 m on a square grid, its
    households within ~25 m, its territory their hull, each unit's first household its meeting point (a layer of the result)."""
    rng = np.random.default_rng(29)
    side = int(np.ceil(np.sqrt(units)))
    rows, meet = [], []
    for k in range(units):
        cx, cy = 500_000 + 90.0 * (k % side), 3_300_000 + 90.0 * (k // side)
        for j in range(per):
            hid = f"{k * per + j:06d}"
            rows.append((hid, f"U{k + 1:04d}", Point(cx + rng.uniform(-25, 25), cy + rng.uniform(-25, 25))))
            if j == 0:
                meet.append((f"U{k + 1:04d}", hid, rows[-1][2]))
    hh = gpd.GeoDataFrame(pd.DataFrame(rows, columns=["hid", "unit_id", "geometry"]), crs="EPSG:32648")
    mp = gpd.GeoDataFrame(pd.DataFrame(meet, columns=["unit_id", "hid", "geometry"]), crs="EPSG:32648")
    units_layer = hh.dissolve("unit_id", as_index=False)[["unit_id", "geometry"]]
    units_layer["geometry"] = units_layer.geometry.convex_hull.buffer(10)
    units_layer["n_households"] = per
    path = folder / "town.gpkg"
    hh.to_file(path, layer="households", driver="GPKG")
    units_layer.to_file(path, layer="units", driver="GPKG")
    mp.to_file(path, layer="meeting_points", driver="GPKG")
    return path


@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("units", [1024, 25])
def test_town_opens_without_a_blanket_of_meeting_points(tmp_path, units):
    from yuanluo.planners.cli import app

    result = _town(tmp_path, units)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    page = tmp_path / "edit.html"
    res = CliRunner().invoke(app, ["edit", str(result), "--rules", str(rules), "-o", str(page), "-q"])
    assert res.exit_code == 0, res.output
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=tmp_path / f"s29_zoom_{units}.png",
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"x": PROBE}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    x = rep.counts["x"]
    if units > 100:
        # the whole town on a phone: no triangle (they would bury the households), every point held back
        assert x["open"]["given"] + x["open"]["centres"] == 0, x
        assert x["open"]["hidden"] == units, x
        # one unit selected: its own point, and only it
        assert x["selected"]["given"] == 1, x
        # zoomed in, the units in view show theirs, with room for each (about 30 x 30 px of a 390 px wide map)
        assert 0 < x["zoomed"]["given"] and x["zoomed"]["hidden"] == 0, x
        assert x["zoomed"]["given"] * 900 <= 390 * 844, x
    else:
        # a village seen whole keeps every unit's point
        assert x["open"]["given"] == units and x["open"].get("hidden", 0) == 0, x
