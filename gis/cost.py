"""Walking time along straight edges, from the elevation profile (Tobler's hiking function).

Speed model
-----------
Tobler (1993), "Three presentations on geographical analysis and modeling", NCGIA TR 93-1::

    W = 6 * exp(-3.5 * |S + 0.05|)   km/h,   S = dh/dx (rise over horizontal run, signed in the
                                               direction of travel)

The fastest speed, 6 km/h, is reached walking slightly downhill (S = -0.05); on flat ground
W = 6·exp(-0.175) ≈ 5.04 km/h. Time is horizontal distance over W, summed over profile steps.

Why Tobler: it is the standard, published, direction-dependent model in GIS cost analysis
(ArcGIS Path Distance, GRASS r.walk alternatives, QGIS plugins), it needs only the DEM, and it gives
the flat-ground speed that the rest of the tool assumes when no DEM is given. We apply **no off-path
factor by default** (Tobler's 0.6 is for cross-country travel): households in a village are joined by
footpaths, and a candidate edge stands for such a path. Callers can pass ``off_path_factor=0.6``.

Steep slopes: switchbacks
-------------------------
Tobler's formula was fitted on moderate gradients; straight up a 45° slope it gives 0.15 km/h
(40 minutes per 100 m), while real mountain paths zigzag. Following the argument of Llobera and
Sluckin (2007), "Zigzagging: theoretical insights on climbing strategies", J. Theor. Biol. 249(2),
206–217, beyond a critical gradient a walker does better by zigzagging at that gradient. We take, per
profile step, the faster of (a) walking straight at slope ``S`` and (b) a switchback path climbing the
same height at gradient ``switchback_slope`` (default 0.3, about 17°: our choice, a typical steep
footpath grade, not a value from that paper)::

    t = min( dx / W(S),  (|dh| / s_c) / W(sign(S) * s_c) )     when |S| > s_c

so 100 m of climb takes ~11 minutes instead of 40. ``switchback_slope=None`` gives pure Tobler.

Direction and symmetry
----------------------
Each edge gets ``walk_uv`` (u to v) and ``walk_vu`` (v to u); uphill is slower than downhill. The
undirected graph uses ``walk_min = (walk_uv + walk_vu) / 2``, half a round trip: a household goes to a
meeting and comes back, so the mean is the fair one-way figure.

Profile sampling
----------------
Each edge is sampled at ``step_m`` (default: the DEM cell size) from end to end with bilinear
interpolation, vectorised over all edges at once and processed in chunks of at most
``chunk_samples`` samples to bound memory. A profile step with no elevation (outside the DEM
footprint) counts as flat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from yuanluo.gis.terrain import Terrain

__all__ = ["FLAT_SPEED_KMH", "SPEED_MODEL", "step_minutes", "tobler_kmh", "walk_times"]

#: Tobler speed on flat ground, km/h.
FLAT_SPEED_KMH = float(6.0 * np.exp(-3.5 * 0.05))
SPEED_MODEL = "tobler1993: 6*exp(-3.5*|dh/dx+0.05|) km/h, switchbacks beyond the critical gradient"


def tobler_kmh(slope: Any, off_path_factor: float = 1.0) -> np.ndarray:
    """Tobler walking speed (km/h) for a signed slope dh/dx in the direction of travel.

    Examples
    --------
    >>> tobler_kmh([0.0, -0.05, 0.2]).round(2).tolist()
    [5.04, 6.0, 2.5]
    """
    s = np.asarray(slope, dtype=float)
    return off_path_factor * 6.0 * np.exp(-3.5 * np.abs(s + 0.05))


def walk_times(
    xy_a: Any,
    xy_b: Any,
    terrain: Terrain | None = None,
    *,
    off_path_factor: float = 1.0,
    switchback_slope: float | None = 0.3,
    step_m: float | None = None,
    chunk_samples: int = 2_000_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Walking minutes a→b and b→a along straight lines, for many edges at once.

    Parameters
    ----------
    xy_a, xy_b : array (m, 2)
        Edge end points in the terrain's CRS (metres).
    terrain : Terrain, optional
        Without it the walk is flat at :data:`FLAT_SPEED_KMH` (× ``off_path_factor``).
    off_path_factor : float
        Multiplies the speed (1.0 = on a path; Tobler used 0.6 off path).
    switchback_slope : float or None
        Critical gradient beyond which a zigzag path is assumed (see the module docstring).
    step_m : float, optional
        Profile sampling step; default the DEM cell size.
    chunk_samples : int
        Upper bound of profile samples held in memory at once.

    Returns
    -------
    walk_ab, walk_ba : ndarray (m,)
        Minutes.

    Examples
    --------
    >>> ab, ba = walk_times([[0, 0]], [[84, 0]])
    >>> round(float(ab[0]), 2), bool(ab[0] == ba[0])
    (1.0, True)
    """
    a = np.asarray(xy_a, dtype=float).reshape(-1, 2)
    b = np.asarray(xy_b, dtype=float).reshape(-1, 2)
    length = np.hypot(*(b - a).T)
    m = len(length)
    if terrain is None or m == 0:
        t = length / (FLAT_SPEED_KMH * off_path_factor * 1000.0 / 60.0)
        return t, t.copy()
    step = float(step_m or terrain.res)
    nseg = np.maximum(np.ceil(length / step).astype(np.int64), 1)
    out_ab = np.empty(m)
    out_ba = np.empty(m)
    # chunk boundaries on the cumulative sample count
    nsamp = nseg + 1
    cum = np.cumsum(nsamp)
    start = 0
    while start < m:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk_samples, side="right"))
        stop = max(stop, start + 1)
        _profile_chunk(a[start:stop], b[start:stop], nseg[start:stop], length[start:stop], terrain,
                       off_path_factor=off_path_factor, switchback_slope=switchback_slope,
                       out_ab=out_ab[start:stop], out_ba=out_ba[start:stop])
        start = stop
    return out_ab, out_ba


