"""A score sheet loaded twice for one period is one MAT-DUP naming every unit and its cells (session 53, helper U:
maturity load of a workbook and the CSV saved from it said MAT-DUP once per unit, 24 problems with 24 identical
fixes). A unit alone repeated keeps its own message."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

CATS = ["政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济"]
ITEMS = ["开展内容", "实际效果", "群众满意度"]


def _sheet(path: Path, units: list[str], encoding: str = "utf-8-sig") -> Path:
    head = ["院落编号", "评估期", *[f"{c}-{i}" for c in CATS for i in ITEMS]]
    rows = [[u, "2026Q1", *["8"] * 18] for u in units]
    path.write_bytes("\n".join(",".join(r) for r in [head, *rows]).encode(encoding))
    return path


def test_a_sheet_given_twice_is_one_problem_naming_the_units(tmp_path: Path) -> None:
    units = [f"U{i:03d}" for i in range(1, 9)]
    a = _sheet(tmp_path / "评分 表.csv", units)
    b = _sheet(tmp_path / "评分 GBK.csv", units, "gbk")
    with pytest.raises(InputError) as ei:
        read_scores([a, b])
    dups = [p for p in ei.value.problems if p.code == "MAT-DUP"]
    assert len(dups) == 1 and dups[0].ids == tuple(units), dups
    zh, en = dups[0].message("zh"), dups[0].message("en")
    assert zh.startswith("错误 MAT-DUP：8 个院落在评估期 2026Q1 都出现了不止一次（编号 U001、U002、U003、U004、U005 等，"
                         "共 8 个）：评分 表.csv A2、评分 GBK.csv A2、评分 表.csv A3、评分 GBK.csv A3、"), zh
    assert "同一份评分表给了两次时" in zh and zh.count("处理办法") == 1, zh
    assert en.startswith("Error MAT-DUP: 8 units appear more than once in period 2026Q1 (ids U001, U002, U003, U004, "
                         "U005 and more, 8 in all): 评分 表.csv A2, 评分 GBK.csv A2,"), en
    assert "where one score sheet was given twice" in en, en
    # one unit repeated: its own message, as before
    c = _sheet(tmp_path / "补充.csv", ["U003"])
    with pytest.raises(InputError) as ei:
        read_scores([a, c])
    (one,) = [p for p in ei.value.problems if p.code == "MAT-DUP"]
    assert one.message("zh").startswith("错误 MAT-DUP：院落 U003 在评估期 2026Q1 出现了不止一次：评分 表.csv A4、补充.csv A2。")
