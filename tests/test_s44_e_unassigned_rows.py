"""Session 44, helper E: PLAN-UNASSIGNED names the rows of the households it is about.

Found ('yuanluo check hh.csv --plan plan.csv' of a clerk's list of 120 households, 40 of them with a blank unit cell):
'有 42 户没有分到任何院落（编号 H002、H004、H005、H008、H011 等，共 42 个）。' and no row, while the other PLAN-* findings
name the file's rows (PLAN-UNKNOWN-ID: '第 6 行；编号 005'). Now the plan's rows with a blank unit cell, the
households the plan has no row for (by their rows in the household file), a plan column's blank cells (the household
file's rows): the first few by row and id, then '等 N 户，其余 M 户从略' / 'and M more, N in all'.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from shared_fixtures import chain, run_cli

from yuanluo.gis.check import check_plan
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules


def _households(tmp: Path, n: int, unit_col: bool = False) -> Path:
    rows = ["户编号,经度,纬度" + (",所属院落" if unit_col else "")]
    for i in range(n):
        unit = "" if i in (3, 50) else f",U{i // 5 + 1}"
        rows.append(f"H{i:03d},{106.55 + 0.0004 * i:.6f},29.560000" + ((unit or ",") if unit_col else ""))
    p = tmp / "hh.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _message(out: str) -> str:
    """The PLAN-UNASSIGNED row's sentence (the table at 400 columns: one line)."""
    line = next(ln for ln in out.splitlines() if "PLAN-UNASSIGNED" in ln)
    return re.split(r" +│ ", line.strip("│ "))[-1].strip()


def _plan(tmp: Path, blank: set[int], absent: set[int], n: int = 60) -> Path:
    body = "".join(f"H{i:03d},{'' if i in blank else f'U{i // 5 + 1}'}\n" for i in range(n) if i not in absent)
    p = tmp / "plan.csv"
    p.write_text("户编号,所属院落\n" + body, encoding="gbk")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_cells_and_households_the_plan_lacks_by_row(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path, 60)
    plan = _plan(tmp_path, blank={4, 16}, absent={57, 58, 59})
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "1", "--max", "5",
                   "--csv", str(tmp_path / "k.csv")], lang, code=1)
    said = {
        "zh": "有 5 户没有分到任何院落（plan.csv 第 6、18 行的院落一栏为空：编号 H004、H016；方案 plan.csv 中没有 3 户的行："
              "编号 H057、H058、H059，在农户表 hh.csv 第 59、60、61 行）。",
        "en": "5 households are not assigned to any unit (the unit cell is blank in rows 6, 18 of plan.csv: ids H004, "
              "H016; 3 households have no row in the plan plan.csv: ids H057, H058, H059, rows 59, 60, 61 of the "
              "household file hh.csv).",
    }[lang]
    assert _message(out) == said, out
    rows = list(csv.reader(io.StringIO((tmp_path / "k.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r[0] == "PLAN-UNASSIGNED")
    assert row[2] == "H004;H016;H057;H058;H059", row  # every household of the finding, for repair and the map


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_blank_cells_name_the_first_few(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path, 60)
    plan = _plan(tmp_path, blank=set(range(0, 60, 3)), absent=set())
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "1", "--max", "5"],
                  lang, code=1)
    said = {"zh": "有 20 户没有分到任何院落（plan.csv 第 2、5、8、11、14 行的院落一栏为空：编号 H000、H003、H006、H009、H012 "
                  "等 20 户，其余 15 户从略）。",
            "en": "20 households are not assigned to any unit (the unit cell is blank in rows 2, 5, 8, 11, 14 of "
                  "plan.csv: ids H000, H003, H006, H009, H012 and 15 more, 20 in all)."}[lang]
    assert _message(out) == said, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_column_names_the_household_files_rows(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path, 60, unit_col=True)
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "所属院落", "--min", "1", "--max", "5"],
                  lang, code=1)
    said = {"zh": "有 2 户没有分到任何院落（hh.csv 第 5、52 行的院落一栏为空：编号 H003、H050）。",
            "en": "2 households are not assigned to any unit (the unit cell is blank in rows 5, 52 of hh.csv: ids "
                  "H003, H050)."}[lang]
    assert _message(out) == said, out


def test_one_household_in_english_and_python_without_rows(tmp_path: Path) -> None:
    hh = _households(tmp_path, 60)
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--plan", str(_plan(tmp_path, set(), {59})),
                   "--min", "1", "--max", "5"], "en", code=1)
    assert _message(out) == ("1 household is not assigned to any unit (1 household has no row in the plan plan.csv: "
                             "id H059, row 61 of the household file hh.csv)."), out
    # from Python, households of no file: the plan's rows, and the ids of those it lacks
    frame, g = chain(village=["甲"] * 6)
    p = tmp_path / "p.csv"
    p.write_text("户编号,院落\n000,A\n001,\n002,A\n003,B\n004,B\n", encoding="utf-8")
    got = read_plan_table(p, frame)
    res = check_plan(frame, got.labels, Rules(1, 5), graph=g, plan_problems=got.problems, unapplied=False)
    v = res.violations.set_index("code").loc["PLAN-UNASSIGNED"]
    assert v["message_zh"] == ("错误 PLAN-UNASSIGNED：有 2 户没有分到任何院落（p.csv 第 3 行的院落一栏为空：编号 001；"
                               "方案 p.csv 中没有 1 户的行：编号 005）。\n  处理办法：把这些户分到相邻的院落（可用 “repair_plan” 自动补齐）。")
    assert list(v["hids"]) == ["001", "005"]
