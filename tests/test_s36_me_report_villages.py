"""The reports' village line (check --report, cover --report: planners.report.village_names) sorted the village
labels as strings, so two towns' villages interleaved: 乙镇/新华村、光明村、甲镇/新华村 where 光明村 is 甲镇's.
They now follow the nest keys, town first (session 36)."""

from __future__ import annotations

import pandas as pd

from yuanluo.planners.report import village_names, villages_of


def test_one_towns_villages_stand_together() -> None:
    hh = pd.DataFrame({"乡镇": ["甲镇", "甲镇", "甲镇", "乙镇", "乙镇"],
                       "village": ["新华村", "光明村", "红星村", "新华村", "长江村"]})
    # in the roster's order (session 37: the towns and their villages as the file names them, not by name)
    assert village_names(hh, at_most=9) == ("甲镇/新华村", "光明村", "红星村", "乙镇/新华村", "长江村")
    assert villages_of(hh, at_most=2) == "甲镇/新华村、光明村…"


def test_without_a_town_the_names_follow_the_roster() -> None:
    hh = pd.DataFrame({"village": ["红星村", "光明村", None, "新华村", "光明村"]})
    assert village_names(hh, at_most=9) == ("红星村", "光明村", "新华村")  # by name until session 37
