"""Proofs, without a solver, that a graph has no split into parts within the band with a candidate head each.

The exact MILP (:func:`~yuanluo.gis.delineate.rescue.band_partition_milp` with ``heads``) finds such a split
in a fraction of a second where one exists, but proving that none exists can take it seconds at its root
node (38–69 households, 1.5–4.9 s; ``bench/results/heads.md``). In those cases the reason is nearly always
plain: the candidates sit on one side of a cut node, and what hangs on the other side is too heavy to join
any of them. :func:`no_head_split` states three such reasons, each a proof, and says nothing otherwise:

1. **Count**: a split has between ⌈W/hi⌉ and ⌊W/lo⌋ parts, each rooted at its own node holding a candidate.
2. **Reach**: a piece that hangs on a cut node ``v`` and holds no candidate lies wholly in ``v``'s part (a
   part reaching into it without ``v`` would have none); such pieces are folded into their node. Then a node
   without a candidate shares its part with a candidate and a path to it, so its weight plus the lightest
   path to a candidate must fit under ``hi``.
3. **Two parts** (⌈W/hi⌉ = ⌊W/lo⌋ = 2): the edges between two connected parts form a minimal cut, and a
   minimal cut lies within one block (2-connected piece, or bridge) of the graph. Each block is tried as the
   place of the cut: everything hanging on a block node goes with it, and the reach test of 2. holds within
   the block with the two-part bound max(lo, W − hi) … min(hi, W − lo).

Examples
--------
Two candidates (``*``) on one side of node 2, five households without one from there on, band 3–5: a part
holding node 2 holds 3–6 as well (they have no candidate of their own) and must reach a candidate, so it has
at least 5 + 1 households::

    0* - 1* - 2 - 3 - 4 - 5 - 6

>>> path = (np.arange(6), np.arange(1, 7))
>>> no_head_split(np.ones(7), *path, 3, 5, np.array([1, 1, 0, 0, 0, 0, 0]))
True

With the second candidate at node 4 the split 0-1-2 | 3-4-5-6 exists, and nothing is claimed:

>>> no_head_split(np.ones(7), *path, 3, 5, np.array([1, 0, 0, 0, 1, 0, 0]))
False
"""

from __future__ import annotations

import heapq

import networkx as nx
import numpy as np

from yuanluo.gis.delineate.headsearch import HEAD_SEARCH_STEPS, _Budget, _Search
from yuanluo.gis.delineate.problem import EPS

__all__ = ["no_head_split", "no_head_split_grown", "GROWN_STARTS"]

GROWN_STARTS = 3  # candidates the exhaustive growth of no_head_split_grown starts from, most crowded first


def no_head_split(w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: float, hi: float, heads: np.ndarray
                  ) -> bool:
    """True when it is proven that the graph (``len(w)`` nodes of weight ``w``, edges ``su``-``sv``) has no
    split into connected parts of weight within ``[lo, hi]`` each holding a node with ``heads > 0``; False
    when no proof was found (a split may or may not exist).

    >>> no_head_split(np.ones(4), np.arange(3), np.arange(1, 4), 2, 2, np.array([1, 1, 0, 0]))
    True
    >>> no_head_split(np.ones(4), np.arange(3), np.arange(1, 4), 2, 2, np.array([1, 0, 0, 1]))
    False
    """
    total = float(np.sum(w))
    kmin = int(np.ceil(total / hi - EPS))
    kmax = int(np.floor(total / lo + EPS)) if lo > 0 else len(w)
    if kmin > kmax or int((np.asarray(heads) > 0).sum()) < kmin:
        return True
    graph = nx.Graph()
    graph.add_nodes_from(range(len(w)))
    graph.add_edges_from(zip(np.asarray(su).tolist(), np.asarray(sv).tolist(), strict=True))
    weight = {v: float(w[v]) for v in graph}
    cand = {v: bool(heads[v] > 0) for v in graph}
    _fold_pendants(graph, weight, cand)
    if _out_of_reach(graph, weight, cand, hi):
        return True
    if kmin == kmax == 2 and nx.is_connected(graph):
        return not any(_block_may_hold_cut(graph, block, weight, cand, max(lo, total - hi), min(hi, total - lo))
                       for block in nx.biconnected_components(graph))
    return False


