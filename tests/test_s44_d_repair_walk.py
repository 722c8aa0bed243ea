"""Session 44 (helper D): under a walking limit, a unit given no meeting point follows its households.

Session 43 (427c822) made the exact model hold a unit drawn over two villager groups at the centre of its own group,
not at the centre of all its households; under a walking limit that centre was still the unit's meeting point, held
in ``_State.fixed``, so the model kept it in its unit (no new unit takes a fixed household) and the repair moved the
larger group out. Smallest case (a search over such streets against the brute force of test_s44_d_repair_brute): a
street of 7, U2 two G1 households 60 m apart, U1 three G1 households 10 m apart then two G2 households 60 m apart
(U1's centre, the middle of its span, is a G2 household), band 2-5, nesting by group, walking limit 20 min: the old
repair moved the three G1 households into U2 (3 moves), where the two G2 households into a new unit are 2. Session
43's planted street (5 | 5+4, band 4-10): 5 moves, where 4 suffice.

A unit given no meeting point was also walked to the centre it had before households left it (and handed that point
on, ``RepairResult.meeting_points``): now to its centre as it is, as ``check`` walks it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def _plan(a: int = 2, b: int = 3, c: int = 2, lo: int = 2, hi: int = 5,
          walk: float | None = 20) -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    """U2: ``a`` G1 households 60 m apart; U1: ``b`` G1 households 10 m apart, then ``c`` G2 households 60 m apart."""
    if a == 9:  # session 43's planted street
        a, b, c, lo, hi = 5, 5, 4, 4, 10
    xs = [-60 * (a - k) for k in range(a)] + [10 * k for k in range(b)] + [10 * (b - 1) + 60 * (k + 1) for k in range(c)]
    n = len(xs)
    hh = gpd.GeoDataFrame({"group": ["G1"] * (a + b) + ["G2"] * c, "head_candidate": [True] * n},
                          geometry=gpd.points_from_xy([500000 + x for x in xs],
                                                      [3265000 + (15 if k % 2 else 0) for k in range(n)]),
                          index=pd.Index([f"H{k + 1:02d}" for k in range(n)], name="hid"), crs="EPSG:4545")
    labels = pd.Series(["U2"] * a + ["U1"] * (b + c), index=hh.index)
    return hh, labels, Rules(lo, hi, require_head=False, keep_settlements=False, nest_by=("group",),
                             max_walk_min=walk)


def test_the_smallest_case_moves_the_smaller_group() -> None:
    hh, labels, rules = _plan()
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.passed and res.method == "exact"
    assert sorted(res.moves["hid"]) == ["H06", "H07"], res.moves.to_dict("records")
    assert res.moves["to_unit"].nunique() == 1 and res.moves["to_unit"].iloc[0] not in {"U1", "U2"}
    assert check_plan(hh, res.labels, rules, graph=graph).passed


def test_session_43s_planted_street_under_a_walking_limit() -> None:
    hh, labels, rules = _plan(9)
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    assert res.passed and len(res.moves) == 4
    assert sorted(res.moves["hid"]) == ["H11", "H12", "H13", "H14"]


def test_a_unit_given_no_point_is_walked_to_its_centre_as_it_is() -> None:
    """After the two G2 households left U1, its point handed on is the centre of the three left (the middle one,
    H04), not the G2 household that was the centre of all five."""
    hh, labels, rules = _plan()
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.meeting_points is not None
    assert res.meeting_points["U1"] == "H04"
    made = res.moves["to_unit"].iloc[0]
    assert res.meeting_points[made] in {"H06", "H07"}
    assert set(res.meeting_points.index) == set(res.labels.dropna())


def test_a_given_point_is_still_held() -> None:
    """A point given for U1 (the G1 household H03) is kept: the G2 households leave, H03 stays U1's point."""
    hh, labels, rules = _plan()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0),
                      meeting_points=pd.Series({"U1": "H03", "U2": "H01"}))
    assert res.passed and sorted(res.moves["hid"]) == ["H06", "H07"]
    assert res.meeting_points is not None and res.meeting_points["U1"] == "H03"


def test_a_unit_that_lost_households_is_walked_to_its_centre_now() -> None:
    """Street 3|6, H004 and H005 typed into U1 (5, band 2-4, walking limit 10 min): the repair splits H001, H002 off
    U1 into a new unit (2 moves). U1 is then H003-H005, whose centre is H004; the old repair handed on H003, U1's
    centre before the moves, and walked U1 to it."""
    from test_s32_fh_repair_order import _street

    hh, labels = _street([3, 6])
    labels.iloc[3:5] = "U1"
    rules = Rules(2, 4, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=10)
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.passed and len(res.moves) == 2
    assert sorted(res.labels[res.labels == "U1"].index) == ["H003", "H004", "H005"]
    assert res.meeting_points is not None and res.meeting_points["U1"] == "H004"
    walked = check_plan(hh, res.labels, rules, graph=graph).meeting_points  # the check's centres: none given
    assert walked is not None and dict(res.meeting_points) == dict(walked)


def test_a_unit_given_a_point_of_another_unit_is_walked_to_its_centre_now() -> None:
    """The same street, U1 given H009 (a household of U2: none of its own, ``repair.note.meeting_off``): U1 walked
    to its centre, and after the repair to H004, its centre then, not H003 (its centre before the moves)."""
    from test_s32_fh_repair_order import _street

    hh, labels = _street([3, 6])
    labels.iloc[3:5] = "U1"
    rules = Rules(2, 4, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=10)
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0), meeting_points=pd.Series({"U1": "H009"}))
    assert res.passed and sorted(res.labels[res.labels == "U1"].index) == ["H003", "H004", "H005"]
    assert res.meeting_points is not None and res.meeting_points["U1"] == "H004"
    assert [p["new"] for k, p in res.notes if k == "repair.note.meeting_off"] == ["H004"]
