"""Session 48, helper U: a unit still lacking a candidate head after the spare windows, re-cut with the
smallest window of units around it (gis/delineate/headwindows.py, issue 13)."""

import numpy as np

from yuanluo.gis.delineate.headwindows import head_windows
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings

S = Settings(lo=3, hi=5, target=4.0, require_head=True)


def _path(n: int, heads: list[int], lab: np.ndarray) -> tuple[NodeGraph, Units]:
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    g.head = np.zeros(n, dtype=np.int64)
    g.head[heads] = 1
    return g, Units(g.csr(), lab.copy(), heads=g.head, size=g.w)


def test_far_spare_candidate_placed_only_the_window_changes():
    # 28 households in a row, units of 3, 4, 4, 4, 4, 4 and 5; one candidate in each of units 1–3, 5 and 6 and
    # two in unit 4: unit 0 lacks one, and the spare one is four units away (beyond a pair or a triple
    # re-cut); the last unit is outside every window tried
    lab = np.repeat(np.arange(7), [3, 4, 4, 4, 4, 4, 5])
    g, units = _path(28, [3, 7, 11, 15, 18, 21, 25], lab)
    assert units.lack(0) == 1
    assert head_windows(g, S, units, np.ones(28, dtype=bool), set()) == 1
    assert sum(units.lack(k) for k in units.nodes) == 0
    for nodes in units.nodes.values():
        assert S.lo <= len(nodes) <= S.hi and (np.diff(nodes) == 1).all()
    assert tuple(range(23, 28)) in {tuple(n.tolist()) for n in units.nodes.values()}


def test_nothing_lacking_nothing_changes():
    lab = np.repeat(np.arange(4), 4)
    g, units = _path(16, [1, 5, 9, 13], lab)
    cost = dict(units.cost)
    assert head_windows(g, S, units, np.ones(16, dtype=bool), set()) == 0
    assert (units.lab == lab).all() and units.cost == cost


def test_proven_or_short_component_left_alone():
    lab = np.repeat(np.arange(4), 4)
    g, units = _path(16, [4, 8, 12, 15], lab)
    assert head_windows(g, S, units, np.ones(16, dtype=bool), {0}) == 0  # proven: no split exists
    assert (units.lab == lab).all()
    g, units = _path(16, [4, 8, 12], lab)  # 3 candidates, 4 units needed: short by the pre-check
    assert head_windows(g, S, units, np.ones(16, dtype=bool), set()) == 0
    assert (units.lab == lab).all()


def test_no_head_rule_nothing_drawn():
    lab = np.repeat(np.arange(4), 4)
    g = NodeGraph.build(np.ones(16), np.arange(15), np.arange(1, 16), np.ones(15))
    units = Units(g.csr(), lab.copy())
    assert head_windows(g, S, units, np.ones(16, dtype=bool), set()) == 0
