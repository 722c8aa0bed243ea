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

from yuanluo.gis.catalogue import Lang, default_lang, number, text
from yuanluo.gis.crs import crs_short
from yuanluo.gis.errors import require_metric

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
        require_metric(self.crs, "graph")  # None: CRS-UNSET (its fix gives crs=), not pyproj's own error
        self.crs = CRS.from_user_input(self.crs)
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

    def __repr__(self) -> str:
        """A short repr (counts and CRS; the arrays hold thousands of numbers)."""
        cut = self.cut["reason"].value_counts().to_dict() if len(self.cut) and "reason" in self.cut else {}
        dem = self.meta.get("dem_used")
        return (f"TerrainGraph(n={self.n}, edges={self.m}, cut={len(self.cut)}"
                f"{' ' + str(cut) if cut else ''}, crs={crs_short(self.crs)}"
                f"{'' if dem is None else f', dem_used={dem}'})")

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
        >>> g.n, g.m, round(float(g.walk_min[0]), 3)
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


def toward_matrix(u: np.ndarray, v: np.ndarray, walk_uv: np.ndarray, walk_vu: np.ndarray, n: int) -> sp.csr_matrix:
    """Directed walking minutes as a matrix read *toward* a node: entry ``[j, i]`` is the walk i → j, so a
    Dijkstra from a meeting point on it gives every household's walk to that point (a zero walk kept as 1e-9).

    >>> toward_matrix(np.array([0]), np.array([1]), np.array([2.0]), np.array([3.0]), 2).toarray().tolist()
    [[0.0, 3.0], [2.0, 0.0]]
    """
    return sp.csr_matrix((np.r_[np.maximum(walk_uv, 1e-9), np.maximum(walk_vu, 1e-9)], (np.r_[v, u], np.r_[u, v])),
                         shape=(n, n))


