"""Stage: repair of parts below the floor in components whose size fits the band.

Each part below the floor (in order of its first node, up to three rounds) is merged with an adjacent part
when the sum fits (cheapest shared edge first), else merged with a neighbour and re-split into two parts
within the band along spanning trees (the walking-time tree, then jittered ones: a ReCom move). Merging two
seeded parts is the last resort, after every re-split was tried. Parts still below the floor are returned
as *failed* for the rescue (:mod:`yuanluo.gis.delineate.rescue`).

Examples
--------
A path of five households cut 3 + 2 under a band of 3–5: the part of 2 is merged with its neighbour.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(5), np.arange(4), np.arange(1, 5), np.ones(4))
>>> lab, failed = repair(g, Settings(lo=3, hi=5, target=4.0), np.array([0, 0, 0, 3, 3]),
...                      np.array([True]), np.random.default_rng(0))
>>> lab.tolist(), failed
([0, 0, 0, 0, 0], [])
"""

from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate.construct import construct, heads_on
from yuanluo.gis.delineate.improve import head_lack
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["repair", "resplit"]

REPAIR_ROUNDS = 3
RESPLIT_TRIES = 12


def repair(g: NodeGraph, s: Settings, lab: np.ndarray, comp_ok: np.ndarray, rng: np.random.Generator
           ) -> tuple[np.ndarray, list[int]]:
    """New labels with parts below the floor merged or re-split, and the parts that could not be
    (``comp_ok``: per component, whether its size fits the band; others are left alone)."""
    lab = lab.copy()
    failed: list[int] = []
    next_id = int(lab.max()) + 1 if len(lab) else 0
    for _round in range(REPAIR_ROUNDS):
        size = np.bincount(lab, weights=g.w, minlength=next_id)
        first = np.full(next_id, len(lab))
        np.minimum.at(first, lab, np.arange(len(lab)))
        bad_parts = [p for p in np.flatnonzero((size > 0) & (size < s.lo)) if comp_ok[g.comp[first[p]]]]
        bad_parts = [p for p in sorted(bad_parts, key=lambda p: first[p]) if p not in failed]
        if not bad_parts:
            break
        for p in bad_parts:
            if not _repair_part(g, s, lab, int(p), next_id, rng) and _round == REPAIR_ROUNDS - 1:
                failed.append(int(p))
    return lab, failed


def _repair_part(g: NodeGraph, s: Settings, lab: np.ndarray, p: int, next_id: int,
                 rng: np.random.Generator) -> bool:
    """Repair part ``p`` in place; False when it is still below the floor (or has no neighbour)."""
    size = np.bincount(lab, weights=g.w, minlength=next_id)
    if not (0 < size[p] < s.lo):
        return True
    inp = lab[g.u] == p
    inq = lab[g.v] == p
    cross = inp ^ inq
    other = np.where(inp, lab[g.v], lab[g.u])[cross]
    cw = g.walk[cross]
    if not len(other):  # no neighbour: nothing to merge with, left as it is (not a failure of the repair)
        return True
    o = np.lexsort((other, cw))
    nbrs = list(dict.fromkeys(int(x) for x in other[o]))
    # merging two seeded parts is the last resort, after every re-split was tried
    clash: list[int] = []
    if g.seed.any():
        ns = np.bincount(lab, weights=g.seed, minlength=next_id)
        clash = [q for q in nbrs if ns[p] > 0 and ns[q] > 0]
    for q in nbrs:
        if q not in clash and size[p] + size[q] <= s.hi:
            lab[lab == p] = q
            return True
    for q in nbrs:
        nodes = np.flatnonzero((lab == p) | (lab == q))
        new = resplit(g, s, nodes, rng)
        if new is not None:
            lab[nodes] = np.where(new == new[0], p, q)
            return True
    for q in clash:
        if size[p] + size[q] <= s.hi:
            lab[lab == p] = q
            return True
    return False


def resplit(g: NodeGraph, s: Settings, nodes: np.ndarray, rng: np.random.Generator,
            tries: int = RESPLIT_TRIES) -> np.ndarray | None:
    """Split ``nodes`` (two units) into two parts within the band along spanning trees (the walking-time
    tree, then jittered ones; settlements kept whole in the first half of the tries); with seed points,
    the first split that keeps them apart, else the one that merges the fewest; with the candidate-head rule,
    the first that also gives both parts their candidate heads, else the one lacking the fewest. None when
    none fits."""
    sub = g.restrict(nodes)
    loose = sub.without_blocks()
    seeded = bool(sub.seed.any())
    if heads_on(sub, s):
        seeded = True  # ranked like merged seeds: the split that merges no seed and lacks no head first
    best: tuple[float, np.ndarray] | None = None
    for t in range(tries):
        jit = None if t == 0 else rng.uniform(0.2, 1.8, size=len(sub.u))
        part = construct(sub if t < tries // 2 else loose, s, jitter=jit)
        sz = np.bincount(part, weights=sub.w)
        sz = sz[sz > 0]
        if len(sz) == 2 and (sz >= s.lo).all() and (sz <= s.hi).all():
            if not seeded:
                return np.asarray(part)
            merged = float(np.maximum(np.bincount(part, weights=sub.seed) - 1, 0).sum())
            if sub.head is not None and s.require_head:
                ids = np.unique(part, return_inverse=True)[1]
                merged += 0.5 * float(head_lack(np.bincount(ids, weights=sub.head), np.bincount(ids, weights=sub.w),
                                                s.heads_for_size).sum())
            if merged == 0:
                return np.asarray(part)
            if best is None or merged < best[0]:
                best = (merged, np.asarray(part))
    return None if best is None else best[1]
