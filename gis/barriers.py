"""Rivers and water bodies as barriers between neighbouring households.

A candidate edge (a straight segment between two households) is **cut** when it crosses

* a river line that blocks walking (``reason="river"``), unless a road or path crosses the same
  river within ``bridge_tolerance_m`` of the point where the edge crosses it (a bridge, a ford, a
  stepping-stone path: OSM maps each as a way crossing the waterway); or
* a water polygon (``reason="water"``), unless a road or path crosses that polygon within
  ``bridge_tolerance_m`` of the middle of the edge's crossing.

Which rivers block: OSM ``waterway`` classes not in ``passable`` block (``river``, ``canal`` and
unknown classes); ``stream``, ``ditch`` and ``drain`` are stepped over by default. Structures that are
not channels (``dam``, ``weir``, ``waterfall``, ``pressurised`` pipes …) never block. Where a numeric
``width`` attribute is given (OSM ``width``, metres), a channel wider than ``max_passable_width_m``
blocks whatever its class, and a passable-class channel narrower stays passable.

Polygons given as rivers are water bodies, exactly as if given as water; lines stay rivers; a layer may
hold both. Roads may be lines or polygons: a road polygon over a river line or a water polygon is a
bridge as a road line is. A layer of points only is a ``BARRIER-POINTS`` error; a layer whose nearest
feature lies more than ``far_m`` (5 km) from every household is a ``BARRIER-FAR`` warning.

Land-use layers (China's land surveys, GB/T 21010-2017: ``DLBM``/``DLMC`` or ``地类编码``/``地类名称``;
OSM ``natural``/``landuse``) are filtered by class (:data:`LANDUSE_WATER`), and a ``BARRIER-LANDUSE``
warning says how many polygons of which classes were used. Open water blocks: 河流水面 1101, 湖泊水面
1102, 水库水面 1103, 坑塘水面 1104 (1104A 养殖坑塘), 沿海滩涂 1105 (under the tide twice a day), 干渠 1107A
(main canals, as OSM ``canal``), 冰川及永久积雪 1110. Passable: 沟渠 1107 (ditches, stepped over or culverted
like OSM ``ditch``, unless their mean width 2·area/perimeter exceeds ``max_passable_width_m``, the rule for
an OSM ``width``), 内陆滩涂 1106 (flood land, dry outside floods; the channel is its own 河流水面 polygon),
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

from yuanluo.gis.catalogue import both
from yuanluo.gis.errors import CRSError, InputError, Problem, problem

__all__ = [
    "DEFAULT_PASSABLE",
    "LANDUSE_ROADS",
    "LANDUSE_WATER",
    "NON_BARRIER_WATERWAYS",
    "BarrierLayers",
    "blocking_rivers",
    "blocking_water",
    "landuse_classes",
    "cut_edges",
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


def _water_blocks(cls: pd.DataFrame, geoms: np.ndarray, max_width_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(is water, blocks) per row of a land-use class frame; ditches block when wider than ``max_width_m``."""
    code = cls["code"].to_numpy(dtype=object)
    is_water = code != ""
    blocks = np.array([LANDUSE_WATER.get(c, ("", c == "osm-water"))[1] for c in code], dtype=bool)
    ditch = code == _DITCH
    if ditch.any():
        g = geoms[ditch]
        poly = np.isin(shapely.get_type_id(g), [3, 6])
        per = np.where(poly, shapely.length(g), 0.0)
        width = np.where(per > 0, 2.0 * shapely.area(g) / np.where(per > 0, per, 1.0), 0.0)
        blocks[np.nonzero(ditch)[0][poly & (width > max_width_m)]] = True
    return is_water, blocks


def _summary(labels: np.ndarray) -> list[str]:
    """``["河流水面 ×3", "坑塘水面 ×1"]`` (classes by count, then name; deterministic), listed in the message's
    language."""
    if len(labels) == 0:
        return ["—"]
    v, c = np.unique(labels.astype(str), return_counts=True)
    order = np.lexsort((v, -c))
    return [f"{v[i]} ×{c[i]}" for i in order]


