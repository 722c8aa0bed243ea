"""Session 43 (helper J): a unit drawn over two villager groups keeps its larger group's households.

Found by helper H's audit (院落范围2.shp, banan preset, 20–50): 二组二院落 held 22 households of 二组 and 20 of 三组;
``repair`` moved the 22 to 二组三院落 where moving the 20 out into a new unit (20 fits 20–50) was 2 moves fewer. The
exact model's region held each unit at an anchor, the centre of all its households when no meeting point is
given: that centre (the member the farthest walks least to) was a 三组 household, so the unit had to stay 三组 and
the model's "optimum" was the fewest with that household kept. Now a unit's anchor is the centre of the households
of its own nest group (the larger one).

Planted: a street, U2 five households of G1 60 m apart, then U1 five of G1 10 m apart and four of G2 60 m apart
(U1's centre, the middle of its span, is a G2 household); band 4–10, nesting by group. U1 must lose one group:
the four of G2 (into a new unit of 4) or the five of G1 (into U2, 10), so the fewest is 4 moves.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import _centre, _State, repair_plan
from yuanluo.gis.rules import Rules


def _plan() -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    xs = [-300 + 60 * k for k in range(5)] + [0, 10, 20, 30, 40] + [100 + 60 * k for k in range(4)]
    n = len(xs)
    hh = gpd.GeoDataFrame({"group": ["G1"] * 10 + ["G2"] * 4, "head_candidate": [True] * n},
                          geometry=gpd.points_from_xy([500000 + x for x in xs],
                                                      [3265000 + (15 if k % 2 else 0) for k in range(n)]),
                          index=pd.Index([f"H{k + 1:03d}" for k in range(n)], name="hid"), crs="EPSG:4545")
    labels = pd.Series(["U2"] * 5 + ["U1"] * 9, index=hh.index)
    return hh, labels, Rules(4, 10, require_head=False, keep_settlements=False, nest_by=("group",))


def test_the_planted_unit_has_its_centre_in_the_smaller_group() -> None:
    """The case's premise: U1's centre (the anchor the old model kept) is one of the four G2 households."""
    hh, labels, rules = _plan()
    st = _State(hh, labels, rules, build_graph(hh, max_walk_min=1.0), None)
    j = list(st.unit_ids).index("U1")
    assert str(st.hids[_centre(st, sorted(st.members[j]))]) in {"H011", "H012", "H013", "H014"}


def test_the_smaller_group_moves_out_fewest_moves() -> None:
    """4 moves (the four G2 households into a new unit), not 5 (the five G1 households into U2, the old repair)."""
    hh, labels, rules = _plan()
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal"
    assert len(res.moves) == 4
    assert sorted(res.moves["hid"]) == ["H011", "H012", "H013", "H014"]
    assert res.moves["to_unit"].nunique() == 1 and res.moves["to_unit"].iloc[0] not in {"U1", "U2"}
    assert (res.labels.loc[["H006", "H007", "H008", "H009", "H010"]] == "U1").all()
    assert check_plan(hh, res.labels, rules, graph=graph).passed


def test_every_household_moved_out_of_a_two_group_unit_is_said_to_cross_the_group() -> None:
    """U1's given meeting point H012 (G2) holds it as a G2 unit: the five G1 households go to U2 (5 moves). Each
    says the group it crossed ("nesting-group": 与所在院落不属同一村民小组); the first of them said the level of
    neither ("nesting": 不属同一行政村或村民小组), as its level was taken against the unit as the moves, applied one
    by one, left it: 4 of G1 and 4 of G2, a tie going to G1, its own (H's audit: 1 of the 22 rows)."""
    hh, labels, rules = _plan()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0),
                      meeting_points=pd.Series({"U1": "H012", "U2": "H003"}))
    assert res.passed and res.method == "exact"
    assert sorted(res.moves["hid"]) == ["H006", "H007", "H008", "H009", "H010"]
    assert set(res.moves["reason"]) == {"nesting-group"}


def _street_state(sizes: list[int]) -> _State:
    from test_s32_fh_repair_order import _street

    hh, labels = _street(sizes)
    rules = Rules(4, 10, require_head=False, keep_settlements=False, nest_by=())
    return _State(hh, labels, rules, build_graph(hh, max_walk_min=1.0), None)


def test_a_unit_in_the_band_merged_after_moves_out_says_so() -> None:
    """H's audit item 7: 三组四院落 (20, in 20–50) lost one household to keep a settlement whole and was merged into
    三组五院落, its 19 said "院落过小，与相邻院落合并" (too small as given). A unit not below the floor as given that
    moves left below it now says that ("merge-shrunk"); one too small as given still says "merge"."""
    from yuanluo.gis.catalogue import text
    from yuanluo.gis.repair import _merge

    st = _street_state([4, 5])  # U1 4 (the floor), U2 5
    st.move(0, 1, "settlement")  # H001 out of U1: 3 left
    assert _merge(st, 0)
    assert [st.reasons[h] for h in (1, 2, 3)] == ["merge-shrunk"] * 3
    assert text("move.reason.merge-shrunk", "zh") == "所在院落原本户数不低于下限，其他户调出后低于下限，与相邻院落合并"
    assert text("move.reason.merge-shrunk", "en").startswith("its unit, not too small as given, fell below the minimum")
    small = _street_state([3, 5])  # U1 3: too small as given
    assert _merge(small, 0)
    assert [small.reasons[h] for h in (0, 1, 2)] == ["merge"] * 3
