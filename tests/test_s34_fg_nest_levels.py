"""A villager group belongs to its village and a village to its town (yuanluo.gis.keys): 新华村 of 甲镇 and
新华村 of 乙镇 are two villages, 一组 of 新华村 and 一组 of 胜利村 two groups even when nest_by names the group
only, and two villages of one name with different division codes two villages. The delineator, the check, the
repair and the invariants follow it (all through nest_key)."""

from __future__ import annotations

import pandas as pd
import pytest
from shared_fixtures import chain

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.result import _nest_codes
from yuanluo.gis.errors import InvariantError
from yuanluo.gis.invariants import verify_delineation
from yuanluo.gis.keys import nest_key
from yuanluo.gis.rules import Rules

TWO_TOWNS = {"乡镇": ["甲镇"] * 4 + ["乙镇"] * 4, "village": ["新华村"] * 8, "group": ["一组"] * 8}


@pytest.mark.parametrize("nest_by", [("village", "group"), ("village",), ("group",)])
def test_one_village_name_in_two_towns_is_two_villages(nest_by):
    hh, g = chain(**TWO_TOWNS)
    key = nest_key(hh, nest_by)
    assert len(set(key[:4])) == 1 and len(set(key[4:])) == 1 and key[0] != key[4]
    one = pd.Series("A", index=hh.index)
    res = check_plan(hh, one, Rules(2, 10, nest_by=nest_by), graph=g)
    assert {"PLAN-CROSS-VILLAGE", "PLAN-CROSS-GROUP"} & set(res.codes)
    with pytest.raises(InvariantError):
        verify_delineation(hh, g, one, pd.Series("ok", index=hh.index), (2, 10), nest_by)
    lab = UnitDelineator(2, 10, nest_by=nest_by, require_head=False, keep_settlements=False,
                         exact=False).fit(hh, g).labels_
    assert set(lab.iloc[:4]).isdisjoint(set(lab.iloc[4:]))


def test_a_town_column_under_another_name_and_the_division_code_are_levels():
    from yuanluo.gis.keys import key_columns

    hh, _ = chain(**{"街道": ["甲"] * 2 + ["乙"] * 2, "village": ["新华村"] * 4, "group": ["1"] * 4})
    assert key_columns(hh, ["group"]) == ["街道", "village", "group"]
    assert len(set(nest_key(hh, ["group"]))) == 2
    # one town, one village name, two codes: two villages
    hh, g = chain(**{"乡镇": ["甲镇"] * 6, "行政村代码": ["500113101001"] * 3 + ["500113101002"] * 3,
                     "village": ["新华村"] * 6, "group": ["一组"] * 6})
    assert key_columns(hh, ["village", "group"]) == ["乡镇", "行政村代码", "village", "group"]
    res = check_plan(hh, pd.Series("A", index=hh.index), Rules(2, 10), graph=g)
    assert "PLAN-CROSS-VILLAGE" in res.codes


def test_group_only_nesting_keeps_the_groups_of_two_villages_apart():
    """nest_by = ["村民小组"]: 二组 of 新华村 and 二组 of 胜利村 were one group, so a unit of both passed."""
    hh, g = chain(village=["新华村"] * 6 + ["胜利村"] * 2, group=["二组"] * 8)
    plan = pd.Series("A", index=hh.index)
    res = check_plan(hh, plan, Rules(2, 10, nest_by=("村民小组",)), graph=g)
    assert "PLAN-CROSS-GROUP" in res.codes
    assert res.violations.loc[res.violations["code"] == "PLAN-CROSS-GROUP", "unit_id"].tolist() == ["A"]
    lab = UnitDelineator(2, 10, nest_by=("group",), require_head=False, keep_settlements=False,
                         exact=False).fit(hh, g).labels_
    assert set(lab.iloc[:6]).isdisjoint(set(lab.iloc[6:]))


def test_the_delineation_reasons_name_the_village_that_cuts():
    """The reason codes per nest column are the key up to that column: the village column tells 新华村 of 甲镇
    from 新华村 of 乙镇 (per-column names said they were one village and named no column)."""
    hh, _ = chain(**TWO_TOWNS)
    codes = dict(_nest_codes(hh, ("village", "group")))
    assert codes["village"][0] != codes["village"][4]


def test_labels_tell_two_towns_villages_apart_and_keep_plain_names_plain():
    """For messages (the check's PLAN-CROSS-VILLAGE said 新华村 / 新华村): the path where a name is ambiguous."""
    from yuanluo.gis.keys import BLANK, nest_labels

    hh, _ = chain(**{"乡镇": ["甲镇", "甲镇", "乙镇", "乙镇"], "village": ["新华村", "胜利村", "新华村", None],
                     "group": ["一组", "一组", "一组", "一组"]})
    assert nest_labels(hh, ["village"]).tolist() == ["甲镇/新华村", "胜利村", "乙镇/新华村", BLANK]
    assert nest_labels(hh, ["group"]).tolist()[:3] == ["甲镇/新华村/一组", "甲镇/胜利村/一组", "乙镇/新华村/一组"]