def _class_columns(frame: Any) -> str:
    """The columns :func:`landuse_classes` reads in ``frame``, for the report (``DLBM, DLMC``)."""
    cols = [_col(frame, _CODE_COLS), _col(frame, _NAME_COLS)]
    cols += [c for c in ("natural", "landuse", "waterway") if c in frame.columns]
    return ", ".join(str(c) for c in cols if c is not None)


def _landuse_report(what: str, columns: str, cls: pd.DataFrame, is_water: np.ndarray,
                    blocks: np.ndarray, max_width_m: float) -> Problem:
    """The ``BARRIER-LANDUSE`` warning: polygons used, water left passable, other classes left out."""
    lab = cls["label"].to_numpy(dtype=object)
    used, passable, other = lab[is_water & blocks], lab[is_water & ~blocks], lab[~is_water]
    return problem("BARRIER-LANDUSE", severity="warning", what=what, kind=_kind(what), columns=columns, used=len(used), used_classes=_summary(used),
                   passable=len(passable), passable_classes=_summary(passable), other=len(other),
                   other_classes=_summary(other), max_width_m=f"{max_width_m:g}")



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


def _check_types(geoms: np.ndarray, what: str, errors: list[Problem], probs: list[Problem]) -> None:
    """BARRIER-POINTS: an error when a layer has points only, a warning when points are mixed in."""
    present = _present(geoms)
    t = shapely.get_type_id(geoms)
    n_points = int((np.isin(t, _POINTS) & present).sum())
    n_usable = int((np.isin(t, _LINES + _POLYS) & present).sum())
    if n_points and not n_usable:
        errors.append(problem("BARRIER-POINTS", what=what, kind=_kind(what), points=n_points))
    elif n_points:
        probs.append(problem("BARRIER-POINTS-SOME", severity="warning", what=what, kind=_kind(what), points=n_points,
                             total=int(present.sum())))


def _far(geoms: np.ndarray, near: np.ndarray | None, what: str, far_m: float) -> Problem | None:
    """BARRIER-FAR when the layer's nearest feature is more than ``far_m`` from the households' hull."""
    g = geoms[_present(geoms)]
    if near is None or len(near) == 0 or len(g) == 0:
        return None
    hull = shapely.convex_hull(shapely.multipoints(np.asarray(near, dtype=float)))
    _, dist = shapely.STRtree(g).query_nearest(hull, return_distance=True)
    d = float(np.min(dist)) if len(dist) else np.inf
    if not d > far_m:
        return None
    return problem("BARRIER-FAR", severity="warning", what=what, kind=_kind(what), distance_km=f"{d / 1000:.1f}",
                   limit_km=f"{far_m / 1000:g}")


def _water_polygons(geoms: np.ndarray, frame: Any, what: str, max_width_m: float,
                    probs: list[Problem]) -> np.ndarray:
    """Polygons of a layer that block walking (all of them, or the water classes of a land-use layer)."""
    poly = np.isin(shapely.get_type_id(geoms), _POLYS) & _present(geoms)
    if not poly.any():
        return np.empty(0, dtype=object)
    cls = landuse_classes(frame.iloc[np.nonzero(poly)[0]]) if frame is not None else None
    if cls is None:
        return shapely.make_valid(geoms[poly])
    is_water, blocks = _water_blocks(cls, geoms[poly], max_width_m)
    survey = _col(frame, _CODE_COLS + _NAME_COLS) is not None
    if not survey:  # OSM-style tags: a polygon without any tag is taken as the water it was given as
        untagged = (cls["label"] == "?").to_numpy()
        is_water, blocks = is_water | untagged, blocks | untagged
    if survey or not (is_water & blocks).all():
        probs.append(_landuse_report(what, _class_columns(frame), cls, is_water, blocks, max_width_m))
    return shapely.make_valid(geoms[poly][is_water & blocks])


