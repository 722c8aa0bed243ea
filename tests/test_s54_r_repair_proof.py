"""Session 54 (helper R, issue 13): a proof, not a size, decides whether a large model is asked.

s102 (200 households, band 15-45, heads, no candidate at all): the plan as given has 11 units, the check excuses at
most 5 without a candidate (200 households need 5 units, none has one), so any plan that passes keeps at most 5 names
and moves at least 200 - (40 + 36 + 35 + 21 + 18) = 50 households (``_head_bound``). The first exact round's
model (15,812 variables) spent 190-200 s and gave up. Now, before a model above ``TRIAL_SIZE`` variables is
given to HiGHS, the heuristic is tried on the whole plan (units beyond the area's allowance dissolved first,
``_dissolve_headless``); where its plan passes moving no more than the lower bound it is the fewest, and the model
is not asked. Counted, not timed: which models reach HiGHS.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import points

import yuanluo.gis.repair_exact as RE
from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import _State, repair_plan
from yuanluo.gis.rules import Rules


def _case(xy: list[tuple[int, int]], edges: list[tuple[int, int]], heads: list[bool]) -> tuple[gpd.GeoDataFrame,
                                                                                                TerrainGraph]:
    ids = [f"H{i:02d}" for i in range(len(xy))]
    pts = [[60.0 * x, 60.0 * y] for x, y in xy]
    hh = gpd.GeoDataFrame({"head_candidate": heads}, geometry=points(pts), index=pd.Index(ids, name="hid"),
                          crs="EPSG:32650")
    return hh, TerrainGraph.from_edges(ids, pts, edges, crs="EPSG:32650")


def _partitions(items: list[int]) -> list[list[list[int]]]:
    if not items:
        return [[]]
    head, rest = items[0], items[1:]
    out = []
    for p in _partitions(rest):
        out.append([[head], *p])
        for i in range(len(p)):
            out.append([*p[:i], [head, *p[i]], *p[i + 1:]])
    return out


def _fewest(hh: gpd.GeoDataFrame, g: TerrainGraph, given: list[str], rules: Rules) -> int | None:
    """The fewest households any plan that passes the check moves from ``given`` (names matched to keep the most
    in place; None: no plan passes): every partition into connected parts within the band, checked."""
    n = len(given)
    adj = {i: set() for i in range(n)}
    for u, v in zip(g.u.tolist(), g.v.tolist(), strict=True):
        adj[u].add(v)
        adj[v].add(u)
    names = sorted(set(given))
    best = None
    for part in _partitions(list(range(n))):
        if any(not rules.min_size <= len(p) <= rules.max_size for p in part):
            continue
        if any(not _linked(p, adj) for p in part):
            continue
        lab = np.empty(n, dtype=object)
        for k, p in enumerate(part):
            lab[p] = f"P{k}"
        if not check_plan(hh, pd.Series(lab, index=hh.index), rules, graph=g).passed:
            continue
        stay = 0
        for pick in itertools.permutations(range(len(part)), min(len(part), len(names))):
            stay = max(stay, sum(sum(given[h] == names[i] for h in part[k]) for i, k in enumerate(pick)))
        for pick in itertools.permutations(names, min(len(part), len(names))):
            stay = max(stay, sum(sum(given[h] == nm for h in part[k]) for k, nm in enumerate(pick)))
        best = n - stay if best is None else min(best, n - stay)
    return best


def _linked(p: list[int], adj: dict[int, set[int]]) -> bool:
    seen, todo = {p[0]}, [p[0]]
    while todo:
        for y in adj[todo.pop()] & set(p):
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return len(seen) == len(p)


def test_the_head_bound_is_a_bound() -> None:
    """Against brute force: random small graphs (6 households, a row with a few cross links), candidates at
    random (often none), bands 1-3 to 2-4, random plans: the bound never exceeds the fewest moves of a plan that
    passes, and equals it in some cases where it is above the sizes' bound."""
    from yuanluo.gis.repair import _head_bound

    rng = np.random.default_rng(54)
    tight = 0
    for _ in range(40):
        n = 6
        xy = [(i, 0) for i in range(n)]
        edges = [(i, i + 1) for i in range(n - 1)]
        for _ in range(int(rng.integers(0, 3))):
            a, b = sorted(rng.choice(n, 2, replace=False).tolist())
            if b > a + 1:
                edges.append((a, b))
        heads = (rng.random(n) < rng.choice([0.0, 0.15, 0.35])).tolist()
        lo = int(rng.integers(1, 3))
        rules = Rules(lo, lo + int(rng.integers(1, 3)), require_head=True)
        given = [f"U{int(x)}" for x in rng.integers(0, rng.integers(2, 5), n)]
        hh, g = _case(xy, edges, heads)
        st = _State(hh, pd.Series(given, index=hh.index), rules, g)
        bound = _head_bound(st, None)
        fewest = _fewest(hh, g, given, rules)
        assert bound is not None
        if fewest is not None:
            assert bound <= fewest, (given, heads, edges, rules)
            tight += bound == fewest and bound > 0
    assert tight >= 3


