"""Session 56 (helper R): the proof with the centres free asks only for plans that leave an anchor.

An anchored optimum is asked again with the units given no meeting point rooted where they like, for a plan moving
fewer (:func:`yuanluo.gis.repair_exact._unanchored`). A plan of that model in which each of those units is closed or
holds the anchor the anchored model held it at is a plan of the anchored model, which proved it keeps no more in
place; so the proof first asks for a plan in which one of them is open without its anchor (one row more,
:func:`~yuanluo.gis.repair_exact._anchor_left`). Changshou's edited plan (``bench_repair.py --slow``): a 149-household
region whose proof took 23 s, proven so in 0.5 s, the repair the same bytes. Where that question finds a plan, the
model is solved as before.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def _street(xs: list[int], labels: list[str]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    n = len(xs)
    hh = gpd.GeoDataFrame({"group": ["G1"] * n, "head_candidate": [True] * n},
                          geometry=gpd.points_from_xy([500000 + x for x in xs],
                                                      [3265000 + (18 if k % 2 else 0) for k in range(n)]),
                          index=pd.Index([f"H{k + 1:02d}" for k in range(n)], name="hid"), crs="EPSG:4545")
    return hh, pd.Series(labels, index=hh.index)


#: a street of 8 in two units given no meeting point, H02 typed into U2: one move, proven with the centres free
PLAIN = ([0, 60, 120, 180, 240, 300, 360, 420], ["U1", "U2", "U1", "U1", "U2", "U2", "U2", "U2"],
         Rules(2, 5, require_head=False, keep_settlements=False, nest_by=()))
#: test_s44_d_repair_proof's street (walking limit 1.5 min): its first region's proof asked by the anchor as root
WALK = ([71, 145, 198, 246, 309, 374, 443, 507], ["U3", "U1", "U1", "U1", "U1", "U1", "U2", "U3"],
        Rules(2, 5, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=1.5))


def _repair(case: tuple[list[int], list[str], Rules], runs: list[tuple[bool, int, str]] | None = None) -> Any:
    """The case repaired; each HiGHS run in ``runs``: whether its model asks households to stay (the proofs), the
    rows it was given beyond the model's, and its answer."""
    xs, labels, rules = case
    hh, lab = _street(xs, labels)
    graph = build_graph(hh, max_walk_min=1.0) if rules.max_walk_min is not None else build_graph(hh)
    if runs is None:
        return repair_plan(hh, lab, rules, graph)
    plain = RE._highs_run

    def counted(st: Any, model: Any, arrays: Any, work: float) -> Any:
        x = plain(st, model, arrays, work)
        runs.append((model.stay_row is not None, int(arrays[1].shape[0]) - len(model.rows),
                     "none" if x is None else "gave" if x is RE.GAVE_UP else "plan"))
        return x

    RE._highs_run = counted
    try:
        return repair_plan(hh, lab, rules, graph)
    finally:
        RE._highs_run = plain


def _same(a: Any, b: Any) -> None:
    assert a.labels.equals(b.labels)
    assert a.moves.equals(b.moves)
    assert (a.method, a.passed, a.exact_centres_held) == (b.method, b.passed, b.exact_centres_held)


def test_the_proof_asks_for_a_plan_leaving_an_anchor_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proof of the one-move optimum is HiGHS's answer to the model with the row (no plan leaves U1's or U2's
    anchor); the whole model is not asked (it was: one run, no row more). The repair is the one without the row."""
    runs: list[tuple[bool, int, str]] = []
    res = _repair(PLAIN, runs)
    assert res.passed and res.method == "exact" and list(res.moves["hid"]) == ["H02"]
    assert not res.exact_centres_held  # proven with the centres free
    assert [r for r in runs if r[0]] == [(True, 1, "none")], runs
    monkeypatch.setattr(RE, "_away", lambda *a, **k: [])
    before: list[tuple[bool, int, str]] = []
    _same(res, _repair(PLAIN, before))
    assert [r for r in before if r[0]] == [(True, 0, "none")], before


def test_under_a_walking_limit_the_anchor_is_asked_as_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[tuple[bool, int, str]] = []
    res = _repair(WALK, runs)
    assert res.passed and sorted(res.moves["hid"]) == ["H02", "H08"] and not res.exact_centres_held
    assert (True, 1, "none") in runs and (True, 0, "none") not in runs[:2], runs
    monkeypatch.setattr(RE, "_away", lambda *a, **k: [])
    _same(res, _repair(WALK))


def test_a_plan_leaving_an_anchor_found_then_the_model_is_solved(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no new unit allowed, the street's second proof (three units rooted) finds the two-move plan asked with
    the row; the model is then solved as before and gives the same plan."""
    monkeypatch.setattr(RE, "MAX_NEW_UNITS", 0)
    runs: list[tuple[bool, int, str]] = []
    res = _repair(WALK, runs)
    assert sorted(res.moves["hid"]) == ["H02", "H08"] and not res.exact_centres_held
    i = runs.index((True, 1, "plan"))
    assert runs[i + 1] == (True, 0, "plan"), runs
    monkeypatch.setattr(RE, "_away", lambda *a, **k: [])
    _same(res, _repair(WALK))


def test_no_question_without_a_proven_anchored_bound() -> None:
    """The row is asked only where the anchored model proved its bound, opens no new unit and holds no island."""
    isles = RE._Isles(block=pd.Series([-1] * 4).to_numpy())
    from types import SimpleNamespace as NS

    st: Any = NS(rules=NS(max_walk_min=None))
    args = dict(kept=5, k=0, spare=())
    assert RE._away(st, {}, {0: 3, 1: 6}, isles, [0, 1], held=5, **args) == [(0, 3), (1, 6)]
    assert RE._away(st, {}, {0: 3, 1: 6}, isles, [0, 1], held=None, **args) == []
    assert RE._away(st, {}, {0: 3, 1: 6}, isles, [0, 1], held=-1, **args) == [(0, 3), (1, 6)]
    assert RE._away(st, {}, {0: 3, 1: 6}, isles, [0, 1], held=5, kept=5, k=1, spare=()) == []
    assert RE._away(st, {}, {0: 3, 1: 6}, isles, [0, 1], held=5, kept=5, k=0, spare=(2,)) == []
    walk: Any = NS(rules=NS(max_walk_min=10.0))
    assert RE._away(walk, {0: 3, 1: 6}, {0: 3, 1: 6}, isles, [0, 1], held=5, **args) == [(0, 3), (1, 6)]
    assert RE._away(walk, {0: 3, 1: 7}, {0: 3, 1: 6}, isles, [0, 1], held=5, **args) == []
