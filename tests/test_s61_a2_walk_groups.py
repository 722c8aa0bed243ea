"""A household is remote under a walking limit only where no unit of its own nest group can hold it within the limit
(session 61, helper A, round 2).

``gis.check.walk_unavoidable`` proved a household remote where within the limit of it lies no household whose own
reach holds the band's minimum, counting every household and walking across every edge. Under nesting a unit holds
one group and walks inside itself, so the households of another group neither count nor carry a walk: a household
of group A at the far end of group B's street, tied to its own group by a long path only, could be held within the
limit by B's households, which no unit of A may take. The check called it PLAN-WALK-LIMIT, an error no plan under the
rules can mend (on the Andorra case AD0767 and AD0768 of U021, which the repair proved so). The proof is now one
function, ``gis.check.walk_unserved``, which the check, the delineation, the editor and the repair's walks no move can
mend (``gis.repair._walk_far``) share.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from browser import browser_unavailable_reason, open_in_chromium
from shared_fixtures import walk_far_street

from yuanluo import build_graph
from yuanluo.gis.check import check_plan, walk_unavoidable, walk_unserved
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import render_reason
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor

STEP = 50.0  # metres between neighbours, walked in 0.7 min


def _street(groups: bool = True) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """Group A: A0–A5 on a row; group B: B0–B7 on a row beyond them; F, of group A, at B's far end, next to B7 and
    tied to A5 by a long path (20 minutes) as well."""
    ids = [f"A{i}" for i in range(6)] + [f"B{i}" for i in range(8)] + ["F"]
    xy = [[STEP * i, 0.0] for i in range(15)]
    edges = [(i, i + 1) for i in range(14)] + [(5, 14)]
    minutes = [0.7] * 14 + [20.0]
    g = TerrainGraph.from_edges(ids, xy, edges, crs="EPSG:4545", walk_min=minutes)
    grp = ["一组"] * 6 + ["二组"] * 8 + ["一组"] if groups else ["一组"] * 15
    hh = gpd.GeoDataFrame({"village": ["新华村"] * 15, "group": grp}, index=pd.Index(ids, name="hid"),
                          geometry=gpd.points_from_xy(*zip(*xy, strict=True)), crs="EPSG:4545")
    return hh, g


RULES = Rules(5, 10, nest_by=("village", "group"), max_walk_min=3.0)


def test_a_household_its_own_group_cannot_hold_is_remote_though_the_other_group_could() -> None:
    """F walks 0.7 min to B7, and within 3 min of B6 lie B2–B7 and F (7 ≥ 5): a unit could hold F within the limit,
    but only with B's households. Its own group it reaches only over the 20-minute path: remote. A0–A5 and B's are
    not; without groups F is not either (the same street, one group: B6 serves it). Fails on the old code (F not
    remote)."""
    hh, g = _street()
    pos = np.arange(15)
    got = walk_unavoidable(hh, RULES, g, pos, np.ones(15), pos)
    assert got.tolist() == [False] * 14 + [True]
    one, g1 = _street(groups=False)
    assert not walk_unavoidable(one, RULES, g1, pos, np.ones(15), pos).any()


def test_the_check_calls_its_walk_an_exception_not_an_error() -> None:
    """The plan: U1 = A0–A5 and F (7, its meeting point A2), U2 = B0–B7 (8, B4). F walks 20 + 2.1 min to A2:
    WALK-EXCEPTION (a warning), not PLAN-WALK-LIMIT; the plan passes. On the old code PLAN-WALK-LIMIT, an error."""
    hh, g = _street()
    plan = pd.Series(["U1"] * 6 + ["U2"] * 8 + ["U1"], index=hh.index, name="unit_id")
    meet = pd.Series({"U1": "A2", "U2": "B4"})
    res = check_plan(hh, plan, RULES, graph=g, meeting_points=meet)
    v = res.violations
    assert v.loc[v["unit_id"] == "U1", "code"].tolist() == ["WALK-EXCEPTION"], v[["code", "unit_id", "hids"]]
    assert "PLAN-WALK-LIMIT" not in set(v["code"]) and res.passed
    # its sentence says the proof of its group (variant group), in each language alone
    zh, en = v.loc[v["unit_id"] == "U1", ["message_zh", "message_en"]].iloc[0]
    assert "没有哪户同组农户（按嵌套分组）能让同组 5 户都在 3 分钟内走到其家" in zh, zh
    assert ("within 3 min of it lies no household of its nesting group that 5 households of that group can all "
            "reach within 3 min") in en, en
    assert not any("\u4e00" <= c <= "\u9fff" for c in en)
    # F put in B's unit instead keeps its walk, but breaks the nesting rule: the exception is the plan's best
    wrong = pd.Series(["U1"] * 6 + ["U2"] * 8 + ["U2"], index=hh.index, name="unit_id")
    bad = check_plan(hh, wrong, RULES, graph=g, meeting_points=meet).violations
    assert "PLAN-CROSS-GROUP" in set(bad["code"]) and "WALK-EXCEPTION" not in set(bad["code"])


def test_the_delineation_says_it_proven_and_passes_its_own_check() -> None:
    """The delineator under the same rules puts F with A (nesting) beyond the limit and calls the unit's WALK-LIMIT
    proven (the check's proof), and its own check passes. On the old code: not proven, and the check's DECLARED-
    EXCEPTION in place of WALK-EXCEPTION."""
    hh, g = _street()
    d = UnitDelineator.from_rules(RULES, random_state=0).fit(hh, g)
    units = d.units_
    row = units[units["code"] == "WALK-LIMIT"]
    assert len(row) == 1, units[["unit_id", "code"]]
    params = json.loads(row["reason_params"].iloc[0])
    assert params["proof"] == "remote" and params["by_group"] is True, params
    zh, en = (render_reason("WALK-LIMIT", params, lang) for lang in ("zh", "en"))
    assert zh.endswith("；已证明无法避免：从这些户出发 3 分钟内，没有哪户同组农户（按嵌套分组）能让同组 5 户都在 3 分钟内"
                       "走到其家，含有它们的院落无论怎样划分都不能让每户都在步行上限内"), zh
    assert en.endswith("; proven unavoidable: within 3 min of each of them lies no household of its nesting group "
                       "that 5 households of that group can all reach within 3 min, so no unit holding them can keep "
                       "every member within the limit"), en
    res = d.check(hh, g)
    v = res.violations
    assert res.passed, v[["code", "unit_id", "hids"]]
    assert v.loc[v["unit_id"] == row["unit_id"].iloc[0], "code"].tolist() == ["WALK-EXCEPTION"]


def test_walk_unserved_walks_within_one_group() -> None:
    """The shared proof over a matrix of walks (as the repair calls it over a region): s of group 0 reaches m of its
    group in 2 min only through x of group 1; m has its group's 3 (m, s, t) within the limit only so. Walking within
    one group s reaches nothing within 2 min: unserved; every node of one group: served."""
    # nodes: s, x, m, t; s–x 1 min, x–m 1 min, s–m 5 min, m–t 1 min
    u, v, w = [0, 1, 0, 2], [1, 2, 2, 3], [1.0, 1.0, 5.0, 1.0]
    a = sp.csr_matrix((w + w, (u + v, v + u)), shape=(4, 4))
    src = np.array([0])
    assert walk_unserved(a, src, np.array([0, 1, 0, 0]), np.ones(4), 2.0, 3).tolist() == [True]
    assert walk_unserved(a, src, np.zeros(4, dtype=np.int64), np.ones(4), 2.0, 3).tolist() == [False]


def test_round_one_street_the_check_excuses_and_the_repair_mends_the_rest() -> None:
    """Session 61 round 1's street (tests/test_s61_a_walk_far_waived.py): H05 of group A, 260 m past its group, next to
    group B. The check called its walk PLAN-WALK-LIMIT, and the repair proved it unmendable; the check now proves it
    remote (WALK-EXCEPTION), and the repair mends U2's missing head (H10, H11 into U2) and leaves no error. On the old
    code PLAN-WALK-LIMIT is left."""
    hh, labels, rules = walk_far_street()
    points = pd.Series({"U1": "H01", "U2": "H09", "U3": "H13"})
    g = build_graph(hh, max_walk_min=10.0)
    v = check_plan(hh, labels, rules, graph=g, meeting_points=points).violations
    assert sorted(zip(v["code"], v["unit_id"], strict=True)) == [("PLAN-NO-HEAD", "U2"), ("WALK-EXCEPTION", "U1")]
    res = repair_plan(hh, labels, rules, g, meeting_points=points)
    assert sorted(res.moves["hid"]) == ["H10", "H11"] and set(res.moves["to_unit"]) == {"U2"}
    assert res.check is not None and res.check.passed
    left = res.check.violations
    assert list(zip(left["code"], left["unit_id"], strict=True)) == [("WALK-EXCEPTION", "U1")]


@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_says_it_as_the_check_does(tmp_path: Path, lang: str) -> None:
    """The editor's page of the street and plan above: U1's walk is WALK-EXCEPTION with the check's sentence of the
    group (its twin in editor.js, the variant group where households nest), a warning. On the old code the page
    said PLAN-WALK-LIMIT."""
    hh, g = _street()
    plan = pd.Series(["U1"] * 6 + ["U2"] * 8 + ["U1"], index=hh.index, name="unit_id")
    meet = pd.Series({"U1": "A2", "U2": "B4"})
    want = check_plan(hh, plan, RULES, graph=g, meeting_points=meet).violations
    row = want[want["code"] == "WALK-EXCEPTION"].iloc[0]
    page = tmp_path / "edit.html"
    page.write_text(render_editor(editor_payload({"households": hh}, plan, RULES, g, meeting_points=meet,
                                                 lang=lang)), encoding="utf-8")
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editor",
                           evaluate={"v": "window.yuanluo.editor.violations()"}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    got = [v for v in rep.counts["v"] if v["unit"] == "U1"]
    assert [(v["code"], v["severity"]) for v in got] == [("WALK-EXCEPTION", "warning")], got
    said = row["message_zh" if lang == "zh" else "message_en"].split("\n")[0]  # "警告 WALK-EXCEPTION：院落 U1 …"
    page_said = got[0]["text"]  # begun as a sentence: "Unit U1 …"
    assert said.endswith(page_said[0].lower() + page_said[1:]), (said, page_said)
    assert ("没有哪户同组农户" if lang == "zh" else "of its nesting group") in got[0]["text"]
