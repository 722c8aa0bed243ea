"""Rosters as planners keep them in Excel and WPS (audit C 1–4, 11–13; audit A 7; audit B 9): merged cells,
``="0012"`` cells, a stray format in the last cell of a sheet, hidden sheets, zero-padded ids, and the
messages for a column that is missing or a workbook with the wrong extension."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from openpyxl.styles import Font
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.gis.sheets import xlsx_sheets
from yuanluo.planners.cli import app

runner = CliRunner()


def _roster(n: int = 12) -> list[list[object]]:
    """``n`` households in two villager groups of ``n // 2``: 户编号 as numbers 1 …, 经度, 纬度, 人口, 村民小组."""
    return [[i + 1, round(LON0 + 0.0004 * i, 6), round(LAT0 + 0.0003 * (i % 3), 6), 2 + i % 4,
             "一组" if i < n // 2 else "二组"] for i in range(n)]


def _book(path: Path, rows: list[list[object]], *, title: str = "花名册") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["户编号", "经度", "纬度", "人口", "村民小组"])
    for r in rows:
        ws.append(r)
    return wb


def _merged_groups(tmp: Path, n: int = 12) -> Path:
    """The roster with each group's 村民小组 cells merged down (rows 2–7 and 8–13), as Chinese rosters are."""
    rows = _roster(n)
    for i, r in enumerate(rows):
        if i not in (0, n // 2):
            r[4] = None
    wb = _book(tmp, rows)
    ws = wb.active
    ws.merge_cells(start_row=2, start_column=5, end_row=1 + n // 2, end_column=5)
    ws.merge_cells(start_row=2 + n // 2, start_column=5, end_row=1 + n, end_column=5)
    p = tmp / "merged.xlsx"
    wb.save(p)
    return p


# ------------------------------------------------------------------------------ 1. merged cells
def test_vertically_merged_group_cells_belong_to_every_household_of_the_range(tmp_path: Path) -> None:
    h, report = read_households(_merged_groups(tmp_path), crs="EPSG:4490")
    assert h["group"].tolist() == ["一组"] * 6 + ["二组"] * 6
    assert "NEST-BLANK" not in [w.code for w in report.warnings]
    (note,) = [w for w in report.warnings if w.code == "XLSX-MERGED"]
    assert "村民小组" in note.title("zh") and note.rows == (3, 4, 5, 6, 7, 9, 10, 11, 12, 13), note.rows


def test_a_delineation_of_a_merged_roster_keeps_units_inside_their_groups(tmp_path: Path) -> None:
    out = tmp_path / "o.gpkg"
    res = runner.invoke(app, ["delineate", str(_merged_groups(tmp_path)), "--crs", "EPSG:4490", "--min", "4",
                              "--max", "8", "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "NEST-BLANK" not in res.output and "XLSX-MERGED" in res.output, res.output
    import geopandas as gpd

    units = gpd.read_file(out, layer="units")
    assert sorted(units["group"]) == ["一组", "二组"], units[["unit_id", "group", "n_households"]]


def test_a_header_name_merged_down_over_a_two_row_header_is_still_one_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户编号", "坐标", None, "备注"])
    ws.append([None, "经度", "纬度", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:D2")
    for r in _roster(6):
        ws.append([f"{r[0]:03d}", r[1], r[2], "老院子"])
    p = tmp_path / "two_rows.xlsx"
    wb.save(p)
    h, _ = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003", "004", "005", "006"] and "备注" in h.columns


# ------------------------------------------------------------------------------ 2. ="0012"
def test_excel_text_cells_in_a_csv_roster_read_as_their_text(tmp_path: Path) -> None:
    rows = [f'="{r.split(",", 1)[0]}",{r.split(",", 1)[1]}' for r in good_rows(6)]
    h, _ = read_households(write_csv(tmp_path, "hh.csv", [HEADER, *rows]), crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003", "004", "005", "006"]


def test_excel_text_cells_in_a_plan_table_read_as_their_text(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    plan = write_csv(tmp_path, "plan.csv", ["户编号,院落编号", *[f'="{i:03d}",U{1 + (i > 4)}' for i in range(1, 9)]])
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "--plan", str(plan), "--lang", "en"])
    assert "PLAN-UNKNOWN-ID" not in res.output and res.exit_code == 0, res.output


# ------------------------------------------------------------------------------ 3. a stray format far away
def test_a_stray_format_far_right_does_not_widen_the_rows(tmp_path: Path) -> None:
    wb = _book(tmp_path, _roster(6))
    wb.active.cell(300, 16384).font = Font(bold=True)
    p = tmp_path / "stray.xlsx"
    wb.save(p)
    ((_, rows),) = xlsx_sheets(p, "stray.xlsx")
    assert len(rows) == 7 and {len(r) for r in rows} == {5}, (len(rows), {len(r) for r in rows})


def test_a_stray_format_in_the_last_cell_of_the_sheet_is_read_in_bounded_memory(tmp_path: Path) -> None:
    wb = _book(tmp_path, _roster(6))
    wb.active.cell(1048576, 1).font = Font(bold=True)
    wb.active.cell(1048576, 16384).font = Font(bold=True)
    p = tmp_path / "bloated.xlsx"
    wb.save(p)
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30));"
            "from yuanluo.gis.io import read_households;"
            "h, _ = read_households(sys.argv[1], crs='EPSG:4490'); print(len(h))")
    res = subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert res.returncode == 0 and res.stdout.strip() == "6", res.stderr[-2000:]


# ------------------------------------------------------------------------------ 4. hidden sheets
def _with_hidden(tmp: Path, *, roster_hidden: bool) -> Path:
    wb = _book(tmp, _roster(6), title="农户")
    note = wb.create_sheet("说明", 0)
    note.append(["本表由村委会填报"])
    old = wb.create_sheet("旧数据")
    for r in [["户编号", "经度", "纬度"], *[[f"9{r[0]:02d}", r[1], r[2]] for r in _roster(4)]]:
        old.append(r)
    old.sheet_state = "hidden"
    if roster_hidden:
        wb["农户"].sheet_state = "hidden"
    wb.active = 0
    p = tmp / ("hidden_only.xlsx" if roster_hidden else "sheets.xlsx")
    wb.save(p)
    return p


def test_a_hidden_sheet_named_with_layer_is_read(tmp_path: Path) -> None:
    res = runner.invoke(app, ["validate", str(_with_hidden(tmp_path, roster_hidden=False)), "--crs", "EPSG:4490",
                              "--layer", "旧数据", "--lang", "en"])
    assert res.exit_code == 0 and "4 households" in res.output, res.output


def test_a_roster_only_on_hidden_sheets_is_said_to_be_hidden_with_a_fix_that_works(tmp_path: Path) -> None:
    p = _with_hidden(tmp_path, roster_hidden=True)
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490")
    (q,) = e.value.problems
    assert q.code == "XLSX-HIDDEN" and "用 layer='农户' 读取该工作表" in q.fix("zh"), e.value.render("zh")
    assert "layer='农户'" in q.fix("en") and "--layer" not in q.fix("en"), q.fix("en")
    h, _ = read_households(p, crs="EPSG:4490", layer="农户")
    assert len(h) == 6
    # on the command line the fix names the option, and it works there too
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "XLSX-HIDDEN" in res.output and "用 --layer 农户 读取该工作表" in res.output, res.output
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--layer", "农户"])
    assert res.exit_code == 0, res.output


def test_a_hidden_sheet_that_also_looks_like_a_roster_is_mentioned(tmp_path: Path) -> None:
    h, report = read_households(_with_hidden(tmp_path, roster_hidden=False), crs="EPSG:4490")
    assert len(h) == 6
    (w,) = [w for w in report.warnings if w.code == "XLSX-HIDDEN-ALSO"]
    assert "用 layer='旧数据' 指定它" in w.fix("zh") and "layer='旧数据'" in w.fix("en"), w.fix("en")
    res = runner.invoke(app, ["validate", str(_with_hidden(tmp_path, roster_hidden=False)), "--crs", "EPSG:4490"],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0 and "XLSX-HIDDEN-ALSO" in res.output and "用 --layer 旧数据 指定它" in res.output, res.output


def test_a_sheet_that_is_not_there_is_answered_with_a_sheet_holding_households(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_households(_with_hidden(tmp_path, roster_hidden=False), crs="EPSG:4490", layer="没有")
    (q,) = e.value.problems
    assert q.code == "IO-NOLAYER" and "layer='说明'" not in q.fix("zh") and " layer='农户'" in q.fix("zh"), q.fix("zh")
    assert "layer='农户'" in q.fix("en") and "--layer" not in q.fix("en"), q.fix("en")


# ------------------------------------------------------------------------------ 5. zero-padding formats
def test_ids_stored_as_numbers_with_a_zero_padding_format_read_as_excel_shows_them(tmp_path: Path) -> None:
    wb = _book(tmp_path, _roster(6))
    for row in wb.active.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "0000"
    p = tmp_path / "ids.xlsx"
    wb.save(p)
    h, _ = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["0001", "0002", "0003", "0004", "0005", "0006"]


# ------------------------------------------------------------------------------ 6. COL-MISSING
def test_a_named_column_not_in_the_file_is_not_echoed_as_the_accepted_name(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(6)])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--head-col", "nope", "--lang", "en"])
    assert res.exit_code == 2 and "COL-MISSING" in res.output, res.output
    assert "nope are accepted" not in res.output and "hid, lon, lat" not in res.output, res.output
    assert "户编号, 经度, 纬度" in res.output and "--head-col" in res.output, res.output
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--head-col", "不存在的列"])
    assert "可用的列名：不存在的列" not in res.output and "户编号、经度、纬度" not in res.output.split("处理办法")[1]


def test_a_missing_id_column_suggests_an_id_name(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["名字,经度,纬度", f"张三,{LON0},{LAT0}"])
    with pytest.raises(InputError) as e:
        read_households(hh, crs="EPSG:4490")
    (q,) = [q for q in e.value.problems if q.code == "COL-MISSING"]
    assert "户编号" in q.fix("zh") and "经度" not in q.fix("zh") and " with id_col=, " in q.fix("en"), q.fix("en")
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--lang", "en"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "with --id-col, or rename that column to hid, id." in res.output, res.output


def test_the_english_fix_of_a_missing_coordinate_column_names_english_column_names(tmp_path: Path) -> None:
    """audit s30 R §3: the English fix told to rename the column to 经度, 纬度 (English names are accepted)."""
    hh = write_csv(tmp_path, "hh.csv", ["户编号,x,人口", "001,500000,3"])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4545", "--lang", "en"], env={"COLUMNS": "400"})
    out = " ".join(res.output.split())
    # x without y: only the Y missing beside it is named, and its name (s48 N2)
    assert res.exit_code == 2 and "COL-MISSING" in out and "rename that column to y." in out, out
    assert "no Y column to pair with the X column x" in out, out
    zh = " ".join(runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4545"], env={"COLUMNS": "400"}).output.split())
    assert "找不到Y列与X列“x”配对" in zh and "改名为 y" in zh, zh


# ------------------------------------------------------------------------------ 7. an .xlsx named .csv
def test_a_workbook_named_csv_is_told_to_be_renamed(tmp_path: Path) -> None:
    wb = _book(tmp_path, _roster(6))
    p = tmp_path / "roster.csv"
    wb.save(p)
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 2 and "IO-RENAMED" in res.output and "roster.xlsx" in res.output, res.output


# ------------------------------------------------------------------------------ 8. 度分秒 separated by spaces
def test_degrees_minutes_seconds_separated_by_spaces_are_read_as_such(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["户编号,经度,纬度", "001,106 33 0.0,29 33 36", "002,106 33 1.44,29 33 36",
                                        "003,106 33 2.88 E,N 29 33 36"])
    h, _ = read_households(hh, crs="EPSG:4490")
    lon, lat = h["经度"].tolist(), h["纬度"].tolist()
    assert len(h) == 3 and h.geometry.to_crs(4490).x.round(4).tolist() == [106.55, 106.5504, 106.5508], (lon, lat)
    assert h.geometry.to_crs(4490).y.round(4).tolist() == [29.56] * 3


def test_a_number_grouped_by_spaces_is_still_one_number(tmp_path: Path) -> None:
    import pandas as pd

    from yuanluo.gis.columns import parse_coordinate

    values, bad = parse_coordinate(pd.Series(["35 500 000", "3 297 968.5", "107 44 0.43"]))
    assert values.round(4).tolist() == [35500000.0, 3297968.5, 107.7335] and not bad.any()


def test_a_plan_on_a_hidden_sheet_named_with_layer_is_read(tmp_path: Path) -> None:
    """A plan workbook whose plan sheet is hidden: ``plan.xlsx::方案`` said there was no such sheet."""
    import pandas as pd

    from yuanluo.gis.plan import read_plan_table

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由镇街填报"])
    plan = wb.create_sheet("方案")
    for r in (["户编号", "院落编号"], ["001", "U1"], ["002", "U1"], ["003", "U2"]):
        plan.append(r)
    plan.sheet_state = "hidden"
    p = tmp_path / "plan.xlsx"
    wb.save(p)
    hh = pd.DataFrame(index=pd.Index(["001", "002", "003"], name="hid"))
    labels, probs = read_plan_table(f"{p}::方案", hh)
    assert labels.tolist() == ["U1", "U1", "U2"] and not [q for q in probs if q.severity == "error"], probs
