"""A roster of people (one row per person, 与户主关系, 户编号 repeated on each member's row: the audit's
按人花名册.xlsx) got ID-DUP for 203 rows with the fix "修改重复的编号后重新运行", which would turn family members into
households. With the relation column the repeats are ID-PERSONS, whose fix keeps the heads' rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.validate import check_ids, relation_column


def _roster() -> pd.DataFrame:
    rows = []
    for h, members in (("000175", ["户主", "子女", "子女", "配偶"]), ("000176", ["户主"]), ("000177", ["户主", "父母"])):
        rows += [{"户编号": h, "姓名": f"{h}-{k}", "与户主关系": rel} for k, rel in enumerate(members)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("lang", "title", "fix"), [
    ("zh", "这是按人登记的花名册（每人一行，与户主关系 列）：2 个户编号出现在多行，共 6 行",
     "每户只保留 与户主关系 为“户主”的一行：在 Excel 中按 与户主关系 筛选“户主”"),
    ("en", "this is a roster of people, one row per person (column 与户主关系): 2 household ids appear on several "
           "rows, 6 rows", "keep one row per household, the one whose 与户主关系 is '户主'")])
def test_person_roster_is_said_as_such(lang: str, title: str, fix: str) -> None:
    df = _roster()
    column = relation_column(df.columns)
    assert column == "与户主关系"
    found = check_ids(df["户编号"], np.arange(2, len(df) + 2), "按人花名册.xlsx", relation=df[column])
    assert [p.code for p in found] == ["ID-PERSONS"]
    assert found[0].rows == (2, 3, 4, 5, 7, 8)
    text = found[0].message(lang)
    assert title in text and fix in text, text
    assert "修改重复的编号" not in text and "fix the duplicates" not in text


def test_repeats_without_a_head_stay_duplicates() -> None:
    """Two households typed with one id, both 户主: a real duplicate, said as ID-DUP."""
    df = pd.DataFrame({"户编号": ["001", "001"], "与户主关系": ["户主", "户主"]})
    found = check_ids(df["户编号"], np.arange(2, 4), "h.xlsx", relation=df["与户主关系"])
    assert [p.code for p in found] == ["ID-DUP"]