def cut_nodes(g: TerrainGraph, cut: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The graph nodes of the cut edges ``cut`` (its ``u``/``v`` as node numbers or as household ids)."""
    u, v = cut["u"].to_numpy(), cut["v"].to_numpy()
    if np.issubdtype(u.dtype, np.integer) and np.issubdtype(v.dtype, np.integer):
        return u.astype(np.int64), v.astype(np.int64)
    return g.index_of(u.astype(str)), g.index_of(v.astype(str))


def length_joins(g: TerrainGraph, limit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges pruned only for length within ``limit`` walking minutes (``Rules.join_limit_min``): their nodes
    and walking minutes. An island may be joined over one (the delineator's island joins, the check's
    PLAN-LONG-JOIN), and a household of a unit so joined walks across it (the same minutes both ways).

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c"], [[0, 0], [9, 0], [0, 9]], [], [], [], [])
    >>> g.cut = pd.DataFrame({"u": [0, 0], "v": [1, 2], "length_m": [900.0, 2e3], "walk_min": [12.0, 30.0],
    ...                       "reason": ["length", "length"]})
    >>> [a.tolist() for a in length_joins(g, 20.0)]
    [[0], [1], [12.0]]
    """
    cut = g.cut
    if cut is None or not len(cut) or "reason" not in cut.columns:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    c = cut[(cut["reason"].astype(str) == "length") & (cut["walk_min"].astype(float) <= float(limit))]
    u, v = cut_nodes(g, c) if len(c) else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    return u, v, c["walk_min"].to_numpy(dtype=float)


def unit_toward(g: TerrainGraph, node_unit: np.ndarray, join_limit: float | None = None) -> sp.csr_matrix:
    """The walking minutes of the edges inside units (``node_unit``: each node's unit, -1 for none), read toward
    a node (:func:`toward_matrix`): a Dijkstra from a meeting point on it gives each member's walk to it. With
    ``join_limit``, the edges pruned only for length within it (:func:`length_joins`) inside a unit count too:
    one walking figure for the delineation, its tables, ``check`` and the editor.

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c"], [[0, 0], [9, 0], [0, 9]], [0], [1], [9.0], [1.0])
    >>> g.cut = pd.DataFrame({"u": [0], "v": [2], "length_m": [900.0], "walk_min": [12.0], "reason": ["length"]})
    >>> unit_toward(g, np.array([0, 0, 0])).nnz, unit_toward(g, np.array([0, 0, 0]), 20.0).nnz
    (2, 4)
    """
    same = (node_unit[g.u] == node_unit[g.v]) & (node_unit[g.u] >= 0)
    wuv = g.walk_uv if g.walk_uv is not None else g.walk_min
    wvu = g.walk_vu if g.walk_vu is not None else g.walk_min
    u, v, wa, wb = g.u[same], g.v[same], wuv[same], wvu[same]
    if join_limit is not None:
        ju, jv, jw = length_joins(g, join_limit)
        keep = (ju >= 0) & (jv >= 0)
        ju, jv, jw = ju[keep], jv[keep], jw[keep]
        keep = (node_unit[ju] == node_unit[jv]) & (node_unit[ju] >= 0)
        u, v = np.r_[u, ju[keep]], np.r_[v, jv[keep]]
        wa, wb = np.r_[wa, jw[keep]], np.r_[wb, jw[keep]]
    return toward_matrix(u, v, wa, wb, g.n)


# ---------------------------------------------------------------------------------------- reports
#: the order in which :func:`cut_summary` names the reasons an edge was cut
CUT_REASONS = ("river", "water", "length")


def cut_summary(graph: TerrainGraph, lang: Lang | None = None) -> str:
    """The cut candidate edges counted by reason, in words of the catalogue (``graph.cut.*``) in ``lang`` (by
    default ``YUANLUO_LANG``'s).

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c"], [[0, 0], [9, 0], [0, 9]], [], [], [], [],
    ...                  meta={"max_walk_min": 10.0})
    >>> g.cut = pd.DataFrame({"u": [0, 0, 1], "v": [1, 2, 2], "length_m": [9.0] * 3, "walk_min": [1.0] * 3,
    ...                       "reason": ["length", "river", "river"]})
    >>> cut_summary(g, "zh"), cut_summary(g, "en")
    ('河流 2 条、步行超过 10 分钟 1 条', '2 by rivers, 1 longer than a 10-minute walk')
    >>> g.cut = pd.DataFrame({"u": [0] * 1234, "v": [1] * 1234, "length_m": [9.0] * 1234, "walk_min": [1.0] * 1234,
    ...                       "reason": ["river"] * 1234})
    >>> cut_summary(g, "en"), cut_summary(g, "zh")
    ('1,234 by rivers', '河流 1234 条')
    >>> g.cut = g.cut.iloc[:0]; cut_summary(g, "en")
    'none'
    """
    lang = lang or default_lang()
    reasons = graph.cut["reason"].astype(str) if len(graph.cut) else pd.Series([], dtype=str)
    counts = reasons.value_counts()
    if not len(counts):
        return text("graph.cut.none", lang)
    limit = graph.meta.get("max_walk_min")
    limit_s = np.format_float_positional(float(limit), trim="-") if limit is not None else "?"
    # each count as the language writes counts (English 1,234, as the console's other counts)
    parts = [text(f"graph.cut.{r}", lang, count=number(int(counts[r]), lang), limit=limit_s)
             for r in CUT_REASONS if r in counts]
    other = int(counts[[r for r in counts.index if r not in CUT_REASONS]].sum())
    if other:
        parts.append(text("graph.cut.other", lang, count=number(other, lang)))
    return text("list.sep", lang).join(parts)


def components_report(graph: TerrainGraph) -> pd.DataFrame:
    """One row per connected component, with the cheapest cut edge that would join it to another.

    Columns: ``component`` (0..k-1, numbered by smallest node), ``size``, ``households`` (sorted list
    of ids), ``join_u`` / ``join_v`` (household ids of the cheapest cut candidate edge leaving the
    component, ``join_u`` inside it), ``join_component``, ``join_reason``, ``join_walk_min``
    (missing when no cut edge leaves the component). Sorted by component.

    Examples
    --------
    >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [500, 0]], [(0, 1)], crs="EPSG:4545")
    >>> g.cut = pd.DataFrame({"u": [1], "v": [2], "length_m": [440.0], "walk_min": [5.2], "reason": ["river"]})
    >>> r = components_report(g)
    >>> r[["component", "size", "join_v", "join_reason", "join_walk_min"]].values.tolist()
    [[0, 2, 'c', 'river', 5.2], [1, 1, 'b', 'river', 5.2]]
    """
    comp = graph.components()
    k = int(comp.max()) + 1 if graph.n else 0
    size = np.bincount(comp, minlength=k)
    order = np.lexsort((graph.ids, comp))
    groups = np.split(graph.ids[order], np.cumsum(size)[:-1]) if k else []
    out = pd.DataFrame(
        {
            "component": np.arange(k, dtype=np.int64),
            "size": size.astype(np.int64),
            "households": [sorted(g.tolist()) for g in groups],
        }
    )
    cut = graph.cut
    join = pd.DataFrame(columns=["component", "join_u", "join_v", "join_component", "join_reason", "join_walk_min"])
    if len(cut):
        cu = cut["u"].to_numpy(dtype=np.int64)
        cv = cut["v"].to_numpy(dtype=np.int64)
        w = cut["walk_min"].to_numpy(dtype=float)
        reason = cut["reason"].astype(str).to_numpy()
        between = comp[cu] != comp[cv]
        if between.any():
            # each between-component cut edge, seen from both of its components
            a = np.r_[cu[between], cv[between]]
            b = np.r_[cv[between], cu[between]]
            ww = np.r_[w[between], w[between]]
            rr = np.r_[reason[between], reason[between]]
            cand = pd.DataFrame({"component": comp[a], "a": a, "b": b, "w": ww, "r": rr,
                                 "bid": graph.ids[b], "aid": graph.ids[a]})
            cand = cand.sort_values(["component", "w", "aid", "bid"], kind="mergesort")
            best = cand.drop_duplicates("component", keep="first")
            join = pd.DataFrame(
                {
                    "component": best["component"].to_numpy(dtype=np.int64),
                    "join_u": best["aid"].to_numpy(dtype=object),
                    "join_v": best["bid"].to_numpy(dtype=object),
                    "join_component": comp[best["b"].to_numpy()].astype(np.int64),
                    "join_reason": best["r"].to_numpy(dtype=object),
                    "join_walk_min": best["w"].to_numpy(dtype=float),
                }
            )
    out = out.merge(join, on="component", how="left")
    out["join_component"] = out["join_component"].astype("Int64")
    out["join_walk_min"] = out["join_walk_min"].astype(float)
    return out


def graph_edges_gdf(graph: TerrainGraph, *, include_cut: bool = False) -> Any:
    """The edges as a GeoDataFrame of LineStrings in the graph's CRS.

    Columns: ``u``, ``v`` (household ids), ``length_m``, ``walk_min``, ``walk_uv``, ``walk_vu``,
    ``status`` (``"kept"`` / ``"cut"``) and ``reason`` (empty for kept edges). Cut edges (from
    ``graph.cut``) are appended when ``include_cut``; their directed times equal ``walk_min``.

    Examples
    --------
    >>> g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    >>> e = graph_edges_gdf(g)
    >>> e[["u", "v", "length_m", "status"]].values.tolist(), e.geometry.iloc[0].wkt
    ([['a', 'b', 60.0, 'kept']], 'LINESTRING (0 0, 60 0)')
    """
    import geopandas as gpd
    import shapely

    assert graph.walk_uv is not None and graph.walk_vu is not None
    u, v = graph.u, graph.v
    cols: dict[str, Any] = {
        "length_m": graph.length_m,
        "walk_min": graph.walk_min,
        "walk_uv": graph.walk_uv,
        "walk_vu": graph.walk_vu,
        "status": np.full(graph.m, "kept", dtype=object),
        "reason": np.full(graph.m, "", dtype=object),
    }
    if include_cut and len(graph.cut):
        cu = graph.cut["u"].to_numpy(dtype=np.int64)
        cv = graph.cut["v"].to_numpy(dtype=np.int64)
        cw = graph.cut["walk_min"].to_numpy(dtype=float)
        u, v = np.r_[u, cu], np.r_[v, cv]
        cols = {
            "length_m": np.r_[cols["length_m"], graph.cut["length_m"].to_numpy(dtype=float)],
            "walk_min": np.r_[cols["walk_min"], cw],
            "walk_uv": np.r_[cols["walk_uv"], cw],
            "walk_vu": np.r_[cols["walk_vu"], cw],
            "status": np.r_[cols["status"], np.full(len(cu), "cut", dtype=object)],
            "reason": np.r_[cols["reason"], graph.cut["reason"].astype(str).to_numpy(dtype=object)],
        }
    geom = shapely.linestrings(np.stack([graph.xy[u], graph.xy[v]], axis=1)) if len(u) else []
    data = {"u": graph.ids[u].astype(object), "v": graph.ids[v].astype(object), **cols}
    df = pd.DataFrame(data)
    for c in ("u", "v", "status", "reason"):
        df[c] = df[c].astype("string")
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geom, crs=graph.crs), crs=graph.crs)


