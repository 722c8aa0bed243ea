"""Stage: candidate heads moved along chains of units (issue 13), the last step of the head stage.

:func:`~yuanluo.gis.delineate.heads.head_fix` moves a candidate head along a chain of at most three units (pair
re-splits, triple re-cuts) and splits a whole component exactly only up to ``Settings.head_exact_max_n`` nodes
(100); the pool and the spare windows re-cut small components and full neighbourhoods. A unit still lacking a
candidate in a larger component whose pre-check passes is ``HEAD-UNPLACED``, though a split with a head in
every unit exists for every one checked (session 45: 22 of 24 such units at 10,000 households, in components of
114–401 nodes). With the delineator's ``head_chains`` (the command line's ``--thorough-heads``; off by
default: each head placed here cost some 20 walking minutes at 3,000 synthetic households, 55–85 on the
Andorra sample; ``bench/results/heads.md``, sessions 46–47), after
:func:`~yuanluo.gis.delineate.spare.spare_windows`, each such unit (in unit order; components short by the
pre-check or proven to have no split are passed over):

- its *chains*: the units on a shortest way (fewest units, then unit order) from it to each of the
  ``CHAIN_COUNT`` nearest units where the way holds candidates at as many locations as the fewest units its
  weight needs (⌈weight / ceiling⌉: a unit with a candidate to spare, or a way light enough for one unit
  fewer), over ``ok`` units within the band that are not locked, at most ``CHAIN_UNITS`` units and
  ``CHAIN_NODES`` nodes;
- each chain's cuts: by the head-aware tree DP and the plain one along its walking-time tree and
  ``CHAIN_TREES`` jittered ones;
- the chain's cover: HiGHS chooses, among the chain's units now and the parts of its cuts (within the band,
  connected, at most one seed point), the cover of its nodes lacking fewest heads, then walking least; first
  of the parts that split no settlement kept whole, then of all;
- of the chains whose cover lacks fewer heads than their units now, the one splitting no settlement kept whole
  first, then adding the fewest walking minutes; on that chain (or the first, when none) the split walking
  least is sought too, a p-median with shortest-path contiguity (a node joins a meeting point with a neighbour
  on a shortest way to it; a candidate, the band and one seed point at most per part; settlements kept whole
  first), of which HiGHS solves the linear relaxation only and takes its split when it is whole (0/1): its
  parts join the chain's columns and the cover is chosen again; when still no cover lacks fewer, the split
  of the exact search of :mod:`~yuanluo.gis.delineate.headsearch` (settlements kept whole contracted to one
  node each; free when that finds none) joins them;
- the best cover is taken; the local search and merge–resplit run on the units changed and their
  neighbours (the head rule hard).

A chain's units together lack fewer heads after its re-cut, each is within the band, and no unit outside the
chain changes. Without the head rule, or with no unit left lacking,
nothing is drawn from the random generator: those fits are the same units as before.

Examples
--------
A path of sixteen households, a minute apart, four units of four under a band of 3–5; candidates at
households 4, 8, 12 and 15. The first unit lacks one, and the nearest unit with one to spare is three units
away: the four are re-cut, each with its head, walking as much as before (16 minutes).

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(16), np.arange(15), np.arange(1, 16), np.ones(15))
>>> g.head = np.zeros(16, dtype=np.int64)
>>> g.head[[4, 8, 12, 15]] = 1
>>> units = Units(g.csr(), np.repeat([0, 1, 2, 3], 4), heads=g.head, size=g.w)
>>> s = Settings(lo=3, hi=5, target=4.0, require_head=True)
>>> head_chains(g, s, units, np.ones(16, dtype=bool), set(), np.random.default_rng(0))
1
>>> sorted(n.tolist() for n in units.nodes.values())
[[0, 1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15]]
>>> sum(units.cost.values()), sum(units.lack(k) for k in units.nodes)
(16.0, 0.0)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse.csgraph import dijkstra, shortest_path

from yuanluo.gis.delineate.construct import construct_trees_both
from yuanluo.gis.delineate.heads import (
    HEAD_TRIPLE_TREES,
    _by_component,
    _lacking,
    _replace_units,
    head_precheck,
    neighbour_units,
)
from yuanluo.gis.delineate.headsearch import head_split
from yuanluo.gis.delineate.improve import Units, head_lack, local_search, locked_nodes, recombine
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.delineate.spare import window_columns
from yuanluo.gis.exact import highs_milp

__all__ = ["head_chains"]

CHAIN_NODES = 150  # nodes of a chain's units at most
CHAIN_UNITS = 5  # units of a chain at most
CHAIN_COUNT = 4  # chains tried per unit lacking a head (to the nearest units with a candidate to spare)
CHAIN_TREES = HEAD_TRIPLE_TREES  # jittered spanning trees cut per chain (besides the walking-time tree)
LACK_COST = 1e4  # walking minutes a lacking candidate head costs in the choice of columns
MEDIAN_REACH = 2.0  # the least-walk split: a node at most this many times the chain's longest walk from its point


def head_chains(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, proven: set[int],
                rng: np.random.Generator) -> int:
    """Re-cut a chain of units from each unit still lacking a candidate head to a unit with one to spare, the
    cut adding the fewest walking minutes (``units`` changes in place; ``proven``: the components proven to
    have no split giving every unit a head). Returns the units given a head; 0 without the head rule."""
    if units.heads is None or g.head is None or not g.n:
        return 0
    skip = set(head_precheck(g, s)) | proven
    todo = [a for a in _lacking(g, s, units, part_ok)
            if int(g.comp[units.nodes[a][0]]) not in skip and _free(g, units, a)]
    if not todo:
        return 0
    _, _, eorder, estart = _by_component(g)
    locked = locked_nodes(g, s, units.lab)
    changed: set[int] = set()
    placed = 0
    for a in todo:
        if a not in units.nodes or units.lack(a) <= 0:
            continue
        ce = eorder[estart[int(g.comp[units.nodes[a][0]])]: estart[int(g.comp[units.nodes[a][0]]) + 1]]
        best = _best_cut(g, s, units, part_ok, a, ce, locked, rng)
        if best is None:
            continue
        before = sum(units.lack(k) for k in best[3])
        new = _replace_units(units, best[1], best[2])
        placed += int(round(before - sum(units.lack(k) for k in new)))
        changed = (changed - set(best[3])) | new
        locked = locked_nodes(g, s, units.lab)
    changed &= set(units.nodes)
    if changed:
        near = set(changed)
        for k in changed:
            near.update(neighbour_units(units, k))
        mask = part_ok & np.isin(units.lab, sorted(near))
        local_search(g, s, units, mask, locked_nodes(g, s, units.lab))
        recombine(g, s, units, mask, locked_nodes(g, s, units.lab))
    return placed


def _free(g: NodeGraph, units: Units, k: int) -> bool:
    """Unit ``k`` belongs to no locked unit."""
    return g.locked is None or bool((g.locked[units.nodes[k]] < 0).all())


def _best_cut(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, a: int, ce: np.ndarray,
              locked: np.ndarray, rng: np.random.Generator
              ) -> tuple[tuple[int, float], np.ndarray, np.ndarray, list[int]] | None:
    """The re-cut of a chain from unit ``a`` (``ce``: the edges of its component) that lacks fewer heads,
    settlements kept whole first, then adding the fewest walking minutes: ((settlements split, minutes added),
    the chain's nodes, the part of each, 0, 1, …, the chain's units); None when no chain's cut lacks fewer."""
    best: tuple[tuple[int, float], np.ndarray, np.ndarray, list[int]] | None = None
    chains = _chains(g, s, units, part_ok, a)
    if not chains:
        return None
    made = []
    for chain in chains:  # the tree DP's cuts of each chain
        nodes = np.sort(np.concatenate([units.nodes[k] for k in chain]))
        sub = g.restrict(nodes, ce)
        jit = [None, *(rng.uniform(0.2, 1.8, size=len(sub.u)) for _ in range(CHAIN_TREES))]
        parts = [*(x for both in construct_trees_both(sub, s, jit) for x in both)]
        made.append((nodes, sub, parts))
        best = _better(best, g, s, units, chain, nodes, sub, locked[nodes], parts=parts)
    # on the best chain (else the first): the least-walk split (an LP), then, when still none lacks fewer, the
    # exact search
    i = 0 if best is None else chains.index(best[3])
    nodes, sub, parts = made[i]
    reach = MEDIAN_REACH * max(float(units.dm[units.nodes[k]].max()) for k in chains[i])
    part = _median_cut(sub, s, units.mult[nodes], locked[nodes], reach)
    if part is not None:
        parts = [*parts, part]
        best = _better(best, g, s, units, chains[i], nodes, sub, locked[nodes], parts=parts)
    if best is None:
        found = [p for p in _searched(sub, s, locked[nodes]) if p is not None]
        best = _better(best, g, s, units, chains[i], nodes, sub, locked[nodes], parts=[*parts, *found])
    return best


