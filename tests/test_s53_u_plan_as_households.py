"""A plan table given where the household file goes is said to be one (session 53, helper U: ``check 方案.csv`` and
``validate 方案.csv`` said CSV-HEADER, "no known column names such as 户编号", of a header that has 户编号, and told
to delete title rows; a workbook plan with 行政村 and 村民小组 said CRS-MISSING and COL-MISSING). IO-PLAN-TABLE names
the plan's columns and the fix that exists: the household file first, the plan with --plan (a command without
--plan says to give the household file, and how the plan is checked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()


def _plan_csv(tmp: Path) -> Path:
    p = tmp / "我的 方案.csv"
    p.write_bytes("户编号,院落编号\nH001,U001\nH002,U001\n".encode("gbk"))
    return p


def _plan_xlsx(tmp: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["石龙村院落划分方案"])
    ws.append(["户编号", "院落编号", "院落户数", "行政村", "村民小组"])
    ws.append(["H001", "U001", 2, "石龙村", "1组"])
    ws.append(["H002", "U001", 2, "石龙村", "1组"])
    p = tmp / "方案 表.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("make", [_plan_csv, _plan_xlsx])
@pytest.mark.parametrize(("lang", "title", "fix"), [
    ("zh", "是一份院落方案表（有 户编号、院落编号 列，没有坐标列），不是农户文件。",
     "处理办法：第一个参数给有坐标的农户文件，方案表用 --plan 给出，例如 yuanluo check 农户.csv --plan"),
    ("en", "is a plan table (it has the columns 户编号, 院落编号 and no coordinates), not a household file.",
     "Fix: give the household file (the one with coordinates) as the first argument and the plan with --plan, "
     "e.g. yuanluo check households.csv --plan")])
def test_check_of_a_plan_as_households_says_to_give_it_with_plan(tmp_path: Path, make, lang: str, title: str,
                                                                 fix: str) -> None:
    plan = make(tmp_path)
    res = runner.invoke(app, ["--lang", lang, "check", str(plan), "--preset", "banan", "--csv",
                              str(tmp_path / "检查.csv")])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "IO-PLAN-TABLE" in out and title in out and fix in out, out
    assert f'--plan "{plan}"' in out, out
    for wrong in ("CSV-HEADER", "COL-MISSING", "CRS-MISSING", "删除表头上方", "delete the title rows"):
        assert wrong not in out, out
    assert not (tmp_path / "检查.csv").exists()


@pytest.mark.parametrize(("lang", "fix"), [
    ("zh", "处理办法：这条命令不读方案，请给出有坐标的农户文件；要检查这份方案，运行 yuanluo check 农户.csv --plan"),
    ("en", "Fix: this command reads no plan: give the household file, the one with coordinates; to check this plan, "
           "run yuanluo check households.csv --plan")])
def test_validate_of_a_plan_says_to_give_the_household_file(tmp_path: Path, lang: str, fix: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", str(_plan_csv(tmp_path))])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "IO-PLAN-TABLE" in out and fix in out and "CSV-HEADER" not in out, out


def test_read_households_of_a_plan_names_the_python_way(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_households(_plan_csv(tmp_path), crs="EPSG:4490")
    q = info.value.problems[0]
    assert [p.code for p in info.value.problems] == ["IO-PLAN-TABLE"] and q.params["columns"] == ["户编号", "院落编号"]
    assert "read_plan_table(" in q.fix("en") and "--plan" not in q.fix("en"), q.fix("en")
    # a household file with a unit column beside its coordinates is a household file
    p = tmp_path / "农户.csv"
    p.write_text("户编号,院落编号,经度,纬度\nH001,U001,106.5,29.5\nH002,U001,106.5004,29.5003\n", encoding="utf-8")
    h, _ = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["H001", "H002"] and h["院落编号"].tolist() == ["U001", "U001"]

