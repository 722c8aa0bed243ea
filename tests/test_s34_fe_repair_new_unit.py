"""Session 34 (helper FE): the exact repair model may open a new unit.

It opened none, so a plan that needed one moved more than the fewest (9|4|7|1|4 in 4–6: 7 moves where 6
suffice, said "the fewest without opening a new unit"), or went to the heuristic (1|8|6|9: 11 moves, 7 suffice).
Now the model opens up to ``MAX_NEW_UNITS`` units (a root of its own choosing, the flow sent from it, and under
a walking limit its households within the limit of it); the repair makes them units named as the heuristic's
(``U1-2``), says them, and the proof says what it covers.

Fixture: test_s32_fh_repair_order's street (households 60 m apart in a row, consecutive runs as units) and its
brute force of the fewest moves of any plan (new units allowed).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_s32_fh_repair_order import _fewest, _repair, _street

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli.repair import method_note


def test_a_new_unit_makes_the_fewest_moves_and_is_said() -> None:
    """9|4|7|1|4 in 4–6: U1 keeps 5 and its other 4 form a new unit U1-2, U3's last and U4's one go to U5 (or
    another plan of 6): 6 moves, the fewest of any plan (brute force), solved exactly; the old model moved 7."""
    res, labels = _repair([9, 4, 7, 1, 4], 4, 6)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal"
    assert len(res.moves) == 6 == _fewest(labels, 4, 6)
    assert res.exact_new_units == 2 and not res.exact_every_new  # MAX_NEW_UNITS 2 since session 35
    assert set(res.labels) == {"U1", "U1-2", "U2", "U3", "U5"}
    # one of the plans of 6 moves (session 35's one numbering of each plan picks another than U1 keeping 6)
    assert res.moves[["hid", "to_unit"]].values.tolist() == [["H006", "U1-2"], ["H007", "U1-2"], ["H008", "U1-2"],
                                                             ["H009", "U1-2"], ["H020", "U5"], ["H021", "U5"]]
    assert res.note_texts("en")[0] == "new unit U1-2 (4 households): 4 households from U1"
    assert res.note_texts("zh")[0] == "新建院落 U1-2（4 户）：原 U1 的 4 户"
    hh, _ = _street([9, 4, 7, 1, 4])
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    assert check_plan(hh, res.labels, rules, graph=build_graph(hh, max_walk_min=1.0)).passed
    en, zh = method_note(res, "en"), method_note(res, "zh")
    assert en is not None and en.startswith("(Solved exactly: the fewest households moved with at most 2 units added,")
    assert "a plan that adds more units may move fewer" in en
    assert zh is not None and zh.startswith("（精确求解：最多新建 2 个院落、") and "新建更多院落的方案可能调整得更少" in zh
    assert not any("\u4e00" <= c <= "\u9fff" for c in en) and "Solved" not in zh


def test_where_no_new_unit_helps_the_answer_is_the_model_without_one() -> None:
    """The same moves as the model that opens none (``MAX_NEW_UNITS`` 0), plan by plan, where that one found the
    fewest: no unit is opened, none said (the model without one is solved first, and the one that may open one
    only for a plan moving fewer: a tie keeps the first plan)."""
    for sizes in ([5, 7, 6], [3, 4, 6], [7, 7, 4], [8, 1, 8, 1]):
        res, labels = _repair(sizes, 4, 6)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(RE, "MAX_NEW_UNITS", 0)
            before, _ = _repair(sizes, 4, 6)
        assert before.passed and len(before.moves) == _fewest(labels, 4, 6), sizes
        assert res.passed and res.labels.equals(before.labels), sizes
        assert res.moves.equals(before.moves) and res.method == before.method, sizes
        assert not any(n.startswith("new unit") for n in res.note_texts("en")), sizes


@pytest.mark.parametrize("seed", range(6))
def test_random_streets_against_brute_force(seed: int) -> None:
    """Random streets of 2–5 units of 1–9 households in 4–6: the repair passes where the model that opens no unit
    passes, never moves fewer than brute force allows nor more than that model; where it solved exactly and its
    region is the whole street (every unit failing or next to one) it moves the fewest of any plan."""
    rng = np.random.default_rng(3400 + seed)
    for _ in range(4):
        sizes = [int(x) for x in rng.integers(1, 10, int(rng.integers(2, 6)))]
        res, labels = _repair(sizes, 4, 6)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(RE, "MAX_NEW_UNITS", 0)
            before, _ = _repair(sizes, 4, 6)
        fewest = _fewest(labels, 4, 6)
        assert res.passed >= before.passed, sizes
        if not res.passed:
            continue
        assert fewest <= len(res.moves), sizes
        assert not before.passed or len(res.moves) <= len(before.moves), sizes
        if res.method == "exact" and len(res.region_units) == len(sizes):
            assert len(res.moves) == fewest, (sizes, len(res.moves), fewest)


def test_a_new_unit_keeps_the_walking_limit() -> None:
    """9|4|7|1|4 in 4–6 with a walking limit: no plan keeps every unit's centre as the plan has it, and the repair
    finds one with the centres following the moves (session 36): 6 moves, no new unit (7 with the new unit U1-2
    before, which was held within the limit of its own root); the repair hands each unit's centre as its meeting
    point, and the check of the repaired plan with those points passes, as without them. (A new unit under a walking
    limit: tests/test_s35_fd_repair_two_new.py::test_two_new_units_keep_the_walking_limit.)"""
    hh, labels = _street([9, 4, 7, 1, 4])
    g = build_graph(hh, max_walk_min=1.0)
    step = float(g.walk_min.max())
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=3.5 * step)
    res = repair_plan(hh, labels, rules, g)
    assert res.passed and res.method == "exact", res.reason_lines("en")
    assert res.meeting_points is not None and len(res.moves) == 6 and res.exact_centres_moved
    assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed
    assert check_plan(hh, res.labels, rules, graph=g).passed  # each unit walked to its centre


def test_a_unit_no_split_can_mend_is_proven_so_with_every_new_unit() -> None:
    """5|1|1 in 4–6: no plan keeps the band (7 is no sum of 4–6). The region (U2 and U1) can hold one unit at
    most (⌊6 / 4⌋), and the model may open one: its proof covers every plan, and says so — not "without opening
    a new unit", which the old model said."""
    res, _ = _repair([5, 1, 1], 4, 6)
    assert not res.passed
    en, zh = res.reason_lines("en"), res.reason_lines("zh")
    proof = [x for x in en if "proves" in x]
    assert proof and all(x.endswith("(2 units) keep every rule, new units allowed") for x in proof), en
    assert all("即使新建院落" in x and "也无法同时满足全部规则" in x for x in zh if "精确模型证明" in x), zh
    assert any("精确模型证明" in x for x in zh)


def test_a_given_meeting_point_stays_out_of_a_new_unit() -> None:
    """A unit whose meeting point was given is not dissolved into a new unit of the same households walking to a
    point of the model's choosing (test_s28_repair's walking case: nothing moved, as before)."""
    from test_s28_repair import _two_rows

    hh, g, rules, lab, mp = _two_rows(settlement=False, walk=True, unassigned=False)
    res = repair_plan(hh, lab, rules, g, meeting_points=mp)
    assert not res.passed and res.moves.empty
    assert not any(n.startswith("new unit") for n in res.note_texts("en"))
