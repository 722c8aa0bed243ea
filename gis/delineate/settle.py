"""Stage: settlements made whole — a settlement block that fits in one unit and ends split is joined again.

After the search, every settlement block (the connected piece of one settlement within one nest group) that
fits in one unit (size ≤ ceiling) but spans several ``ok`` units is made whole, where the rules allow, by
the first of:

(a) a move of the block's outlying nodes into one of its units (the unit holding most of it first): the
    receiving unit stays within the ceiling, every giving unit keeps at least the floor (or is emptied),
    stays contiguous, lacks no more candidate heads, and no two seed points come together;
(a′) the same move into the unit holding most of the block when that takes it over the ceiling, the unit then
    giving households outside the block to neighbouring ``ok`` units,
    one at a time, the cheapest first, until it is within the ceiling (a household only where no other household of
    its settlement stays behind in the unit): every unit keeps the band, stays
    contiguous, lacks no more candidate heads, and no two seed points come together (else nothing changes);
(b) a re-cut of the union of the block's units — then with one and two rings of neighbouring ``ok``
    units (``SETTLE_RINGS``, at most ``SETTLE_MAX_N`` nodes) — by the tree DP on the region with the block
    and every block whole before contracted to one node each (so none can be cut; the walking-time tree,
    then ``SETTLE_TREES`` jittered ones), taken when every part is within the band, no more candidate heads
    are lacking and no two seed points share a part.

A block still split is returned: the band (or the head rule, or contiguity) does not allow it here; the
result reports it as ``SETTLEMENT-SPLIT``.

Examples
--------
A path of six households, settlement {2, 3} split 0-1-2 | 3-4-5, units of 2–4: 3 joins its settlement.

>>> from yuanluo.gis.delineate.improve import Units
>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.ones(5), block=np.array([0, 1, 2, 2, 3, 4]))
>>> units = Units(g.csr(), np.array([0, 0, 0, 3, 3, 3]))
>>> settle_whole(g, Settings(lo=2, hi=4, target=3.0), units, np.ones(6, dtype=bool), np.random.default_rng(0))
[]
>>> units.lab.tolist()
[0, 0, 0, 0, 3, 3]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yuanluo.gis.delineate.construct import construct_trees
from yuanluo.gis.delineate.improve import Units, head_lack
from yuanluo.gis.delineate.prepare import contract_edges
from yuanluo.gis.delineate.problem import NodeGraph, Settings, components

__all__ = ["settle_whole", "split_blocks"]

SETTLE_TREES = 2  # jittered spanning trees tried per re-cut region (after the walking-time tree)
SETTLE_RINGS = 2  # rings of neighbouring units a re-cut region grows by
SETTLE_MAX_N = 250  # re-cut regions of at most this many nodes


def split_blocks(g: NodeGraph, s: Settings, lab: np.ndarray, part_ok: np.ndarray) -> list[int]:
    """Settlement blocks of two or more nodes that fit in one unit, lie in ``ok`` nodes and span several
    parts, in order of their first node."""
    if not s.keep_settlements or not g.n:
        return []
    nb = int(g.block.max()) + 1
    cnt = np.bincount(g.block, minlength=nb)
    lo_l = np.full(nb, np.iinfo(np.int64).max)
    hi_l = np.full(nb, -1)
    np.minimum.at(lo_l, g.block, lab)
    np.maximum.at(hi_l, g.block, lab)
    bad_ok = np.bincount(g.block, weights=~part_ok, minlength=nb) > 0
    b = np.flatnonzero((cnt > 1) & (g.bsize <= s.hi) & (lo_l != hi_l) & ~bad_ok)
    first = np.full(nb, g.n)
    np.minimum.at(first, g.block, np.arange(g.n))
    return sorted(b.tolist(), key=lambda x: int(first[x]))


def settle_whole(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, rng: np.random.Generator, *,
                 recut: bool = True) -> list[int]:
    """Make split settlement blocks whole where the rules allow (``units`` changes in place); returns the
    blocks still split. Without ``recut`` only by moves ((a) and (a′): the units around stay as they are)."""
    left: list[int] = []
    for b in split_blocks(g, s, units.lab, part_ok):
        bn = np.flatnonzero(g.block == b)
        if len(np.unique(units.lab[bn])) < 2:
            continue  # made whole by an earlier re-cut
        if not (_move_block(g, s, units, bn) or _shed_block(g, s, units, bn, part_ok)
                or (recut and _recut_block(g, s, units, bn, part_ok, rng))):
            left.append(b)
    return left


def _lack(units: Units, g: NodeGraph, nodes: np.ndarray) -> float:
    if units.heads is None or not len(nodes):
        return 0.0
    return float(head_lack(units.heads[nodes].sum(), g.w[nodes].sum(), units.heads_for))


def _move_block(g: NodeGraph, s: Settings, units: Units, bn: np.ndarray) -> bool:
    """(a): move the block's nodes into one of its units; True when done."""
    ks, cnt = np.unique(units.lab[bn], return_counts=True)
    best: tuple[float, int] | None = None
    for t in ks[np.lexsort((ks, -cnt))].tolist():
        cost = _move_cost(g, s, units, bn, t)
        if cost is not None and (best is None or cost < best[0] - 1e-9):
            best = (cost, t)
    if best is None:
        return False
    _join(units, bn, best[1])
    return True


