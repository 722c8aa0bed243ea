"""Session 48, helper A: the closing merge–resplit also grows a pair's splits from its candidate heads.

With the head rule hard, the splits grown from a pair's two meeting points can move a unit's only candidate
head across, and are refused; the walk-least split that keeps a candidate on each side was then never
proposed. ``split_pair(..., head_centres=k)`` (and ``recombine``, which ``head_fix`` calls with
``HEAD_CLOSE_CENTRES``) also cuts the splits grown around each of the pair's first k candidates with either
meeting point. Measured at changshou 3,000 × 16, heads on: walk +5.06 → +4.94 % against heads off.
"""
from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate import heads as heads_mod
from yuanluo.gis.delineate.improve import Units, locked_nodes, recombine, split_pair
from yuanluo.gis.delineate.problem import NodeGraph, Settings

# a ring of six households, 0-1-2-3-4-5-0; candidate heads at 2 and 4; units {0, 1, 2} and {3, 4, 5}
RING = (np.array([0, 1, 2, 3, 4, 0]), np.array([1, 2, 3, 4, 5, 5]), np.array([3.0, 4.0, 1.0, 3.0, 3.0, 2.0]))
HEADS = np.array([0, 0, 1, 0, 1, 0.0])
START = np.array([0, 0, 0, 1, 1, 1])


def _graph() -> NodeGraph:
    return NodeGraph.build(np.ones(6), *RING)


def _units(g: NodeGraph, heads: np.ndarray | None = HEADS) -> Units:
    return Units(g.csr(), START.copy(), None, None, heads, None, g.w)


def _best_two_sided(g: NodeGraph) -> float:
    """The least walk of any split of the ring into two arcs of three households (the band 3–5 allows no
    other) with a candidate head on each side, by enumeration."""
    best = np.inf
    for first in range(6):
        lab = np.zeros(6, dtype=int)
        lab[[(first + i) % 6 for i in range(3)]] = 1
        if HEADS[lab == 0].sum() >= 1 and HEADS[lab == 1].sum() >= 1:
            best = min(best, sum(Units(g.csr(), lab, None, None, HEADS, None, g.w).cost.values()))
    return best


def test_split_only_found_from_head_centres() -> None:
    g = _graph()
    old = _units(g)
    assert old.lack(0) == 0 and old.lack(1) == 0
    before = sum(old.cost.values())
    assert before == 13.0
    # from the meeting points alone: every cheaper split moves a unit's only candidate across
    assert not split_pair(old, 0, 1, g.w, np.full(6, -1), 3, 5)
    assert old.lab.tolist() == START.tolist()
    new = _units(g)
    assert split_pair(new, 0, 1, g.w, np.full(6, -1), 3, 5, head_centres=4)
    after = sum(new.cost.values())
    assert after == _best_two_sided(g) == 10.0
    assert sorted(map(sorted, (new.nodes[k].tolist() for k in new.nodes))) == [[0, 4, 5], [1, 2, 3]]
    assert new.lack(0) == 0 and new.lack(1) == 0


def test_recombine_passes_head_centres_and_head_fix_uses_them() -> None:
    g = _graph()
    s = Settings(lo=3, hi=5, target=4.0)
    ok = np.ones(6, dtype=bool)
    plain = _units(g)
    assert recombine(g, s, plain, ok, locked_nodes(g, s, plain.lab)) == 0
    cent = _units(g)
    assert recombine(g, s, cent, ok, locked_nodes(g, s, cent.lab), heads_mod.HEAD_CLOSE_CENTRES) >= 1
    assert sum(cent.cost.values()) == 10.0
    assert heads_mod.HEAD_CLOSE_CENTRES == 4


def test_without_heads_nothing_changes() -> None:
    g = _graph()
    a, b = _units(g, None), _units(g, None)
    ra = split_pair(a, 0, 1, g.w, np.full(6, -1), 3, 5)
    rb = split_pair(b, 0, 1, g.w, np.full(6, -1), 3, 5, head_centres=4)
    assert ra == rb and a.lab.tolist() == b.lab.tolist() and a.cost == b.cost
