"""Town scale (10,000 households): the far (red) and unreachable (purple) households keep their colour on the
coverage print map and the HTML map; their rings no longer cover the fill (audit: both were black dots)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest

from yuanluo.maps.coverage import BAND_COLOURS, BAND_EDGES

FAR, UNREACHABLE = len(BAND_EDGES), len(BAND_EDGES) + 1


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


@pytest.fixture(scope="module")
def town() -> dict:
    """10,000 households over 5 x 5 km: 9,500 near a service point, a crowded hamlet of 225 beyond 15 minutes
    and one of 225 that reach no point (houses 30 m apart), and 25 of each scattered alone."""
    rng = np.random.default_rng(7)
    xy, kind = [], []
    for cx, cy, k in ((1000.0, 1000.0, "F"), (3500.0, 3500.0, "U")):
        g = np.arange(15) * 30.0
        gx, gy = np.meshgrid(cx + g, cy + g)
        xy.append(np.column_stack([gx.ravel(), gy.ravel()]))
        kind += [k] * 225
    for k in ("F", "U"):
        xy.append(rng.uniform(0, 5000, (25, 2)))
        kind += [k] * 25
    xy.append(rng.uniform(0, 5000, (9500, 2)))
    kind += ["H"] * 9500
    pts = np.vstack(xy) + [500000.0, 3300000.0]
    kind_a = np.array(kind)
    hid = [f"{k}{i:05d}" for i, k in enumerate(kind)]
    walk = np.where(kind_a == "F", 30.0, np.where(kind_a == "U", np.nan, 3.0))
    hh = gpd.GeoDataFrame({"hid": hid, "hub_id": np.where(kind_a == "U", None, "P001"), "walk_min": walk,
                           "code": np.where(kind_a == "U", "COVER-UNREACHABLE", None)},
                          geometry=gpd.points_from_xy(pts[:, 0], pts[:, 1]), crs="EPSG:32648")
    hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "level": ["village"]},
                            geometry=gpd.points_from_xy([502500.0], [3302500.0]), crs="EPSG:32648")
    return {"households": hh, "hubs": hubs}


def _near(got: np.ndarray, colour: str) -> np.ndarray:
    return np.linalg.norm(got[:, :3].astype(float) - _rgb(colour), axis=1) < 60


def test_print_map_far_and_unreachable_keep_their_colour_at_10000(town):
    """The pixel at each far / unreachable household of the rendered sheet is its band's red / purple (it was
    black: a 0.9 pt ring over a 1 pt dot)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static import font_rc
    from yuanluo.maps.static_cover import _draw

    with rc_context(font_rc()):
        fig = _draw(check_cover_layers(town), paper="A4", lang="zh", title=None, dpi=150, limit=15.0)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        img = np.asarray(canvas.buffer_rgba())
    hh = town["households"]
    ax = fig.axes[0]
    for k, band in (("F", FAR), ("U", UNREACHABLE)):
        sel = hh["hid"].str.startswith(k).to_numpy()
        px = ax.transData.transform(np.column_stack([hh.geometry.x[sel], hh.geometry.y[sel]]))
        col, row = np.floor(px[:, 0]).astype(int), (img.shape[0] - 1 - np.floor(px[:, 1])).astype(int)
        ok = _near(img[row, col], BAND_COLOURS[band])
        assert ok.mean() >= 0.95, (k, ok.mean(), img[row, col][~ok][:5].tolist())


def test_print_dot_fill_dominates_at_any_count():
    """For every household count the far dot's fill is wider than its ring, and a near dot's edge covers at
    most a fifth of its diameter."""
    from yuanluo.maps.static_cover import dot_sizes

    for n in (1, 50, 300, 600, 2000, 10_000, 50_000):
        near, edge, far, ring = dot_sizes(n)
        assert np.sqrt(far) >= 2.5 and ring <= 0.15 * np.sqrt(far) and edge <= 0.2 * np.sqrt(near), n
        assert far > near


def test_print_map_same_bytes_at_10000(town):
    from yuanluo.maps.static_cover import render_print_cover_map

    one = render_print_cover_map(town, dpi=60)
    assert one == render_print_cover_map(town, dpi=60)


SAMPLE = """(() => {
  const Y = window.yuanluo, dots = Y.householdLayer, ctx = dots._c.getContext('2d'), out = [];
  for (let k = 0; k < dots._vis.length; k++) {
    const id = Y.households.hid[dots._vis[k]];
    if (id[0] === 'H') continue;
    const p = ctx.getImageData(Math.floor(dots._sx[k]), Math.floor(dots._sy[k]), 1, 1).data;
    out.push([id[0], p[0], p[1], p[2]]);
  }
  return [Y.map.getZoom(), out];
})()"""


@pytest.mark.browser
def test_html_map_far_and_unreachable_keep_their_colour_on_a_phone(town, tmp_path):
    """On a phone at the opening (overview) zoom the far and unreachable households are red and purple where
    they crowd (the 2 px black rings of the neighbours covered them)."""
    from browser import open_in_chromium, require_browser

    from yuanluo.maps.coverage import save_cover_map

    require_browser()
    path = save_cover_map(town, tmp_path / "town.html")
    rep = open_in_chromium(path, viewport=(390, 844), settle_ms=500, screenshot=tmp_path / "town.png",
                           wait_for="window.yuanluo && window.yuanluo.householdsPainted",
                           evaluate={"px": SAMPLE})
    assert rep.console_errors == []
    zoom, px = rep.counts["px"]
    assert zoom < 14 and len(px) >= 400, (zoom, len(px))  # the first view unsnapped (s58 U): 13.3
    for k, band in (("F", FAR), ("U", UNREACHABLE)):
        got = np.array([p[1:] for p in px if p[0] == k])
        ok = _near(got, BAND_COLOURS[band])
        assert ok.mean() >= 0.95, (k, ok.mean(), json.dumps(got[~ok][:5].tolist()))