def _join(units: Units, bn: np.ndarray, t: int) -> None:
    """The block's nodes moved into unit ``t`` (a unit left empty is dropped)."""
    for d in np.unique(units.lab[bn]).tolist():
        if d == t:
            continue
        rest = units.nodes[d][~np.isin(units.nodes[d], bn)]
        if len(rest):
            units.nodes[d] = rest
            units.refresh(d)
        else:
            del units.nodes[d], units.meet[d], units.cost[d]
    units.lab[bn] = t
    units.nodes[t] = np.union1d(units.nodes[t], bn)
    units.refresh(t)


def _shed_block(g: NodeGraph, s: Settings, units: Units, bn: np.ndarray, part_ok: np.ndarray) -> bool:
    """(a′): the block into the unit holding most of it, which then gives nodes outside the block to its
    neighbouring ``ok`` units until within the ceiling; True when done (else ``units`` as before)."""
    ks, cnt = np.unique(units.lab[bn], return_counts=True)
    t = int(ks[np.lexsort((ks, -cnt))][0])
    if _move_cost(g, s, units, bn, t, ceiling=np.inf) is None:
        return False
    saved = (units.lab.copy(), dict(units.nodes), dict(units.meet), dict(units.cost), units.dm.copy())
    _join(units, bn, t)
    while g.w[units.nodes[t]].sum() > s.hi:
        nt = units.nodes[t]
        alone = np.bincount(g.block[nt])[g.block[nt]] == 1
        step = _cheapest_shed(g, s, units, t, nt[alone], part_ok)  # no settlement of t left in two
        if step is None:
            units.lab, units.nodes, units.meet, units.cost, units.dm = saved
            return False
        x, u = step
        units.lab[x] = u
        units.nodes[t] = units.nodes[t][units.nodes[t] != x]
        units.nodes[u] = np.union1d(units.nodes[u], [x])
        units.refresh(t)
        units.refresh(u)
    return True


def _cheapest_shed(g: NodeGraph, s: Settings, units: Units, t: int, free: np.ndarray, part_ok: np.ndarray
                   ) -> tuple[int, int] | None:
    """The move of one node of ``free`` (nodes of unit ``t``) into a neighbouring ``ok`` unit that keeps both
    units' rules, walking least; None when there is none."""
    nt = units.nodes[t]
    best: tuple[float, int, int] | None = None
    for x in free.tolist():
        rest = nt[nt != x]
        if g.w[rest].sum() < s.lo or _lack(units, g, rest) > _lack(units, g, nt):
            continue
        nb = units.indices[units.indptr[x]: units.indptr[x + 1]]
        for u in np.unique(units.lab[nb[part_ok[nb]]]).tolist():
            if u == t:
                continue
            nu = np.union1d(units.nodes[u], [x])
            if (g.w[nu].sum() > s.hi or _lack(units, g, nu) > _lack(units, g, units.nodes[u])
                    or (units.seed[x] and units.seed[units.nodes[u]].any())):
                continue
            ct, _, _ = units.evaluate(rest)
            if not np.isfinite(ct):
                break  # t would fall apart without x
            cu, _, _ = units.evaluate(nu)
            delta = ct + cu - units.cost[t] - units.cost[u]
            if best is None or delta < best[0] - 1e-9:
                best = (delta, x, u)
    return None if best is None else (best[1], best[2])


def _move_cost(g: NodeGraph, s: Settings, units: Units, bn: np.ndarray, t: int, ceiling: float | None = None
               ) -> float | None:
    """Change of walking cost when the block's nodes join unit ``t``; None when a rule forbids it (``t`` may
    grow to ``ceiling``, by default the band's)."""
    moving = bn[units.lab[bn] != t]
    nt = np.union1d(units.nodes[t], moving)
    if g.w[nt].sum() > (s.hi if ceiling is None else ceiling) or (units.seed[moving].any()
                                                                 and units.seed[units.nodes[t]].any()):
        return None
    if _lack(units, g, nt) > _lack(units, g, units.nodes[t]):
        return None
    delta = 0.0
    for d in np.unique(units.lab[moving]).tolist():
        nd = units.nodes[d]
        rest = nd[~np.isin(nd, moving)]
        if len(rest):
            size = g.w[rest].sum()
            if size < s.lo or _lack(units, g, rest) > _lack(units, g, nd):
                return None
            c, _, _ = units.evaluate(rest)
            if not np.isfinite(c):
                return None  # the giving unit would fall apart
            delta += c - units.cost[d]
        else:
            delta -= units.cost[d]
    c, _, _ = units.evaluate(nt)
    return delta + c - units.cost[t]


