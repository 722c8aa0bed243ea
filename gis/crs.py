"""Coordinate reference systems: the working CRS, Chinese Gauss–Krüger zones, declared CRS parsing.

The working CRS is projected and in metres. Inside China it is the CGCS2000 3-degree Gauss–Krüger
"CM" zone of the data (EPSG:4534–4554, central meridian ``CM = 3·round(lon/3)``,
``EPSG = 4534 + (CM − 75)/3``); elsewhere it is the UTM zone (WGS 84, EPSG:326xx / 327xx).
The zone-prefixed variants EPSG:4513–4533 (easting ``zone·10⁶ + 500 000``) are accepted as inputs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
from pyproj import CRS, Transformer

from yuanluo.gis.catalogue import both
from yuanluo.gis.errors import CRSError, Problem, on_command_line, problem

#: coarse bounding box of mainland China, Hainan and Taiwan (lon_min, lat_min, lon_max, lat_max).
CHINA_BBOX = (73.4, 18.0, 135.1, 53.6)

#: user spellings of coordinate kinds; GCJ-02 and BD-09 are converted to WGS 84 on load.
CRS_ALIASES: dict[str, str] = {
    "wgs84": "EPSG:4326",
    "wgs-84": "EPSG:4326",
    "gps": "EPSG:4326",
    "cgcs2000": "EPSG:4490",
    "gcj02": "EPSG:4326",
    "gcj-02": "EPSG:4326",
    "bd09": "EPSG:4326",
    "bd-09": "EPSG:4326",
}
SHIFTED_KINDS = {"gcj02": "gcj02", "gcj-02": "gcj02", "bd09": "bd09", "bd-09": "bd09"}



@dataclass(frozen=True)
class DeclaredCRS:
    """A CRS as the user or the file declared it.

    Attributes
    ----------
    crs : pyproj.CRS
        The CRS the coordinates are in (GCJ-02 / BD-09 are represented by EPSG:4326 plus ``shift``).
    shift : {"", "gcj02", "bd09"}
        Non-standard Chinese web-map offset to remove on load.
    label : str
        What was declared, for the report.
    """

    crs: CRS
    shift: str = ""
    label: str = ""


def parse_crs(value: Any) -> DeclaredCRS:
    """Parse a user-declared CRS (EPSG code, WKT, pyproj CRS, or wgs84/cgcs2000/gcj02/bd09).

    Examples
    --------
    >>> parse_crs("gcj02").shift, parse_crs(4545).crs.to_epsg()
    ('gcj02', 4545)
    """
    if isinstance(value, DeclaredCRS):
        return value
    label = str(value)
    key = label.strip().lower().replace("_", "")
    try:
        if isinstance(value, str) and key in CRS_ALIASES:
            return DeclaredCRS(CRS.from_user_input(CRS_ALIASES[key]), SHIFTED_KINDS.get(key, ""), label)
        if isinstance(value, str) and key.isdigit():
            return DeclaredCRS(CRS.from_epsg(int(key)), "", label)
        return DeclaredCRS(CRS.from_user_input(value), "", label)
    except Exception as exc:  # pyproj.exceptions.CRSError and friends
        raise CRSError(problem("CRS-INVALID", crs=label)) from exc


def in_china(lon: Any, lat: Any) -> np.ndarray:
    """Boolean mask: points inside the coarse China bounding box :data:`CHINA_BBOX`.

    Examples
    --------
    >>> in_china([106.5, 1.5], [29.5, 42.5]).tolist()
    [True, False]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x0, y0, x1, y1 = CHINA_BBOX
    with np.errstate(invalid="ignore"):
        return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def gk_cm_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3° Gauss–Krüger CM zone for a longitude (4534–4554).

    Examples
    --------
    >>> gk_cm_epsg(106.55), gk_cm_epsg(106.4), gk_cm_epsg(111.0)
    (4545, 4544, 4546)
    """
    cm = 3 * int(np.floor(lon / 3.0 + 0.5))
    cm = min(max(cm, 75), 135)
    return 4534 + (cm - 75) // 3


def gk_info(crs: Any) -> dict[str, int] | None:
    """For a CGCS2000 3° GK CRS: ``{"epsg", "cm", "zone", "prefixed"}``; ``None`` for any other CRS.

    EPSG:4513–4533 are zones 25–45 with the zone number prefixed to the easting; EPSG:4534–4554 are the
    same zones (CM 75°E … 135°E) without it.

    Examples
    --------
    >>> gk_info("EPSG:4523")
    {'epsg': 4523, 'cm': 105, 'zone': 35, 'prefixed': 1}
    >>> gk_info("EPSG:4545")
    {'epsg': 4545, 'cm': 108, 'zone': 36, 'prefixed': 0}
    """
    epsg = CRS.from_user_input(crs).to_epsg()
    if epsg is None:
        return None
    if 4513 <= epsg <= 4533:
        zone = epsg - 4513 + 25
        return {"epsg": epsg, "cm": zone * 3, "zone": zone, "prefixed": 1}
    if 4534 <= epsg <= 4554:
        cm = 75 + 3 * (epsg - 4534)
        return {"epsg": epsg, "cm": cm, "zone": cm // 3, "prefixed": 0}
    return None


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone of a point (no Norway/Svalbard exceptions).

    Examples
    --------
    >>> utm_epsg(1.55, 42.55)
    32631
    """
    zone = int(np.floor((lon + 180.0) / 6.0)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


#: the names GDAL gives the CRS of a GeoPackage layer that declares none (``srs_id`` 0 and -1 of the format): no CRS
UNDEFINED_CRS_NAMES = frozenset({"Undefined geographic SRS", "Undefined Cartesian SRS"})


def crs_unset(crs: Any) -> bool:
    """Whether ``crs`` says that no coordinate system was declared: None, or the placeholder GDAL reads a GeoPackage
    layer without one as (:data:`UNDEFINED_CRS_NAMES`; taken for a geographic or a metric CRS it said "not a
    projected CRS" or met an internal error).

    >>> crs_unset(None), crs_unset("EPSG:4545"), crs_unset('LOCAL_CS["Undefined Cartesian SRS",UNIT["Meter",1]]')
    (True, False, True)
    """
    if crs is None:
        return True
    try:
        return CRS.from_user_input(crs).name in UNDEFINED_CRS_NAMES
    except pyproj.exceptions.CRSError:
        return False


def unset_problem(what: str | Any, data: Any = None, var: str | None = None) -> Problem:
    """``CRS-UNSET`` for ``what`` (a subject, as :func:`yuanluo.gis.errors.crs_subject` takes it), whose CRS is
    unset (:func:`crs_unset`). ``data`` (a GeoDataFrame or GeoSeries), when given, is what to declare it on, as
    the variable ``var``: the fix in Python declares it there (``{var}.set_crs(...)``, with the system its
    coordinates look in: degrees or metres) and then projects it (:func:`to_working_crs`); without ``data`` (a
    CRS given as an argument, ``TerrainGraph(crs=None)``) the fix gives ``crs=``. On the command line the fix
    assigns the layer its system in a GIS (or ``--crs`` where the command has it).

    >>> g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]))
    >>> print(unset_problem("households", g, "hh").message("en"))
    Error CRS-UNSET: no coordinate system is declared for the households (its crs is None), and none will be guessed.
      Fix: declare the coordinate system the coordinates are in, then project to the working CRS: hh = hh.set_crs('EPSG:4490') (the coordinates look like lon/lat: 'EPSG:4490' is CGCS2000 lon/lat, 'EPSG:4326' WGS-84), then hh = yuanluo.gis.crs.to_working_crs(hh).
    >>> print(unset_problem("graph").fix("en"))
    give the CRS the coordinates are in as crs= (a projected CRS in metres, such as 'EPSG:4545').
    """
    from yuanluo.gis.errors import crs_subject

    crs = getattr(data, "crs", None)
    said = both("crs.unset.none") if crs is None else both("crs.unset.undefined", name=CRS.from_user_input(crs).name)
    metres = False
    if data is not None:
        with np.errstate(invalid="ignore"):
            b = np.asarray(data.total_bounds, dtype=float) if len(data) else np.full(4, np.nan)
        metres = bool(np.isfinite(b).all()) and not (-180 <= b[0] and b[2] <= 180 and -90 <= b[1] and b[3] <= 90)
    q = problem("CRS-UNSET", what=crs_subject(what), said=said, var=var or "gdf",
                example="EPSG:4545" if metres else "EPSG:4490",
                kind=both("crs.unset.metres" if metres else "crs.unset.lonlat"),
                override="" if crs is None else ", allow_override=True")  # set_crs refuses to replace one
    # the fix: in Python set_crs on the data, or crs= for a CRS given as an argument; a command's, in a GIS
    return replace(q, variant="arg" if data is None else "cmd" if on_command_line() else "")


def require_crs(data: Any, what: str | Any, var: str = "hh") -> None:
    """``CRS-UNSET`` when ``data`` (a GeoDataFrame or GeoSeries, named ``what`` in the message: a subject, as
    :func:`yuanluo.gis.errors.crs_subject` takes it) declares no CRS (:func:`crs_unset`; :func:`unset_problem`,
    its fix declaring it on ``var``): for data that may be in any CRS. Data that must be in metres:
    :func:`yuanluo.gis.errors.require_metric`, which says CRS-UNSET too.

    >>> g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]))
    >>> try:
    ...     require_crs(g, "households")
    ... except CRSError as e:
    ...     print(e.problems[0].code)
    CRS-UNSET
    >>> require_crs(g.set_crs("EPSG:4490"), "households")
    """
    if crs_unset(getattr(data, "crs", None)):
        raise CRSError(unset_problem(what, data, var))


def lonlat_center(obj: Any) -> tuple[float, float]:
    """Centre (lon, lat) of a GeoDataFrame/GeoSeries (any CRS) or of a (lon, lat) pair."""
    if isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        require_crs(obj, "data", "gdf")
        b = obj.total_bounds
        if CRS.from_user_input(obj.crs).is_geographic:
            return float((b[0] + b[2]) / 2), float((b[1] + b[3]) / 2)
        lon, lat = transform_xy([(b[0] + b[2]) / 2], [(b[1] + b[3]) / 2], obj.crs, 4326)
        return float(lon[0]), float(lat[0])
    lon, lat = obj
    return float(lon), float(lat)


def working_crs_for(obj: Any) -> CRS:
    """The working CRS for data: the CGCS2000 GK CM zone inside China, UTM elsewhere.

    Parameters
    ----------
    obj : GeoDataFrame, GeoSeries or (lon, lat)
        Data with a CRS, or a centre point in degrees.

    Examples
    --------
    >>> working_crs_for((106.55, 29.56)).to_epsg(), working_crs_for((1.55, 42.55)).to_epsg()
    (4545, 32631)
    """
    lon, lat = lonlat_center(obj)
    if bool(in_china(lon, lat)):
        return CRS.from_epsg(gk_cm_epsg(lon))
    return CRS.from_epsg(utm_epsg(lon, lat))


#: largest scale error of the working CRS over the households before CRS-SPAN warns
SPAN_WARN = 0.01


def scale_error(lon: Any, lat: Any, crs: Any) -> float:
    """The largest relative scale error of ``crs`` at the points (0.01 = distances off by 1 %).

    Examples
    --------
    >>> scale_error([106.5, 106.6], [29.5, 29.6], 4545) < 0.001
    True
    >>> round(scale_error([75.99, 126.6], [39.47, 45.75], 4545), 2)  # Kashgar and Harbin in one zone
    0.1
    """
    from pyproj import Proj

    lo = np.asarray(lon, dtype=float)
    la = np.asarray(lat, dtype=float)
    ok = np.isfinite(lo) & np.isfinite(la)
    if not ok.any():
        return 0.0
    f = Proj(CRS.from_user_input(crs)).get_factors(lo[ok], la[ok], errcheck=False)
    k = np.concatenate([np.asarray(f.meridional_scale), np.asarray(f.parallel_scale)])
    k = k[np.isfinite(k)]
    return float(np.max(np.abs(k - 1.0))) if len(k) else 0.0


def span_problem(lon: Any, lat: Any, crs: Any, file: str | None) -> list[Problem]:
    """CRS-SPAN (warning) when the points spread so far that ``crs`` distorts their distances by more than
    :data:`SPAN_WARN` (households of several projection zones, or several provinces, in one file)."""
    err = scale_error(lon, lat, crs)
    if err <= SPAN_WARN:
        return []
    lo = np.asarray(lon, dtype=float)
    return [problem("CRS-SPAN", severity="warning", file=file, crs=CRS.from_user_input(crs).to_string(),
                    error=f"{100 * err:.0f}%", lon_min=f"{np.nanmin(lo):.2f}", lon_max=f"{np.nanmax(lo):.2f}")]


def to_working_crs(gdf: gpd.GeoDataFrame, crs: Any = None) -> gpd.GeoDataFrame:
    """A reprojected copy of ``gdf`` in ``crs`` (default: :func:`working_crs_for`); never in place.

    Examples
    --------
    >>> g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]), crs=4326)
    >>> out = to_working_crs(g)
    >>> out.crs.to_epsg(), round(float(out.geometry.x.iloc[0]), 1), round(float(out.geometry.y.iloc[0]), 1)
    (4545, 359474.1, 3272217.3)
    """
    require_crs(gdf, "gdf", "gdf")
    target = working_crs_for(gdf) if crs is None else read_working(crs, "to_working_crs", "crs")
    require_working(target, "to_working_crs", "crs")
    return gdf.to_crs(target)


def require_working(crs: Any, call: str, keyword: str) -> None:
    """``CRS-WORKING`` (a :class:`~yuanluo.gis.errors.CRSError`) unless ``crs``, the working CRS given to
    ``call`` as ``keyword=``, is projected in metres; its fix names that keyword.

    >>> require_working("EPSG:4545", "read_dem", "working_crs")
    >>> try:
    ...     require_working("EPSG:4326", "read_dem", "working_crs")
    ... except CRSError as e:
    ...     print(e.problems[0].fix("en")[:44])
    give read_dem a projected CRS in metres as w
    """
    read_working(crs, call, keyword)


def read_working(crs: Any, call: str, keyword: str) -> CRS:
    """``crs``, the working CRS given to ``call`` as ``keyword=``, read by pyproj; ``CRS-WORKING`` when it is not
    a projected CRS in metres, ``CRS-WORKING-UNKNOWN`` when pyproj cannot read it (``None``, ``"junk"``: not
    pyproj's own error, whose words name no keyword).

    >>> read_working("EPSG:4545", "read_dem", "working_crs").to_epsg()
    4545
    >>> for bad in (None, "junk"):
    ...     try:
    ...         read_working(bad, "read_dem", "working_crs")
    ...     except CRSError as e:
    ...         print(e.problems[0].code, e.problems[0].params["given"])
    CRS-WORKING-UNKNOWN None
    CRS-WORKING-UNKNOWN junk
    """
    try:
        c = CRS.from_user_input(crs)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:  # as read_households says it
        raise CRSError(problem("CRS-WORKING-UNKNOWN", call=call, keyword=keyword, given=str(crs),
                               then={"zh": "", "en": ""})) from exc
    unit = c.axis_info[0].unit_name if c.axis_info else ""
    if not c.is_projected or unit not in ("metre", "meter"):
        raise CRSError(problem("CRS-WORKING", crs=c.to_string(), call=call, keyword=keyword))
    return c


@dataclass(frozen=True)
class _CrsKey:
    """A CRS as a cache key: its user text and its WKT (two spellings of one CRS are two keys); ``crs`` rides along
    uncompared, so the cached Transformer is built from the CRS object itself."""

    srs: str
    wkt: str
    crs: CRS = field(compare=False, hash=False, repr=False)


def _crs_key(value: Any) -> _CrsKey:
    c = CRS.from_user_input(value)
    return _CrsKey(c.srs, c.to_wkt(), c)


#: how many (source, target) Transformers :func:`transform_xy` keeps (a run uses a handful)
TRANSFORMER_CACHE = 32


@functools.lru_cache(maxsize=TRANSFORMER_CACHE)
def _transformer(src: _CrsKey, dst: _CrsKey) -> Transformer:
    """One Transformer per (source, target) pair, built once (``Transformer.from_crs`` takes ~0.1 s). Shared between
    threads safely: pyproj (>= 3.1, pinned 3.7) keeps a Transformer's PROJ object per thread (``TransformerLocal``),
    so a map drawn in another thread gets its own PROJ object of the same definition."""
    return Transformer.from_crs(src.crs, dst.crs, always_xy=True)


def transform_xy(x: Any, y: Any, src: Any, dst: Any = 4326) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised (x, y) transform with ``always_xy`` (lon/lat order for geographic CRSs); the Transformer of a
    (src, dst) pair is built once and reused (:func:`_transformer`).

    Examples
    --------
    >>> lon, lat = transform_xy([500000.0], [3270000.0], 4545)
    >>> round(float(lon[0]), 4), transform_xy([500000.0], [3270000.0], "EPSG:4545")[0].tolist() == lon.tolist()
    (108.0, True)
    """
    t = _transformer(_crs_key(src), _crs_key(dst))
    with np.errstate(all="ignore"):
        ox, oy = t.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float), errcheck=False)
    return np.asarray(ox, dtype=float), np.asarray(oy, dtype=float)


def area_of_use(crs: Any) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees where the CRS is meant to be used, if known."""
    a = CRS.from_user_input(crs).area_of_use
    if a is None:
        return None
    return (a.west, a.south, a.east, a.north)


def is_legacy_chinese(crs: Any) -> bool:
    """Whether a CRS is on the Xian 1980 or Beijing 1954 datum (no real shift available in PROJ).

    Examples
    --------
    >>> is_legacy_chinese("EPSG:2383"), is_legacy_chinese("EPSG:4214"), is_legacy_chinese("EPSG:4545")
    (True, True, False)
    """
    c = CRS.from_user_input(crs)
    geo = c.geodetic_crs
    name = (geo.datum.name if geo is not None and geo.datum is not None else "").lower()
    return "xian 1980" in name or "beijing 1954" in name


def crs_short(crs: Any) -> str:
    """A CRS in a few characters, for a repr: ``EPSG:4545``, else its name (never its WKT).

    >>> crs_short(CRS.from_epsg(4545)), crs_short(None)
    ('EPSG:4545', 'None')
    """
    if crs is None:
        return "None"
    code = CRS.from_user_input(crs).to_epsg()
    return f"EPSG:{code}" if code else CRS.from_user_input(crs).name
