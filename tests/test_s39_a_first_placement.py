"""Session 39 (helper A): the first placement of households in no unit solves no model with the centres free.

Before the units with a problem are solved, the households in no unit (typed into a unit far away and taken out, or
left blank) are placed, each group by a model of the units next to it. Where no plan keeps every unit's anchor, that
model was solved again with the centres free (a root of each unit's choosing), the slowest model of all, and its plan
was mostly not taken (it moves households already in units: the placement then waits for the rounds). Now the
placement waits at once: ``bench_repair.py --streets 6 100 6 3`` 10.8 → 3.6 s, the same repairs plan by plan on the
800 plans of five scans. The plan below (6|6|4 with islands 2, 3, 1, six slips, walking limit 3 min) is repaired as
before (8 moves, session 38's test_s38_c_method_note), without a model with the centres free in the placement.
Session 44 (helper D): an optimum found with the centres held is asked again with them free for a plan moving fewer
(repair_exact._unanchored, the model bound by ``stay``, mostly proven infeasible at once), in the placement too: the
plan now moves 6, the fewest; the placement still solves no model with the centres free for its own optimum.
"""

from __future__ import annotations

import pandas as pd
import pytest

import yuanluo.gis.repair as R
import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households, street_plan


def test_the_first_placement_solves_no_model_with_the_centres_free(monkeypatch: pytest.MonkeyPatch) -> None:
    placing: list[bool] = [False]
    rooted_while_placing: list[list[int]] = []
    place_free, optimum = R._place_free, RE._optimum

    def spy_place(*args, **kwargs):  # type: ignore[no-untyped-def]
        placing[0] = True
        try:
            return place_free(*args, **kwargs)
        finally:
            placing[0] = False

    def spy_optimum(*args, **kwargs):  # type: ignore[no-untyped-def]
        if placing[0] and kwargs.get("rooted") and kwargs.get("stay") is None:
            rooted_while_placing.append(list(kwargs["rooted"]))
        return optimum(*args, **kwargs)

    monkeypatch.setattr(R, "_place_free", spy_place)
    monkeypatch.setattr(RE, "_optimum", spy_optimum)
    sizes, isles = [6, 6, 4], [2, 3, 1]
    plan = street_plan(sizes, isles, [(2, "I2"), (15, "I1"), (17, "U3"), (12, "I3"), (3, "I1"), (9, "I2")])
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=3.0)
    g = build_graph(hh, max_walk_min=1.0)
    res = R.repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed and res.method == "exact"
    assert len(res.moves) == 6
    assert rooted_while_placing == []
