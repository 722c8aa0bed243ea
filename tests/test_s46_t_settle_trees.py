"""Session 46 (helper T): settle's re-cut of a region cuts its walking-time tree and ``SETTLE_TREES`` jittered ones
side by side (one pass of the tree DP) instead of one after the other. The cut taken and the random generator
after it must be those of the tree-by-tree loop it replaces: the same parts, and the generator advanced by the
jitters drawn up to the tree taken (all of them when none is taken), so every later draw of the fit is the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yuanluo.gis.delineate import settle
from yuanluo.gis.delineate.construct import construct
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.prepare import contract_edges
from yuanluo.gis.delineate.problem import NodeGraph, Settings, components


def _one_by_one(g, s, units, nodes, bn, rng):
    """The loop before session 46: one tree at a time, each jitter drawn when its tree's turn comes. Returns the
    parts and the tree taken (None: none)."""
    sub = g.restrict(nodes)
    keep = np.isin(sub.block, settle._whole(sub, s, units.lab[nodes])) | np.isin(nodes, bn)
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
    before = sum(settle._lack(units, g, units.nodes[int(x)]) for x in np.unique(units.lab[nodes]))
    for t in range(settle.SETTLE_TREES + 1):
        jit = None if t == 0 else rng.uniform(0.2, 1.8, size=len(c.u))
        part = np.unique(np.asarray(construct(c, s, jitter=jit)), return_inverse=True)[1][cid]
        size = np.bincount(part, weights=sub.w)
        if ((size < s.lo) | (size > s.hi)).any():
            continue
        groups = [nodes[part == x] for x in range(len(size))]
        if sum(settle._lack(units, g, gr) for gr in groups) > before or any(units.seed[gr].sum() > 1 for gr in groups):
            continue
        return groups, t
    return None, None


def _region(seed: int, heads: bool):
    """A random grid village of 24–48 households in three units, settlements of one to four households."""
    r = np.random.default_rng(seed)
    cols = int(r.integers(4, 9))
    n = 6 * cols
    ij = np.c_[np.arange(n) // cols, np.arange(n) % cols]
    u, v = [], []
    for a in range(n):
        for b in range(a + 1, n):
            if np.abs(ij[a] - ij[b]).sum() == 1 and r.random() < 0.85:
                u.append(a)
                v.append(b)
    u, v = np.array(u), np.array(v)
    block = np.cumsum(r.random(n) < 0.5)
    g = NodeGraph.build(np.ones(n), u, v, r.uniform(0.2, 3.0, len(u)), block=block)
    g.head = (r.random(n) < 0.15).astype(np.int64) if heads else None
    s = Settings(lo=int(r.integers(3, n // 4)), hi=int(r.integers(n // 3, n // 2 + 2)), target=n / 3,
                 require_head=heads)
    lab = np.minimum(np.arange(n) * 3 // n, 2)
    units = Units(g.csr(), lab.copy(), heads=g.head, size=g.w) if heads else Units(g.csr(), lab.copy())
    bn = np.flatnonzero(block == block[n // 3])
    return g, s, units, np.arange(n), bn


def test_side_by_side_cut_takes_the_same_tree_and_leaves_the_generator_alike():
    taken = set()
    for seed in range(160):
        g, s, units, nodes, bn = _region(seed, heads=seed % 2 == 1)
        if not np.isin(np.arange(g.n), np.concatenate([g.u, g.v])).all() or components(g.n, g.u, g.v).max() > 0:
            continue  # the stage re-cuts connected regions only
        old_rng, new_rng = np.random.default_rng(seed), np.random.default_rng(seed)
        want, t = _one_by_one(g, s, units, nodes, bn, old_rng)
        got = settle._recut(g, s, units, nodes, bn, new_rng)
        taken.add(t)
        assert (got is None) == (want is None), seed
        if got is not None:
            assert [x.tolist() for x in got] == [x.tolist() for x in want], seed
        assert new_rng.bit_generator.state == old_rng.bit_generator.state, seed
        assert new_rng.uniform() == old_rng.uniform(), seed
    assert taken >= {None, 0, 1}, taken  # regions no tree cuts, and cuts of the first and a jittered tree
