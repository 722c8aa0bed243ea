"""Session 53 (helper R): a move that mends an error, wholly or in part, is not undone as idle.

Session 52's ``_drop_idle`` undid a move where the check then counted no more errors and none of (code, unit) that
the plan as given had not. By (code, unit) alone an error mended in part looks unchanged: on the editor test's plan
(test_s28_editor, 300 households) three households of another villager group moved out of U025 went back, its
PLAN-CROSS-GROUP naming four households again instead of one (16 errors both ways, 195 → 181 moves); and an error
the plan as given had could come back in exchange for one the move made (helper P's property draw, k = 33: a
settlement split of U016 back, U016 above the band gone). Now an undo is taken only where every error after it is
one the repaired plan had, naming no household more, or else where it takes away an error the move made and brings
none (:func:`yuanluo.gis.repair._no_error_back`): a move that mends, wholly or in part, and breaks no rule the plan
kept is not idle; k = 33's undo is still taken, as _drop_made would take it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from test_delineate_property import village  # the same random villages as the property tests
from test_s52_p_repair_property import plant

from yuanluo.gis import repair as R
from yuanluo.gis.check import Declared, check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.rules import Rules


def _check(*errors: tuple[str, str, list[str]]) -> SimpleNamespace:
    rows = [{"code": c, "unit_id": u, "hids": h, "severity": "error"} for c, u, h in errors]
    rows.append({"code": "PLAN-MEETING", "unit_id": "U001", "hids": ["H9"], "severity": "warning"})
    return SimpleNamespace(violations=pd.DataFrame(rows))


def test_an_error_back_or_grown_is_a_move_that_mended() -> None:
    had = {("PLAN-CROSS-GROUP", "U025"), ("SIZE-LOW", "U020"), ("PLAN-SETTLEMENT-SPLIT", "U016")}  # the plan's
    res = _check(("PLAN-CROSS-GROUP", "U025", ["H205"]), ("SIZE-LOW", "U020", []))
    back = R._no_error_back  # type: ignore[attr-defined]
    # the editor test's plan: three households of another group back in U025 (same code and unit, more named)
    grown = _check(("PLAN-CROSS-GROUP", "U025", ["H205", "H206", "H207", "H208"]), ("SIZE-LOW", "U020", []))
    assert not back(grown, res, had)
    # an error of the plan's back for another of the plan's: the move mended one, broke none the plan kept
    assert not back(_check(("PLAN-CROSS-GROUP", "U025", ["H205"]), ("PLAN-SETTLEMENT-SPLIT", "U016", ["H054"])),
                    res, had)
    # k = 33: the split the move mended back, and U016 above the band, which the move made, gone: the undo is
    # taken (as _drop_made takes moves back: as many errors, fewer the plan as given had not)
    made = _check(("PLAN-CROSS-GROUP", "U025", ["H205"]), ("SIZE-HIGH", "U016", []))
    assert back(_check(("PLAN-CROSS-GROUP", "U025", ["H205"]), ("PLAN-SETTLEMENT-SPLIT", "U016", ["H054"])),
                made, had)
    # an undo that leaves the errors as they were, or fewer, or one naming fewer households: idle
    assert back(res, res, had)
    assert back(_check(("SIZE-LOW", "U020", [])), res, had)
    assert back(_check(("PLAN-CROSS-GROUP", "U025", []), ("SIZE-LOW", "U020", [])), res, had)
    # two errors of one code and unit (two settlements split in U013): each must be one of before
    two = _check(("PLAN-SETTLEMENT-SPLIT", "U013", ["a", "b"]), ("PLAN-SETTLEMENT-SPLIT", "U013", ["c"]))
    assert back(_check(("PLAN-SETTLEMENT-SPLIT", "U013", ["c"])), two, had)
    assert not back(_check(("PLAN-SETTLEMENT-SPLIT", "U013", ["a", "c"])), two, had)


@pytest.mark.parametrize(("seed", "n", "groups", "share", "rules", "plants"), [
    # helper P's property draw, k = 3: a household of a settlement left in no unit
    (5288, 126, 3, 0.0, Rules(6, 12, size_by="persons", nest_by=(), require_head=False, keep_settlements=True), [("unassign", 356)]),
    # k = 55: a far household put in a unit, one moved to the next
    (5836, 76, 3, 0.1, Rules(2, 4, nest_by=("group",), require_head=False, keep_settlements=True),
     [("far", 2337), ("move", 8979)]),
])
def test_a_settlement_split_mended_in_part_stays_mended(seed: int, n: int, groups: int, share: float, rules: Rules,
                                                        plants: list[tuple[str, int]]) -> None:
    """The repair moves a settlement's households together, and one of them cannot follow: the split is left
    naming one household. 3dc160f undid a move that had brought one of them over as idle (the split then named two,
    the same code and unit): one move fewer, one household more to move by hand."""
    hh, g = village(seed, n, groups, share)
    d = UnitDelineator.from_rules(rules, random_state=0, exact=False).fit(hh, g)
    u = d.units_
    meet = u.set_index("unit_id")["meeting_hid"].dropna().astype(str)
    declared = Declared.of(u, d.labels_)
    lab = d.labels_.astype(object)
    for kind, pick in plants:
        lab = plant(kind, pick, lab, hh, g)
    res = R.repair_plan(hh, lab, rules, g, meeting_points=meet, declared=declared)
    v = res.check.violations
    left = v[(v["severity"] == "error") & (v["code"] == "PLAN-SETTLEMENT-SPLIT")]
    assert len(left) >= 1
    assert all(len(h) == 1 for h in left["hids"]), left[["unit_id", "hids"]]  # 3dc160f: one of them named two
    # every move kept mends: undone alone, some error comes back or names more households
    for h, fr in zip(res.moves["hid"].astype(str), res.moves["from_unit"], strict=True):
        back = res.labels.astype(object).copy()
        back[h] = None if pd.isna(fr) else fr
        again = check_plan(hh, back, rules, graph=g, meeting_points=res.meeting_points, declared=declared)
        had = R._error_keys(check_plan(hh, lab, rules, graph=g, meeting_points=meet, declared=declared))
        assert not R._no_error_back(again, res.check, had) or R._errors(again) > R._errors(res.check), h