def _street() -> tuple[gpd.GeoDataFrame, TerrainGraph, pd.Series, Rules]:
    """12 households in a row, no candidate head, band 2-6: 12 need 2 units, the check excuses 2 without a
    candidate, so at most 2 units; the plan as given has 5 (1, 2, 3, 4, 2): its C and D keep 3 + 4, 5 move."""
    hh, g = _case([(i, 0) for i in range(12)], [(i, i + 1) for i in range(11)], [False] * 12)
    lab = pd.Series(list("ABBCCCDDDDEE"), index=hh.index)
    return hh, g, lab, Rules(2, 6, require_head=True)


def test_the_heuristic_proven_the_fewest_asks_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``TRIAL_SIZE`` at 0 (every model large), the heuristic's plan (C and D kept, A, B, E dissolved into
    them) passes with 5 moves, the head bound: taken as the fewest, HiGHS never given the region's model. With the
    trial out of reach, HiGHS finds the same number."""
    hh, g, lab, rules = _street()
    calls: list[int] = []
    real = RE.milp

    def counted(*a: object, **k: object) -> object:
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(RE, "milp", counted)
    monkeypatch.setattr(RE, "TRIAL_SIZE", 10**9, raising=False)
    asked = repair_plan(hh, lab, rules, g)
    assert asked.passed and len(asked.moves) == 5 and calls
    calls.clear()
    monkeypatch.setattr(RE, "TRIAL_SIZE", 0, raising=False)
    res = repair_plan(hh, lab, rules, g)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal"
    assert len(res.moves) == 5 and res.lower_bound == 5 and res.lower_bound_from == "heads"
    assert calls == []  # no model reached HiGHS
    assert set(res.moves["reason"]) == {"head-merge"}
    assert sorted(set(res.labels)) == ["C", "D"]


def test_a_trial_that_proves_nothing_leaves_the_repair_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row of 9, band 3-4, A = {0, 1, 3} and B = {2, 4, 5} each cut in two: the bound is 1 (an error of the labels
    alone), the heuristic moves more, so the trial puts the state back and the model is asked: the same plan, moves
    and method as with no trial."""
    import yuanluo.gis.repair as R

    hh, g = _case([(i, 0) for i in range(9)], [(i, i + 1) for i in range(8)], [True] * 9)
    lab = pd.Series(list("AABABBCCC"), index=hh.index)
    rules = Rules(3, 4)
    monkeypatch.setattr(RE, "TRIAL_SIZE", 10**9, raising=False)
    asked = repair_plan(hh, lab, rules, g)
    tried: list[int] = []
    real = R._trial

    def trial(st: _State, *a: object) -> None:
        tried.append(st.n_moved())
        real(st, *a)  # type: ignore[arg-type]
        tried.append(st.n_moved())

    monkeypatch.setattr(R, "_trial", trial)
    monkeypatch.setattr(RE, "TRIAL_SIZE", 0, raising=False)
    res = repair_plan(hh, lab, rules, g)
    assert tried and tried[0] == tried[1] == 0  # tried, and put back
    assert asked.passed and asked.lower_bound == 1 and len(asked.moves) == 2
    assert res.labels.equals(asked.labels) and res.moves.equals(asked.moves) and res.method == asked.method


def test_the_method_note_says_the_head_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's note on the fewest, counted from the heads, in both languages (the street above)."""
    from yuanluo.planners.cli.repair import method_note

    hh, g, lab, rules = _street()
    monkeypatch.setattr(RE, "TRIAL_SIZE", 0, raising=False)
    res = repair_plan(hh, lab, rules, g)
    en, zh = method_note(res, "en"), method_note(res, "zh")
    assert en == ("(The fewest households moved: every unit needs a head candidate of its own, or is one of the few "
                  "the check excuses without one; the plan as given has more units than that, and the households of "
                  "the units beyond it cannot stay where they are, so any plan that passes moves at least 5.)")
    assert zh is not None and zh.startswith("（调整 5 户已是最少：每个院落要有自己的院落长候选人")