def _recut_block(g: NodeGraph, s: Settings, units: Units, bn: np.ndarray, part_ok: np.ndarray,
                 rng: np.random.Generator) -> bool:
    """(b): re-cut the block's units, then with one and two rings of neighbouring ``ok`` units, with
    settlements as subtrees (cut only where the band needs it); True when a cut is taken."""
    region = np.unique(units.lab[bn])
    for ring in range(SETTLE_RINGS + 1):
        if ring:
            a, b = units.lab[g.u], units.lab[g.v]
            ina = np.isin(a, region)
            touch = (ina ^ np.isin(b, region)) & part_ok[g.u] & part_ok[g.v]
            nbrs = np.unique(np.where(ina, b, a)[touch])
            if not len(nbrs):
                return False
            region = np.union1d(region, nbrs)
        nodes = np.sort(np.concatenate([units.nodes[int(k)] for k in region]))
        if len(nodes) > SETTLE_MAX_N:
            return False
        groups = _recut(g, s, units, nodes, bn, rng)
        if groups is not None:
            _replace(units, region.tolist(), groups)
            return True
    return False


def _recut(g: NodeGraph, s: Settings, units: Units, nodes: np.ndarray, bn: np.ndarray,
           rng: np.random.Generator) -> list[np.ndarray] | None:
    """Parts of ``nodes`` (a union of units) along spanning trees of the region with the block ``bn`` and
    every block whole before contracted to one node each: every part in the band, no more candidate heads
    lacking and no two seeds together; None when no tree gives one."""
    sub = g.restrict(nodes)
    keep = np.isin(sub.block, _whole(sub, s, units.lab[nodes])) | np.isin(nodes, bn)
    first = np.full(int(sub.block.max()) + 1, sub.n)
    np.minimum.at(first, sub.block, np.arange(sub.n))
    cid = pd.factorize(np.where(keep, first[sub.block], np.arange(sub.n)), sort=False)[0]
    k = int(cid.max()) + 1
    cu, cv, cw = contract_edges(cid, sub.u, sub.v, sub.walk)
    rep = np.full(k, sub.n)
    np.minimum.at(rep, cid, np.arange(sub.n))
    c = NodeGraph(w=np.bincount(cid, weights=sub.w, minlength=k).astype(np.int64), u=cu, v=cv, walk=cw,
                  block=sub.block[rep], comp=components(k, cu, cv),
                  seed=np.bincount(cid, weights=sub.seed, minlength=k) > 0,
                  head=None if sub.head is None else np.bincount(cid, weights=sub.head, minlength=k).astype(np.int64))
    before = sum(_lack(units, g, units.nodes[int(x)]) for x in np.unique(units.lab[nodes]))
    # the walking-time tree and SETTLE_TREES jittered ones cut side by side (most regions take none of them);
    # the generator is then left where drawing the jitters one by one up to the cut taken leaves it
    state = rng.bit_generator.state
    jits = [None, *(rng.uniform(0.2, 1.8, size=len(c.u)) for _ in range(SETTLE_TREES))]
    for t, cut in enumerate(construct_trees(c, s, jits)):
        part = np.unique(np.asarray(cut), return_inverse=True)[1][cid]
        size = np.bincount(part, weights=sub.w)
        if ((size < s.lo) | (size > s.hi)).any():
            continue
        groups = [nodes[part == x] for x in range(len(size))]
        if sum(_lack(units, g, gr) for gr in groups) > before or any(units.seed[gr].sum() > 1 for gr in groups):
            continue
        rng.bit_generator.state = state
        for _ in range(t):
            rng.uniform(0.2, 1.8, size=len(c.u))
        return groups
    return None


def _replace(units: Units, old: list[int], groups: list[np.ndarray]) -> None:
    """Units ``old`` replaced by ``groups`` (their ids reused in order, then fresh ones)."""
    nxt = max(units.nodes) + 1
    for k in old:
        del units.nodes[k], units.meet[k], units.cost[k]
    ids = old[: len(groups)] + list(range(nxt, nxt + len(groups) - len(old)))
    for k, gr in zip(ids, groups, strict=True):
        units.lab[gr] = k
        units.nodes[k] = gr
        units.refresh(k)


def _whole(sub: NodeGraph, s: Settings, part: np.ndarray) -> list[int]:
    """Blocks of two or more nodes that fit in one unit and are whole in ``part``."""
    nb = int(sub.block.max()) + 1
    lo_l = np.full(nb, np.iinfo(np.int64).max)
    hi_l = np.full(nb, -1)
    np.minimum.at(lo_l, sub.block, part)
    np.maximum.at(hi_l, sub.block, part)
    cnt = np.bincount(sub.block, minlength=nb)
    return np.flatnonzero((cnt > 1) & (lo_l == hi_l) & (np.bincount(sub.block, weights=sub.w, minlength=nb) <= s.hi)
                          ).tolist()
