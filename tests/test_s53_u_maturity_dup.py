"""A unit scored twice for one period in two score sheets (session 53, helper U: the same period loaded from an
Excel sheet and its GBK CSV copy): MAT-DUP began 文件 评分.csv, 评分.xlsx： (the files joined with an ASCII comma in
a Chinese sentence) and gave a row number without saying of which file. Each cell names its file; no other prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

CATS = ["政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济"]
ITEMS = ["开展内容", "实际效果", "群众满意度"]


def _sheet(path: Path, encoding: str) -> Path:
    head = ["院落编号", "评估期", *[f"{c}-{i}" for c in CATS for i in ITEMS]]
    rows = [["U1", "2026Q1", *["8"] * 18], ["U2", "2026Q1", *["7"] * 18]]
    path.write_bytes("\n".join(",".join(r) for r in [head, *rows]).encode(encoding))
    return path


def test_a_unit_scored_in_two_files_names_each_file_with_its_cell(tmp_path: Path) -> None:
    a = _sheet(tmp_path / "评分 一.csv", "gbk")
    b = _sheet(tmp_path / "评分 二.csv", "utf-8-sig")
    with pytest.raises(InputError) as ei:
        read_scores([a, b])
    dups = [p for p in ei.value.problems if p.code == "MAT-DUP"]
    assert len(dups) == 1  # both units in one problem (test_s53_u_maturity_dup_grouped)
    zh, en = dups[0].message("zh"), dups[0].message("en")
    assert "出现了不止一次（编号 U1、U2）：评分 一.csv A2、评分 二.csv A2、评分 一.csv A3、评分 二.csv A3。" in zh, zh
    assert ", " not in zh and "第 2 行" not in zh, zh
    assert "in period 2026Q1 (ids U1, U2): 评分 一.csv A2, 评分 二.csv A2, 评分 一.csv A3, 评分 二.csv A3." in en, en
    # twice in one file: the file before the sentence and the rows, as before
    a = _sheet(tmp_path / "评分.csv", "gbk")
    a.write_bytes(a.read_bytes() + ("\nU1,2026Q1," + ",".join(["5"] * 18)).encode("gbk"))
    with pytest.raises(InputError) as ei:
        read_scores([a])
    zh = next(p for p in ei.value.problems if p.code == "MAT-DUP").message("zh")
    assert "文件 评分.csv" in zh and "第 2、4 行" in zh, zh
