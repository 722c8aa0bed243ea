"""Session 43 (issue 13, the head stage's time): the same work done cheaper, the same units.

``gis.delineate.improve.Units.evaluate`` keeps the walk of every node set it was asked for (the local search
evaluates a move's two units, then again when it makes the move; a re-split leaves units as they were), so a
set is walked (Floyd–Warshall) once per fit. What a walk depends on besides the set (graph, seed points,
households per node, walking limit) is read-only, and setting it anew empties the memo.

The units of a 600-household village (both presets, heads off and on, seed 0) are pinned to those of the
engine before this change (``c60ff14``).
"""

import hashlib
import sys

import numpy as np
import pytest

import yuanluo.gis.cluster as cluster
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate import improve
from yuanluo.gis.delineate.improve import Units, _try_move
from yuanluo.gis.delineate.problem import NodeGraph
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
# sha256 of labels_, units_ (no geometry, no reason texts) and objective_ as CSV / repr: the units of the engine at
# c60ff14 (12a527c: the remnant step); the reasons' words are not units (7abe555 added the nearest candidate head to
# HEAD-SHORT reasons, 747644a one term for a candidate): these pins are 27e9fda's and 7ba69f1's alike
PINNED = {
    ("banan", False): "65350ee1fb30420291687ba4adfa6ddb557e5a13c3d1a3636122289e92812dd3",
    ("banan", True): "43f38d2657d13314d3721af16a1ebf648f7a600a1ff43111e18839c7fae43e68",
    ("changshou", False): "3a17a3a4ac41a45a52f2589e42f9acbd08d279a6b1f1117a126b3787588d308f",
    ("changshou", True): "af89be7e1788654da4fae5a10b42fd4c7c1906306da93ff86eaab3c938e00299",
}


@pytest.fixture(scope="module")
def village():
    v = make_village(600, seed=0)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def _digest(d) -> str:
    txt = d.labels_.to_csv() + d.units_.drop(columns=["geometry", "reason", "reason_params"], errors="ignore").to_csv() + repr(float(d.objective_))
    return hashlib.sha256(txt.encode()).hexdigest()


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("heads", [False, True])
def test_each_node_set_walked_once_same_units(village, monkeypatch, preset, heads):
    walked: list[bytes] = []
    orig = Units._walks

    def counting(self, nodes):
        if sys._getframe(1).f_code.co_name == "evaluate":  # (Units.seat walks a unit to a given point)
            walked.append(np.asarray(nodes, dtype=np.int64).tobytes())
        return orig(self, nodes)

    monkeypatch.setattr(Units, "_walks", counting)
    # the pins are c60ff14's units: without the spare-head windows (37779a6), which re-cut heads-on units on purpose
    monkeypatch.setattr(cluster, "spare_windows", lambda *a: 0)
    monkeypatch.setattr(cluster, "alloc_walk", lambda *a: set())  # nor the LP re-allocation after them (s58)
    hh, g = village
    d = UnitDelineator.from_rules(PRESETS[preset], random_state=0, require_head=heads).fit(hh, g)
    assert len(walked) > 100  # the search evaluated units
    assert len(walked) == len(set(walked)), (len(walked), len(set(walked)))  # none twice
    assert _digest(d) == PINNED[(preset, heads)]


def _path(n: int = 6) -> NodeGraph:
    return NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.arange(1.0, n))


def test_walk_after_a_move_is_the_fresh_one():
    g = _path()
    units = Units(g.csr(), np.array([0, 0, 0, 0, 1, 1]))
    before = {k: units.evaluate(units.nodes[k]) for k in units.nodes}
    assert units.evaluate(units.nodes[0]) is before[0]  # looked up, not walked again
    assert _try_move(units, 3, 0, 1)  # node 3 is 4 minutes from 2 and 5 from 4: it walks less with 4 and 5
    fresh = Units(g.csr(), units.lab.copy())  # a new memo: every walk taken anew
    for k in (0, 1):
        assert units.cost[k] == fresh.cost[k] and units.meet[k] == fresh.meet[k]
        assert np.array_equal(units.dm[units.nodes[k]], fresh.dm[fresh.nodes[k]])
    assert units.evaluate(units.nodes[0])[0] != before[0][0]


def test_what_a_walk_depends_on_cannot_change_under_the_memo():
    g = _path()
    seed = np.zeros(6, dtype=bool)
    mult = np.ones(6)
    units = Units(g.csr(), np.zeros(6, dtype=np.int64), seed, mult)
    nodes = np.arange(6)
    c0, m0, d0 = units.evaluate(nodes)
    seed[0] = True  # the caller's arrays are copied: the units' own stay as given
    mult[5] = 10.0
    assert units.evaluate(nodes)[:2] == (c0, m0)
    for name in ("seed", "mult", "indptr", "indices", "data"):
        with pytest.raises(ValueError):
            getattr(units, name)[0] = 1
    with pytest.raises(ValueError):
        d0[0] = 1.0  # the walks handed out are the memo's own
    units.seed = seed  # set anew: the memo starts again, the walk is to the seed point
    c1, m1, _ = units.evaluate(nodes)
    assert m1 == 0 and c1 == Units(g.csr(), np.zeros(6, dtype=np.int64), seed).cost[0]
    units.limit = 5.0
    assert units.evaluate(nodes)[0] > improve.WALK_PENALTY  # households beyond the limit from node 0


def test_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(improve, "EVAL_MEMO", 3)
    g = _path(8)
    units = Units(g.csr(), np.zeros(8, dtype=np.int64))
    for k in range(2, 9):
        units.evaluate(np.arange(k))
        assert len(units._memo) <= 3
    assert units.evaluate(np.arange(8))[0] == Units(g.csr(), np.zeros(8, dtype=np.int64)).cost[0]
