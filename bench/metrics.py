"""Independent quality metrics of a delineation, for comparing Yuanluo with peer tools.

Every metric is computed from the labels alone (household id -> unit id) and the *same*
:class:`yuanluo.gis.graph.TerrainGraph` every tool was given, so no tool is judged by its own bookkeeping.

What is measured (see :func:`evaluate`):

* ``pct_in_bounds``: share of all households (unassigned ones included) that sit in a unit whose size
  is inside the rule's band ``[min_size, max_size]``.
* ``n_units``, size statistics, units under the floor / over the ceiling.
* ``n_broken``: units whose households do not form one connected piece of the terrain graph
  (a unit that needs a walk through another unit, or cannot be walked at all).
* ``n_river_units`` / ``n_river_joins``: units whose pieces are joined *only* through candidate edges
  the graph cut for a barrier (``"river"`` / ``"water"`` in ``graph.cut``): pieces that are one unit
  only if people cross the river where there is no bridge. ``n_river_joins`` counts the merges.
* ``n_long_units``: units whose pieces are joined through candidate edges cut only for ``"length"``
  (a long but possible walk, the way Yuanluo attaches isolated hamlets); ``n_scattered``: units whose
  pieces stay apart even with every cut candidate edge put back (no walkable link at all, e.g. a
  k-means cluster spread over two valleys).
* Walking time from each household to its unit's meeting point, taken as the **medoid** of the unit
  (the household with the smallest total shortest-path walking time to the others, inside the unit).
  For a broken unit the shortest paths run over the whole graph plus the walkable cut edges
  (``"length"``); households that still cannot reach the medoid (only across a barrier, or not at
  all) are counted in ``n_unreachable`` and left out of the means.

The numeric core works on node positions (``graph.ids`` order) with :mod:`scipy.sparse.csgraph`;
the only Python loop is over units, never over households.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from yuanluo.gis.errors import InputError, problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

__all__ = [
    "BARRIER_REASONS",
    "WALKABLE_CUT_REASONS",
    "evaluate",
    "unit_codes",
    "unit_pieces",
    "barrier_joins",
    "walk_to_medoid",
]

#: ``graph.cut`` reasons that mean "a barrier on the ground" (not merely a long walk).
BARRIER_REASONS: tuple[str, ...] = ("river", "water")
#: ``graph.cut`` reasons of edges that can still be walked (only long).
WALKABLE_CUT_REASONS: tuple[str, ...] = ("length",)



def unit_codes(labels: pd.Series, graph: TerrainGraph) -> tuple[np.ndarray, np.ndarray]:
    """Integer unit code of every graph node (``-1`` = unassigned) and the sorted unit ids.

    Parameters
    ----------
    labels : Series
        Indexed by household id; values are unit ids, missing = unassigned. Ids absent from the
        labels are unassigned.
    graph : TerrainGraph

    Returns
    -------
    codes : ndarray of int, shape (n,)
        ``codes[i]`` is the position of node ``i``'s unit in ``unit_ids``, or ``-1``.
    unit_ids : ndarray of str
        Unit ids, sorted.

    Raises
    ------
    InputError
        ``BENCH-LABELS`` when the labels have duplicated ids or ids not in the graph.

    Examples
    --------
    >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [1, 0], [2, 0]], [(0, 1), (1, 2)],
    ...                             crs="EPSG:32631")
    >>> codes, units = unit_codes(pd.Series({"c": "U2", "a": "U1"}), g)
    >>> codes.tolist(), units.tolist()
    ([0, -1, 1], ['U1', 'U2'])
    """
    idx = pd.Index(labels.index.astype(str))
    problems = []
    dup = idx[idx.duplicated()].unique()
    if len(dup):
        problems.append(problem("BENCH-LABELS", ids=sorted(dup), detail="duplicated household ids"))
    unknown = idx.difference(pd.Index(graph.ids))
    if len(unknown):
        problems.append(problem("BENCH-LABELS", ids=sorted(unknown), detail="household ids not in the graph"))
    if problems:
        raise InputError(problems)
    values = pd.Series(labels.to_numpy(dtype=object), index=idx).reindex(pd.Index(graph.ids))
    present = values.notna().to_numpy()
    codes = np.full(graph.n, -1, dtype=np.int64)
    strs = values[present].astype(str).to_numpy(dtype=str)
    unit_ids, inv = np.unique(strs, return_inverse=True)
    codes[present] = inv.ravel()
    return codes, unit_ids.astype(str)


def _pieces(codes: np.ndarray, n_units: int, n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Number of connected pieces of each unit, using only edges (u, v) inside one unit."""
    same = (codes[u] == codes[v]) & (codes[u] >= 0)
    a = sp.coo_matrix((np.ones(int(same.sum())), (u[same], v[same])), shape=(n, n)).tocsr()
    _, comp = connected_components(a, directed=False)
    assigned = codes >= 0
    pairs = np.unique(np.c_[codes[assigned], comp[assigned]], axis=0)
    return np.bincount(pairs[:, 0], minlength=n_units) if len(pairs) else np.zeros(n_units, dtype=np.int64)


