"""SIZE-EXCEPTION says what cuts an isolated unit off from the column its links differ in first: check compared
each nest_by column on its own, so a settlement of 甲镇/新华村 whose only neighbours are in 乙镇/新华村 (another
settlement) was said to be kept apart by the settlement nesting (drop "settlement" from nest_by) when the village
boundary cuts it off. Each column is now the nest key up to it (gis.delineate.result._nest_codes does so)."""

from __future__ import annotations

import pandas as pd
from shared_fixtures import chain

from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules


def _exception(hh, g, plan):
    res = check_plan(hh, plan, Rules(4, 10, nest_by=("village", "settlement"), require_head=False), graph=g)
    rows = res.violations[res.violations["code"] == "SIZE-EXCEPTION"]
    assert rows["unit_id"].tolist() == ["A"]
    return rows["message_zh"].iloc[0], rows["message_en"].iloc[0]


def test_a_settlement_cut_off_by_the_town_boundary_is_cut_off_by_the_village():
    hh, g = chain(乡镇=["甲镇"] * 2 + ["乙镇"] * 6, village=["新华村"] * 8, settlement=["上院"] * 2 + ["下院"] * 6)
    zh, en = _exception(hh, g, pd.Series(["A"] * 2 + ["B"] * 6, index=hh.index))
    assert "相邻的住户都属于别的行政村或村民小组" in zh and "another village or villager group" in en, en
    assert "nest units in settlements" not in en


def test_a_settlement_cut_off_by_another_settlement_of_its_village_is_said_so():
    hh, g = chain(乡镇=["甲镇"] * 8, village=["新华村"] * 8, settlement=["上院"] * 2 + ["下院"] * 6)
    _, en = _exception(hh, g, pd.Series(["A"] * 2 + ["B"] * 6, index=hh.index))
    assert "nest units in settlements" in en, en
