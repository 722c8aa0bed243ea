"""The terrain-aware household neighbour graph.

Pipeline of :func:`build_graph`::

    households ──► unique locations ──► Delaunay (or a chain when collinear) ──► location edges
        │                                                    │
        │  co-located households: clique of 0 m edges        ├─ walking time (yuanluo.gis.cost, DEM profile)
        │                                                    ├─ barriers (yuanluo.gis.barriers: river / water)
        ▼                                                    ▼
    household edges (every household pair of two adjacent locations) ──► prune by walking time
    ("length"), except inside a natural settlement ──► TerrainGraph (kept edges + ``cut`` table)

A candidate edge is cut for ``"river"`` / ``"water"`` whatever the settlement; it is cut for
``"length"`` when its walking time exceeds ``max_walk_min`` and its two households do not share a
``settlement`` value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from yuanluo.gis.barriers import DEFAULT_PASSABLE, cut_edges, prepare_barriers
from yuanluo.gis.catalogue import LANGS, both
from yuanluo.gis.cost import FLAT_SPEED_KMH, SPEED_MODEL, walk_times
from yuanluo.gis.errors import CRSError, InputError, given_name, problem, require_metric, warn_problems
from yuanluo.gis.graph import CUT_COLUMNS, TerrainGraph

if TYPE_CHECKING:
    from yuanluo.gis.terrain import Terrain

__all__ = ["build_graph", "candidate_location_edges"]

#: Co-located groups larger than this are linked as a star plus a chain instead of a clique.
CLIQUE_MAX = 100
#: Locations closer than this (metres) are one location.
SNAP_M = 1e-3



# ------------------------------------------------------------------------------ numeric core
def _chain_order(pts: np.ndarray) -> np.ndarray:
    """Order of points along their principal axis (ties by position)."""
    c = pts - pts.mean(axis=0)
    _, _, vt = np.linalg.svd(c, full_matrices=False)
    t = c @ vt[0]
    return np.lexsort((np.arange(len(pts)), t))


def candidate_location_edges(pts: np.ndarray) -> tuple[np.ndarray, str]:
    """Delaunay edges (a < b) between distinct points, and the method used.

    Falls back to a chain along the principal axis when the points are collinear (Qhull cannot
    triangulate them). Points Qhull still leaves out (``coplanar``) are joined to their nearest vertex.

    Examples
    --------
    >>> e, how = candidate_location_edges(np.array([[0, 0], [1, 0], [0, 1], [1, 1.1]]))
    >>> how, e.tolist()
    ('delaunay', [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]])
    >>> candidate_location_edges(np.array([[0, 0], [2, 2], [1, 1]]))[0].tolist()
    [[0, 2], [1, 2]]
    """
    n = len(pts)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64), "none"
    if n == 2:
        return np.array([[0, 1]], dtype=np.int64), "pair"
    c = pts - pts.mean(axis=0)
    sv = np.linalg.svd(c, compute_uv=False)
    method = "delaunay"
    edges = None
    if sv[1] > 1e-9 * max(sv[0], 1.0):
        from scipy.spatial import Delaunay, QhullError

        try:
            tri = Delaunay(c)
        except QhullError:
            tri = None
        if tri is not None:
            s = tri.simplices
            e = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
            if len(tri.coplanar):
                e = np.vstack([e, tri.coplanar[:, [0, 2]]])
            edges = e
    if edges is None:
        method = "chain"
        order = _chain_order(pts)
        edges = np.column_stack([order[:-1], order[1:]])
    edges = np.sort(edges.astype(np.int64), axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]
    code = np.unique(edges[:, 0] * np.int64(n) + edges[:, 1])  # 1-D unique: much faster than axis=0
    return np.column_stack([code // n, code % n]), method


def _colocated_edges(members: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Zero-length edges among households sharing a location (clique, or star+chain if huge)."""
    out = [np.empty((0, 2), dtype=np.int64)]
    for k in np.unique(counts[counts > 1]):
        locs = np.nonzero(counts == k)[0]
        grp = members[starts[locs][:, None] + np.arange(k)[None, :]]  # (g, k) node positions
        if k <= CLIQUE_MAX:
            i, j = np.triu_indices(k, 1)
        else:
            i = np.r_[np.zeros(k - 1, dtype=np.int64), np.arange(1, k - 1)]
            j = np.r_[np.arange(1, k), np.arange(2, k)]
        out.append(np.column_stack([grp[:, i].ravel(), grp[:, j].ravel()]))
    return np.vstack(out)