def _better(best: tuple[tuple[int, float], np.ndarray, np.ndarray, list[int]] | None, g: NodeGraph, s: Settings,
            units: Units, chain: list[int], nodes: np.ndarray, sub: NodeGraph, lk: np.ndarray, *,
            parts: list[np.ndarray]) -> tuple[tuple[int, float], np.ndarray, np.ndarray, list[int]] | None:
    """``best``, or the chain's cover by the parts of ``parts`` (:func:`_cover`; one keeping the settlements
    whole first) when it is better: one splitting no settlement kept whole first, then the fewest walking
    minutes added."""
    ids = _cover(g, s, units, chain, nodes, lk, parts, True) if lk.any() else None
    if ids is None:
        ids = _cover(g, s, units, chain, nodes, lk, parts, False)
    if ids is None:
        return best
    key = (int(_blocks_split(sub, lk, ids) > 0), _added(units, nodes, ids, chain))
    return (key, nodes, ids, chain) if best is None or key < best[0] else best


def _cover(g: NodeGraph, s: Settings, units: Units, chain: list[int], nodes: np.ndarray, lk: np.ndarray,
           parts: list[np.ndarray], whole: bool) -> np.ndarray | None:
    """The least-cost cover of the chain's ``nodes`` (``lk``: those in settlements kept whole) by columns: its
    units now and the parts of the cuts ``parts``. A column is within the band, connected and holds at most
    one seed point (a unit now is a column as it is); it costs its walk, ``LACK_COST`` per head it lacks and
    With ``whole`` a column holding part of a settlement kept whole is left out. HiGHS chooses the cover;
    returned (the part of each node, 0, 1, …) when it lacks fewer heads than the units now, else None."""
    assert g.head is not None
    cols = window_columns(g.n, units, chain, nodes, parts)
    wl, sd, hd = g.w[nodes], g.seed[nodes].astype(float), g.head[nodes]
    lb = np.where(lk, g.block[nodes], -1)
    bsize = {b: int(c) for b, c in zip(*np.unique(lb[lb >= 0], return_counts=True), strict=True)}
    keep: list[np.ndarray] = []
    cost: list[float] = []
    lack: list[float] = []
    for i, m in enumerate(cols):
        z = float(wl[m].sum())
        if i >= len(chain) and (not s.lo <= z <= s.hi or sd[m].sum() > 1):
            continue
        c = units.evaluate(nodes[m])[0]
        if not np.isfinite(c):  # in pieces
            continue
        bb, bc = np.unique(lb[m][lb[m] >= 0], return_counts=True)
        if whole and i >= len(chain) and any(int(n) < bsize[int(b)] for b, n in zip(bb.tolist(), bc.tolist(),
                                                                                   strict=True)):
            continue
        h = float(head_lack(hd[m].sum(), z, units.heads_for))
        keep.append(m)
        lack.append(h)
        cost.append(c + LACK_COST * h)
    if len(keep) <= len(chain):
        return None
    rows = np.concatenate(keep)
    mat = sp.csr_matrix((np.ones(len(rows)), (rows, np.repeat(np.arange(len(keep)), [len(m) for m in keep]))),
                        shape=(len(nodes), len(keep)))
    res = highs_milp(np.asarray(cost), integrality=np.ones(len(keep)), bounds=Bounds(0, 1),
                     constraints=[LinearConstraint(mat, 1, 1)])
    if res.x is None:
        return None
    chosen = np.flatnonzero(res.x > 0.5).tolist()
    if sum(lack[i] for i in chosen) >= sum(units.lack(k) for k in chain) - 1e-9:
        return None
    ids = np.empty(len(nodes), dtype=np.int64)
    for j, i in enumerate(chosen):
        ids[keep[i]] = j
    return ids


