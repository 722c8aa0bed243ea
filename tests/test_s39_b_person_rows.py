"""Session 39 (helper B): a roster of people (one row per person, 户编号 on every member's row) with no relation
column (与户主关系) was told ID-DUP, 'change the repeated ids', which would make family members households.

The rule (gis.validate.check_ids): the rows of each repeated id name different people (姓名 or 身份证号, none
blank, none twice) and agree on their household (户主姓名, 人口: at least one given, none differing) →
ID-PERSONS-ROWS, keep one row per household. Two households given one id (different 户主姓名), a row copied
twice (the same person), or nothing to tell their household by stay ID-DUP.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import run_cli

FAMILIES = (("000175", ["张大山", "李秀英", "张小明"]), ("000176", ["王二"]), ("000177", ["刘福", "刘老汉"]))


def _people(path: Path, *, head: bool = True, persons: bool = True) -> Path:
    rows = []
    for k, (h, members) in enumerate(FAMILIES):
        for m in members:
            row: dict[str, object] = {"户编号": h, "姓名": m}
            if head:
                row["户主姓名"] = members[0]
            if persons:
                row["人口"] = len(members)
            rows.append({**row, "经度": 106.51234 + 0.00123 * k, "纬度": 29.51234 + 0.00117 * k})
    pd.DataFrame(rows).to_excel(path, index=False)
    return path


def _validate(f: Path, lang: str) -> str:
    before = sorted(p.name for p in f.parent.iterdir())
    out = run_cli(["--lang", lang, "validate", str(f), "--crs", "EPSG:4490"], lang, code=2)
    assert sorted(p.name for p in f.parent.iterdir()) == before  # nothing written
    return out


@pytest.mark.parametrize(("lang", "said", "fix"), [
    ("zh", "这似乎是按人登记的花名册", "删除重复值"),
    ("en", "this looks like a roster of people", "Remove Duplicates")])
def test_roster_of_people_without_relation_column(tmp_path: Path, lang: str, said: str, fix: str) -> None:
    out = _validate(_people(tmp_path / "按人花名册.xlsx"), lang)
    assert "ID-PERSONS-ROWS" in out and said in out and fix in out and "ID-DUP" not in out, out
    assert "姓名" in out and "户主姓名" in out and "人口" in out and "户编号" in out
    assert ("Fix" in out) == (lang == "en") and ("处理办法" in out) == (lang == "zh")


@pytest.mark.parametrize("kept", [{"head": False}, {"persons": False}])
def test_one_household_column_is_enough(tmp_path: Path, kept: dict[str, bool]) -> None:
    out = _validate(_people(tmp_path / "p.xlsx", **kept), "en")
    assert "ID-PERSONS-ROWS" in out and "ID-DUP" not in out, out


def test_nothing_to_tell_the_household_by_stays_dup(tmp_path: Path) -> None:
    out = _validate(_people(tmp_path / "p.xlsx", head=False, persons=False), "en")
    assert "ID-DUP" in out and "ID-PERSONS" not in out, out


def test_two_households_given_one_id_stay_dup(tmp_path: Path) -> None:
    f = tmp_path / "hh.xlsx"
    pd.DataFrame({"户编号": ["000175", "000175", "000176"], "姓名": ["张大山", "李四", "王二"],
                  "户主姓名": ["张大山", "李四", "王二"], "人口": [3, 2, 1],
                  "经度": [106.51234, 106.51457, 106.51689], "纬度": [29.51234, 29.51311, 29.51422]}).to_excel(f, index=False)
    out = _validate(f, "zh")
    assert "ID-DUP" in out and "修改重复的编号" in out and "ID-PERSONS" not in out, out


def test_a_copied_row_stays_dup(tmp_path: Path) -> None:
    f = tmp_path / "hh.xlsx"
    pd.DataFrame({"户编号": ["000175", "000175", "000176"], "姓名": ["张大山", "张大山", "王二"],
                  "户主姓名": ["张大山", "张大山", "王二"], "人口": [3, 3, 1],
                  "经度": [106.51234, 106.51234, 106.51689], "纬度": [29.51234, 29.51234, 29.51422]}).to_excel(f, index=False)
    out = _validate(f, "en")
    assert "ID-DUP" in out and "ID-PERSONS" not in out, out
