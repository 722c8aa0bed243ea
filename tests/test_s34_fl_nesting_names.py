"""PLAN-CROSS-* names the nest groups a unit straddles as the nest key tells them apart: a unit of 新华村 of
甲镇 and 新华村 of 乙镇 straddles 甲镇/新华村 and 乙镇/新华村 (it said 新华村、新华村), and a unit of 一组 of
two villages names the two groups by their village (yuanluo.gis.keys.nest_labels)."""

from __future__ import annotations

import pandas as pd
from shared_fixtures import chain

from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules


def _messages(res, code):
    rows = res.violations[res.violations["code"] == code]
    return rows["message_zh"].tolist(), rows["message_en"].tolist()


def test_a_unit_of_two_towns_villages_of_one_name_names_both_by_town():
    hh, g = chain(乡镇=["甲镇"] * 3 + ["乙镇"] * 5, village=["新华村"] * 8, group=["一组"] * 8)
    res = check_plan(hh, pd.Series("A", index=hh.index), Rules(2, 10, require_head=False,
                                                               keep_settlements=False), graph=g)
    zh, en = _messages(res, "PLAN-CROSS-VILLAGE")
    assert len(zh) == 1
    assert "跨越了行政村（乙镇/新华村、甲镇/新华村）" in zh[0], zh[0]
    assert "(乙镇/新华村; 甲镇/新华村)" in en[0], en[0]  # check.values.sep: "; " since session 35 (was " / ")
    assert "编号 000、001、002" in zh[0]  # the minority: the three of 甲镇


def test_groups_of_one_name_in_two_villages_are_named_by_village_and_a_unique_name_alone():
    hh, g = chain(village=["新华村"] * 4 + ["胜利村"] * 4, group=["一组"] * 3 + ["二组"] + ["一组"] * 4)
    plan = pd.Series(["A"] * 2 + ["B"] * 6, index=hh.index)  # B: 新华村 一组, 二组 and 胜利村 一组
    res = check_plan(hh, plan, Rules(1, 10, nest_by=("group",), require_head=False, keep_settlements=False),
                     graph=g)
    zh, _ = _messages(res, "PLAN-CROSS-GROUP")
    assert len(zh) == 1 and "院落 B" in zh[0]
    # 二组 names one group only: shown alone; 一组 names two: each by its village
    assert "（新华村/一组、新华村/二组、胜利村/一组）" not in zh[0]
    assert "跨越了村民小组（新华村/一组、二组、胜利村/一组）" in zh[0], zh[0]


def test_the_editor_names_the_straddled_groups_as_the_check_does():
    """The editor's live check shows the check's sentence: its names per nest key are the check's."""
    from yuanluo.maps.editor import _nest_levels

    hh, _ = chain(乡镇=["甲镇"] * 3 + ["乙镇"] * 5, village=["新华村"] * 4 + ["胜利村"] * 4,
                  group=["一组"] * 2 + [None] * 2 + ["一组"] * 4)
    levels = _nest_levels(hh, Rules(2, 10), "zh")
    assert [lv["col"] for lv in levels] == ["village", "group"]
    # keys in sorted order of (town, village[, group]); a name of one group alone, a blank cell blank
    assert levels[0]["vals"] == ["乙镇/新华村", "胜利村", "甲镇/新华村"]
    assert levels[1]["vals"] == ["（空白）", "乙镇/胜利村/一组", "（空白）", "甲镇/新华村/一组"]