def _profile_chunk(
    a: np.ndarray,
    b: np.ndarray,
    nseg: np.ndarray,
    length: np.ndarray,
    terrain: Terrain,
    *,
    off_path_factor: float,
    switchback_slope: float | None,
    out_ab: np.ndarray,
    out_ba: np.ndarray,
) -> None:
    k = len(nseg)
    nsamp = nseg + 1
    edge = np.repeat(np.arange(k), nsamp)
    first = np.cumsum(nsamp) - nsamp
    j = np.arange(len(edge)) - first[edge]
    frac = j / nseg[edge]
    pts = a[edge] + (b[edge] - a[edge]) * frac[:, None]
    z = terrain.sample(pts)
    # step i of an edge goes from sample i to sample i+1; drop the last sample of each edge
    not_last = j < nseg[edge]
    idx = np.nonzero(not_last)[0]
    dz = z[idx + 1] - z[idx]
    dz = np.where(np.isnan(dz), 0.0, dz)
    seg_edge = edge[idx]
    dx = length[seg_edge] / nseg[seg_edge]
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(dx > 0, dz / np.where(dx > 0, dx, 1.0), 0.0)
    # minutes = metres / (km/h * 1000/60)
    t_ab = step_minutes(dx, s, off_path_factor, switchback_slope)
    t_ba = step_minutes(dx, -s, off_path_factor, switchback_slope)
    out_ab[:] = np.bincount(seg_edge, weights=t_ab, minlength=k)
    out_ba[:] = np.bincount(seg_edge, weights=t_ba, minlength=k)


def step_minutes(
    dx: np.ndarray, slope: np.ndarray, off_path_factor: float = 1.0, switchback_slope: float | None = 0.3
) -> np.ndarray:
    """Minutes to walk horizontal distance ``dx`` (m) at signed slope ``slope``, with switchbacks.

    Examples
    --------
    >>> step_minutes(np.array([100.0]), np.array([1.0]), switchback_slope=None).round(1).tolist()
    [39.4]
    >>> step_minutes(np.array([100.0]), np.array([1.0])).round(1).tolist()
    [11.3]
    """
    mpm = 1000.0 / 60.0
    t = dx / (tobler_kmh(slope, off_path_factor) * mpm)
    if switchback_slope is not None:
        sc = float(switchback_slope)
        steep = np.abs(slope) > sc
        if steep.any():
            climb = np.abs(slope[steep]) * dx[steep]
            zig = (climb / sc) / (tobler_kmh(np.sign(slope[steep]) * sc, off_path_factor) * mpm)
            t[steep] = np.minimum(t[steep], zig)
    return t
