"""Stage: construction — a spanning forest of the node graph cut by a tree dynamic programme.

A spanning forest is built by walking time, edges inside a settlement block made nearly free (so every
block is a subtree) and, with seed points, edges between two seeds' regions made dear. A dynamic
programme over the forest chooses which tree edges to cut. State = size of the open part at a node
(0..max, plus "holds a seed" with seed points); cost = size deviation from the target ((s-T)²/T per part,
times ``size_weight``), minus the walking minutes of each cut edge (at most 15: cut at natural gaps), plus a
penalty for cutting inside a settlement, plus a large penalty per household below the floor. Parts never
exceed the ceiling.

Examples
--------
A path of six households, one minute apart except a 10-minute gap after the third; units of 2–4:

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.array([1, 1, 10, 1, 1.0]))
>>> construct(g, Settings(lo=2, hi=4, target=3.0)).tolist()
[0, 0, 0, 3, 3, 3]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra, minimum_spanning_tree

from yuanluo.gis.delineate.problem import EPS, NodeGraph, Settings, csr

__all__ = ["construct", "construct_trees", "construct_trees_both", "construct_many", "tree_partition",
           "tree_partition_many", "tree_partition_seeded", "tree_partition_heads", "tree_partition_heads_many",
           "spanning_forest", "seed_regions", "close_costs", "heads_on", "heads_needed"]

BELOW_PENALTY = 1e4  # per household (or person) below the floor
SETTLE_PENALTY = 25.0  # cutting inside a settlement that fits in one unit
SETTLE_PENALTY_BIG = 2.0  # cutting inside a settlement larger than the ceiling
SEED_REGION_COST = 1e4  # spanning-forest weight added to edges between two seeds' regions
SEED_PENALTY = 1e3  # two seed points in one part (below BELOW_PENALTY: the size band wins)
CUT_GAIN_MAX = 15.0  # a cut edge earns its walking minutes, at most this many
HEAD_PENALTY = 5e3  # per candidate head a closed part lacks (below BELOW_PENALTY: the size band wins)
_NO_PRED = -9999  # scipy's mark of a node a breadth-first pass did not reach


def construct(g: NodeGraph, s: Settings, *, jitter: np.ndarray | None = None) -> np.ndarray:
    """Cut ``g`` into parts of at most ``s.hi``: the part of each node (its id is the part's top node).

    ``jitter`` multiplies the walking times used to build the spanning forest (repairs draw other trees
    that way); the cut gains and penalties use the true walking times. Settlement blocks are kept as
    subtrees as ``g.same_block`` says (see :meth:`NodeGraph.without_blocks`).
    """
    return construct_trees(g, s, [jitter])[0]


def construct_trees(g: NodeGraph, s: Settings, jitters: list[np.ndarray | None]) -> list[np.ndarray]:
    """:func:`construct` along one spanning forest per entry of ``jitters`` (None: the walking-time forest):
    the parts of each, the same as one call each. With candidate heads, or without seed points, the
    forests' tree DPs run side by side (one pass of array operations for all of them)."""
    return _cut_forests(g, s, _forests(g, s, jitters))


def construct_trees_both(g: NodeGraph, s: Settings, jitters: list[np.ndarray | None]
                         ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """:func:`construct_trees` with the rules ``s`` and without the head rule (``require_head`` off), along
    the same forests, drawn once (a forest depends on neither): the parts of the two calls.

    A path of four households one minute apart, candidates at 0 and 1, parts of 1–3: with the head rule
    each part holds a candidate; without it every household is a part of its own.

    >>> st = Settings(lo=1, hi=3, target=2.0, require_head=True)
    >>> g = NodeGraph.build(np.ones(4), np.arange(3), np.arange(1, 4), np.ones(3))
    >>> g.head = np.array([1, 1, 0, 0])
    >>> [[p.tolist() for p in x] for x in construct_trees_both(g, st, [None])]
    [[[0, 1, 1, 1]], [[0, 1, 2, 3]]]
    """
    trees = _forests(g, s, jitters)
    return _cut_forests(g, s, trees), _cut_forests(g, replace(s, require_head=False), trees)


def _forests(g: NodeGraph, s: Settings, jitters: list[np.ndarray | None]
             ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The spanning forest of ``g`` for each entry of ``jitters`` (:func:`_forest`)."""
    edges = _EdgeIndex.build(g.n, g.u, g.v)  # one graph: its sparse layout serves every forest
    return [_forest(g, s, j, edges) for j in jitters]


def _cut_forests(g: NodeGraph, s: Settings, trees: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
                 ) -> list[np.ndarray]:
    """The parts of each forest of ``trees`` (order, parent, cut costs) by the tree DP the rules ``s`` ask for."""
    wd = np.minimum(g.w, s.hi)  # a household above the ceiling (persons mode) has no edges: its own part
    if heads_on(g, s):
        assert g.head is not None
        return tree_partition_heads_many(wd, [t[1] for t in trees], [t[0] for t in trees], [t[2] for t in trees],
                                         s, g.seed, g.head)
    if bool(g.seed.any()):
        return [tree_partition_seeded(wd, parent, order, pcost, s.lo, s.hi, s.target, s.size_weight, g.seed)
                for order, parent, pcost in trees]
    if len(trees) > 1:
        return tree_partition_many(wd, [t[1] for t in trees], [t[0] for t in trees], [t[2] for t in trees],
                                   s.lo, s.hi, s.target, s.size_weight)
    return [tree_partition(wd, parent, order, pcost, s.lo, s.hi, s.target, s.size_weight)
            for order, parent, pcost in trees]


def construct_many(graphs: list[NodeGraph], s: Settings, jitters: list[list[np.ndarray | None]]
                   ) -> list[list[np.ndarray]]:
    """:func:`construct_trees` of several graphs, ``jitters[i]`` for ``graphs[i]``: the parts of each graph
    along each of its forests, the same as its own call. Graphs without seed points, with as many forests
    each (None at the same places), are cut as one: their disjoint union, whose spanning forests are
    theirs side by side (a minimum spanning forest and a breadth-first pass keep to each component) and
    whose tree DP takes in their merges in the same rounds, so many small graphs cost about as much as
    the largest. Others are cut one by one.

    Examples
    --------
    Two paths of four households, candidates at their ends, parts of 1–3: each cut as alone.

    >>> st = Settings(lo=1, hi=3, target=2.0)
    >>> gs = [NodeGraph.build(np.ones(4), np.arange(3), np.arange(1, 4), np.ones(3)) for _ in range(2)]
    >>> for g in gs:
    ...     g.head = np.array([1, 0, 0, 1])
    >>> [p[0].tolist() for p in construct_many(gs, st, [[None], [None]])]
    [[0, 0, 2, 2], [0, 0, 2, 2]]
    """
    shape = {tuple(j is None for j in js) for js in jitters}
    heads = {g.head is None for g in graphs}
    if len(graphs) < 2 or len(shape) > 1 or len(heads) > 1 or any(bool(g.seed.any()) for g in graphs):
        return [construct_trees(g, s, js) for g, js in zip(graphs, jitters, strict=True)]
    off = np.cumsum([0] + [g.n for g in graphs])
    boff = np.cumsum([0] + [len(g.bsize) for g in graphs])[:-1]  # blocks apart: a block's size is its graph's
    coff = np.cumsum([0] + [int(g.comp.max()) + 1 if g.n else 0 for g in graphs])[:-1]
    cat = np.concatenate
    union = NodeGraph(w=cat([g.w for g in graphs]), u=cat([g.u + o for g, o in zip(graphs, off[:-1], strict=True)]),
                      v=cat([g.v + o for g, o in zip(graphs, off[:-1], strict=True)]),
                      walk=cat([g.walk for g in graphs]),
                      block=cat([g.block + o for g, o in zip(graphs, boff, strict=True)]),
                      comp=cat([g.comp + o for g, o in zip(graphs, coff, strict=True)]),
                      seed=cat([g.seed for g in graphs]),
                      head=None if graphs[0].head is None else cat([g.head for g in graphs]))
    union.same_block = cat([g.same_block for g in graphs])  # as each graph has it (blocks kept or not)
    union.bsize = cat([g.bsize for g in graphs])  # a block's size within its own graph
    ujit = [None if jitters[0][j] is None else cat([js[j] for js in jitters]) for j in range(len(jitters[0]))]
    parts = construct_trees(union, s, ujit)
    return [[p[off[i]: off[i + 1]] - off[i] for p in parts] for i in range(len(graphs))]


def _forest(g: NodeGraph, s: Settings, jitter: np.ndarray | None, edges: _EdgeIndex | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spanning forest :func:`construct` cuts: (order, parent, cost of cutting each node's tree edge)."""
    n = g.n
    tw = g.walk if jitter is None else g.walk * jitter
    extra = None
    if g.seed.any():
        # seeded start: each seed's region (households nearest to it) becomes a subtree
        region = seed_regions(n, g.u, g.v, tw, g.seed)
        extra = np.where(region[g.u] != region[g.v], SEED_REGION_COST, 0.0)
    order, parent, eidx = spanning_forest(n, g.u, g.v, tw, g.same_block, g.comp, extra, edges=edges)
    has = parent >= 0
    pcost = np.zeros(n)
    e = eidx[has]
    pcost[has] = -np.minimum(g.walk[e], CUT_GAIN_MAX)
    if s.keep_settlements:
        inside = g.same_block[e]
        big = g.bsize[g.block[np.flatnonzero(has)]] > s.hi
        pcost[np.flatnonzero(has)] += np.where(inside, np.where(big, SETTLE_PENALTY_BIG, SETTLE_PENALTY), 0.0)
    return order, parent, pcost


def close_costs(lo: int, hi: int, target: float, size_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Sizes 0..hi and the cost of closing a part at each size: the size penalty around ``target`` plus a
    steep penalty below the floor (shared by both tree DPs)."""
    ar = np.arange(hi + 1)
    sizes = ar.astype(float)
    close = size_weight * (sizes - target) ** 2 / max(target, 1.0) + np.where(
        sizes < lo, BELOW_PENALTY * (lo - sizes), 0.0
    )
    return ar, close


@dataclass(frozen=True)
class _EdgeIndex:
    """The layout of :func:`~yuanluo.gis.delineate.problem.csr`'s matrix for the edges ``u``-``v`` of ``n``
    nodes, built once for all the forests of one graph: both directions of every edge, by row then column
    (``indptr``, ``indices``), the edge of each entry (``eid``) and the sorted entry keys ``row·n + col``."""

    n: int
    indptr: np.ndarray
    indices: np.ndarray
    eid: np.ndarray
    keys: np.ndarray

    @classmethod
    def build(cls, n: int, u: np.ndarray, v: np.ndarray) -> _EdgeIndex | None:
        """None when an edge repeats or is a loop (the matrix then adds the entries up: left to scipy)."""
        rows = np.r_[u, v].astype(np.int64)
        cols = np.r_[v, u].astype(np.int64)
        keys = rows * n + cols
        pos = np.argsort(keys, kind="stable")
        keys = keys[pos]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            return None
        indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n))]
        return cls(n, indptr, cols[pos], np.r_[np.arange(len(u)), np.arange(len(u))][pos], keys)

    def tree(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The edges (lower node, higher node) of scipy's minimum spanning forest of the matrix
        ``csr(n, u, v, w)``, from a matrix laid out alike (the same entries in the same order, so the same
        ties)."""
        data = np.maximum(np.asarray(w, dtype=float), EPS)[self.eid]
        mst = minimum_spanning_tree(sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n, self.n)))
        rows = np.repeat(np.arange(self.n), np.diff(mst.indptr))
        cols = np.asarray(mst.indices, dtype=np.int64)
        return np.minimum(rows, cols), np.maximum(rows, cols)


def spanning_forest(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, same_block: np.ndarray, comp: np.ndarray,
    extra: np.ndarray | None = None, *, edges: _EdgeIndex | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimum spanning forest (block edges nearly free, ``extra`` added to the weights) as BFS ``order``,
    ``parent`` and the edge index of each node's tree edge to its parent (-1 at roots). ``edges``: the
    graph's :class:`_EdgeIndex` when built already (many forests of one graph).

    The breadth-first pass is scipy's ``breadth_first_order`` from a super root linked to the smallest node
    of every component, undirected (each node's higher tree neighbours in ascending order, then its lower
    ones), written out for the small trees the stages cut many of; a node it does not reach keeps scipy's
    no-predecessor mark (-9999).

    Examples
    --------
    A triangle whose dear edge 0-2 stays out, and a lone node 3:

    >>> order, parent, eidx = spanning_forest(4, np.array([0, 1, 0]), np.array([1, 2, 2]),
    ...                                       np.array([1.0, 1.0, 5.0]), np.zeros(3, dtype=bool),
    ...                                       np.array([0, 0, 0, 1]))
    >>> order.tolist(), parent.tolist(), eidx.tolist()
    ([0, 3, 1, 2], [-1, 0, 1, -1], [-1, 0, 1, -1])
    """
    tw = np.where(same_block, w * 1e-3, w) + 1e-6
    if extra is not None:
        tw = tw + extra
    if edges is None:
        edges = _EdgeIndex.build(n, u, v)
    if edges is None:
        mst = minimum_spanning_tree(csr(n, u, v, tw)).tocoo()
        r, c = np.minimum(mst.row, mst.col), np.maximum(mst.row, mst.col)
    else:
        r, c = edges.tree(tw)
    a, b = np.r_[r, c], np.r_[c, r]
    o = np.lexsort((b, b < a, a))
    nbr = b[o].tolist()
    start = np.r_[0, np.cumsum(np.bincount(a, minlength=n))].tolist()
    # super root: the smallest node of every component, in node order
    roots = np.sort(np.unique(comp, return_index=True)[1]).tolist()
    par = [_NO_PRED] * n
    for x in roots:
        par[x] = -1
    queue = list(roots)
    for x in queue:  # the queue grows as it is read
        for y in nbr[start[x]: start[x + 1]]:
            if par[y] == _NO_PRED:
                par[y] = x
                queue.append(y)
    order = np.asarray(queue, dtype=np.int64)
    parent = np.asarray(par, dtype=np.int64)
    key = np.minimum(u, v) * (n + 1) + np.maximum(u, v)
    sorter = np.argsort(key, kind="stable")
    has = parent >= 0
    pk = np.minimum(np.arange(n), parent) * (n + 1) + np.maximum(np.arange(n), parent)
    eidx = np.full(n, -1, dtype=np.int64)
    eidx[has] = sorter[np.searchsorted(key, pk[has], sorter=sorter)]
    return order, parent, eidx


def seed_regions(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Nearest seed point (node position) of every node by walking time; -1 where none is reachable.

    Examples
    --------
    >>> seed_regions(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3),
    ...               np.array([True, False, False, True])).tolist()
    [0, 0, 3, 3]
    """
    src = np.flatnonzero(seed)
    _, _, nearest = dijkstra(csr(n, u, v, w), directed=False, indices=src, min_only=True,
                             return_predecessors=True)
    return np.where(nearest < 0, -1, nearest).astype(np.int64)


def tree_partition(
    w: np.ndarray, parent: np.ndarray, order: np.ndarray, pcost: np.ndarray, lo: int, hi: int, target: float,
    size_weight: float,
) -> np.ndarray:
    """Cut a spanning forest into parts of size ≤ ``hi`` minimising the DP cost; part id = top node.

    ``w`` are integer sizes (≤ hi); ``pcost[c]`` is added when the edge from ``c`` to its parent is cut.
    """
    n = len(w)
    ar, close = close_costs(lo, hi, target, size_weight)
    has_p = parent >= 0
    kid = np.argsort(np.where(has_p, parent, n), kind="stable")[: int(has_p.sum())]
    start = np.r_[0, np.cumsum(np.bincount(parent[has_p], minlength=n))]
    F = np.empty((n, hi + 1))
    args = np.empty((n, hi + 1), dtype=np.int32)
    close_size = np.zeros(n, dtype=np.int64)
    pad = np.full(hi, np.inf)
    wi = np.asarray(w, dtype=np.int64)
    for v in order[::-1]:
        f = np.full(hi + 1, np.inf)
        f[wi[v]] = 0.0
        for c in kid[start[v]: start[v + 1]]:
            fc = F[c]
            tot = fc + close
            cs = int(np.argmin(tot))
            close_size[c] = cs
            vclose = f + (tot[cs] + pcost[c])
            if start[c] == start[c + 1]:  # leaf child: its open part is exactly w[c]
                b0 = int(wi[c])
                bm = np.full(hi + 1, b0)
                vm = np.full(hi + 1, np.inf)
                vm[b0:] = f[: hi + 1 - b0]
            else:
                cand = np.concatenate((pad, f))[_shift_index(hi + 1)] + fc[:, None]  # f[s - a] + fc[a]
                bm = np.argmin(cand, axis=0)
                vm = cand[bm, ar]
            uc = vclose <= vm
            f = np.where(uc, vclose, vm)
            args[c] = np.where(uc, -1, bm)
        F[v] = f
    part = np.empty(n, dtype=np.int64)
    open_size = np.empty(n, dtype=np.int64)
    roots = np.flatnonzero(~has_p)
    part[roots] = roots
    open_size[roots] = np.argmin(F[roots] + close[None, :], axis=1)
    for v in order:
        s = int(open_size[v])
        for c in kid[start[v]: start[v + 1]][::-1]:
            a = int(args[c, s])
            if a < 0:
                part[c] = c
                open_size[c] = close_size[c]
            else:
                part[c] = part[v]
                open_size[c] = a
                s -= a
    return part


def tree_partition_seeded(
    w: np.ndarray, parent: np.ndarray, order: np.ndarray, pcost: np.ndarray, lo: int, hi: int, target: float,
    size_weight: float, seed: np.ndarray,
) -> np.ndarray:
    """:func:`tree_partition` with seed points: the DP state also records whether the open part holds a
    seed, and joining two seeded parts costs ``SEED_PENALTY`` (more than any soft term, less than one
    household below the floor, so seeds yield to the size band and never the other way round).

    Examples
    --------
    A path 0-1-2-3 with seeds at 1 and 2 and parts of 1–3 households: the cut falls between the seeds.

    >>> tree_partition_seeded(np.ones(4, dtype=int), np.array([-1, 0, 1, 2]), np.arange(4), np.zeros(4),
    ...                        1, 3, 2.0, 1.0, np.array([False, True, True, False])).tolist()
    [0, 0, 2, 2]
    """
    n = len(w)
    m = hi + 1
    ar, close = close_costs(lo, hi, target, size_weight)
    has_p = parent >= 0
    kid = np.argsort(np.where(has_p, parent, n), kind="stable")[: int(has_p.sum())]
    start = np.r_[0, np.cumsum(np.bincount(parent[has_p], minlength=n))]
    F = np.empty((n, 2, m))
    arg_a = np.empty((n, 2, m), dtype=np.int32)  # -1: child closed; else the child's open size
    arg_k = np.zeros((n, 2, m), dtype=np.int8)  # 2·(child has seed) + (parent had seed) when merged
    close_state = np.zeros((n, 2), dtype=np.int64)  # (seeded, size) of a closed child's part
    pad = np.full(hi, np.inf)
    wi = np.asarray(w, dtype=np.int64)
    sk = np.asarray(seed, dtype=bool).astype(np.int64)
    for v in order[::-1]:
        f = np.full((2, m), np.inf)
        f[sk[v], wi[v]] = 0.0
        for c in kid[start[v]: start[v + 1]]:
            fc = F[c]
            tot = fc + close[None, :]
            ck, cs = divmod(int(np.argmin(tot)), m)
            close_state[c] = (ck, cs)
            vclose = f + (tot[ck, cs] + pcost[c])
            best = np.full((2, m), np.inf)
            barg = np.zeros((2, m), dtype=np.int64)
            bcombo = np.zeros((2, m), dtype=np.int8)
            for kf in (0, 1):
                if not np.isfinite(f[kf]).any():
                    continue
                base = np.concatenate((pad, f[kf]))[_shift_index(m)]  # base[a, s] = f[s - a]
                for kc in (0, 1):
                    if not np.isfinite(fc[kc]).any():
                        continue
                    cand = base + fc[kc][:, None]
                    bm = np.argmin(cand, axis=0)
                    vm = cand[bm, ar] + (SEED_PENALTY if kf and kc else 0.0)
                    kn = kf | kc
                    better = vm < best[kn]
                    best[kn] = np.where(better, vm, best[kn])
                    barg[kn] = np.where(better, bm, barg[kn])
                    bcombo[kn] = np.where(better, 2 * kc + kf, bcombo[kn])
            uc = vclose <= best
            f = np.where(uc, vclose, best)
            arg_a[c] = np.where(uc, -1, barg)
            arg_k[c] = bcombo
        F[v] = f
    part = np.empty(n, dtype=np.int64)
    open_k = np.empty(n, dtype=np.int64)
    open_s = np.empty(n, dtype=np.int64)
    roots = np.flatnonzero(~has_p)
    part[roots] = roots
    flat = np.argmin((F[roots] + close[None, None, :]).reshape(len(roots), -1), axis=1)
    open_k[roots], open_s[roots] = np.divmod(flat, m)
    for v in order:
        k, s = int(open_k[v]), int(open_s[v])
        for c in kid[start[v]: start[v + 1]][::-1]:
            a = int(arg_a[c, k, s])
            if a < 0:
                part[c] = c
                open_k[c], open_s[c] = close_state[c]
            else:
                kc, kf = divmod(int(arg_k[c, k, s]), 2)
                part[c] = part[v]
                open_k[c], open_s[c] = kc, a
                s -= a
                k = kf
    return part




def heads_on(g: NodeGraph, s: Settings) -> bool:
    """Whether the stages keep the candidate-head rule: ``require_head`` and a ``head_candidate`` column."""
    return bool(s.require_head) and g.head is not None


def heads_needed(size: np.ndarray | float, s: Settings) -> np.ndarray:
    """Candidate heads a unit of ``size`` needs: 1, or 2 above ``heads_for_size`` (the management group).

    >>> heads_needed(np.array([10, 30, 31]), Settings(lo=10, hi=40, target=20.0, heads_for_size=30)).tolist()
    [1, 1, 2]
    """
    sz = np.asarray(size)
    need = np.ones(sz.shape, dtype=np.int64)
    if s.heads_for_size is not None:
        need += (sz > s.heads_for_size).astype(np.int64)
    return need


def _head_states(s: Settings, seeded: bool) -> tuple[int, int, np.ndarray, np.ndarray]:
    """States of the head DP: ``(seed bit, heads capped at H)`` as ``k = seed·(H+1) + heads``; returns H,
    the number of states, the merge table ``join[kf, kc]`` and its extra cost (two seeds in one part)."""
    hmax = 1 if s.heads_for_size is None else 2
    nk = (2 if seeded else 1) * (hmax + 1)
    sb, hc = np.divmod(np.arange(nk), hmax + 1)
    join = (sb[:, None] | sb[None, :]) * (hmax + 1) + np.minimum(hc[:, None] + hc[None, :], hmax)
    extra = np.where(sb[:, None] & sb[None, :], SEED_PENALTY, 0.0)
    return hmax, nk, join, extra


def tree_partition_heads(
    w: np.ndarray, parent: np.ndarray, order: np.ndarray, pcost: np.ndarray, s: Settings, seed: np.ndarray,
    heads: np.ndarray,
) -> np.ndarray:
    """:func:`tree_partition_seeded` with candidate heads: the DP state also counts the candidate heads of
    the open part (capped at what a part can need), and closing a part costs ``HEAD_PENALTY`` per head it
    lacks (:func:`heads_needed`). The penalty is below one household under the floor (the band wins) and
    above any soft term, so a part closes without a head only when no cut of the tree gives it one.

    Examples
    --------
    A path of four households with a candidate at 0 and 3, parts of 1–3: 0-1 | 2-3 (not 0 | 1-2-3).

    >>> st = Settings(lo=1, hi=3, target=1.0, size_weight=1.0)
    >>> tree_partition_heads(np.ones(4, dtype=int), np.array([-1, 0, 1, 2]), np.arange(4), np.zeros(4), st,
    ...                      np.zeros(4, dtype=bool), np.array([1, 0, 0, 1])).tolist()
    [0, 0, 2, 2]
    """
    return tree_partition_heads_many(w, [parent], [order], [pcost], s, seed, heads)[0]


def tree_partition_heads_many(
    w: np.ndarray, parents: list[np.ndarray], orders: list[np.ndarray], pcosts: list[np.ndarray], s: Settings,
    seed: np.ndarray, heads: np.ndarray,
) -> list[np.ndarray]:
    """:func:`tree_partition_heads` along several spanning forests of the same nodes (one parent, order and
    cut-cost array each), side by side: step ``e`` takes in the ``e``-th child of every forest at once (each
    forest's children in the order of its own DP), so the forests cost about as much as one. The parts of
    each forest are those of one :func:`tree_partition_heads` call (ties alike)."""
    seeded = bool(np.asarray(seed).any())
    hmax, nk, join, extra = _head_states(s, seeded)
    ar, close = close_costs(s.lo, s.hi, s.target, s.size_weight)
    lack = np.maximum(heads_needed(ar, s)[None, :] - (np.arange(nk) % (hmax + 1))[:, None], 0)
    closek = close[None, :] + HEAD_PENALTY * lack
    k0 = (np.asarray(seed, dtype=np.int64) if seeded else 0) * (hmax + 1) + np.minimum(heads, hmax)
    return _tree_dp_many(w, parents, orders, pcosts, closek, np.asarray(k0, dtype=np.int64), _pair_groups(join),
                         extra)


def tree_partition_many(
    w: np.ndarray, parents: list[np.ndarray], orders: list[np.ndarray], pcosts: list[np.ndarray], lo: int, hi: int,
    target: float, size_weight: float,
) -> list[np.ndarray]:
    """:func:`tree_partition` along several spanning forests of the same nodes, side by side as
    :func:`tree_partition_heads_many` (one state: the open part's size): the parts of each forest are those
    of its own :func:`tree_partition` call (ties alike).

    A path of five households, parts of 2–3: cut where cutting earns most (after node 1, then after node 2).

    >>> par, order, w = np.array([-1, 0, 1, 2, 3]), np.arange(5), np.ones(5, dtype=int)
    >>> pcosts = [np.array([0.0, -1.0, -9.0, -1.0, -1.0]), np.array([0.0, -1.0, -1.0, -9.0, -1.0])]
    >>> [p.tolist() for p in tree_partition_many(w, [par, par], [order, order], pcosts, 2, 3, 2.5, 1.0)]
    [[0, 0, 2, 2, 2], [0, 0, 0, 3, 3]]
    >>> [tree_partition(w, par, order, pc, 2, 3, 2.5, 1.0).tolist() for pc in pcosts]
    [[0, 0, 2, 2, 2], [0, 0, 0, 3, 3]]
    """
    _, close = close_costs(lo, hi, target, size_weight)
    return _tree_dp_many(w, parents, orders, pcosts, close[None, :], np.zeros(len(w), dtype=np.int64),
                         np.zeros((1, 1), dtype=np.int64), np.zeros((1, 1)))


def _tree_dp_many(w: np.ndarray, parents: list[np.ndarray], orders: list[np.ndarray], pcosts: list[np.ndarray],
                  closek: np.ndarray, k0: np.ndarray, groups: np.ndarray, extra: np.ndarray
                  ) -> list[np.ndarray]:
    """The tree DP of :func:`tree_partition_heads_many` for states ``0 … nk-1`` (``closek``: the cost of
    closing a part in each state at each size; ``k0``: each node's state alone; ``groups`` and ``extra``:
    how two states merge, as :func:`_merge_child` takes them)."""
    q, n = len(parents), len(w)
    nk, m = closek.shape
    par = np.asarray(parents, dtype=np.int64).reshape(q, n)  # forests of one graph: as many tree edges each
    wi = np.asarray(w, dtype=np.int64)
    # forest j, node v at row j·n + v; each row starts with m - 1 entries of infinity (sizes below 0), so that
    # _merge_child reads "the parent's size minus the child's" without padding a copy each round
    F = np.full((q * n, nk, 2 * m - 1), np.inf)
    F[np.arange(q * n), np.tile(k0, q), np.tile(wi, q) + (m - 1)] = 0.0
    pc = np.asarray(pcosts, dtype=float).reshape(q, n)
    # the merges of each forest in its DP's order: children by their parent's place in reverse BFS order,
    # then by node
    ev = []
    for p, o in zip(par, orders, strict=True):
        rank = np.full(n, -1, dtype=np.int64)
        rank[np.asarray(o)[::-1]] = np.arange(len(o))
        c = np.flatnonzero(p >= 0)
        ev.append(c[np.lexsort((c, rank[p[c]]))])
    child = np.asarray(ev, dtype=np.int64).reshape(q, -1)
    ne = child.shape[1]
    qi = np.arange(q)[:, None]
    vpar = par[qi, child]
    na, ns = _merge_sizes(wi, par, orders, child, vpar, m)
    # merges whose tables are ready are taken in side by side, in rounds: a child once all of its own
    # children are in, each parent's children one per round in its DP's order (the same tables, fewer steps);
    # the merges laid out round after round, so that each round reads and writes slices
    rows_v, rows_c = (qi * n + vpar).ravel(), (qi * n + child).ravel()
    rounds = _merge_rounds(rows_v, rows_c, q * n)
    order = np.concatenate(rounds) if rounds else np.zeros(0, dtype=np.int64)
    lens = np.array([len(r) for r in rounds], dtype=np.int64)
    ends = np.cumsum(lens)
    starts = ends - lens
    rows_v, rows_c, pce = rows_v[order], rows_c[order], pc[qi, child].ravel()[order]
    nab = np.maximum.reduceat(na[order], starts).tolist() if rounds else []
    nsb = np.maximum.reduceat(ns[order], starts).tolist() if rounds else []
    # per merge (in that layout): -1 child closed, else the child's open size; kf·nk + kc when merged (sizes a
    # merge cannot reach keep -1 and 0: the child closed); the child's state·m + size when closed
    arg_a = np.full((q * ne, nk, m), -1, dtype=np.int32)
    arg_k = np.zeros((q * ne, nk, m), dtype=np.int16)
    close_at = np.zeros(q * ne, dtype=np.int64)
    ext = extra.reshape(-1) if extra.any() else None
    for i, j, a, b in zip(starts.tolist(), ends.tolist(), nab, nsb, strict=True):  # round: merges i … j-1
        rv = rows_v[i:j]
        f, fc = F[rv], F[rows_c[i:j]]
        best, barg, pick = _merge_child(f, fc, groups, ext, a, b)
        tot = (fc[:, :, m - 1:] + closek).reshape(j - i, -1)
        close_at[i:j] = tot.argmin(axis=1)
        vclose = f[:, :, m - 1:]  # the child closed: a view of f, which becomes the parent's new row
        vclose += (tot.min(axis=1) + pce[i:j])[:, None, None]
        head = vclose[:, :, :b]
        uc = head <= best  # closing the child wins ties
        np.minimum(head, best, out=head)
        F[rv] = f
        arg_a[i:j, :, :b] = np.where(uc, -1, barg)
        arg_k[i:j, :, :b] = pick
    tables = F[:, :, m - 1:].reshape(q, n, nk, m)
    close_state = np.c_[np.divmod(close_at, m)].tolist()  # once for all forests (each reads its own rows)
    where = np.empty(q * ne, dtype=np.int64)  # each merge's row in the layout
    where[order] = np.arange(q * ne)
    out = []
    for j in range(q):
        p = par[j]
        has_p = p >= 0
        kid = np.argsort(np.where(has_p, p, n), kind="stable")[: int(has_p.sum())]
        start = np.r_[0, np.cumsum(np.bincount(p[has_p], minlength=n))]
        at = np.empty(n, dtype=np.int64)  # the merge of each child
        at[child[j]] = where[j * ne: (j + 1) * ne]
        out.append(_backtrack_heads(tables[j], closek, arg_a, arg_k, close_state, at, p, np.asarray(orders[j]),
                                    kid, start, nk, m))
    return out


def _merge_sizes(w: np.ndarray, par: np.ndarray, orders: list[np.ndarray], child: np.ndarray, vpar: np.ndarray,
                 m: int) -> tuple[np.ndarray, np.ndarray]:
    """For each merge of :func:`tree_partition_heads_many` (forest-major, as ``child``), bounds on the child's
    open part (below ``na``) and on the parent's after the merge (below ``ns``): subtree sizes, capped at
    ``m - 1``."""
    na = np.zeros(child.shape, dtype=np.int64)
    ns = np.zeros(child.shape, dtype=np.int64)
    for j in range(len(par)):
        sub = w.tolist()
        pj = par[j].tolist()
        for v in np.asarray(orders[j])[::-1].tolist():
            if pj[v] >= 0:
                sub[pj[v]] += sub[v]
        sc = np.asarray(sub, dtype=np.int64)[child[j]]
        cs = np.cumsum(sc)
        first = np.r_[True, vpar[j, 1:] != vpar[j, :-1]]  # a parent's merges are consecutive
        before = np.maximum.accumulate(np.where(first, cs - sc, 0))
        na[j] = np.minimum(sc, m - 1) + 1
        ns[j] = np.minimum(w[vpar[j]] + cs - before, m - 1) + 1
    return na.ravel(), ns.ravel()


def _merge_rounds(rows_v: np.ndarray, rows_c: np.ndarray, nrows: int) -> list[np.ndarray]:
    """The merges (parent row, child row; each forest's in its DP's order, so a node's own merges come before
    it is merged into its parent) in rounds: a merge's round is after every merge into its child and after the
    previous merge into its parent, so no row is read and written in one round. Returns the merges of each
    round, in ascending order.

    A path 0-1-2 and a leaf 3 on 0, node 0 taking in 3 before 1: 3 goes in beside 2 → 1, then 1.

    >>> [r.tolist() for r in _merge_rounds(np.array([1, 0, 0]), np.array([2, 3, 1]), 4)]
    [[0, 1], [2]]
    """
    ready = [0] * nrows
    rnd = []
    for v, c in zip(rows_v.tolist(), rows_c.tolist(), strict=True):
        r = ready[c] if ready[c] > ready[v] else ready[v]
        rnd.append(r)
        ready[v] = r + 1
    if not rnd:
        return []
    ra = np.asarray(rnd, dtype=np.int64)
    by = np.argsort(ra, kind="stable")
    cuts = np.flatnonzero(np.diff(ra[by])) + 1
    return np.split(by, cuts)


def _merge_child(f: np.ndarray, fc: np.ndarray, groups: np.ndarray, extra: np.ndarray | None, na: int, ns: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best cost of each parent's open part after taking in its child's open part, per forest, new state and
    size below ``ns`` (``f``, ``fc``: forest × state × size, each row led by ``m - 1`` entries of infinity),
    with the child's size and the (parent, child) state pair that gave it (``kf·nk + kc``). The child's open
    part is below ``na`` and the merged one below ``ns`` (larger sizes are infinite: the tables of small
    subtrees cost little).

    All state pairs at once: row ``kn`` of ``groups`` lists the pairs that merge into state ``kn``, ascending,
    padded with ``nk²`` (:func:`_pair_groups`); ``extra`` the cost each pair adds (None: none). Ties go to
    the first such pair, then the smallest child size. Only finite entries of the returned sizes and pairs
    are meaningful."""
    q, nk, m2 = f.shape
    m = (m2 + 1) // 2
    nn = nk * nk
    # base[j, kf, s, a] = f[j, kf, s - a]: a view of f (no copy), the child's size stepping back along the row
    f = np.ascontiguousarray(f)
    s2 = f.itemsize
    base = np.ndarray((q, nk, ns, na), dtype=f.dtype, buffer=f, offset=(m - 1) * s2,
                      strides=(nk * m2 * s2, m2 * s2, s2, -s2))
    # [j, kf·nk+kc, s, a], the child's size last (numpy reduces the last axis without a copy)
    cand = (base[:, :, None, :, :] + fc[:, None, :, None, m - 1: m - 1 + na]).reshape(q, nn, ns, na)
    bm = cand.argmin(axis=3)  # [j, kf·nk+kc, s]: the child's size, the first of the least
    vm = np.full((q, nn + 1, ns), np.inf)  # the pad pair nk² costs infinity
    vm[:, :nn] = cand.reshape(-1)[np.arange(0, cand.size, na) + bm.reshape(-1)].reshape(q, nn, ns)  # the least
    if extra is not None:
        vm[:, :nn] += extra[:, None]
    vg = vm[:, groups]  # [j, kn, pair of the group, s]
    i = vg.argmin(axis=2)
    pick = groups[np.arange(nk)[:, None], i]  # the first pair of the least (a pad never: it is last, infinite)
    return vg.min(axis=2), bm[np.arange(q)[:, None, None], pick, np.arange(ns)], pick


def _pair_groups(join: np.ndarray) -> np.ndarray:
    """For each state ``kn`` (a row), the state pairs ``kf·nk + kc`` that ``join`` merges into it, ascending,
    the shorter rows padded with ``nk²`` (no pair).

    >>> _pair_groups(np.array([[0, 1], [1, 1]])).tolist()
    [[0, 4, 4], [1, 2, 3]]
    """
    nk = join.shape[0]
    flat = join.ravel()
    groups = [np.flatnonzero(flat == kn) for kn in range(nk)]
    tab = np.full((nk, max(len(r) for r in groups)), nk * nk, dtype=np.int64)
    for kn, r in enumerate(groups):
        tab[kn, : len(r)] = r
    return tab


@functools.cache
def _shift_index(m: int) -> np.ndarray:
    """Index into a row padded with ``m - 1`` leading entries: ``row[_shift_index(m)][a, s]`` is entry
    ``s - a`` of the unpadded row (the padding where ``s < a``)."""
    ar = np.arange(m)
    return ar[None, :] - ar[:, None] + (m - 1)


def _backtrack_heads(F: np.ndarray, closek: np.ndarray, arg_a: np.ndarray, arg_k: np.ndarray,
                     close_state: list[list[int]], at: np.ndarray, parent: np.ndarray, order: np.ndarray,
                     kid: np.ndarray, start: np.ndarray, nk: int, m: int) -> np.ndarray:
    """The parts of :func:`tree_partition_heads` from its tables (part id = top node); the choices of the
    merge that took in child ``c`` are row ``at[c]`` of ``arg_a``, ``arg_k`` and ``close_state`` (a list of
    (state, size) pairs, made once for all the forests: as an array, each forest's backtrack listed all of them
    again)."""
    n = len(parent)
    roots = np.flatnonzero(parent < 0)
    flat = np.argmin((F[roots] + closek[None, :, :]).reshape(len(roots), -1), axis=1)
    part = [0] * n
    open_k = [0] * n
    open_s = [0] * n
    for x, k, sz in zip(roots.tolist(), *(y.tolist() for y in np.divmod(flat, m)), strict=True):
        part[x], open_k[x], open_s[x] = x, k, sz
    # plain Python lists and flat positions: the loop reads one entry at a time
    fa, fk, row = arg_a.reshape(-1), arg_k.reshape(-1), nk * m
    kids, st, at_l, cs = kid.tolist(), start.tolist(), at.tolist(), close_state
    for v in np.asarray(order).tolist():
        k, sz, pv = open_k[v], open_s[v], part[v]
        for c in reversed(kids[st[v]: st[v + 1]]):
            r = at_l[c]
            pos = r * row + k * m + sz
            a = int(fa[pos])
            if a < 0:
                part[c] = c
                open_k[c], open_s[c] = cs[r]
            else:
                kf, kc = divmod(int(fk[pos]), nk)
                part[c] = pv
                open_k[c], open_s[c] = kc, a
                sz -= a
                k = kf
    return np.asarray(part, dtype=np.int64)
