"""Synthetic Chongqing-like villages: households, terrain, rivers, roads, villages and groups.

:func:`make_village` builds, from a seed alone, a hilly area in a projected CRS (CGCS2000 / 3-degree
Gauss-Krüger CM 108E, EPSG:4545, by default) somewhere in 107.5–108.5E, 29–30N, sized for the requested
number of households (about 150 households per km², as in the Sichuan and Chongqing examples), with

- rivers crossing the area and tributary streams, each in its own valley;
- a DEM whose valleys follow those channels and whose ridges lie between them, with fractal texture;
- natural settlements (自然院落) on valley floors and gentle slopes, never across a river, with sizes
  drawn as reported for Changshou: about 44 % under 15 households, 35 % with 15–25, the rest larger and
  a few of 50–120;
- administrative villages of about 300–1,500 households, each split into 3–8 villager groups, drawn as
  polygons that tile the area (households' ``village`` / ``group`` are the polygons they lie in);
- roads along both banks of each river, bridges across them, and a track from every settlement to the
  nearest road on its own bank.

Everything is vectorised: 10,000 households build in well under a second, one million in about half
a minute (2 cores). The same ``n_households`` and ``seed`` give identical output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from scipy import ndimage, signal
from scipy.spatial import cKDTree

from yuanluo.gis.catalogue import both
from yuanluo.gis.errors import CRSError, InputError, given_name, problem

#: Households per km² of the whole area (mountains included).
DENSITY_PER_KM2 = 150.0
#: Settlement size classes: (probability, low, high) inclusive.
SIZE_CLASSES = ((0.44, 1, 14), (0.35, 15, 25), (0.17, 26, 49), (0.04, 50, 120))
#: Household size (persons 1..6) probabilities: small, ageing households dominate.
PERSONS_P = (0.18, 0.30, 0.22, 0.15, 0.10, 0.05)
#: the suffixes of the DEM file :meth:`SynthVillage.write_dem` writes (a GeoTIFF)
DEM_SUFFIXES = (".tif", ".tiff")
#: villages of fewer households get a DEM whose noise is scaled as a process (:func:`_noise`, ``as_process``); from
#: this many on it keeps the old scaling by its own spread over the grid, so that the benchmark villages (1,000 to
#: 100,000 households, compared across sessions in ``bench/``) stay byte for byte the same
NOISE_OWN_SPREAD_FROM = 1000


@dataclass
class SynthVillage:
    """A generated area: households and their context layers, all in ``crs``.

    Attributes
    ----------
    households : GeoDataFrame
        Points, index ``hid`` ("H000001" ...), columns ``persons`` (Int64), ``village``, ``group``,
        ``settlement`` (str), ``head_candidate``, ``party_member`` (bool), ``elevation`` (float, m).
    dem : ndarray of float32, shape (rows, cols)
        Elevation in metres, no missing cells.
    transform : affine.Affine
        Pixel-to-``crs`` transform of ``dem`` (north up).
    crs : pyproj.CRS
    rivers : GeoDataFrame
        LineStrings with ``waterway`` ("river" / "stream") and ``name``.
    roads : GeoDataFrame
        LineStrings with ``highway`` and ``bridge`` ("yes" where the road crosses a river).
    villages, groups : GeoDataFrame
        Polygons with ``village`` (and ``group``) ids and ``n_households``.
    settlements : DataFrame
        One row per natural settlement: ``settlement``, ``x``, ``y``, ``n_households``.
    params : dict
        The arguments and derived sizes of the generator.
    """

    households: gpd.GeoDataFrame
    dem: np.ndarray
    transform: Affine
    crs: CRS
    rivers: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    groups: gpd.GeoDataFrame
    settlements: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """A short repr: counts, DEM grid and CRS (the layers are attributes)."""
        from yuanluo.gis.crs import crs_short

        rows, cols = self.dem.shape
        return (f"SynthVillage(households={len(self.households)}, villages={len(self.villages)}, "
                f"groups={len(self.groups)}, settlements={len(self.settlements)}, rivers={len(self.rivers)}, "
                f"roads={len(self.roads)}, dem={rows}x{cols} cells of {abs(self.transform.a):g} m, "
                f"crs={crs_short(self.crs)}, seed={self.params.get('seed')!r})")

    def dem_bytes(self) -> bytes:
        """The DEM as a compressed, tiled float32 GeoTIFF (nodata -9999), as bytes (same village, same bytes). It is
        tagged as the village's own ground (:data:`yuanluo.gis.terrain.GENERATED_TAG`): the households were placed on
        it and it has no relief below its cells, so :func:`~yuanluo.gis.terrain.read_dem` does not warn that its
        cells are coarser than the household spacing (DEM-RES).

        >>> import tempfile, warnings
        >>> from yuanluo.gis.terrain import read_dem
        >>> v = make_village(50, seed=2)  # households 13 m apart (the median) on its 30 m cells
        >>> dem = v.write_dem(Path(tempfile.mkdtemp()) / "dem.tif")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("error")
        ...     read_dem(dem, working_crs=v.crs, households=v.households).problems
        []
        """
        import rasterio
        from rasterio.io import MemoryFile

        from yuanluo.gis.terrain import GENERATED_TAG

        rows, cols = self.dem.shape
        profile = {
            "driver": "GTiff", "height": rows, "width": cols, "count": 1, "dtype": "float32",
            "crs": self.crs.to_wkt(), "transform": self.transform, "nodata": -9999.0,
            "compress": "deflate", "predictor": 3, "tiled": True, "blockxsize": 256, "blockysize": 256,
        }
        with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True), MemoryFile() as mem:
            with mem.open(**profile) as dst:
                dst.write(self.dem, 1)
                dst.update_tags(**dict([GENERATED_TAG]))
            return bytes(mem.read())

    def write_dem(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the DEM as a compressed, tiled float32 GeoTIFF (nodata -9999) to ``path`` (``.tif`` or
        ``.tiff``), atomically. An existing file is OUT-EXISTS unless ``overwrite=True``, checked before any work.
        """
        from yuanluo.gis.output import require_writer_free, write_bytes

        require_writer_free([(path, DEM_SUFFIXES)], overwrite=overwrite)
        return write_bytes(path, self.dem_bytes(), overwrite=overwrite)

    def write(self, directory: str | os.PathLike[str], *, overwrite: bool = False) -> dict[str, Path]:
        """Write ``households.gpkg``, ``dem.tif`` and ``context.gpkg`` (rivers, roads, villages, groups) in
        ``directory`` (made if missing). All three are checked before any is written (an existing one is
        OUT-EXISTS unless ``overwrite=True``) and placed together, or none is.

        Returns a dict with keys ``households``, ``dem``, ``context``.
        """
        from yuanluo.gis.output import LAYER_SUFFIXES, joined, require_free, write_layers
        from yuanluo.gis.transaction import current

        d = Path(directory)
        outs = {"households": d / "households.gpkg", "dem": d / "dem.tif", "context": d / "context.gpkg"}
        tx = current()
        require_free(list(outs.values()), overwrite=tx.overwrite if tx is not None else overwrite, need_dirs=False,
                     inputs=tx.inputs if tx is not None else (),
                     allowed=[(p, DEM_SUFFIXES if k == "dem" else LAYER_SUFFIXES) for k, p in outs.items()])
        d.mkdir(parents=True, exist_ok=True)
        with joined(overwrite):  # the three placed together, or none
            write_layers(outs["households"], {"households": self.households}, overwrite=overwrite)
            write_layers(outs["context"],
                         {"rivers": self.rivers, "roads": self.roads, "villages": self.villages, "groups": self.groups},
                         overwrite=overwrite)
            self.write_dem(outs["dem"], overwrite=overwrite)
        return outs


