"""DEM hillshade for map backdrops: a shaded-relief array and its web-map (EPSG:3857) image.

Examples
--------
>>> import numpy as np
>>> z = np.add.outer(np.arange(4.0), np.zeros(4)) * 10  # rises to the south
>>> hs = hillshade(z, cellsize=10)
>>> hs.shape, bool(np.all((hs >= 0) & (hs <= 1)))
((4, 4), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pyproj import CRS

from yuanluo.gis.errors import DEMError, problem


@dataclass(frozen=True)
class DemImage:
    """An elevation grid with its extent: rows run north to south, ``bounds`` = (left, bottom, right, top)."""

    elevation: np.ndarray
    bounds: tuple[float, float, float, float]
    crs: CRS

    @classmethod
    def coerce(cls, obj: Any) -> DemImage:
        """Accept a :class:`DemImage`, a ``(array, bounds, crs)`` tuple, or an object with
        ``elevation``/``bounds``/``crs`` or ``elevation``/``transform``/``crs`` attributes
        (such as :class:`yuanluo.gis.terrain.Terrain`)."""
        if isinstance(obj, DemImage):
            return obj
        if isinstance(obj, tuple | list) and len(obj) == 3:
            arr, bounds, crs = obj
        elif all(hasattr(obj, a) for a in ("elevation", "bounds", "crs")):
            arr, bounds, crs = obj.elevation, obj.bounds, obj.crs
        elif all(hasattr(obj, a) for a in ("elevation", "transform", "crs")):  # yuanluo.gis.terrain.Terrain
            from rasterio.transform import array_bounds

            arr, crs = obj.elevation, obj.crs
            h, w = np.shape(arr)[:2]
            west, south, east, north = array_bounds(h, w, obj.transform)
            bounds = (west, south, east, north)
        else:
            raise DEMError(problem("MAP-HILLSHADE", kind=type(obj).__name__))
        a: np.ndarray = np.ma.filled(np.ma.masked_invalid(np.ma.asarray(arr, dtype=float)), np.nan)
        if a.ndim != 2 or min(a.shape) < 2:
            raise DEMError(problem("MAP-HILLSHADE-SHAPE", shape=str(a.shape)))
        if not np.isfinite(a).any():
            raise DEMError(problem("MAP-HILLSHADE-EMPTY"))
        b = tuple(float(x) for x in bounds)
        if len(b) != 4 or not (b[0] < b[2] and b[1] < b[3]):
            raise DEMError(problem("MAP-HILLSHADE-BOUNDS", bounds=repr(bounds)))
        if crs is None:
            raise DEMError(problem("MAP-HILLSHADE-CRS"))
        return cls(a, (b[0], b[1], b[2], b[3]), CRS.from_user_input(crs))


#: how opaque the shaded relief lies over the base map, on the field map and the editor alike
HILLSHADE_OPACITY = 0.6


def hillshade(
    elevation: np.ndarray,
    *,
    cellsize: float | tuple[float, float] = 1.0,
    azimuth: float = 315.0,
    altitude: float = 45.0,
    z_factor: float = 1.0,
) -> np.ndarray:
    """Shaded relief in [0, 1] (Horn's slope/aspect, light from ``azimuth`` degrees clockwise from
    north at ``altitude`` degrees). NaN cells stay NaN.

    Parameters
    ----------
    elevation : ndarray (rows north to south)
    cellsize : float or (dx, dy)
        Cell size in the same unit as the elevations (metres).
    """
    z = np.asarray(elevation, dtype=float) * z_factor
    if isinstance(cellsize, tuple):
        dx, dy = float(cellsize[0]), float(cellsize[1])
    else:
        dx = dy = float(cellsize)
    p = np.pad(z, 1, mode="edge")
    # Horn (1981) 3x3 gradients; y grows to the north, rows grow to the south
    dzdx = ((p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])) / (
        8.0 * dx
    )
    dzdy = ((p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:]) - (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:])) / (
        8.0 * dy
    )
    slope = np.arctan(np.hypot(dzdx, dzdy))
    aspect = np.arctan2(-dzdx, -dzdy)  # direction of steepest descent, clockwise from north
    zen = np.radians(90.0 - altitude)
    az = np.radians(azimuth)
    shade = np.cos(zen) * np.cos(slope) + np.sin(zen) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(shade, 0.0, 1.0)


def web_hillshade(dem: Any, *, max_pixels: int = 800) -> tuple[np.ndarray, list[list[float]]]:
    """An RGBA hillshade warped to EPSG:3857 and its WGS-84 bounds ``[[south, west], [north, east]]``.

    The image is at most ``max_pixels`` on its longer side; it is meant for a Leaflet ImageOverlay
    (which stretches the image linearly in Web Mercator, hence the warp).
    """
    from rasterio.transform import from_bounds
    from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_bounds

    d = DemImage.coerce(dem)
    h, w = d.elevation.shape
    src_t = from_bounds(*d.bounds, w, h)
    if d.crs.is_geographic:
        lat = np.radians((d.bounds[1] + d.bounds[3]) / 2)
        cell = (abs(src_t.a) * 111_320.0 * np.cos(lat), abs(src_t.e) * 110_540.0)
    else:
        cell = (abs(src_t.a), abs(src_t.e))
    shade = hillshade(d.elevation, cellsize=cell)
    scale = max(h, w) / max_pixels
    dst_crs = CRS.from_epsg(3857)
    dst_t, dw, dh = calculate_default_transform(d.crs, dst_crs, w, h, *d.bounds)
    if dw is None or dh is None:
        raise DEMError(problem("MAP-HILLSHADE-WARP"))
    if scale > 1 or max(dw, dh) > max_pixels:
        f = max(dw, dh) / max_pixels
        dw, dh = max(2, int(round(dw / f))), max(2, int(round(dh / f)))
        left, bottom, right, top = transform_bounds(d.crs, dst_crs, *d.bounds)
        dst_t = from_bounds(left, bottom, right, top, dw, dh)
    out = np.full((dh, dw), np.nan)
    reproject(shade, out, src_transform=src_t, src_crs=d.crs, dst_transform=dst_t, dst_crs=dst_crs,
              resampling=Resampling.bilinear, src_nodata=np.nan, dst_nodata=np.nan)
    left, top = dst_t.c, dst_t.f
    right, bottom = left + dst_t.a * dw, top + dst_t.e * dh
    west, south, east, north = transform_bounds(dst_crs, "EPSG:4326", left, bottom, right, top)
    valid = np.isfinite(out)
    grey = np.where(valid, out, 0.0)
    rgba = np.zeros((dh, dw, 4), dtype=np.uint8)
    rgba[..., :3] = (40 + 215 * grey[..., None]).astype(np.uint8)
    rgba[..., 3] = np.where(valid, 255, 0).astype(np.uint8)
    return rgba, [[south, west], [north, east]]


def png_url(rgba: np.ndarray) -> str:
    """The image of :func:`web_hillshade` as a ``data:`` PNG, the same pixels as folium's (``image_to_url``) in
    about half its bytes: a grey image (one byte a pixel, filtered row by row) whose transparent pixels are one
    grey value declared transparent (``tRNS``), instead of four bytes a pixel unfiltered. That grey is the
    transparent pixels' own (40) when no opaque pixel has it, else the darkest grey none has (the colour of a
    fully transparent pixel is never drawn; with every grey used, a grey and alpha image). Any other image
    (not grey, or with a pixel neither opaque nor fully transparent, or not RGBA) is written as folium writes it.

    >>> z = np.add.outer(np.arange(40.0), np.sin(np.arange(50.0) / 4)) * 20
    >>> rgba, _ = web_hillshade((z, (500000.0, 3300000.0, 500500.0, 3300400.0), "EPSG:32648"))
    >>> from folium.utilities import image_to_url
    >>> url = png_url(rgba)
    >>> url[:22], len(url) < len(image_to_url(rgba)) / 2
    ('data:image/png;base64,', True)
    """
    import base64
    import io

    from PIL import Image

    a = np.asarray(rgba, dtype=np.uint8)
    rgba4 = a.ndim == 3 and a.shape[2] == 4
    grey, alpha = (a[..., 0], a[..., 3]) if rgba4 else (a, a)
    if not rgba4 or not ((a[..., 1] == grey).all() and (a[..., 2] == grey).all()) \
            or not np.isin(alpha, (0, 255)).all():
        from folium.utilities import image_to_url

        return str(image_to_url(a, origin="upper"))
    opaque = alpha == 255
    used = np.zeros(256, dtype=bool)
    used[grey[opaque]] = True
    kw: dict[str, Any] = {}
    img = np.ascontiguousarray(grey)  # an L image
    if not opaque.all() and used.all():  # no grey left to declare transparent: grey and alpha (LA)
        img = np.ascontiguousarray(np.dstack([grey, alpha]))
    elif not opaque.all():
        clear = 40 if not used[40] else int(np.flatnonzero(~used)[0])
        img = np.where(opaque, grey, clear).astype(np.uint8)
        kw["transparency"] = clear
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PNG", optimize=True, **kw)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
