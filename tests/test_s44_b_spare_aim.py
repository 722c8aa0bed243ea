"""Session 44, helper B: the spare-head windows' cost (issue 13).

The windows' columns come from the head-aware tree DP; session 43 cut every window along five forests with the
band's own target size, and looked up the settlements kept whole (over the whole village) once per window. Now
the DP aims at one unit more (its target the window's weight over its units plus one), a window gets as many
forests as ``SPARE_CELLS`` allows (pairs of big units one jittered tree, small windows four), and the
settlements kept whole are found once, and again after each window taken.
"""

from __future__ import annotations

import numpy as np
import pytest

import yuanluo.gis.delineate.spare as spare
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village


def _path(n: int, sizes: list[int], heads: list[int]) -> tuple[NodeGraph, Units]:
    """``n`` households a minute apart on a path, units of ``sizes`` in order, candidates at ``heads``."""
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    g.head = np.zeros(n, dtype=np.int64)
    g.head[heads] = 1
    return g, Units(g.csr(), np.repeat(np.arange(len(sizes)), sizes), heads=g.head, size=g.w)


def _cuts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, int]]:
    """Each tree DP call of the stage: (its target size, its forests)."""
    seen: list[tuple[float, int]] = []
    real = spare.construct_trees

    def spy(g: NodeGraph, s: Settings, jitters: list[np.ndarray | None]) -> list[np.ndarray]:
        seen.append((s.target, len(jitters)))
        return real(g, s, jitters)

    monkeypatch.setattr(spare, "construct_trees", spy)
    return seen


def test_the_dp_aims_at_one_unit_more(monkeypatch: pytest.MonkeyPatch) -> None:
    # two units of 25 (band 15-25, target 20): the DP is asked for parts of 50 / 3, not of 20
    g, units = _path(50, [25, 25], [5, 25, 45])
    seen = _cuts(monkeypatch)
    s = Settings(lo=15, hi=25, target=20.0, require_head=True)
    assert spare.spare_windows(g, s, units, np.ones(50, dtype=bool), None, np.random.default_rng(0)) == 1
    assert [round(t, 3) for t, _ in seen] == [16.667]
    assert sorted(len(n) for n in units.nodes.values()) == [16, 17, 17]


def test_forests_by_the_window_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # a window of 50 nodes under a ceiling of 25: 6,500 // (50 × 26) = 5 forests (the walking-time tree and
    # four jittered); of 94 under 50: 6,500 // (94 × 51) = 1, at least two (one jittered)
    g, units = _path(50, [25, 25], [5, 25, 45])
    seen = _cuts(monkeypatch)
    spare.spare_windows(g, Settings(lo=15, hi=25, target=20.0, require_head=True), units,
                        np.ones(50, dtype=bool), None, np.random.default_rng(0))
    g2, units2 = _path(94, [47, 47], [10, 40, 55, 85])
    assert spare.spare_windows(g2, Settings(lo=20, hi=50, target=35.0, require_head=True), units2,
                               np.ones(94, dtype=bool), None, np.random.default_rng(0)) == 1
    assert [f for _, f in seen] == [5, 2]
    assert [round(t, 3) for t, _ in seen] == [16.667, 31.333]
    assert len(units2.nodes) == 3 and all(units2.lack(k) <= 0 for k in units2.nodes)


def test_settlements_kept_whole_found_once_per_window_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    # changshou, 1,000 households, seed 0: the stage looked the settlements up once per window tried
    v = make_village(1000, seed=0)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    calls = {"locked": 0, "windows": 0, "taken": 0}
    real_locked, real_recut = spare.locked_nodes, spare._recut

    def locked(*a: object) -> np.ndarray:
        calls["locked"] += 1
        return real_locked(*a)

    def recut(*a: object) -> set[int]:
        calls["windows"] += 1
        new = real_recut(*a)
        calls["taken"] += bool(new)
        return new

    monkeypatch.setattr(spare, "locked_nodes", locked)
    monkeypatch.setattr(spare, "_recut", recut)
    d = UnitDelineator.from_rules(Rules(15, 25, name="changshou"), random_state=0, require_head=True)
    d.fit(v.households, g)
    assert calls["windows"] > calls["taken"] + 1  # windows not taken: the old stage looked up once each
    assert calls["locked"] == 1 + calls["taken"]
    u = d.units_
    assert not ((u["status"] == "ok") & ~u["has_head"]).any()
