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

Everything is vectorised with shapely 2 ``STRtree`` bulk queries (no per-edge Python loops).
Roads do not change walking times in this version (they only make bridges).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from yuanluo.gis.errors import CRSError, problem

__all__ = [
    "DEFAULT_PASSABLE",
    "NON_BARRIER_WATERWAYS",
    "BarrierLayers",
    "blocking_rivers",
    "cut_edges",
    "prepare_barriers",
]

DEFAULT_PASSABLE: tuple[str, ...] = ("stream", "ditch", "drain")
#: OSM waterway values that are structures or features, not channels a walker must cross.
NON_BARRIER_WATERWAYS: tuple[str, ...] = (
    "dam", "weir", "waterfall", "pressurised", "lock_gate", "dock", "boatyard", "fuel", "rapids",
    "fish_pass", "soakhole", "turning_point", "water_point", "check_dam", "milestone",
)



@dataclass
class BarrierLayers:
    """Barrier geometries in the working CRS, ready for edge queries.

    Attributes
    ----------
    rivers : ndarray of geometry
        Blocking river lines, as 2-point segments.
    water : ndarray of geometry
        Water polygons.
    bridges : ndarray of geometry
        Points where a road crosses a blocking river.
    water_bridges : ndarray of geometry
        Road pieces (of 2-point road segments) lying over a water polygon.
    counts : dict
        Number of features of each kind (for ``graph.meta``).
    problems : list of Problem
        Warnings (``BARRIER-EMPTY``).
    """

    rivers: np.ndarray
    water: np.ndarray
    bridges: np.ndarray
    water_bridges: np.ndarray
    counts: dict[str, int]
    problems: list[Any]


def _to_crs(layer: Any, crs: CRS, what: str) -> np.ndarray:
    """Geometries of a GeoDataFrame/GeoSeries/array in ``crs`` (a copy; the input is untouched)."""
    if layer is None:
        return np.empty(0, dtype=object)
    if hasattr(layer, "geometry") or hasattr(layer, "crs"):
        if layer.crs is None:
            raise CRSError(problem("BARRIER-CRS", what=what))
        if CRS.from_user_input(layer.crs) != crs:
            layer = layer.to_crs(crs)
        geoms = np.asarray(layer.geometry.values if hasattr(layer, "geometry") else layer.values)
    else:
        geoms = np.asarray(layer, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return np.asarray(geoms, dtype=object)


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


def prepare_barriers(
    crs: Any,
    *,
    rivers: Any = None,
    water: Any = None,
    roads: Any = None,
    passable_waterways: tuple[str, ...] = DEFAULT_PASSABLE,
    max_passable_width_m: float = 3.0,
) -> BarrierLayers:
    """Reproject the layers to ``crs``, select blocking rivers and find the bridges."""
    crs = CRS.from_user_input(crs)
    probs = []
    river_geoms = np.empty(0, dtype=object)
    n_river_features = 0
    if rivers is not None:
        if len(rivers) == 0:
            probs.append(problem("BARRIER-EMPTY", severity="warning", what="rivers"))
        if hasattr(rivers, "columns"):
            mask = blocking_rivers(rivers, passable=passable_waterways, max_passable_width_m=max_passable_width_m)
            rivers = rivers.loc[mask]
        river_geoms = _to_crs(rivers, crs, "rivers")
        river_geoms = river_geoms[np.isin(shapely.get_type_id(river_geoms), [1, 2, 5])]  # (multi)lines
        n_river_features = len(river_geoms)
        river_geoms = _segments(river_geoms)
    water_geoms = np.empty(0, dtype=object)
    if water is not None:
        water_geoms = _to_crs(water, crs, "water")
        water_geoms = water_geoms[np.isin(shapely.get_type_id(water_geoms), [3, 6])]
        if len(water_geoms) == 0:
            probs.append(problem("BARRIER-EMPTY", severity="warning", what="water"))
        water_geoms = shapely.make_valid(water_geoms)
    road_geoms = _to_crs(roads, crs, "roads") if roads is not None else np.empty(0, dtype=object)
    n_roads = len(road_geoms)
    road_geoms = _segments(road_geoms[np.isin(shapely.get_type_id(road_geoms), [1, 2, 5])])

    bridges = np.empty(0, dtype=object)
    water_bridges = np.empty(0, dtype=object)
    if len(road_geoms):
        if len(river_geoms):
            tree = shapely.STRtree(river_geoms)
            ri, rv = tree.query(road_geoms, predicate="intersects")
            if len(ri):
                inter = shapely.intersection(road_geoms[ri], river_geoms[rv])
                parts = shapely.get_parts(inter)
                # a road running along a river yields lines: keep their vertices as crossing points
                pts = shapely.get_parts(shapely.extract_unique_points(parts))
                xy = np.unique(np.round(shapely.get_coordinates(pts), 3), axis=0)
                bridges = np.asarray(shapely.points(xy), dtype=object).reshape(-1)
        if len(water_geoms):
            tree = shapely.STRtree(water_geoms)
            ri, wi = tree.query(road_geoms, predicate="intersects")
            if len(ri):
                inter = shapely.intersection(road_geoms[ri], water_geoms[wi])
                parts = shapely.get_parts(inter)
                parts = parts[shapely.length(parts) > 0]
                water_bridges = np.asarray(parts, dtype=object)
    counts = {
        "rivers_blocking": n_river_features,
        "river_segments": len(river_geoms),
        "water_polygons": len(water_geoms),
        "roads": n_roads,
        "bridges": len(bridges),
        "water_bridges": len(water_bridges),
    }
    return BarrierLayers(river_geoms, water_geoms, bridges, water_bridges, counts, probs)


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
