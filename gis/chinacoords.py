"""WGS-84 ↔ GCJ-02 ↔ BD-09, vectorised over numpy arrays.

GCJ-02 ("Mars coordinates") is the obfuscated datum of AMap/Gaode, Tencent and WeChat maps; BD-09 is
Baidu's further offset of GCJ-02. This is our own implementation of the public algorithm (the
Krasovsky-ellipsoid offset polynomial). The forward transforms are closed formulas; the inverses iterate
until the round trip agrees within ``tol`` degrees (default 1e-10°, about 0.01 mm), so
``gcj02_to_wgs84(wgs84_to_gcj02(p))`` returns ``p`` within 1 mm.

Outside China the GCJ-02 offset is not applied (the identity), as the public algorithm does.
Use these only for *display* over Chinese tiles and for detecting offset input; store WGS 84/CGCS2000.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0

__all__ = [
    "wgs84_to_gcj02",
    "gcj02_to_wgs84",
    "gcj02_to_bd09",
    "bd09_to_gcj02",
    "wgs84_to_bd09",
    "bd09_to_wgs84",
    "out_of_china",
]


def out_of_china(lon: Any, lat: Any) -> np.ndarray:
    """Mask of points where GCJ-02 is the identity (the algorithm's own rectangle).

    Examples
    --------
    >>> out_of_china([106.5, 1.5], [29.5, 42.5]).tolist()
    [False, True]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return ~((lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271))


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sq = np.sqrt(np.abs(x))
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sq
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sq
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def _arrays(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    lo, la = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return lo.astype(float, copy=True), la.astype(float, copy=True)


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → GCJ-02 (closed formula).

    Examples
    --------
    >>> glon, glat = wgs84_to_gcj02(106.55, 29.56)
    >>> round(float(glon), 6), round(float(glat), 6)
    (106.55372, 29.557153)
    """
    lon_a, lat_a = _arrays(lon, lat)
    dlon, dlat = _delta(lon_a, lat_a)
    out = out_of_china(lon_a, lat_a)
    return np.where(out, lon_a, lon_a + dlon), np.where(out, lat_a, lat_a + dlat)


def gcj02_to_wgs84(lon: Any, lat: Any, *, tol: float = 1e-10, max_iter: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → WGS-84 by fixed-point iteration on the forward transform (within ``tol`` degrees).

    Examples
    --------
    >>> lon, lat = gcj02_to_wgs84(*wgs84_to_gcj02(106.55, 29.56))
    >>> abs(float(lon) - 106.55) < 1e-9, abs(float(lat) - 29.56) < 1e-9
    (True, True)
    """
    glon, glat = _arrays(lon, lat)
    wlon, wlat = glon.copy(), glat.copy()
    d0, d1 = _delta(wlon, wlat)
    wlon, wlat = glon - d0, glat - d1
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon = wlon - elon
        wlat = wlat - elat
        if np.nanmax(np.abs(np.r_[elon.ravel(), elat.ravel(), 0.0])) < tol:
            break
    out = out_of_china(glon, glat)
    return np.where(out, glon, wlon), np.where(out, glat, wlat)


def gcj02_to_bd09(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → BD-09 (closed formula)."""
    x, y = _arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: Any, lat: Any, *, tol: float = 1e-10, max_iter: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → GCJ-02: the usual closed approximation refined by iteration to ``tol`` degrees.

    Examples
    --------
    >>> lon, lat = bd09_to_gcj02(*gcj02_to_bd09(106.55, 29.56))
    >>> abs(float(lon) - 106.55) < 1e-9, abs(float(lat) - 29.56) < 1e-9
    (True, True)
    """
    blon, blat = _arrays(lon, lat)
    x = blon - 0.0065
    y = blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(max_iter):
        flon, flat = gcj02_to_bd09(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon = glon - elon
        glat = glat - elat
        if np.nanmax(np.abs(np.r_[elon.ravel(), elat.ravel(), 0.0])) < tol:
            break
    return glon, glat


def wgs84_to_bd09(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → WGS-84 (both inverse steps iterated)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: Any, lat: Any, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert from ``kind`` ("wgs84", "gcj02" or "bd09") to WGS-84."""
    if kind == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if kind == "bd09":
        return bd09_to_wgs84(lon, lat)
    return _arrays(lon, lat)