def _median_cut(r: NodeGraph, s: Settings, mult: np.ndarray, lk: np.ndarray, reach: float) -> np.ndarray | None:
    """The split of region ``r`` walking least, each part within the band, holding a candidate and at most one
    seed point, its settlements kept whole (``lk``) whole first, then free: a p-median with shortest-path
    contiguity (a node joins a meeting point only with a neighbour on a shortest way to it), each node at most
    ``reach`` walking minutes from its meeting point (``mult``: households per node). The linear relaxation
    only (HiGHS): its split when it is whole (a 0/1 solution), else None."""
    assert r.head is not None
    n = r.n
    a = r.csr()
    d = shortest_path(a, directed=False)
    light = _lightest(r, s.hi)
    pid = np.where((d <= reach + 1e-9) & (light <= s.hi + 1e-9), 0, -1)
    pi, pj = np.nonzero(pid == 0)
    m = len(pi)
    pid[pi, pj] = np.arange(m)
    diag = pid[np.arange(n), np.arange(n)]
    if (diag < 0).any():  # a node heavier than the ceiling
        return None
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lo_: list[np.ndarray] = []
    hi_: list[np.ndarray] = []
    nrow = 0

    def add(rr: np.ndarray, cc: np.ndarray, vv: np.ndarray | float, lo: np.ndarray, hi: np.ndarray, k: int) -> None:
        nonlocal nrow
        rows.append(rr + nrow)
        cols.append(cc)
        vals.append(np.broadcast_to(np.asarray(vv, dtype=float), rr.shape))
        lo_.append(lo)
        hi_.append(hi)
        nrow += k

    add(pi, np.arange(m), 1.0, np.ones(n), np.ones(n), n)  # each node in one part
    off = np.flatnonzero(pi != pj)
    k = len(off)
    inf = np.full(k, np.inf)
    add(np.r_[np.arange(k), np.arange(k)], np.r_[off, diag[pj[off]]], np.r_[np.ones(k), -np.ones(k)],
        -inf, np.zeros(k), k)  # only to an open meeting point
    # contiguity: x_ij ≤ Σ x_kj over the neighbours k of i on a shortest way from i to j
    eu, ev = np.r_[r.u, r.v], np.r_[r.v, r.u]
    ew = np.r_[r.walk, r.walk]
    ew = np.maximum(ew, 1e-9)
    pr, pc = [], []
    where = np.full((n, n), -1, dtype=np.int64)
    where[pi[off], pj[off]] = np.arange(k)
    for e in range(len(eu)):
        i, q = int(eu[e]), int(ev[e])
        ok = (where[i] >= 0) & (pid[q] >= 0) & (np.abs(d[q] + ew[e] - d[i]) < 1e-7)
        js = np.flatnonzero(ok)
        pr.append(where[i, js])
        pc.append(pid[q, js])
    prr, pcc = np.concatenate(pr), np.concatenate(pc)
    add(np.r_[np.arange(k), prr], np.r_[off, pcc], np.r_[np.ones(k), -np.ones(len(prr))], -inf, np.zeros(k), k)
    w, h, sd = r.w[pi], (r.head[pi] > 0).astype(float), r.seed[pi].astype(float)
    at, all_ = np.r_[pj, np.arange(n)], np.r_[np.arange(m), diag]
    add(at, all_, np.r_[w, np.full(n, -float(s.lo))], np.zeros(n), np.full(n, np.inf), n)  # size ≥ lo when open
    add(at, all_, np.r_[w, np.full(n, -float(s.hi))], np.full(n, -np.inf), np.zeros(n), n)  # size ≤ hi
    add(at, all_, np.r_[h, -np.ones(n)], np.zeros(n), np.full(n, np.inf), n)  # a candidate when open
    add(pj, np.arange(m), sd, np.full(n, -np.inf), np.ones(n), n)  # one seed point at most
    base = (np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), np.concatenate(lo_),
            np.concatenate(hi_), nrow)
    cost = (mult[pi] * d[pi, pj]).astype(float)
    for whole in (True, False) if lk.any() else (False,):
        rr, cc, vv, lo, hi, nr = base
        if whole:  # a settlement kept whole: its nodes with its first one, at every meeting point
            er, ec, ev_, nr = _whole_rows(np.where(lk, r.block, -1), pid, nr)
            if er:
                rr = np.r_[rr, np.concatenate(er)]
                cc = np.r_[cc, np.concatenate(ec)]
                vv = np.r_[vv, np.concatenate(ev_)]
                lo = np.r_[lo, np.zeros(nr - base[5])]
                hi = np.r_[hi, np.zeros(nr - base[5])]
        mat = sp.csr_matrix((vv, (rr, cc)), shape=(nr, m))
        res = highs_milp(cost, integrality=np.zeros(m), bounds=Bounds(0, 1), constraints=[LinearConstraint(mat, lo, hi)])
        if res.x is None:
            continue
        x = res.x
        if np.abs(x - np.round(x)).max() > 1e-6:
            continue
        part = np.empty(n, dtype=np.int64)
        on = x > 0.5
        part[pi[on]] = pj[on]
        return part
    return None


