"""Several regions cut by the tree DP at once (``construct_many``: their disjoint union, the head stage's sets of
three units around a unit lacking a head) give each region the parts its own ``construct_trees`` call gives,
along each of its forests: overlapping regions of one graph (their settlements counted within each region),
settlements kept or not, candidate heads or none, two heads above ``heads_for_size``."""

from __future__ import annotations

import numpy as np
import pytest

from yuanluo.gis.delineate.construct import construct_many, construct_trees
from yuanluo.gis.delineate.problem import NodeGraph, Settings, components


def _village(rng: np.random.Generator, heads: bool) -> NodeGraph:
    n = int(rng.integers(25, 70))
    u = np.arange(1, n)
    v = np.array([rng.integers(max(0, i - 5), i) for i in range(1, n)])  # a chain-like spanning tree
    extra = rng.integers(0, n, size=(n // 2, 2))
    e = np.unique(np.sort(np.r_[np.c_[v, u], extra[extra[:, 0] != extra[:, 1]]], axis=1), axis=0)
    g = NodeGraph.build(rng.integers(1, 3, n), e[:, 0], e[:, 1], np.round(rng.uniform(0.1, 3.0, len(e)), 1),
                        block=rng.integers(0, n // 3, n))
    g.head = (rng.random(n) < 0.2).astype(np.int64) if heads else None
    return g


def _connected(g: NodeGraph, nodes: np.ndarray) -> NodeGraph:
    """The region of ``nodes`` connected to the first of them, as the head stage's regions are."""
    r = g.restrict(nodes)
    comp = components(r.n, r.u, r.v)
    return g.restrict(nodes[comp == comp[0]])


@pytest.mark.parametrize("heads_for_size", [None, 8])
def test_regions_cut_together_as_each_alone(heads_for_size: int | None) -> None:
    rng = np.random.default_rng(38)
    for k in range(60):
        s = Settings(lo=4, hi=10, target=7.0, heads_for_size=heads_for_size, keep_settlements=k % 4 != 3)
        g = _village(rng, heads=k % 5 != 4)
        regions = []
        for j in range(int(rng.integers(2, 7))):
            first = int(rng.integers(0, g.n - 5))
            r = _connected(g, np.arange(first, min(g.n, first + int(rng.integers(3, 30)))))
            regions.append(r.without_blocks() if j % 3 == 2 else r)
        q = int(rng.integers(1, 5))
        jitters = [[None] + [rng.uniform(0.2, 1.8, len(r.u)) for _ in range(q - 1)] for r in regions]
        together = construct_many(regions, s, jitters)
        assert len(together) == len(regions)
        for r, js, parts in zip(regions, jitters, together, strict=True):
            alone = construct_trees(r, s, js)
            assert len(parts) == q
            for a, b in zip(alone, parts, strict=True):
                assert np.array_equal(a, b), k


def test_regions_with_seed_points_are_cut_one_by_one() -> None:
    """A seed point changes the forest and the DP's states: such regions go through their own calls."""
    rng = np.random.default_rng(5)
    s = Settings(lo=4, hi=10, target=7.0)
    g = _village(rng, heads=True)
    regions = [_connected(g, np.arange(0, 20)), _connected(g, np.arange(10, 25))]
    regions[1].seed = np.zeros(regions[1].n, dtype=bool)
    regions[1].seed[[0, regions[1].n - 1]] = True
    jitters = [[None, rng.uniform(0.2, 1.8, len(r.u))] for r in regions]
    for r, js, parts in zip(regions, jitters, construct_many(regions, s, jitters), strict=True):
        for a, b in zip(construct_trees(r, s, js), parts, strict=True):
            assert np.array_equal(a, b)
