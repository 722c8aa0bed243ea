"""Stage: candidate heads placed by set partitioning over a pool of units (issue 13), after the head stage.

:func:`~yuanluo.gis.delineate.heads.head_fix` re-cuts a component still lacking a candidate head as a whole
(one cut of the head-aware tree DP, step 4) or by the exact MILP (step 5, up to ``head_exact_max_n`` nodes,
``proven`` where it finds none). Each cut alone is often one part short of a head. Here the parts of many cuts
are pooled: for each component of at most ``POOL_MAX_W`` households (or persons) whose ``ok`` units lack a
candidate head, the columns are its units now, its units as they were before the head stage (``pre``, the
walk-good ones), and every part of its cuts along the walking-time spanning tree and ``POOL_TREES`` jittered
ones, by the head-aware tree DP and by the plain one. A column is kept when it is connected, within the band,
holds at most one seed point and splits no settlement the units keep whole; its cost is its exact walk
(:meth:`~yuanluo.gis.delineate.improve.Units.evaluate`: meeting point, walks inside the unit, the walking-limit
penalty) plus ``LACK_COST`` walking minutes per candidate head it lacks. HiGHS (``scipy.optimize.milp``)
chooses the columns covering every node once, no more units than now, at the least cost; the units now are
such a cover, so nothing lacks more and the choice is taken only when its cost is lower. The local search then
runs on the units changed and their neighbours. Without the head rule no unit lacks a head: the stage does
nothing (as the head stage).

Measured (changshou, 3,000 households, seeds 0–15, heads on; ``bench/results/heads.md``, session 41): HEAD-UNPLACED
74 → 71, HEAD-SHORT 92 → 86, mean walk 0.89793 → 0.89809 (+0.02 %); the stage took 4.11 s of 39.52 s of fits
(10.4 %). The prototype's 74 → 69 and 92 → 84 for +0.7 % walk drew its jitters from another generator.

Examples
--------
A path of six households, units of two or three, candidates at both ends: the middle unit of three lacks
one. No move keeps the band; two units of three, a candidate in each, do.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.ones(5))
>>> g.head = np.array([1, 0, 0, 0, 0, 1])
>>> units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]), heads=g.head, size=g.w)
>>> pool_heads(g, Settings(lo=2, hi=3, target=2.5), units, np.ones(6, dtype=bool), None,
...            np.random.default_rng(0))
1
>>> sorted(n.tolist() for n in units.nodes.values()), sum(units.lack(k) for k in units.nodes)
([[0, 1, 2], [3, 4, 5]], 0.0)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

from yuanluo.gis.delineate.construct import construct_trees_both
from yuanluo.gis.delineate.heads import search_near
from yuanluo.gis.delineate.improve import Units, head_lack, locked_nodes
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.exact import highs_milp

__all__ = ["pool_heads"]

POOL_MAX_W = 200  # components of at most this size (households, or persons) are recombined
POOL_TREES = 12  # jittered spanning trees cut per component (besides the walking-time tree), each cut twice
LACK_COST = 1e3  # walking minutes a lacking candidate head costs in the choice of columns


def pool_heads(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, pre: np.ndarray | None,
               rng: np.random.Generator) -> int:
    """Recombine the components of at most ``POOL_MAX_W`` whose ``ok`` units lack candidate heads (``units``
    changes in place; ``pre`` the labels before the head stage, or None). Returns the components changed."""
    if units.heads is None or g.head is None or not g.n:
        return 0
    changed: set[int] = set()
    taken = 0
    # the settlements kept whole, once for all components: a component's own are as they were until its turn
    # (a settlement across components is never whole: no unit spans two)
    locked = locked_nodes(g, s, units.lab)
    order = np.argsort(g.comp, kind="stable")
    cuts = np.flatnonzero(np.diff(g.comp[order])) + 1
    for cn in np.split(order, cuts):
        if not len(cn) or g.w[cn].sum() > POOL_MAX_W:
            continue
        ks = sorted(set(units.lab[cn].tolist()))
        if len(ks) < 2 or not all(_free(g, s, units, part_ok, k) for k in ks) \
                or not any(units.lack(k) > 0 for k in ks):
            continue
        new = _recombine(g, s, units, ks, pre, rng, locked)
        if new:
            taken += 1
            changed |= new
    search_near(g, s, units, part_ok, changed)
    return taken


def _free(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, k: int) -> bool:
    """Unit ``k`` is ``ok``, within the band and of no locked unit."""
    n = units.nodes[k]
    return bool(part_ok[n].all()) and s.lo <= g.w[n].sum() <= s.hi \
        and (g.locked is None or bool((g.locked[n] < 0).all()))


def _columns(g: NodeGraph, s: Settings, units: Units, ks: list[int], nodes: np.ndarray, pre: np.ndarray | None,
             rng: np.random.Generator) -> tuple[list[np.ndarray], int]:
    """The candidate units of ``nodes`` (local indices, sorted, distinct), the units now first; and how many
    of those there are."""
    loc = np.full(g.n, -1, dtype=np.int64)
    loc[nodes] = np.arange(len(nodes))
    cols: dict[bytes, np.ndarray] = {}

    def add(m: np.ndarray) -> None:
        cols.setdefault(np.sort(m).tobytes(), np.sort(m))

    for k in ks:
        add(loc[units.nodes[k]])
    if pre is not None:
        pl = pre[nodes]
        for q in np.unique(pl).tolist():
            add(np.flatnonzero(pl == q))
    sub = g.restrict(nodes)
    jit: list[np.ndarray | None] = [None, *(rng.uniform(0.2, 1.8, size=len(sub.u)) for _ in range(POOL_TREES))]
    heads, plain = construct_trees_both(sub, s, jit)  # the head-aware tree DP and the plain one, the same forests
    for part in heads + plain:
        for q in np.unique(part).tolist():
            add(np.flatnonzero(part == q))
    return list(cols.values()), len(ks)


def _recombine(g: NodeGraph, s: Settings, units: Units, ks: list[int], pre: np.ndarray | None,
               rng: np.random.Generator, locked: np.ndarray) -> set[int]:
    """The set partitioning of the units ``ks`` (a whole component; ``locked``: :func:`locked_nodes` of its
    units); returns the new units (none: kept)."""
    nodes = np.sort(np.concatenate([units.nodes[k] for k in ks]))
    cols, now = _columns(g, s, units, ks, nodes, pre, rng)
    hd = g.head[nodes] if g.head is not None else np.zeros(len(nodes))
    fits, wsum, hsum = column_fits(cols, now, g.w[nodes], g.seed[nodes], hd,
                                   np.where(locked[nodes], g.block[nodes], -1), s.lo, s.hi)
    lack = head_lack(hsum, wsum, units.heads_for).tolist()
    keep, cost = [], []
    for i, m in enumerate(cols):
        if not fits[i]:
            continue
        c = units.evaluate(nodes[m])[0]
        if np.isfinite(c):  # inf: in pieces
            keep.append(m)
            cost.append(c + LACK_COST * lack[i])
        elif i < now:  # a unit now in pieces: not recombined here
            return set()
    if len(keep) == now:
        return set()
    return take_cover(units, ks, nodes, keep, cost, now)


def column_fits(cols: list[np.ndarray], now: int, w: np.ndarray, seed: np.ndarray, head: np.ndarray,
                lblock: np.ndarray, lo: float, hi: float) -> tuple[list[bool], np.ndarray, np.ndarray]:
    """Which of the columns ``cols`` (positions in a window's nodes, whose weights, seed points, candidate heads
    and blocks of the settlements kept whole, -1 elsewhere, are given) may be a unit: the first ``now`` (the
    units now) always; each other when within the band ``lo``–``hi``, holding at most one seed point and
    splitting no settlement kept whole. Also each column's weight and candidates (whole numbers: the sums are
    exact in any order). All columns at once: the same answers as column by column, with fewer small arrays.

    Three columns over five nodes, node 4 a seed point, nodes 0 and 1 a settlement kept whole:

    >>> cols = [np.array([0, 1]), np.array([1, 2, 3]), np.array([2, 3, 4])]
    >>> fits, w, h = column_fits(cols, 0, np.ones(5), np.array([0, 0, 0, 0, 1]), np.array([1, 0, 0, 0, 1]),
    ...                          np.array([7, 7, -1, -1, -1]), 2, 3)
    >>> fits, w.tolist(), h.tolist()  # the second splits the settlement
    ([True, False, True], [2.0, 3.0, 3.0], [1, 0, 1])
    """
    lens = np.fromiter((len(m) for m in cols), dtype=np.int64, count=len(cols))
    at = np.concatenate(cols)
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    wsum, ssum, hsum = (np.add.reduceat(a[at], starts) for a in (w, seed.astype(np.int64), head))
    fits = (lo <= wsum) & (wsum <= hi) & (ssum <= 1)
    fits[:now] = True
    if (lblock >= 0).any():  # a settlement kept whole: in a column whole or not at all
        part = np.add.reduceat(lblock[at] >= 0, starts) > 0
        for i in np.flatnonzero(fits & part).tolist():
            if i >= now:
                lb = lblock[cols[i]][lblock[cols[i]] >= 0]
                fits[i] = all((lblock == b).sum() == (lb == b).sum() for b in np.unique(lb).tolist())
    return fits.tolist(), wsum, hsum


def take_cover(units: Units, ks: list[int], nodes: np.ndarray, keep: list[np.ndarray], cost: list[float],
               most: int | None) -> set[int]:
    """Cover ``nodes`` (the units ``ks``, sorted) by the columns ``keep`` (positions in ``nodes``, the units now
    first) walking least (HiGHS; at most ``most`` columns when given) and put the cover in place of ``ks`` when it
    walks less than they do; returns the new units (none: the units kept)."""
    now = len(ks)
    rows = np.concatenate(keep)
    a = sp.csr_matrix((np.ones(len(rows)), (rows, np.repeat(np.arange(len(keep)), [len(m) for m in keep]))),
                      shape=(len(nodes), len(keep)))
    rules = [LinearConstraint(a, 1, 1)]
    if most is not None:
        rules.append(LinearConstraint(np.ones((1, len(keep))), 0, most))
    res = highs_milp(np.asarray(cost), integrality=np.ones(len(keep)), bounds=Bounds(0, 1), constraints=rules)
    if res.x is None:
        return set()
    chosen = np.flatnonzero(res.x > 0.5).tolist()
    if not sum(cost[i] for i in chosen) < sum(cost[:now]) - 1e-6:
        return set()
    for k in ks:
        del units.nodes[k], units.cost[k], units.meet[k]
    base = max([*units.nodes, *ks]) + 1
    for j, i in enumerate(chosen):
        units.lab[nodes[keep[i]]] = base + j
        units.nodes[base + j] = nodes[keep[i]]
        units.refresh(base + j)
    return set(range(base, base + len(chosen)))
