"""Rivers and water bodies as barriers between neighbouring households.

A candidate edge (a straight segment between two households) is **cut** when it crosses

* a river line that blocks walking (``reason="river"``), unless a road or path crosses the same
  river within ``bridge_tolerance_m`` of the point where the edge crosses it (a bridge, a ford, a
  stepping-stone path: OSM maps each as a way crossing the waterway); or
* a water polygon (``reason="water"``), unless a road or path crosses that polygon within
  ``bridge_tolerance_m`` of the middle of the edge's crossing. A household inside a water polygon (a house
  point drawn a few metres into a pond's outline) stands on its nearest shore: the polygon cuts its edges across
  the water, not those to that shore (:func:`_water_crossings`).

Which rivers block: OSM ``waterway`` classes not in ``passable`` block (``river``, ``canal`` and
unknown classes); ``stream``, ``ditch`` and ``drain`` are stepped over by default. Structures that are
not channels (``dam``, ``weir``, ``waterfall``, ``pressurised`` pipes …) never block. Where a numeric
``width`` attribute is given (OSM ``width``, metres), a channel wider than ``max_passable_width_m``
blocks whatever its class, and a passable-class channel narrower stays passable.

Polygons given as rivers are water bodies, exactly as if given as water; lines stay rivers; a layer may
hold both. Roads may be lines or polygons: a road polygon over a river line or a water polygon is a
bridge as a road line is. A layer of points only is a ``BARRIER-POINTS`` error; a layer whose nearest
feature lies more than ``far_m`` (5 km) from every household is a ``BARRIER-FAR`` warning, and an error when a
wrong CRS put it there: ``BARRIER-GKPREFIX`` (its eastings carry a 3° zone prefix its CRS does not declare, or
lack the one it does) or ``BARRIER-CRS-FAR`` (more than 1,000 km away).

Land-use layers (China's land surveys, GB/T 21010-2017: ``DLBM``/``DLMC`` or ``地类编码``/``地类名称``;
OSM ``natural``/``landuse``) are filtered by class (:data:`LANDUSE_WATER`), polygons (图斑) and lines (线状地物,
XZDW) alike, and a ``BARRIER-LANDUSE`` warning says how many features of which classes were used (none for a
layer that lies far away: it cuts nothing). Open water blocks: 河流水面 1101, 湖泊水面
1102, 水库水面 1103, 坑塘水面 1104 (1104A 养殖坑塘), 沿海滩涂 1105 (under the tide twice a day), 干渠 1107A
(main canals, as OSM ``canal``), 冰川及永久积雪 1110. Passable: 沟渠 1107 (ditches, stepped over or culverted
like OSM ``ditch``, unless their width exceeds ``max_passable_width_m``, the rule for an OSM ``width``: the
survey's width column ``KD``/宽度 (metres) where given, else a polygon's mean width 2·area/perimeter; a ditch
line without a width is passable), 内陆滩涂 1106 (flood land, dry outside floods; the channel is its own 河流水面 polygon),
沼泽地 1108 (wet ground, not open water), 水工建筑用地 1109 (dams and sluices, as OSM ``dam``). Every other
class (耕地, 林地, 村庄 …) is not water and is left out. A road layer with land-use classes keeps 公路用地
1003, 城镇村道路用地 1004 and 农村道路 1006.

Everything is vectorised with shapely 2 ``STRtree`` bulk queries (no per-edge Python loops).
Roads do not change walking times in this version (they only make bridges).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from yuanluo.gis.catalogue import LANGS, both, joined, text
from yuanluo.gis.errors import CRSError, InputError, Problem, problem

__all__ = [
    "DEFAULT_PASSABLE",
    "LANDUSE_ROADS",
    "LANDUSE_WATER",
    "NON_BARRIER_WATERWAYS",
    "BarrierLayers",
    "blocking_rivers",
    "is_landuse_survey",
    "blocking_water",
    "landuse_classes",
    "cut_edges",
    "points_only",
    "prepare_barriers",
]

DEFAULT_PASSABLE: tuple[str, ...] = ("stream", "ditch", "drain")
#: OSM waterway values that are structures or features, not channels a walker must cross.
NON_BARRIER_WATERWAYS: tuple[str, ...] = (
    "dam", "weir", "waterfall", "pressurised", "lock_gate", "dock", "boatyard", "fuel", "rapids",
    "fish_pass", "soakhole", "turning_point", "water_point", "check_dam", "milestone",
)

#: GB/T 21010-2017 water classes (水域及水利设施用地, with the 三调 sub-classes 1104A, 1107A):
#: code -> (name, blocks walking). 沟渠 1107 blocks only when wider than ``max_passable_width_m``.
LANDUSE_WATER: dict[str, tuple[str, bool]] = {
    "1101": ("河流水面", True), "1102": ("湖泊水面", True), "1103": ("水库水面", True),
    "1104": ("坑塘水面", True), "1104A": ("养殖坑塘", True), "1105": ("沿海滩涂", True),
    "1106": ("内陆滩涂", False), "1107": ("沟渠", False), "1107A": ("干渠", True),
    "1108": ("沼泽地", False), "1109": ("水工建筑用地", False), "1110": ("冰川及永久积雪", True),
}
#: GB/T 21010-2017 road classes kept from a land-use layer given as roads.
LANDUSE_ROADS: dict[str, str] = {"1003": "公路用地", "1004": "城镇村道路用地", "1006": "农村道路"}
#: GB/T 21010-2007 codes (二调) of the same classes.
_CODES_2007 = {"111": "1101", "112": "1102", "113": "1103", "114": "1104", "115": "1105", "116": "1106",
               "117": "1107", "118": "1109", "119": "1110", "102": "1003", "104": "1006"}
_DITCH = "1107"
_CODE_COLS = ("dlbm", "地类编码")
_NAME_COLS = ("dlmc", "地类名称")
#: A survey's width column (线状地物 ``KD``, metres), read for the ditch rule.
_WIDTH_COLS = ("kd", "宽度", "width")
#: OSM tags of a water body that blocks, and of wet land that does not.
_OSM_WATER = {("natural", "water"), ("landuse", "reservoir"), ("landuse", "basin"), ("waterway", "riverbank"),
              ("waterway", "river"), ("waterway", "canal")}
_OSM_WET = {("natural", "wetland")}


def _col(frame: Any, names: tuple[str, ...]) -> str | None:
    """The first column of ``frame`` whose name (case-insensitive, stripped) is in ``names``."""
    for c in getattr(frame, "columns", ()):
        if isinstance(c, str) and c.strip().lower() in names:
            return c
    return None


def _norm_codes(values: pd.Series) -> np.ndarray:
    s = values.astype("string").str.strip().str.upper().str.replace(r"\.0+$", "", regex=True).fillna("")
    return s.map(lambda c: _CODES_2007.get(c, c)).to_numpy(dtype=object)


def is_landuse_survey(frame: Any) -> bool:
    """Whether ``frame`` is a land survey's layer: a class code or name column (``DLBM``/地类编码, ``DLMC``/地类名称),
    not OSM tags.

    >>> is_landuse_survey(pd.DataFrame({"DLMC": ["旱地"]})), is_landuse_survey(pd.DataFrame({"natural": ["water"]}))
    (True, False)
    """
    return frame is not None and _col(frame, _CODE_COLS + _NAME_COLS) is not None


def landuse_classes(frame: Any, classes: dict[str, Any] | None = None) -> pd.DataFrame | None:
    """Land-use class of each row (GB/T 21010 code and name, or an OSM tag), None without class columns.

    Returns a frame with ``code`` (a key of ``classes``, "" when the row is not of one of them) and
    ``label`` (the class as the data names it, for the report). ``classes`` defaults to
    :data:`LANDUSE_WATER`; OSM ``natural=water`` (``landuse=reservoir`` …) is code ``"osm-water"``,
    ``natural=wetland`` ``"osm-wetland"``.

    Examples
    --------
    >>> f = pd.DataFrame({"DLBM": ["1101", "0103", None, 1104.0], "DLMC": ["河流水面", "旱地", "坑塘水面", None]})
    >>> landuse_classes(f).to_dict("list")
    {'code': ['1101', '', '1104', '1104'], 'label': ['河流水面', '旱地', '坑塘水面', '坑塘水面']}
    >>> landuse_classes(pd.DataFrame({"natural": ["water", None], "landuse": [None, "farmland"]}))["code"].tolist()
    ['osm-water', '']
    >>> landuse_classes(pd.DataFrame({"name": ["x"]})) is None
    True
    """
    classes = LANDUSE_WATER if classes is None else classes
    code_col, name_col = _col(frame, _CODE_COLS), _col(frame, _NAME_COLS)
    osm_cols = [c for c in ("natural", "landuse", "waterway") if c in getattr(frame, "columns", ())]
    if code_col is None and name_col is None and not osm_cols:
        return None
    n = len(frame)
    code = np.full(n, "", dtype=object)
    label = np.full(n, "", dtype=object)
    by_name = {(v[0] if isinstance(v, tuple) else v): k for k, v in classes.items()}
    if name_col is not None:
        names = frame[name_col].astype("string").str.strip().fillna("").to_numpy(dtype=object)
        label = names.copy()
        code = np.array([by_name.get(x, "") for x in names], dtype=object)
    if code_col is not None:
        raw = _norm_codes(frame[code_col])
        known = np.isin(raw, list(classes))
        code = np.where(known, raw, code)
        names_of = {k: (v[0] if isinstance(v, tuple) else v) for k, v in classes.items()}
        label = np.where(label == "", [names_of.get(c, c) for c in raw], label)
    fill = (code == "") & (label == "")
    for c in osm_cols:
        v = frame[c].astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
        for tags, key in ((_OSM_WATER, "osm-water"), (_OSM_WET, "osm-wetland")):
            hit = np.isin(v, [t for k, t in tags if k == c]) & (code == "")
            code[hit], label[hit] = key, np.char.add(f"{c}=", v[hit].astype(str)).astype(object)
        label = np.where(fill & (label == "") & (v != ""), np.char.add(f"{c}=", v.astype(str)), label)
    label = np.where(label == "", "?", label)
    return pd.DataFrame({"code": code, "label": label.astype(object)})


def _water_blocks(cls: pd.DataFrame, geoms: np.ndarray, max_width_m: float,
                  width: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(is water, blocks) per row of a land-use class frame; ditches block when wider than ``max_width_m``.

    A ditch's width is the survey's width column (``width``, metres: 线状地物 ``KD``/宽度) where given, else the
    mean width 2·area/perimeter of a polygon; a ditch line without a width stays passable.
    """
    code = cls["code"].to_numpy(dtype=object)
    is_water = code != ""
    blocks = np.array([LANDUSE_WATER.get(c, ("", c == "osm-water"))[1] for c in code], dtype=bool)
    ditch = code == _DITCH
    if ditch.any():
        g = geoms[ditch]
        poly = np.isin(shapely.get_type_id(g), _POLYS)
        per = np.where(poly, shapely.length(g), 0.0)
        mean = np.where(per > 0, 2.0 * shapely.area(g) / np.where(per > 0, per, 1.0), 0.0)
        given = np.full(len(g), np.nan) if width is None else np.asarray(width, dtype=float)[ditch]
        w = np.where(np.isfinite(given) & (given > 0), given, np.where(poly, mean, 0.0))
        blocks[np.nonzero(ditch)[0][w > max_width_m]] = True
    return is_water, blocks


