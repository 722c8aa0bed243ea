"""Digital elevation models: read, check, reproject and sample.

:func:`read_dem` reads a GeoTIFF in any CRS, reads it *fully* (so a truncated file fails here and not
half-way through a run), masks nodata as ``NaN`` (never as 0), reprojects it bilinearly to the working
CRS, fills small interior nodata holes by interpolation and checks it against the households. Every
problem found is collected and raised once as :class:`yuanluo.gis.errors.DEMError`; warnings are kept on
``Terrain.problems`` and also emitted as :class:`DEMWarning`.

Codes: ``DEM-CRS``, ``DEM-COVER``, ``DEM-NODATA``, ``DEM-RANGE``, ``DEM-FORMAT``, ``DEM-CORRUPT``, ``DEM-EMPTY``,
``DEM-RES``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from yuanluo.gis.catalogue import both
from yuanluo.gis.crs import crs_short, read_working
from yuanluo.gis.errors import (
    DEMError,
    Problem,
    missing_file,
    problem,
    require_metric,
    unreadable,
    warn_problems,
)

__all__ = ["DEMWarning", "Terrain", "read_dem", "terrain_from_array"]


class DEMWarning(UserWarning):
    """A DEM problem that Yuanluo handled (holes filled, coarse resolution, odd value range)."""



#: Lowest and highest plausible land elevations in metres (Dead Sea shore, Everest).
Z_MIN_PLAUSIBLE = -450.0
Z_MAX_PLAUSIBLE = 9000.0
#: DEM-COVER suggests a coordinate offset (a web map's GCJ-02 moves points by up to ~700 m) when at least this many
#: households, and this share of them, lie outside the DEM, all within this many metres of its edge.
COVER_OFFSET_MANY = 3
COVER_OFFSET_SHARE = 0.05
COVER_OFFSET_M = 1000.0
#: Coarse-resolution warning when the DEM cell exceeds this multiple of the household spacing.
RES_SPACING_FACTOR = 2.0
#: The GeoTIFF metadata item (GDAL's) of a DEM that is the whole ground of a generated village
#: (:meth:`yuanluo.gis.synth.SynthVillage.dem_bytes`): it has no relief below its cells, so nothing is smoothed by
#: its cell size, however close its households stand, and it is never DEM-RES
GENERATED_TAG = ("YUANLUO_TERRAIN", "generated")


@dataclass
class Terrain:
    """A DEM in the working CRS.

    Attributes
    ----------
    crs : pyproj.CRS
        The working CRS (projected, metres).
    transform : affine.Affine
        Grid-to-map transform of ``elevation`` (north-up after reprojection).
    elevation : ndarray of float32, shape (rows, cols)
        Elevation in metres; ``NaN`` where there is no data (outside the source DEM).
    res : float
        Cell size in metres (the larger of the two axes).
    source : str
        Path or description of the source DEM.
    filled_cells : int
        Number of interior nodata cells filled by interpolation.
    problems : list of Problem
        Warnings found while reading (``DEM-HOLES``, ``DEM-RES``, ``DEM-RANGE``).

    Examples
    --------
    >>> import numpy as np
    >>> t = terrain_from_array(np.array([[10, 20], [10, 20]], dtype="float32"), x0=0, y0=20, res=10,
    ...                        crs="EPSG:32631")
    >>> t.sample([[10.0, 10.0], [5.0, 10.0], [99.0, 0.0]]).round(1).tolist()
    [15.0, 10.0, nan]
    """

    crs: CRS
    transform: Any
    elevation: np.ndarray
    res: float
    source: str = ""
    filled_cells: int = 0
    problems: list[Problem] = field(default_factory=list)
    _slope: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        require_metric(self.crs, "DEM")  # None: CRS-UNSET (its fix gives crs=), not pyproj's own error
        self.crs = CRS.from_user_input(self.crs)
        self.elevation = np.asarray(self.elevation, dtype=np.float32)

    def __repr__(self) -> str:
        """A short repr: grid, cell size, CRS, source and warnings (not the elevation array or the CRS's WKT)."""
        rows, cols = self.elevation.shape
        codes = [p.code for p in self.problems]
        return (f"Terrain({rows}x{cols} cells, res={self.res:g} m, crs={crs_short(self.crs)}, "
                f"source={self.source!r}, filled_cells={self.filled_cells}{f', problems={codes}' if codes else ''})")

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.elevation.shape[0]), int(self.elevation.shape[1]))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the grid in the working CRS."""
        rows, cols = self.shape
        xs, ys = [], []
        for r, c in ((0, 0), (0, cols), (rows, 0), (rows, cols)):
            x, y = self.transform @ (c, r)
            xs.append(x)
            ys.append(y)
        return (min(xs), min(ys), max(xs), max(ys))

    def _fractional_rc(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inv = ~self.transform
        col, row = inv @ (xy[:, 0], xy[:, 1])
        return np.asarray(row, dtype=float), np.asarray(col, dtype=float)

    def sample(self, xy: Any) -> np.ndarray:
        """Bilinear elevation at points ``xy`` (n x 2, working CRS), vectorised.

        Cell values sit at cell centres. Points outside the grid give ``NaN``; a point within half a
        cell of the edge uses the edge value; any ``NaN`` among the four cells gives ``NaN``.
        """
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        z = self.elevation
        rows, cols = z.shape
        r, c = self._fractional_rc(pts)
        inside = (r >= 0) & (r <= rows) & (c >= 0) & (c <= cols)
        # centre-based fractional positions, clamped to the grid
        rc = np.clip(r - 0.5, 0, rows - 1)
        cc = np.clip(c - 0.5, 0, cols - 1)
        r0 = np.floor(rc).astype(np.int64)
        c0 = np.floor(cc).astype(np.int64)
        r1 = np.minimum(r0 + 1, rows - 1)
        c1 = np.minimum(c0 + 1, cols - 1)
        fr = rc - r0
        fc = cc - c0
        out = (
            z[r0, c0] * (1 - fr) * (1 - fc)
            + z[r0, c1] * (1 - fr) * fc
            + z[r1, c0] * fr * (1 - fc)
            + z[r1, c1] * fr * fc
        ).astype(float)
        out[~inside] = np.nan
        return out

    def slope_deg(self) -> np.ndarray:
        """Slope in degrees of every cell (central differences; ``NaN`` next to nodata). Cached."""
        if self._slope is None:
            a, e = abs(self.transform.a), abs(self.transform.e)
            if self.elevation.shape[0] < 2 or self.elevation.shape[1] < 2:
                self._slope = np.zeros_like(self.elevation)
            else:
                gy, gx = np.gradient(self.elevation.astype(np.float64), e, a)
                self._slope = np.degrees(np.arctan(np.hypot(gx, gy))).astype(np.float32)
        return self._slope


def terrain_from_array(
    elevation: Any, *, x0: float, y0: float, res: float, crs: Any, source: str = "array"
) -> Terrain:
    """A :class:`Terrain` from a north-up array whose top-left corner is (x0, y0).

    Useful for tests and synthetic terrain; no checks beyond a metric CRS.
    """
    from affine import Affine

    z = np.asarray(elevation, dtype=np.float32)
    transform = Affine(float(res), 0.0, float(x0), 0.0, -float(res), float(y0))
    return Terrain(crs=crs, transform=transform, elevation=z, res=float(res), source=source)


# ---------------------------------------------------------------------------------------- reading
def _household_xy(households: Any, working_crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    import geopandas as gpd

    if households is None:
        return np.empty((0, 2)), np.empty(0, dtype=str)
    gdf = households
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.crs is not None and CRS.from_user_input(gdf.crs) != working_crs:
        gdf = gdf.to_crs(working_crs)
    geom = gdf.geometry
    xy = np.column_stack([geom.x.to_numpy(dtype=float), geom.y.to_numpy(dtype=float)])
    return xy, np.asarray(gdf.index.astype(str))


def _fill_holes(z: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Fill interior NaN regions (not touching the grid border) by inverse-distance interpolation.

    NaN regions that touch the border are outside the DEM footprint and stay NaN.
    """
    from scipy import ndimage

    nan = np.isnan(z)
    if not nan.any():
        return z, 0, 0
    labels, nlab = ndimage.label(nan)
    border = np.unique(np.r_[labels[0, :], labels[-1, :], labels[:, 0], labels[:, -1]])
    interior = nan & ~np.isin(labels, border[border > 0])
    if not interior.any():
        return z, 0, 0
    n_holes = len(np.setdiff1d(np.unique(labels[interior]), [0]))
    from rasterio.fill import fillnodata

    valid = ~np.isnan(z)
    src = np.where(valid, z, 0).astype(np.float32)
    dist = int(max(z.shape)) + 1
    filled = fillnodata(src, mask=valid.astype(np.uint8), max_search_distance=dist, smoothing_iterations=0)
    out = z.copy()
    out[interior] = filled[interior]
    return out, int(interior.sum()), int(n_holes)


