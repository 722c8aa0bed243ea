"""Session 40 (helper C): a repair that took households out of their unit first is made again without.

Before the exact step, ``repair`` takes out of its unit a cut-off piece that no bridge of as few households joins to
the rest of it (``_detach_strays``). It counted a bridge of households that move anyway (slips of the unit itself,
typed into the unit next to it) as a cost: street 5|6|6 with islands 2, 1 (:mod:`yuanluo.gis.synth_streets`, band
4–6), U2's H008–H010 typed U3, U3's H012–H014 typed U1, H016 typed I1: U2's H011, cut off by three households, was
taken out, and the repair moved 9 where 7 (the slips undone) suffice. A repair that took out a piece which a bridge
of at most as many households it kept in place joins (the ones it moved crossed free: ``exact_bridged_anyway``),
or that failed after taking households out, and moved more than its lower bound, is now made again with nothing
taken out, and the one moving fewer kept. Street scans against brute force (session 39's 1,100 plans): 3 plans
reach the fewest (one of them was not repaired at all), none moves more.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import fewest_moves, street_households, street_plan
from yuanluo.planners.cli.repair import method_note

#: (sizes, islands, slips, id order or None, walking limit): each repaired with more than the fewest, or not at
#: all, by the code before (9 for 7; not repaired, 4 moves and errors left)
CASES = [
    ([5, 6, 6], [2, 1], [(7, "U3"), (8, "U3"), (9, "U3"), (11, "U1"), (12, "U1"), (13, "U1"), (15, "I1")], None, None),
    ([5, 6], [2, 1], [(3, "I2"), (4, "I2"), (5, "I2"), (6, "I2"), (10, None), (11, None), (12, "I2"), (13, "I2")],
     [8, 4, 5, 9, 3, 12, 2, 1, 0, 10, 7, 11, 13, 6], None),
]


@pytest.mark.parametrize(("sizes", "isles", "slips", "order", "walk"), CASES)
def test_the_fewest_moves_with_nothing_taken_out(sizes: list[int], isles: list[int], slips: list[tuple[int, str | None]],
                                                 order: list[int] | None, walk: float | None) -> None:
    ids = None if order is None else [f"H{k + 1:03d}" for k in order]
    hh = street_households(sum(sizes), isles, ids=ids)
    plan = street_plan(sizes, isles, slips)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed
    assert len(res.moves) == fewest_moves(plan, sum(sizes), isles), res.moves


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_note_claims_the_fewest_without_a_first_step(lang: str) -> None:
    sizes, isles, slips, _, _ = CASES[0]
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    res = repair_plan(hh, pd.Series(street_plan(sizes, isles, slips), index=hh.index, dtype=object), rules,
                      build_graph(hh, max_walk_min=1.0))
    assert res.method == "exact" and res.exact_placed_first == []
    assert sorted(res.moves["hid"]) == ["H008", "H009", "H010", "H012", "H013", "H014", "H016"]
    note = method_note(res, lang)
    assert note is not None and ("first step" not in note if lang == "en" else "精确求解前先处理" not in note), note
    assert ("Solved exactly: the fewest" in note if lang == "en" else "这是最少的调整户数" in note), note