def _summary(labels: np.ndarray) -> list[str | dict[str, str]]:
    """``["河流水面 ×3", "坑塘水面 ×1"]`` (classes by count, then name; deterministic), listed in the message's
    language."""
    if len(labels) == 0:
        return ["—"]
    v, c = np.unique(labels.astype(str), return_counts=True)
    order = np.lexsort((v, -c))
    noclass = both("graph.landuse.noclass")  # a feature with no class ("?"), said in each language
    return [{lang: f"{name} ×{c[i]}" for lang, name in noclass.items()} if v[i] == "?" else f"{v[i]} ×{c[i]}"
            for i in order]


def _class_columns(frame: Any) -> str:
    """The columns :func:`landuse_classes` reads in ``frame``, for the report (``DLBM, DLMC``)."""
    cols = [_col(frame, _CODE_COLS), _col(frame, _NAME_COLS)]
    cols += [c for c in ("natural", "landuse", "waterway") if c in frame.columns]
    return ", ".join(str(c) for c in cols if c is not None)


def _landuse_report(what: str, columns: str, cls: pd.DataFrame, is_water: np.ndarray,
                    blocks: np.ndarray, max_width_m: float, *, lines: bool = False,
                    width_col: str | None = None, survey: bool = True, flat: np.ndarray | None = None) -> Problem:
    """The ``BARRIER-LANDUSE`` warning: features used, water left passable, other classes left out (of the
    polygons, or of the lines, of a layer), and where a ditch's width was taken from. ``flat``: the blocking water
    polygons left with no area once repaired, which the graph drops (:func:`_water_areas`; said by row as the
    layer is read, ``LAYER-WATER-INVALID``): said apart, not among those that block."""
    lab = cls["label"].to_numpy(dtype=object)
    flat = np.zeros(len(lab), dtype=bool) if flat is None else flat
    used, passable, other = lab[is_water & blocks & ~flat], lab[is_water & ~blocks], lab[~is_water]
    dropped = {lang: "" for lang in LANGS}
    if flat.any():
        dropped = {lang: text("graph.landuse.flat", lang, count=int(flat.sum()), classes=text("list.sep", lang).join(
            x[lang] if isinstance(x, dict) else x for x in _summary(lab[flat]))) for lang in LANGS}
    m = f"{max_width_m:g}"
    if width_col is not None:
        ditch = both(f"graph.landuse.ditch.column_{'lines' if lines else 'polygons'}", column=width_col, max_width_m=m)
    else:
        ditch = both(f"graph.landuse.ditch.{'none' if lines else 'mean'}", max_width_m=m)
    q = problem("BARRIER-LANDUSE", severity="warning", what=what, kind=_kind(what), columns=columns,
                shape=both(f"graph.landuse.{'lines' if lines else 'polygons'}"), used=len(used),
                used_classes=_summary(used), passable=len(passable), passable_classes=_summary(passable),
                other=len(other), other_classes=_summary(other), max_width_m=m, ditch=ditch, flat=dropped,
                osm_water=joined(f"{k}={t}" for k, t in sorted(_OSM_WATER)),
                osm_wet=joined(f"{k}={t}" for k, t in sorted(_OSM_WET)))
    return q if survey else replace(q, variant="osm")  # an OSM-tagged layer: the fix in its tags, not DLBM codes


