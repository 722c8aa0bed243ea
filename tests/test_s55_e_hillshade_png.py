"""Session 55, helper E: the hillshade of every map in half the bytes, the same pixels.

Each map of a result (the field map, the editor, the coverage and the maturity maps) embeds the DEM's shaded relief
as a ``data:`` PNG. folium wrote it as four bytes a pixel, unfiltered (``image_to_url``): the demo's 0.58 MB of PNG,
0.78 MB of base64 in every one of its four maps. It is a grey image whose pixels are opaque or fully transparent, so
it is now written as one grey byte a pixel, filtered, its transparent pixels one grey declared transparent
(``maps.hillshade.png_url``): the demo's maps 0.72 → 0.58 MB each, the same pixels (screenshots at 360 × 640,
start and zoomed twice, identical). Each page stays one file that works offline alone.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from folium.utilities import image_to_url
from PIL import Image

from yuanluo.maps.editor import _hillshade
from yuanluo.maps.hillshade import png_url, web_hillshade
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers


def _pixels(url: str) -> np.ndarray:
    assert url.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def _dem(layers: dict) -> tuple:
    b = layers["households"].total_bounds
    yy, xx = np.mgrid[0:90, 0:120]
    z = np.sin(xx / 9.0) * 40 + np.cos(yy / 7.0) * 25 + yy * 2.0
    z[:6, :10] = np.nan  # a corner without elevation: transparent pixels
    return z, (b[0], b[1], b[2], b[3]), "EPSG:32648"


def test_the_same_pixels_in_half_the_bytes() -> None:
    layers = sample_layers(60, block=5, seed=2)
    rgba, _ = web_hillshade(_dem(layers))
    opaque = rgba[..., 3] == 255
    assert opaque.any() and (~opaque).any()
    url, old = png_url(rgba), image_to_url(rgba, origin="upper")
    got = _pixels(url)
    # what a browser draws: every opaque pixel's colour and every pixel's alpha as folium's image has them
    assert (got[..., 3] == rgba[..., 3]).all() and (got[opaque] == rgba[opaque]).all()
    if 40 not in rgba[opaque][:, 0]:  # the transparent grey folium's own (40): the very same RGBA
        assert (got == _pixels(old)).all()
    assert len(url) < 0.6 * len(old), (len(url), len(old))
    assert png_url(rgba) == url  # the same bytes for the same image


def test_a_grey_in_use_is_not_the_transparent_one() -> None:
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)
    rgba[..., :3] = np.arange(20).reshape(4, 5, 1) + 30  # greys 30..49, 40 among them
    rgba[..., 3] = 255
    rgba[0, 0, 3] = 0
    got = _pixels(png_url(rgba))
    assert (got[..., 3] == rgba[..., 3]).all()
    assert (got[rgba[..., 3] == 255] == rgba[rgba[..., 3] == 255]).all()
    every = np.zeros((16, 16, 4), dtype=np.uint8)  # every grey used and a transparent pixel: grey and alpha
    every[..., :3] = np.arange(256, dtype=np.uint8).reshape(16, 16, 1)
    every[..., 3] = 255
    every[15, 15, 3] = 0
    got = _pixels(png_url(every))
    assert (got[..., 3] == every[..., 3]).all() and (got[every[..., 3] == 255] == every[every[..., 3] == 255]).all()
    colour = rgba.copy()
    colour[1, 1, 0] = 200  # not grey: folium's image, as before
    assert png_url(colour) == image_to_url(colour, origin="upper")


def test_the_maps_and_the_editor_embed_it() -> None:
    layers = sample_layers(60, block=5, seed=2)
    dem = _dem(layers)
    rgba, _ = web_hillshade(dem)
    url = png_url(rgba)
    html = render_html(make_map(layers, hillshade=dem))
    assert url in html and image_to_url(rgba, origin="upper") not in html
    shade = _hillshade(dem)
    assert shade is not None and shade["url"] == url


def test_any_other_image_is_written_as_folium_writes_it() -> None:
    """A grey image of one channel, an RGB one and an RGBA one with a half-transparent pixel (the old code took
    the fourth channel of the first before looking at its shape: an IndexError)."""
    flat = (np.arange(30, dtype=np.uint8) * 7).reshape(5, 6)
    rgb = np.dstack([flat, flat, flat])
    half = np.dstack([flat, flat, flat, np.full_like(flat, 255)])
    half[2, 3, 3] = 128
    for img in (flat, flat[:, :2], rgb, half):
        assert png_url(img) == image_to_url(img, origin="upper")
