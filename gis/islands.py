"""Islands: which edges pruned only for length may join a unit, one rule for the delineator, the check and the repair.

An *island* is a piece of the graph's own (short) edges that the short edges cut off from the rest of its nest
group. The delineator joins an island whose size cannot make a unit over the cheapest edge pruned only for length
within ``Rules.join_limit_min`` (:func:`yuanluo.gis.delineate.prepare.island_joins`); the check counts a unit
joined over such an edge as whole (PLAN-LONG-JOIN, :func:`yuanluo.gis.check.long_joins`) and so does the repair.
All three take the edges :func:`island_links` gives.

Pieces are found without the households no unit can take through (:func:`node_zones`): a household heavier than
the ceiling (it is a unit of its own) and the households of a unit kept as it stands (a locked unit, as a result
records it: ``status`` ``locked``; the delineator redraws the others without them). Each such unit is a zone of
its own, each heavy household too; the other households are one zone. A long edge joins an island when its ends
lie in one nest group and one zone (never a heavy household) and in two pieces of that zone's short edges. A long
edge inside one piece joins nothing cut off: two units interleaved along a street, each household joined to the
next but one over a long edge, are not contiguous (audit s32 ZA §5).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from yuanluo.gis.graph import TerrainGraph, length_joins

__all__ = ["HEAVY", "island_links", "node_zones", "short_pieces"]

#: the zone of a household heavier than the ceiling: a zone of its own, joined to nothing over a long edge
HEAVY = -1


def node_zones(n_nodes: int, pos: np.ndarray, weight: np.ndarray, hi: float, kept: np.ndarray | None = None
               ) -> np.ndarray:
    """Each graph node's zone for :func:`island_links`: :data:`HEAVY` for a household whose ``weight`` (its size:
    persons, or 1) is above ``hi`` (the ceiling), ``1 + kept[i]`` for a household of a unit kept as it stands
    (``kept``: each household's kept unit number, -1 for none), 0 for the others and for nodes that are no
    household (``pos``: each household's node).

    >>> node_zones(5, np.array([0, 1, 2, 3]), np.array([3, 20, 3, 3]), 15, np.array([-1, -1, 0, -1])).tolist()
    [0, -1, 1, 0, 0]
    """
    z = np.zeros(n_nodes, dtype=np.int64)
    pos = np.asarray(pos, dtype=np.int64)
    if kept is not None:
        k = np.asarray(kept, dtype=np.int64)
        z[pos[k >= 0]] = 1 + k[k >= 0]
    z[pos[np.asarray(weight, dtype=float) > hi]] = HEAVY
    return z


def island_links(g: TerrainGraph, limit: float, key: np.ndarray | None = None, zone: np.ndarray | None = None,
                 *, apart: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges pruned only for length within ``limit`` walking minutes (:func:`yuanluo.gis.graph.length_joins`)
    that join an island: their graph nodes and walking minutes. Both ends in one nest group (``key``: each
    node's group) and one zone (``zone``: :func:`node_zones`), neither heavy, and in two pieces of the short edges
    within one group and one zone (see the module docstring). Without ``key`` / ``zone``: one group, one zone.
    ``apart``: those between two nest groups too (they join no unit; the check reads them as what the nesting cuts
    off).

    >>> import pandas as pd
    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c", "d"], [[0, 0], [1, 0], [2, 0], [9, 0]], [0, 1], [1, 2],
    ...                  [1.0, 1.0], [1.0, 1.0])
    >>> g.cut = pd.DataFrame({"u": [0, 2], "v": [2, 3], "length_m": [200.0, 700.0], "walk_min": [2.0, 7.0],
    ...                       "reason": ["length", "length"]})
    >>> [a.tolist() for a in island_links(g, 20.0)]  # a–c lies inside the piece a, b, c: it joins nothing
    [[2], [3], [7.0]]

    b heavy, a cut off from c by it: a–c joins an island (the heavy household is no way through); c, d a locked
    unit (a zone of its own): a–c leads out of it and joins nothing, c–d joins its two pieces.

    >>> [a.tolist() for a in island_links(g, 20.0, zone=np.array([0, HEAVY, 0, 0]))]
    [[0, 2], [2, 3], [2.0, 7.0]]
    >>> [a.tolist() for a in island_links(g, 20.0, zone=np.array([0, 0, 1, 1]))]
    [[2], [3], [7.0]]
    """
    u, v, w = length_joins(g, limit)
    if not len(u):
        return u, v, w
    k = np.zeros(g.n, dtype=np.int64) if key is None else np.asarray(key, dtype=np.int64)
    z = np.zeros(g.n, dtype=np.int64) if zone is None else np.asarray(zone, dtype=np.int64)
    piece = short_pieces(g, k, z)
    keep = _together(k, z, u, v) & (piece[u] != piece[v])
    if apart:
        keep |= k[u] != k[v]
    return u[keep], v[keep], w[keep]


def _together(key: np.ndarray, zone: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair of nodes ``a``, ``b`` lies in one nest group and one zone, neither heavy."""
    return (key[a] == key[b]) & (zone[a] == zone[b]) & (zone[a] != HEAVY)


def short_pieces(g: TerrainGraph, key: np.ndarray, zone: np.ndarray) -> np.ndarray:
    """Each graph node's piece of the short edges (the graph's own) within one nest group (``key``) and one zone
    (``zone``, :func:`node_zones`): a heavy household is a piece of its own.

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c", "d"], [[0, 0], [1, 0], [2, 0], [9, 0]], [0, 1], [1, 2],
    ...                  [1.0, 1.0], [1.0, 1.0])
    >>> short_pieces(g, np.zeros(4, dtype=np.int64), np.array([0, HEAVY, 0, 0])).tolist()
    [0, 1, 2, 3]
    """
    same = _together(key, zone, g.u, g.v)
    short = sp.coo_matrix((np.ones(int(same.sum())), (g.u[same], g.v[same])), shape=(g.n, g.n))
    return np.asarray(connected_components(short, directed=False)[1])