def _whole_rows(lb: np.ndarray, pid: np.ndarray, nr: int
                ) -> tuple[list[list[int]], list[list[int]], list[list[float]], int]:
    """The rows of :func:`_median_cut`'s model keeping each settlement whole (``lb``: each node's settlement
    kept whole, -1 for none): at every meeting point ``j``, a node's ``x_ij`` equals that of its settlement's
    first node (``pid``: the variable of each node and meeting point, -1 for none). Rows numbered from ``nr``;
    returned as rows, columns and values per row, and the next row's number."""
    first: dict[int, int] = {}
    er: list[list[int]] = []
    ec: list[list[int]] = []
    ev: list[list[float]] = []
    for i in range(len(lb)):
        if lb[i] < 0:
            continue
        f = first.setdefault(int(lb[i]), i)
        if f == i:
            continue
        js = np.flatnonzero((pid[i] >= 0) | (pid[f] >= 0))
        for j in js.tolist():
            x, y = int(pid[i, j]), int(pid[f, j])
            er.append([nr] * ((x >= 0) + (y >= 0)))
            ec.append([c for c in (x, y) if c >= 0])
            ev.append([v for c, v in ((x, 1.0), (y, -1.0)) if c >= 0])
            nr += 1
    return er, ec, ev, nr


def _lightest(r: NodeGraph, hi: float) -> np.ndarray:
    """The weight of the lightest path between each two nodes of ``r`` (both ends counted), inf above
    ``hi``."""
    # node weights moved onto the arcs: w(u→v) = w(v); a path's weight is then its arcs' plus its first node
    a = sp.coo_matrix((np.r_[r.w[r.v], r.w[r.u]], (np.r_[r.u, r.v], np.r_[r.v, r.u])), shape=(r.n, r.n)).tocsr()
    out = dijkstra(a, directed=True, limit=hi) + r.w[:, None]
    return out