def write_graphml(graph: TerrainGraph, path: Any, *, overwrite: bool = False) -> None:
    """Write the kept edges as GraphML (nodes: household ids with x, y; edges: length_m, walk_min,
    walk_uv, walk_vu). The CRS is a graph attribute. Written atomically (:func:`yuanluo.gis.output.write_bytes`).
    Checked before any work, as ``yuanluo graph --graphml`` checks it: an existing file is ``OUT-EXISTS`` unless
    ``overwrite=True``, a name not ending in ``.graphml`` is ``OUT-SUFFIX``, the graph's own DEM file
    ``OUT-INPUT`` (:func:`yuanluo.gis.output.require_writer_free`; inside a command, its ``--overwrite`` decides).
    """
    import io
    from pathlib import Path

    import networkx as nx

    from yuanluo.gis.output import require_writer_free, write_bytes

    dem = graph.meta.get("dem_source")
    require_writer_free([(path, (".graphml",))], overwrite=overwrite,
                        inputs=[dem] if isinstance(dem, str) and dem and Path(dem).is_file() else [])

    g = graph.to_networkx()
    assert graph.walk_uv is not None and graph.walk_vu is not None
    for a, b, wuv, wvu in zip(graph.u, graph.v, graph.walk_uv, graph.walk_vu, strict=True):
        d = g.edges[graph.ids[a], graph.ids[b]]
        d["walk_uv"], d["walk_vu"] = float(wuv), float(wvu)
    for key, val in graph.meta.items():
        if isinstance(val, str | int | float | bool) and not isinstance(val, np.generic):
            g.graph[key] = val
    buf = io.BytesIO()
    nx.write_graphml(g, buf)
    write_bytes(path, buf.getvalue(), overwrite=overwrite)
