"""Two-move chains after the head stage (gis.delineate.chains): the walk drops, the band and heads kept."""

import numpy as np

from yuanluo.gis.delineate.chains import chain_moves
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings

# 0 --1-- 1      units of exactly two households, {0, 2} and {1, 3}, walk 10 minutes each; no single move
# | `-1-. |      keeps the band. The chain 3 -> first unit, 0 -> second gives {2, 3} and {0, 1}, a minute each
# 10     `10
# |       |
# 2 --1-- 3
U, V, WALK = np.array([0, 2, 0, 1, 0]), np.array([1, 3, 2, 3, 3]), np.array([1.0, 1.0, 10.0, 10.0, 1.0])
BAND = Settings(lo=2, hi=2, target=2.0)
OK = np.ones(4, dtype=bool)


def _units(heads=None):
    g = NodeGraph.build(np.ones(4), U, V, WALK)
    return g, Units(g.csr(), np.array([0, 1, 0, 1]), heads=heads, size=g.w)


def _parts(units):
    return sorted(sorted(n.tolist()) for n in units.nodes.values())


def test_a_swap_where_no_single_move_keeps_the_band():
    g, units = _units()
    assert chain_moves(g, BAND, units, OK) == 1
    assert _parts(units) == [[0, 1], [2, 3]]
    assert sum(units.cost.values()) == 2.0


def test_taken_when_each_unit_keeps_a_candidate():
    g, units = _units(heads=np.array([1.0, 0.0, 0.0, 1.0]))  # 0 heads {0, 1}, 3 heads {2, 3}
    assert chain_moves(g, BAND, units, OK) == 1
    assert _parts(units) == [[0, 1], [2, 3]]
    assert all(units.lack(k) == 0 for k in units.nodes)


def test_refused_when_a_unit_would_lose_its_candidate():
    g, units = _units(heads=np.array([1.0, 1.0, 0.0, 0.0]))  # every better split leaves {2, 3} without one
    assert chain_moves(g, BAND, units, OK) == 0
    assert _parts(units) == [[0, 2], [1, 3]]
    assert all(units.lack(k) == 0 for k in units.nodes)


def test_one_unit_has_no_chain():
    g = NodeGraph.build(np.ones(4), U, V, WALK)
    units = Units(g.csr(), np.zeros(4, dtype=int))
    assert chain_moves(g, Settings(lo=1, hi=4, target=2.0), units, OK) == 0
    assert _parts(units) == [[0, 1, 2, 3]]


def test_the_band_counts_the_node_weights():
    # persons (size_by persons) are the node weights: the swap would make {2, 3} four persons, above 3
    g = NodeGraph.build(np.array([1, 1, 2, 2]), U, V, WALK)
    units = Units(g.csr(), np.array([0, 1, 0, 1]))
    assert chain_moves(g, Settings(lo=2, hi=3, target=2.5), units, OK) == 0
    assert _parts(units) == [[0, 2], [1, 3]]
    g1 = NodeGraph.build(np.ones(4), U, V, WALK)  # counted in households the same band takes it
    units = Units(g1.csr(), np.array([0, 1, 0, 1]))
    assert chain_moves(g1, Settings(lo=2, hi=3, target=2.5), units, OK) == 1


def test_a_locked_settlement_and_a_seed_point_stay():
    # 0 and 2 one settlement, whole and within the band: locked, so neither moves, and no chain is left
    g = NodeGraph.build(np.ones(4), U, V, WALK, block=np.array([0, 1, 0, 2]))
    units = Units(g.csr(), np.array([0, 1, 0, 1]))
    assert chain_moves(g, BAND, units, OK) == 0
    assert _parts(units) == [[0, 2], [1, 3]]
    # 0 a seed point: only 3 -> first unit with 2 -> second is left, and it cuts {1, 2} apart
    g = NodeGraph.build(np.ones(4), U, V, WALK)
    units = Units(g.csr(), np.array([0, 1, 0, 1]), seed=np.array([True, False, False, False]))
    assert chain_moves(g, BAND, units, OK) == 0
    assert _parts(units) == [[0, 2], [1, 3]]


def test_units_not_ok_are_left_alone():
    g, units = _units()
    assert chain_moves(g, BAND, units, np.array([True, False, True, False])) == 0
    assert _parts(units) == [[0, 2], [1, 3]]


def test_a_village_twice_the_same_units_within_the_rules():
    import hashlib

    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village

    v = make_village(600, seed=3)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    sha = []
    for _ in range(2):
        d = UnitDelineator.from_rules(Rules(15, 25), random_state=3, require_head=True).fit(v.households, g)
        sha.append(hashlib.sha256(d.labels_.astype(str).to_csv().encode() + d.units_.to_csv().encode()).hexdigest())
        assert d.check(v.households, g).passed
    assert sha[0] == sha[1]
