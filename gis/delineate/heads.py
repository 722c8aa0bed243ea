"""Stage: the candidate-head rule (能力匹配) — the pre-check per component, the head fix, the exceptions,
the suggested head of each unit.

With ``require_head`` and a ``head_candidate`` column every ``ok`` unit holds a candidate head (two above
``heads_for_size``). The units are drawn for walking first; the local search and merge–resplit count each
lacking candidate as ``HEAD_SOFT_MIN`` walking minutes (:class:`~yuanluo.gis.delineate.improve.Units`), and
:func:`head_fix` then makes the rule hard: pair re-splits, re-cuts of three units and of whole components with
the head-aware tree DP
(:func:`~yuanluo.gis.delineate.construct.tree_partition_heads`, :func:`head_rescue`), the exact split on pairs
of units and on small components still lacking (:func:`~yuanluo.gis.delineate.rescue.band_partition_milp`: the
bounded search of :mod:`~yuanluo.gis.delineate.headsearch`, then HiGHS where it runs out of steps), and a search that never raises a unit's lack. This module
also checks each connected component — the candidates at distinct locations must cover the fewest units
its size needs (a location is one node and can head one unit) — and turns a unit still without enough
candidates into an exception: ``HEAD-SHORT`` when its component is short (with the shortfall) or it is
proven, by a plain reason (:mod:`~yuanluo.gis.delineate.headproof`) or the exact search, that no split
within the band gives every unit one (``proven``), ``HEAD-UNPLACED`` when the component has enough
candidates but no such split was found (no re-cut gave one, no plain reason holds, and the component is
above ``Settings.head_exact_max_n`` nodes, or the search's steps and the MILP's node limit both ran out).

Examples
--------
Fifty households in one component, units of at most 25, candidates at one location: one short.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(50), np.arange(49), np.arange(1, 50), np.ones(49))
>>> g.head = np.r_[2, np.zeros(49, dtype=int)]
>>> head_precheck(g, Settings(lo=15, hi=25, target=20.0))
{0: {'candidates': 1, 'needed': 2, 'shortfall': 1}}
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.columns import flag_values
from yuanluo.gis.delineate.construct import construct, construct_many, heads_on
from yuanluo.gis.delineate.headproof import no_head_split
from yuanluo.gis.delineate.headsearch import head_split
from yuanluo.gis.delineate.improve import (
    SPLIT_EXACT,
    Pair,
    Units,
    apply_split,
    best_split,
    cut_costs,
    head_lack,
    local_search,
    locked_nodes,
    recombine,
    unique_rows,
)
from yuanluo.gis.delineate.problem import NodeGraph, Settings, feasible
from yuanluo.gis.delineate.rescue import band_partition_milp
from yuanluo.gis.graph import TerrainGraph, unit_toward

__all__ = ["head_precheck", "min_heads", "head_exceptions", "head_rescue", "head_fix", "area_head_split",
           "suggested_heads", "tied_walks", "remnant_cut", "nearest_candidates", "NEAR_CUTOFF_MIN"]

HEAD_RINGS = 3  # rings of neighbouring units a region around a unit without a head grows by
HEAD_TREES = 2  # spanning trees (the walking-time tree, then jittered ones) tried per region
HEAD_MAX_N = 250  # regions of at most this many nodes
HEAD_SOFT_MIN = 2.0  # walking minutes a lacking candidate head costs in the local search and merge–resplit
HEAD_CENTRES = 4  # candidate heads of a pair tried as centres of its re-split
HEAD_MILP_N = 100  # pairs of units of at most this many nodes get the exact re-split when still lacking
HEAD_MILP_NODES = 500  # its branch-and-bound node limit
WALK_TIE = 1e-6  # walking minutes (relative above a minute) within which two walks are one (:func:`tied_walks`)
HEAD_TRIPLE_TREES = 4  # jittered spanning trees tried per such triple
HEAD_COUNT_STEPS = 5_000  # steps of each exact search for a split into a given count of parts (step 5)
HEAD_CLOSE_CENTRES = 4  # candidate heads of a pair the closing merge–resplit also grows splits from
NEAR_CUTOFF_MIN = 30.0  # a unit without its head names the nearest candidate outside it within this walk, or none


def min_heads(total: float, s: Settings) -> int:
    """The fewest candidate heads a connected area of size ``total`` needs: one per unit of the fewest units
    (⌈total / max⌉), plus one for every unit that must be above ``heads_for_size``.

    >>> min_heads(100, Settings(lo=20, hi=50, target=35.0)), min_heads(100, Settings(20, 50, 35.0, heads_for_size=30))
    (2, 4)
    """
    t = int(round(total))
    if t <= 0:
        return 0
    k_lo = -(-t // s.hi)
    big = s.heads_for_size
    if big is None or big >= s.hi:
        return k_lo
    best = None
    for k in range(k_lo, max(k_lo, t // max(s.lo, 1)) + 1):
        over = max(0, -(-(t - k * big) // (s.hi - big)))
        best = k + over if best is None else min(best, k + over)
    return int(best if best is not None else k_lo)


def head_precheck(g: NodeGraph, s: Settings) -> dict[int, dict[str, int]]:
    """The components (after island joins; never across a nest group) whose candidates cannot cover the
    fewest units they need: ``{component: {"candidates", "needed", "shortfall"}}``. Candidates count per
    location (node), up to two where two units' management groups could use them."""
    if g.head is None or not g.n:
        return {}
    total = np.bincount(g.comp, weights=g.w)
    cap = 1 if s.heads_for_size is None else 2
    cand = np.bincount(g.comp, weights=np.minimum(g.head, cap), minlength=len(total))
    out: dict[int, dict[str, int]] = {}
    for c in np.flatnonzero(cand < -(-total // s.hi)).tolist() + (
            list(range(len(total))) if s.heads_for_size is not None else []):
        if c in out:
            continue
        need = min_heads(float(total[c]), s)
        if cand[c] < need:
            out[int(c)] = {"candidates": int(cand[c]), "needed": need, "shortfall": int(need - cand[c])}
    return dict(sorted(out.items()))


def head_exceptions(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray,
                    proven: set[int] | None = None) -> dict[int, tuple[str, dict[str, Any]]]:
    """The ``ok`` units still lacking candidate heads, made exceptions (``part_ok`` is cleared for their
    nodes): unit → (code, reason parameters). ``proven``: components that the exact search proved to have
    no split within the band giving every unit a candidate (from :func:`head_fix`)."""
    if g.head is None or not s.require_head:
        return {}
    short = head_precheck(g, s)
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    lacking: list[tuple[int, float, float, int]] = []  # unit, heads, lack, component
    for k in sorted(units.nodes):
        nodes = units.nodes[k]
        if not part_ok[nodes].all():
            continue
        heads, size = float(g.head[nodes].sum()), float(g.w[nodes].sum())
        lack = float(head_lack(heads, size, s.heads_for_size))
        if lack > 0:
            lacking.append((k, heads, lack, int(g.comp[nodes[0]])))
    # what a short area lacks after the split, said beside its shortfall (it may lack more than the shortfall)
    area_lack: dict[int, float] = {}
    area_units: dict[int, int] = {}
    for _, _, lack, c in lacking:
        area_lack[c] = area_lack.get(c, 0.0) + lack
        area_units[c] = area_units.get(c, 0) + 1
    for k, heads, lack, c in lacking:
        nodes = units.nodes[k]
        params: dict[str, Any] = {"heads": int(heads), "need": int(heads + lack)}
        if c in short:
            out[k] = ("HEAD-SHORT", params | short[c] | {"why": "head_short", "area_lack": int(area_lack[c]),
                                                         "area_units": area_units[c]})
        elif proven and c in proven:
            out[k] = ("HEAD-SHORT", params | {"proven": True, "why": "head_proven"})
        else:
            out[k] = ("HEAD-UNPLACED", params | {"why": "head_unplaced"})
        part_ok[nodes] = False
    return out


def head_rescue(g: NodeGraph, s: Settings, lab: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """New labels where units within the band but lacking a candidate head were re-cut with their
    neighbours: around each such unit (in order of its first node) a region of whole in-band units grows
    ring by ring (at most ``HEAD_RINGS`` rings, ``HEAD_MAX_N`` nodes) and is cut anew by the head-aware tree
    DP along ``HEAD_TREES`` spanning trees; the first cut with every part within the band and fewer heads
    lacking in all is taken. Settlements stay whole (blocks are subtrees)."""
    if not heads_on(g, s) or not g.n:
        return lab
    assert g.head is not None
    lab = lab.copy()
    size = np.bincount(lab, weights=g.w)
    heads = np.bincount(lab, weights=g.head, minlength=len(size))
    lack = head_lack(heads, size, s.heads_for_size)
    inband = (size >= s.lo) & (size <= s.hi)
    todo = np.flatnonzero(inband & (lack > 0))
    if not len(todo):
        return lab
    first = np.full(len(size), g.n)
    np.minimum.at(first, lab, np.arange(g.n))
    norder, nstart, eorder, estart = _by_component(g)
    next_id = len(size)
    for p in sorted(todo.tolist(), key=lambda q: first[q]):
        c = int(g.comp[first[p]])
        cnodes = norder[nstart[c]: nstart[c + 1]]
        if not (lab[cnodes] == p).any():
            continue  # re-cut with an earlier region
        next_id = _head_region(g, s, lab, p, cnodes, eorder[estart[c]: estart[c + 1]], next_id, rng)
    return lab


def _by_component(g: NodeGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Nodes and edges grouped by component: component ``c`` holds the nodes ``norder[nstart[c]:nstart[c+1]]``
    and the edges ``eorder[estart[c]:estart[c+1]]``."""
    nc = int(g.comp.max()) + 1
    norder = np.argsort(g.comp, kind="stable")
    nstart = np.r_[0, np.cumsum(np.bincount(g.comp, minlength=nc))]
    eorder = np.argsort(g.comp[g.u], kind="stable")
    estart = np.r_[0, np.cumsum(np.bincount(g.comp[g.u], minlength=nc))]
    return norder, nstart, eorder, estart


def _head_region(g: NodeGraph, s: Settings, lab: np.ndarray, p: int, cnodes: np.ndarray, ce: np.ndarray,
                 next_id: int, rng: np.random.Generator) -> int:
    """Grow regions around unit ``p`` (nodes ``cnodes`` and edges ``ce`` of its component) and re-cut the
    first that gives
    fewer units without a head; ``lab`` changes in place. Returns the next free part id."""
    assert g.head is not None
    cu, cv = g.u[ce], g.v[ce]
    region = np.array([p])
    for _ring in range(HEAD_RINGS):
        a, b = lab[cu], lab[cv]
        ina = np.isin(a, region)
        touch = ina ^ np.isin(b, region)
        nbrs = np.unique(np.where(ina, b, a)[touch])
        if not len(nbrs):
            return next_id
        region = np.union1d(region, nbrs)
        nodes = cnodes[np.isin(lab[cnodes], region)]
        if len(nodes) > HEAD_MAX_N:
            return next_id
        before = _lack_of(g, s, lab[nodes], nodes)
        if np.isfinite(before) and (g.head[nodes] > 0).sum() <= len(region) - before:
            continue  # no spare candidate in the region: no cut can give one more unit a head
        part = _recut(g.restrict(nodes, ce), s, rng, before)
        if part is not None:
            ids = np.unique(part, return_inverse=True)[1]
            lab[nodes] = next_id + ids
            return next_id + int(ids.max()) + 1
    return next_id


def _lack_of(g: NodeGraph, s: Settings, part: np.ndarray, nodes: np.ndarray) -> float:
    """Heads lacking in all over the parts ``part`` of ``nodes``; inf when a part is outside the band."""
    assert g.head is not None
    ids = np.unique(part, return_inverse=True)[1]
    sz = np.bincount(ids, weights=g.w[nodes])
    if ((sz < s.lo) | (sz > s.hi)).any():
        return np.inf
    return float(head_lack(np.bincount(ids, weights=g.head[nodes]), sz, s.heads_for_size).sum())


def _recut(r: NodeGraph, s: Settings, rng: np.random.Generator, before: float, trees: int = HEAD_TREES
           ) -> np.ndarray | None:
    """The first cut of region ``r`` along spanning trees (its walking-time tree, then ``trees`` jittered
    ones, all cut side by side) with every part in the band and fewer heads lacking than ``before``; None
    when none is found."""
    return _recut_many([r], s, rng, [before], trees)[0]


def _recut_many(regions: list[NodeGraph], s: Settings, rng: np.random.Generator, before: list[float],
                trees: int) -> list[np.ndarray | None]:
    """:func:`_recut` of each region in turn (the jittered trees drawn in that order), the regions cut
    together (:func:`~yuanluo.gis.delineate.construct.construct_many`)."""
    jitters = [[None] + [rng.uniform(0.2, 1.8, size=len(r.u)) for _ in range(trees)] for r in regions]
    out: list[np.ndarray | None] = []
    for r, parts, b in zip(regions, construct_many(regions, s, jitters), before, strict=True):
        out.append(next((p for p in parts if _lack_of(r, s, p, np.arange(r.n)) < b - 1e-9), None))
    return out


def head_fix(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, rng: np.random.Generator
             ) -> set[int]:
    """Give every ``ok`` unit lacking a candidate head one, for the fewest walking minutes (``units``
    changes in place; the rule is hard from here: nothing lacks more afterwards). Returns the components
    proven to have no split within the band that gives every unit a candidate (step 5).

    1. Pair re-split: each unit lacking a head (in unit order) is merged with the neighbour whose re-split
       into two parts within the band, both with their heads, walks least (candidate splits as in the
       merge–resplit, also grown around each candidate head); first keeping whole settlements whole, then,
       where that fails, splitting one (reported as ``SETTLEMENT-SPLIT``). A unit still lacking next to the
       remnant of a component no split fits (:func:`_remnant_fix`) is re-split with that remnant into a
       unit within the band holding a candidate and a smaller remnant.
    2. Triple re-cut (:func:`_triple_fix`): each unit still lacking is re-cut with two units near it by the
       head-aware tree DP, so that a candidate moves along a chain of three units; of the sets of three
       that give it a head, the one walking least.
    3. Exact pair re-split (:func:`_exact_pairs`): each unit still lacking is re-cut with each neighbour by
       the exact MILP (pairs of at most ``HEAD_MILP_N`` nodes); of the pairs that have a split with a head
       in every part, the one walking least.
    4. Component re-cut: where units still lack a head, their component usually has too few candidates
       for its present number of units; it is cut anew with fewer units by the head-aware tree DP
       (:func:`head_rescue` on top) and taken when fewer heads lack.
    5. Exact placement: a component still lacking, of at most ``Settings.head_exact_max_n`` nodes (100
       unless asked for more: larger components place more heads, slower and walking more), whose candidates
       cover the fewest units it needs, is cut by the exact MILP with a candidate in every part
       (:func:`~yuanluo.gis.delineate.rescue.band_partition_milp`; settlements whole first, then free
       unless that search was undecided); when even the free MILP finds none, the component is proven to
       have none. A larger component is proven to have none where one of the plain reasons of
       :func:`~yuanluo.gis.delineate.headproof.no_head_split` holds.
    6. The local search and merge–resplit run again on the units changed and their neighbours.
    """
    if units.heads is None or not g.n:
        return set()
    units.lam = None
    locked = locked_nodes(g, s, units.lab)
    lockb = np.where(locked, g.block, -1)
    free = np.full(g.n, -1, dtype=np.int64)
    touched: set[int] = set()
    for a in _lacking(g, s, units, part_ok):
        if units.lack(a) <= 0:
            continue
        best: tuple[float, int, np.ndarray, Any] | None = None
        built: dict[int, Pair | None] = {}  # the pair of a and each neighbour, built once for both passes
        for lk in (lockb, free):
            for b in neighbour_units(units, a):
                nb = units.nodes[b]
                if not part_ok[nb[0]] or not s.lo <= g.w[nb].sum() <= s.hi:
                    continue
                if lk is free and (lockb[units.nodes[a]] < 0).all() and (lockb[nb] < 0).all():
                    continue  # no settlement locked in this pair: the same re-split as just tried, none
                opt = _pair_fix(units, a, b, g.w, lk, s, built)
                if opt is not None and (best is None or opt[0] < best[0]):
                    best = (opt[0], b, opt[1], opt[2])
            if best is not None:
                break
        if best is not None:
            apply_split(units, a, best[1], best[2], best[3])
            touched.update((a, best[1]))
    touched |= _remnant_fix(g, s, units, part_ok, lockb, free)
    short = set(head_precheck(g, s))
    touched |= _triple_fix(g, s, units, part_ok, short, rng)
    touched |= _exact_pairs(g, s, units, part_ok, short)
    touched |= _recut_components(g, s, units, part_ok, rng)
    exact, proven = _exact_components(g, s, units, part_ok)
    touched |= exact
    search_near(g, s, units, part_ok, touched, resplit=True)
    return proven


def _remnant_fix(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, lockb: np.ndarray,
                 free: np.ndarray) -> set[int]:
    """Step 1b of :func:`head_fix`: in a component whose size fits no split within the band (28 households
    under 15–25) the cut leaves units within the band and a remnant, an exception unit (``unsplittable``)
    that needs no head. A unit within the band lacking a candidate head next to such a remnant (not ``ok``)
    is merged with it and re-split into a part within the band holding its candidates and a remnant outside
    the band (both contiguous: the cuts of one tree edge of the pair's minimum spanning tree and of forests
    grown from its candidates and meeting points, :class:`~yuanluo.gis.delineate.improve.Pair`), at most
    one seed point in the unit, settlements kept whole first, then free; of the remnants next to it, the
    split walking least in all is taken and its part within the band becomes ``ok``. The pair re-splits
    pass these remnants over (both parts there must fit the band), so a unit of 16 without a candidate next
    to a remnant of 12 holding both stayed without one. Returns the units changed.

    >>> g = NodeGraph.build(np.ones(28), np.arange(27), np.arange(1, 28), np.ones(27))
    >>> g.head = np.r_[np.zeros(20, dtype=int), 1, np.zeros(7, dtype=int)]
    >>> s = Settings(lo=15, hi=25, target=20.0, require_head=True)
    >>> lab = np.r_[np.zeros(16, dtype=np.int64), np.ones(12, dtype=np.int64)]
    >>> units = Units(g.csr(), lab, heads=g.head, size=g.w)
    >>> part_ok = np.r_[np.ones(16, dtype=bool), np.zeros(12, dtype=bool)]
    >>> free = np.full(28, -1)
    >>> sorted(_remnant_fix(g, s, units, part_ok, free, free)), units.lack(0), units.nodes[0][[0, -1]].tolist()
    ([0, 1], 0.0, [13, 27])
    >>> int(part_ok.sum()), bool(part_ok[units.nodes[0]].all()), bool(part_ok[units.nodes[1]].any())
    (15, True, False)
    """
    new: set[int] = set()
    heads = units.heads
    if g.head is None or heads is None or not g.n:
        return new
    unfit = ~feasible(np.bincount(g.comp, weights=g.w), s.lo, s.hi)
    if not unfit.any():
        return new
    for a in _lacking(g, s, units, part_ok):
        if a not in units.nodes or units.lack(a) <= 0 or not unfit[g.comp[units.nodes[a][0]]]:
            continue
        best: tuple[float, int, Any] | None = None
        for lk in (lockb, free):
            for r in neighbour_units(units, a):
                nr = units.nodes[r]
                if part_ok[nr].any() or not (heads[nr] > 0).any():
                    continue
                opt = _remnant_split(units, a, r, g.w, lk, s)
                if opt is not None and (best is None or opt[0] < best[0]):
                    best = (opt[0], r, opt[1])
            if best is not None or not (lockb >= 0).any():
                break  # (no settlement locked: the free pass is the same)
        if best is None:
            continue
        r = best[1]
        _set_parts(units, ((a, best[2][1]), (r, best[2][2])))
        part_ok[units.nodes[a]] = True
        part_ok[units.nodes[r]] = False
        new.update((a, r))
    return new


def remnant_cut(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> set[int]:
    """Cut a component whose size fits no split within the band (26–29 households under 15–25) into the
    most units within the band, then walking least: each two neighbouring units of such a component both
    outside the band (not ``ok``), together at least the floor, are merged and re-split into two contiguous
    parts, as many of them within the band as any such split gives (one, two if the pair allows), at most
    one seed point in each, settlements kept whole first, then free; of the splits with most parts within
    the band the one walking least (cuts of one tree edge of the pair's minimum spanning tree and of the
    forest grown from its two meeting points, :class:`~yuanluo.gis.delineate.improve.Pair`). The tree DP
    of the construction sees no difference between 14 + 14 and 15 + 13 (two households below the floor
    both ways) and took the even cut: two exceptions, no ``ok`` unit. A part within the band becomes
    ``ok``; the rest stays an exception (``unsplittable``). ``units`` and ``part_ok`` change in place;
    returns the units changed. Other components are left as they are.

    A path of 28 households one minute apart cut 14 + 14 under 15–25: cut 15 + 13 instead.

    >>> g = NodeGraph.build(np.ones(28), np.arange(27), np.arange(1, 28), np.ones(27))
    >>> s = Settings(lo=15, hi=25, target=20.0)
    >>> units = Units(g.csr(), np.r_[np.zeros(14, dtype=np.int64), np.full(14, 14)], size=g.w)
    >>> part_ok = np.zeros(28, dtype=bool)
    >>> sorted(remnant_cut(g, s, units, part_ok)), [len(units.nodes[k]) for k in sorted(units.nodes)]
    ([0, 14], [13, 15])
    >>> int(part_ok.sum()), float(units.cost[0] + units.cost[14])
    (15, 98.0)
    """
    new: set[int] = set()
    if not g.n:
        return new
    ctot = np.bincount(g.comp, weights=g.w)
    unfit = ~feasible(ctot, s.lo, s.hi) & (ctot > s.hi)
    if not unfit.any():
        return new
    lockb = np.where(locked_nodes(g, s, units.lab), g.block, -1)
    free = np.full(g.n, -1, dtype=np.int64)
    for a in sorted(units.nodes):
        if a not in units.nodes or not unfit[g.comp[units.nodes[a][0]]] or part_ok[units.nodes[a]].any():
            continue
        best: tuple[int, float, int, Any] | None = None
        for lk in (lockb, free):
            for r in neighbour_units(units, a):
                nr = units.nodes[r]
                if part_ok[nr].any() or g.w[units.nodes[a]].sum() + g.w[nr].sum() < s.lo:
                    continue
                opt = _band_split(units, a, r, g.w, lk, s)
                if opt is not None and (best is None or (-opt[0], opt[1]) < (-best[0], best[1])):
                    best = (opt[0], opt[1], r, opt[2])
            if best is not None or not (lockb >= 0).any():
                break  # (no settlement locked: the free pass is the same)
        if best is None:
            continue
        r = best[2]
        _set_parts(units, ((a, best[3][1]), (r, best[3][2])))
        for k in (a, r):
            part_ok[units.nodes[k]] = s.lo <= g.w[units.nodes[k]].sum() <= s.hi
        new.update((a, r))
    return new


def _set_parts(units: Units, parts: Any) -> None:
    """Make each (unit id, (nodes, (walk, meeting point, minutes))) of ``parts`` — the parts of a
    :func:`~yuanluo.gis.delineate.improve.best_split` answer, each under the id chosen for it — that unit."""
    for k, (part, (cost, meet, d)) in parts:
        units.lab[part] = k
        units.nodes[k] = part
        units.cost[k], units.meet[k] = cost, meet
        units.dm[part] = d


def _band_split(units: Units, a: int, r: int, w: np.ndarray, lockb: np.ndarray, s: Settings
                ) -> tuple[int, float, Any] | None:
    """The split of units ``a`` and ``r`` (see :func:`remnant_cut`) with most parts within the band (at
    least one), walking least: (parts within the band, walking minutes added,
    :func:`~yuanluo.gis.delineate.improve.best_split`'s answer, unit ``a``'s part first) or None."""
    S = np.sort(np.r_[units.nodes[a], units.nodes[r]])
    pair = Pair.build(units, S, w, lockb, s.lo, s.hi)
    if pair is None:
        return None
    pos = {int(x): i for i, x in enumerate(S.tolist())}
    M = [pair._mst_splits()]
    if (f := pair._forest_splits((pos[units.meet[a]], pos[units.meet[r]]))) is not None:
        M.append(f)
    allc = np.concatenate(M)
    allc = np.concatenate([allc, ~allc])  # unit a's part on either side of a cut
    sa, tot = allc @ pair.ws, float(pair.ws.sum())
    inband = ((sa >= s.lo) & (sa <= s.hi)).astype(int) + ((tot - sa >= s.lo) & (tot - sa <= s.hi)).astype(int)
    ok = (allc @ pair.seed.astype(float) <= 1) & ((~allc) @ pair.seed.astype(float) <= 1)
    ok &= pair.settlements_whole(allc) & (inband > 0)
    if not ok.any():
        return None
    most = int(inband[ok].max())
    allc = unique_rows(allc[ok & (inband == most)])
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    best = best_split(units, S, allc, bound, np.inf, SPLIT_EXACT)
    if best is None:
        return None
    return most, best[0] - units.cost[a] - units.cost[r], best


def _remnant_split(units: Units, a: int, r: int, w: np.ndarray, lockb: np.ndarray, s: Settings
                   ) -> tuple[float, Any] | None:
    """The split of unit ``a`` and remnant ``r`` (see :func:`_remnant_fix`) walking least: (walking minutes
    added, :func:`~yuanluo.gis.delineate.improve.best_split`'s answer, the unit's part first) or None."""
    assert units.heads is not None
    S = np.sort(np.r_[units.nodes[a], units.nodes[r]])
    pair = Pair.build(units, S, w, lockb, s.lo, s.hi)
    if pair is None or pair.heads is None:
        return None
    centres = _centres(units, S, a, r, pair)
    M = [pair._mst_splits()] + [f for c in dict.fromkeys(centres) if (f := pair._forest_splits(c)) is not None]
    allc = np.concatenate(M + [~x for x in M])  # either side of a cut may be the unit
    sa, tot = allc @ pair.ws, float(pair.ws.sum())
    ok = (sa >= s.lo) & (sa <= s.hi) & ((tot - sa < s.lo) | (tot - sa > s.hi))
    ok &= head_lack(allc @ pair.heads, sa, pair.heads_for) <= 0
    ok &= (allc @ pair.seed.astype(float) <= 1) & pair.settlements_whole(allc)
    allc = unique_rows(allc[ok])
    if not len(allc):
        return None
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    best = best_split(units, S, allc, bound, np.inf, SPLIT_EXACT)
    if best is None:
        return None
    return best[0] - units.cost[a] - units.cost[r], best


def _lacking(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> list[int]:
    """The ``ok`` units within the band lacking candidate heads, in unit order."""
    return [k for k in sorted(units.nodes) if part_ok[units.nodes[k][0]]
            and s.lo <= g.w[units.nodes[k]].sum() <= s.hi and units.lack(k) > 0]


def neighbour_units(units: Units, a: int) -> list[int]:
    """The units next to unit ``a``, in unit order."""
    n = units.nodes[a]
    starts, ends = units.indptr[n], units.indptr[n + 1]
    idx = np.concatenate([np.arange(x, y) for x, y in zip(starts.tolist(), ends.tolist(), strict=True)]) \
        if len(n) else np.zeros(0, dtype=np.int64)
    lab = np.unique(units.lab[units.indices[idx]])
    return [int(x) for x in lab if x != a]


def search_near(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, changed: set[int], *,
                resplit: bool = False) -> None:
    """The local search on the units ``changed`` (those still there) and their neighbours, after a step that
    re-cut some units (the pool step, the spare-head windows); with ``resplit`` the merge–resplit of their pairs
    after it, also growing splits from candidate heads (:data:`HEAD_CLOSE_CENTRES`: the close of :func:`head_fix`
    and of the LP re-allocation)."""
    changed = changed & set(units.nodes)
    if not changed:
        return
    near = set(changed)
    for k in changed:
        near.update(neighbour_units(units, k))
    mask = part_ok & np.isin(units.lab, sorted(near))
    locked = locked_nodes(g, s, units.lab)
    local_search(g, s, units, mask, locked)
    if resplit:  # also splits keeping a candidate on each side
        recombine(g, s, units, mask, locked, HEAD_CLOSE_CENTRES)


def _centres(units: Units, S: np.ndarray, a: int, b: int, pair: Pair) -> list[tuple[int, int]]:
    """The centres a re-split of units ``a`` and ``b`` (merged nodes ``S``, :class:`Pair` ``pair``) grows its
    forests from, as positions in ``S``: the two meeting points, then each of the first :data:`HEAD_CENTRES`
    candidate heads with either meeting point."""
    assert pair.heads is not None
    pos = {int(x): i for i, x in enumerate(S.tolist())}
    ma, mb = pos[units.meet[a]], pos[units.meet[b]]
    centres = [(ma, mb)]
    for h in np.flatnonzero(pair.heads > 0)[:HEAD_CENTRES].tolist():
        centres += [(h, m) for m in (ma, mb) if m != h]
    return centres


def _pair_fix(units: Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, s: Settings,
              built: dict[int, Pair | None] | None = None) -> tuple[float, np.ndarray, Any] | None:
    """The re-split of units ``a`` and ``b`` lacking fewest candidate heads (fewer than now), walking least:
    (walking minutes added, merged nodes, split) or None. ``built``: the pairs of ``a`` built so far, by
    ``b`` (the units unchanged since), taken with the locks ``lockb``."""
    assert units.heads is not None
    S = np.sort(np.r_[units.nodes[a], units.nodes[b]])
    if int(units.seed[S].sum()) > 2 or (units.heads[S] > 0).sum() < 2:
        return None
    if built is not None and b in built:
        pair = built[b]
        pair = None if pair is None else pair.with_locks(lockb[S])
    else:
        pair = Pair.build(units, S, w, lockb, s.lo, s.hi)
        if built is not None:
            built[b] = pair
    if pair is None or pair.heads is None:
        return None
    pair.lack = units.lack(a) + units.lack(b)
    if pair.lack <= 0:
        return None
    centres = _centres(units, S, a, b, pair)
    fix = pair.head_centres()
    if fix is not None:
        centres.append(fix)
    # the splits of all these centres, each forest's once (a meeting point holding a candidate comes up twice,
    # and the centres' chains share forests): np.unique keeps one of each split anyway
    keys = dict.fromkeys(key for c in dict.fromkeys(centres) for key in pair.candidate_keys(c))
    allc = np.concatenate([pair.chunk(key) for key in keys])
    if not len(allc):
        return None
    allc = unique_rows(allc)
    lack = pair.lacks(allc)
    if lack.min() >= pair.lack - 1e-9:
        return None
    allc = allc[lack == lack.min()]
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    best = best_split(units, S, allc, bound, np.inf, SPLIT_EXACT)
    if best is None:
        return None
    return best[0] - units.cost[a] - units.cost[b], S, best


def _lacking_components(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, skip: Any = ()
                        ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(component, its nodes, its edges) of each component holding units that lack candidate heads, all its
    nodes ``ok``, but those in ``skip``; the components are those lacking when the iteration starts."""
    comps = sorted({int(g.comp[units.nodes[k][0]]) for k in _lacking(g, s, units, part_ok)} - set(skip))
    if not comps:
        return
    norder, nstart, eorder, estart = _by_component(g)
    for c in comps:
        cn = norder[nstart[c]: nstart[c + 1]]
        if part_ok[cn].all():
            yield c, cn, eorder[estart[c]: estart[c + 1]]


def _recut_components(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, rng: np.random.Generator
                      ) -> set[int]:
    """Re-cut, with the head-aware tree DP, the components still holding units that lack candidate heads
    (all their nodes ``ok``); a re-cut is kept when fewer heads lack. Returns the new units."""
    out: set[int] = set()
    for _c, cn, ce in _lacking_components(g, s, units, part_ok):
        sub = g.restrict(cn, ce)
        out |= _take_if_fewer(units, s, cn, sub, head_rescue(sub, s, np.asarray(construct(sub, s)), rng))
    return out


def _count_cut(r: NodeGraph, s: Settings, locked: np.ndarray, k: int, steps: int = HEAD_COUNT_STEPS
               ) -> np.ndarray | None:
    """A split of component ``r`` into ``k`` or more parts within the band, each with a candidate, by the
    exact search alone (:func:`~yuanluo.gis.delineate.headsearch.head_split`, ``HEAD_COUNT_STEPS`` steps,
    its parts grown along walking minutes), the ``locked`` settlements kept whole; None when it finds none.
    The count is asked for by the band: every part below a ``k - 1``-th of the weight.

    >>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
    >>> r = NodeGraph.build(np.ones(12), np.arange(11), np.arange(1, 12), np.ones(11))
    >>> r.head = np.r_[1, np.zeros(5, dtype=int), 1, 0, 0, 1, 0, 0]
    >>> s = Settings(lo=3, hi=6, target=4.0)
    >>> _count_cut(r, s, np.zeros(12, dtype=bool), 3).tolist()
    [0, 0, 0, 0, 0, 5, 5, 5, 8, 8, 8, 8]
    >>> _count_cut(r, s, np.zeros(12, dtype=bool), 4) is None  # four parts of three: one without a candidate
    True
    """
    assert r.head is not None
    total = float(r.w.sum())
    lo = float(s.lo)
    hi = min(float(s.hi), total / (k - 1) - 1e-6) if k > 1 else float(s.hi)
    if lo > hi or k < 1:
        return None
    if locked.any():
        rep = np.unique(np.where(locked, r.block, -1 - np.arange(r.n)), return_inverse=True)[1]
        status, part = head_split(np.bincount(rep, weights=r.w), rep[r.u], rep[r.v], lo, hi,
                                  np.bincount(rep, weights=r.head), steps=steps, walk=r.walk)
        if status != "infeasible":
            return None if part is None else part[rep]
    return head_split(r.w, r.u, r.v, lo, hi, r.head, steps=steps, walk=r.walk)[1]


def _least_walk(units: Units, s: Settings, cn: np.ndarray, sub: NodeGraph, parts: list[np.ndarray | None]
                ) -> np.ndarray | None:
    """Of the cuts ``parts`` of the component (nodes ``cn``, graph ``sub``), the one lacking the fewest
    heads, then walking least (the first of equals); None when all are None."""
    best: tuple[float, float, np.ndarray] | None = None
    for part in parts:
        if part is None:
            continue
        lack = _lack_of(sub, s, part, np.arange(sub.n))
        if best is not None and lack > best[0]:
            continue
        ids = np.unique(part, return_inverse=True)[1]
        walk = sum(units.evaluate(cn[ids == j])[0] for j in range(int(ids.max()) + 1))
        if best is None or (lack, walk) < best[:2]:
            best = (lack, walk, part)
    return None if best is None else best[2]


def _take_if_fewer(units: Units, s: Settings, cn: np.ndarray, sub: NodeGraph, part: np.ndarray) -> set[int]:
    """Make the parts ``part`` of the component (nodes ``cn``, graph ``sub``) its units when all are within
    the band and fewer heads lack than in its units now; returns the new units (none when not taken)."""
    before = sum(units.lack(k) for k in np.unique(units.lab[cn]).tolist())
    if _lack_of(sub, s, part, np.arange(sub.n)) >= before - 1e-9:
        return set()
    return _replace_units(units, cn, np.unique(part, return_inverse=True)[1])


def _replace_units(units: Units, cn: np.ndarray, ids: np.ndarray) -> set[int]:
    """Make the parts ``ids`` (0, 1, …) of nodes ``cn`` new units in place of the units they held; returns
    the new units."""
    base = max(units.nodes) + 1
    for k in np.unique(units.lab[cn]).tolist():
        del units.nodes[k], units.cost[k], units.meet[k]
    for j in range(int(ids.max()) + 1):
        nodes = np.sort(cn[ids == j])
        units.lab[nodes] = base + j
        units.nodes[base + j] = nodes
        units.refresh(base + j)
    return set(range(base, base + int(ids.max()) + 1))


def _exact_components(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> tuple[set[int], set[int]]:
    """Step 5 of :func:`head_fix`: the new units, and the components proven to have no split within the
    band giving every unit a candidate."""
    new: set[int] = set()
    proven: set[int] = set()
    locked = None
    for c, cn, ce in _lacking_components(g, s, units, part_ok, skip=head_precheck(g, s)):
        sub = g.restrict(cn, ce)
        if len(cn) > s.head_exact_max_n:  # too large for the MILP, but the plain reasons may still prove it
            if sub.head is not None and no_head_split(sub.w, sub.u, sub.v, s.lo, s.hi, sub.head):
                proven.add(c)
            continue
        if locked is None:  # settlements as they lie before this step changes anything
            locked = locked_nodes(g, s, units.lab)
        part, none = _exact_cut(sub, s, locked[cn])
        if none:
            proven.add(c)
            continue
        ks = sorted({len(np.unique(units.lab[cn])), *([len(np.unique(part))] if part is not None else [])})
        part = _least_walk(units, s, cn, sub, [part, *(_count_cut(sub, s, locked[cn], k) for k in ks)])
        if part is not None:
            new |= _take_if_fewer(units, s, cn, sub, part)
    return new, proven


def _triple_fix(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, skip: set[int],
                rng: np.random.Generator) -> set[int]:
    """Step 2 of :func:`head_fix`: each unit still lacking a candidate head (in unit order; components not in
    ``skip``) is re-cut with two units near it — two of its neighbours, or a neighbour and one of that
    one's neighbours — when the three are within the band and hold at least three candidates at distinct
    locations: by the head-aware tree DP along the walking-time tree and ``HEAD_TRIPLE_TREES`` jittered ones
    (settlements kept whole; per set, the first cut with fewer heads lacking). Of the sets that give one,
    the cut that adds the fewest walking minutes is taken (not the first that works: see
    ``bench/results/heads.md``). A candidate moves along the chain where no pair re-split could give one.
    Returns the new units."""
    new: set[int] = set()
    if g.head is None:
        return new
    _, _, eorder, estart = _by_component(g)
    for a in _lacking(g, s, units, part_ok):
        if a not in units.nodes or units.lack(a) <= 0:  # re-cut with an earlier unit
            continue
        c = int(g.comp[units.nodes[a][0]])
        if c in skip:
            continue
        ce = eorder[estart[c]: estart[c + 1]]
        sets: list[tuple[tuple[int, int, int], np.ndarray, NodeGraph, float]] = []  # (units, nodes, graph, lack)
        for trio in _triples(units, a):
            nodes = np.sort(np.concatenate([units.nodes[k] for k in trio]))
            if not part_ok[nodes].all() or (g.head[nodes] > 0).sum() < 3 \
                    or any(not s.lo <= g.w[units.nodes[k]].sum() <= s.hi for k in trio):
                continue
            sets.append((trio, nodes, g.restrict(nodes, ce), float(sum(units.lack(k) for k in trio))))
        cuts = _recut_many([x[2] for x in sets], s, rng, [x[3] for x in sets], HEAD_TRIPLE_TREES)
        best: tuple[float, np.ndarray, np.ndarray] | None = None  # (walking minutes added, nodes, parts)
        for (trio, nodes, _, _), part in zip(sets, cuts, strict=True):
            if part is not None:
                ids = np.unique(part, return_inverse=True)[1]
                added = _added_walk(units, nodes, ids, trio)
                if best is None or added < best[0]:
                    best = (added, nodes, ids)
        if best is not None:
            new |= _replace_units(units, best[1], best[2])
    return new & set(units.nodes)


def _exact_pairs(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, skip: set[int]) -> set[int]:
    """Step 3 of :func:`head_fix`: each unit still lacking a candidate head (in unit order; components not in
    ``skip``) is re-cut with each neighbour in turn by the exact MILP (:func:`_exact_cut`, at most
    ``HEAD_MILP_N`` nodes): into parts within the band with a candidate each, settlements whole if it can be
    done. Of the pairs that have such a split, the one that adds the fewest walking minutes is taken. This
    finds the splits the pair re-splits of step 1 miss, where only a narrow band of cuts gives both units a
    head (two units of 25 at a ceiling of 25 leave one split size). Returns the units changed."""
    new: set[int] = set()
    if g.head is None:
        return new
    _, _, eorder, estart = _by_component(g)
    locked = locked_nodes(g, s, units.lab)
    for a in _lacking(g, s, units, part_ok):
        c = int(g.comp[units.nodes[a][0]]) if a in units.nodes else -1
        if c < 0 or c in skip or units.lack(a) <= 0:
            continue
        ce = eorder[estart[c]: estart[c + 1]]
        best: tuple[float, np.ndarray, np.ndarray] | None = None  # (walking minutes added, nodes, parts)
        for b in neighbour_units(units, a):
            nodes = np.sort(np.r_[units.nodes[a], units.nodes[b]])
            if len(nodes) > HEAD_MILP_N or not part_ok[nodes].all() or (g.head[nodes] > 0).sum() < 2 \
                    or not s.lo <= g.w[units.nodes[b]].sum() <= s.hi:
                continue
            sub = g.restrict(nodes, ce)
            part, _ = _exact_cut(sub, s, locked[nodes])
            if part is None or _lack_of(sub, s, part, np.arange(sub.n)) >= units.lack(a) + units.lack(b):
                continue  # (with heads_for_size a part may hold one candidate where it needs two)
            ids = np.unique(part, return_inverse=True)[1]
            added = _added_walk(units, nodes, ids, (a, b))
            if best is None or added < best[0]:
                best = (added, nodes, ids)
        if best is not None:
            new |= _replace_units(units, best[1], best[2])
            locked = locked_nodes(g, s, units.lab)
    return new & set(units.nodes)


def _added_walk(units: Units, nodes: np.ndarray, ids: np.ndarray, ks: Any) -> float:
    """Walking minutes added when units ``ks`` (holding ``nodes``) become the parts ``ids`` (0, 1, …) of
    ``nodes``."""
    return float(sum(units.evaluate(nodes[ids == j])[0] for j in range(int(ids.max()) + 1))
                 - sum(units.cost[k] for k in ks))


def _triples(units: Units, a: int) -> list[tuple[int, int, int]]:
    """The sets of unit ``a`` and two units near it (two of its neighbours, or a neighbour and one of that
    one's neighbours), each set once, sorted."""
    out: set[tuple[int, int, int]] = set()
    near = neighbour_units(units, a)
    for b in near:
        for c in set(near) | set(neighbour_units(units, b)):
            if c not in (a, b):
                x, y, z = sorted((a, b, c))
                out.add((x, y, z))
    return sorted(out)


def _exact_cut(r: NodeGraph, s: Settings, locked: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """A split of component ``r`` within the band with a candidate in every part, by the exact split
    (:func:`~yuanluo.gis.delineate.rescue.band_partition_milp`: the bounded search, then the MILP): first
    with the ``locked`` settlements contracted to one node each, then free — unless the contracted search ran
    out of its node budget undecided (the free one is larger; seen: 3 s and 4 s spent on a 52-household
    component for nothing). Returns (part per node or None, whether the free search proved that none
    exists)."""
    assert r.head is not None
    if locked.any():
        _, rep = np.unique(np.where(locked, r.block, -1 - np.arange(r.n)), return_inverse=True)
        a, b = rep[r.u], rep[r.v]
        e = np.unique(np.c_[np.minimum(a, b), np.maximum(a, b)][a != b], axis=0)
        status, part = band_partition_milp(np.bincount(rep, weights=r.w), e[:, 0], e[:, 1], s.lo, s.hi,
                                           node_limit=HEAD_MILP_NODES, heads=np.bincount(rep, weights=r.head))
        if part is not None:
            return part[rep], False
        if status == "budget":  # undecided with settlements whole: the free search is larger still
            return None, False
    status, part = band_partition_milp(r.w, r.u, r.v, s.lo, s.hi, node_limit=HEAD_MILP_NODES, heads=r.head)
    return part, status == "infeasible"


def area_head_split(g: NodeGraph, s: Settings, c: int, rng: np.random.Generator) -> str:
    """Whether component ``c`` of ``g`` can be split within the band with its candidate heads in every part,
    decided by the proofs the delineator runs on a component (:func:`head_exceptions`, :func:`head_fix`):

    - ``"short"``: too few candidates for the fewest units it needs (:func:`head_precheck`);
    - ``"proven"``: no such split exists — a plain reason of
      :func:`~yuanluo.gis.delineate.headproof.no_head_split`, or, up to ``Settings.head_exact_max_n`` nodes,
      the exact MILP (free, as step 5 of :func:`head_fix` decides it);
    - ``"found"``: a split was found — by that MILP, or, on a larger component, by the head-aware tree DP
      along its spanning trees (:func:`_recut`, then :func:`head_rescue`);
    - ``"undecided"``: neither (the MILP ran out of its node budget, or no cut of a larger one was found).

    :mod:`yuanluo.gis.lock` asks it of an area with the locked households given back: whether the lock, and
    not the area itself, is why a unit there has no candidate.

    Examples
    --------
    Seven households in a row, band 3–5: with the candidates at nodes 0 and 1 the far part has none (the
    example of :mod:`~yuanluo.gis.delineate.headproof`); at nodes 0 and 4 the split 0-1-2 | 3-4-5-6 exists.

    >>> g = NodeGraph.build(np.ones(7), np.arange(6), np.arange(1, 7), np.ones(6))
    >>> s, rng = Settings(lo=3, hi=5, target=4.0), np.random.default_rng(0)
    >>> g.head = np.array([1, 1, 0, 0, 0, 0, 0])
    >>> area_head_split(g, s, 0, rng)
    'proven'
    >>> g.head = np.array([1, 0, 0, 0, 1, 0, 0])
    >>> area_head_split(g, s, 0, rng)
    'found'
    >>> g.head = np.array([1, 0, 0, 0, 0, 0, 0])
    >>> area_head_split(g, s, 0, rng)
    'short'
    """
    if g.head is None or not g.n:
        return "undecided"
    if c in head_precheck(g, s):
        return "short"
    norder, nstart, eorder, estart = _by_component(g)
    cn, ce = norder[nstart[c]: nstart[c + 1]], eorder[estart[c]: estart[c + 1]]
    sub = g.restrict(cn, ce)
    assert sub.head is not None
    whole = np.arange(sub.n)
    if len(cn) <= s.head_exact_max_n:
        part, none = _exact_cut(sub, s, np.zeros(sub.n, dtype=bool))
        if none:
            return "proven"
        return "found" if part is not None and _lack_of(sub, s, part, whole) == 0 else "undecided"
    if no_head_split(sub.w, sub.u, sub.v, s.lo, s.hi, sub.head):
        return "proven"
    if _recut(sub, s, rng, 0.5, HEAD_TRIPLE_TREES) is not None:  # a cut lacking none
        return "found"
    return "found" if _lack_of(sub, s, head_rescue(sub, s, np.asarray(construct(sub, s)), rng), whole) == 0 \
        else "undecided"


def suggested_heads(frame: pd.DataFrame, ids: np.ndarray, positions: np.ndarray, dm: np.ndarray, *,
                    head: np.ndarray | None = None) -> tuple[str, str]:
    """The suggested head of a unit (its candidate nearest the meeting point by walking time, ties by hid, walks
    within float noise of each other being ties: :func:`tied_walks`)
    and the JSON list of all its candidates in that order; ``("", "[]")`` without candidates. ``head``: the
    ``head_candidate`` column as read by :func:`yuanluo.gis.columns.flag_values` (read here when not given)."""
    if "head_candidate" not in frame.columns:
        return "", "[]"
    if head is None:
        head = flag_values(frame["head_candidate"], "head_candidate")
    cand = head[positions]
    pos = positions[cand]
    if not len(pos):
        return "", "[]"
    order = np.lexsort((ids[pos].astype(str), tied_walks(dm[pos])))
    hids = [str(x) for x in ids[pos][order]]
    return hids[0], json.dumps(hids, ensure_ascii=False)


def tied_walks(walk: np.ndarray) -> np.ndarray:
    """Walking minutes with those within float noise of one another made equal, so that they order by hid: each
    walk, ascending, takes the value of the least one it is within ``WALK_TIE`` of (relative, above a minute: 1e-6
    of it); a walk further from that least one begins a new tie. Two candidates one step either side of a
    meeting point walk 0.46188264 and 0.46188259 minutes where the projection's scale changes across the 40 m
    between them (a CRS in degrees projected): one walk, not one nearer. Infinite walks stay infinite.

    >>> tied_walks(np.array([0.46188264888750835, 0.46188258685988776, 0.5, 0.5000015, np.inf]))
    array([0.46188259, 0.46188259, 0.5       , 0.5000015 ,        inf])
    >>> tied_walks(np.array([30.0, 30.00002, 29.999995]))  # 1e-6 of 30 minutes: 3e-5
    array([29.999995, 29.999995, 29.999995])
    """
    walk = np.asarray(walk, dtype=float)
    out = walk.copy()
    first = None
    for i in np.argsort(walk, kind="stable"):
        w = float(walk[i])
        if not np.isfinite(w):
            break
        if first is None or w - first > WALK_TIE * max(1.0, abs(first)):
            first = w
        out[i] = first
    return out


def nearest_candidates(graph: TerrainGraph, pos: np.ndarray, hids: np.ndarray, unit_of: np.ndarray,
                       head: np.ndarray, weight: np.ndarray, ask: Mapping[str, tuple[int, str]], *,
                       heads_for_size: float | None, join_limit: float | None, key: np.ndarray | None = None,
                       cutoff: float = NEAR_CUTOFF_MIN) -> dict[str, dict[str, Any]]:
    """For each unit of ``ask`` (unit id → (position of the household its walk is measured to, ``"meeting"`` or
    ``"centre"``)), the nearest candidate head outside it, as the reason of a unit without its head names it (a
    report: nothing here feeds a search). The households are ``hids`` with their node ``pos`` in ``graph`` (-1:
    none), their unit ``unit_of`` (``""`` or None: none), ``head`` (candidate or not), ``weight`` (the size
    each counts for) and nest ``key`` (None: one group).

    The walk is household → meeting point over the whole graph (uphill and downhill apart), across the edges
    pruned only for length within ``join_limit`` as a unit's members walk them (:func:`unit_toward`), up to
    ``cutoff`` minutes; a candidate of another unit of the same nest group, the nearest (ties by hid). Its
    parameters: ``near_hid``, ``near_unit``, ``near_min`` (one decimal, as text), ``near_heads`` (its unit's
    candidates), ``near_spare`` (how many more than its unit needs: one, or two above ``heads_for_size``:
    :func:`head_lack`), ``near_meet`` and ``near_to`` (the household walked to, and whether it is the meeting
    point or the centre). A unit with no such candidate within the cutoff is left out.

    >>> g = TerrainGraph("EPSG:4545", list("abcdef"), [[i, 0] for i in range(6)], np.arange(5), np.arange(1, 6),
    ...                  np.ones(5), np.full(5, 1.5), walk_uv=np.full(5, 1.5), walk_vu=np.full(5, 1.25))
    >>> unit = np.array(["U1"] * 3 + ["U2"] * 3, dtype=object)
    >>> head = np.array([0, 0, 0, 0, 1, 1], dtype=bool)
    >>> out = nearest_candidates(g, np.arange(6), np.array(list("abcdef")), unit, head, np.ones(6),
    ...                          {"U1": (1, "meeting")}, heads_for_size=None, join_limit=None)
    >>> out["U1"]["near_hid"], out["U1"]["near_unit"], out["U1"]["near_min"], out["U1"]["near_spare"]
    ('e', 'U2', '3.8', 1)
    """
    from decimal import ROUND_HALF_UP, Decimal

    from scipy.sparse.csgraph import dijkstra

    if not ask or not np.asarray(head, dtype=bool).any():
        return {}
    unit = np.array(["" if u is None or (isinstance(u, float) and np.isnan(u)) else str(u) for u in unit_of],
                    dtype=object)
    head = np.asarray(head, dtype=bool)
    frame = pd.DataFrame({"unit": unit, "head": head.astype(int), "w": np.asarray(weight, dtype=float)})
    per = frame[frame["unit"] != ""].groupby("unit", sort=False)[["head", "w"]].sum()
    need = 1 + ((per["w"] > heads_for_size) if heads_for_size is not None else 0)
    spare = (per["head"] - need).clip(lower=0)
    toward = unit_toward(graph, np.zeros(graph.n, dtype=np.int64), join_limit)  # every edge, as one unit walks it
    on = np.flatnonzero(head & (unit != "") & (np.asarray(pos) >= 0))
    out: dict[str, dict[str, Any]] = {}
    for u in sorted(ask, key=str):
        at, to = ask[u]
        if pos[at] < 0:
            continue
        cand = on[unit[on] != str(u)]
        if key is not None:
            cand = cand[np.asarray(key)[cand] == np.asarray(key)[at]]
        if not len(cand):
            continue
        d = np.asarray(dijkstra(toward, directed=True, indices=int(pos[at]), limit=cutoff))[np.asarray(pos)[cand]]
        ok = np.isfinite(d)
        if not ok.any():
            continue
        cand, d = cand[ok], np.round(d[ok], 6)
        best = int(cand[np.lexsort((hids[cand].astype(str), d))[0]])
        mins = str(Decimal(float(d[cand == best][0])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        out[str(u)] = {"near_hid": str(hids[best]), "near_unit": str(unit[best]), "near_min": mins,
                       "near_heads": int(per.at[unit[best], "head"]), "near_spare": int(spare.at[unit[best]]),
                       "near_meet": str(hids[at]), "near_to": to}
    return out
