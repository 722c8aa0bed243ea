"""Session 46 (helper C): repair's time on the editor test's plan, and what it spent it on.

``yuanluo repair`` of test_s28_editor's exported plan (300 households, 39 units of about 8 under a band of 15-25, a
2.5-minute walk, four villager groups) took 349-415 s: the repair is made eight times (the given meeting points of
another group set free, nothing taken out first, the given points failing the walk let go), 95 % of it in HiGHS, and
a third of HiGHS's time went to models solved before in the same repair, the rest mostly to proofs that regions of
255 and 300 households have no plan (5-20 s each) which one villager group's part of them gives in under a second.
Two changes, the same repair byte for byte:

* each model is solved once per repair (:func:`yuanluo.gis.repair_exact._solve`, ``_State.memo``);
* a large region whose parts no unit can mix (one nest key, linked) is first asked part by part
  (:func:`yuanluo.gis.repair_exact._part_infeasible`): a part with no plan proves the region has none.
"""

from __future__ import annotations

import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_s44_d_repair_brute import _case

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households


def _models(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every model HiGHS is given from now on, as a digest of its arrays."""
    seen: list[str] = []
    milp = RE.milp

    def spy(c, *args, **kwargs):  # type: ignore[no-untyped-def]
        cons, bounds = kwargs["constraints"][0], kwargs["bounds"]
        parts = (np.asarray(c), cons.A.toarray(), np.asarray(cons.lb), np.asarray(cons.ub), np.asarray(bounds.ub))
        seen.append(hashlib.sha1(b"".join(p.tobytes() for p in parts)).hexdigest())
        return milp(c, *args, **kwargs)

    monkeypatch.setattr(RE, "milp", spy)
    return seen


@pytest.mark.parametrize("sizes", [[5, 18, 5], [4, 14, 4], [5, 6, 15]])
def test_a_model_is_solved_once_per_repair(monkeypatch: pytest.MonkeyPatch, sizes: list[int]) -> None:
    """A street with a unit of about three times the ceiling (band 4-6): the model opening no unit has no plan, one
    opening two has, so the repair is made again without new units (``_attempt``), whose first model is the one the
    first repair solved. It was solved again (5 models given to HiGHS, 4 of them different); now once."""
    seen = _models(monkeypatch)
    # the models without new units have no plan by their counts alone (three units of 4-6 hold 18 at most): HiGHS is
    # asked for them only when the count proof (session 52) is put aside, as here, to see each asked once
    monkeypatch.setattr(RE, "_fills_band", lambda *args: True)
    hh = street_households(sum(sizes), [])
    labels = pd.Series([f"U{i + 1}" for i, s in enumerate(sizes) for _ in range(s)], index=hh.index, dtype=object)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.passed and res.method == "exact" and res.exact_past_infeasible
    assert check_plan(hh, res.labels, rules, graph=graph).passed
    assert len(seen) == len(set(seen)) >= 3, seen


def _two_groups() -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    """A street of 14 households 60 m apart, G1 the first 6 and G2 the other 8, typed into units of three or four
    under a band of 5-7: G1's 6 fit one unit, G2's 8 no units of the band (one holds at most 7, two at least 10).
    Every unit is too small, so the region is the street; its G2 part alone has no plan. HiGHS took 21 s to prove
    the 21-household street of 12 and 9 so (the region as a whole, with two units it may open); its part, 0.7 s."""
    n = 14
    xs = 500000 + 60.0 * np.arange(n)
    hh = gpd.GeoDataFrame({"group": ["G1"] * 6 + ["G2"] * 8},
                          geometry=gpd.points_from_xy(xs, np.full(n, 3265000.0)),
                          index=pd.Index([f"H{i + 1:02d}" for i in range(n)], name="hid"), crs="EPSG:4545")
    labels = pd.Series(["U1"] * 3 + ["U2"] * 3 + ["U3"] * 4 + ["U4"] * 4, index=hh.index, dtype=object)
    return hh, labels, Rules(5, 7, require_head=False, keep_settlements=False, nest_by=("group",))


def _repair_both_ways(monkeypatch: pytest.MonkeyPatch, hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules
                      ) -> tuple[object, object, int]:
    """The repair with every model's parts asked first, and with none; how many models a part proved infeasible."""
    proven = [0]
    part = RE._part_infeasible

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = part(*args, **kwargs)
        proven[0] += bool(out)
        return out

    graph = build_graph(hh, max_walk_min=1.0)
    monkeypatch.setattr(RE, "_part_infeasible", counted)
    monkeypatch.setattr(RE, "PART_MIN_VARIABLES", 0)
    monkeypatch.setattr(RE, "PART_WORK", 10**6)
    monkeypatch.setattr(RE, "PARTS", 10**6)
    with_parts = repair_plan(hh, labels, rules, graph)
    monkeypatch.setattr(RE, "PART_MIN_VARIABLES", 10**9)
    without = repair_plan(hh, labels, rules, graph)
    return with_parts, without, proven[0]


def _same(a: object, b: object) -> None:
    for name in ("passed", "method", "exact_status", "lower_bound"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.labels.equals(b.labels)  # type: ignore[attr-defined]
    assert a.moves.equals(b.moves)  # type: ignore[attr-defined]
    assert a.reason_lines("en") == b.reason_lines("en")  # type: ignore[attr-defined]


def test_a_part_proves_the_region_has_no_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two villager groups in one region, one of them with no plan of its own: its part alone proves it, and the
    repair is the one HiGHS's proof of the whole region gave."""
    hh, labels, rules = _two_groups()
    with_parts, without, proven = _repair_both_ways(monkeypatch, hh, labels, rules)
    assert proven > 0
    _same(with_parts, without)


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_parts_change_no_repair_of_the_brute_force_cases(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """test_s44_d_repair_brute's streets (two groups in most, heads, walking limits, new units): every model's parts
    asked first, the repair is the same as without (a part proof is a proof of the whole model, never more)."""
    hh, labels, rules = _case(seed)
    with_parts, without, _ = _repair_both_ways(monkeypatch, hh, labels, rules)
    _same(with_parts, without)


def test_a_first_placement_no_plan_can_take_is_not_solved(monkeypatch: pytest.MonkeyPatch) -> None:
    """Street plans with islands and households typed into no unit (bench_repair.py --streets 6 40 6, walks none and
    3 min): a first placement whose every plan would move a household already in a unit (which the placement leaves
    to the rounds) is known so from one model holding every household in place (``_placeable``) and not solved
    (34 of 88 such placements with walks none, 3 and 1.5 min); the repairs are those solving them gave."""
    from yuanluo.gis.synth_streets import street_plan, street_plans

    real = RE._placeable
    refused = [0]

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(*args, **kwargs)
        refused[0] += not out
        return out

    for walk in (None, 3.0):
        rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
        for sizes, isles, slips in street_plans(6, 40, 6):
            plan = street_plan(sizes, isles, slips)
            if None not in plan:
                continue
            hh = street_households(sum(sizes), isles)
            labels = pd.Series(plan, index=hh.index, dtype=object)
            graph = build_graph(hh, max_walk_min=1.0)
            monkeypatch.setattr(RE, "_placeable", counted)
            now = repair_plan(hh, labels, rules, graph)
            monkeypatch.setattr(RE, "_placeable", lambda *args, **kwargs: True)
            _same(now, repair_plan(hh, labels, rules, graph))
    assert refused[0] > 0
