"""A unit without its head names the nearest candidate head outside it (issue 13, session 56, helper H).

A unit left HEAD-SHORT or HEAD-UNPLACED by the delineation, or found HEAD-EXCEPTION / PLAN-NO-HEAD by ``check``,
said only that no candidate was there; the planner's next question is who could head it. Its reason now names the
nearest candidate head outside it (household id), that candidate's unit, the walk from it to this unit's meeting
point (the centre where a plan gives none), and whether its unit has one to spare — one sentence in the GeoPackage
reason, the console's finding and check's (``gis.delineate.heads.nearest_candidates``, ``reasons.near_clause``).

Fixture: households in a row on one street, 93 m apart (1.395 minutes each way on the flat), band 10–10: two
units, H00–H09 and H10–H19; the candidates in the second.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from unittest import mock

import geopandas as gpd
import pandas as pd
import pytest

import yuanluo.gis.cluster as cluster
from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import complete, reasons_in, render_reason
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

sys.path.insert(0, str(Path(__file__).parent))
from test_s42_c_lock_unplaced import _fit as _fit_locked  # noqa: E402

STEP = 1.395  # minutes between neighbours, 93 m on the flat


def _row(n: int, heads: tuple[int, ...], metres: float = 93.0, groups: list[str] | None = None
         ) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"H{i:02d}" for i in range(n)]
    xy = [[metres * i, 0.0] for i in range(n)]
    cols = {"head_candidate": pd.Series([i in heads for i in range(n)], index=ids, dtype=object)}
    if groups is not None:
        cols["group"] = pd.Series(groups, index=ids, dtype=object)
    hh = gpd.GeoDataFrame(cols, index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
                          crs="EPSG:4545")
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")


def _fit(hh: gpd.GeoDataFrame, g: TerrainGraph, **kw: object) -> UnitDelineator:
    kw = {"nest_by": [], "keep_settlements": False} | kw
    return UnitDelineator(min_size=10, max_size=10, random_state=0, **kw).fit(hh, g)


def _first(d: UnitDelineator) -> tuple[dict, dict]:
    row = d.units_.set_index("unit_id").loc["U001"]
    return row.to_dict(), json.loads(row["reason_params"])


def test_head_short_names_the_candidate_of_the_next_unit_and_its_walk() -> None:
    """One candidate in all (H15): U001 is HEAD-SHORT; H15 of U002, 11 steps from U001's meeting point H04
    (11 × 1.395 = 15.345 minutes, said 15.3); U002 needs its one: none to spare."""
    hh, g = _row(20, (15,))
    assert g.walk_uv is not None and abs(float(g.walk_uv[0]) - STEP) < 1e-9
    d = _fit(hh, g)
    row, params = _first(d)
    assert row["code"] == "HEAD-SHORT" and row["meeting_hid"] == "H04", row
    assert {k: v for k, v in params.items() if k.startswith("near_")} == {
        "near_hid": "H15", "near_unit": "U002", "near_min": "15.3", "near_heads": 1, "near_spare": 0,
        "near_meet": "H04", "near_to": "meeting"}
    zh = "；本院落外最近的院落长候选人是院落 U002 的 H15，步行 15.3 分钟到本院落议事点 H04，U002 有院落长候选人 1 名，没有富余"
    en = ("; the nearest head candidate outside the unit is H15 of unit U002, 15.3 min walk to this unit's meeting "
          "point H04, and U002 has 1 head candidate, none to spare")
    assert row["reason"].endswith(zh), row["reason"]
    assert render_reason(row["code"], params, "en").endswith(en)
    finding = next(q for q in d.problems_ if q.code == "HEAD-SHORT")
    assert f"{zh}）。" in finding.message("zh") and f"{en})." in finding.message("en")
    # check says the same household, unit and minutes: to the delineation's meeting point, and, with no meeting
    # points given, to the unit's centre (the same household here)
    found = d.check(hh, g).violations.set_index("unit_id").loc["U001"]
    assert found["code"] == "HEAD-EXCEPTION" and found["message_zh"].split("\n")[0].endswith(zh + "。")
    assert found["message_en"].split("\n")[0].endswith(en + ".")
    plain = check_plan(hh, d.labels_, Rules(10, 10, nest_by=(), keep_settlements=False, require_head=True),
                       graph=g).violations.set_index("unit_id").loc["U001"]
    assert "步行 15.3 分钟到本院落中心（住户 H04），U002 有院落长候选人 1 名，没有富余。" in plain["message_zh"]
    assert "15.3 min walk to this unit's centre, household H04, and U002 has 1 head candidate" in plain["message_en"]


def test_a_unit_with_a_candidate_to_spare_says_so() -> None:
    """Candidates H15 and H17, both in U002 (proven: no 10–10 split gives U001 one): the nearest, H15, of a unit
    with two where it needs one."""
    hh, g = _row(20, (15, 17))
    d = _fit(hh, g)
    row, params = _first(d)
    assert row["code"] == "HEAD-SHORT" and params["why"] == "head_proven", params
    assert (params["near_hid"], params["near_heads"], params["near_spare"]) == ("H15", 2, 1)
    assert row["reason"].endswith("U002 有院落长候选人 2 名，可抽调 1 名")
    assert render_reason(row["code"], params, "en").endswith("and U002 has 2 head candidates, 1 to spare")
    found = d.check(hh, g).violations.set_index("unit_id").loc["U001"]
    assert "H15，步行 15.3 分钟到本院落议事点 H04，U002 有院落长候选人 2 名，可抽调 1 名。" in found["message_zh"]


def test_plan_no_head_names_it_too_and_keeps_its_area_fix() -> None:
    """A plan of three units of ten on a row of 30 with candidates H25 and H27: the area needs three and has two,
    so one unit may lack one; the plan leaves two without (U1, U2): PLAN-NO-HEAD, its fix the area's; each names
    the nearest candidate, H25 of U3 (two, one to spare), walking to its centre."""
    hh, g = _row(30, (25, 27))
    plan = pd.Series([f"U{1 + i // 10}" for i in range(30)], index=hh.index)
    v = check_plan(hh, plan, Rules(10, 10, nest_by=(), keep_settlements=False, require_head=True),
                   graph=g).violations
    nohead = v[v["code"] == "PLAN-NO-HEAD"].set_index("unit_id")
    assert sorted(nohead.index) == ["U1", "U2"]
    u2 = nohead.loc["U2", "message_zh"]
    # U2's centre is H14 (ties by the smaller total, then hid): 11 steps to H25
    assert u2.split("\n")[0] == ("错误 PLAN-NO-HEAD：院落 U2（10 户）没有院落长候选人；本院落外最近的院落长候选人是院落 U3 的 H25，"
                                 "步行 15.3 分钟到本院落中心（住户 H14），U3 有院落长候选人 2 名，可抽调 1 名。"), u2
    assert "至多可有 1 个院落缺院落长候选人" in u2  # the area's fix, as before
    assert "is H25 of unit U3, 29.3 min walk to this unit's centre, household H04" in nohead.loc["U1", "message_en"]


def test_head_unplaced_names_a_locked_units_candidate_by_its_own_walk() -> None:
    """The grid of ``test_s42_c_lock_unplaced``: U002 (rows 4–8) HEAD-UNPLACED beside the locked L (rows 2–3,
    holding the candidate 010). The sub-problem sees neither L nor the paths through it; the reason is found on the
    whole plan: 010 of L, three steps of 100 m (1.5 minutes each) from U002's meeting point 019."""
    model = _fit_locked()
    units = model.units_.set_index("unit_id")
    params = json.loads(units.loc["U002", "reason_params"])
    assert units.loc["U002", "code"] == "HEAD-UNPLACED"
    assert (params["near_hid"], params["near_unit"], params["near_min"], params["near_spare"]) == ("010", "L", "4.5", 0)
    finding = next(q for q in model.problems_ if q.code == "HEAD-UNPLACED")
    assert "本院落外最近的院落长候选人是院落 L 的 010，步行 4.5 分钟到本院落议事点 019，L 有院落长候选人 1 名，没有富余；原因可能在于锁定" \
        in finding.message("zh")
    assert "the nearest head candidate outside the unit is 010 of unit L, 4.5 min walk" in finding.message("en")


