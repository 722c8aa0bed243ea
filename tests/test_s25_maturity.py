"""Audit I of the service maturity: every visible score sheet read (each its own period), hidden ones never,
a deleted indicator column said, cells named with their sheet where a workbook has several, a merged title row
above the header taken as a title, the change since the last period over the categories rated in both, and
the load summary counting the units scored."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import test_maturity_sheets as sheets
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores
from yuanluo.planners import maturity as M

FIRST_SCORE_COL, UNITS = sheets.FIRST_SCORE_COL, sheets.UNITS
result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _fill(ws: openpyxl.worksheet.worksheet.Worksheet, period: str, score: int, rows: range = range(2, 6)) -> None:
    for r in rows:
        ws.cell(r, 6, period)
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, score)


def _two_quarters(result: Path, tmp: Path) -> openpyxl.Workbook:
    """The template with its score sheet copied: 三季度 (all 5) and 四季度 (all 7), then the instructions."""
    M.write_template(result, tmp / "template.xlsx")
    wb = openpyxl.load_workbook(tmp / "template.xlsx")
    q3 = wb.worksheets[0]
    q3.title = "三季度"
    q4 = wb.copy_worksheet(q3)
    q4.title = "四季度"
    wb.move_sheet(q4, -(len(wb.sheetnames) - 2))
    _fill(q3, "2026年第三季度", 5)
    _fill(q4, "2026 q4", 7)
    return wb


def _load(*args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, ["maturity", "load", *args])
    return r.exit_code, r.output


def test_every_visible_score_sheet_is_read_as_its_period(result: Path, tmp_path: Path) -> None:
    """Defect 1: the second quarter's sheet was dropped without a word (the first sheet with a header was read)."""
    wb = _two_quarters(result, tmp_path)
    assert wb.sheetnames[:2] == ["三季度", "四季度"]
    wb.save(tmp_path / "two.xlsx")
    code, out = _load(str(result), str(tmp_path / "two.xlsx"), "-o", str(tmp_path / "m.gpkg"))
    assert code == 0, out
    assert "2026Q3、2026Q4" in out
    t = read_scores(tmp_path / "two.xlsx", UNITS)
    assert sorted(set(t["period"])) == ["2026Q3", "2026Q4"] and set(t.loc[t.period == "2026Q4", "score"]) == {7}


def test_bad_cells_of_every_sheet_are_said_with_their_sheet(result: Path, tmp_path: Path) -> None:
    """Defects 1 and 6: a bad cell of the second sheet was never checked, and cell names left the sheet out."""
    wb = _two_quarters(result, tmp_path)
    wb["三季度"]["I3"] = "良好"
    wb["四季度"]["I3"] = "80分"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "bad.xlsx", UNITS)
    shown = e.value.render("en")
    assert "三季度!I3=良好" in shown and "四季度!I3=80分" in shown


