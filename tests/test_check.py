"""Tests of yuanluo.gis.check: each rule passes on a clean fixture and fails on a planted violation.

Fixture: a 6 x 4 grid of households 50 m apart (ids hIIJJ, I = column 0..5, J = row 0..3), 4-neighbour
edges; plan A = columns 0-2 (12 households), B = columns 3-5 (12)::

    J=3  A A A | B B B
    J=2  A A A | B B B
    J=1  A A A | B B B
    J=0  A A A | B B B
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay
from shapely import points

from yuanluo.gis.check import CHECKS, Declared, check_plan
from yuanluo.gis.errors import InputError, problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def grid(nx: int = 6, ny: int = 4, step: float = 50.0):
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    ids = [f"h{i:02d}{j:02d}" for i, j in zip(ii, jj, strict=True)]
    xy = np.c_[ii * step, jj * step].astype(float)
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    pos = {(i, j): k for k, (i, j) in enumerate(zip(ii, jj, strict=True))}
    edges = [(pos[i, j], pos[i + 1, j]) for i, j in pos if i + 1 < nx]
    edges += [(pos[i, j], pos[i, j + 1]) for i, j in pos if j + 1 < ny]
    return hh, TerrainGraph.from_edges(ids, xy, edges, crs=CRS), ii, jj


def base():
    hh, g, ii, jj = grid()
    lab = pd.Series(np.where(ii < 3, "A", "B"), index=hh.index)
    return hh, g, lab, ii, jj


RULES = Rules(10, 14, nest_by=("village", "group"))


def codes(res):
    return sorted(res.violations["code"])


def test_clean_plan_passes():
    hh, g, lab, ii, jj = base()
    hh["village"], hh["group"] = "V1", "1"
    hh["settlement"] = np.where(ii < 3, "东湾", "西湾")
    hh["head_candidate"] = (jj == 1) & ((ii == 1) | (ii == 4))
    res = check_plan(hh, lab, RULES, graph=g)  # data that serve every rule: nothing to say
    assert res.passed and codes(res) == []
    assert res.units["n_households"].tolist() == [12, 12]
    assert res.units["status"].tolist() == ["ok", "ok"]
    assert res.graph_kind == "terrain"


def test_a_rule_the_households_cannot_serve_is_said_by_default():
    """The households of the grid have none of the columns the rules ask for (village and group, settlement,
    candidate head): each rule is a RULE-UNAPPLIED warning, the plan passes and every unit is ok; only a caller
    that says it knows (``unapplied=False``) hears nothing."""
    hh, g, lab, _, _ = base()
    res = check_plan(hh, lab, RULES, graph=g)
    v = res.violations
    assert res.passed and codes(res) == ["RULE-UNAPPLIED"] * 3
    assert (v["severity"] == "warning").all() and v["unit_id"].isna().all()
    assert ["villages" in v["message_en"].iloc[0], "settlement column" in v["message_en"].iloc[1],
            "candidate-head column" in v["message_en"].iloc[2]] == [True] * 3
    assert res.units["status"].tolist() == ["ok", "ok"]
    quiet = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    assert quiet.passed and codes(quiet) == []


def test_size_low_high():
    hh, g, lab, _, _ = base()
    assert codes(check_plan(hh, lab, Rules(12, 12), graph=g, unapplied=False)) == []
    res = check_plan(hh, lab, Rules(13, 13), graph=g, unapplied=False)
    assert codes(res) == ["SIZE-LOW", "SIZE-LOW"]
    res = check_plan(hh, lab, Rules(5, 11), graph=g, unapplied=False)
    assert codes(res) == ["SIZE-HIGH", "SIZE-HIGH"]
    assert "院落 A 有 12 户，超过上限 11 户" in res.violations["message_zh"].iloc[0]


def test_size_by_persons():
    hh, g, lab, ii, _ = base()
    hh["persons"] = pd.array(np.where(ii < 3, 2, 3), dtype="Int64")  # A: 24, B: 36
    r = Rules(20, 30, size_by="persons")
    res = check_plan(hh, lab, r, graph=g, unapplied=False)
    assert codes(res) == ["SIZE-HIGH"] and res.violations["unit_id"].iloc[0] == "B"
    assert res.units["persons"].tolist() == [24, 36]
    with pytest.raises(InputError):
        check_plan(hh.drop(columns="persons"), lab, r, graph=g)


def test_noncontig_with_pieces():
    hh, g, lab, _, _ = base()
    lab["h0000"] = "B"  # corner of A given to B: B in two pieces
    res = check_plan(hh, lab, RULES, graph=g)
    v = res.violations[res.violations.code == "PLAN-NONCONTIG"]
    assert len(v) == 1 and v["unit_id"].iloc[0] == "B"
    assert v["hids"].iloc[0] == ["h0000"]
    assert [len(p) for p in v["pieces"].iloc[0]] == [12, 1]


def test_cross_river_instead_of_noncontig():
    hh, g, lab, _, _ = base()
    # cut the edges between columns 1 and 2 for a river; column 2 stays in A
    cross = (g.xy[g.u, 0] == 50) & (g.xy[g.v, 0] == 100)
    cut = pd.DataFrame({"u": g.u[cross], "v": g.v[cross], "length_m": 50.0, "walk_min": 0.7, "reason": "river"})
    keep = ~cross
    g2 = TerrainGraph(crs=g.crs, ids=g.ids, xy=g.xy, u=g.u[keep], v=g.v[keep], length_m=g.length_m[keep],
                      walk_min=g.walk_min[keep], cut=cut)
    res = check_plan(hh, lab, RULES, graph=g2, unapplied=False)
    assert codes(res) == ["PLAN-CROSS-RIVER"]
    assert res.violations["unit_id"].iloc[0] == "A"
    # a cut for length beyond the join limit does not join it: plain non-contiguity
    g3 = TerrainGraph(crs=g.crs, ids=g.ids, xy=g.xy, u=g.u[keep], v=g.v[keep], length_m=g.length_m[keep],
                      walk_min=g.walk_min[keep], cut=cut.assign(reason="length", walk_min=30.0))
    assert codes(check_plan(hh, lab, RULES, graph=g3, unapplied=False)) == ["PLAN-NONCONTIG"]
    # within the join limit it is the island policy of delineation: a warning, and the plan passes
    g4 = TerrainGraph(crs=g.crs, ids=g.ids, xy=g.xy, u=g.u[keep], v=g.v[keep], length_m=g.length_m[keep],
                      walk_min=g.walk_min[keep], cut=cut.assign(reason="length", walk_min=12.0))
    res4 = check_plan(hh, lab, RULES, graph=g4, unapplied=False)
    assert codes(res4) == ["PLAN-LONG-JOIN"] and res4.passed
    # the plan that follows the river passes
    lab2 = lab.copy()
    lab2[[h for h in hh.index if h.startswith("h02")]] = "B"
    assert codes(check_plan(hh, lab2, Rules(8, 16), graph=g2, unapplied=False)) == []


def test_cross_village_and_group():
    hh, g, lab, ii, jj = base()
    hh["village"] = np.where(ii < 3, "V1", "V2")
    hh["group"] = "1"
    assert codes(check_plan(hh, lab, RULES, graph=g, unapplied=False)) == []
    hh["group"] = np.where(jj < 2, "1", "2")
    res = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    assert codes(res) == ["PLAN-CROSS-GROUP", "PLAN-CROSS-GROUP"]
    assert len(res.violations["hids"].iloc[0]) == 6
    hh["group"] = "1"
    hh["village"] = np.where(jj < 1, "V1", "V2")
    res = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    assert codes(res) == ["PLAN-CROSS-VILLAGE", "PLAN-CROSS-VILLAGE"]
    assert res.violations["hids"].iloc[0] == ["h0000", "h0100", "h0200"]


def test_group_values_nested_in_village():
    hh, g, lab, ii, _ = base()
    hh["village"] = np.where(ii < 3, "V1", "V2")
    hh["group"] = "1"  # group "1" of V1 and group "1" of V2 are different groups: not a straddle
    assert codes(check_plan(hh, lab, RULES, graph=g, unapplied=False)) == []


def test_settlement_split():
    hh, g, lab, ii, jj = base()
    hh["settlement"] = np.where(ii < 3, "东湾", "西湾")
    assert codes(check_plan(hh, lab, RULES, graph=g, unapplied=False)) == []
    hh["settlement"] = np.where((ii >= 2) & (ii <= 3), "中湾", None)  # 8 households across A|B
    res = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    assert codes(res) == ["PLAN-SETTLEMENT-SPLIT"]
    assert set(res.violations["units"].iloc[0]) == {"A", "B"}
    assert len(res.violations["hids"].iloc[0]) == 4
    # a settlement too big for one unit may be split
    assert codes(check_plan(hh, lab, Rules(2, 7), graph=g, checks=["settlements"])) == []
    assert codes(check_plan(hh, lab, Rules(10, 14, keep_settlements=False), graph=g, unapplied=False)) == []


def test_no_head():
    hh, g, lab, ii, jj = base()
    hh["head_candidate"] = (jj == 1) & ((ii == 1) | (ii == 0))  # two candidates, both in A: B could have one
    res = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    assert codes(res) == ["PLAN-NO-HEAD"] and res.violations["unit_id"].iloc[0] == "B" and not res.passed
    hh["head_candidate"] = (jj == 1) & ((ii == 1) | (ii == 4))
    assert codes(check_plan(hh, lab, RULES, graph=g, unapplied=False)) == []
    # without the column the rule is not checked, and the check says so (a warning naming the column to add)
    res = check_plan(hh.drop(columns="head_candidate"), lab, Rules(10, 14, nest_by=(), keep_settlements=False), graph=g)
    assert codes(res) == ["RULE-UNAPPLIED"] and res.passed
    assert "no candidate-head column" in res.violations["message_en"].iloc[0]
    assert "require_head=False" in res.violations["message_en"].iloc[0]


def test_a_unit_without_a_head_is_an_exception_where_its_area_cannot_give_every_unit_one() -> None:
    """HEAD-EXCEPTION (a warning) where no plan could do better: the area's candidates are fewer than the
    fewest units it needs, or a plain reason proves that no split gives every unit one; PLAN-NO-HEAD where a
    plan of the same area leaves more units without a candidate than it must."""
    hh, g, lab, ii, jj = base()
    hh["head_candidate"] = (ii == 1) & (jj == 1)  # 24 households need two units of 10–14; one candidate
    res = check_plan(hh, lab, RULES, graph=g, unapplied=False)
    v = res.violations
    assert codes(res) == ["HEAD-EXCEPTION"] and v["unit_id"].tolist() == ["B"] and res.passed
    assert v["severity"].tolist() == ["warning"]
    assert "少 1 名" in v["message_zh"].iloc[0] and "fewer than the fewest units it needs (2), 1 short" in \
        v["message_en"].iloc[0]
    three = pd.Series(np.where(ii < 2, "A", np.where(ii < 4, "B", "C")), index=hh.index)  # 8 each: too small
    assert codes(check_plan(hh, three, Rules(8, 14, nest_by=("village", "group")), graph=g, unapplied=False)) == \
        ["PLAN-NO-HEAD", "PLAN-NO-HEAD"]  # two lack where one must: a plan of two units would do
    # a row of 24 with candidates at its first two: every split into two parts of 10–14 leaves one without
    ids = [f"r{i:02d}" for i in range(24)]
    row = gpd.GeoDataFrame({"head_candidate": [True, True] + [False] * 22},
                           geometry=gpd.points_from_xy(np.arange(24) * 50.0, np.zeros(24)),
                           index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    rg = TerrainGraph.from_edges(ids, np.c_[np.arange(24) * 50.0, np.zeros(24)], [(i, i + 1) for i in range(23)],
                                 crs="EPSG:32631")
    halves = pd.Series(["A"] * 12 + ["B"] * 12, index=ids)
    res = check_plan(row, halves, Rules(10, 14), graph=rg, unapplied=False)
    assert codes(res) == ["HEAD-EXCEPTION"] and res.passed
    assert "(proven)" in res.violations["message_en"].iloc[0] and "已证明" in res.violations["message_zh"].iloc[0]
    row["head_candidate"] = [True] + [False] * 22 + [True]  # now a split exists
    assert codes(check_plan(row, halves, Rules(10, 14), graph=rg, unapplied=False)) == []
    row["head_candidate"] = [True, True] + [False] * 22
    thirds = pd.Series(["A"] * 8 + ["B"] * 8 + ["C"] * 8, index=ids)  # 8–14: two units suffice, one must lack
    assert codes(check_plan(row, thirds, Rules(8, 14), graph=rg, unapplied=False)) == ["PLAN-NO-HEAD", "PLAN-NO-HEAD"]


def test_a_unit_beyond_the_walking_limit_only_for_remote_households_is_an_exception() -> None:
    """WALK-EXCEPTION (a warning) where every household beyond the limit is remote: within the limit of it no
    place that ``min_size`` households can all reach within the limit (2 km off the end of a row); PLAN-WALK-LIMIT
    where one could be served (a meeting point at the end of its unit)."""
    ids = [f"h{i}" for i in range(10)]
    xy = [[50 * i, 0] for i in range(9)] + [[2450, 0]]
    hh = gpd.GeoDataFrame(geometry=points(xy), index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(9)], crs="EPSG:32631")
    lab = pd.Series(["A"] * 5 + ["B"] * 5, index=ids)
    res = check_plan(hh, lab, Rules(5, 10, max_walk_min=3, require_head=False), graph=g,
                     meeting_points=pd.Series({"A": "h2", "B": "h7"}), unapplied=False)
    v = res.violations
    assert v[["code", "unit_id", "severity"]].values.tolist() == [["WALK-EXCEPTION", "B", "warning"]] and res.passed
    assert list(v["hids"].iloc[0]) == ["h9"] and "偏远户" in v["message_zh"].iloc[0]
    res = check_plan(hh, lab, Rules(5, 10, max_walk_min=1.5, require_head=False), graph=g,
                     meeting_points=pd.Series({"A": "h0", "B": "h7"}), unapplied=False)
    assert res.violations[["code", "unit_id"]].values.tolist() == [["PLAN-WALK-LIMIT", "A"], ["WALK-EXCEPTION", "B"]]
    # the same remote household in a unit that also leaves a servable one beyond the limit: an error
    res = check_plan(hh, pd.Series(["A"] * 4 + ["B"] * 6, index=ids), Rules(4, 10, max_walk_min=1.5, require_head=False),
                     graph=g, meeting_points=pd.Series({"A": "h1", "B": "h5"}), unapplied=False)
    assert res.violations[["code", "unit_id"]].values.tolist() == [["PLAN-WALK-LIMIT", "B"]] and not res.passed


def test_the_exceptions_a_delineation_declared_are_warnings_while_the_plan_keeps_them() -> None:
    """A unit the delineation declared an exception (its units table: status exception, with a reason) has its
    band, head and walking errors reported as the warning DECLARED-EXCEPTION, quoting the rule and the reason,
    while the plan holds it with exactly its declared households; changed, it keeps every rule again. Rules
    that no declaration excuses (contiguity) stay errors, and undeclared units are untouched."""
    hh, g, lab, ii, jj = base()
    hh["head_candidate"] = (ii < 2) & (jj == 0)  # both in A; a split with one in each unit exists
    units = pd.DataFrame({"unit_id": ["A", "B"], "status": ["ok", "exception"],
                          "reason": ["", "HEAD-UNPLACED：12 户，未找到让每个院落都有候选人的划分"]})
    rules = Rules(10, 14, require_head=True)
    plain = check_plan(hh, lab, rules, graph=g, unapplied=False)
    assert codes(plain) == ["PLAN-NO-HEAD"] and not plain.passed
    res = check_plan(hh, lab, rules, graph=g, declared=Declared.of(units, lab), unapplied=False)
    v = res.violations.iloc[0]
    assert res.passed and (v["code"], v["unit_id"], v["severity"]) == ("DECLARED-EXCEPTION", "B", "warning")
    assert "院落 B（12 户）没有院落长候选人" in v["message_zh"] and "HEAD-UNPLACED：12 户" in v["message_zh"]
    assert "unit B (12 households) has no candidate head" in v["message_en"]
    assert "The delineation declared this unit an exception" in v["message_en"]
    # one household moved from A to B: B is no longer the unit that was declared
    moved = lab.copy()
    moved["h0200"] = "B"
    assert codes(check_plan(hh, moved, rules, graph=g, declared=Declared.of(units, lab), unapplied=False)) == [
        "PLAN-NO-HEAD"]
    # the walking limit and the band, on a unit declared so; its contiguity is not excused
    mp = pd.Series({"A": "h0101", "B": "h0401"})
    walk = Rules(10, 14, max_walk_min=1.6, require_head=False)
    res = check_plan(hh, lab, walk, graph=g, meeting_points=mp, declared=Declared.of(units, lab), unapplied=False)
    assert res.violations[["code", "unit_id", "severity"]].values.tolist() == [
        ["PLAN-WALK-LIMIT", "A", "error"], ["DECLARED-EXCEPTION", "B", "warning"]]
    assert res.violations["hids"].iloc[1] == ["h0303", "h0503"]
    assert res.units["status"].tolist() == ["violation", "exception"]     # B breaks a rule it is excused from
    cut = pd.Series(np.where(ii < 3, "A", np.where(ii == 4, "C", "B")), index=hh.index)  # B: columns 3 and 5
    res = check_plan(hh, cut, Rules(10, 14, require_head=False), graph=g, declared=Declared.of(units, cut),
                     unapplied=False)
    assert sorted(res.violations[["code", "unit_id", "severity"]].apply(tuple, axis=1)) == [
        ("DECLARED-EXCEPTION", "B", "warning"), ("PLAN-NONCONTIG", "B", "error"), ("SIZE-LOW", "C", "error")]


def test_a_settlement_split_the_delineation_declared_is_a_warning_while_kept_as_declared() -> None:
    """A settlement the delineation declared split (``split``: its households flagged) is the warning
    DECLARED-EXCEPTION while each of its households stays in the unit the delineation gave it."""
    hh, g, lab, ii, _ = base()
    hh["settlement"] = np.where(ii < 2, "S1", np.where(ii < 4, "S2", "S3"))  # S2: columns 2-3, split A | B
    rules = Rules(8, 14)
    assert codes(check_plan(hh, lab, rules, graph=g, unapplied=False)) == ["PLAN-SETTLEMENT-SPLIT"]
    units = pd.DataFrame({"unit_id": ["A", "B"], "status": ["ok", "ok"], "reason": ["", ""]})
    dec = Declared.of(units, lab, split=pd.Series(hh["settlement"] == "S2", index=hh.index))
    res = check_plan(hh, lab, rules, graph=g, declared=dec, unapplied=False)
    v = res.violations.iloc[0]
    assert res.passed and (v["code"], v["severity"]) == ("DECLARED-EXCEPTION", "warning")
    assert "划分结果已把这一拆分列为例外" in v["message_zh"] and "declared this split an exception" in v["message_en"]
    moved = lab.copy()
    moved[["h0300", "h0301"]] = "A"  # the split moved: the planner's own, to keep every rule
    assert codes(check_plan(hh, moved, rules, graph=g, declared=dec, unapplied=False)) == ["PLAN-SETTLEMENT-SPLIT"]


def test_walk_limit():
    hh, g, lab, _, _ = base()
    mp = pd.Series({"A": "h0101", "B": "h0401"})
    # 50 m at 4 km/h = 0.75 min; farthest from h0101 in A is h0003 / h0203: 3 edges = 2.25 min
    ok = check_plan(hh, lab, Rules(10, 14, max_walk_min=2.25), graph=g, meeting_points=mp, unapplied=False)
    assert ok.passed and ok.units["max_walk_min"].tolist() == pytest.approx([2.25, 2.25])
    res = check_plan(hh, lab, Rules(10, 14, max_walk_min=1.6), graph=g, meeting_points=mp, unapplied=False)
    assert codes(res) == ["PLAN-WALK-LIMIT", "PLAN-WALK-LIMIT"]
    assert res.violations["hids"].iloc[0] == ["h0003", "h0203"]
    bad = check_plan(hh, lab, Rules(10, 14, max_walk_min=5), graph=g, meeting_points=pd.Series({"A": "h0401"}),
                     unapplied=False)
    assert sorted(bad.violations["code"]) == ["PLAN-MEETING", "PLAN-MEETING"]
    assert not bad.passed  # A's meeting point is in B (error); B has none (warning)


def test_a_plan_without_meeting_points_keeps_the_walking_limit_at_each_units_centre():
    """Under a walking limit a plan without meeting points is measured to each unit's centre: no household of the
    unit as meeting point keeps the farthest member nearer (checked against every one), and the message and the
    result say that the centre was taken. ``repair`` measures the limit at the same centres."""
    hh, g, lab, _, _ = base()
    rules = Rules(10, 14, max_walk_min=30)
    res = check_plan(hh, lab, rules, graph=g, unapplied=False)
    assert res.passed and res.centres and sorted(res.meeting_points.index) == ["A", "B"]
    for u in ("A", "B"):
        mem = lab.index[lab == u]
        worst = [check_plan(hh, lab, rules, graph=g, meeting_points=pd.Series({u: h})).units.set_index("unit_id")
                 .loc[u, "max_walk_min"] for h in mem]
        assert res.units.set_index("unit_id").loc[u, "max_walk_min"] == pytest.approx(min(worst))
    limit = float(res.units["max_walk_min"].min()) - 0.01
    tight = check_plan(hh, lab, Rules(10, 14, max_walk_min=limit), graph=g, unapplied=False)
    assert "PLAN-WALK-LIMIT" in codes(tight) and not tight.passed
    v = tight.violations[tight.violations["code"] == "PLAN-WALK-LIMIT"].iloc[0]
    assert "到院落中心（住户 " in v["message_zh"] and "from the unit's centre, household " in v["message_en"]
    assert "议事点 h" not in v["message_zh"] and "meeting point h" not in v["message_en"]  # the centre is none
    assert "移到院落中部" not in v["message_zh"] and "move the meeting point" not in v["message_en"]
    given = check_plan(hh, lab, Rules(10, 14, max_walk_min=limit), graph=g,
                       meeting_points=pd.Series({"A": "h0000", "B": "h0500"}), unapplied=False)
    assert not given.centres and "移到院落中部" in given.violations["message_zh"].iloc[0]
    # a table without B, and with A's point in B: both warned of, and both measured to their centres
    part = check_plan(hh, lab, Rules(10, 14, max_walk_min=30), graph=g, meeting_points=pd.Series({"A": "h0500"}),
                      unapplied=False)
    assert part.centres and sorted(part.violations["code"]) == ["PLAN-MEETING", "PLAN-MEETING"]
    assert part.meeting_points.to_dict() == res.meeting_points.to_dict()
    assert part.units["max_walk_min"].tolist() == pytest.approx(res.units["max_walk_min"].tolist())
    assert not check_plan(hh, lab, Rules(10, 14), graph=g, unapplied=False).centres  # no limit: no walk measured
    fixed = repair_plan(hh, lab, Rules(10, 14, max_walk_min=limit), g)  # at the same centres: the same verdict
    again = check_plan(hh, fixed.labels, Rules(10, 14, max_walk_min=limit), graph=g)
    assert fixed.check.passed == again.passed and codes(fixed.check) == codes(again)


def test_structural_codes():
    hh, g, lab, _, _ = base()
    lab2 = lab.drop(["h0000", "h0001"])
    lab2["zz99"] = "A"
    lab2 = pd.concat([lab2, pd.Series({"h0500": "A"})])
    lab2["h0101"] = "  "
    res = check_plan(hh, lab2, Rules(1, 50), graph=g, unapplied=False)
    assert codes(res) == ["PLAN-DUP-ASSIGN", "PLAN-ID", "PLAN-UNASSIGNED", "PLAN-UNKNOWN-ID"]
    v = res.violations.set_index("code")
    assert v.loc["PLAN-UNASSIGNED", "hids"] == ["h0000", "h0001"]
    assert v.loc["PLAN-UNKNOWN-ID", "hids"] == ["zz99"]
    assert v.loc["PLAN-DUP-ASSIGN", "hids"] == ["h0500"]


def test_empty_unit_from_plan_problems():
    hh, g, lab, _, _ = base()
    res = check_plan(hh, lab, RULES, graph=g, plan_problems=[problem("PLAN-EMPTY-UNIT", ids=["C"])], unapplied=False)
    assert codes(res) == ["PLAN-EMPTY-UNIT"] and not res.passed
    row = res.units.set_index("unit_id").loc["C"]
    assert row["n_households"] == 0 and row["status"] == "violation"
    assert check_plan(hh, lab, RULES, graph=g, plan_problems=[], unapplied=False).passed


def test_many_planted_violations_all_reported():
    hh, g, lab, ii, jj = base()
    hh["village"] = np.where(jj == 3, "V2", "V1")
    hh["head_candidate"] = ii == 4
    lab = lab.copy()
    lab["h0000"] = "B"          # NONCONTIG (B), A 11
    lab["h0100"] = None         # UNASSIGNED, A 10
    lab["h0503"] = "C"          # C: SIZE-LOW, NO-HEAD (B has a head)
    res = check_plan(hh, lab, Rules(11, 12), graph=g)
    got = set(res.violations["code"])
    assert {"PLAN-NONCONTIG", "PLAN-UNASSIGNED", "SIZE-LOW", "PLAN-NO-HEAD", "PLAN-CROSS-VILLAGE"} <= got
    status = res.units.set_index("unit_id")["status"]
    assert status.to_dict() == {"A": "violation", "B": "violation", "C": "violation"}
    for m in res.violations["message_zh"]:
        assert "处理办法" in m
    for m in res.violations["message_en"]:
        assert "Fix" in m


def test_checks_are_named_and_selectable():
    assert list(CHECKS) == ["structure", "size", "contiguity", "nesting", "settlements", "head", "walk"]
    hh, g, lab, _, _ = base()
    lab["h0000"] = "B"
    assert codes(check_plan(hh, lab, Rules(20, 30), graph=g, checks=["contiguity"])) == ["PLAN-NONCONTIG"]


def test_straight_graph_default_and_missing_graph_nodes():
    hh, g, lab, _, _ = base()
    res = check_plan(hh, lab, RULES)
    assert res.graph_kind == "straight" and res.passed
    small = TerrainGraph.from_edges(g.ids[:5], g.xy[:5], [(0, 1)], crs=CRS)
    with pytest.raises(InputError) as ei:
        check_plan(hh, lab, RULES, graph=small)
    assert ei.value.code == "CHECK-GRAPH"


def test_inputs_not_modified():
    hh, g, lab, _, _ = base()
    hh0, lab0 = hh.copy(), lab.copy()
    check_plan(hh, lab, RULES, graph=g)
    pd.testing.assert_frame_equal(hh, hh0)
    pd.testing.assert_series_equal(lab, lab0)


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6))
def test_property_counts_and_contiguity(seed, k):
    """Counts are conserved; a unit is reported non-contiguous iff its households are disconnected."""
    rng = np.random.default_rng(seed)
    n = 40
    xy = rng.uniform(0, 500, size=(n, 2))
    ids = [f"{i:03d}" for i in range(n)]
    tri = Delaunay(xy)
    e = np.r_[tri.simplices[:, [0, 1]], tri.simplices[:, [1, 2]], tri.simplices[:, [0, 2]]]
    g = TerrainGraph.from_edges(ids, xy, e, crs=CRS)
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    lab = pd.Series([f"U{x}" for x in rng.integers(0, k, n)], index=ids)
    res = check_plan(hh, lab, Rules(1, n), graph=g)
    assert res.units["n_households"].sum() == n
    nx_g = g.to_networkx()
    import networkx as nx

    for u, grp in lab.groupby(lab):
        connected = nx.is_connected(nx_g.subgraph(grp.index))
        flagged = ((res.violations.code == "PLAN-NONCONTIG") & (res.violations.unit_id == u)).any()
        assert flagged == (not connected)


def test_larger_plan_vectorised_path():
    """10,000 households in 200 units of 50 (timings at 100k are in bench/check_scale.py)."""
    hh, g, ii, jj = grid(100, 100, step=20)
    lab = pd.Series([f"U{x:04d}" for x in (ii // 10) * 20 + jj // 5], index=hh.index)
    res = check_plan(hh, lab, Rules(40, 60), graph=g, unapplied=False)
    assert res.passed and len(res.units) == 200
    lab.iloc[0] = "U0199"
    res = check_plan(hh, lab, Rules(40, 60), graph=g, unapplied=False)
    assert codes(res) == ["PLAN-NONCONTIG"]


def _one_language(res, data=()) -> None:
    """Every violation's zh message holds no English word (codes, ids, option names and what it quotes to be
    typed as it stands, “Rules(…, nest_by=())”, aside), the en one no Han character (``data`` values aside)."""
    import re

    for zh, en in zip(res.violations["message_zh"], res.violations["message_en"], strict=True):
        for value in data:
            zh, en = zh.replace(value, " "), en.replace(value, " ")
        zh = re.sub(r"“[\x20-\x7e…]*”", " ", zh)
        zh = re.sub(r"\b[A-Z]\w*\(…[^)]*\)+", " ", zh)  # a call to be typed, bare (code with quotes of its own)
        rest = re.sub(r"yuanluo [a-z]+|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|\b[hz]{1,2}\d+\b|\b[a-z]+(?:[._-][a-z0-9]+)+\b", " ", zh)
        assert not re.findall(r"[A-Za-z]{2,}", rest), zh
        assert not re.search(r"[\u4e00-\u9fff]", en), en


def test_messages_read_in_one_language():
    """Structural findings, meeting points, sizes in persons, settlements, a blank group value and the rules the
    households have no column for."""
    hh, g, lab, ii, jj = base()
    lab2 = lab.drop(["h0000"])
    lab2["zz99"] = "A"
    lab2 = pd.concat([lab2, pd.Series({"h0500": "A"})])
    lab2["h0101"] = "  "
    res = check_plan(hh, lab2, Rules(13, 50), graph=g, meeting_points=pd.Series({"A": "h0401"}))
    assert {"PLAN-DUP-ASSIGN", "PLAN-ID", "PLAN-MEETING", "SIZE-LOW", "RULE-UNAPPLIED"} <= set(res.codes)
    _one_language(res)
    hh["persons"] = 2
    hh["settlement"] = np.where((ii >= 2) & (ii <= 3), "中湾", None)
    hh["group"] = np.where(ii == 5, None, "1")
    res = check_plan(hh, lab, Rules(10, 20, size_by="persons"), graph=g)
    assert {"SIZE-HIGH", "PLAN-SETTLEMENT-SPLIT", "PLAN-CROSS-GROUP"} <= set(res.codes)
    _one_language(res, data=["中湾"])


def test_heads_for_size_asks_two_candidates_of_a_large_unit():
    from shapely.geometry import Point

    ids = [f"h{i}" for i in range(6)]
    hh = gpd.GeoDataFrame({"head_candidate": [True, False, False, False, True, True]},
                          geometry=[Point(50 * i, 0) for i in range(6)], crs="EPSG:32631",
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, [[50 * i, 0] for i in range(6)], [(i, i + 1) for i in range(5)],
                                crs="EPSG:32631")
    lab = pd.Series(["A"] * 4 + ["B"] * 2, index=ids)
    assert check_plan(hh, lab, Rules(2, 4), graph=g, unapplied=False).passed
    res = check_plan(hh, lab, Rules(2, 4, heads_for_size=3), graph=g, unapplied=False)
    assert res.violations[["code", "unit_id"]].values.tolist() == [["PLAN-FEW-HEADS", "A"]]
    assert "4" in res.violations["message_en"].iloc[0]