def _expand_location_edges(
    le: np.ndarray, members: np.ndarray, starts: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Household edges for every household pair of two adjacent locations; returns (u, v, loc_edge)."""
    ka, kb = counts[le[:, 0]], counts[le[:, 1]]
    npair = ka * kb
    rep = np.repeat(np.arange(len(le)), npair)
    t = np.arange(len(rep)) - np.repeat(np.cumsum(npair) - npair, npair)
    i, j = t // kb[rep], t % kb[rep]
    hu = members[starts[le[rep, 0]] + i]
    hv = members[starts[le[rep, 1]] + j]
    return np.minimum(hu, hv), np.maximum(hu, hv), rep


# ------------------------------------------------------------------------------ adapter
def require_households(households: Any) -> None:
    """``HOUSEHOLDS-TYPE`` unless ``households`` is a GeoDataFrame with a geometry column (a plain table, a file
    name or a graph given in its place says what it is and how to make one), ``HOUSEHOLDS-INDEX`` for an index of
    several levels, ``CRS-UNSET`` or ``CRS-PROJECTED`` unless it is in a projected CRS in metres (``require_metric``).

    >>> import pandas as pd
    >>> try:
    ...     require_households(pd.DataFrame({"x": [1]}))
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["given"]["en"])
    HOUSEHOLDS-TYPE DataFrame
    """
    import geopandas as gpd

    if not isinstance(households, gpd.GeoDataFrame):
        raise InputError(problem("HOUSEHOLDS-TYPE", given=dict.fromkeys(LANGS, given_name(households))))
    try:
        households.geometry  # noqa: B018 - a GeoDataFrame may have no geometry column set
    except AttributeError:
        raise InputError(problem("HOUSEHOLDS-TYPE", given=both("households.no_geometry"))) from None
    require_id_index(households)
    require_metric(households, "households", "hh")


def require_id_index(households: pd.DataFrame) -> None:
    """``HOUSEHOLDS-INDEX`` when the index of ``households`` has more than one level (a MultiIndex, as
    ``set_index([...])`` or a ``groupby`` leaves it): its fix keeps the level of household ids (one named
    ``hid``, else the last level whose values are all different, else the last) and turns the others back into
    columns, or drops those a column already has the name of.

    >>> import pandas as pd
    >>> hh = pd.DataFrame({"village": ["V1", "V1"], "hid": ["a", "b"], "persons": [2, 3]})
    >>> try:
    ...     require_id_index(hh.set_index(["village", "hid"], drop=False))
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["call"])
    HOUSEHOLDS-INDEX hh = hh.droplevel(['village'])
    >>> try:
    ...     require_id_index(hh.set_index(["village", "hid"]))
    ... except InputError as e:
    ...     print(e.problems[0].params["call"])
    hh = hh.reset_index(level=['village'])
    """
    index = households.index
    if index.nlevels == 1:
        _require_not_row_numbers(households)
        return
    levels = list(range(index.nlevels))
    names = [index.names[i] for i in levels]
    unique = [i for i in levels if index.get_level_values(i).is_unique]
    keep = names.index("hid") if "hid" in names else unique[-1] if unique else levels[-1]
    others = [names[i] if names[i] is not None and names.count(names[i]) == 1 else i for i in levels if i != keep]
    drop = [o for o in others if isinstance(o, str) and o in households.columns]
    reset = [o for o in others if o not in drop]
    code = "hh = hh" + (f".reset_index(level={reset!r})" if reset else "") + (f".droplevel({drop!r})" if drop else "")
    shown = [str(n) if n is not None else "-" for n in names]
    raise InputError(problem("HOUSEHOLDS-INDEX", levels=index.nlevels, names=shown, call=code))


#: columns that hold household ids where a frame read by geopandas keeps them (its index being row numbers)
ID_COLUMNS = ("hid", "户编号")


def _require_not_row_numbers(households: pd.DataFrame) -> None:
    """``HOUSEHOLDS-ROW-IDS`` when the index is plain row numbers (an unnamed RangeIndex, or the integer index
    a filter of one leaves) and the frame has a column of household ids (``hid`` or ``户编号``), as
    ``geopandas.read_file`` gives: the row numbers would become the household ids of every graph, meeting point
    and head. The column is not taken silently; the fix sets it as the index (frames of
    :func:`yuanluo.read_households` and :func:`yuanluo.gis.synth.make_village` have their ids as the index).

    >>> import pandas as pd
    >>> try:
    ...     require_id_index(pd.DataFrame({"hid": ["a", "b"]}))
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["call"])
    HOUSEHOLDS-ROW-IDS hh = hh.set_index("hid")
    >>> require_id_index(pd.DataFrame({"hid": ["a", "b"]}).set_index("hid"))
    """
    index = households.index
    if index.name is not None or not (isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index)):
        return
    column = next((c for c in ID_COLUMNS if c in households.columns), None)
    if column is not None:
        raise InputError(problem("HOUSEHOLDS-ROW-IDS", column=column, call=f'hh = hh.set_index("{column}")'))


def _require_graph_inputs(terrain: Any, layers: dict[str, Any], max_walk_min: Any = 10.0) -> None:
    """``GRAPH-TERRAIN-TYPE`` for a ``terrain`` that is not a :class:`~yuanluo.gis.terrain.Terrain` (an elevation
    array such as a synthetic village's ``dem``, or a file name), ``GRAPH-LAYER-PATH`` for a file name given
    as ``rivers``/``water``/``roads`` (a layer read in, or its geometries, is expected), ``GRAPH-MAX-WALK`` for
    a ``max_walk_min`` that is not a finite number above 0 (``"10"``, ``-1``: every edge would be cut).

    >>> import numpy as np
    >>> try:
    ...     _require_graph_inputs(np.zeros((2, 2)), {"rivers": "context.gpkg"}, "10")
    ... except InputError as e:
    ...     print(e.codes)
    ['GRAPH-TERRAIN-TYPE', 'GRAPH-MAX-WALK', 'GRAPH-LAYER-PATH']
    """
    import inspect
    import math
    import numbers
    import os

    probs = []
    if terrain is not None and not (hasattr(terrain, "crs") and hasattr(terrain, "elevation")):
        probs.append(problem("GRAPH-TERRAIN-TYPE", given=given_name(terrain)))
    number = isinstance(max_walk_min, numbers.Real) and not isinstance(max_walk_min, bool | np.bool_)
    if not number or not math.isfinite(float(max_walk_min)) or float(max_walk_min) <= 0:
        default = inspect.signature(build_graph).parameters["max_walk_min"].default
        plain = not number or isinstance(max_walk_min, int | float)  # a numpy number: said by its value
        probs.append(problem("GRAPH-MAX-WALK", given=given_name(max_walk_min if plain else float(max_walk_min)),
                             default=f"{default:g}"))
    for kind, layer in layers.items():
        if isinstance(layer, str | os.PathLike):
            probs.append(problem("GRAPH-LAYER-PATH", keyword=kind, given=given_name(str(layer)),
                                 call=f"read_layer({str(layer)!r}, kind={kind!r}, working_crs=hh.crs)"))
    if probs:
        raise InputError(probs)


def _check_households(households: Any) -> tuple[CRS, np.ndarray, np.ndarray]:
    require_households(households)
    crs = CRS.from_user_input(households.crs)
    ids = np.asarray(households.index.astype(str))
    geom = households.geometry.values
    bad = shapely.is_missing(geom) | shapely.is_empty(geom) | (shapely.get_type_id(geom) != 0)
    probs = []
    if bad.any():
        probs.append(problem("GRAPH-GEOM", ids=ids[bad].tolist()))
    else:
        xy0 = shapely.get_coordinates(geom)
        nonfinite = ~np.isfinite(xy0).all(axis=1)
        if nonfinite.any():
            probs.append(problem("GRAPH-GEOM", ids=ids[nonfinite].tolist()))
    dup = pd.Index(ids).duplicated(keep=False)
    if dup.any():
        probs.append(problem("GRAPH-ID", ids=sorted(set(ids[dup].tolist()))))
    if probs:
        raise InputError(probs)
    xy = shapely.get_coordinates(geom)
    return crs, ids, xy


def build_graph(
    households: Any,
    *,
    terrain: Terrain | None = None,
    rivers: Any = None,
    water: Any = None,
    roads: Any = None,
    max_walk_min: float = 10.0,
    settlement_col: str = "settlement",
    passable_waterways: tuple[str, ...] = DEFAULT_PASSABLE,
    bridge_tolerance_m: float = 25.0,
    off_path_factor: float = 1.0,
    switchback_slope: float | None = 0.3,
    max_passable_width_m: float = 3.0,
) -> TerrainGraph:
    """Build the neighbour graph of households on the ground.

    Parameters
    ----------
    households : GeoDataFrame of points
        In a projected metric CRS; index = household id. Not modified. Row numbers as the index beside a
        ``hid`` (or ``户编号``) column, as ``geopandas.read_file`` gives, are ``HOUSEHOLDS-ROW-IDS``.
    terrain : Terrain, optional
        DEM in the same CRS (:func:`yuanluo.gis.terrain.read_dem`, or
        :func:`yuanluo.gis.terrain.terrain_from_array` for an elevation array); anything else (an array, a file
        name) is ``GRAPH-TERRAIN-TYPE``. Without it, walking is flat at ~5.04 km/h (Tobler at slope 0).
    rivers, water, roads : GeoDataFrame, optional
        Waterway lines (with an OSM ``waterway`` class and optional ``width``), water polygons and
        roads/paths (lines or polygons). Polygons among the rivers are water bodies; a land-use layer
        (``DLBM``/``DLMC``) keeps its water (road) classes only (:mod:`yuanluo.gis.barriers`).
        Reprojected to the households' CRS if needed. A layer of points only raises ``BARRIER-POINTS``; a file
        name, ``GRAPH-LAYER-PATH`` (read it with :func:`yuanluo.read_layer`). An invalid water polygon is repaired,
        one left with no area dropped: said in ``meta["problems"]`` as ``LAYER-WATER-INVALID`` for a layer passed
        in memory (one read by :func:`yuanluo.read_layer` said it as it was read).
    max_walk_min : float
        Candidate edges with a longer (symmetric) walk are cut for ``"length"`` unless both ends are
        in the same natural settlement. A finite number above 0 (else ``GRAPH-MAX-WALK``).
    settlement_col : str
        Column naming the natural settlement; ignored if absent. Missing values never match.
    passable_waterways : tuple of str
        Waterway classes that do not cut (default stream, ditch, drain).
    bridge_tolerance_m : float
        Distance within which a road crossing of the river counts as the edge's bridge.
    off_path_factor : float
        Speed factor of :func:`yuanluo.gis.cost.walk_times` (1.0: households are joined by paths).
    switchback_slope : float or None
        Critical gradient of :func:`yuanluo.gis.cost.walk_times` beyond which paths zigzag (None: pure Tobler).
    max_passable_width_m : float
        Channels with a numeric ``width`` above this always block.

    Returns
    -------
    TerrainGraph
        Kept edges sorted by (u, v), ``cut`` with the removed candidates, ``meta`` describing the build.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import points
    >>> h = gpd.GeoDataFrame(index=pd.Index(["a", "b", "c", "d"], name="hid"),
    ...                      geometry=points([[0, 0], [0, 0], [50, 0], [5000, 0]]), crs="EPSG:32631")
    >>> g = build_graph(h)
    >>> g.n, [(str(g.ids[a]), str(g.ids[b])) for a, b in zip(g.u, g.v)], g.cut.reason.tolist()
    (4, [('a', 'b'), ('a', 'c'), ('b', 'c')], ['length'])
    """
    _require_graph_inputs(terrain, {"rivers": rivers, "water": water, "roads": roads}, max_walk_min)
    crs, ids, xy = _check_households(households)
    if terrain is not None and CRS.from_user_input(terrain.crs) != crs:
        raise CRSError(problem("GRAPH-DEM-CRS", dem_crs=terrain.crs.to_string(), crs=crs.to_string()))
    loc_of, loc_xy = _locations(xy)
    members = np.argsort(loc_of, kind="stable")
    counts = np.bincount(loc_of, minlength=len(loc_xy))
    starts = np.cumsum(counts) - counts

    # ---- candidate location edges and their cost / barrier reason
    le, method = candidate_location_edges(loc_xy)
    pa, pb = loc_xy[le[:, 0]], loc_xy[le[:, 1]]
    w_ab, w_ba = walk_times(pa, pb, terrain, off_path_factor=off_path_factor,
                            switchback_slope=switchback_slope)
    problems: list[Any] = []
    if rivers is not None or water is not None or roads is not None:
        bl = prepare_barriers(
            crs, rivers=rivers, water=water, roads=roads, passable_waterways=passable_waterways,
            max_passable_width_m=max_passable_width_m, near=loc_xy,
        )
        problems.extend(bl.problems)
        loc_reason = cut_edges(pa, pb, bl, bridge_tolerance_m=bridge_tolerance_m)
        barrier_counts = bl.counts
    else:
        loc_reason = np.full(len(le), "", dtype=object)
        barrier_counts = {}

    edges = _household_edges(le, loc_of, loc_xy, (members, starts, counts), (w_ab, w_ba), loc_reason)
    n_settlement_kept = _prune_long(edges, households, settlement_col, max_walk_min)
    edges = edges.sorted()
    keep = edges.reason == ""
    reasons, rcounts = np.unique(edges.reason[~keep].astype(str), return_counts=True)
    meta: dict[str, Any] = {
        "speed_model": SPEED_MODEL,
        "flat_speed_kmh": round(FLAT_SPEED_KMH, 4),
        "off_path_factor": off_path_factor,
        "switchback_slope": switchback_slope,
        "walk_min_rule": "mean of the two directions",
        "max_walk_min": max_walk_min,
        "dem_used": terrain is not None,
        "dem_source": terrain.source if terrain is not None else None,
        "dem_res_m": terrain.res if terrain is not None else None,
        "triangulation": method,
        "n_households": len(ids),
        "n_locations": len(loc_xy),
        "n_colocated_locations": int((counts > 1).sum()),
        "n_colocated_edges": edges.n_colocated,
        "n_candidate_edges": len(edges.hu),
        "n_kept_edges": int(keep.sum()),
        "n_cut": {str(r): int(c) for r, c in zip(reasons, rcounts, strict=True)},
        "n_settlement_long_kept": n_settlement_kept,
        "settlement_col": settlement_col if settlement_col in households.columns else None,
        "barriers_applied": {
            "rivers": rivers is not None and (barrier_counts.get("rivers_blocking", 0)
                                              + barrier_counts.get("river_polygons", 0)) > 0,
            "water": water is not None and (barrier_counts.get("water_polygons", 0)
                                            - barrier_counts.get("river_polygons", 0)) > 0,
            "bridges_from_roads": roads is not None,
        },
        "barrier_counts": barrier_counts,
        "passable_waterways": list(passable_waterways),
        "bridge_tolerance_m": bridge_tolerance_m,
        "max_passable_width_m": max_passable_width_m,
        "problems": problems,
    }
    warn_problems(problems)  # in the language of YUANLUO_LANG
    return TerrainGraph(crs=crs, ids=ids, xy=xy, u=edges.hu[keep], v=edges.hv[keep], length_m=edges.length[keep],
                        walk_min=edges.walk[keep], walk_uv=edges.uv[keep], walk_vu=edges.vu[keep],
                        cut=edges.cut_table(), meta=meta)


def _locations(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique locations (snapped to :data:`SNAP_M`), numbered in the order of their first household.

    Returns the location of each household and the coordinates of each location.
    """
    n = len(xy)
    if not n:
        return np.empty(0, dtype=np.int64), np.empty((0, 2))
    key = np.round(xy / SNAP_M).astype(np.int64)
    srt = np.lexsort((np.arange(n), key[:, 1], key[:, 0]))
    ks = key[srt]
    new_loc = np.r_[True, (ks[1:] != ks[:-1]).any(axis=1)]
    inverse = np.empty(n, dtype=np.int64)
    inverse[srt] = np.cumsum(new_loc) - 1
    first_idx = srt[new_loc]  # first household (in input order) of each location
    # renumber locations by their first household so the order follows the input
    loc_order = np.argsort(first_idx, kind="stable")
    rank = np.empty_like(loc_order)
    rank[loc_order] = np.arange(len(loc_order))
    return rank[inverse], xy[first_idx[loc_order]]


@dataclass
class _Edges:
    """Candidate household edges (u < v): length, mean and directed walking times, cut reason ("" = kept)."""

    hu: np.ndarray
    hv: np.ndarray
    length: np.ndarray
    walk: np.ndarray
    uv: np.ndarray
    vu: np.ndarray
    reason: np.ndarray
    n_colocated: int

    def sorted(self) -> _Edges:
        """The same edges ordered by (u, v)."""
        order = np.lexsort((self.hv, self.hu))
        return _Edges(self.hu[order], self.hv[order], self.length[order], self.walk[order], self.uv[order],
                      self.vu[order], self.reason[order], self.n_colocated)

    def cut_table(self) -> pd.DataFrame:
        """The removed candidates as the ``cut`` table of :class:`TerrainGraph`."""
        drop = self.reason != ""
        return pd.DataFrame(
            {
                "u": self.hu[drop],
                "v": self.hv[drop],
                "length_m": self.length[drop],
                "walk_min": self.walk[drop],
                "reason": pd.array(self.reason[drop].astype(str), dtype="string"),
            },
            columns=CUT_COLUMNS,
        ).reset_index(drop=True)


def _household_edges(le: np.ndarray, loc_of: np.ndarray, loc_xy: np.ndarray,
                     groups: tuple[np.ndarray, np.ndarray, np.ndarray], walk: tuple[np.ndarray, np.ndarray],
                     loc_reason: np.ndarray) -> _Edges:
    """Every household pair of two adjacent locations, plus 0 m edges among co-located households.

    ``groups`` is (members, starts, counts) of the households per location, ``walk`` the directed
    times (a -> b, b -> a) of the location edges ``le``.
    """
    members, starts, counts = groups
    w_ab, w_ba = walk
    hu, hv, rep = _expand_location_edges(le, members, starts, counts)
    # orient directed times to (hu, hv): rep's location edge goes le[:,0] -> le[:,1]
    forward = loc_of[hu] == le[rep, 0]
    e_uv = np.where(forward, w_ab[rep], w_ba[rep])
    e_vu = np.where(forward, w_ba[rep], w_ab[rep])
    e_len = np.hypot(*(loc_xy[le[rep, 0]] - loc_xy[le[rep, 1]]).T)
    e_reason = loc_reason[rep].astype(object)
    co = _colocated_edges(members, starts, counts)
    co = np.sort(co, axis=1)
    hu = np.r_[hu, co[:, 0]]
    hv = np.r_[hv, co[:, 1]]
    e_uv = np.r_[e_uv, np.zeros(len(co))]
    e_vu = np.r_[e_vu, np.zeros(len(co))]
    e_len = np.r_[e_len, np.zeros(len(co))]
    e_reason = np.r_[e_reason, np.full(len(co), "", dtype=object)]
    return _Edges(hu, hv, e_len, (e_uv + e_vu) / 2.0, e_uv, e_vu, e_reason, len(co))


def _prune_long(edges: _Edges, households: Any, settlement_col: str, max_walk_min: float) -> int:
    """Cut edges walked in more than ``max_walk_min`` for ``"length"``, except inside one settlement.

    Returns the number of long edges kept because both ends share a settlement.
    """
    long_ = (edges.walk > max_walk_min) & (edges.reason == "")
    n_settlement_kept = 0
    if settlement_col in households.columns and len(edges.hu):
        s = households[settlement_col].astype("string").to_numpy(dtype=object, na_value=None)
        same = _same_value(s, edges.hu, edges.hv)
        n_settlement_kept = int((long_ & same).sum())
        long_ &= ~same
    edges.reason = np.where(long_, "length", edges.reason).astype(object)
    return n_settlement_kept


def _same_value(s: np.ndarray, hu: np.ndarray, hv: np.ndarray) -> np.ndarray:
    """Whether households hu[i] and hv[i] share a non-missing value of ``s`` (vectorised)."""
    codes, _ = pd.factorize(pd.Series(s, dtype="object"), use_na_sentinel=True)
    cu, cv = codes[hu], codes[hv]
    return (cu >= 0) & (cu == cv)
