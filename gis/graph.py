"""The household neighbour graph: a numeric core with a networkx view.

A :class:`TerrainGraph` holds one node per household (in the order of ``ids``) and undirected edges
``u < v`` with their straight-line length in metres and walking time in minutes. Candidate edges that
were removed keep a record in ``cut`` with the reason (``"river"``, ``"length"`` ...), so a caller can
explain why two nearby households are not neighbours, and delineation can re-join an island by the
cheapest edge that was pruned *only for length*.

The graph always carries its CRS (projected, metres).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pyproj import CRS

from gis.errors import require_metric

CUT_COLUMNS = ["u", "v", "length_m", "walk_min", "reason"]


@dataclass
class TerrainGraph:
    """Undirected household graph.

    Attributes
    ----------
    crs : pyproj.CRS
        Projected CRS (metres) of ``xy``.
    ids : ndarray of str, shape (n,)
        Household ids; node ``i`` is household ``ids[i]``.
    xy : ndarray of float, shape (n, 2)
        Household coordinates in ``crs``.
    u, v : ndarray of int, shape (m,)
        Edge end nodes, ``u < v``, sorted by (u, v), no duplicates.
    length_m : ndarray of float, shape (m,)
        Straight-line length of each edge.
    walk_min : ndarray of float, shape (m,)
        Walking time of each edge in minutes, symmetric (the mean of both directions).
    walk_uv, walk_vu : ndarray of float, shape (m,)
        Directed walking times (u to v, v to u); equal to ``walk_min`` on flat ground.
    cut : DataFrame
        Candidate edges that were removed: columns ``u, v, length_m, walk_min, reason``.
    meta : dict
        How the graph was built (DEM used or not, speed model, limits, counts).
    """

    crs: CRS
    ids: np.ndarray
    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    walk_min: np.ndarray
    walk_uv: np.ndarray | None = None
    walk_vu: np.ndarray | None = None
    cut: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CUT_COLUMNS))
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.crs = CRS.from_user_input(self.crs)
        require_metric(self.crs, "graph")
        self.ids = np.asarray(self.ids).astype(str)
        self.xy = np.asarray(self.xy, dtype=float).reshape(-1, 2)
        u = np.asarray(self.u, dtype=np.int64)
        v = np.asarray(self.v, dtype=np.int64)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        self.u, self.v = lo, hi
        self.length_m = np.asarray(self.length_m, dtype=float)
        self.walk_min = np.asarray(self.walk_min, dtype=float)
        if self.walk_uv is None:
            self.walk_uv = self.walk_min.copy()
        if self.walk_vu is None:
            self.walk_vu = self.walk_min.copy()
        if len(self.ids) != len(self.xy):
            raise ValueError("ids and xy differ in length")
        if not (len(self.u) == len(self.v) == len(self.length_m) == len(self.walk_min)):
            raise ValueError("edge arrays differ in length")
        if len(self.u) and (self.u.min() < 0 or self.v.max() >= self.n):
            raise ValueError("edge end outside the node range")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_edges(
        cls,
        ids: Any,
        xy: Any,
        edges: Any,
        *,
        crs: Any,
        walk_min: Any = None,
        speed_kmh: float = 4.0,
    ) -> TerrainGraph:
        """Build a graph from explicit edges (pairs of node positions); flat walking by default.

        Examples
        --------
        >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)],
        ...                             crs="EPSG:4545")
        >>> g.n, g.m, float(g.walk_min[0])
        (3, 2, 0.9)
        """
        e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        xy_a = np.asarray(xy, dtype=float).reshape(-1, 2)
        u, v = np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])
        keep = u != v
        u, v = u[keep], v[keep]
        length = np.hypot(*(xy_a[u] - xy_a[v]).T)
        if walk_min is None:
            w = length / (speed_kmh * 1000.0 / 60.0)
        else:
            w = np.asarray(walk_min, dtype=float)[keep]
        order = np.lexsort((v, u))
        u, v, length, w = u[order], v[order], length[order], w[order]
        uniq = np.ones(len(u), dtype=bool)
        uniq[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        return cls(crs=crs, ids=np.asarray(ids), xy=xy_a, u=u[uniq], v=v[uniq], length_m=length[uniq],
                   walk_min=w[uniq])

    # ------------------------------------------------------------------ views
    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.u)

    def matrix(self, weight: str = "walk_min") -> sp.csr_matrix:
        """Symmetric sparse adjacency (n x n) with the chosen edge attribute as values.

        Zero-length edges (co-located households) are stored with a tiny positive value so that they
        remain explicit entries.
        """
        w = np.asarray(getattr(self, weight), dtype=float)
        w = np.where(w > 0, w, 1e-9)
        a = sp.coo_matrix((np.r_[w, w], (np.r_[self.u, self.v], np.r_[self.v, self.u])), shape=(self.n, self.n))
        return a.tocsr()

    def components(self) -> np.ndarray:
        """Connected-component label of every node (0..k-1, numbered by smallest node)."""
        from scipy.sparse.csgraph import connected_components

        _, labels = connected_components(self.matrix(), directed=False)
        return np.asarray(labels)

    def index_of(self, ids: Any) -> np.ndarray:
        """Node positions of the given household ids (KeyError for unknown ids)."""
        pos = pd.Index(self.ids).get_indexer(np.asarray(ids).astype(str))
        if (pos < 0).any():
            raise KeyError(f"unknown household ids: {list(np.asarray(ids)[pos < 0][:5])}")
        return pos

    def to_networkx(self) -> Any:
        """A networkx.Graph view: nodes are household ids with ``x``, ``y``; edges carry
        ``length_m`` and ``walk_min``. Nodes are added in graph order (deterministic)."""
        import networkx as nx

        g = nx.Graph(crs=self.crs.to_string())
        for i, hid in enumerate(self.ids):
            g.add_node(hid, x=float(self.xy[i, 0]), y=float(self.xy[i, 1]))
        g.add_edges_from(
            (self.ids[a], self.ids[b], {"length_m": float(lm), "walk_min": float(w)})
            for a, b, lm, w in zip(self.u, self.v, self.length_m, self.walk_min, strict=True)
        )
        return g

    def subgraph(self, nodes: Any) -> TerrainGraph:
        """The graph induced by the given node positions (renumbered in the given order)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[nodes] = np.arange(len(nodes))
        keep = (remap[self.u] >= 0) & (remap[self.v] >= 0)
        assert self.walk_uv is not None and self.walk_vu is not None
        return TerrainGraph(
            crs=self.crs,
            ids=self.ids[nodes],
            xy=self.xy[nodes],
            u=remap[self.u[keep]],
            v=remap[self.v[keep]],
            length_m=self.length_m[keep],
            walk_min=self.walk_min[keep],
            walk_uv=self.walk_uv[keep],
            walk_vu=self.walk_vu[keep],
            meta=dict(self.meta),
        )