def _range_problem(z: np.ndarray, units: str, file: str, slope: np.ndarray) -> Problem | None:
    """``DEM-RANGE`` when the values look scaled or in feet: all zero, outside -450..9000 m, a vertical
    unit in feet, or more than 5 % of the cells steeper than 75°. The message gives the numbers (lowest,
    highest, share of steep cells, declared unit), never a sentence of its own, so it reads in either language.
    """
    vals = z[~np.isnan(z)]
    zmin, zmax = float(vals.min()), float(vals.max())
    s = slope[~np.isnan(slope)]
    steep = float(np.mean(s > 75.0)) if s.size else 0.0
    suspect = (
        (zmin == 0 and zmax == 0)
        or zmax > Z_MAX_PLAUSIBLE
        or zmin < Z_MIN_PLAUSIBLE
        or units.lower() in ("ft", "feet", "foot", "us_survey_foot", "ft-us")
        or steep > 0.05
    )
    if not suspect:
        return None
    return problem("DEM-RANGE", severity="warning", file=file, zmin=f"{zmin:.1f}", zmax=f"{zmax:.1f}",
                   steep=f"{steep:.0%}", units=units or "-")


@dataclass(frozen=True)
class _Source:
    """Band 1 of a DEM file as float32 with NaN for nodata, and what is needed to reproject it."""

    z: np.ndarray
    crs: CRS
    transform: Any
    bounds: Any
    units: str
    width: int
    height: int
    #: the ground of a generated village (:data:`GENERATED_TAG`), not a model of a real one
    generated: bool = False


