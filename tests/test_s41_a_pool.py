"""Session 41 (issue 13): candidate heads placed by set partitioning over a pool of units (gis.delineate.pool)."""

import numpy as np

from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.pool import pool_heads
from yuanluo.gis.delineate.problem import NodeGraph, Settings

BAND = Settings(lo=2, hi=3, target=2.5)


def _path(block=None):
    g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.ones(5), block=block)
    g.head = np.array([1, 0, 0, 0, 0, 1])
    return g


def _parts(units):
    return sorted(n.tolist() for n in units.nodes.values())


def test_the_middle_unit_gets_a_head_no_move_could_give_it():
    g = _path()
    units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]), heads=g.head, size=g.w)
    assert pool_heads(g, BAND, units, np.ones(6, dtype=bool), None, np.random.default_rng(0)) == 1
    assert _parts(units) == [[0, 1, 2], [3, 4, 5]]
    assert sum(units.lack(k) for k in units.nodes) == 0
    assert (units.lab[units.nodes[units.lab[0]]] == units.lab[0]).all()


def test_without_the_head_rule_nothing_changes():
    g = _path()
    units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]))
    assert pool_heads(g, BAND, units, np.ones(6, dtype=bool), None, np.random.default_rng(0)) == 0
    assert _parts(units) == [[0, 1], [2, 3], [4, 5]]


def test_a_settlement_kept_whole_is_not_split_for_a_head():
    g = _path(block=np.array([0, 1, 2, 2, 3, 4]))  # households 2 and 3 are one settlement, whole in its unit
    units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]), heads=g.head, size=g.w)
    assert pool_heads(g, BAND, units, np.ones(6, dtype=bool), None, np.random.default_rng(0)) == 0
    assert _parts(units) == [[0, 1], [2, 3], [4, 5]]


def test_exception_units_are_left_alone():
    g = _path()
    units = Units(g.csr(), np.array([0, 0, 1, 1, 2, 2]), heads=g.head, size=g.w)
    ok = np.array([True, True, True, True, False, False])
    assert pool_heads(g, BAND, units, ok, None, np.random.default_rng(0)) == 0


def test_fit_pools_after_the_head_stage_with_the_units_before_it(monkeypatch):
    import yuanluo.gis.cluster as cluster
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village

    calls = []
    real = cluster.pool_heads

    def spy(g, s, units, part_ok, pre, rng):
        calls.append((len(pre), g.n, units.heads is not None))
        return real(g, s, units, part_ok, pre, rng)

    monkeypatch.setattr(cluster, "pool_heads", spy)
    v = make_village(300, seed=2)
    gr = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    for heads in (True, False):
        d = cluster.UnitDelineator.from_rules(Rules(15, 25), random_state=2, require_head=heads).fit(v.households, gr)
        assert d.check(v.households, gr).passed
    assert [c[2] for c in calls] == [True, False] and all(c[0] == c[1] for c in calls)
