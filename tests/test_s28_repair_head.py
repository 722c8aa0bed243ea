"""Audit s28 D §2 of repair (2026-12-03): a unit's only candidate head moved by the planner into the declared
HEAD-SHORT exception next to it goes back home in one move.

Fixture: sixteen households in a row 50 m apart, units X (x0–x3, the delineation's declared exception: no
candidate head), A (a0–a3, candidate a0, next to X), B (b0–b3, candidate b0) and C (c0–c3, candidates c0, c1);
band 3–5, a candidate head required. The planner moves a0 into X: A has no head (PLAN-NO-HEAD), X with a0 in it
has one and passes, so it is no longer the unit declared and was not restored; the exact model held X to every
rule (a head of its own), so a0 could not leave it, and the repair took B's head for A and C's for B (two moves;
on the audit's 951-household plan the model ran out of its time and nothing was repaired).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely import points

from yuanluo.gis.check import Declared, check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def _row() -> tuple[gpd.GeoDataFrame, TerrainGraph, Rules, pd.Series, Declared]:
    ids = [f"{u}{i}" for u in "xabc" for i in range(4)]
    xy = [[50 * i, 0] for i in range(len(ids))]
    head = [h in ("a0", "b0", "c0", "c1") for h in ids]
    hh = gpd.GeoDataFrame({"head_candidate": head}, geometry=points(xy), crs=CRS,
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(len(ids) - 1)], crs=CRS)
    rules = Rules(3, 5, require_head=True, nest_by=(), keep_settlements=False)
    origin = pd.Series([h[0].upper() for h in ids], index=ids, dtype=object)
    declared = Declared(origin[origin == "X"], {"X": {"zh": "没有院落长候选人", "en": "no candidate head"}},
                        origin=origin)
    return hh, g, rules, origin, declared


def test_head_moved_into_a_declared_exception_goes_back_in_one_move() -> None:
    hh, g, rules, origin, declared = _row()
    assert check_plan(hh, origin, rules, graph=g, declared=declared).passed
    plan = origin.copy()
    plan["a0"] = "X"
    before = check_plan(hh, plan, rules, graph=g, declared=declared)
    assert before.violations.loc[before.violations["severity"] == "error", ["code", "unit_id"]].values.tolist() \
        == [["PLAN-NO-HEAD", "A"]]
    res = repair_plan(hh, plan, rules, g, declared=declared)
    assert res.passed, res.reason_lines("en")
    assert res.moves[["hid", "from_unit", "to_unit", "reason"]].values.tolist() == [["a0", "X", "A", "restore"]]
    assert res.labels.to_dict() == origin.to_dict()  # the exception's declared households stayed in it


def test_a_head_typed_into_a_declared_exception_from_a_unit_that_passes_stays() -> None:
    """Only a household whose own unit now fails is sent home from the exception: W (w0–w3, left of X, candidates
    w2, w3) gives w3 to X and passes with w2; the plan's error is elsewhere (c3 left without a unit). X with w3
    is the planner's own unit (it passes: w3 is its head) and is left so; c3 goes back to C."""
    hh, g, rules, origin, declared = _row()
    w = [f"w{i}" for i in range(4)]
    ids = w + list(hh.index)
    xy = [[50 * i, 0] for i in range(len(ids))]
    hh = gpd.GeoDataFrame({"head_candidate": [h in ("w2", "w3") for h in w] + list(hh["head_candidate"])},
                          geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(len(ids) - 1)], crs=CRS)
    origin = pd.concat([pd.Series("W", index=w, dtype=object), origin])
    declared = Declared(declared.members, declared.reasons, origin=origin)
    plan = origin.copy()
    plan["w3"] = "X"
    plan["c3"] = None
    res = repair_plan(hh, plan, rules, g, declared=declared)
    assert res.passed, res.reason_lines("en")
    assert res.moves[["hid", "from_unit", "to_unit"]].values.tolist() == [["c3", None, "C"]]


def test_a_model_left_unsolved_says_what_stopped_it() -> None:
    """On the audit's plan the exact model of U001 was stopped by HiGHS's time limit (60 s, twice) and repair
    said "not solved within its rounds or its time": now the limit, or the rounds of cuts, whichever it was. Since
    session 47 the limit is HiGHS's work (nodes times the model's size, ``gave_up="work"``); the clock is a far
    safety net only (``gave_up="time"``)."""
    from yuanluo.gis.catalogue import text
    from yuanluo.gis.repair import _summary, _why
    from yuanluo.gis.repair_exact import CLOCK_SECONDS, MAX_ROUNDS, SOLVE_WORK, ExactOutcome

    timed = _summary([ExactOutcome("optimal", units=[3]), ExactOutcome("unsolved", units=[0, 1], gave_up="time")])
    key, params = _why(timed)
    assert key == "repair.why.unsolved_time"
    assert f"safety time limit of {CLOCK_SECONDS:.0f} s" in text(key, "en", **params)
    assert f"{CLOCK_SECONDS:.0f} 秒的安全时限" in text(key, "zh", **params)
    key, params = _why(ExactOutcome("unsolved", units=[0, 1], gave_up="work"))
    assert key == "repair.why.unsolved_work"
    assert f"work limit of {SOLVE_WORK} units" in text(key, "en", **params)
    assert f"{SOLVE_WORK} 个单位的计算量上限" in text(key, "zh", **params)
    key, params = _why(ExactOutcome("unsolved", units=[0], gave_up="rounds"))
    assert key == "repair.why.unsolved_rounds" and f"after {MAX_ROUNDS} rounds" in text(key, "en", **params)
    assert "time" not in text(key, "en", **params) and "时限" not in text(key, "zh", **params)