#: GDAL drivers of pictures, not of elevation rasters: a file GDAL opens with one of them (a screenshot or a map
#: image saved as .tif) is DEM-FORMAT, not DEM-CRS with a gdal_edit fix that would make a picture of heights
PICTURE_DRIVERS = frozenset({"PNG", "JPEG", "GIF", "BMP", "WEBP"})

#: colour interpretations (rasterio ``ColorInterp`` names) of a picture's bands: an RGB(A) photo or a palette image
#: saved as a GeoTIFF with a CRS is no DEM either (its first band is the red channel or a colour index, not
#: heights); a single Gray band (some DEMs are bytes) and an undefined one stay elevations
PICTURE_BANDS = frozenset({"palette", "red", "green", "blue", "alpha", "hue", "saturation", "lightness", "cyan",
                           "magenta", "yellow", "black", "Y", "Cb", "Cr"})


def _is_picture(src: Any) -> bool:
    """Whether the open raster ``src`` is a picture: a picture format's driver, a band interpreted as a colour
    (red, green, blue, alpha, a palette index) or a colour table on its first band."""
    if src.driver in PICTURE_DRIVERS:
        return True
    if any(getattr(c, "name", "") in PICTURE_BANDS for c in src.colorinterp):
        return True
    try:
        src.colormap(1)
    except ValueError:  # rasterio: no colour table on the band
        return False
    return True


def _read_band(path: str | Path, name: str) -> _Source:
    """Open and read the DEM (``DEM-FORMAT`` when GDAL cannot open it as a raster, ``DEM-CORRUPT``, ``DEM-CRS``,
    ``DEM-EMPTY`` as :class:`DEMError`)."""
    import rasterio
    from rasterio.errors import RasterioError

    try:
        src = rasterio.open(path)
    except (RasterioError, OSError) as exc:  # GDAL's own English text stays out of the message
        raise DEMError(missing_file(path, name) or problem("DEM-FORMAT", file=name)) from exc
    with src:
        if _is_picture(src):  # a picture (a PNG named .tif, an RGB photo GeoTIFF) is no DEM, whatever its CRS says
            raise DEMError(problem("DEM-FORMAT", file=name))
        if src.crs is None:
            raise DEMError(problem("DEM-CRS", file=name))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                band = src.read(1, masked=True)
        except (RasterioError, OSError, ValueError) as exc:
            raise DEMError(problem("DEM-CORRUPT", file=name, why=unreadable(exc, "raster"))) from exc
        src_crs = CRS.from_user_input(src.crs.to_wkt())
        units = (src.units[0] or "") if src.units else ""
        key, value = GENERATED_TAG
        out = _Source(np.ma.filled(band.astype(np.float32), np.nan), src_crs, src.transform, src.bounds, units,
                      src.width, src.height, generated=src.tags().get(key) == value)
    if not np.isfinite(out.z).any():
        raise DEMError(problem("DEM-EMPTY", file=name))
    out.z[~np.isfinite(out.z)] = np.nan
    return out


