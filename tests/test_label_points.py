"""Where a unit's id goes on the maps (yuanluo.maps.style.label_points): inside the unit, clear of its edge
and of the household and meeting-point dots; a second place for when a map control covers the first."""

from __future__ import annotations

import json
import re

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from yuanluo.maps.interactive import make_map
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import label_points


def test_inside_and_clear_of_the_dots() -> None:
    ell = Polygon([(0, 0), (100, 0), (100, 20), (20, 20), (20, 100), (0, 100)])  # an L: its centroid is outside
    pair = MultiPolygon([box(0, 0, 10, 10), box(50, 0, 90, 40)])
    dots = [Point(x, y) for x in range(5, 100, 10) for y in (5, 15)] + [Point(70, 20)]
    pts = label_points([ell, pair, Polygon(), None], dots)
    assert pts[2] is None and pts[3] is None
    for geom, p in zip((ell, pair), pts[:2], strict=True):
        assert geom.contains(p)
        clear = min(geom.boundary.distance(p), min(d.distance(p) for d in dots))
        rep = geom.representative_point()
        assert clear >= min(geom.boundary.distance(rep), min(d.distance(rep) for d in dots))
    assert pts[1].within(box(50, 0, 90, 40))  # the larger part, away from the dot at its middle
    assert pts[1].distance(Point(70, 20)) > 5


def test_a_second_place_far_from_the_first() -> None:
    two = label_points([box(0, 0, 300, 100), box(0, 0, 1, 1)], [Point(150, 50)], k=2)
    assert two.shape == (2, 2)
    assert two[0, 0].distance(two[0, 1]) >= np.hypot(300, 100) / 3
    assert box(0, 0, 300, 100).contains(two[0, 1])
    assert two[1, 0] is not None  # a tiny square: a first place always, a second one only if far enough
    assert two[1, 1] is None or two[1, 0].distance(two[1, 1]) >= np.hypot(1, 1) / 3


def test_the_map_draws_each_id_inside_its_unit_off_the_households() -> None:
    lay = sample_layers(300, block=5, seed=3)
    m = make_map(lay)
    html = m.get_root().render()
    assert '"alt"' in html
    units = lay["units"].to_crs(4326)
    hh = lay["households"].to_crs(4326)
    data = json.loads(re.search(r"var U = (\{.*?\});\n", html, re.S).group(1))  # type: ignore[union-attr]
    at = shapely.points([p[::-1] for p in data["at"]])
    for uid, p in zip(data["ids"], at, strict=True):
        geom = units.loc[units["unit_id"] == uid].geometry.iloc[0]
        assert geom.buffer(1e-5).contains(p), uid  # the drawn territory is simplified: within a metre
    near = shapely.STRtree(hh.geometry.values).query_nearest(at, return_distance=True)[1]
    rep = units.geometry.representative_point().values
    near_rep = shapely.STRtree(hh.geometry.values).query_nearest(rep, return_distance=True)[1]
    assert np.median(near) > np.median(near_rep)
