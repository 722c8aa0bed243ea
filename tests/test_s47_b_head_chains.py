"""Issue 13 under ``--thorough-heads``: :func:`~yuanluo.gis.delineate.headchains.head_chains`, the re-cut of a chain
of units from a unit still lacking a candidate head to units with one to spare, the cut walking least (the
delineator's opt-in ``head_chains``; its estimator-level tests are in ``test_s47_b_thorough.py``)."""

from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate.headchains import _median_cut, head_chains
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings


def _path(n: int, heads: list[int]) -> NodeGraph:
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    g.head = np.zeros(n, dtype=np.int64)
    g.head[heads] = 1
    return g


def test_candidate_four_units_away_on_a_path() -> None:
    """Five units of five (band 4–6) along a path; the first lacks a candidate, the nearest unit with one to
    spare is four units away. Every unit gets its head, none leaves the band, and the split is the one walking
    least (units of 6, 5, 5, 5, 4: 31 minutes, one more than the 30 before)."""
    g = _path(25, [5, 10, 15, 20, 24])
    units = Units(g.csr(), np.repeat(np.arange(5), 5), heads=g.head, size=g.w)
    before = sum(units.cost.values())
    s = Settings(lo=4, hi=6, target=5.0, require_head=True)
    assert head_chains(g, s, units, np.ones(25, dtype=bool), set(), np.random.default_rng(0)) == 1
    assert sum(units.lack(k) for k in units.nodes) == 0
    assert all(4 <= len(n) <= 6 for n in units.nodes.values())
    assert before == 30.0 and sum(units.cost.values()) == 31.0


def test_nothing_without_the_rule_or_a_lack() -> None:
    """Without the head rule, or with no unit lacking, nothing changes and the generator is not drawn from."""
    g = _path(12, [1, 5, 9])
    s = Settings(lo=3, hi=5, target=4.0, require_head=True)
    units = Units(g.csr(), np.repeat(np.arange(3), 4), heads=g.head, size=g.w)
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    assert head_chains(g, s, units, np.ones(12, dtype=bool), set(), rng) == 0
    plain = Units(g.csr(), np.repeat(np.arange(3), 4))
    assert head_chains(g, s, plain, np.ones(12, dtype=bool), set(), rng) == 0
    assert rng.bit_generator.state == state
    assert sorted(n.tolist() for n in units.nodes.values()) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_proven_components_are_passed_over() -> None:
    """A component proven to have no split with a head in every unit is not re-cut."""
    g = _path(25, [5, 10, 15, 20, 24])
    units = Units(g.csr(), np.repeat(np.arange(5), 5), heads=g.head, size=g.w)
    s = Settings(lo=4, hi=6, target=5.0, require_head=True)
    assert head_chains(g, s, units, np.ones(25, dtype=bool), {0}, np.random.default_rng(0)) == 0
    assert units.lack(0) == 1


def test_least_walk_split_keeps_settlements_whole_and_heads() -> None:
    """The least-walk split (the p-median LP) of a path of ten, band 4–6, candidates at 0 and 9, households 4–5
    one settlement kept whole: two parts, each with its candidate, the settlement in one."""
    g = _path(10, [0, 9])
    g.block = np.array([0, 1, 2, 3, 4, 4, 5, 6, 7, 8])
    part = _median_cut(g, Settings(lo=4, hi=6, target=5.0, require_head=True), np.ones(10), g.block == 4, 10.0)
    assert part is not None
    ids = np.unique(part, return_inverse=True)[1]
    assert ids[4] == ids[5] and ids[0] != ids[9] and sorted(np.bincount(ids).tolist()) in ([4, 6], [5, 5])
