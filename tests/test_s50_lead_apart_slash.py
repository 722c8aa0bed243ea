"""Session 50, lead: the "apart" fix of a unit straddling groups names the group's own name whole.

PLAN-CROSS-VILLAGE / -GROUP's "apart" fix suggests putting the group in the unit's name (e.g. “一组一院落”). The example
took the text after the last "/" of the group's label, which is a path only where two groups share a name
(甲镇/新华村); a group whose own name holds a "/" (“一组/东片”) was cut to “东片一院落”, in the check and in the editor
(helper P's planner session). The example is now the group's own value, whole, in both."""

from __future__ import annotations

import pandas as pd
from shared_fixtures import chain

from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import _nest_levels

RULES = Rules(2, 12, nest_by=("group",), require_head=False, keep_settlements=False)


def _plan() -> tuple[object, object, pd.Series]:
    # 000-005 in 一组/东片, 006-011 in 二组/西片, each group's first units typed 一院落 (apart: 甲 between them)
    hh, g = chain(group=["一组/东片"] * 6 + ["二组/西片"] * 6)
    labels = pd.Series(["一院落"] * 4 + ["甲"] * 2 + ["一院落"] * 4 + ["乙"] * 2, index=hh.index.astype(str),
                       dtype="string")
    return hh, g, labels


def test_the_checks_example_keeps_a_slash_in_the_group_name() -> None:
    hh, g, labels = _plan()
    res = check_plan(hh, labels, RULES, graph=g, unapplied=False)
    v = res.violations[res.violations["code"] == "PLAN-CROSS-GROUP"]
    assert len(v) == 1
    zh = violation_message(v.iloc[0], "zh", body=True)
    en = violation_message(v.iloc[0], "en", body=True)
    assert "“一组/东片一院落”" in zh, zh
    assert "“一组/东片一院落”" in en, en


def test_the_editors_example_keeps_a_slash_in_the_group_name() -> None:
    hh, _, _ = _plan()
    (level,) = _nest_levels(hh, RULES, "zh")
    assert level["ex"] == ["一组/东片", "二组/西片"], level["ex"]