@dataclass
class BarrierLayers:
    """Barrier geometries in the working CRS, ready for edge queries.

    Attributes
    ----------
    rivers : ndarray of geometry
        Blocking river lines, as 2-point segments.
    water : ndarray of geometry
        Blocking water polygons (from the water layer and the polygons of the rivers layer).
    bridges : ndarray of geometry
        Points where a road crosses a blocking river.
    water_bridges : ndarray of geometry
        Road pieces (of 2-point road segments, or of road polygons) lying over a water polygon.
    counts : dict
        Number of features of each kind (for ``graph.meta``).
    problems : list of Problem
        Warnings (``BARRIER-EMPTY``, ``BARRIER-LANDUSE``, ``BARRIER-FAR``, ``BARRIER-POINTS-SOME``).
    """

    rivers: np.ndarray
    water: np.ndarray
    bridges: np.ndarray
    water_bridges: np.ndarray
    counts: dict[str, int]
    problems: list[Any]


def _width_m(values: pd.Series) -> np.ndarray:
    s = values.astype("string").str.replace(r"\s*m$", "", regex=True).str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def blocking_rivers(
    rivers: Any,
    *,
    passable: tuple[str, ...] = DEFAULT_PASSABLE,
    class_col: str = "waterway",
    width_col: str = "width",
    max_passable_width_m: float = 3.0,
) -> np.ndarray:
    """Boolean mask of the river features that block walking (see the module docstring).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> r = gpd.GeoDataFrame({"waterway": ["river", "stream", "weir", "stream"], "width": [None, None, None, "8 m"]},
    ...                      geometry=[LineString([(0, 0), (1, 1)])] * 4, crs="EPSG:32631")
    >>> blocking_rivers(r).tolist()
    [True, False, False, True]
    """
    n = len(rivers)
    if class_col in getattr(rivers, "columns", ()):
        cls = rivers[class_col].astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
    else:
        cls = np.full(n, "", dtype=object)
    passable_l = {p.lower() for p in passable}
    block = ~np.isin(cls, sorted(passable_l)) & ~np.isin(cls, list(NON_BARRIER_WATERWAYS))
    if width_col in getattr(rivers, "columns", ()):
        w = _width_m(rivers[width_col])
        block |= np.nan_to_num(w, nan=0.0) > max_passable_width_m
    return np.asarray(block, dtype=bool)


