"""gis.keys.nest_labels keeps a blank cell blank: numpy compared the object array with "\\x00" as with "" (it
drops trailing NULs from a str scalar), so a blank group standing in two villages was named by its village path
(甲镇/新华村, as if a village) instead of blank, and the check's sentence would show it so."""

from __future__ import annotations

import pandas as pd

from yuanluo.gis.keys import BLANK, nest_labels


def test_a_blank_group_in_two_villages_stays_blank():
    hh = pd.DataFrame({"village": ["新华村", "新华村", "胜利村", "胜利村"], "group": [None, "一组", " ", "二组"]})
    assert nest_labels(hh, ["village", "group"]).tolist() == [BLANK, "一组", BLANK, "二组"]