def _households_named(code: str, mask: np.ndarray, hids: np.ndarray, rows: np.ndarray | None, hfile: str | None,
                      dem: str, **params: Any) -> Problem:
    """``code`` (DEM-COVER, DEM-NODATA) for the households of ``mask``: the household file's rows and ids, in the
    order of its rows (by id where the rows are not known), the DEM as given."""
    ids = hids[mask]
    if rows is None:
        order = np.argsort(ids, kind="stable")
        return problem(code, file=hfile, ids=ids[order].tolist(), dem=dem, **params)
    order = np.argsort(rows[mask], kind="stable")
    return problem(code, file=hfile, rows=rows[mask][order].tolist(), ids=ids[order].tolist(), dem=dem, **params)


def _source_rows(households: Any, rows: Any) -> np.ndarray | None:
    """Each household's row in its file (``rows``, else the households' ``attrs["rows"]``), None when not known or
    not one per household."""
    if rows is None and households is not None:
        rows = getattr(households, "attrs", {}).get("rows")
    if rows is None or households is None or len(rows) != len(households):
        return None
    return np.asarray(rows, dtype=np.int64)


def _coverage_errors(src: _Source, hxy: np.ndarray, hids: np.ndarray, wcrs: CRS, name: str,
                     rows: np.ndarray | None = None, hfile: str | None = None) -> list[Problem]:
    """``DEM-COVER`` for households outside the DEM, judged in the DEM's own CRS (before reprojection)."""
    if not len(hxy):
        return []
    from pyproj import Transformer

    tr = Transformer.from_crs(wcrs, src.crs, always_xy=True)
    sx, sy = tr.transform(hxy[:, 0], hxy[:, 1])
    b = src.bounds
    out = ~((sx >= b.left) & (sx <= b.right) & (sy >= b.bottom) & (sy <= b.top))
    if not out.any():
        return []
    # whole metres (a northing in 'e+06' is no reading), 1e-5 degree (about a metre) for a DEM in lon/lat
    f = ".5f" if src.crs.is_geographic else ".0f"
    # how far each household outside lies beyond the DEM's edge, in metres (near enough in degrees)
    beyond = np.hypot(np.maximum(np.maximum(b.left - sx, sx - b.right), 0.0),
                      np.maximum(np.maximum(b.bottom - sy, sy - b.top), 0.0))[out]
    beyond = beyond * (111_000.0 if src.crs.is_geographic else 1.0)
    near = out.sum() >= COVER_OFFSET_MANY and out.mean() >= COVER_OFFSET_SHARE and beyond.max() <= COVER_OFFSET_M
    return [_households_named("DEM-COVER", out, hids, rows, hfile, name,
                              bounds=f"x {b.left:{f}}..{b.right:{f}}, y {b.bottom:{f}}..{b.top:{f}}",
                              dem_crs=src.crs.to_string(), offset=both(f"dem.cover.offset.{'yes' if near else 'no'}"))]


def _reproject(src: _Source, wcrs: CRS, resolution: float | None) -> tuple[np.ndarray, Any]:
    """The elevation grid in the working CRS (bilinear) and its transform; unchanged when nothing to do."""
    if src.crs == wcrs and resolution is None:
        return src.z, src.transform
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    kw: dict[str, Any] = {} if resolution is None else {"resolution": float(resolution)}
    transform, w, h = calculate_default_transform(src.crs, wcrs, src.width, src.height, *src.bounds, **kw)
    z = np.full((h, w), np.nan, dtype=np.float32)
    reproject(src.z, z, src_transform=src.transform, src_crs=src.crs, src_nodata=np.nan, dst_transform=transform,
              dst_crs=wcrs, dst_nodata=np.nan, resampling=Resampling.bilinear)
    return z, transform


