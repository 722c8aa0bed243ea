"""Session 43 (issue 13, the head stage's time): the pool step's plain tree cuts side by side, the same parts.

``gis.delineate.pool`` cuts each small component still lacking a candidate head along 13 spanning forests twice,
by the head-aware tree DP and by the plain one. The plain DP (``tree_partition``) ran one forest at a time, a
Python loop over the nodes (94 components × 13 forests at changshou, 3,000 households, seeds 0–15: about 4 s of
cProfile's 80). ``construct_trees`` now cuts several plain forests side by side (``tree_partition_many``: the
head-aware DP's rounds with one state), and ``construct_trees_both`` draws the forests of the two DPs once.
The parts are those of one ``tree_partition`` call per forest, ties alike.
"""

import numpy as np
import pytest

from yuanluo.gis.delineate import construct as C
from yuanluo.gis.delineate import pool
from yuanluo.gis.delineate.construct import (
    construct_trees,
    construct_trees_both,
    spanning_forest,
    tree_partition,
    tree_partition_many,
)
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings


def _graph(rng: np.random.Generator, n: int, extra: int, ties: bool) -> NodeGraph:
    """A connected random graph: a random tree plus ``extra`` chords; walks of whole minutes when ``ties``."""
    u = np.arange(1, n)
    v = rng.integers(0, np.maximum(u, 1))
    a, b = rng.integers(0, n, size=(2, extra))
    keep = a != b
    u, v = np.r_[u, a[keep]], np.r_[v, b[keep]]
    e = np.unique(np.c_[np.minimum(u, v), np.maximum(u, v)], axis=0)
    walk = rng.integers(1, 4, size=len(e)).astype(float) if ties else rng.uniform(0.2, 12.0, size=len(e))
    w = rng.integers(1, 4, size=n).astype(float)
    return NodeGraph.build(w, e[:, 0], e[:, 1], walk, block=rng.integers(0, max(n // 3, 1), size=n))


@pytest.mark.parametrize("ties", [False, True])
def test_plain_many_is_each_forest_alone(ties):
    rng = np.random.default_rng(43 + ties)
    for trial in range(60):
        n = int(rng.integers(2, 90))
        g = _graph(rng, n, int(rng.integers(0, n)), ties)
        lo = int(rng.integers(1, 6))
        hi = lo + int(rng.integers(0, 8))
        target = (lo + hi) / 2 + float(rng.uniform(-1, 1))
        wd = np.minimum(g.w, hi).astype(np.int64)
        forests = []
        for _ in range(int(rng.integers(2, 6))):
            jit = rng.uniform(0.2, 1.8, size=len(g.u))
            order, parent, eidx = spanning_forest(g.n, g.u, g.v, g.walk * jit, g.same_block, g.comp)
            has = parent >= 0
            pcost = np.zeros(n)
            pcost[has] = -np.minimum(g.walk[eidx[has]], 15.0)
            if ties:
                pcost[has] += rng.integers(0, 2, size=int(has.sum())) * 25.0
            forests.append((order, parent, pcost))
        many = tree_partition_many(wd, [f[1] for f in forests], [f[0] for f in forests], [f[2] for f in forests],
                                   lo, hi, target, 1.0)
        for (order, parent, pcost), got in zip(forests, many, strict=True):
            alone = tree_partition(wd, parent, order, pcost, lo, hi, target, 1.0)
            assert got.tolist() == alone.tolist(), (trial, n, lo, hi)


def test_construct_trees_plain_side_by_side_and_both(monkeypatch):
    rng = np.random.default_rng(7)
    g = _graph(rng, 120, 80, False)
    g.head = (rng.uniform(size=g.n) < 0.1).astype(np.int64)
    s = Settings(lo=8, hi=14, target=11.0, require_head=True)
    plain_s = Settings(lo=8, hi=14, target=11.0, require_head=False)
    jit = [None, *(rng.uniform(0.2, 1.8, size=len(g.u)) for _ in range(5))]
    alone = [C.construct(g, plain_s, jitter=j) for j in jit]
    calls: list[int] = []
    orig = C.tree_partition

    def counting(*a, **k):
        calls.append(1)
        return orig(*a, **k)

    monkeypatch.setattr(C, "tree_partition", counting)
    together = construct_trees(g, plain_s, jit)
    assert not calls  # several plain forests: cut side by side, not one by one
    assert [p.tolist() for p in together] == [p.tolist() for p in alone]
    heads, plain = construct_trees_both(g, s, jit)
    assert [p.tolist() for p in plain] == [p.tolist() for p in alone]
    assert [p.tolist() for p in heads] == [p.tolist() for p in construct_trees(g, s, jit)]


def test_pool_draws_each_forest_once(monkeypatch):
    """A path of six households, units of two or three, candidates at both ends (pool.py's example): the
    13 forests of the component are drawn once for the two DPs, and the pool still finds 3 + 3."""
    g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.ones(5))
    g.head = np.array([1, 0, 0, 0, 0, 1])
    units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]), heads=g.head, size=g.w)
    drawn: list[int] = []
    orig = C._forest

    def counting(*a, **k):
        drawn.append(1)
        return orig(*a, **k)

    monkeypatch.setattr(C, "_forest", counting)
    assert pool.pool_heads(g, Settings(lo=2, hi=3, target=2.5), units, np.ones(6, dtype=bool), None,
                           np.random.default_rng(0)) == 1
    assert len(drawn) == 1 + pool.POOL_TREES
    assert sorted(n.tolist() for n in units.nodes.values()) == [[0, 1, 2], [3, 4, 5]]
