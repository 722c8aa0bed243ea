"""Tests of yuanluo.gis.plan: plan inputs from a column, a CSV/xlsx table and unit polygons."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.check import check_plan
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.io import read_table
from yuanluo.gis.plan import assign_by_unit_polygons, plan_from_column, read_plan_table
from yuanluo.gis.rules import Rules
from yuanluo.planners.workflows import read_seeds

CRS = "EPSG:32631"
IDS = ["001", "002", "003", "004"]


def households() -> gpd.GeoDataFrame:
    """Four households in a row, 50 m apart: 001 (0,0) 002 (50,0) 003 (100,0) 004 (150,0)."""
    return gpd.GeoDataFrame({"yard": ["东院", "东院", "西院", "西院"]},
                            geometry=[Point(50 * i, 0) for i in range(4)], crs=CRS,
                            index=pd.Index(IDS, name="hid"))


def codes(probs) -> list[str]:
    return sorted(p.code for p in probs)


def test_plan_from_column():
    labels, probs = plan_from_column(households(), "yard")
    assert labels.tolist() == ["东院", "东院", "西院", "西院"] and probs == []
    assert labels.index.tolist() == IDS
    hh = households()
    hh.loc["003", "yard"] = None
    labels, probs = plan_from_column(hh, "yard")
    assert codes(probs) == ["PLAN-UNASSIGNED"] and probs[0].ids == ("003",)
    with pytest.raises(InputError):
        plan_from_column(hh, "nope")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_read_csv_encodings_and_chinese_headers(tmp_path, encoding):
    p = tmp_path / "plan.csv"
    p.write_text("户号,小院\n001,东院\n002,东院\n003,西院\n004,西院\n", encoding=encoding)
    labels, probs = read_plan_table(p, households())
    assert probs == [] and labels.tolist() == ["东院", "东院", "西院", "西院"]


def test_read_csv_title_row_and_leading_zeros(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text("某某村院落划分表,,\n序号,户编号,院落编号\n1,001,U1\n2,002,U1\n3,003,U2\n4,004,U2\n",
                 encoding="utf-8-sig")
    labels, probs = read_plan_table(p, households())
    assert probs == [] and labels.tolist() == ["U1", "U1", "U2", "U2"]


def test_read_table_findings(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text("hid,unit_id\n001,U1\n002,U1\n002,U2\n003,\n009,U2\n001,U1\n,U3\n", encoding="utf-8")
    labels, probs = read_plan_table(p, households())
    assert codes(probs) == ["PLAN-BLANK-ID", "PLAN-DUP-ASSIGN", "PLAN-DUP-ROW", "PLAN-UNASSIGNED",
                            "PLAN-UNKNOWN-ID"]
    by = {p.code: p for p in probs}
    assert by["PLAN-DUP-ASSIGN"].ids == ("002",) and by["PLAN-DUP-ASSIGN"].rows == (3, 4)  # the header is row 1
    assert labels["002"] == "U1"  # first assignment is used
    # 003 with a blank unit cell is in no unit (as the editor writes a household taken out of every unit)
    assert by["PLAN-DUP-ROW"].severity == "warning"
    assert sorted(by["PLAN-UNASSIGNED"].ids) == ["003", "004"]
    assert "plan.csv" in by["PLAN-DUP-ASSIGN"].message("zh")
    # the row with a unit and no id names no household: skipped, said with its row (not "not in the file")
    assert by["PLAN-BLANK-ID"].severity == "warning" and by["PLAN-BLANK-ID"].rows == (8,)
    assert by["PLAN-UNKNOWN-ID"].ids == ("009",)


def test_read_table_explicit_columns_and_missing_columns(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text("code,yard\n001,A\n002,A\n003,B\n004,B\n", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        read_plan_table(p, households())
    assert ei.value.code == "PLAN-COLUMN"
    labels, probs = read_plan_table(p, households(), id_col="code", unit_col="yard")
    assert labels.tolist() == ["A", "A", "B", "B"] and probs == []
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as ei:
        read_plan_table(empty, households())
    assert ei.value.code == "PLAN-FILE"


def test_read_xlsx(tmp_path):
    p = tmp_path / "plan.xlsx"
    pd.DataFrame({"户编号": IDS, "院落名称": ["甲", "甲", "乙", "乙"]}).to_excel(p, index=False)
    labels, probs = read_plan_table(p, households())
    assert probs == [] and labels.tolist() == ["甲", "甲", "乙", "乙"]


def test_the_plan_sheet_is_the_one_with_a_plan_header(tmp_path):
    """A workbook whose first sheet is a note (or a hidden old plan) is read from the sheet that holds the plan,
    as the editor reads it; ``file::sheet`` names one."""
    import openpyxl

    from yuanluo.gis.plan import plan_table_exceptions

    p = tmp_path / "方案.xlsx"
    wb = openpyxl.Workbook()
    note = wb.active
    note.title = "说明"
    note.append(["本表由村里填写，院落编号可改。"])
    old = wb.create_sheet("旧方案")
    old.sheet_state = "hidden"
    for row in (["户编号", "院落编号"], *[[h, "旧"] for h in IDS]):
        old.append(row)
    plan = wb.create_sheet("院落方案")
    for row in (["户编号", "院落编号", "状态"], ["001", "甲", "例外"], ["002", "甲", "例外"], ["003", "乙", ""],
                ["004", "乙", ""]):
        plan.append(row)
    other = wb.create_sheet("另一方案")
    for row in (["户编号", "院落编号"], *[[h, "丙"] for h in IDS]):
        other.append(row)
    wb.save(p)
    labels, probs = read_plan_table(p, households())
    assert probs == [] and labels.tolist() == ["甲", "甲", "乙", "乙"]
    assert plan_table_exceptions(p) == ["甲"]
    labels, _ = read_plan_table(f"{p}::另一方案", households())
    assert labels.tolist() == ["丙"] * 4
    with pytest.raises(InputError) as exc:
        read_plan_table(f"{p}::二组", households())
    assert exc.value.code == "PLAN-FILE"
    assert "没有名为“二组”的工作表（现有：说明、院落方案、另一方案）" in exc.value.problems[0].message("zh")
    assert "it has no sheet named '二组' (its sheets: 说明, 院落方案, 另一方案)" in exc.value.problems[0].message("en")


def test_assign_by_polygons():
    hh = households()
    units = gpd.GeoDataFrame({"uid": ["A", "B", "C"]},
                             geometry=[box(-10, -10, 60, 10), box(90, -10, 120, 10), box(500, 500, 600, 600)],
                             crs=CRS)
    labels, probs = assign_by_unit_polygons(hh, units, "uid")
    assert labels.fillna("-").tolist() == ["A", "A", "B", "-"]
    assert codes(probs) == ["PLAN-EMPTY-UNIT", "PLAN-OUTSIDE", "PLAN-UNASSIGNED"]
    by = {p.code: p for p in probs}
    assert by["PLAN-EMPTY-UNIT"].ids == ("C",) and by["PLAN-OUTSIDE"].ids == ("004",)


def test_polygons_overlap_duplicate_id_and_reprojection():
    hh = households()
    units = gpd.GeoDataFrame({"uid": ["A", "B", "B"], "village": ["V1", "V1", "V2"]},  # two different Bs
                             geometry=[box(-10, -10, 60, 10), box(40, -10, 120, 10), box(140, -10, 160, 10)],
                             crs=CRS).to_crs("EPSG:4326")
    labels, probs = assign_by_unit_polygons(hh, units, "uid")
    assert codes(probs) == ["PLAN-ID", "PLAN-OVERLAP"]
    assert labels.tolist() == ["A", "A", "B", "B"]  # 002 in A and B: smallest id A
    assert {p.code: p for p in probs}["PLAN-OVERLAP"].ids == ("002",)
    assert units.crs.to_epsg() == 4326  # input not modified


def test_plan_problems_flow_into_check():
    hh = households()
    units = gpd.GeoDataFrame({"uid": ["A", "B", "C"]},
                             geometry=[box(-10, -10, 60, 10), box(90, -10, 160, 10), box(500, 500, 600, 600)],
                             crs=CRS)
    labels, probs = assign_by_unit_polygons(hh, units, "uid")
    g = TerrainGraph.from_edges(IDS, np.c_[np.arange(4) * 50, np.zeros(4)], [(0, 1), (1, 2), (2, 3)], crs=CRS)
    res = check_plan(hh, labels, Rules(2, 2), graph=g, plan_problems=probs, unapplied=False)
    assert sorted(res.violations["code"]) == ["PLAN-EMPTY-UNIT"]
    assert res.units.set_index("unit_id").loc["C", "status"] == "violation"


def test_read_table_vector_cells_read_as_a_csv_would(tmp_path):
    # a GeoPackage integer column with a blank is stored as float: the ids must not gain ".0", the blank row
    # must not become the id "nan"
    p = tmp_path / "seeds.gpkg"
    gpd.GeoDataFrame({"户编号": [12, None, 7], "备注": ["老院子", None, "祠堂"], "x": [1.5, 2.0, np.nan]},
                     geometry=[Point(0, 0)] * 3, crs=CRS).to_file(p, driver="GPKG")
    assert read_table(p).to_dict("list") == {"户编号": ["12", "", "7"], "备注": ["老院子", "", "祠堂"],
                                             "x": ["1.5", "2.0", ""]}
    assert read_seeds(p) == ["12", "7"]


def test_read_a_plan_from_a_layer_file(tmp_path):
    """Another result's plan is read as it is: a GeoPackage's households layer (by default, or ``::layer``), a
    GeoParquet or a Shapefile with hid / unit_id columns; a file that is none of these is PLAN-FILE, in each
    language's own words."""
    hh = households().assign(unit_id=["A", "A", "B", "B"]).reset_index()
    gpkg = tmp_path / "other.gpkg"
    hh.to_file(gpkg, layer="units_first", driver="GPKG")  # the first layer is not the plan
    hh.assign(unit_id=["A", "B", "B", "B"]).to_file(gpkg, layer="households", driver="GPKG")
    labels, probs = read_plan_table(gpkg, households())
    assert labels.tolist() == ["A", "B", "B", "B"] and probs == []
    labels, _ = read_plan_table(f"{gpkg}::units_first", households())
    assert labels.tolist() == ["A", "A", "B", "B"]
    hh.to_parquet(tmp_path / "p.parquet")
    hh.to_file(tmp_path / "p.shp")
    for f in ("p.parquet", "p.shp"):
        assert read_plan_table(tmp_path / f, households()).labels.tolist() == ["A", "A", "B", "B"]
    for name, data, zh, en in (("empty.csv", b"", "文件是空的", "the file is empty"),
                               ("junk.csv", bytes(range(256)) * 4, "不是文本表格", "neither a text table")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError) as ei:
            read_plan_table(tmp_path / name, households())
        p = ei.value.problems[0]
        assert p.code == "PLAN-FILE" and zh in p.message("zh") and en in p.message("en")
        assert en not in p.message("zh") and zh not in p.message("en")


