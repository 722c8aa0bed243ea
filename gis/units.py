"""Unit geometry: territories, meeting points and unit adjacency.

A delineation is a label per household (a pandas Series on ``hid`` whose values are unit ids such as
``"U001"``; missing = unassigned). This module turns it into the geometry that maps and reports show:

* :func:`unit_territories` - one polygon per unit: the Voronoi cells of the unit's households,
  dissolved and clipped to a boundary (or to ``max_reach_m`` around the households). The polygons form
  a valid coverage (no overlaps, shared borders identical).
* :func:`meeting_points` - one point per unit at its meeting household.
* :func:`unit_adjacency` - which units are neighbours in the household graph, with the number of graph
  edges between them and a line between their meeting points.

Everything works in the households' projected CRS (metres); inputs are never modified.

Sketch of the 3 x 3 example used in the docstrings and tests (60 m spacing, 4-neighbour grid)::

    g0 - g1 - g2        units: A = {g0, g1, g3}
    |    |    |                B = {g2, g5, g8}
    g3 - g4 - g5               C = {g4, g6, g7}
    |    |    |
    g6 - g7 - g8
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from yuanluo.gis.catalogue import both
from yuanluo.gis.errors import (
    CRSError,
    InputError,
    InvariantError,
    Problem,
    problem,
    require_metric,
)
from yuanluo.gis.graph import TerrainGraph

__all__ = [
    "ADJACENCY_COLUMNS",
    "meeting_points",
    "unit_adjacency",
    "unit_territories",
]

ADJACENCY_COLUMNS = ["unit_a", "unit_b", "n_edges", "min_walk_min", "geometry"]



# ---------------------------------------------------------------------------------------------- helpers
def _hh_crs(households: gpd.GeoDataFrame) -> CRS:
    """The households' CRS, projected in metres: ``UNIT-NOT-POINTS`` for what is no GeoDataFrame, ``CRS-UNSET``
    for one without a CRS (its fix declares one), ``CRS-PROJECTED`` for longitude and latitude."""
    if not isinstance(households, gpd.GeoDataFrame):
        raise InputError(problem("UNIT-NOT-POINTS", kind=type(households).__name__))
    require_metric(households, "households", "hh")
    return CRS.from_user_input(households.crs)


def _point_xy(households: gpd.GeoDataFrame, problems: list[Problem]) -> np.ndarray:
    """Coordinates (n, 2) of the household points; bad geometries are reported, not raised."""
    geom = np.asarray(households.geometry.array, dtype=object)
    ok = shapely.get_type_id(geom) == shapely.GeometryType.POINT
    ok &= ~shapely.is_empty(geom)
    xy = np.full((len(geom), 2), np.nan)
    if ok.any():
        xy[ok] = shapely.get_coordinates(geom[ok])[:, :2]
    ok &= np.isfinite(xy).all(axis=1)
    if not ok.all():
        problems.append(problem("UNIT-GEOM", ids=households.index[~ok].astype(str), what="households"))
    return xy


def _aligned_labels(
    households: gpd.GeoDataFrame, labels: pd.Series, problems: list[Problem]
) -> np.ndarray:
    """Unit id per household row as an object array of str, ``None`` where unassigned."""
    lab = pd.Series(labels, copy=True)
    lab.index = lab.index.astype(str)
    hids = households.index.astype(str)
    unknown = lab.index.difference(hids)
    if len(unknown):
        problems.append(problem("UNIT-LABEL-UNKNOWN", ids=sorted(unknown)))
    lab = lab[~lab.index.duplicated(keep="first")]
    out = lab.reindex(hids)
    missing = out.isna().to_numpy()
    vals = out.astype(object).to_numpy()
    vals = np.array([None if m else str(v) for v, m in zip(vals, missing, strict=True)], dtype=object)
    vals[vals == ""] = None
    return vals


def _unit_codes(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Integer code per row (-1 = unassigned) and the sorted unit ids the codes index."""
    assigned = np.array([v is not None for v in values], dtype=bool)
    units = sorted(set(values[assigned].tolist()))
    codes = np.full(len(values), -1, dtype=np.int64)
    if units:
        codes[assigned] = pd.Index(units).get_indexer(values[assigned])
    return codes, units