def no_head_split_grown(w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: float, hi: float, heads: np.ndarray,
                        starts: int = GROWN_STARTS, steps: int = HEAD_SEARCH_STEPS) -> bool:
    """True when it is proven that the connected graph has no split into connected parts of weight within
    ``[lo, hi]`` each holding a node with ``heads > 0``, by the exact search of
    :mod:`~yuanluo.gis.delineate.headsearch` grown from a chosen node rather than from the node farthest from
    a candidate; False when no proof was found (a split may or may not exist; also for a graph that is not
    connected).

    Every split has a part holding any given node, so a search that meets (or rules out by one of its sound
    reasons) every connected part holding node ``s`` and finds none closing into a split proves that none
    exists, whatever ``s`` is. Only the number of steps depends on ``s``: where candidates crowd, few parts
    can hold one of them each, and the search from one of them ends soonest. It is started from at most
    ``starts`` candidates, the one nearest another candidate first (lightest path between them, both ends
    counted; ties by node), each with ``steps`` steps. Seen (10,000 households, changshou rules, seed 1): a
    52-household component, band 15–25, four candidates, that the search from its usual start leaves
    undecided after 5,000 steps and HiGHS proves in 2.4 s; from the crowded candidate 32 it is proven in
    2,631 steps (0.06 s).

    The example of :mod:`~yuanluo.gis.delineate.headproof` (band 3–5, candidates at 0 and 1), and with the
    second candidate at node 4, where a split exists:

    >>> path = (np.arange(6), np.arange(1, 7))
    >>> no_head_split_grown(np.ones(7), *path, 3, 5, np.array([1, 1, 0, 0, 0, 0, 0]))
    True
    >>> no_head_split_grown(np.ones(7), *path, 3, 5, np.array([1, 0, 0, 0, 1, 0, 0]))
    False
    """
    return grown_split(w, su, sv, lo, hi, heads, starts, steps)[0] == "infeasible"


def grown_split(w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: float, hi: float, heads: np.ndarray,
                 starts: int, steps: int) -> tuple[str, np.ndarray | None]:
    """The search behind :func:`no_head_split_grown` (grown from at most ``starts`` candidates, the most
    crowded first, ``steps`` steps each), with the split it finds kept (``band_partition_milp`` takes it):
    ``("infeasible", None)`` when it proves that none exists, ``("found", part)`` (``part``: the first node
    of each node's part, as :func:`~yuanluo.gis.delineate.headsearch.head_split` gives it) at the first start
    whose search closes a split, ``("budget", None)`` when every start ran out of steps (or the graph is not
    connected).

    >>> path = (np.arange(6), np.arange(1, 7))
    >>> grown_split(np.ones(7), *path, 3, 5, np.array([1, 1, 0, 0, 0, 0, 0]), 2, 100)
    ('infeasible', None)
    >>> grown_split(np.ones(7), *path, 3, 5, np.array([1, 0, 0, 0, 1, 0, 0]), 2, 100)[1].tolist()
    [0, 0, 0, 0, 4, 4, 4]
    """
    n = len(w)
    cands = np.flatnonzero(np.asarray(heads) > 0)
    if n == 0 or len(cands) == 0:
        return "budget", None
    search = _Search(w, su, sv, lo, hi, heads, steps)
    whole = (1 << n) - 1
    if search.reach(1, whole) != whole:
        return "budget", None
    if search.lo - EPS <= search.weight(whole) <= search.hi + EPS:
        return "found", np.zeros(n, dtype=np.int64)  # the graph itself is a part holding a candidate
    dist = search.lightest(whole)
    if len(dist) < n or max(dist.values()) > search.hi + EPS:
        return "infeasible", None  # a node whose lightest path to a candidate is above hi
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(np.asarray(su).tolist(), np.asarray(sv).tolist(), strict=True))
    weight = {v: float(w[v]) for v in graph}
    near = {}
    for c in cands.tolist():
        light = _lightest_paths(graph, weight, [c])
        near[c] = min((light[d] for d in cands.tolist() if d != c and d in light), default=np.inf)
    for c in sorted(near, key=lambda c: (near[c], c))[:starts]:
        search = _Search(w, su, sv, lo, hi, heads, steps)
        try:
            part = search.grow(whole, 1 << c, 0, search.w[c], dist, search.steps_from(c, whole))
        except (_Budget, RecursionError):
            continue
        if part == 0:
            return "infeasible", None
        search.memo[whole] = part  # the rest of the split is in the memo: every piece left by part was solved
        return "found", search.split(n)
    return "budget", None