def blocking_water(layer: Any, *, max_passable_width_m: float = 3.0) -> Any:
    """The polygons of ``layer`` that block walking, in its own CRS (for checks such as households in water).

    All polygons of a layer without class columns; the blocking water classes of a land-use layer.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> lu = gpd.GeoDataFrame({"DLBM": ["1101", "0103"], "DLMC": ["河流水面", "旱地"]},
    ...                       geometry=[box(0, 0, 9, 9), box(9, 0, 20, 9)], crs="EPSG:4545")
    >>> blocking_water(lu).area.tolist()
    [81.0]
    """
    import geopandas as gpd

    geoms, frame = _frame_geoms(layer, CRS.from_user_input(layer.crs), "water")
    polys = _water_polygons(geoms, frame, "water", max_passable_width_m, [])
    return gpd.GeoSeries(polys, crs=layer.crs)


def _river_lines(geoms: np.ndarray, frame: Any, passable: tuple[str, ...], max_width_m: float) -> np.ndarray:
    """Blocking river lines: OSM ``waterway`` classes, or the water classes of a land-use line layer."""
    line = np.isin(shapely.get_type_id(geoms), _LINES) & _present(geoms)
    if not line.any():
        return np.empty(0, dtype=object)
    sub = frame.iloc[np.nonzero(line)[0]] if frame is not None else None
    cls = landuse_classes(sub) if sub is not None and "waterway" not in sub.columns else None
    if sub is None:
        return geoms[line]
    if cls is None:
        return geoms[line][blocking_rivers(sub, passable=passable, max_passable_width_m=max_width_m)]
    is_water, blocks = _water_blocks(cls, geoms[line], max_width_m)
    return geoms[line][is_water & blocks]


def _road_geoms(roads: Any, crs: CRS, errors: list[Problem], probs: list[Problem],
                near: np.ndarray | None, far_m: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Road segments and road polygons (a land-use layer keeps its road classes), and the feature count."""
    geoms, frame = _frame_geoms(roads, crs, "roads")
    _check_types(geoms, "roads", errors, probs)
    probs.extend(p for p in [_far(geoms, near, "roads", far_m)] if p is not None)
    keep = _present(geoms)
    # only a land-use layer (DLBM/DLMC columns) is filtered by class; OSM road layers keep every feature
    surveyed = frame is not None and _col(frame, _CODE_COLS + _NAME_COLS) is not None
    classes = landuse_classes(frame, LANDUSE_ROADS) if surveyed else None
    if classes is not None:
        keep &= classes["code"].to_numpy(dtype=object) != ""
    t = shapely.get_type_id(geoms)
    lines = geoms[keep & np.isin(t, _LINES)]
    polys = shapely.make_valid(geoms[keep & np.isin(t, _POLYS)])
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
        geoms, frame = _frame_geoms(layer, crs, what)
        _check_types(geoms, what, errors, probs)
        usable = np.isin(shapely.get_type_id(geoms), _POLYS + (_LINES if what == "rivers" else []))
        if not (usable & _present(geoms)).any() and not any(e.params.get("what") == what for e in errors):
            probs.append(problem("BARRIER-EMPTY", severity="warning", what=what, kind=_kind(what)))
        probs.extend(p for p in [_far(geoms, near, what, far_m)] if p is not None)
        wp = _water_polygons(geoms, frame, what, max_passable_width_m, probs)
        polys = np.concatenate([polys, wp])
        if what == "rivers":
            n_river_polys = len(wp)
            lines = _river_lines(geoms, frame, passable_waterways, max_passable_width_m)
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
            inter = shapely.intersection(lines[ei], barriers.water[wi])
            crossing = shapely.length(inter) > 1e-6
            ei, inter = ei[crossing], inter[crossing]
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
