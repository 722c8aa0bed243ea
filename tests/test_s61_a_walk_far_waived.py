"""Session 61 (helper A), issue 13: a region the exact model proved infeasible because of a household no move can
bring within the walking limit no longer lends that proof to every violation beside it.

Street (group A: H01-H03 60 m apart, then H05 260 m on; group B: H06-H13 60 m apart from 100 m past H05), band
2-6, nesting by group, a candidate head required, walking limit 3 min, meeting points given (U1 H01, U2 H09, U3
H13). H05 (U1) is beyond the limit of every meeting point and of every household of its group: no unit can hold
it within the limit (PLAN-WALK-LIMIT, not remote: group B households are near). U2 has no candidate; U3's two
(H11, H12) are not on U2's boundary, so the heuristic's head chain cannot reach them and only the exact model
mends it (H10, H11 into U2). Before: the region of the three units was infeasible because of H05 and both
violations were said "no moves within the 3 units keep every rule", U2 left headless (the Andorra sample's U003
and U012 beside U017 and U021, session 60 A finding A). Now H05's walk is waived in its own unit, U2 is mended
with those two moves, and H05's violation says why from the distances.

Since session 61's second round the check proves H05 remote itself (its proof walks within one nest group, as a
unit does: :func:`yuanluo.gis.check.walk_unserved`) and calls its walk WALK-EXCEPTION, so the repair has nothing to
say of it (tests/test_s61_a2_walk_groups.py). The repair's own proof stays for the households the check cannot prove
over the whole village but the repair proves over its region (held meeting points, the region's households only):
these tests stand for them with a check that proves no household remote (``walk_unavoidable`` patched, below).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shared_fixtures import walk_far_street

import yuanluo.gis.check as C
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

POINTS = pd.Series({"U1": "H01", "U2": "H09", "U3": "H13"})


@pytest.fixture(autouse=True)
def _check_proves_none_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that finds no household remote (WALK-EXCEPTION): each walk beyond the limit is PLAN-WALK-LIMIT for
    the repair to prove or mend (see the module docstring)."""
    def none(*args: Any, **kw: Any) -> np.ndarray:
        return np.zeros(len(args[5]), dtype=bool)

    monkeypatch.setattr(C, "walk_unavoidable", none)


def test_the_plan_breaks_the_walk_and_the_head_rule() -> None:
    hh, labels, rules = walk_far_street()
    v = check_plan(hh, labels, rules, graph=build_graph(hh, max_walk_min=10.0), meeting_points=POINTS).violations
    errors = v[v["severity"] == "error"]
    assert sorted(zip(errors["code"], errors["unit_id"], strict=True)) == [("PLAN-NO-HEAD", "U2"),
                                                                          ("PLAN-WALK-LIMIT", "U1")]


def test_the_head_is_mended_beside_a_walk_no_move_can_mend() -> None:
    hh, labels, rules = walk_far_street()
    g = build_graph(hh, max_walk_min=10.0)
    res = repair_plan(hh, labels, rules, g, meeting_points=POINTS)
    assert sorted(res.moves["hid"]) == ["H10", "H11"]
    assert set(res.moves["to_unit"]) == {"U2"}
    assert res.check is not None
    left = res.check.violations[res.check.violations["severity"] == "error"]
    assert list(zip(left["code"], left["unit_id"], strict=True)) == [("PLAN-WALK-LIMIT", "U1")]
    assert [r[0] for r in res.reasons][-1] == "repair.reason.violation"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_walk_is_said_from_distances(lang: str) -> None:
    hh, labels, rules = walk_far_street()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=10.0), meeting_points=POINTS)
    line = next(s for s in res.reason_lines(lang) if "PLAN-WALK-LIMIT" in s and ("U1" in s))
    assert "H05" in line and "H09" in line and "3.3" in line
    if lang == "zh":
        assert "精确模型证明" not in line and "即使新建院落" in line
        assert not any(c.isascii() and c.isalpha() for c in line.replace("PLAN-WALK-LIMIT", "").replace(
            "H05", "").replace("H09", "").replace("U1", "").replace("U2", ""))
    else:
        assert "exact model proves" not in line and "new units included" in line
        assert not any("\u4e00" <= c <= "\u9fff" for c in line)


def _slip() -> tuple[gpd.GeoDataFrame, pd.Series, Rules, pd.Series]:
    """Session 60 A finding B: H04, U0's, typed into U1, beyond U1's point H07; U1 also holds H08, 260 m past H07,
    which no move can bring within the limit. Before, U1 failed the walk either way and the slip stayed."""
    xs = [-420, -360, -300, -240, 0, 60, 120, 380, 480, 540, 600, 660]
    ids = [f"H{k + 1:02d}" for k in range(12)]
    hh = gpd.GeoDataFrame({"group": ["A"] * 8 + ["B"] * 4, "head_candidate": [True] * 12},
                          geometry=gpd.points_from_xy([500000 + x for x in xs], [3265000] * 12),
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    labels = pd.Series(["U0"] * 3 + ["U1"] * 5 + ["U2"] * 4, index=hh.index)
    rules = Rules(2, 6, require_head=True, keep_settlements=False, nest_by=("group",), max_walk_min=3)
    return hh, labels, rules, pd.Series({"U0": "H02", "U1": "H07", "U2": "H12"})


def test_a_slip_beside_a_walk_no_move_can_mend_goes_back() -> None:
    hh, labels, rules, points = _slip()
    g = build_graph(hh, max_walk_min=10.0)
    v = check_plan(hh, labels, rules, graph=g, meeting_points=points).violations
    assert [sorted(h) for h in v.loc[v["code"] == "PLAN-WALK-LIMIT", "hids"]] == [["H04", "H08"]]
    res = repair_plan(hh, labels, rules, g, meeting_points=points)
    assert res.moves[["hid", "from_unit", "to_unit"]].to_dict("records") == [
        {"hid": "H04", "from_unit": "U1", "to_unit": "U0"}]
    assert res.check is not None
    left = res.check.violations[res.check.violations["severity"] == "error"]
    assert [sorted(h) for h in left["hids"]] == [["H08"]]
    assert res.exact_waived == ["H08"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_method_note_says_the_fewest_leaves_that_walk_aside(lang: str) -> None:
    from yuanluo.planners.cli.repair import method_note

    hh, labels, rules, points = _slip()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=10.0), meeting_points=points)
    note = method_note(res, lang)
    assert note is not None and "H08" in note
    assert ("不计其步行限制" in note) if lang == "zh" else ("with that limit left aside" in note)


def test_a_region_not_solved_again_keeps_the_first_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the model solved again (the walk left aside) is not solved (its work spent, say), the headless unit keeps
    the proof of the region as a whole, still true, not "the exact model was not solved"."""
    import yuanluo.gis.repair as R
    from yuanluo.gis.repair_exact import ExactOutcome

    real = R.exact_repair

    def spent(st, bad, free, meet, *a, **k):  # type: ignore[no-untyped-def]
        if st.walk_waived:
            return ExactOutcome("unsolved", units=sorted(bad), gave_up="total")
        return real(st, bad, free, meet, *a, **k)

    monkeypatch.setattr(R, "exact_repair", spent)
    hh, labels, rules = walk_far_street()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=10.0), meeting_points=POINTS)
    head = [r for r in res.reasons if r[0] == "repair.reason.violation" and r[1]["code"] == "PLAN-NO-HEAD"]
    assert len(head) == 1
    why = head[0][1]["why"]
    while why[0] == "repair.why.given_points":
        why = why[1]["proof"]
    assert why[0].startswith("repair.why.infeasible"), why
