"""MAT-HEADER on a workbook of several sheets names every sheet looked at (session 56, helper U, round 2): the
household roster given to ``maturity load`` (a summary sheet 汇总, then 花名册) said "工作表“汇总”的前 10 行中找不到
表头", as if the workbook had that sheet only. A workbook of one sheet, or one sheet of several with a header
elsewhere, reads as before.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

_HAN = re.compile(r"[\u3400-\u9fff]")


def _roster(path: Path, *, hidden: bool = False) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "汇总"
    wb.active.append(["组", "户数", "人口"])
    wb.active.append(["一组", 27, 81])
    roll = wb.create_sheet("花名册")
    roll.append(["新华村农户花名册"])
    roll.append(["户编号", "户主姓名", "村", "组", "人口"])
    roll.append(["H001", "张三", "新华村", "一组", 3])
    if hidden:
        wb.create_sheet("备用").sheet_state = "hidden"
    wb.save(path)
    return path


def test_every_sheet_looked_at_is_named(tmp_path: Path) -> None:
    f = _roster(tmp_path / "新华村农户花名册.xlsx", hidden=True)
    with pytest.raises(InputError) as e:
        read_scores(f)
    assert e.value.codes == ["MAT-HEADER"]
    zh, en = e.value.render("zh"), e.value.render("en")
    assert "2 张工作表（“汇总”、“花名册”）的前 10 行中都找不到表头" in zh and "工作表“汇总”的第 1 行为：组 | 户数 | 人口" in zh
    assert "none of the 2 sheets of the score sheet 新华村农户花名册.xlsx ('汇总', '花名册')" in en
    assert "row 1 of the sheet '汇总' reads: 组 | 户数 | 人口" in en and "备用" not in en  # the hidden one not read
    assert not _HAN.search(en.replace("新华村农户花名册", "").replace("'汇总'", "").replace("'花名册'", "")
                           .replace("组 | 户数 | 人口", ""))


def test_one_sheet_keeps_its_title(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["组", "户数"])
    wb.save(tmp_path / "one.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "one.xlsx")
    assert e.value.codes == ["MAT-HEADER"] and "张工作表" not in e.value.render("zh")
    assert "none of the" not in e.value.render("en") and "row 1 reads: 组 | 户数" in e.value.render("en")