# ---------------------------------------------------------------------------------------------- helpers
def _noise(rng: np.random.Generator, shape: tuple[int, int], res: float, scales_m: tuple[float, ...], *,
           as_process: bool = False) -> np.ndarray:
    """Multi-octave smooth noise: each octave a random grid at the octave's scale, lightly smoothed and bilinearly
    upsampled, amplitudes growing as scale^0.8.

    ``as_process=False`` scales the field to unit standard deviation over this grid; ``True`` scales by the
    standard deviation the noise has over an area far larger than its scales (:func:`_noise_sd`), so a grid smaller
    than an octave sees that octave as a real landscape seen through a small window looks: about level, at a height
    drawn with unit spread. Scaled by its own spread, the octave's slight tilt across a grid of 1 km² became the unit
    and its level tens of units (``make_village(60, seed=4)``: relief noise 38-43, a DEM of 330-2,888 m).

    >>> g = _noise(np.random.default_rng(4), (30, 40), 30.0, (3000.0,), as_process=True)
    >>> bool(abs(g.mean()) < 4 and g.std() < 0.5)
    True
    """
    rows, cols = shape
    total = np.zeros(shape, dtype=np.float32)
    for s in scales_m:
        step = max(s / res, 1.0)
        cr, cc = int(np.ceil(rows / step)) + 2, int(np.ceil(cols / step)) + 2
        coarse = ndimage.gaussian_filter(rng.standard_normal((cr, cc)).astype(np.float32), 0.7, mode="wrap")
        full = ndimage.zoom(coarse, step, order=1, prefilter=False, grid_mode=False)[:rows, :cols]
        total[: full.shape[0], : full.shape[1]] += full * np.float32(s**0.8)
    sd = _noise_sd(scales_m) if as_process else float(total.std()) or 1.0
    return total / np.float32(sd)


def _noise_sd(scales_m: tuple[float, ...]) -> float:
    """The standard deviation of :func:`_noise`'s sum of octaves over an area far larger than its scales.

    One octave of unit amplitude: white noise smoothed by a Gaussian of 0.7 cells (the kernel ``g`` of
    ``ndimage.gaussian_filter``, radius 3) and bilinearly interpolated, its variance averaged over the positions
    between coarse cells, ((2/3)·Σg² + (1/3)·Σg(m)g(m+1))² (separable in rows and columns); octaves independent.

    >>> round(_noise_sd((1.0,)), 4)  # a 6,000 x 6,000 sample of one octave measures 0.3518
    0.3522
    """
    x = np.arange(-3, 4, dtype=float)
    g = np.exp(-(x**2) / (2 * 0.7**2))
    g /= g.sum()
    one = (2 / 3 * float(g @ g) + 1 / 3 * float(g[:-1] @ g[1:])) ** 2
    return float(np.sqrt(one * sum(s**1.6 for s in scales_m)))