def _searched(r: NodeGraph, s: Settings, lk: np.ndarray) -> list[np.ndarray | None]:
    """The split of region ``r`` by the exact search (:func:`head_split`): the settlements kept whole (``lk``)
    contracted first, free when that search finds none."""
    assert r.head is not None
    if lk.any():
        _, rep = np.unique(np.where(lk, r.block, -1 - np.arange(r.n)), return_inverse=True)
        a, b = rep[r.u], rep[r.v]
        e = np.unique(np.c_[np.minimum(a, b), np.maximum(a, b)][a != b], axis=0)
        w, h = np.bincount(rep, weights=r.w), np.bincount(rep, weights=r.head)
        part = head_split(w, e[:, 0], e[:, 1], s.lo, s.hi, h)[1]
        if part is not None:
            return [part[rep]]
    return [head_split(r.w, r.u, r.v, s.lo, s.hi, r.head)[1]]


def _blocks_split(r: NodeGraph, lk: np.ndarray, ids: np.ndarray) -> int:
    """Settlements kept whole (``lk``) that the parts ``ids`` of region ``r`` split."""
    b = r.block[lk]
    if not len(b):
        return 0
    pairs = np.unique(np.c_[b, ids[lk]], axis=0)
    return int(len(pairs) - len(np.unique(b)))