def _cut_edges(graph: TerrainGraph, reasons: Iterable[str] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u, v, walk_min) of the cut candidate edges with one of ``reasons`` (all when None)."""
    cut = graph.cut
    if cut is None or len(cut) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0)
    sel = np.ones(len(cut), dtype=bool) if reasons is None else cut["reason"].astype(str).isin(list(reasons)).to_numpy()
    return (cut["u"].to_numpy(dtype=np.int64)[sel], cut["v"].to_numpy(dtype=np.int64)[sel],
            cut["walk_min"].to_numpy(dtype=float)[sel])


def unit_pieces(codes: np.ndarray, graph: TerrainGraph) -> np.ndarray:
    """Number of connected pieces of each unit in the graph (1 = contiguous, >1 = broken).

    Examples
    --------
    ``a - b - c - d`` with units ``{a, c}`` and ``{b, d}``: both are broken.

    >>> g = TerrainGraph.from_edges(list("abcd"), [[0, 0], [1, 0], [2, 0], [3, 0]],
    ...                             [(0, 1), (1, 2), (2, 3)], crs="EPSG:32631")
    >>> unit_pieces(np.array([0, 1, 0, 1]), g).tolist()
    [2, 2]
    """
    n_units = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    return _pieces(codes, n_units, graph.n, graph.u, graph.v)


def barrier_joins(
    codes: np.ndarray, graph: TerrainGraph, reasons: Iterable[str] = BARRIER_REASONS
) -> np.ndarray:
    """Per unit, how many of its pieces are joined only by candidate edges cut for a barrier.

    A unit in 2 pieces on the graph that becomes 1 piece when the cut ``"river"`` edges inside the
    unit are put back is held together only by crossings of the river where there is no bridge: 1.

    Examples
    --------
    ``a - b ~river~ c - d``, one unit of all four: one river join.

    >>> g = TerrainGraph.from_edges(list("abcd"), [[0, 0], [1, 0], [2, 0], [3, 0]], [(0, 1), (2, 3)],
    ...                             crs="EPSG:32631")
    >>> g.cut = pd.DataFrame({"u": [1], "v": [2], "length_m": [1.0], "walk_min": [0.1],
    ...                       "reason": ["river"]})
    >>> barrier_joins(np.zeros(4, dtype=int), g).tolist()
    [1]
    """
    n_units = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    cu, cv, _ = _cut_edges(graph, list(reasons))
    if n_units == 0 or len(cu) == 0:
        return np.zeros(n_units, dtype=np.int64)
    base = _pieces(codes, n_units, graph.n, graph.u, graph.v)
    joined = _pieces(codes, n_units, graph.n, np.r_[graph.u, cu], np.r_[graph.v, cv])
    return np.asarray(base - joined, dtype=np.int64)


def walk_to_medoid(
    codes: np.ndarray, graph: TerrainGraph, walkable_cut: Iterable[str] = WALKABLE_CUT_REASONS
) -> tuple[np.ndarray, np.ndarray]:
    """Walking minutes from every household to its unit's medoid, and the medoid of every unit.

    The medoid minimises (number of unit members it cannot reach, total walking time to the
    members it reaches); ties go to the lowest node position. Inside a contiguous unit, shortest
    paths stay inside the unit; for a broken unit they run over the whole graph plus the cut edges
    whose reason is in ``walkable_cut`` (long walks, not barriers).

    Returns
    -------
    walk : ndarray of float, shape (n,)
        Minutes to the medoid; ``inf`` if unreachable, ``nan`` for unassigned households.
    medoid : ndarray of int, shape (n_units,)
        Node position of each unit's medoid.

    Examples
    --------
    Path ``a -1- b -2- c`` (minutes) as one unit: the medoid is ``b``.

    >>> g = TerrainGraph.from_edges(list("abc"), [[0, 0], [1, 0], [2, 0]], [(0, 1), (1, 2)],
    ...                             crs="EPSG:32631", walk_min=[1.0, 2.0])
    >>> walk, med = walk_to_medoid(np.zeros(3, dtype=int), g)
    >>> walk.tolist(), med.tolist()
    ([1.0, 0.0, 2.0], [1])
    """
    n = graph.n
    n_units = int(codes.max()) + 1 if n and codes.max() >= 0 else 0
    walk = np.full(n, np.nan)
    medoid = np.full(n_units, -1, dtype=np.int64)
    if n_units == 0:
        return walk, medoid
    cu, cv, cw = _cut_edges(graph, list(walkable_cut))
    fw = np.where(np.r_[graph.walk_min, cw] > 0, np.r_[graph.walk_min, cw], 1e-9)
    fu, fv = np.r_[graph.u, cu], np.r_[graph.v, cv]
    full = sp.coo_matrix((np.r_[fw, fw], (np.r_[fu, fv], np.r_[fv, fu])), shape=(n, n)).tocsr()
    same = (codes[graph.u] == codes[graph.v]) & (codes[graph.u] >= 0)
    w = np.where(graph.walk_min > 0, graph.walk_min, 1e-9)[same]
    uu, vv = graph.u[same], graph.v[same]
    inside = sp.coo_matrix((np.r_[w, w], (np.r_[uu, vv], np.r_[vv, uu])), shape=(n, n)).tocsr()
    pieces = _pieces(codes, n_units, n, graph.u, graph.v)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, np.arange(n_units), side="left")
    ends = np.searchsorted(sorted_codes, np.arange(n_units), side="right")
    for k in range(n_units):
        members = order[starts[k]:ends[k]]  # ascending node positions (stable sort)
        if pieces[k] <= 1:
            sub = inside[members][:, members]
            d = dijkstra(sub, directed=False)
        else:
            d = dijkstra(full, directed=False, indices=members)[:, members]
        finite = np.isfinite(d)
        n_inf = (~finite).sum(axis=1)
        total = np.where(finite, d, 0.0).sum(axis=1)
        best = int(np.lexsort((total, n_inf))[0])
        medoid[k] = members[best]
        walk[members] = d[best]
    return walk, medoid


def _sizes(codes: np.ndarray, n_units: int, rules: Rules, households: Any, graph: TerrainGraph) -> np.ndarray:
    assigned = codes >= 0
    if rules.size_by == "persons" and households is not None and "persons" in households.columns:
        persons = pd.Series(households["persons"].to_numpy(), index=households.index.astype(str))
        p = persons.reindex(pd.Index(graph.ids)).fillna(0).to_numpy(dtype=float)
        return np.bincount(codes[assigned], weights=p[assigned], minlength=n_units)
    return np.bincount(codes[assigned], minlength=n_units).astype(float)


def evaluate(
    labels: pd.Series,
    graph: TerrainGraph,
    rules: Rules,
    *,
    households: Any = None,
    barrier_reasons: Iterable[str] = BARRIER_REASONS,
) -> dict[str, Any]:
    """All metrics of one delineation as a flat, JSON-ready dict.

    Parameters
    ----------
    labels : Series
        Household id -> unit id; missing or absent = unassigned.
    graph : TerrainGraph
        The graph every compared tool was given.
    rules : Rules
        Size band; with ``size_by="persons"`` the ``persons`` column of ``households`` is summed.
    households : GeoDataFrame, optional
        Needed only for ``size_by="persons"``.
    barrier_reasons : iterable of str
        ``graph.cut`` reasons that count as a barrier crossing.

    Returns
    -------
    dict
        ``n_households, n_unassigned, n_units, size_min, size_median, size_max, n_under, n_over,
        pct_in_bounds, n_broken, n_river_units, n_river_joins, n_long_units, n_scattered, mean_walk_min,
        p90_walk_min,
        max_walk_min, n_unreachable``.

    Examples
    --------
    >>> g = TerrainGraph.from_edges(list("abcd"), [[0, 0], [60, 0], [120, 0], [180, 0]],
    ...                             [(0, 1), (1, 2), (2, 3)], crs="EPSG:32631")
    >>> m = evaluate(pd.Series(["U1", "U1", "U2", "U1"], index=list("abcd")), g, Rules(2, 3))
    >>> m["n_units"], m["pct_in_bounds"], m["n_broken"]
    (2, 75.0, 1)
    """
    codes, unit_ids = unit_codes(labels, graph)
    n_units = len(unit_ids)
    sizes = _sizes(codes, n_units, rules, households, graph)
    ok_unit = (sizes >= rules.min_size) & (sizes <= rules.max_size)
    assigned = codes >= 0
    in_bounds = np.zeros(graph.n, dtype=bool)
    in_bounds[assigned] = ok_unit[codes[assigned]]
    pieces = unit_pieces(codes, graph)
    joins = barrier_joins(codes, graph, barrier_reasons)
    long_joins = barrier_joins(codes, graph, WALKABLE_CUT_REASONS)
    cu, cv, _ = _cut_edges(graph, None)
    pieces_all = _pieces(codes, n_units, graph.n, np.r_[graph.u, cu], np.r_[graph.v, cv])
    walk, _ = walk_to_medoid(codes, graph)
    reach = np.isfinite(walk)
    w = walk[reach]
    n = graph.n
    return {
        "n_households": int(n),
        "n_unassigned": int((~assigned).sum()),
        "n_units": int(n_units),
        "size_min": float(sizes.min()) if n_units else None,
        "size_median": float(np.median(sizes)) if n_units else None,
        "size_max": float(sizes.max()) if n_units else None,
        "n_under": int((sizes < rules.min_size).sum()),
        "n_over": int((sizes > rules.max_size).sum()),
        "pct_in_bounds": round(100.0 * float(in_bounds.sum()) / n, 2) if n else None,
        "n_broken": int((pieces > 1).sum()),
        "n_river_units": int((joins > 0).sum()),
        "n_river_joins": int(joins.sum()),
        "n_long_units": int((long_joins > 0).sum()),
        "n_scattered": int((pieces_all > 1).sum()),
        "mean_walk_min": round(float(w.mean()), 3) if len(w) else None,
        "p90_walk_min": round(float(np.percentile(w, 90)), 3) if len(w) else None,
        "max_walk_min": round(float(w.max()), 3) if len(w) else None,
        "n_unreachable": int((assigned & ~reach).sum()),
    }