def test_none_within_the_walk_or_in_another_group_says_nothing_more() -> None:
    """Households 600 m apart (9 minutes): H15 is 99 minutes from U001's meeting point, beyond the 30 searched;
    and a candidate of another villager group is no candidate for this unit."""
    hh, g = _row(20, (15,), metres=600.0)
    d = _fit(hh, g)
    row, params = _first(d)
    assert row["code"] == "HEAD-SHORT" and not any(k.startswith("near_") for k in params)
    assert "最近的院落长候选人" not in row["reason"]
    assert "nearest" not in d.check(hh, g).violations.set_index("unit_id").loc["U001", "message_en"]
    hh, g = _row(20, (15,), groups=["一组"] * 10 + ["二组"] * 10)
    d = _fit(hh, g, nest_by=["group"])
    row, params = _first(d)
    assert row["code"] == "HEAD-SHORT" and "near_hid" not in params


def test_an_old_files_reason_reads_as_before() -> None:
    """A result written before the nearest candidate was recorded: no clause, and its parameters still complete;
    a hand-edited cell lacking one of the clause's values reads the file's own reason."""
    old = {"size": 10, "heads": 0, "need": 1, "why": "head_unplaced", "total": 45, "lo": 8, "hi": 14,
           "what": "households"}
    assert complete(old, "en") and "nearest" not in render_reason("HEAD-UNPLACED", old, "en")
    edited = old | {"near_hid": "H1", "near_unit": "U2", "near_heads": 1, "near_spare": 0, "near_meet": "H3",
                    "near_to": "meeting"}  # near_min lost
    t = pd.DataFrame({"code": ["HEAD-UNPLACED"], "reason": ["own"], "reason_params": [json.dumps(edited)]})
    assert reasons_in(t, "en")[0] == "own"
    assert "H1 of unit U2, 2.5 min walk" in reasons_in(t.assign(reason_params=[json.dumps(edited | {"near_min": "2.5"})]),
                                                       "en")[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_clause_has_no_other_languages_words(lang: str) -> None:
    hh, g = _row(20, (15, 17))
    row, params = _first(_fit(hh, g))
    said = render_reason(row["code"], params, lang)
    han = any("\u4e00" <= ch <= "\u9fff" for ch in said)
    assert han is (lang == "zh") and ("{" not in said)


def test_head_unplaced_and_its_declared_check_say_it_once() -> None:
    """A grid 3 wide and 15 deep, 100 m apart (1.5 minutes a step), band 8–14, candidates 024, 029, 031, 036, the
    exact head search limited to 1 node and no LP re-allocation after the head stage: U001 (rows 0–4) HEAD-UNPLACED,
    its meeting point 007 seven steps from 024 of U002 (10.5 minutes). Its check against the result
    (DECLARED-EXCEPTION) says the candidate once, in the declared reason, not again in the rule's own sentence
    before it."""
    w, h, heads = 3, 15, (24, 29, 31, 36)
    ids = [f"{i:03d}" for i in range(w * h)]
    xy = [[x * 100.0, y * 100.0] for y in range(h) for x in range(w)]
    edges = [(y * w + x, y * w + x + 1) for y in range(h) for x in range(w - 1)] + [
        (y * w + x, (y + 1) * w + x) for y in range(h - 1) for x in range(w)]
    hh = gpd.GeoDataFrame({"head_candidate": pd.Series([i in heads for i in range(w * h)], index=ids, dtype=object)},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
                          crs="EPSG:4545")
    g = TerrainGraph.from_edges(ids, xy, edges, crs="EPSG:4545")
    with mock.patch.object(cluster, "alloc_walk", lambda *a: set()):  # it would give U001 its head (session 58)
        d = UnitDelineator(min_size=8, max_size=14, random_state=0, head_exact_max_n=1, nest_by=[],
                           keep_settlements=False).fit(hh, g)
    row, params = _first(d)
    assert row["code"] == "HEAD-UNPLACED" and row["meeting_hid"] == "007", row
    assert (params["near_hid"], params["near_unit"], params["near_min"]) == ("024", "U002", "10.5")
    found = d.check(hh, g).violations.set_index("unit_id").loc["U001"]
    assert found["code"] == "DECLARED-EXCEPTION"
    for lang, said in (("zh", "本院落外最近的院落长候选人是院落 U002 的 024，步行 10.5 分钟到本院落议事点 007"),
                       ("en", "the nearest head candidate outside the unit is 024 of unit U002, 10.5 min walk")):
        assert found[f"message_{lang}"].count(said) == 1, found[f"message_{lang}"]
