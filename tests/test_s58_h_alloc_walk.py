"""Session 58 (issue 13): the units the head stage changed, re-allocated to their meeting points by an LP
(gis.delineate.alloc.alloc_walk), where that walks less and every unit keeps its candidate head."""

import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components

from yuanluo.gis.delineate.alloc import alloc_walk
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings

BAND = Settings(lo=3, hi=5, target=4)


def _path(head):
    """Eight households on a path, the walk between 3 and 4 five minutes, the others one."""
    walk = np.ones(7)
    walk[3] = 5.0
    g = NodeGraph.build(np.ones(8), np.arange(7), np.arange(1, 8), walk)
    g.head = np.asarray(head)
    return g


def _parts(units):
    return sorted(n.tolist() for n in units.nodes.values())


def _walk(units):
    return sum(units.evaluate(n)[0] for n in units.nodes.values())


def test_a_household_far_from_its_meeting_point_joins_the_nearer_unit():
    g = _path([0, 1, 0, 0, 0, 0, 1, 0])
    units = Units(g.csr(), np.array([0, 0, 0, 0, 0, 1, 1, 1]), heads=g.head, size=g.w)
    assert _walk(units) == 12.0  # household 4 walks six minutes to meeting point 2
    pre = np.zeros(8, dtype=np.int64)  # the head stage changed the area
    assert alloc_walk(g, BAND, units, np.ones(8, dtype=bool), pre) == {0, 1}
    assert _parts(units) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert _walk(units) == 8.0 and sum(units.lack(k) for k in units.nodes) == 0


def test_a_unit_still_lacking_gets_the_candidate_it_is_next_to():
    g = _path([0, 1, 0, 0, 1, 0, 0, 0])  # unit 1 has no candidate; household 4, in unit 0, is one
    units = Units(g.csr(), np.array([0, 0, 0, 0, 0, 1, 1, 1]), heads=g.head, size=g.w)
    assert units.lack(1) == 1
    assert alloc_walk(g, BAND, units, np.ones(8, dtype=bool), np.zeros(8, dtype=np.int64)) == {0, 1}
    assert _parts(units) == [[0, 1, 2, 3], [4, 5, 6, 7]] and units.lack(0) == units.lack(1) == 0


def test_a_units_only_candidate_stays_even_where_it_walks_more():
    g = _path([0, 0, 0, 0, 1, 0, 0, 1])  # household 4 is unit 0's only candidate: moved, unit 0 would lack one
    units = Units(g.csr(), np.array([0, 0, 0, 0, 0, 1, 1, 1]), heads=g.head, size=g.w)
    assert alloc_walk(g, BAND, units, np.ones(8, dtype=bool), np.zeros(8, dtype=np.int64)) == set()
    assert _parts(units) == [[0, 1, 2, 3, 4], [5, 6, 7]]


@pytest.mark.parametrize("case", ["no head rule", "left as it was", "exception unit", "band"])
def test_nothing_is_asked(case):
    g = _path([0, 1, 0, 0, 0, 0, 1, 0])
    lab = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    units = Units(g.csr(), lab.copy(), heads=None if case == "no head rule" else g.head, size=g.w)
    pre = lab.copy() if case == "left as it was" else np.zeros(8, dtype=np.int64)
    ok = np.ones(8, dtype=bool)
    if case == "exception unit":
        ok[5:] = False
    s = Settings(lo=3, hi=4, target=3.5) if case == "band" else BAND  # unit 0 (5 households) above the band
    assert alloc_walk(g, s, units, ok, pre) == set()
    assert (units.lab == lab).all()


def test_fit_keeps_every_rule_and_walks_less_where_it_re_allocates(monkeypatch):
    """Villages of 3,000 households: each call leaves no unit with fewer candidates than its rule asks where it
    had them, every unit within the band and in one piece, and the walk (plus 1,000 minutes a lacking head) less;
    at least one village re-allocated."""
    import yuanluo.gis.cluster as cluster
    from yuanluo.gis.delineate import alloc
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village

    seen = []
    real = cluster.alloc_walk

    def spy(g, s, units, part_ok, pre):
        ks = sorted(units.nodes)
        lack0 = {k: units.lack(k) for k in ks}
        cost0 = alloc._cost(units, [units.nodes[k] for k in ks])
        out = real(g, s, units, part_ok, pre)
        for k in out:
            nodes = units.nodes[k]
            assert s.lo <= g.w[nodes].sum() <= s.hi
            assert connected_components(g.csr()[nodes][:, nodes], directed=False)[0] == 1
        assert sum(units.lack(k) for k in units.nodes) <= sum(lack0.values())
        cost1 = alloc._cost(units, [units.nodes[k] for k in sorted(units.nodes)])
        assert cost1 <= cost0 + 1e-6
        seen.append((len(out), cost0 - cost1))
        return out

    monkeypatch.setattr(cluster, "alloc_walk", spy)
    v = make_village(3000, seed=11)
    gr = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    d = cluster.UnitDelineator.from_rules(Rules(15, 25), random_state=11).fit(v.households, gr)
    assert d.check(v.households, gr).passed
    assert seen and seen[0][0] > 0 and seen[0][1] > 1.0