def _fold_pendants(graph: nx.Graph, weight: dict[int, float], cand: dict[int, bool]) -> None:
    """Fold every piece hanging on a cut node and holding no candidate into that node (in place), in one pass
    over the block-cut tree rooted where the first candidate is: every piece on the root's side of a cut
    node then holds one, and the pieces below it are folded whole (the largest, with those inside them)."""
    first = next((v for v in sorted(graph) if cand[v]), None)
    if first is None or not nx.is_connected(graph):
        return
    cuts = set(nx.articulation_points(graph))
    if not cuts:
        return
    tree = nx.Graph()  # block i is ("b", i), cut node v is ("c", v)
    own: dict[tuple[str, int], list[int]] = {("c", v): [v] for v in cuts}
    home: dict[int, int] = {}
    for i, block in enumerate(sorted(sorted(b) for b in nx.biconnected_components(graph))):
        own[("b", i)] = [v for v in block if v not in cuts]
        home.update((v, i) for v in own[("b", i)])
        tree.add_edges_from((("b", i), ("c", v)) for v in block if v in cuts)
    root = ("c", first) if first in cuts else ("b", home[first])
    parent: dict[tuple[str, int], tuple[str, int]] = {}
    order = [root]
    for x in order:  # breadth first: parents before children
        for y in sorted(tree[x]):
            if y != parent.get(x):
                parent[y] = x
                order.append(y)
    holds = {x: any(cand[v] for v in own[x]) for x in order}
    for x in reversed(order[1:]):
        holds[parent[x]] = holds[parent[x]] or holds[x]
    into: dict[tuple[str, int], int] = {}  # tree node folded → the cut node it is folded into
    for x in order[1:]:
        p = parent[x]
        if p in into:
            into[x] = into[p]
        elif x[0] == "b" and not holds[x]:  # a block below cut node p[1] with nothing holding a candidate under it
            into[x] = p[1]
    for x, v in into.items():
        for u in own[x]:
            weight[v] += weight.pop(u)
            del cand[u]
            graph.remove_node(u)


def _out_of_reach(graph: nx.Graph, weight: dict[int, float], cand: dict[int, bool], hi: float) -> bool:
    """Whether some node cannot share a part of weight at most ``hi`` with a candidate: the lightest path
    from it to a candidate (counting the weight of every node on it, both ends too) is above ``hi``."""
    light = _lightest_paths(graph, weight, [v for v in sorted(graph) if cand[v]])
    return any(light.get(v, np.inf) > hi + EPS for v in graph)


def _lightest_paths(graph: nx.Graph, weight: dict[int, float], sources: list[int]) -> dict[int, float]:
    """Per node reached, the weight of the lightest path to it from one of ``sources`` (all its nodes)."""
    best: dict[int, float] = {}
    heap = [(weight[c], c) for c in sources]
    heapq.heapify(heap)
    while heap:
        d, v = heapq.heappop(heap)
        if v in best:
            continue
        best[v] = d
        for u in graph[v]:
            if u not in best:
                heapq.heappush(heap, (d + weight[u], u))
    return best


def _block_may_hold_cut(graph: nx.Graph, block: set[int], weight: dict[int, float], cand: dict[int, bool],
                        a: float, b: float) -> bool:
    """Whether the cut between two parts, each of weight within ``[a, b]`` holding a candidate, may lie in
    ``block``: each block node carries what hangs on it outside the block, and each one's lightest path
    within the block to a carried candidate must fit under ``b``. A bridge is decided exactly: its cut
    either fits or not. (With the candidate-free pieces folded, both ends of a bridge carry a candidate, and
    no block has a single node carrying them all.)"""
    inner = graph.subgraph(block)
    outside = nx.Graph(graph)
    outside.remove_edges_from(inner.edges)
    carried = {v: 0.0 for v in block}
    holds = {v: False for v in block}
    for v in block:
        for u in nx.node_connected_component(outside, v):
            if u == v or u not in block:
                carried[v] += weight[u]
                holds[v] = holds[v] or cand[u]
    if len(block) == 2:
        x = min(block)
        return a - EPS <= carried[x] <= b + EPS
    return not _out_of_reach(inner, carried, holds, b)