def _empty_gdf(columns: list[str], crs: CRS) -> gpd.GeoDataFrame:
    data: dict[str, Any] = {c: pd.Series([], dtype=object) for c in columns if c != "geometry"}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


# ---------------------------------------------------------------------------------------------- territories
def _location_units(xy: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique locations and the unit code of each (majority of its households; ties -> smallest id).

    Returns ``(unique_xy, loc_code)``; ``loc_code`` is -1 where no household at the location is assigned.
    """
    uxy, inverse = np.unique(xy, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    loc_code = np.full(len(uxy), -1, dtype=np.int64)
    a = codes >= 0
    if a.any():
        df = pd.DataFrame({"loc": inverse[a], "code": codes[a]})
        cnt = df.groupby(["loc", "code"], sort=True).size().reset_index(name="n")
        # largest count first, then smallest unit code (codes are in sorted unit-id order)
        cnt = cnt.sort_values(["loc", "n", "code"], ascending=[True, False, True], kind="stable")
        best = cnt.drop_duplicates("loc", keep="first")
        loc_code[best["loc"].to_numpy()] = best["code"].to_numpy()
    return uxy, loc_code


def _boundary_area(boundary: Any, crs: CRS, problems: list[Problem]) -> Any:
    """The union of the boundary polygons in ``crs`` (None when it cannot be used)."""
    if isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries):
        if boundary.crs is None:
            problems.append(problem("UNIT-CRS", what="boundary", crs="None", hh_crs=crs.to_string()))
            return None
        bnd = boundary.to_crs(crs) if not CRS.from_user_input(boundary.crs).equals(crs) else boundary
        geoms = np.asarray(bnd.geometry.array if isinstance(bnd, gpd.GeoDataFrame) else bnd.array, dtype=object)
        ids = [str(i) for i in bnd.index]
    else:
        geoms = np.atleast_1d(np.asarray(boundary, dtype=object))
        ids = [str(i) for i in range(len(geoms))]
    tid = shapely.get_type_id(geoms)
    is_poly = np.isin(tid, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    bad_type = ~is_poly | shapely.is_empty(geoms)
    bad_valid = ~bad_type & ~shapely.is_valid(geoms)
    if bad_type.any():
        problems.append(problem("UNIT-BOUNDARY", ids=[i for i, b in zip(ids, bad_type, strict=True) if b],
                                detail=both("units.boundary.type")))
    if bad_valid.any():
        problems.append(problem("UNIT-BOUNDARY", ids=[i for i, b in zip(ids, bad_valid, strict=True) if b],
                                detail=both("units.boundary.invalid")))
    if bad_type.any() or bad_valid.any():
        return None
    return shapely.union_all(geoms)


def unit_territories(
    households: gpd.GeoDataFrame,
    labels: pd.Series,
    *,
    boundary: Any = None,
    max_reach_m: float = 300.0,
) -> gpd.GeoDataFrame:
    """One polygon per unit: the Voronoi cells of its households, dissolved and clipped.

    Voronoi cells are built on the *unique* household locations (households in one house share a
    cell). A location shared by households of several units goes to the unit with most households
    there (ties: the smallest unit id). Cells of unassigned households belong to no unit, so they
    appear as gaps. The result is clipped to ``boundary`` when given, else to the area within
    ``max_reach_m`` of any household, so territories never reach to infinity.

    Parameters
    ----------
    households : GeoDataFrame
        Household points in a projected CRS (metres), index ``hid``.
    labels : Series
        Unit id per ``hid``; missing values mean unassigned.
    boundary : GeoDataFrame, GeoSeries or array of polygons, optional
        Clip area (e.g. the village polygons); reprojected to the households' CRS if needed.
    max_reach_m : float
        Radius around the households used as the clip area when no boundary is given.

    Returns
    -------
    GeoDataFrame
        Columns ``unit_id`` and ``geometry`` (Polygon or MultiPolygon; empty when the unit's cells
        lie wholly outside the boundary), one row per unit sorted by ``unit_id``, in the households'
        CRS. The polygons form a valid coverage.

    Raises
    ------
    CRSError
        The households (or the boundary) are not in a usable projected CRS.
    InputError
        Households that are not points, labels for unknown households, unusable boundary polygons.
    InvariantError
        The result is not a valid coverage (a bug).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 100, 0, 100], [0, 0, 100, 100]),
    ...                       index=pd.Index(["a", "b", "c", "d"], name="hid"), crs="EPSG:4545")
    >>> lab = pd.Series({"a": "U1", "b": "U1", "c": "U2", "d": "U2"})
    >>> t = unit_territories(hh, lab, boundary=[shapely.box(-50, -50, 150, 150)])
    >>> t["unit_id"].tolist(), t.area.round().tolist()
    (['U1', 'U2'], [20000.0, 20000.0])
    """
    crs = _hh_crs(households)
    if not max_reach_m > 0:
        raise InputError(problem("UNIT-REACH", value=repr(max_reach_m)))
    problems: list[Problem] = []
    xy = _point_xy(households, problems)
    values = _aligned_labels(households, labels, problems)
    clip = _boundary_area(boundary, crs, problems) if boundary is not None else None
    if problems:
        raise InputError(problems)
    codes, units = _unit_codes(values)
    if not units:
        return _empty_gdf(["unit_id", "geometry"], crs)

    # work near the origin for numerical robustness; a single shift keeps shared vertices identical
    offset = np.floor(xy.min(axis=0) / 1000.0) * 1000.0
    uxy, loc_code = _location_units(xy - offset, codes)
    if clip is not None:
        clip = shapely.transform(clip, lambda c: c - offset)
        ext = shapely.union_all([clip, shapely.multipoints(uxy)])
    else:
        ext = shapely.buffer(shapely.multipoints(shapely.get_coordinates(shapely.envelope(
            shapely.multipoints(uxy)))), max_reach_m)
    x0, y0, x1, y1 = shapely.bounds(ext)
    pad = max(x1 - x0, y1 - y0, 1.0)
    env = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    cells = np.asarray(
        shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(uxy), extend_to=env, ordered=True))
    )
    if len(cells) != len(uxy):  # pragma: no cover - guarded by ordered=True on unique sites
        raise InvariantError(problem("INVARIANT", what="one Voronoi cell per unique location"))
    if clip is None:
        clip = _reach_area(cells, uxy, max_reach_m)

    order = np.argsort(loc_code, kind="stable")
    order = order[loc_code[order] >= 0]
    present, starts = np.unique(loc_code[order], return_index=True)
    dissolved = np.empty(len(units), dtype=object)
    dissolved[:] = shapely.Polygon()
    for code, grp in zip(present, np.split(order, starts[1:]), strict=True):
        dissolved[code] = shapely.coverage_union_all(cells[grp])
    territory = _clip_units(dissolved, clip)
    territory = _polygonal(territory)
    if not bool(shapely.coverage_is_valid(territory)):
        territory = _polygonal(np.asarray(shapely.coverage_clean(territory)))
        if not bool(shapely.coverage_is_valid(territory)):
            raise InvariantError(problem("INVARIANT", what="unit territories form a valid coverage"))
    territory = shapely.transform(territory, lambda c: c + offset)
    return gpd.GeoDataFrame({"unit_id": pd.Series(units, dtype=object)}, geometry=list(territory), crs=crs)


def _reach_area(cells: np.ndarray, sites: np.ndarray, r: float, quad_segs: int = 8) -> Any:
    """The union of the disks of radius ``r`` around ``sites`` (polygonal, ``quad_segs`` per quarter).

    Fast form of ``union_all(buffer(sites, r))``: a Voronoi cell that lies wholly inside its site's
    disk is part of the union, and those cells form a coverage that dissolves cheaply; only the disks
    of the other sites (at the edge of settlements, a few percent) go through the general union.
    """
    coords, idx = shapely.get_coordinates(cells, return_index=True)
    dist = np.hypot(*(coords - sites[idx]).T)
    far = np.zeros(len(cells))
    np.maximum.at(far, idx, dist)
    inside = far <= r * np.cos(np.pi / (4 * quad_segs))  # within the inscribed circle of the disk polygon
    parts = []
    if inside.any():
        parts.append(shapely.coverage_union_all(cells[inside]))
    if (~inside).any():
        parts.append(shapely.union_all(shapely.buffer(shapely.points(sites[~inside]), r, quad_segs=quad_segs)))
    return shapely.union_all(parts)


def _clip_units(dissolved: np.ndarray, clip: Any) -> np.ndarray:
    """``dissolved ∩ clip`` per unit, each unit against only the parts of ``clip`` it meets.

    The parts are the clip area's own polygons, unchanged, so every unit sees identical vertices and
    shared borders stay identical; this only spares the overlay from walking the whole clip area.
    """
    parts = np.asarray(shapely.get_parts(clip), dtype=object)
    parts = parts[np.isin(shapely.get_type_id(parts), [shapely.GeometryType.POLYGON])]
    local = np.empty(len(dissolved), dtype=object)
    local[:] = shapely.Polygon()
    if not len(parts):
        return shapely.intersection(dissolved, local)
    ui, pi = shapely.STRtree(parts).query(dissolved, predicate="intersects")
    order = np.lexsort((pi, ui))
    ui, pi = ui[order], pi[order]
    present, starts = np.unique(ui, return_index=True)
    for u, grp in zip(present, np.split(pi, starts[1:]), strict=True):
        local[u] = parts[grp[0]] if len(grp) == 1 else shapely.multipolygons(parts[grp])
    return shapely.intersection(dissolved, local)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of each geometry (intersections may add slivers of lines/points)."""
    out = np.asarray(geoms, dtype=object).copy()
    tid = shapely.get_type_id(out)
    mixed = ~np.isin(tid, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    for i in np.flatnonzero(mixed):
        parts = shapely.get_parts(out[i])
        polys = parts[np.isin(shapely.get_type_id(parts),
                              [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])]
        out[i] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return out


# ---------------------------------------------------------------------------------------------- meeting points
def meeting_points(
    households: gpd.GeoDataFrame, labels: pd.Series, meeting_hid: pd.Series | Mapping[str, Any]
) -> gpd.GeoDataFrame:
    """One point per unit at its meeting household.

    Parameters
    ----------
    households : GeoDataFrame
        Household points in a projected CRS, index ``hid``.
    labels : Series
        Unit id per ``hid``.
    meeting_hid : Series, mapping or table
        Unit id -> the ``hid`` of its meeting household. Units with a missing value get no row. A table of two
        columns (unit id, then household id) or with the columns ``unit_id`` and ``meeting_hid``, such as a
        delineation's ``units_``, is taken as :func:`~yuanluo.gis.check.check_plan` takes it
        (:func:`~yuanluo.gis.check.meeting_series`; anything else, a list of household ids, is
        ``MEETING-POINTS-TYPE``).

    Returns
    -------
    GeoDataFrame
        Columns ``unit_id``, ``hid``, point ``geometry``; sorted by ``unit_id``.

    Raises
    ------
    InputError
        ``UNIT-MEETING`` when a meeting household is unknown or belongs to another unit (all listed).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 60, 120], [0, 0, 0]),
    ...                       index=pd.Index(["a", "b", "c"], name="hid"), crs="EPSG:4545")
    >>> mp = meeting_points(hh, pd.Series({"a": "U1", "b": "U1", "c": "U2"}), {"U1": "b", "U2": "c"})
    >>> mp[["unit_id", "hid"]].values.tolist(), mp.geometry.x.tolist()
    ([['U1', 'b'], ['U2', 'c']], [60.0, 120.0])
    >>> units = pd.DataFrame({"unit_id": ["U1", "U2"], "n_households": [2, 1], "meeting_hid": ["a", "c"]})
    >>> meeting_points(hh, pd.Series({"a": "U1", "b": "U1", "c": "U2"}), units).hid.tolist()  # a units_ table
    ['a', 'c']
    """
    from yuanluo.gis.check import meeting_series

    crs = _hh_crs(households)
    problems: list[Problem] = []
    xy = _point_xy(households, problems)
    values = _aligned_labels(households, labels, problems)
    given = meeting_hid if isinstance(meeting_hid, pd.Series | Mapping) else meeting_series(meeting_hid)
    meet = pd.Series(given, dtype=object).dropna()
    meet.index = meet.index.astype(str)
    meet = meet.astype(str).sort_index()
    pos = pd.Index(households.index.astype(str)).get_indexer(meet.to_numpy())
    unknown = pos < 0
    wrong = np.zeros(len(meet), dtype=bool)
    wrong[~unknown] = values[pos[~unknown]] != meet.index.to_numpy()[~unknown]
    if unknown.any():
        problems.append(problem("UNIT-MEETING", ids=[f"{u}:{h}" for u, h in meet[unknown].items()],
                                detail=both("units.meeting.unknown")))
    if wrong.any():
        problems.append(problem("UNIT-MEETING", ids=[f"{u}:{h}" for u, h in meet[wrong].items()],
                                detail=both("units.meeting.other")))
    if problems:
        raise InputError(problems)
    if not len(meet):
        return _empty_gdf(["unit_id", "hid", "geometry"], crs)
    pts = shapely.points(xy[pos])
    return gpd.GeoDataFrame(
        {"unit_id": pd.Series(meet.index.to_numpy(), dtype=object),
         "hid": pd.Series(meet.to_numpy(), dtype=object)},
        geometry=list(pts), crs=crs,
    )


# ---------------------------------------------------------------------------------------------- adjacency
def _edge_unit_pairs(graph: TerrainGraph, node_codes: np.ndarray) -> pd.DataFrame:
    """Per pair of distinct units joined by graph edges: codes a < b, n_edges, min_walk_min."""
    cu, cv = node_codes[graph.u], node_codes[graph.v]
    keep = (cu >= 0) & (cv >= 0) & (cu != cv)
    a, b = np.minimum(cu[keep], cv[keep]), np.maximum(cu[keep], cv[keep])
    df = pd.DataFrame({"a": a, "b": b, "w": graph.walk_min[keep]})
    agg = df.groupby(["a", "b"], sort=True).agg(n_edges=("w", "size"), min_walk_min=("w", "min"))
    return agg.reset_index()


def unit_adjacency(
    households: gpd.GeoDataFrame,
    labels: pd.Series,
    graph: TerrainGraph,
    meeting: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Pairs of units whose households are graph neighbours.

    Parameters
    ----------
    households : GeoDataFrame
        Household points in a projected CRS, index ``hid``.
    labels : Series
        Unit id per ``hid``; unassigned households take part in no pair.
    graph : TerrainGraph
        The household graph (same CRS); its ``ids`` must be households.
    meeting : GeoDataFrame, optional
        Meeting points (:func:`meeting_points`). A unit without one uses the mean position of its
        households as the end of the line.

    Returns
    -------
    GeoDataFrame
        ``unit_a < unit_b`` (string order), ``n_edges`` (graph edges between the two units),
        ``min_walk_min`` (the shortest of those edges in walking minutes) and a LineString from
        the meeting point of ``unit_a`` to that of ``unit_b``; sorted by ``(unit_a, unit_b)``.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 60, 120], [0, 0, 0]),
    ...                       index=pd.Index(["a", "b", "c"], name="hid"), crs="EPSG:4545")
    >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)],
    ...                             crs="EPSG:4545")
    >>> adj = unit_adjacency(hh, pd.Series({"a": "U1", "b": "U1", "c": "U2"}), g)
    >>> adj[["unit_a", "unit_b", "n_edges"]].values.tolist(), round(float(adj["min_walk_min"][0]), 2)
    ([['U1', 'U2', 1]], 0.9)
    """
    crs = _hh_crs(households)
    problems: list[Problem] = []
    if not graph.crs.equals(crs):
        problems.append(problem("UNIT-CRS", what="graph", crs=graph.crs.to_string(), hh_crs=crs.to_string()))
    xy = _point_xy(households, problems)
    values = _aligned_labels(households, labels, problems)
    hids = pd.Index(households.index.astype(str))
    gpos = hids.get_indexer(graph.ids)
    if (gpos < 0).any():
        problems.append(problem("UNIT-LABEL-UNKNOWN", ids=graph.ids[gpos < 0]))
    if meeting is not None and len(meeting) and meeting.crs is not None and not CRS.from_user_input(
        meeting.crs
    ).equals(crs):
        problems.append(problem("UNIT-CRS", what="meeting points", crs=str(meeting.crs), hh_crs=crs.to_string()))
    if problems:
        raise (CRSError if all(p.code == "UNIT-CRS" for p in problems) else InputError)(problems)

    codes, units = _unit_codes(values)
    pairs = _edge_unit_pairs(graph, codes[gpos])
    if not len(pairs):
        return _empty_gdf(ADJACENCY_COLUMNS, crs)

    # end point of each unit: meeting point, else the mean of its households
    ends = np.full((len(units), 2), np.nan)
    a = codes >= 0
    sums = np.zeros((len(units), 2))
    np.add.at(sums, codes[a], xy[a])
    ends[:] = sums / np.maximum(np.bincount(codes[a], minlength=len(units)), 1)[:, None]
    if meeting is not None and len(meeting):
        mcode = pd.Index(units).get_indexer(meeting["unit_id"].astype(str).to_numpy())
        mxy = shapely.get_coordinates(np.asarray(meeting.geometry.array, dtype=object))[:, :2]
        ok = mcode >= 0
        ends[mcode[ok]] = mxy[ok]
    ia, ib = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    lines = shapely.linestrings(np.stack([ends[ia], ends[ib]], axis=1))
    unit_arr = np.asarray(units, dtype=object)
    return gpd.GeoDataFrame(
        {
            "unit_a": pd.Series(unit_arr[ia], dtype=object),
            "unit_b": pd.Series(unit_arr[ib], dtype=object),
            "n_edges": pairs["n_edges"].to_numpy(dtype=np.int64),
            "min_walk_min": pairs["min_walk_min"].to_numpy(dtype=float),
        },
        geometry=list(lines),
        crs=crs,
    )


# ---------------------------------------------------------------------------------------------- unit graph
def neighbour_pairs(adjacency: pd.DataFrame | None, territories: Any = None) -> list[tuple[str, str]]:
    """Neighbouring units: those the ``unit_adjacency`` table pairs (households linked by the graph) and those
    whose territories touch (across a river, say): the pairs the maps and the QGIS style colour apart.

    >>> t = gpd.GeoDataFrame({"unit_id": ["A", "B", "C"]},
    ...                      geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)])
    >>> neighbour_pairs(pd.DataFrame({"unit_a": ["A"], "unit_b": ["C"]}), t)
    [('A', 'C'), ('A', 'B')]
    """
    pairs: list[tuple[str, str]] = []
    if adjacency is not None and {"unit_a", "unit_b"} <= set(adjacency.columns):
        pairs += zip(adjacency["unit_a"].astype(str), adjacency["unit_b"].astype(str), strict=True)
    if territories is not None and getattr(territories, "_geometry_column_name", None) \
            and "unit_id" in territories.columns and len(territories):
        pairs += touching_pairs(territories)
    return pairs


def touching_pairs(territories: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """Pairs of units whose territories touch or overlap (sharing at least a point), each once, sorted.

    >>> t = gpd.GeoDataFrame({"unit_id": ["A", "B", "C"]},
    ...                      geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)])
    >>> touching_pairs(t)
    [('A', 'B')]
    """
    geoms = np.asarray(territories.geometry.array, dtype=object)
    ids = territories["unit_id"].astype(str).to_numpy()
    nonempty = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms, ids = geoms[nonempty], ids[nonempty]
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    keep = ids[i] != ids[j]
    a = np.minimum(ids[i][keep], ids[j][keep])
    b = np.maximum(ids[i][keep], ids[j][keep])
    return sorted(set(zip(a.tolist(), b.tolist(), strict=True)))








