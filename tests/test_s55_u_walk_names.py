"""Session 55, helper U (round 2, the exceptions a planner is handed): a delineation's WALK-LIMIT reason said how
many households walk beyond the limit and the farthest minutes, never which households they are, while
``yuanluo check`` names them for the same unit (WALK-EXCEPTION, PLAN-WALK-LIMIT, DECLARED-EXCEPTION: "：编号
OR0148、OR0264"). A planner reading the GeoPackage's ``reason``, the --xlsx plan, the console or the map's card had
to find them by sorting the households by their walk. The reason now names them as check does (the first five,
then how many in all), for a WALK-LIMIT unit and for an exception for another reason beyond the limit too; a
result written before names none and reads as it did.
"""

from __future__ import annotations

import json

from tests.test_s32_fk_walk_proof import _line  # a row of households on one street
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import render_reason
from yuanluo.gis.rules import Rules


def test_a_walk_limit_reason_names_the_households_check_names() -> None:
    """A row of 7 households 1.4 minutes apart, a 3-minute limit, a band of 6–10: one unit, its two ends beyond."""
    hh, g = _line(7, 93.0)
    d = UnitDelineator.from_rules(Rules(6, 10, max_walk_min=3.0, require_head=False), random_state=0).fit(hh, g)
    (row,) = d.units_.to_dict("records")
    params = json.loads(row["reason_params"])
    assert row["code"] == "WALK-LIMIT" and params["hids"] == ["H0", "H6"], row
    found = d.check(hh, g).violations
    (walk,) = found[found["unit_id"] == row["unit_id"]].to_dict("records")
    assert walk["code"] == "WALK-EXCEPTION" and sorted(walk["hids"]) == params["hids"]
    zh, en = (render_reason(row["code"], params, lang) for lang in ("zh", "en"))
    assert "（最远 4.2 分钟）：编号 H0、H6；已证明无法避免" in zh, zh
    assert "(farthest 4.2 min): ids H0, H6; proven unavoidable" in en, en
    assert "编号 H0、H6" in walk["message_zh"] and "H0, H6" in walk["message_en"]  # check says the same ids
    assert row["reason"] == zh
    problem = next(p for p in d.problems_ if p.code == "WALK-LIMIT")  # the console's line of it
    assert "：编号 H0、H6；" in problem.message("zh") and ": ids H0, H6; " in problem.message("en")


def test_many_are_named_as_check_names_many_and_an_old_file_names_none() -> None:
    params = {"why": "walk_limit", "beyond": 7, "meeting": "H9", "limit": 4.0, "worst": "8.6", "size": 18,
              "what": "households", "lo": 15, "hi": 25, "total": 43, "proof": "unproven"}
    hids = [f"H{i:02d}" for i in range(7)]
    zh, en = (render_reason("WALK-LIMIT", {**params, "hids": hids}, lang) for lang in ("zh", "en"))
    assert "（最远 8.6 分钟）：编号 H00、H01、H02、H03、H04 等，共 7 个；未能证明" in zh, zh
    assert "(farthest 8.6 min): ids H00, H01, H02, H03, H04 and more, 7 in all; not proven" in en, en
    old_zh, old_en = (render_reason("WALK-LIMIT", params, lang) for lang in ("zh", "en"))
    assert "（最远 8.6 分钟）；未能证明" in old_zh and "编号" not in old_zh
    assert "(farthest 8.6 min); not proven" in old_en and "ids" not in old_en
