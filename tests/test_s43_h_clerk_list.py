"""Session 43, helper H: the membership list clerks typed (所属院落 column of an Excel roster).

Audit (a 600-household village, the list numbering 院落 within each 村民小组, /tmp/s43/h/findings.md 4-5):
- "1院落", "第一院落", "第1院落" beside "一院落" were units of 1-3 households (82 violations: SIZE-LOW, PLAN-NO-HEAD,
  PLAN-NONCONTIG …) with no word that they are one name written several ways; only case was said (PLAN-UNIT-CASE).
  Now the warning PLAN-UNIT-VARIANT names them and their rows; they stay apart, as written.
- "一院落" of 一组, of 二组 and of 三组 were one unit of 132 households: PLAN-CROSS-GROUP said "minority households:
  84", with the fix "give these households to a unit of their own group". Where the unit's part in each group is
  a piece of its own, the fix now says that each group most likely numbered its own units with one name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import chain

from yuanluo.gis.check import check_plan
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules

UNITS = ["一院落"] * 4 + ["1院落", "第一院落"] + ["一院落"] * 6  # 000-005 一组, 006-011 二组 (a unit of each)


def _plan(tmp_path: Path, units: list[str]) -> Path:
    p = tmp_path / "花名册.csv"
    p.write_text("户编号,所属院落\n" + "".join(f"{i:03d},{u}\n" for i, u in enumerate(units)), encoding="gbk")
    return p


def test_unit_names_written_several_ways_are_said(tmp_path: Path) -> None:
    hh, _ = chain(group=["一组"] * 6 + ["二组"] * 6)
    got = read_plan_table(_plan(tmp_path, UNITS), hh)
    assert got.labels.tolist() == UNITS  # read as written: never merged behind the planner's back
    said = [p for p in got.problems if p.code == "PLAN-UNIT-VARIANT"]
    assert len(said) == 1 and said[0].severity == "warning"
    assert said[0].rows == (6, 7) and said[0].ids == ("004", "005")
    assert said[0].message("zh") == (
        "警告 PLAN-UNIT-VARIANT：文件 花名册.csv：方案中的院落名称“1院落”、“第一院落”、“一院落”是同一个名称的不同写法"
        "（第 6、7 行；编号 004、005），按不同的院落处理，没有合并。\n  处理办法：若是同一个院落，把这些行的院落名称改成"
        "一样（如都写成“一院落”）后重新运行；若确是不同的院落，无需处理。")
    assert said[0].message("en") == (
        "Warning PLAN-UNIT-VARIANT: file 花名册.csv: the plan's unit names “1院落”, “第一院落”, “一院落” are one name "
        "written different ways (rows 6, 7; ids 004, 005); they are taken for different units, not merged.\n  Fix: if "
        "they are one unit, write its name the same way in these rows (e.g. all “一院落”) and run again; if they "
        "really are different units, nothing to do.")


@pytest.mark.parametrize("units", [["一院落"] * 12, ["一组一院落"] * 6 + ["二组一院落"] * 6])
def test_one_spelling_each_says_nothing(tmp_path: Path, units: list[str]) -> None:
    hh, _ = chain(group=["一组"] * 6 + ["二组"] * 6)
    assert not [p for p in read_plan_table(_plan(tmp_path, units), hh).problems if p.code == "PLAN-UNIT-VARIANT"]


def test_one_name_in_two_groups_apart_says_so(tmp_path: Path) -> None:
    hh, g = chain(group=["一组"] * 6 + ["二组"] * 6)
    got = read_plan_table(_plan(tmp_path, UNITS), hh)
    res = check_plan(hh, got.labels, Rules(1, 12, nest_by=("group",)), graph=g, plan_problems=got.problems,
                     unapplied=False)
    v = res.violations.set_index("code").loc["PLAN-CROSS-GROUP"]
    assert v["unit_id"] == "一院落"
    assert v["message_zh"].endswith(
        "处理办法：院落 一院落 在一组、二组各有一片，互不相连：多半是各组分别编号，用了同一个院落名称。若是各组各自的院落，"
        "把组名写进院落名称（如“一组一院落”）后重新运行；若确是一个院落，把少数一方的户划给本组的院落。"), v["message_zh"]
    assert v["message_en"].endswith(
        "Fix: unit 一院落 lies in separate pieces, one in each of 一组; 二组: most likely each group numbered its own "
        "units with one name. If they are each group's own units, put the group in the unit's name (e.g. “一组一院落”) "
        "and run again; if it really is one unit, give the minority households to a unit of their own group."), \
        v["message_en"]


def test_one_unit_drawn_over_two_groups_keeps_the_plain_fix(tmp_path: Path) -> None:
    # joined on the ground across the groups (a polygon drawn over both), or one household typed into another
    # group's unit: no name reused, the fix as before
    hh, g = chain(group=["一组"] * 6 + ["二组"] * 6)
    for units in (["甲"] * 12, ["甲"] * 5 + ["乙"] * 6 + ["甲"]):
        got = read_plan_table(_plan(tmp_path, units), hh)
        res = check_plan(hh, got.labels, Rules(1, 12, nest_by=("group",)), graph=g, unapplied=False)
        said = res.violations.loc[res.violations["code"] == "PLAN-CROSS-GROUP", "message_zh"].tolist()
        assert said and all(m.endswith("处理办法：院落不得跨村民小组：把这些户划给本组的院落。") for m in said), said