def test_a_hidden_sheet_is_never_read(result: Path, tmp_path: Path) -> None:
    """Defect 2: the hidden 三季度 sheet was read in place of the visible 四季度."""
    wb = _two_quarters(result, tmp_path)
    wb["三季度"].sheet_state = "hidden"
    wb.active = 1
    wb.save(tmp_path / "hidden.xlsx")
    code, out = _load(str(result), str(tmp_path / "hidden.xlsx"), "-o", str(tmp_path / "h.gpkg"))
    assert code == 0, out
    assert "2026Q4" in out and "2026Q3" not in out.replace("MAT-HIDDEN-ALSO", "") and "MAT-HIDDEN-ALSO" in out
    wb["四季度"].sheet_state = "hidden"
    wb["填写说明"].sheet_state = "visible"
    wb.active = wb.sheetnames.index("填写说明")
    wb.save(tmp_path / "all_hidden.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "all_hidden.xlsx", UNITS)
    assert e.value.codes == ["MAT-HIDDEN"] and "三季度" in e.value.render("zh")


def test_a_deleted_indicator_column_is_refused(result: Path, tmp_path: Path) -> None:
    """Defect 3: deleting 政策宣讲-实际效果 left 政策宣讲 unrated for every unit without a word."""
    M.write_template(result, tmp_path / "template.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "template.xlsx")
    ws = wb.worksheets[0]
    _fill(ws, "2026Q4", 6)
    ws.delete_cols(FIRST_SCORE_COL + 1)
    wb.save(tmp_path / "deleted.xlsx")
    code, out = _load(str(result), str(tmp_path / "deleted.xlsx"), "-o", str(tmp_path / "d.gpkg"))
    assert code == 2 and "MAT-COLUMN-MISSING" in out and "政策宣讲-实际效果" in out, out
    assert not (tmp_path / "d.gpkg").exists()


def test_formula_cells_are_named_with_their_sheet_and_not_called_scores(result: Path, tmp_path: Path) -> None:
    """Defect 6: G23 was listed twice without its sheet, as a score, though column G is the assessor."""
    wb = _two_quarters(result, tmp_path)
    wb["三季度"]["G5"] = '=HYPERLINK("http://x","点")'
    wb["四季度"]["G5"] = '=HYPERLINK("http://x","点")'
    wb.save(tmp_path / "formula.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "formula.xlsx", UNITS)
    zh, en = e.value.render("zh"), e.value.render("en")
    assert "三季度!G5" in zh and "四季度!G5" in zh
    assert "读不出分数" not in zh and "no score can be read" not in en


def test_the_change_of_the_mean_is_over_the_categories_rated_in_both(result: Path, tmp_path: Path) -> None:
    """Defect 5: leaving the weakest category blank this period raised the mean's change (+0.7 for nothing)."""
    cols = ",".join(f"{c}-{i}" for c in ("政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济")
                    for i in ("开展内容", "实际效果", "群众满意度"))
    (tmp_path / "mix.csv").write_text(f"院落编号,评估期,{cols}\n"
                                      "U001,2026Q3," + ",".join(["5"] * 15 + ["1"] * 3) + "\n"
                                      "U001,2026Q4," + ",".join(["5"] * 15 + [""] * 3) + "\n", encoding="utf-8")
    code, out = _load(str(result), str(tmp_path / "mix.csv"), "-o", str(tmp_path / "mix.gpkg"),
                      "--report", str(tmp_path / "r.html"))
    assert code == 0, out
    t = M.maturity_table(read_scores(tmp_path / "mix.csv", UNITS), UNITS).set_index(["period", "unit_id"])
    row = t.loc[("2026Q4", "U001")]
    assert row["n_rated"] == 5 and row["change_mean"] == 0 and row["n_compared"] == 5
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "+0.7" not in page and "按两期都评的 5 类" in page


def test_a_merged_title_row_above_the_header_is_a_title(result: Path, tmp_path: Path) -> None:
    """Defect 4: a title merged across A1:Z1 (the usual form title) was MAT-SHIFT, its text listed 26 times,
    though a one-cell title is accepted."""
    M.write_template(result, tmp_path / "template.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "template.xlsx")
    ws = wb.worksheets[0]
    _fill(ws, "2026Q4", 6)
    ws.insert_rows(1, 2)
    ws["A1"] = "XX镇院落服务成熟度评分"
    ws.merge_cells("A1:Z1")
    wb.save(tmp_path / "titled.xlsx")
    code, out = _load(str(result), str(tmp_path / "titled.xlsx"), "-o", str(tmp_path / "t.gpkg"))
    assert code == 0, out
    t = read_scores(tmp_path / "titled.xlsx", UNITS)
    assert set(t["score"]) == {6} and sorted(set(t["row"])) == [4, 5, 6, 7]
    ws["C2"], ws["E2"] = "note", "stray"  # two cells of their own above the header are still shifted
    wb.save(tmp_path / "stray.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "stray.xlsx", UNITS)
    assert e.value.codes == ["MAT-SHIFT"]


def test_the_load_summary_counts_the_units_scored(result: Path, tmp_path: Path) -> None:
    """Defect 7: "4 units, … scores read" counted every unit of the result, though only two had scores."""
    M.write_template(result, tmp_path / "template.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "template.xlsx")
    _fill(wb.worksheets[0], "2026Q4", 6, range(2, 4))
    wb.save(tmp_path / "two_units.xlsx")
    code, out = _load(str(result), str(tmp_path / "two_units.xlsx"), "-o", str(tmp_path / "s.gpkg"))
    assert code == 0, out
    assert "4 个院落中 2 个有分数，36 个分数已读入。" in out