def _segments(geoms: np.ndarray) -> np.ndarray:
    """Explode (multi)lines into their 2-point segments (tight bounding boxes for STRtree queries)."""
    if len(geoms) == 0:
        return np.empty(0, dtype=object)
    parts = shapely.get_parts(geoms)
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    same = owner[1:] == owner[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    keep = (a != b).any(axis=1)
    return np.asarray(shapely.linestrings(np.stack([a[keep], b[keep]], axis=1)), dtype=object)


_POINTS, _LINES, _POLYS = [0, 4], [1, 2, 5], [3, 6]
#: A layer whose nearest feature is farther than this from every household is reported (BARRIER-FAR).
FAR_M = 5000.0
#: A layer this far from the households (1,000 km) can only be in a wrong CRS: an error, not a warning.
GROSS_M = 1_000_000.0
#: A household inside a water polygon stands on its outline, at a point at most (factor·d + metres) from it,
#: ``d`` its distance to the nearest point of the outline: the digitising error of a house point.
SHORE_SLACK = (1.1, 1.0)


def _frame_geoms(layer: Any, crs: CRS, what: str) -> tuple[np.ndarray, Any]:
    """One geometry per row in ``crs`` (missing and empty rows kept) and the attribute frame (None if bare)."""
    if hasattr(layer, "geometry") or hasattr(layer, "crs"):
        if layer.crs is None:
            raise CRSError(problem("BARRIER-CRS", what=what, kind=_kind(what)))
        if CRS.from_user_input(layer.crs) != crs:
            layer = layer.to_crs(crs)
        frame = layer if hasattr(layer, "columns") else None
        geoms = np.asarray(layer.geometry.values if hasattr(layer, "geometry") else layer.values, dtype=object)
        return geoms, frame
    return np.asarray(layer, dtype=object).reshape(-1), None


def _present(geoms: np.ndarray) -> np.ndarray:
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def points_only(geoms: Any, what: str, file: str | None = None) -> Problem | None:
    """``BARRIER-POINTS``, the error of a ``what`` layer (``rivers``, ``water``, ``roads``) whose shapes are all
    points (none to cut a walk or make a bridge), naming ``file``; None when it holds a line or a polygon, or
    nothing. :func:`yuanluo.gis.io.read_layer` says it as the layer is read (``validate`` says it so, before any
    work), :func:`prepare_barriers` of a layer given in memory.

    >>> from shapely import LineString, Point
    >>> print(points_only([Point(0, 0), Point(1, 1)], "rivers", "places.gpkg").message("en").splitlines()[0])
    Error BARRIER-POINTS: file places.gpkg: the rivers layer holds points only (2 of them); points can neither cut neighbour links as rivers or water nor make bridges as roads.
    >>> points_only([Point(0, 0), LineString([(0, 0), (1, 1)])], "rivers") is None
    True
    """
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    present = _present(geoms)
    t = shapely.get_type_id(geoms)
    n_points = int((np.isin(t, _POINTS) & present).sum())
    if not n_points or (np.isin(t, _LINES + _POLYS) & present).any():
        return None
    return problem("BARRIER-POINTS", file=file, what=what, kind=_kind(what), points=n_points)


def _check_types(geoms: np.ndarray, what: str, errors: list[Problem], probs: list[Problem]) -> None:
    """BARRIER-POINTS: an error when a layer has points only, a warning when points are mixed in."""
    present = _present(geoms)
    t = shapely.get_type_id(geoms)
    n_points = int((np.isin(t, _POINTS) & present).sum())
    only = points_only(geoms, what)
    if only is not None:
        errors.append(only)
    elif n_points:
        probs.append(problem("BARRIER-POINTS-SOME", severity="warning", what=what, kind=_kind(what), points=n_points,
                             total=int(present.sum())))


def _far(layer: Any, geoms: np.ndarray, near: np.ndarray | None, what: str, far_m: float, crs: CRS,
         errors: list[Problem], probs: list[Problem]) -> bool:
    """Whether the layer's nearest feature is more than ``far_m`` from the households' hull (then it cuts nothing).

    Far because of a zone prefix its CRS does not declare (or one it declares that its eastings lack), or more
    than :data:`GROSS_M` away, is a wrong CRS: a ``BARRIER-GKPREFIX`` or ``BARRIER-CRS-FAR`` error. Merely
    distant (another village's layer) is the ``BARRIER-FAR`` warning.
    """
    g = geoms[_present(geoms)]
    if near is None or len(near) == 0 or len(g) == 0:
        return False
    hull = shapely.convex_hull(shapely.multipoints(np.asarray(near, dtype=float)))
    finite = np.isfinite(shapely.bounds(g)).all(axis=1)
    d = np.inf
    if finite.any():
        _, dist = shapely.STRtree(g[finite]).query_nearest(hull, return_distance=True)
        d = float(np.min(dist)) if len(dist) else np.inf
    if not d > far_m:
        return False
    own = _own_crs(layer, crs)
    distance_km = f"{d / 1000:.1f}" if np.isfinite(d) else ""
    hint = _zone_prefix(*_raw_geoms(layer, g, crs), own)
    # the layer as the command line's option names it (--rivers) and as the Python API's keyword (rivers=): the
    # message's title_py and fix_py name the keyword for a call from Python
    common: dict[str, Any] = {"what": what, "kind": _kind(what), "option": f"--{what}", "keyword": f"{what}=",
                              "distance_km": distance_km, "crs": _crs_name(own), "working": _crs_name(crs)}
    if hint is not None or not d < GROSS_M:
        limit = far_m if hint is not None else GROSS_M
        # no coordinate that converts to the households' CRS (outside what the layer's CRS can express): no distance
        far = (both("graph.far.km", distance_km=distance_km, limit_km=f"{limit / 1000:g}") if np.isfinite(d)
               else both("graph.far.nowhere"))
        if hint is not None:  # declaring the suggested CRS is all when it is the households' own: no reprojection
            then = (both("graph.gkprefix.same") if hint["suggest"] == common["working"]
                    else both("graph.gkprefix.reproject", suggest=hint["suggest"], working=common["working"]))
            hint = {**hint, "then": then}
        errors.append(problem("BARRIER-GKPREFIX" if hint is not None else "BARRIER-CRS-FAR", **common, **(hint or {}),
                              far=far, limit_km=f"{limit / 1000:g}"))
    else:
        probs.append(problem("BARRIER-FAR", severity="warning", what=what, kind=_kind(what),
                             distance_km=distance_km, limit_km=f"{far_m / 1000:g}"))
    return True


def _crs_name(c: CRS) -> str:
    e = c.to_epsg()
    return f"EPSG:{e}" if e else c.name


def _own_crs(layer: Any, crs: CRS) -> CRS:
    """The CRS a layer was given in: the source of its ``LAYER-REPROJECTED`` warning when
    :func:`yuanluo.gis.io.read_layer` reprojected it, else its CRS (``crs`` for bare geometries)."""
    attrs = getattr(layer, "attrs", None) or {}
    for w in attrs.get("warnings", ()):
        if getattr(w, "code", None) == "LAYER-REPROJECTED":
            try:
                return CRS.from_user_input(w.params["src"])
            except Exception:  # noqa: BLE001 - an unreadable label: judge by the layer's CRS
                break
    own = getattr(layer, "crs", None)
    return crs if own is None else CRS.from_user_input(own)


def _raw_geoms(layer: Any, geoms: np.ndarray, crs: CRS) -> tuple[np.ndarray, CRS]:
    """The layer's geometries as given (before :func:`_frame_geoms` reprojected them to ``crs``) and their CRS."""
    if getattr(layer, "crs", None) is None:
        return geoms, crs
    raw = np.asarray(layer.geometry.values if hasattr(layer, "geometry") else layer.values, dtype=object)
    raw = raw[_present(raw)]
    if len(raw) and not np.isfinite(shapely.bounds(raw)).all(axis=1).any():
        # read_layer reprojected it and no coordinate survived (outside what the layer's CRS can express, as
        # eastings without the prefix its CRS declares): its coordinates as stored in the file, in its own CRS
        stored = _stored_geoms(layer)
        if stored is not None:
            return stored
    return raw, CRS.from_user_input(layer.crs)


def _stored_geoms(layer: Any) -> tuple[np.ndarray, CRS] | None:
    """The geometries of the file :func:`yuanluo.gis.io.read_layer` read ``layer`` from (its ``source``), as
    stored, and their CRS; None when there is no such file or it cannot be read again."""
    from pathlib import Path

    from yuanluo.gis.io import layer_as_stored

    source = (getattr(layer, "attrs", None) or {}).get("source")
    if not isinstance(source, str) or not source:
        return None
    path, name = source, None
    if not Path(source).exists() and "::" in source:
        path, _, name = source.rpartition("::")
    try:
        stored = layer_as_stored(path, kind="water", layer=name)
    except Exception:  # noqa: BLE001 - only a diagnosis: without it the layer is BARRIER-CRS-FAR
        return None
    if stored is None or stored.crs is None:
        return None
    geoms = np.asarray(stored.geometry.values, dtype=object)
    return geoms[_present(geoms)], CRS.from_user_input(stored.crs)


def _zone_prefix(geoms: np.ndarray, crs: CRS, own: CRS) -> dict[str, Any] | None:
    """``{"suggest", "easting"}`` when the layer's eastings, in the CRS it was given in, carry a 3° zone prefix
    (EPSG:4513–4533) that CRS lacks, or lack the one it declares; None otherwise."""
    from yuanluo.gis.crs import gk_info, transform_xy

    xy = shapely.get_coordinates(geoms)
    if not len(xy):
        return None
    xy = xy[:: max(1, len(xy) // 10_000)]  # a sample of the vertices is enough to see a prefix
    x, y = xy[:, 0], xy[:, 1]
    if own != crs:
        x, y = transform_xy(x, y, crs, own)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    x, y = x[ok], y[ok]
    gk = gk_info(own) if own.is_projected else None
    zone = np.floor(x / 1e6)
    prefixed = (zone >= 25) & (zone <= 45) & (np.abs(y) < 1e7)
    if not (gk is not None and gk["prefixed"]) and prefixed.mean() > 0.5:
        z = int(np.median(zone[prefixed]))
        return {"suggest": f"EPSG:{4513 + z - 25}", "easting": f"{x[prefixed][0]:.1f}"}
    plain = (x > 0) & (x < 1e6)
    if gk is not None and gk["prefixed"] and plain.mean() > 0.5:
        return {"suggest": f"EPSG:{gk['epsg'] + 21}", "easting": f"{x[plain][0]:.1f}"}
    return None


def _landuse_filter(geoms: np.ndarray, frame: Any, what: str, max_width_m: float, probs: list[Problem] | None,
                    *, lines: bool, valid: np.ndarray | None = None, cls: pd.DataFrame | None = None
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """Which of ``geoms`` (the polygons, or the lines, of a layer) block walking by their land-use class, and (of
    polygons) those repaired to their areas (:func:`_water_areas`, made valid once: what the graph takes; none of
    lines); None when ``frame`` has no class columns. A survey layer (DLBM/DLMC), or an OSM-tagged one that leaves
    some out, gets its ``BARRIER-LANDUSE`` report in ``probs`` (unless None). ``valid``: of the polygons, which
    are, where known already (:func:`_water_areas`); ``cls``: :func:`landuse_classes` of ``frame``, where known."""
    if cls is None:
        cls = landuse_classes(frame) if frame is not None else None
    if cls is None:
        return None
    width_col = _col(frame, _WIDTH_COLS)
    width = _width_m(frame[width_col]) if width_col is not None else None
    is_water, blocks = _water_blocks(cls, geoms, max_width_m, width)
    survey = is_landuse_survey(frame)
    if not survey:  # OSM-style tags: a feature without any tag is taken as the water it was given as
        untagged = (cls["label"] == "?").to_numpy()
        is_water, blocks = is_water | untagged, blocks | untagged
    flat = np.zeros(len(geoms), dtype=bool)
    areas = np.empty(0, dtype=object)
    if not lines and (is_water & blocks).any():  # a polygon left with no area once repaired blocks nothing
        areas, left = _water_areas(geoms[is_water & blocks], None if valid is None else valid[is_water & blocks])
        flat[np.nonzero(is_water & blocks)[0][~left]] = True
    if probs is not None and (survey or not (is_water & blocks).all()):
        probs.append(_landuse_report(what, _class_columns(frame), cls, is_water, blocks, max_width_m, lines=lines,
                                     width_col=width_col, survey=survey, flat=flat))
    return np.asarray(is_water & blocks & ~flat, dtype=bool), areas


def _water_polygons(geoms: np.ndarray, frame: Any, what: str, max_width_m: float, probs: list[Problem] | None,
                    valid: np.ndarray | None = None, classes: pd.DataFrame | None = None) -> np.ndarray:
    """Polygons of a layer that block walking (all of them, or the water classes of a land-use layer)."""
    return _blocking_polygons(geoms, frame, what, max_width_m, probs, valid, classes)[0]


def _blocking_polygons(geoms: np.ndarray, frame: Any, what: str, max_width_m: float, probs: list[Problem] | None,
                       valid: np.ndarray | None = None, classes: pd.DataFrame | None = None
                       ) -> tuple[np.ndarray, pd.DataFrame | None]:
    """The blocking polygons of a layer (:func:`_water_polygons`) and, for a land-use layer, their classes
    (:func:`landuse_classes` of the polygons kept, found once; None for a layer without class columns). ``valid``:
    per row of ``geoms``, :func:`yuanluo.gis.io._water_validity` where known already: every blocking polygon is
    among those it tests, so none is tested again; ``classes``: :func:`landuse_classes` of ``frame``, where
    known."""
    poly = np.isin(shapely.get_type_id(geoms), _POLYS) & _present(geoms)
    if not poly.any():
        return np.empty(0, dtype=object), None
    sub = frame.iloc[np.nonzero(poly)[0]] if frame is not None else None
    known = None if valid is None else np.asarray(valid, dtype=bool)[poly]
    cls = None if sub is None else (landuse_classes(sub) if classes is None
                                    else classes.iloc[np.nonzero(poly)[0]].reset_index(drop=True))
    kept = None if cls is None else _landuse_filter(geoms[poly], sub, what, max_width_m, probs, lines=False,
                                                    valid=known, cls=cls)
    if kept is None:
        return _water_areas(geoms[poly], known)[0], None
    keep, areas = kept  # the areas of those kept, in their order (one of no area was left out by the filter)
    assert cls is not None  # a filter comes only from class columns
    return areas, cls[keep]


def _water_areas(geoms: np.ndarray, valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Water polygons repaired (:func:`_made_valid`) to their areas: the polygons of what a repair gives (a spike
    drawn out of a pond's outline is a line beside it), and which of ``geoms`` have any (one of no area, a flat
    polygon, is left out: as a line it would cut the walks that run along it). Said as the layer is read,
    ``LAYER-WATER-INVALID`` (:func:`yuanluo.gis.io._water_invalid`). Only the invalid ones are repaired (a valid
    polygon has an area, and ``make_valid`` gives it back as it is); ``valid``: which are, where known already.

    >>> from shapely import Polygon, box
    >>> areas, left = _water_areas(np.array([box(0, 0, 2, 2), Polygon([(0, 0), (5, 0), (9, 0), (0, 0)]),
    ...                                      Polygon([(0, 0), (2, 0), (2, 2), (0, 2), (0, 0), (-3, 0), (0, 0)])]))
    >>> [g.geom_type for g in areas], left.tolist(), shapely.area(areas).tolist()
    (['Polygon', 'Polygon'], [True, False, True], [4.0, 4.0])
    """
    made = np.array(geoms, dtype=object)
    if valid is None:
        with np.errstate(invalid="ignore"):
            valid = shapely.is_valid(made)
    bad = ~np.asarray(valid, dtype=bool)
    if bad.any():
        made[bad] = _made_valid(made[bad])
    odd = bad & ~np.isin(shapely.get_type_id(made), _POLYS)
    if odd.any():  # a collection holding lines beside the area, or lines and points only: its polygons
        parts = [shapely.get_parts(g) for g in made[odd]]
        made[odd] = [shapely.union_all(p[np.isin(shapely.get_type_id(p), _POLYS)]) for p in parts]
    left = ~bad
    with np.errstate(invalid="ignore"):  # (coordinates out of range: said by the distance check after)
        left[bad] = shapely.area(made[bad]) > 0
    return np.asarray(made[left], dtype=object), left


def _made_valid(geoms: np.ndarray) -> np.ndarray:
    """``shapely.make_valid`` without numpy's "invalid value encountered in make_valid_with_params": a layer in a
    wrong CRS (eastings without the zone prefix its .prj has) reprojects to coordinates out of range, which the
    distance check after says (``BARRIER-GKPREFIX``, ``BARRIER-CRS-FAR``), not a RuntimeWarning beside it."""
    with np.errstate(invalid="ignore"):
        return np.asarray(shapely.make_valid(geoms), dtype=object)


def blocking_water(layer: Any, *, max_passable_width_m: float = 3.0, with_class: bool = False,
                   valid: Any = None, classes: pd.DataFrame | None = None) -> Any:
    """The polygons of ``layer`` that block walking, in its own CRS (for checks such as households in water).

    All polygons of a layer without class columns; the blocking water classes of a land-use layer. With
    ``with_class`` a GeoDataFrame whose ``water_class`` column names each polygon's class as the layer does
    (坑塘水面 …; "" without class columns), for the ``SPAT-WATER`` check
    (:func:`yuanluo.gis.validate.check_points_in_water`, ``classes=``). ``valid``: per row of ``layer``, which
    polygons are valid as :func:`yuanluo.gis.io.read_layer` tested them for LAYER-WATER-INVALID
    (:attr:`yuanluo.gis.io.StoredLayer.water_valid`), not tested again; ``classes``: :func:`landuse_classes` of
    ``layer`` where found already (:attr:`yuanluo.gis.io.StoredLayer.classes`).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> lu = gpd.GeoDataFrame({"DLBM": ["1101", "0103"], "DLMC": ["河流水面", "旱地"]},
    ...                       geometry=[box(0, 0, 9, 9), box(9, 0, 20, 9)], crs="EPSG:4545")
    >>> blocking_water(lu).area.tolist()
    [81.0]
    >>> blocking_water(lu, with_class=True)["water_class"].tolist()
    ['河流水面']
    """
    import geopandas as gpd

    geoms, frame = _frame_geoms(layer, CRS.from_user_input(layer.crs), "water")  # (in its own CRS: as it is)
    polys, cls = _blocking_polygons(geoms, frame, "water", max_passable_width_m, None, valid, classes)
    if not with_class:
        return gpd.GeoSeries(polys, crs=layer.crs)
    labels = [""] * len(polys) if cls is None else [x if x != "?" else "" for x in cls["label"]]
    return gpd.GeoDataFrame({"water_class": labels}, geometry=np.asarray(polys, dtype=object), crs=layer.crs)


def _river_lines(geoms: np.ndarray, frame: Any, passable: tuple[str, ...], max_width_m: float,
                 probs: list[Problem] | None = None) -> np.ndarray:
    """Blocking river lines: OSM ``waterway`` classes, or the water classes of a land-use line layer (线状地物,
    with its width column ``KD`` for the ditch rule), reported as the polygons of a land-use layer are."""
    line = np.isin(shapely.get_type_id(geoms), _LINES) & _present(geoms)
    if not line.any():
        return np.empty(0, dtype=object)
    sub = frame.iloc[np.nonzero(line)[0]] if frame is not None else None
    if sub is None:
        return geoms[line]
    kept = None if "waterway" in sub.columns else _landuse_filter(geoms[line], sub, "rivers", max_width_m, probs,
                                                                   lines=True)
    if kept is None:
        return geoms[line][blocking_rivers(sub, passable=passable, max_passable_width_m=max_width_m)]
    return geoms[line][kept[0]]


def _road_geoms(roads: Any, crs: CRS, errors: list[Problem], probs: list[Problem],
                near: np.ndarray | None, far_m: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Road segments and road polygons (a land-use layer keeps its road classes), and the feature count."""
    geoms, frame = _frame_geoms(roads, crs, "roads")
    _check_types(geoms, "roads", errors, probs)
    _far(roads, geoms, near, "roads", far_m, crs, errors, probs)
    keep = _present(geoms)
    # only a land-use layer (DLBM/DLMC columns) is filtered by class; OSM road layers keep every feature
    surveyed = is_landuse_survey(frame)
    classes = landuse_classes(frame, LANDUSE_ROADS) if surveyed else None
    if classes is not None:
        keep &= classes["code"].to_numpy(dtype=object) != ""
    t = shapely.get_type_id(geoms)
    lines = geoms[keep & np.isin(t, _LINES)]
    polys = _made_valid(geoms[keep & np.isin(t, _POLYS)])
    return _segments(lines), np.asarray(polys, dtype=object), int(keep.sum())


def _bridges(road_lines: np.ndarray, road_polys: np.ndarray, rivers: np.ndarray,
             water: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bridge points over river lines and bridge pieces over water polygons, from road lines and polygons."""
    points: list[np.ndarray] = []
    pieces: list[np.ndarray] = []
    for roads in (road_lines, road_polys):
        if len(roads) and len(rivers):
            ri, rv = shapely.STRtree(rivers).query(roads, predicate="intersects")
            if len(ri):
                parts = shapely.get_parts(shapely.intersection(roads[ri], rivers[rv]))
                # a road along a river (or a road polygon over it) yields lines: keep their vertices
                points.append(shapely.get_coordinates(shapely.extract_unique_points(parts)))
        if len(roads) and len(water):
            ri, wi = shapely.STRtree(water).query(roads, predicate="intersects")
            if len(ri):
                parts = shapely.get_parts(shapely.intersection(roads[ri], water[wi]))
                size = shapely.length(parts) if roads is road_lines else shapely.area(parts)
                pieces.append(parts[size > 0])
    bridges = np.empty(0, dtype=object)
    if points:
        xy = np.unique(np.round(np.vstack(points), 3), axis=0)
        bridges = np.asarray(shapely.points(xy), dtype=object).reshape(-1)
    water_bridges = np.concatenate(pieces) if pieces else np.empty(0, dtype=object)
    return bridges, np.asarray(water_bridges, dtype=object)


def prepare_barriers(
    crs: Any,
    *,
    rivers: Any = None,
    water: Any = None,
    roads: Any = None,
    passable_waterways: tuple[str, ...] = DEFAULT_PASSABLE,
    max_passable_width_m: float = 3.0,
    near: Any = None,
    far_m: float = FAR_M,
) -> BarrierLayers:
    """Reproject the layers to ``crs``, select blocking rivers and water, and find the bridges.

    ``near`` (household coordinates, (n, 2)) enables the ``BARRIER-FAR`` check. Raises
    :class:`InputError` (``BARRIER-POINTS``) when a layer holds points only.

    Examples
    --------
    >>> from shapely import LineString, Point, box
    >>> b = prepare_barriers("EPSG:32631", rivers=[LineString([(0, 0), (0, 9)]), box(5, 0, 9, 9)])
    >>> b.counts["rivers_blocking"], b.counts["river_polygons"], b.counts["water_polygons"]
    (1, 1, 1)
    >>> prepare_barriers("EPSG:32631", rivers=[Point(0, 0)])
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.InputError: ...
    """
    crs = CRS.from_user_input(crs)
    near = None if near is None else np.asarray(near, dtype=float).reshape(-1, 2)
    try:
        return _prepare(crs, rivers, water, roads, passable_waterways, max_passable_width_m, near, far_m)
    except InputError as exc:
        raise type(exc)([_named(q, rivers=rivers, water=water, roads=roads) for q in exc.problems]) from None


def _named(q: Problem, **layers: Any) -> Problem:
    """A BARRIER-* problem (its layer named by :func:`_kind` in words of the run's language, 河流, 水面, 道路)
    and by the user's file (``file``: the ``source`` :func:`yuanluo.gis.io.read_layer` records)."""
    what = q.params.get("what")
    if what not in layers:
        return q
    source = getattr(layers[what], "attrs", {}).get("source")
    return replace(q, file=q.file or source)


def _water_shapes(water: Any, errors: list[Problem], probs: list[Problem]) -> Any:
    """The water layer to use, checked as :func:`yuanluo.gis.io.read_layer` checks a ``--water`` file
    (:func:`yuanluo.gis.io._water_kind`): one without a polygon is LAYER-WATER-KIND, an error (None is returned),
    lines among its polygons are left out with the warning LAYER-WATER-LINES. A frame given in memory
    (``build_graph(water=…)``) is named by the file it was read from (its ``source``), else as what was passed, no
    file (:func:`yuanluo.gis.io.passed_layer`: "the layer given as water="); one read by ``read_layer`` as water
    holds polygons (and points) only and passes as it is.

    >>> from shapely import LineString, box
    >>> errors, probs = [], []
    >>> _water_shapes([LineString([(0, 0), (9, 9)])] * 2, errors, probs) is None, [q.code for q in errors]
    (True, ['LAYER-WATER-KIND'])
    >>> print(errors[0].title("en")[:57])
    the layer given as water= holds no polygons, only 2 lines
    >>> kept = _water_shapes([box(0, 0, 1, 1), LineString([(0, 0), (9, 9)])], errors, probs)
    >>> len(kept), [(q.code, q.rows) for q in probs]
    (1, [('LAYER-WATER-LINES', (2,))])
    """
    from pathlib import Path

    import geopandas as gpd

    from yuanluo.gis.io import _water_kind, passed_layer

    bare = not isinstance(water, gpd.GeoDataFrame | gpd.GeoSeries)
    frame = (gpd.GeoDataFrame(geometry=list(np.asarray(water, dtype=object).reshape(-1))) if bare
             else water if isinstance(water, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=water))
    source = (getattr(water, "attrs", None) or {}).get("source")
    read = isinstance(source, str) and bool(source)  # read from a file by read_layer, else passed in memory
    fname = str(source) if read else "<water>"
    name: str | None = None
    if read and "::" in fname and not Path(fname).exists():
        fname, _, name = fname.rpartition("::")  # read_layer's path::layer
    kept, found = _water_kind(frame, fname, "--water", None, name)
    if not read:  # no file: named as what was passed
        found = [passed_layer(q, "water=") for q in found]
    errors.extend(q for q in found if q.severity == "error")
    probs.extend(q for q in found if q.severity != "error")
    if any(q.severity == "error" for q in found):
        return None
    if kept is frame:
        return water
    return np.asarray(kept.geometry.values, dtype=object) if bare else kept


def _passed_invalid(layer: Any, what: str, crs: CRS, probs: list[Problem]
                    ) -> tuple[np.ndarray, pd.DataFrame | None] | None:
    """``LAYER-WATER-INVALID`` (:func:`yuanluo.gis.io._water_invalid`) of a ``water=`` or ``rivers=`` layer passed
    in memory (a frame not read by :func:`yuanluo.gis.io.read_layer`, which said it as it read the file), named as
    passed ("the layer given as water="; its rows counted from 1), in its own CRS (a bare array: ``crs``). Returns
    the validity of its rows as tested (:func:`yuanluo.gis.io._water_validity`) and their :func:`landuse_classes`
    (None without class columns), found once; None for a layer read from a file.

    >>> import geopandas as gpd
    >>> from shapely import Polygon
    >>> probs = []
    >>> _passed_invalid(gpd.GeoDataFrame(geometry=[Polygon([(0, 0), (9, 0), (0, 9), (9, 9)])], crs=32631), "water",
    ...                 CRS.from_epsg(32631), probs)[0].tolist()
    [False]
    >>> print(probs[0].message("en").split(" (")[0])
    Warning LAYER-WATER-INVALID: the layer given as water= holds 1 water polygon whose geometry is not valid
    """
    import geopandas as gpd

    from yuanluo.gis.io import _water_invalid, _water_validity, passed_layer

    source = (getattr(layer, "attrs", None) or {}).get("source")
    if isinstance(source, str) and source:  # read from a file by read_layer: said as it was read
        return None
    if isinstance(layer, gpd.GeoDataFrame | gpd.GeoSeries):
        frame, own = (layer if isinstance(layer, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=layer)), layer.crs
    else:
        frame, own = gpd.GeoDataFrame(geometry=list(np.asarray(layer, dtype=object).reshape(-1))), crs
    classes = landuse_classes(frame)
    valid = _water_validity(frame, classes)
    bad = _water_invalid(frame, f"<{what}>", f"--{what}", None, None, CRS.from_user_input(own) if own else None,
                         valid=valid, classes=classes)
    if bad is not None:
        probs.append(passed_layer(bad, f"{what}="))
    return valid, classes


def _kind(what: str) -> dict[str, str]:
    """The layer's kind in words of every language (河流 / rivers …), for a message's ``{kind[zh]}``."""
    return both(f"result.{what}")


def _prepare(crs: CRS, rivers: Any, water: Any, roads: Any, passable_waterways: tuple[str, ...],
             max_passable_width_m: float, near: Any, far_m: float) -> BarrierLayers:
    probs: list[Problem] = []
    errors: list[Problem] = []
    lines, polys = [np.empty(0, dtype=object)] * 2
    n_lines = n_river_polys = 0
    for what, layer in (("rivers", rivers), ("water", water)):
        if layer is None:
            continue
        if what == "water":  # polygons only, as a --water file is read: a frame given in memory is checked here
            layer = _water_shapes(layer, errors, probs)
            if layer is None:
                continue
        valid, classes = _passed_invalid(layer, what, crs, probs) or (None, None)
        own = getattr(layer, "crs", None)
        if own is not None and CRS.from_user_input(own) != crs:  # reprojected: its validity tested again (its
            valid = None  # classes, by row, are the same)
        geoms, frame = _frame_geoms(layer, crs, what)
        _check_types(geoms, what, errors, probs)
        usable = np.isin(shapely.get_type_id(geoms), _POLYS + (_LINES if what == "rivers" else []))
        # (a result's water layer of lines only: LAYER-RESULT-WATER-LINES, as it was read, said why it cuts nothing)
        said = {getattr(w, "code", None) for w in (getattr(layer, "attrs", None) or {}).get("warnings", ())}
        if not (usable & _present(geoms)).any() and not any(e.params.get("what") == what for e in errors) \
                and "LAYER-RESULT-WATER-LINES" not in said:
            probs.append(problem("BARRIER-EMPTY", severity="warning", what=what, kind=_kind(what)))
        # a layer that lies far away cuts nothing: no report of the classes that would block
        report = None if _far(layer, geoms, near, what, far_m, crs, errors, probs) else probs
        wp = _water_polygons(geoms, frame, what, max_passable_width_m, report, valid, classes)
        polys = np.concatenate([polys, wp])
        if what == "rivers":
            n_river_polys = len(wp)
            lines = _river_lines(geoms, frame, passable_waterways, max_passable_width_m, report)
            n_lines = len(lines)
    road_lines, road_polys, n_roads = (_road_geoms(roads, crs, errors, probs, near, far_m) if roads is not None
                                       else (np.empty(0, dtype=object), np.empty(0, dtype=object), 0))
    if errors:
        raise InputError(errors)
    segs = _segments(lines)
    polys = np.asarray(polys, dtype=object)
    bridges, water_bridges = _bridges(road_lines, road_polys, segs, polys)
    counts = {
        "rivers_blocking": n_lines,
        "river_segments": len(segs),
        "river_polygons": n_river_polys,
        "water_polygons": len(polys),
        "roads": n_roads,
        "road_polygons": len(road_polys),
        "bridges": len(bridges),
        "water_bridges": len(water_bridges),
    }
    return BarrierLayers(segs, polys, bridges, water_bridges, counts,
                         [_named(q, rivers=rivers, water=water, roads=roads) for q in probs])


def cut_edges(
    xy_a: Any,
    xy_b: Any,
    barriers: BarrierLayers,
    *,
    bridge_tolerance_m: float = 25.0,
) -> np.ndarray:
    """Reason each edge is cut: ``"river"``, ``"water"`` or ``""`` (not cut); vectorised.

    Parameters
    ----------
    xy_a, xy_b : array (m, 2)
        Edge end points in the barriers' CRS.
    barriers : BarrierLayers
        From :func:`prepare_barriers`.
    bridge_tolerance_m : float
        How far a road crossing may be from the edge's crossing point and still count as its bridge.

    Examples
    --------
    >>> from shapely import LineString
    >>> b = prepare_barriers("EPSG:32631", rivers=[LineString([(50, -100), (50, 100)])],
    ...                      roads=[LineString([(0, 80), (100, 80)])])
    >>> cut_edges([[0, 0], [0, 70]], [[100, 0], [100, 70]], b).tolist()
    ['river', '']
    """
    a = np.asarray(xy_a, dtype=float).reshape(-1, 2)
    b = np.asarray(xy_b, dtype=float).reshape(-1, 2)
    m = len(a)
    reason = np.full(m, "", dtype=object)
    if m == 0:
        return reason
    lines = shapely.linestrings(np.stack([a, b], axis=1))
    # ---- rivers: every crossing point needs a bridge nearby
    if len(barriers.rivers):
        tree = shapely.STRtree(barriers.rivers)
        ei, ri = tree.query(lines, predicate="intersects")
        if len(ei):
            inter = shapely.intersection(lines[ei], barriers.rivers[ri])
            pts, owner = shapely.get_parts(shapely.extract_unique_points(inter), return_index=True)
            pt_edge = ei[owner]
            bridged = np.zeros(len(pts), dtype=bool)
            if len(barriers.bridges) and len(pts):
                btree = shapely.STRtree(barriers.bridges)
                pi, _ = btree.query(pts, predicate="dwithin", distance=bridge_tolerance_m)
                bridged[np.unique(pi)] = True
            unbridged_edges = np.unique(pt_edge[~bridged])
            reason[unbridged_edges] = "river"
    # ---- water polygons
    if len(barriers.water):
        todo = np.nonzero(reason == "")[0]
        tree = shapely.STRtree(barriers.water)
        ei, wi = tree.query(lines[todo], predicate="intersects")
        if len(ei):
            ei = todo[ei]
            ei, inter = _water_crossings(a, b, ei, barriers.water[wi])
            bridged = np.zeros(len(ei), dtype=bool)
            if len(barriers.water_bridges) and len(ei):
                mid = shapely.line_interpolate_point(shapely.line_merge(inter), 0.5, normalized=True)
                mid = np.where(shapely.is_empty(mid), shapely.centroid(inter), mid)
                btree = shapely.STRtree(barriers.water_bridges)
                pi, _ = btree.query(mid, predicate="dwithin", distance=bridge_tolerance_m)
                bridged[np.unique(pi)] = True
            # an edge is cut if any of its water crossings is unbridged
            cut = np.unique(ei[~bridged])
            reason[cut] = "water"
    return reason


def _water_crossings(a: np.ndarray, b: np.ndarray, ei: np.ndarray, polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (edge, water polygon) pairs that cross, and the part of the edge over the water, of candidate pairs
    ``ei`` (edges from ``a`` to ``b``) and ``polys`` (the polygon of each pair).

    A household inside a water polygon (a house point drawn a few metres into a pond's outline) stands at its
    edge: on the polygon's outline, at one of the points nearest to it (within :data:`SHORE_SLACK` of the
    nearest distance, ``d``: 1.1·d + 1 m), the one nearest the edge's other household. The crossing is measured
    from there, so the polygon does not cut the edges to the shore the household stands on, bridged or not, and
    still cuts those across the water (a point drawn into a river does not join the banks; one in the middle
    of a pond stands on whichever shore faces its neighbour). Two households inside the same polygon are not
    cut by it.
    """
    shapely.prepare(polys)
    in_a = shapely.contains_xy(polys, a[ei, 0], a[ei, 1])
    in_b = shapely.contains_xy(polys, b[ei, 0], b[ei, 1])
    keep = ~(in_a & in_b)
    ei, polys, in_a, in_b = ei[keep], polys[keep], in_a[keep], in_b[keep]
    start, end = a[ei].copy(), b[ei].copy()
    for inside, xy, other in ((in_a, start, b[ei]), (in_b, end, a[ei])):
        if inside.any():
            shore, here = shapely.boundary(polys[inside]), shapely.points(xy[inside])
            d = shapely.distance(shore, here)
            near = shapely.intersection(shore, shapely.buffer(here, SHORE_SLACK[0] * d + SHORE_SLACK[1]))
            near = np.where(shapely.is_empty(near), shore, near)
            to_other = shapely.shortest_line(near, shapely.points(other[inside]))
            xy[inside] = shapely.get_coordinates(shapely.get_point(to_other, 0))
    inter = shapely.intersection(shapely.linestrings(np.stack([start, end], axis=1)), polys)
    # an edge from the shore point out of the polygon meets it in that point (a rounding sliver at most)
    crossing = shapely.length(inter) > np.where(in_a | in_b, 1e-3, 1e-6)
    return ei[crossing], inter[crossing]