def _meander(rng: np.random.Generator, start: np.ndarray, heading: float, width: float, height: float,
             step: float, wiggle: float = 0.35, max_len: float | None = None) -> np.ndarray:
    """A meandering polyline from ``start`` along ``heading`` until it leaves the box (or ``max_len``)."""
    n = int((max_len or 2.5 * (width + height)) / step) + 2
    # AR(1) heading deviation, mean-reverting to the initial heading
    dev = signal.lfilter([1.0], [1.0, -0.92], rng.normal(0.0, wiggle * 0.3, n))
    ang = heading + dev
    pts = start + np.cumsum(np.c_[np.cos(ang), np.sin(ang)] * step, axis=0)
    pts = np.vstack([start, pts])
    inside = (pts[:, 0] >= 0) & (pts[:, 0] <= width) & (pts[:, 1] >= 0) & (pts[:, 1] <= height)
    out = np.flatnonzero(~inside[1:])
    end = out[0] + 2 if len(out) else len(pts)
    return pts[:end]


def _rasterize(lines: list[np.ndarray], shape: tuple[int, int], transform: Affine) -> np.ndarray:
    from rasterio.features import rasterize

    if not lines:
        return np.zeros(shape, dtype=bool)
    geoms = [shapely.LineString(p) for p in lines]
    return rasterize(((g, 1) for g in geoms), out_shape=shape, transform=transform, all_touched=True,
                     dtype="uint8").astype(bool)