def _res_problem(hxy: np.ndarray, res: float, name: str) -> Problem | None:
    """``DEM-RES`` when the cells are much coarser than the households' median nearest-neighbour spacing."""
    if len(hxy) < 2:
        return None
    from scipy.spatial import cKDTree

    d, _ = cKDTree(hxy).query(hxy, k=2)
    nn = d[:, 1]
    nn = nn[nn > 0]
    if not nn.size:
        return None
    spacing = float(np.median(nn))
    if res > RES_SPACING_FACTOR * spacing:
        finer = max(1, int(RES_SPACING_FACTOR * spacing))  # the cells no longer much coarser than the spacing
        return problem("DEM-RES", severity="warning", file=name, res=f"{res:.0f}", spacing=f"{spacing:.0f}",
                       finer=finer)
    return None


def read_dem(
    path: str | Path,
    *,
    working_crs: Any,
    households: Any = None,
    resolution: float | None = None,
    rows: Any = None,
    households_file: str | None = None,
) -> Terrain:
    """Read a GeoTIFF DEM, reproject it to the working CRS and check it against the households.

    Parameters
    ----------
    path : str or Path
        GeoTIFF (any CRS). Band 1 is the elevation in metres.
    working_crs : CRS-like
        Projected metric CRS of the households; the DEM is reprojected to it (bilinear).
    households : GeoDataFrame of points, optional
        Checked for coverage (``DEM-COVER``), nodata under them (``DEM-NODATA``) and spacing
        (``DEM-RES``). Reprojected on the fly if in another CRS; never modified.
    resolution : float, optional
        Output cell size in metres; by default the native resolution is kept (GDAL's estimate of
        the equivalent cell size when the CRS changes).
    rows : sequence of int, optional
        Each household's row in its file as the user finds it there (``LoadReport.rows``; by default the
        households' ``attrs["rows"]``), named with the ids of the households ``DEM-COVER`` and ``DEM-NODATA`` are
        about.
    households_file : str, optional
        The household file as the user gave it (by default the households' ``attrs["file"]``), named there too.

    Returns
    -------
    Terrain

    Raises
    ------
    DEMError
        With every error found (``DEM-CRS``, ``DEM-FORMAT``, ``DEM-CORRUPT``, ``DEM-EMPTY``, ``DEM-COVER``, ``DEM-NODATA``).

    Notes
    -----
    Nodata policy: nodata under a household is an error (its elevation would be invented). Interior
    holes elsewhere are filled by inverse-distance interpolation (GDAL FillNodata) and reported as a
    ``DEM-HOLES`` warning. Cells outside the source footprint stay ``NaN``; walking-time sampling
    treats a ``NaN`` profile step as flat.
    """
    wcrs = read_working(working_crs, "read_dem", "working_crs")
    file = str(path)
    name = Path(path).name
    src = _read_band(path, name)
    hxy, hids = _household_xy(households, wcrs)
    hrows = _source_rows(households, rows)
    if households_file is None and households is not None:
        households_file = getattr(households, "attrs", {}).get("file")
    # the households' problems name the DEM as the user gave it (base/dem.tif), beside their file and rows
    errors = _coverage_errors(src, hxy, hids, wcrs, file, hrows, households_file)
    z, transform = _reproject(src, wcrs, resolution)
    res = float(max(abs(transform.a), abs(transform.e)))
    terrain = Terrain(crs=wcrs, transform=transform, elevation=z, res=res, source=file)

    # ---- nodata under households (on the unfilled grid)
    if len(hxy):
        zh = terrain.sample(hxy)
        covered = np.ones(len(hxy), dtype=bool)
        if errors:
            covered = np.isin(hids, list(errors[0].ids), invert=True)
        bad = np.isnan(zh) & covered
        if bad.any():
            errors.append(_households_named("DEM-NODATA", bad, hids, hrows, households_file, file))
    if errors:
        raise DEMError(errors)

    # ---- fill interior holes, then the warnings
    filled, n_cells, n_holes = _fill_holes(z)
    terrain.elevation = filled
    terrain.filled_cells = n_cells
    warns: list[Problem] = []
    if n_cells:
        warns.append(problem("DEM-HOLES", severity="warning", file=name, cells=n_cells, holes=n_holes))
    rng = _range_problem(filled, src.units, name, terrain.slope_deg())
    if rng is not None:
        warns.append(rng)
    spacing = None if src.generated else _res_problem(hxy, res, name)  # a generated ground smooths nothing
    if spacing is not None:
        warns.append(spacing)
    warn_problems(warns, DEMWarning)  # in the language of YUANLUO_LANG
    terrain.problems = warns
    return terrain
