"""Session 35 (helper FD): the exact repair model may open two new units.

It opened at most one (``MAX_NEW_UNITS`` 1), so a plan whose region needs two was left to the heuristic though an
exact fix exists: one unit of about three times the ceiling among units within the band (5|18|5 in 4–6: 18 is
three units), or 7|9|9 in 4–6 (9 moves where 8 suffice). Opening two made HiGHS run past ``NEW_SECONDS`` on
streets of 110 households (20|70|20 in 15–25); the flow's bound (``_flow_cap``) and one numbering of each plan
(``_rows_order``) keep it in seconds, and a region whose moves no new unit can lower is not asked at all
(``_worth_opening``).

Fixture: test_s32_fh_repair_order's street (households 60 m apart in a row, consecutive runs as units) and its
brute force of the fewest moves of any plan (new units allowed).
"""

from __future__ import annotations

from typing import Any

import pytest
from test_s32_fh_repair_order import _fewest, _repair, _street

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli.repair import method_note


def _han(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def test_a_unit_three_times_the_ceiling_is_split_into_two_new_units_exactly() -> None:
    """5|18|5 in 4–6: U2 keeps 6 and two new units take 4 and 6 of its households, U1 and U3 one each: 12 moves,
    the fewest of any plan (brute force), solved exactly (the old model, one new unit at most, had no plan)."""
    res, labels = _repair([5, 18, 5], 4, 6)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal", res.reason_lines("en")
    assert len(res.moves) == 12 == _fewest(labels, 4, 6)
    assert res.exact_new_units == 2
    assert set(res.labels) == {"U1", "U2", "U2-2", "U2-3", "U3"}
    en, zh = res.note_texts("en"), res.note_texts("zh")
    assert [x for x in en if x.startswith("new unit")] == ["new unit U2-2 (4 households): 4 households from U2",
                                                           "new unit U2-3 (6 households): 6 households from U2"]
    assert [x for x in zh if x.startswith("新建院落")] == ["新建院落 U2-2（4 户）：原 U2 的 4 户",
                                                         "新建院落 U2-3（6 户）：原 U2 的 6 户"]
    hh, _ = _street([5, 18, 5])
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    assert check_plan(hh, res.labels, rules, graph=build_graph(hh, max_walk_min=1.0)).passed


@pytest.mark.parametrize(("sizes", "fewest"), [([7, 9, 9], 8), ([6, 17, 5], 11)])
def test_streets_that_need_two_new_units_move_the_fewest(sizes: list[int], fewest: int) -> None:
    """7|9|9 (session 34's case: 9 moves by the heuristic) and 6|17|5 in 4–6: exact, the brute force's count."""
    res, labels = _repair(sizes, 4, 6)
    assert res.passed and res.method == "exact", res.reason_lines("en")
    assert len(res.moves) == fewest == _fewest(labels, 4, 6)
    assert sum(x.startswith("new unit") for x in res.note_texts("en")) == 2


def test_the_note_says_two_units_in_both_languages() -> None:
    """7|9|9: the method note claims what the model proved, "at most 2 units added", in the plural, in English
    with no Chinese and in Chinese with no English sentence."""
    res, _ = _repair([7, 9, 9], 4, 6)
    en, zh = method_note(res, "en"), method_note(res, "zh")
    assert en is not None and zh is not None
    assert en.startswith("(Solved exactly: the fewest households moved with at most 2 units added,")
    assert "a plan that adds more units may move fewer" in en and not _han(en)
    assert zh.startswith("（精确求解：最多新建 2 个院落、") and "新建更多院落的方案可能调整得更少" in zh
    assert "Solved" not in zh and "unit" not in zh


def test_a_larger_street_needing_two_new_units_is_solved_within_the_time() -> None:
    """20|70|20 in 15–25 (110 households): the model with two new units ran to ``NEW_SECONDS`` (20 s) and the plan
    went to the heuristic; with the flow's bound and the order rows it solves (about 5 s measured)."""
    res, _ = _repair([20, 70, 20], 15, 25)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal", res.reason_lines("en")
    assert sum(x.startswith("new unit") for x in res.note_texts("en")) == 2


def test_two_new_units_keep_the_walking_limit() -> None:
    """5|18|5 in 4–6 under a walking limit (no order rows: the root is the point a unit walks to): exact, and the
    check of the repaired plan with the meeting points the repair hands passes."""
    hh, labels = _street([5, 18, 5])
    g = build_graph(hh, max_walk_min=1.0)
    step = float(g.walk_min.max())
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=3.5 * step)
    res = repair_plan(hh, labels, rules, g)
    assert res.passed and res.method == "exact", res.reason_lines("en")
    assert res.meeting_points is not None and {"U2-2", "U2-3"} <= set(res.meeting_points.index)
    assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed


def test_a_region_no_new_unit_can_help_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """14|26|20 in 15–25: one household from U2 to U1 mends it; a new unit holds 15 households at least, all moved,
    so no model with new units is solved, and the claim "at most 2 units added" stands without it."""
    asked: list[int] = []
    optimum = RE._optimum

    def counting(*args: Any, **kw: Any) -> RE.ExactOutcome:
        asked.append(int(kw.get("k", 0)))
        return optimum(*args, **kw)

    monkeypatch.setattr(RE, "_optimum", counting)
    res, _ = _repair([14, 26, 20], 15, 25)
    assert res.passed and res.method == "exact" and len(res.moves) == 1
    assert asked and all(k == 0 for k in asked), asked
    assert res.exact_new_units == RE.MAX_NEW_UNITS == 2
