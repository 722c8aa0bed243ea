"""The candidate-head rule (能力匹配): soft in the first search, then kept by the head fix (pair re-splits,
component re-cuts by the tree DP, the exact placement), the improvement moves and the region re-cut;
HEAD-SHORT / HEAD-UNPLACED exceptions; the suggested head of each unit."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.construct import construct, construct_trees, tree_partition_heads
from yuanluo.gis.delineate.heads import min_heads
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings, components
from yuanluo.gis.errors import InputError, RuleConfigError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village


def chain(n: int, heads: list[int], gap: dict[int, float] | None = None) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """``n`` households on a line 100 m apart (``gap``: extra metres after a position), candidates at
    ``heads``."""
    step = np.full(n, 100.0)
    for i, extra in (gap or {}).items():
        step[i + 1] += extra
    x = np.cumsum(step) - 100.0
    ids = [f"H{i:03d}" for i in range(n)]
    hh = gpd.GeoDataFrame({"head_candidate": [i in heads for i in range(n)]},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(x, np.zeros(n)),
                          crs="EPSG:4545")
    g = TerrainGraph.from_edges(ids, np.c_[x, np.zeros(n)], [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")
    return hh, g


def _stats(part: np.ndarray, heads: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    ids = np.unique(part, return_inverse=True)[1]
    sz = np.bincount(ids)
    h = np.bincount(ids, weights=heads)
    return (99 if (sz > hi).any() else int(np.maximum(lo - sz, 0).sum())), int((h == 0).sum())


def test_tree_dp_with_heads_is_optimal_on_small_trees() -> None:
    """Fewest households below the floor, then fewest parts without a head: equal to brute force."""
    rng = np.random.default_rng(1)
    s = Settings(lo=2, hi=4, target=3.0)
    for _ in range(60):
        n = 9
        parent = np.r_[-1, [rng.integers(0, i) for i in range(1, n)]]
        heads = (rng.random(n) < 0.3).astype(np.int64)
        part = tree_partition_heads(np.ones(n, dtype=np.int64), parent, np.arange(n), np.zeros(n), s,
                                    np.zeros(n, dtype=bool), heads)
        best = min(
            _stats(components(n, np.array([parent[i] for i in range(1, n) if keep[i - 1]], dtype=np.int64),
                              np.array([i for i in range(1, n) if keep[i - 1]], dtype=np.int64)), heads, 2, 4)
            for keep in itertools.product([False, True], repeat=n - 1))
        assert _stats(part, heads, 2, 4) == best


@pytest.mark.parametrize("heads_for_size", [None, 20])
def test_forests_cut_side_by_side_as_one_at_a_time(heads_for_size: int | None) -> None:
    """The head DP along five spanning forests at once gives each forest's own cut (ties alike)."""
    rng = np.random.default_rng(7)
    s = Settings(lo=15, hi=25, target=20.0, heads_for_size=heads_for_size)
    for k in range(12):
        n = int(rng.integers(30, 120))
        u = np.arange(1, n)
        v = np.array([rng.integers(max(0, i - 6), i) for i in range(1, n)])  # a spanning chain-like tree
        extra = rng.integers(0, n, size=(n // 2, 2))
        e = np.unique(np.sort(np.r_[np.c_[v, u], extra[extra[:, 0] != extra[:, 1]]], axis=1), axis=0)
        g = NodeGraph.build(rng.integers(1, 3, n), e[:, 0], e[:, 1], np.round(rng.uniform(0.1, 3.0, len(e)), 1))
        g.head = (rng.random(n) < 0.1).astype(np.int64)
        if k % 3 == 0:
            g.seed = rng.random(n) < 0.04
        jitters = [None] + [rng.uniform(0.2, 1.8, size=len(g.u)) for _ in range(4)]
        together = construct_trees(g, s, jitters)
        for j, part in zip(jitters, together, strict=True):
            assert np.array_equal(part, construct(g, s, jitter=j))
        assert len({p.tobytes() for p in together}) > 1  # the forests differ


def test_every_unit_gets_a_head_where_the_chain_allows() -> None:
    hh, g = chain(40, heads=[0, 15])
    off = UnitDelineator(10, 30, require_head=False, random_state=0).fit(hh, g)
    assert not off.units_["has_head"].all()  # the walking-optimal cut 20 + 20 leaves one without
    on = UnitDelineator(10, 30, random_state=0).fit(hh, g)
    assert on.units_["has_head"].all() and (on.units_["status"] == "ok").all()


def test_short_component_reports_head_short_with_the_shortfall() -> None:
    hh, g = chain(60, heads=[30])
    d = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    u = d.units_
    assert len(u) >= 3
    short = u[u["code"] == "HEAD-SHORT"]
    assert len(short) == len(u) - 1 and (short["status"] == "exception").all()
    params = json.loads(short["reason_params"].iloc[0])
    assert params["shortfall"] == 2 and params["candidates"] == 1 and params["needed"] == 3
    assert u.loc[u["has_head"], "status"].eq("ok").all()
    assert any(p.code == "HEAD-SHORT" for p in d.problems_)
    assert "HEAD-SHORT" in u["reason"].iloc[int(np.flatnonzero(~u["has_head"])[0])]


def test_a_component_with_enough_candidates_but_no_split_is_proven_head_short() -> None:
    """Fifty households in a row, band 15–25, candidates at the first two: two candidates cover the two
    units the count needs, but every cut lies between positions 15 and 35, so both fall in one unit. The
    exact search proves it: HEAD-SHORT with ``proven``, not HEAD-UNPLACED."""
    from yuanluo.gis.delineate.reasons import unit_reasons

    hh, g = chain(50, heads=[0, 1])
    d = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    u = d.units_
    short = u[u["code"] == "HEAD-SHORT"]
    assert len(short) == 1 and not (u["code"] == "HEAD-UNPLACED").any()
    params = json.loads(short["reason_params"].iloc[0])
    assert params["proven"] is True and "shortfall" not in params
    assert unit_reasons(short, "en").iloc[0].endswith("giving each unit a head candidate (proven)")
    assert "已证明任何" in unit_reasons(short, "zh").iloc[0]


def test_a_component_too_large_for_the_milp_is_proven_head_short_where_the_reason_is_plain() -> None:
    """120 households in a row (above ``HEAD_MILP_N``), band 15–25, candidates at the first six: six cover
    the five units the count needs, but the 113 households past the sixth have none, so all of them would
    share the sixth's unit. No split exists; it is proven without the MILP, and reported HEAD-SHORT with
    ``proven``, not HEAD-UNPLACED."""
    from yuanluo.gis.delineate.heads import HEAD_MILP_N

    assert 120 > HEAD_MILP_N
    hh, g = chain(120, heads=list(range(6)))
    u = UnitDelineator(15, 25, random_state=0).fit(hh, g).units_
    assert (u["code"] == "HEAD-SHORT").sum() >= 3 and not (u["code"] == "HEAD-UNPLACED").any()
    assert all(json.loads(p)["proven"] is True for p in u.loc[u["code"] == "HEAD-SHORT", "reason_params"])


def test_exact_placement_gives_every_unit_a_head_where_a_split_exists() -> None:
    """The exact step alone (no pair re-split or DP re-cut before it): fifty households in three units with
    two candidates are cut into parts within the band, each holding a candidate; a component with no such
    split is reported proven."""
    from yuanluo.gis.delineate.heads import _exact_components

    s = Settings(lo=15, hi=25, target=20.0)
    g, units = _path_units(50, [16, 33], [5, 45])
    new, proven = _exact_components(g, s, units, np.ones(50, dtype=bool))
    assert proven == set() and set(units.nodes) == new and len(new) == 2
    for nodes in units.nodes.values():
        assert 15 <= len(nodes) <= 25 and units.heads[nodes].sum() == 1 and np.all(np.diff(nodes) == 1)
    g, units = _path_units(50, [24], [0, 1])
    assert _exact_components(g, s, units, np.ones(50, dtype=bool)) == (set(), {0})


def test_heads_for_size_asks_two_candidates_of_large_units() -> None:
    hh, g = chain(40, heads=[2, 8, 30])
    d = UnitDelineator(10, 40, heads_for_size=25, random_state=0).fit(hh, g)
    u = d.units_[d.units_["status"] == "ok"]
    assert ((u["n_heads"] >= 1) & ((u["size"] <= 25) | (u["n_heads"] >= 2))).all()
    assert min_heads(100, Settings(20, 50, 35.0, heads_for_size=30)) == 4


def test_suggested_head_is_the_candidate_nearest_the_meeting_point() -> None:
    hh, g = chain(30, heads=[0, 12, 20])
    d = UnitDelineator(10, 30, random_state=0).fit(hh, g)
    row = d.units_.iloc[0]
    cands = json.loads(row["head_candidates"])
    assert sorted(cands) == ["H000", "H012", "H020"]
    meet = int(row["meeting_hid"][1:])
    assert row["head_hid"] == cands[0] == min(cands, key=lambda h: (abs(int(h[1:]) - meet), h))


def test_heads_off_labels_ignore_the_column() -> None:
    v = make_village(400, seed=3)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    a = UnitDelineator(15, 25, require_head=False, random_state=0).fit(v.households, g)
    b = UnitDelineator(15, 25, random_state=0).fit(v.households.drop(columns="head_candidate"), g)
    pd.testing.assert_series_equal(a.labels_, b.labels_)


@pytest.mark.parametrize("preset", [(20, 50), (15, 25)])
def test_synthetic_village_every_ok_unit_has_a_head_and_passes_the_check(preset: tuple[int, int]) -> None:
    v = make_village(1000, seed=1)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    off = UnitDelineator(*preset, require_head=False, random_state=0).fit(v.households, g)
    on = UnitDelineator(*preset, random_state=0).fit(v.households, g)
    u = on.units_
    assert u.loc[u["status"] == "ok", "has_head"].all()
    assert (~u["has_head"]).sum() <= (~off.units_["has_head"]).sum()
    assert set(u.loc[~u["has_head"], "code"]) <= {"HEAD-SHORT", "HEAD-UNPLACED", "RULE-INFEASIBLE", "RULE-NOSPLIT"}
    res = check_plan(v.households, on.labels_, Rules(*preset), graph=g, checks=["head"])
    flagged = {str(x) for x in res.violations["unit_id"]}
    assert flagged <= set(u.loc[u["status"] == "exception", "unit_id"])


def test_heads_for_size_is_a_declared_parameter() -> None:
    hh, g = chain(20, heads=[0])
    with pytest.raises(InputError) as err:
        UnitDelineator(5, 10, heads_for_size=0).fit(hh, g)
    assert "heads_for_size" in str(err.value.problems[0].params)
    with pytest.raises(RuleConfigError):
        Rules(5, 10, heads_for_size=0)
    assert UnitDelineator.from_rules(Rules(5, 10, heads_for_size=8)).heads_for_size == 8


def test_walking_limit_no_ok_unit_breaks_it_and_the_check_agrees() -> None:
    v = make_village(600, seed=2)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    rules = Rules(15, 25, max_walk_min=3.0)
    d = UnitDelineator.from_rules(rules, random_state=0).fit(v.households, g)
    u = d.units_
    assert d.max_walk_min == 3.0
    res = check_plan(v.households, d.labels_, rules, graph=g, meeting_points=u.set_index("unit_id")["meeting_hid"],
                     checks=["walk"])
    bad = res.violations[res.violations["code"] == "PLAN-WALK-LIMIT"]
    exc = set(u.loc[u["status"] == "exception", "unit_id"])
    assert set(bad["unit_id"]) <= exc
    walk = u[u["code"] == "WALK-LIMIT"]
    assert len(walk) and set(walk["unit_id"]) == set(bad["unit_id"]) - set(u.loc[u["code"].str.startswith("HEAD")
                                                                                | u["code"].str.startswith("RULE"),
                                                                                "unit_id"])
    assert "WALK-LIMIT" in walk["reason"].iloc[0]


def _path_units(n: int, cut: list[int], heads: list[int]) -> tuple[NodeGraph, Units]:
    """A path of ``n`` households one minute apart cut after the positions ``cut``, candidates at ``heads``:
    its node graph and :class:`Units` with the head rule on."""
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    g.head = np.isin(np.arange(n), heads).astype(np.int64)
    lab = np.searchsorted(np.array(cut), np.arange(n), side="left")
    return g, Units(g.csr(), lab, heads=g.head.astype(float), size=g.w)


def _best_path_walk(n: int, lo: int, hi: int, heads: list[int], parts: int) -> float:
    """Brute force: the least walk of a path cut into ``parts`` contiguous pieces within the band, each
    holding a candidate (a piece of k households one minute apart walks Σ|i − median|)."""
    def walk(k: int) -> float:
        return float(sum(abs(i - (k - 1) // 2) for i in range(k)))

    best = np.inf
    for cuts in itertools.combinations(range(1, n), parts - 1):
        b = (0, *cuts, n)
        if all(lo <= b[i + 1] - b[i] <= hi and any(b[i] <= h < b[i + 1] for h in heads) for i in range(parts)):
            best = min(best, sum(walk(b[i + 1] - b[i]) for i in range(parts)))
    return best


def test_head_fix_re_splits_a_pair_for_the_least_walk() -> None:
    """Forty households in two units of twenty (band 10–30), both candidates in the second unit: the head
    fix re-splits the pair so that each unit holds one, and its walk is the brute-force optimum."""
    from yuanluo.gis.delineate.heads import head_fix

    g, units = _path_units(40, [19], [25, 35])
    before = sum(units.cost.values())
    head_fix(g, Settings(lo=10, hi=30, target=20.0), units, np.ones(40, dtype=bool), np.random.default_rng(0))
    assert all(units.heads[n].sum() >= 1 for n in units.nodes.values())
    assert sorted(len(n) for n in units.nodes.values()) == [14, 26]
    assert sum(units.cost.values()) == _best_path_walk(40, 10, 30, [25, 35], 2) > before


def test_head_fix_re_cuts_a_component_with_fewer_units_when_a_pair_cannot_help() -> None:
    """Fifty households in three units (band 15–25) but only two candidates: no re-split of a pair can give
    all three a head, the component is re-cut into two units of 25, one candidate each."""
    from yuanluo.gis.delineate.heads import head_fix

    g, units = _path_units(50, [16, 33], [5, 45])
    head_fix(g, Settings(lo=15, hi=25, target=20.0), units, np.ones(50, dtype=bool), np.random.default_rng(0))
    assert sorted(len(n) for n in units.nodes.values()) == [25, 25]
    assert all(units.heads[n].sum() == 1 for n in units.nodes.values())
    assert sum(units.cost.values()) == _best_path_walk(50, 15, 25, [5, 45], 2)


def test_triple_re_cut_moves_a_candidate_along_a_chain_no_pair_can() -> None:
    """Sixty households in three units of twenty (band 15–25): the first has no candidate, the second one
    (at 24), the third two (44, 58). No re-split of a pair gives all three a head (the first two hold one
    candidate between them); the re-cut of the three does: 0–24 | 25–44 | 45–59, the only such split."""
    from yuanluo.gis.delineate.heads import _pair_fix, _triple_fix

    s = Settings(lo=15, hi=25, target=20.0)
    g, units = _path_units(60, [19, 39], [24, 44, 58])
    ok = np.ones(60, dtype=bool)
    assert _pair_fix(units, 0, 1, g.w, np.full(60, -1), s) is None
    new = _triple_fix(g, s, units, ok, set(), np.random.default_rng(0))
    assert new == set(units.nodes) and len(new) == 3
    cuts = sorted((int(n.min()), int(n.max())) for n in units.nodes.values())
    assert cuts == [(0, 24), (25, 44), (45, 59)]
    assert all(units.heads[n].sum() >= 1 for n in units.nodes.values())
    g, units = _path_units(60, [19, 39], [24, 44, 58])
    assert _triple_fix(g, s, units, ok, {0}, np.random.default_rng(0)) == set()  # a short component: skipped


def test_triple_re_cut_takes_the_set_of_three_that_walks_least() -> None:
    """A hundred households in five units of twenty (band 15–25); the middle unit has no candidate. The
    three units on its left and the three on its right can each give it one (the chain of the test above,
    mirrored on the left). Steps take half a minute among the first forty households and one minute after
    them, so the left cut adds 29 walking minutes and the right one 12. The first set tried (the left) is
    not taken: the right one walks less."""
    from yuanluo.gis.delineate.heads import _triple_fix

    s = Settings(lo=15, hi=25, target=20.0)
    walk = np.where(np.arange(99) < 39, 0.5, 1.0)
    g = NodeGraph.build(np.ones(100), np.arange(99), np.arange(1, 100), walk)
    g.head = np.isin(np.arange(100), [1, 15, 35, 64, 84, 98]).astype(np.int64)
    lab = np.arange(100) // 20
    units = Units(g.csr(), lab, heads=g.head.astype(float), size=g.w)
    before = {k: float(c) for k, c in units.cost.items()}
    new = _triple_fix(g, s, units, np.ones(100, dtype=bool), set(), np.random.default_rng(0))
    assert len(new) == 3
    cuts = sorted((int(n.min()), int(n.max())) for n in units.nodes.values())
    assert cuts == [(0, 19), (20, 39), (40, 64), (65, 84), (85, 99)]
    assert all(units.heads[n].sum() >= 1 for n in units.nodes.values())
    added = sum(units.cost.values()) - sum(before.values())
    left = Units(g.csr(), np.searchsorted([14, 34, 59, 79], np.arange(100)), heads=g.head.astype(float), size=g.w)
    assert all(left.heads[n].sum() >= 1 for n in left.nodes.values())  # the left set works too, walking more
    assert (added, sum(left.cost.values()) - sum(before.values())) == (12.0, 29.0)


def _gappy_grid(seed: int) -> NodeGraph:
    """A 5 × 8 grid of households with a fifth of its edges dropped at random and random walks (0.5–2
    minutes)."""
    rng = np.random.default_rng(seed)
    idx = np.arange(40).reshape(5, 8)
    u = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    keep = rng.random(len(u)) < 0.8
    return NodeGraph.build(np.ones(40), u[keep], v[keep], rng.uniform(0.5, 2.0, int(keep.sum())))


def test_exact_pair_re_split_finds_the_split_the_pair_re_splits_miss() -> None:
    """Two units of twenty (the left and right halves of a gappy grid, band 15–25), the right one holding
    both candidates (at 21 and 22, side by side). The pair re-splits of step 1 find no split giving both a
    head; the exact MILP does, and its parts are connected and within the band."""
    from yuanluo.gis.delineate.heads import _exact_pairs, _pair_fix
    from yuanluo.gis.delineate.problem import components

    s = Settings(lo=15, hi=25, target=20.0)
    g = _gappy_grid(1)
    g.head = np.isin(np.arange(40), [21, 22]).astype(np.int64)
    lab = (np.arange(40) % 8 >= 4).astype(np.int64)
    units = Units(g.csr(), lab, heads=g.head.astype(float), size=g.w)
    assert _pair_fix(units, 0, 1, g.w, np.full(40, -1), s) is None
    assert len(_exact_pairs(g, s, units, np.ones(40, dtype=bool), set())) == 2
    for nodes in units.nodes.values():
        inside = np.isin(g.u, nodes) & np.isin(g.v, nodes)
        assert 15 <= len(nodes) <= 25 and units.heads[nodes].sum() == 1
        assert len(np.unique(components(40, g.u[inside], g.v[inside])[nodes])) == 1


def test_exact_pair_re_split_takes_the_neighbour_that_walks_least() -> None:
    """Sixty households on a path in three units of twenty, the middle one without a candidate; each
    outer unit holds two, so either pair can give it one. Steps take half a minute among the first twenty
    households: there the re-split adds more walking, and the right pair is taken, not the first one."""
    from yuanluo.gis.delineate.heads import _exact_pairs

    s = Settings(lo=15, hi=25, target=20.0)
    g = NodeGraph.build(np.ones(60), np.arange(59), np.arange(1, 60), np.where(np.arange(59) < 19, 0.5, 1.0))
    g.head = np.isin(np.arange(60), [0, 15, 44, 59]).astype(np.int64)
    units = Units(g.csr(), np.arange(60) // 20, heads=g.head.astype(float), size=g.w)
    before = sum(units.cost.values())
    assert _exact_pairs(g, s, units, np.ones(60, dtype=bool), set())
    assert all(units.heads[n].sum() >= 1 for n in units.nodes.values())
    nodes = sorted(units.nodes.values(), key=lambda n: int(n.min()))
    assert [int(n.min()) for n in nodes][0] == 0 and len(nodes[0]) == 20  # the left unit is untouched
    added = sum(units.cost.values()) - before
    left = Units(g.csr(), np.searchsorted([14, 39], np.arange(60)), heads=g.head.astype(float), size=g.w)
    assert added < sum(left.cost.values()) - before  # the left pair's only split walks more


def test_soft_head_rule_moves_a_candidate_when_it_costs_less_than_the_penalty() -> None:
    """The first search counts a lacking head as HEAD_SOFT_MIN walking minutes: a boundary candidate next
    door moves into the unit without one when that walks less than the penalty more, and stays put when
    the penalty is zero."""
    from yuanluo.gis.delineate.heads import HEAD_SOFT_MIN
    from yuanluo.gis.delineate.improve import local_search, locked_nodes

    s = Settings(lo=5, hi=15, target=10.0)
    for lam, moved in ((HEAD_SOFT_MIN, True), (0.0, False)):
        g, units = _path_units(20, [8], [9, 15])  # moving household 9 walks as much as it saves
        units.lam = lam
        local_search(g, s, units, np.ones(20, dtype=bool), locked_nodes(g, s, units.lab))
        assert bool(units.lab[9] == units.lab[0]) is moved
        assert all(units.heads[n].sum() >= 1 for n in units.nodes.values()) is moved


def test_a_thorough_head_search_places_the_heads_the_default_leaves_unplaced() -> None:
    """The units left HEAD-UNPLACED lie in areas above the exact placement's default size (100 location
    nodes); asking for larger areas (``head_exact_max_n``; the command line's ``--thorough-heads``) places them
    (``bench/results/heads.md``, session 11)."""
    v = make_village(1000, seed=2)  # seed 0's two units the pool step places since session 41 (gis.delineate.pool)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    rules = Rules(15, 25)
    usual = UnitDelineator.from_rules(rules, random_state=2).fit(v.households, g)
    assert (usual.units_["code"] == "HEAD-UNPLACED").sum() >= 1, "the case needs a unit the default leaves unplaced"
    thorough = UnitDelineator.from_rules(rules, random_state=2, head_exact_max_n=400).fit(v.households, g)
    u = thorough.units_
    assert (u["code"] == "HEAD-UNPLACED").sum() == 0
    assert u.loc[u["status"] == "ok", "has_head"].all()
    res = check_plan(v.households, thorough.labels_, rules, graph=g, checks=["head"])
    assert {str(x) for x in res.violations["unit_id"]} <= set(u.loc[u["status"] == "exception", "unit_id"])
    with pytest.raises(InputError) as err:
        UnitDelineator.from_rules(rules, head_exact_max_n=0).fit(v.households, g)
    assert "head_exact_max_n" in str(err.value.problems[0].params)