def test_a_title_row_and_blank_lines_keep_the_spreadsheet_rows(tmp_path):
    """A CSV plan with a title above its header used to stop with pandas' own message; rows are those a
    spreadsheet shows, in CSV and in Excel alike."""
    p = tmp_path / "plan.csv"
    p.write_text("某村院落方案\n户编号,院落\n001,U1\n\n002,\n009,\n", encoding="gbk")
    labels, probs = read_plan_table(p, households())
    assert labels["001"] == "U1" and {q.code: q.rows for q in probs}["PLAN-UNKNOWN-ID"] == (6,)
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (["某村院落方案"], [], ["户编号", "院落"], ["001", "U1"], [], ["002", None], ["009", None]):
        ws.append(r)
    wb.save(tmp_path / "plan.xlsx")
    labels, probs = read_plan_table(tmp_path / "plan.xlsx", households())
    assert labels["001"] == "U1" and {q.code: q.rows for q in probs}["PLAN-UNKNOWN-ID"] == (7,)



def test_a_plan_saved_as_unicode_text_is_read(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_bytes("户编号\t院落\r\n001\tU1\r\n002\tU1\r\n003\tU2\r\n004\tU2\r\n".encode("utf-16"))
    labels, probs = read_plan_table(p, households())
    assert labels.tolist() == ["U1", "U1", "U2", "U2"] and not probs


@pytest.mark.parametrize("command", ["repair", "edit", "delineate"])
def test_a_plan_whose_ids_do_not_match_the_households_stops_a_command_that_changes_it(tmp_path, command) -> None:
    """Household ids 001… and a plan that lost their leading zeros (1, 2 …), one id twice in two units: repair,
    edit and delineate --plan stop with PLAN-UNKNOWN-ID and PLAN-DUP-ASSIGN (the households, not the rows,
    counted), exit 2, nothing written. Repair made new units of households it took for unassigned and wrote
    a plan of blanks; edit opened an editor with 0 units; the repeated row was dropped without a word."""
    from badfiles import HEADER, good_rows, write_csv
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    hh = write_csv(tmp_path, "农户.csv", [HEADER, *good_rows(12)])
    rows = [f"{i + 1},{'A' if i < 6 else 'B'}" for i in range(12)] + ["001,A", "001,B"]
    plan = write_csv(tmp_path, "方案.csv", ["户编号,院落编号", *rows])
    out = {"repair": "fixed.csv", "edit": "e.html", "delineate": "d.gpkg"}[command]
    source = [str(hh), "--crs", "EPSG:4490"]
    if command == "edit":  # the editor opens a result
        res = CliRunner().invoke(app, ["delineate", *source, "--min", "4", "--max", "8", "-o",
                                       str(tmp_path / "r.gpkg"), "-q"])
        assert res.exit_code == 0, res.output
        source = [str(tmp_path / "r.gpkg")]
    args = [command, *source, "--min", "4", "--max", "8", "--plan", str(plan), "-o", str(tmp_path / out)]
    before = set(tmp_path.iterdir())
    res = CliRunner().invoke(app, [*args, "-q"])
    assert res.exit_code == 2, res.output
    assert "PLAN-UNKNOWN-ID" in res.output and "有 12 个户编号不在农户文件里" in res.output
    assert "有 1 户被分到两个或更多院落（第 14、15 行" in res.output and "暂按" not in res.output
    assert set(tmp_path.iterdir()) == before
    en = CliRunner().invoke(app, [*args, "-q", "--lang", "en"]).output
    assert "names 12 household ids not in the household file" in en and "for now" not in en


def test_bidirectional_overrides_are_taken_out_of_ids(tmp_path) -> None:
    """A unit id "U\\u202e100" showed as "U001" on every map and report (one unit passing for another); the
    household reader takes the marks out of the households' cells, and the plan reader out of the plan's ids."""
    from yuanluo.gis.io import strip_control_characters
    from yuanluo.gis.plan import read_plan_table

    hh_cells, warned = strip_control_characters(pd.DataFrame({"hid": ["H\u202e1", "H2"]}), "hh.csv")
    assert hh_cells["hid"].tolist() == ["H1", "H2"] and [w.code for w in warned] == ["ATTR-CONTROL"]
    hh = gpd.GeoDataFrame(index=pd.Index(["H1", "H2"], name="hid"), geometry=[Point(0, 0), Point(1, 0)],
                          crs="EPSG:32649")
    p = tmp_path / "plan.csv"
    p.write_text("户编号,院落编号\nH\u202e1,U\u202e100\nH2,U\u2066100\u2069\n", encoding="utf-8")
    labels, probs = read_plan_table(p, hh)
    assert labels.to_dict() == {"H1": "U100", "H2": "U100"} and probs == []