def _added(units: Units, nodes: np.ndarray, ids: np.ndarray, chain: list[int]) -> float:
    """Walking minutes added when the units ``chain`` (holding ``nodes``) become the parts ``ids``."""
    return float(sum(units.evaluate(nodes[ids == j])[0] for j in range(int(ids.max()) + 1))
                 - sum(units.cost[k] for k in chain))


def _chains(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, a: int) -> list[list[int]]:
    """The chains from unit ``a``: the units (sorted) on a shortest way (fewest units, then unit order) from
    ``a`` to each of the ``CHAIN_COUNT`` nearest units where the way's candidate locations are at least the
    fewest units its weight needs, over ``ok`` units within the band of no locked unit; at most
    ``CHAIN_UNITS`` units and ``CHAIN_NODES`` nodes."""
    assert g.head is not None

    def usable(k: int) -> bool:
        n = units.nodes[k]
        return bool(part_ok[n].all()) and s.lo <= g.w[n].sum() <= s.hi and _free(g, units, k)

    def enough(k: int) -> bool:  # the way's candidates cover the fewest units it could be cut into
        return cand[k] >= max(int(np.ceil(weight[k] / s.hi - 1e-9)), 1)

    parent, depth, size = {a: -1}, {a: 1}, {a: len(units.nodes[a])}
    weight = {a: float(g.w[units.nodes[a]].sum())}
    cand = {a: int((g.head[units.nodes[a]] > 0).sum())}
    order: list[int] = [a]
    out: list[list[int]] = []
    for k in order:
        if len(out) >= CHAIN_COUNT:
            break
        if k != a and enough(k):
            chain, x = [], k
            while x >= 0:
                chain.append(x)
                x = parent[x]
            out.append(sorted(chain))
            continue  # a chain ends where its candidates are enough
        if depth[k] >= CHAIN_UNITS:
            continue
        for b in neighbour_units(units, k):
            if b in parent or not usable(b) or size[k] + len(units.nodes[b]) > CHAIN_NODES:
                continue
            parent[b], depth[b], size[b] = k, depth[k] + 1, size[k] + len(units.nodes[b])
            weight[b] = weight[k] + float(g.w[units.nodes[b]].sum())
            cand[b] = cand[k] + int((g.head[units.nodes[b]] > 0).sum())
            order.append(b)
    return out