def _gumbel_top(logw: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k indices sampled without replacement with probability ∝ exp(logw) (Gumbel top-k)."""
    keys = logw + rng.gumbel(size=logw.shape)
    k = min(k, int(np.isfinite(logw).sum()))
    idx = np.argpartition(-keys, k - 1)[:k] if k < len(keys) else np.arange(len(keys))
    return idx[np.argsort(-keys[idx], kind="stable")]


def _settlement_sizes(n: int, rng: np.random.Generator) -> np.ndarray:
    probs = np.array([c[0] for c in SIZE_CLASSES])
    mean = sum(p * (lo + hi) / 2 for p, lo, hi in SIZE_CLASSES)
    m = int(n / mean * 1.5) + 20
    cls = rng.choice(len(SIZE_CLASSES), size=m, p=probs / probs.sum())
    lo = np.array([c[1] for c in SIZE_CLASSES])[cls]
    hi = np.array([c[2] for c in SIZE_CLASSES])[cls]
    sizes = rng.integers(lo, hi + 1)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, n)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= cum[k - 1] - n
    return sizes[sizes > 0]


def _bisect(xy: np.ndarray, w: np.ndarray, targets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split points into ``len(targets)`` spatially compact parts with weights ∝ targets.

    Recursive weighted bisection along a jittered long axis. Returns part labels 0..k-1.
    """
    labels = np.zeros(len(xy), dtype=np.int64)
    stack: list[tuple[np.ndarray, int, int]] = [(np.arange(len(xy)), 0, len(targets))]
    while stack:
        idx, t0, t1 = stack.pop()
        k = t1 - t0
        if k <= 1 or len(idx) <= 1:
            labels[idx] = t0
            continue
        kl = k // 2
        frac = targets[t0:t0 + kl].sum() / targets[t0:t1].sum()
        p = xy[idx]
        span = p.max(axis=0) - p.min(axis=0)
        base = 0.0 if span[0] >= span[1] else np.pi / 2
        a = base + rng.uniform(-0.35, 0.35)
        proj = p @ np.array([np.cos(a), np.sin(a)])
        order = np.argsort(proj, kind="stable")
        cw = np.cumsum(w[idx][order])
        cut = int(np.searchsorted(cw, frac * cw[-1]))
        cut = min(max(cut, 1), len(idx) - 1)
        stack.append((idx[order[cut:]], t0 + kl, t1))
        stack.append((idx[order[:cut]], t0, t0 + kl))
    return labels


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    nums = np.char.zfill(np.arange(1, n + 1).astype(str), width)
    return np.char.add(prefix, nums).astype(object)


def _polygons(labels: np.ndarray, transform: Affine) -> tuple[np.ndarray, np.ndarray]:
    """One MultiPolygon per label value (> 0) of a label raster: (sorted labels, geometries)."""
    from rasterio.features import shapes

    parts, vals = [], []
    for geom, val in shapes(labels.astype(np.int32), mask=labels > 0, transform=transform, connectivity=4):
        rings = geom["coordinates"]
        holes = [shapely.linearrings(r) for r in rings[1:]]
        parts.append(shapely.polygons(shapely.linearrings(rings[0]), holes or None))
        vals.append(int(val))
    v = np.asarray(vals, dtype=np.int64)
    order = np.argsort(v, kind="stable")
    uniq, idx = np.unique(v[order], return_inverse=True)
    multi = shapely.multipolygons(np.asarray(parts, dtype=object)[order], indices=idx)
    return uniq, multi


# ---------------------------------------------------------------------------------------------- generator
def make_village(n_households: int, *, seed: int = 0, crs: Any = "EPSG:4545", dem_res: float = 30.0) -> SynthVillage:
    """Generate a Chongqing-like rural area with ``n_households`` households.

    Parameters
    ----------
    n_households : int
        Number of households, 1 to a few million (1,000,000 builds in well under a minute).
    seed : int
        Random seed, a whole number ≥ 0; the same arguments give identical output (``None``, which would give
        another village each time, is ``SYNTH-PARAM``, as are a count below 1 and a cell size not above 0).
    crs : CRS-like
        Projected CRS in metres for every layer (default CGCS2000 / 3-degree GK CM 108E); another is
        ``SYNTH-CRS``, one pyproj cannot read (``"junk"``) ``CRS-WORKING-UNKNOWN`` (as ``read_dem`` says it).
    dem_res : float
        DEM cell size in metres.

    Returns
    -------
    SynthVillage

    Examples
    --------
    >>> v = make_village(100, seed=1)
    >>> len(v.households), v.households.index.name, v.households.index[0], v.crs.to_epsg()
    (100, 'hid', 'H000001', 4545)
    >>> sorted(v.rivers["waterway"].unique())[0]
    'river'
    """
    n, crs = _check_args(n_households, seed, crs, dem_res)
    rng = np.random.default_rng(seed)
    grid = _grid(n, rng, crs, dem_res)
    rivers_xy, streams_xy = _channels(rng, grid)
    local = Affine(dem_res, 0.0, 0.0, 0.0, -dem_res, grid.height)  # local coords -> same grid
    river_mask = _rasterize(rivers_xy, grid.shape, local)
    stream_mask = _rasterize(streams_xy, grid.shape, local)
    dem, d_river, d_stream = _terrain(rng, grid, river_mask, stream_mask, as_process=n < NOISE_OWN_SPREAD_FROM)
    channel = river_mask | stream_mask
    logw, slope_deg = _site_weights(grid, dem, d_river, d_stream, channel)
    sizes = _settlement_sizes(n, rng)
    ci, cj, sx, sy = _settlement_centres(rng, grid, logw, len(sizes))
    bank, _ = ndimage.label(~river_mask, structure=[[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    s_of = np.repeat(np.arange(len(sizes)), sizes)
    hx, hy = _scatter_households(rng, grid, s_of, sizes, np.c_[sx, sy], bank[ci, cj][s_of], channel=channel,
                                 bank=bank, slope_deg=slope_deg)
    hi = np.clip(((grid.height - hy) / dem_res).astype(np.int64), 0, grid.shape[0] - 1)
    hj = np.clip((hx / dem_res).astype(np.int64), 0, grid.shape[1] - 1)
    sxy = np.c_[sx, sy]
    vt, s_village, s_group, n_groups_of = _villages_and_groups(rng, n, sxy, sizes)
    goff = np.r_[0, np.cumsum(n_groups_of)]
    s_glabel = goff[s_village] + s_group + 1  # 1..G
    houses = _Houses(hx, hy, hi, hj, s_of, s_glabel[s_of])
    lab = _group_raster(rng, grid, ci, cj, s_glabel, houses)
    admin = _Admin.of(vt, n_groups_of, len(sizes))
    households = _household_table(rng, grid, houses, admin, dem)
    groups, villages = _admin_polygons(grid, lab, houses, admin)
    shift = np.array([grid.x0, grid.y0])
    rivers = _river_layer(rivers_xy, streams_xy, shift, crs)
    roads = _roads(rng, rivers_xy, sxy, bank, dem_res, grid.height, shift, crs)
    settlements = pd.DataFrame({"settlement": pd.array(admin.s_ids, dtype="str"), "x": sx + grid.x0,
                                "y": sy + grid.y0, "n_households": sizes})
    params = {"n_households": n, "seed": seed, "crs": crs.to_string(), "dem_res": dem_res, "lon": grid.lon,
              "lat": grid.lat, "width_m": grid.width, "height_m": grid.height, "n_settlements": len(sizes),
              "n_villages": len(vt), "n_groups": len(admin.g_ids), "n_rivers": len(rivers_xy),
              "n_streams": len(streams_xy)}
    return SynthVillage(households=households, dem=dem, transform=grid.transform, crs=crs, rivers=rivers,
                        roads=roads, villages=villages, groups=groups, settlements=settlements, params=params)


# ------------------------------------------------------------------------------------- generator steps
@dataclass(frozen=True)
class _Grid:
    """The generated area: its size, DEM grid and place (local coordinates run from the lower left)."""

    width: float
    height: float
    res: float
    shape: tuple[int, int]
    transform: Affine
    x0: float
    y0: float
    lon: float
    lat: float
    crs: CRS


@dataclass
class _Houses:
    """Household positions (local metres), DEM cells, settlement index and group label (1..G)."""

    hx: np.ndarray
    hy: np.ndarray
    hi: np.ndarray
    hj: np.ndarray
    s_of: np.ndarray
    h_glabel: np.ndarray


@dataclass(frozen=True)
class _Admin:
    """Villages and groups: group label-1 -> village index and number within it, and the ids."""

    g_village: np.ndarray
    v_ids: np.ndarray
    g_ids: np.ndarray
    s_ids: np.ndarray

    @classmethod
    def of(cls, vt: np.ndarray, n_groups_of: np.ndarray, ns: int) -> _Admin:
        g_village = np.repeat(np.arange(len(vt)), n_groups_of)
        g_num = np.concatenate([np.arange(1, k + 1) for k in n_groups_of])
        v_ids = _ids("V", len(vt), max(3, len(str(len(vt)))))
        g_ids = np.array([f"{v_ids[g_village[i]]}-G{g_num[i]}" for i in range(len(g_num))], dtype=object)
        return cls(g_village, v_ids, g_ids, _ids("S", ns, max(4, len(str(ns)))))


def _whole(value: Any, least: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | np.integer) and bool(value >= least)


def _check_args(n_households: Any, seed: Any, crs: Any, dem_res: Any) -> tuple[int, CRS]:
    """The household count as int and the CRS (metric), or ``SYNTH-PARAM`` (an :class:`InputError`, a
    ``ValueError``: a count below 1, a seed that is not a whole number ≥ 0 (``None`` would give another village
    each time), a cell size not above 0) / ``SYNTH-CRS`` (a :class:`CRSError`: a CRS not projected in metres) /
    ``CRS-WORKING-UNKNOWN`` (no CRS pyproj can read, ``"junk"``: as :func:`yuanluo.gis.crs.read_working` says it).

    >>> try:
    ...     _check_args(10, None, "EPSG:4545", 30.0)
    ... except InputError as e:
    ...     print(e.codes, e.problems[0].params["param"])
    ['SYNTH-PARAM'] seed
    """
    probs = [problem("SYNTH-PARAM", param=param, value=given_name(value), expected=both(f"synth.expected.{param}"),
                     example=example)
             for param, value, ok, example in (
                 ("n_households", n_households, _whole(n_households, 1), "make_village(300)"),
                 ("seed", seed, _whole(seed, 0), "make_village(300, seed=1)"),
                 ("dem_res", dem_res, isinstance(dem_res, int | float | np.number) and not isinstance(dem_res, bool)
                  and bool(dem_res > 0) and bool(np.isfinite(dem_res)), "make_village(300, dem_res=30.0)"))
             if not ok]
    if probs:
        raise InputError(probs)
    try:
        out = CRS.from_user_input(crs)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:  # no CRS at all: said as read_dem says it
        raise CRSError(problem("CRS-WORKING-UNKNOWN", call="make_village", keyword="crs", given=str(crs),
                               then={"zh": "", "en": ""})) from exc
    unit = out.axis_info[0].unit_name if out.axis_info else ""
    if not out.is_projected or unit not in ("metre", "meter"):
        raise CRSError(problem("SYNTH-CRS", crs=out.to_string()))
    return int(n_households), out


def _grid(n: int, rng: np.random.Generator, crs: CRS, dem_res: float) -> _Grid:
    """An area of ``n / DENSITY_PER_KM2`` km² (1 km² at least), centred somewhere in 107.5-108.5E, 29-30N."""
    area_m2 = max(n / DENSITY_PER_KM2 * 1e6, 1.0e6)
    aspect = rng.uniform(1.0, 1.5)
    width = float(np.sqrt(area_m2 * aspect))
    height = float(area_m2 / width)
    cols, rows = int(np.ceil(width / dem_res)), int(np.ceil(height / dem_res))
    width, height = cols * dem_res, rows * dem_res
    lon, lat = rng.uniform(107.5, 108.5), rng.uniform(29.0, 30.0)
    cx, cy = Transformer.from_crs("EPSG:4490", crs, always_xy=True).transform(lon, lat)
    x0 = float(np.round((cx - width / 2) / dem_res) * dem_res)
    y0 = float(np.round((cy - height / 2) / dem_res) * dem_res)
    transform = Affine(dem_res, 0.0, x0, 0.0, -dem_res, y0 + height)
    return _Grid(width, height, dem_res, (rows, cols), transform, x0, y0, lon, lat, crs)


def _channels(rng: np.random.Generator, grid: _Grid) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Rivers crossing the area and streams (mostly tributaries), as local-coordinate polylines."""
    width, height, step = grid.width, grid.height, 2.0 * grid.res
    side = np.sqrt(width * height)
    n_rivers = int(rng.integers(1, 3)) if side < 6000 else int(round(side / 6000 * rng.uniform(1.0, 1.6)))
    rivers_xy: list[np.ndarray] = []
    for _ in range(n_rivers):
        edge = int(rng.integers(4))
        t = rng.uniform(0.15, 0.85)
        start, heading = {
            0: (np.array([0.0, t * height]), 0.0),
            1: (np.array([width, t * height]), np.pi),
            2: (np.array([t * width, 0.0]), np.pi / 2),
            3: (np.array([t * width, height]), -np.pi / 2),
        }[edge]
        line = _meander(rng, start, heading + rng.uniform(-0.5, 0.5), width, height, step)
        if len(line) >= 3:
            rivers_xy.append(line)
    n_streams = max(1, int(round(width * height / 1.5e6 * rng.uniform(0.8, 1.2))))
    streams_xy: list[np.ndarray] = []
    all_river = np.vstack(rivers_xy)
    for _ in range(n_streams):
        if rng.random() < 0.7:  # tributary of a river
            p = all_river[rng.integers(len(all_river))]
        else:
            p = rng.uniform([0, 0], [width, height])
        line = _meander(rng, p, rng.uniform(-np.pi, np.pi), width, height, step, wiggle=0.5,
                        max_len=rng.uniform(600.0, 3000.0))
        if len(line) >= 3:
            streams_xy.append(line)
    return rivers_xy, streams_xy


def _terrain(rng: np.random.Generator, grid: _Grid, river_mask: np.ndarray, stream_mask: np.ndarray, *,
             as_process: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The DEM (valleys along channels, ridges between them, fractal texture) and the distances to channels.

    Valley floors at 250-400 m, ridges 150-250 m above them (±80 m over kilometres, 40 m at least), 25 m of texture;
    ``as_process``: the noise scaled as a process (:func:`_noise`), so a village of 1 km² sees the same hills as a
    larger one (about 60-350 m of relief, half its cells under 11-12°, for 60-999 households, seeds 0-15).
    """
    shape, dem_res = grid.shape, grid.res
    d_river = ndimage.distance_transform_edt(~river_mask).astype(np.float32) * np.float32(dem_res)
    d_stream = ndimage.distance_transform_edt(~stream_mask).astype(np.float32) * np.float32(dem_res)
    v = np.minimum(d_river / np.float32(450.0), d_stream / np.float32(220.0))
    valley = 1.0 - np.exp(-(v**2))
    relief = np.float32(rng.uniform(150, 250)) + np.float32(80) * _noise(rng, shape, dem_res, (3000.0,),
                                                                        as_process=as_process)
    base = np.float32(rng.uniform(250, 400))
    broad = _noise(rng, shape, dem_res, (6000.0,), as_process=as_process)
    # centred: on a village smaller than the noise's scale the field is nearly flat, and scaled to unit spread it
    # sat hundreds of metres off (a 300-household village lay at -931 to -496 m)
    floor = base + np.float32(40) * (broad - np.float32(broad.mean()))
    texture = _noise(rng, shape, dem_res, (900.0, 300.0, 90.0), as_process=as_process)
    dem = floor + np.maximum(relief, 40) * valley + np.float32(25) * texture * (0.25 + valley)
    return dem.astype(np.float32), d_river, d_stream


def _site_weights(grid: _Grid, dem: np.ndarray, d_river: np.ndarray, d_stream: np.ndarray,
                  channel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-weight of a house per cell (gentle slopes near valley floors, never in a channel) and the slope."""
    gy, gx = np.gradient(dem, grid.res)
    slope_deg = np.degrees(np.arctan(np.hypot(gx, gy)))
    near = np.exp(-np.minimum(d_river, d_stream * 1.5) / 350.0) + 0.08
    logw = -((slope_deg / 14.0) ** 2) + np.log(near)
    logw[ndimage.binary_dilation(channel, iterations=1)] = -np.inf
    logw[:2, :] = logw[-2:, :] = -np.inf
    logw[:, :2] = logw[:, -2:] = -np.inf
    return logw, slope_deg


def _settlement_centres(rng: np.random.Generator, grid: _Grid, logw: np.ndarray,
                        ns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cells (row, col) and local coordinates of ``ns`` settlement centres, at most one per ~150 m block."""
    rows, cols = grid.shape
    dem_res = grid.res
    block = max(1, int(round(150.0 / dem_res)))
    br, bc = rows // block, cols // block
    if br * bc < ns * 2:
        block = 1
        br, bc = rows, cols
    sub = logw[: br * block, : bc * block].reshape(br, block, bc, block).transpose(0, 2, 1, 3).reshape(br, bc, -1)
    keys = sub + rng.gumbel(size=sub.shape)
    best = np.argmax(keys, axis=2)
    bsum = np.exp(sub).sum(axis=2)
    blogw = np.full(bsum.shape, -np.inf)
    np.log(bsum, out=blogw, where=bsum > 0)
    chosen = _gumbel_top(blogw.ravel(), ns, rng)
    if len(chosen) < ns:  # tiny area: allow several settlements per block
        chosen = np.resize(chosen, ns)
    bi, bj = np.divmod(chosen, bc)
    cell = best[bi, bj]
    ci, cj = bi * block + cell // block, bj * block + cell % block
    jitter = rng.uniform(-0.5, 0.5, (ns, 2)) * dem_res
    sx = (cj + 0.5) * dem_res + jitter[:, 0]
    sy = grid.height - (ci + 0.5) * dem_res + jitter[:, 1]
    return ci, cj, sx, sy


def _scatter_households(rng: np.random.Generator, grid: _Grid, s_of: np.ndarray, sizes: np.ndarray,
                        sxy: np.ndarray, h_bank: np.ndarray, *, channel: np.ndarray, bank: np.ndarray,
                        slope_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Household positions around their settlement centre, on the same bank, off channels and cliffs."""
    rows, cols = grid.shape
    width, height, dem_res = grid.width, grid.height, grid.res
    sigma = (6.0 + 9.0 * np.sqrt(sizes))[s_of]
    cxh, cyh = sxy[s_of, 0], sxy[s_of, 1]
    hx, hy = cxh.copy(), cyh.copy()
    todo = np.arange(len(s_of))
    for _ in range(8):
        if len(todo) == 0:
            break
        px = cxh[todo] + rng.normal(0.0, 1.0, len(todo)) * sigma[todo]
        py = cyh[todo] + rng.normal(0.0, 1.0, len(todo)) * sigma[todo]
        j = np.clip((px / dem_res).astype(np.int64), 0, cols - 1)
        i = np.clip(((height - py) / dem_res).astype(np.int64), 0, rows - 1)
        ok = (px > 0) & (px < width) & (py > 0) & (py < height) & ~channel[i, j] & (bank[i, j] == h_bank[todo])
        ok &= slope_deg[i, j] < 35.0
        hx[todo[ok]], hy[todo[ok]] = px[ok], py[ok]
        todo = todo[~ok]
    if len(todo):  # still unplaced: a few metres from the centre (same cell, so same bank)
        hx[todo] = cxh[todo] + rng.uniform(-0.2, 0.2, len(todo)) * dem_res
        hy[todo] = cyh[todo] + rng.uniform(-0.2, 0.2, len(todo)) * dem_res
    return hx, hy


def _villages_and_groups(rng: np.random.Generator, n: int, sxy: np.ndarray,
                         sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Village targets (300-1500 households), each settlement's village and group (3-8 per village)."""
    ns = len(sizes)
    if n < 600:
        vt = np.array([float(n)])
    else:
        raw = np.clip(rng.lognormal(np.log(750.0), 0.4, int(n / 300) + 2), 300, 1500)
        k = max(1, int(np.searchsorted(np.cumsum(raw), n)) + 1)
        vt = raw[:k] * (n / raw[:k].sum())
        k = min(k, ns)
        vt = vt[:k]
    s_village = _bisect(sxy, sizes.astype(float), vt, rng)
    s_group = np.zeros(ns, dtype=np.int64)
    n_groups_of = np.zeros(len(vt), dtype=np.int64)
    order_s = np.argsort(s_village, kind="stable")
    starts = np.searchsorted(s_village[order_s], np.arange(len(vt) + 1))
    for vi in range(len(vt)):
        members = order_s[starts[vi]:starts[vi + 1]]
        hh = int(sizes[members].sum())
        k = min(int(rng.integers(3, 9)), len(members), max(1, hh // 25))
        gt = rng.uniform(0.7, 1.3, k)
        s_group[members] = _bisect(sxy[members], sizes[members].astype(float), gt, rng)
        n_groups_of[vi] = k
    return vt, s_village, s_group, n_groups_of


def _group_raster(rng: np.random.Generator, grid: _Grid, ci: np.ndarray, cj: np.ndarray, s_glabel: np.ndarray,
                  houses: _Houses) -> np.ndarray:
    """Group label per DEM cell: the nearest settlement's group, and every household cell its own group.

    A household whose cell is claimed by another group moves next to its settlement centre (same cell,
    same bank); ``houses`` is updated in place.
    """
    rows, cols = grid.shape
    seeds = np.zeros(grid.shape, dtype=np.int64)
    seeds[ci, cj] = s_glabel
    ni, nj = ndimage.distance_transform_edt(seeds == 0, return_distances=False, return_indices=True)
    lab = seeds[ni, nj].astype(np.int32)
    del ni, nj
    h = houses
    owner = np.zeros(rows * cols, dtype=np.int64)
    owner[ci * cols + cj] = s_glabel
    hcell = h.hi * cols + h.hj
    _, first = np.unique(hcell, return_index=True)
    free = owner[hcell[first]] == 0
    owner[hcell[first[free]]] = h.h_glabel[first[free]]
    moved = owner[hcell] != h.h_glabel
    if moved.any():
        h.hx[moved] = (cj[h.s_of[moved]] + rng.uniform(0.2, 0.8, int(moved.sum()))) * grid.res
        h.hy[moved] = grid.height - (ci[h.s_of[moved]] + rng.uniform(0.2, 0.8, int(moved.sum()))) * grid.res
        h.hi[moved], h.hj[moved] = ci[h.s_of[moved]], cj[h.s_of[moved]]
    claimed = owner > 0
    lab.ravel()[claimed] = owner[claimed]
    return lab


def _household_table(rng: np.random.Generator, grid: _Grid, houses: _Houses, admin: _Admin,
                     dem: np.ndarray) -> gpd.GeoDataFrame:
    """The households, ordered by village, group, settlement, easting (``houses`` is reordered to match)."""
    h = houses
    order = np.lexsort((h.hx, h.s_of, h.h_glabel))
    h.hx, h.hy, h.s_of, h.h_glabel, h.hi, h.hj = (a[order] for a in (h.hx, h.hy, h.s_of, h.h_glabel, h.hi, h.hj))
    n = len(order)
    party = rng.random(n) < 0.05
    head = party | (rng.random(n) < 0.02)
    persons = rng.choice(np.arange(1, 7), size=n, p=np.array(PERSONS_P))
    hid = pd.Index(_ids("H", n, max(6, len(str(n)))), name="hid", dtype="str")
    return gpd.GeoDataFrame(
        {
            "persons": pd.array(persons, dtype="Int64"),
            "village": pd.array(admin.v_ids[admin.g_village[h.h_glabel - 1]], dtype="str"),
            "group": pd.array(admin.g_ids[h.h_glabel - 1], dtype="str"),
            "settlement": pd.array(admin.s_ids[h.s_of], dtype="str"),
            "head_candidate": head,
            "party_member": party,
            "elevation": np.round(dem[h.hi, h.hj].astype(float), 1),
        },
        geometry=gpd.points_from_xy(grid.x0 + h.hx, grid.y0 + h.hy),
        index=hid,
        crs=grid.crs,
    )


def _admin_polygons(grid: _Grid, lab: np.ndarray, houses: _Houses,
                    admin: _Admin) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Group and village polygons from the group raster, with their household counts."""
    crs = grid.crs
    glabels, gpolys = _polygons(lab, grid.transform)
    gl = glabels - 1
    counts = np.bincount(houses.h_glabel - 1, minlength=len(admin.g_ids))
    groups = gpd.GeoDataFrame(
        {"village": pd.array(admin.v_ids[admin.g_village[gl]], dtype="str"),
         "group": pd.array(admin.g_ids[gl], dtype="str"), "n_households": counts[gl]},
        geometry=gpolys, crs=crs,
    )
    vlab = np.zeros(grid.shape, dtype=np.int32)
    vlab[lab > 0] = admin.g_village[lab[lab > 0] - 1] + 1
    vlabels, vpolys = _polygons(vlab, grid.transform)
    vcounts = np.bincount(admin.g_village[houses.h_glabel - 1], minlength=len(admin.v_ids))
    villages = gpd.GeoDataFrame(
        {"village": pd.array(admin.v_ids[vlabels - 1], dtype="str"), "n_households": vcounts[vlabels - 1]},
        geometry=vpolys, crs=crs,
    )
    return groups, villages


def _river_layer(rivers_xy: list[np.ndarray], streams_xy: list[np.ndarray], shift: np.ndarray,
                 crs: CRS) -> gpd.GeoDataFrame:
    """Rivers (``R1`` ...) and streams (``S1`` ...) in the output CRS."""
    return gpd.GeoDataFrame(
        {
            "waterway": pd.array(["river"] * len(rivers_xy) + ["stream"] * len(streams_xy), dtype="str"),
            "name": pd.array([f"R{i + 1}" for i in range(len(rivers_xy))]
                             + [f"S{i + 1}" for i in range(len(streams_xy))], dtype="str"),
        },
        geometry=[shapely.LineString(p + shift) for p in rivers_xy + streams_xy],
        crs=crs,
    )


def _roads(rng: np.random.Generator, rivers_xy: list[np.ndarray], sxy: np.ndarray, bank: np.ndarray,
           res: float, height: float, shift: np.ndarray, crs: CRS) -> gpd.GeoDataFrame:
    """Bank roads along each river, bridges across them, and a track from each settlement."""
    rows, cols = bank.shape
    lines: list[shapely.LineString] = []
    kinds: list[str] = []
    bridge: list[str] = []
    for line in rivers_xy:
        river = shapely.LineString(line)
        off = float(rng.uniform(45.0, 90.0))
        for sign, kind in ((1.0, "secondary"), (-1.0, "unclassified")):
            road = shapely.simplify(river.offset_curve(sign * off, quad_segs=2, join_style="round"), res)
            for part in shapely.get_parts(road):
                if part.length > 3 * res:
                    lines.append(part)
                    kinds.append(kind)
                    bridge.append("no")
        nb = max(1, int(round(river.length / 2500.0)))
        for t in np.sort(rng.uniform(0.1, 0.9, nb)) * river.length:
            p0, p1 = river.interpolate(t - res), river.interpolate(t + res)
            tx, ty = p1.x - p0.x, p1.y - p0.y
            norm = float(np.hypot(tx, ty)) or 1.0
            nx_, ny_ = -ty / norm, tx / norm
            c = river.interpolate(t)
            lines.append(shapely.LineString([(c.x - nx_ * off, c.y - ny_ * off), (c.x + nx_ * off, c.y + ny_ * off)]))
            kinds.append("tertiary")
            bridge.append("yes")
    # tracks: a minimum spanning tree over the settlements and the road network (a virtual node),
    # crossing a river only where that is much shorter (a footbridge)
    tracks, crossing = _tracks(lines, sxy, bank, res, height)
    lines.extend(tracks)
    kinds.extend(["track"] * len(tracks))
    bridge.extend(np.where(crossing, "yes", "no").tolist())
    geoms = shapely.transform(np.array(lines, dtype=object), lambda c: c + shift)
    return gpd.GeoDataFrame({"highway": pd.array(kinds, dtype="str"), "bridge": pd.array(bridge, dtype="str")},
                            geometry=geoms, crs=crs)


def _tracks(roads: list[shapely.LineString], sxy: np.ndarray, bank: np.ndarray, res: float,
            height: float) -> tuple[list[shapely.LineString], np.ndarray]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    rows, cols = bank.shape
    ns = len(sxy)
    if ns == 0 or not roads:
        return [], np.zeros(0, dtype=bool)

    def bank_of(p: np.ndarray) -> np.ndarray:
        return np.asarray(bank[((height - p[:, 1]) / res).astype(np.int64).clip(0, rows - 1),
                               (p[:, 0] / res).astype(np.int64).clip(0, cols - 1)])

    verts = shapely.get_coordinates(shapely.segmentize(np.array(roads, dtype=object), res))
    inside = (verts[:, 0] > 0) & (verts[:, 0] < cols * res) & (verts[:, 1] > 0) & (verts[:, 1] < height)
    verts = verts[inside]
    vb, sb = bank_of(verts), bank_of(sxy)
    penalty = 6.0
    # settlement -> nearest road vertex (preferring the same bank)
    k = min(16, len(verts))
    dv, nv = cKDTree(verts).query(sxy, k=k, workers=-1)
    dv, nv = dv.reshape(ns, k), nv.reshape(ns, k)
    cost_v = dv * np.where(vb[nv] == sb[:, None], 1.0, penalty)
    best = np.argmin(cost_v, axis=1)
    road_pt = nv[np.arange(ns), best]
    road_cost = cost_v[np.arange(ns), best]
    # settlement <-> settlement: k nearest neighbours
    kk = min(7, ns)
    ds, nn = cKDTree(sxy).query(sxy, k=kk, workers=-1)
    ds, nn = ds.reshape(ns, kk)[:, 1:], nn.reshape(ns, kk)[:, 1:]
    a = np.repeat(np.arange(ns), kk - 1)
    b = nn.ravel()
    w = ds.ravel() * np.where(sb[a] == sb[b], 1.0, penalty)
    keep = (a < b) | ~np.isin(a + b * ns, b + a * ns)  # drop one of each mutual pair
    a, b, w = a[keep], b[keep], w[keep]
    # node ns = the road network
    a = np.r_[a, np.arange(ns)]
    b = np.r_[b, np.full(ns, ns)]
    w = np.maximum(np.r_[w, road_cost], 1e-6)
    g = coo_matrix((w, (np.minimum(a, b), np.maximum(a, b))), shape=(ns + 1, ns + 1)).tocsr()
    t = minimum_spanning_tree(g).tocoo()
    order = np.lexsort((t.col, t.row))
    u, v = t.row[order], t.col[order]
    to_road = v == ns
    p0 = sxy[u]
    p1 = np.where(to_road[:, None], verts[road_pt[u]], sxy[np.minimum(v, ns - 1)])
    crossing = np.where(to_road, vb[road_pt[u]] != sb[u], sb[u] != sb[np.minimum(v, ns - 1)])
    long_enough = np.hypot(*(p1 - p0).T) > res / 2
    segs = np.stack([p0, p1], axis=1)[long_enough]
    return shapely.linestrings(segs).tolist(), crossing[long_enough]
