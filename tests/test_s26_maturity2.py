"""Audit S of ``maturity load --sheet``: a CSV among the files, which ``--sheet`` cannot pick, and a workbook
without the sheet named are told ways out that work (a run of their own; for a workbook, another ``--sheet``),
a named sheet that is not a score sheet is said with its name and the score sheets there are, and a hidden
sheet named with ``--sheet`` is read (the user asked for it by name)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import test_maturity_sheets as sheets
from typer.testing import CliRunner

from yuanluo.planners import maturity as M

FIRST_SCORE_COL = sheets.FIRST_SCORE_COL
result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _fill(ws: openpyxl.worksheet.worksheet.Worksheet, period: str, score: int) -> None:
    for r in range(2, 6):
        ws.cell(r, 6, period)
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, score)


def _multi(result: Path, tmp: Path) -> Path:
    """A workbook as the audit's multi.xlsx: 评分表 (2026Q1), 第二期 (2026Q2), hidden 隐藏 (2026Q3), 填写说明."""
    M.write_template(result, tmp / "template.xlsx")
    wb = openpyxl.load_workbook(tmp / "template.xlsx")
    first = wb.worksheets[0]
    first.title = "评分表"
    for title, period, score in (("第二期", "2026Q2", 6), ("隐藏", "2026Q3", 7)):
        ws = wb.copy_worksheet(first)
        ws.title = title
        _fill(ws, period, score)
        wb.move_sheet(ws, -(len(wb.sheetnames) - 1 - wb.sheetnames.index("填写说明")))
    _fill(first, "2026Q1", 5)
    wb["隐藏"].sheet_state = "hidden"
    wb.save(tmp / "multi.xlsx")
    assert openpyxl.load_workbook(tmp / "multi.xlsx").sheetnames == ["评分表", "第二期", "隐藏", "填写说明"]
    return tmp / "multi.xlsx"


def _csv(result: Path, tmp: Path) -> Path:
    """A filled score sheet saved as CSV (period 2026Q4)."""
    M.write_template(result, tmp / "one.xlsx")
    wb = openpyxl.load_workbook(tmp / "one.xlsx")
    ws = wb.worksheets[0]
    _fill(ws, "2026Q4", 8)
    lines = [",".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)]
    (tmp / "filled.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp / "filled.csv"


def _load(lang: str, *args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, ["--lang", lang, "maturity", "load", *args], env={"COLUMNS": "400"})
    return r.exit_code, r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_beside_a_sheet_named_is_told_a_way_out_that_works(result: Path, tmp_path: Path, lang: str) -> None:
    """Defect 4: any --sheet with a CSV among the files was MAT-SHEET-UNKNOWN, whose fix was to give --sheet one
    of the CSV's worksheets, listed as 'none'. A CSV still cannot be picked by --sheet (every file given must have
    a sheet named, so none is passed over), but the fix now says the ways out, and they work."""
    multi, csv = _multi(result, tmp_path), _csv(result, tmp_path)
    code, out = _load(lang, str(result), str(multi), str(csv), "-o", str(tmp_path / "m.gpkg"), "--sheet", "第二期")
    assert code == 2, out
    flat = " ".join(out.split())
    assert "MAT-SHEET-UNKNOWN" in flat and "filled.csv" in flat and "multi.xlsx" not in flat
    fix = flat[flat.index("处理办法" if lang == "zh" else "Fix:"):]
    if lang == "zh":
        assert "另一次不给 “--sheet” 的" in fix and "去掉 “--sheet”" in fix and "上面列出的" not in fix
    else:
        assert "separate run of yuanluo maturity load without --sheet" in fix and "drop --sheet" in fix
        assert "names listed" not in fix
    assert not (tmp_path / "m.gpkg").exists()
    code, out = _load(lang, str(result), str(multi), "-o", str(tmp_path / "q2.gpkg"), "--sheet", "第二期")
    assert code == 0 and "2026Q2" in out and "2026Q1" not in out, out
    code, out = _load(lang, str(result), str(csv), "-o", str(tmp_path / "q4.gpkg"))
    assert code == 0 and "2026Q4" in out, out
    code, out = _load(lang, str(result), str(multi), str(csv), "-o", str(tmp_path / "all.gpkg"))
    assert code == 0 and "2026Q1" in out and "2026Q2" in out and "2026Q4" in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_second_workbook_without_the_sheet_named_is_told_a_way_out(result: Path, tmp_path: Path,
                                                                     lang: str) -> None:
    """Defect 4: the fix of MAT-SHEET-UNKNOWN for a second workbook said neither to load it in another run nor to
    name a sheet it has."""
    multi = _multi(result, tmp_path)
    M.write_template(result, tmp_path / "filled.xlsx")
    code, out = _load(lang, str(result), str(multi), str(tmp_path / "filled.xlsx"), "-o", str(tmp_path / "m.gpkg"),
                      "--sheet", "第二期")
    assert code == 2, out
    assert "MAT-SHEET-UNKNOWN" in out and "filled.xlsx" in out and "multi.xlsx" not in out
    flat = " ".join(out.split())
    if lang == "zh":
        assert "另一次" in flat and "再用一个" in flat
    else:
        assert "separate run" in flat and "add another --sheet" in flat
    assert not (tmp_path / "m.gpkg").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_named_sheet_without_a_header_is_said_with_its_name(result: Path, tmp_path: Path, lang: str) -> None:
    """Defect 5: MAT-HEADER did not name the sheet read (填写说明) and told to write a new template, while the
    workbook's other sheets are score sheets: the fix is to name one of them."""
    multi = _multi(result, tmp_path)
    code, out = _load(lang, str(result), str(multi), "-o", str(tmp_path / "m.gpkg"), "--sheet", "填写说明")
    assert code == 2, out
    flat = " ".join(out.split())
    assert "MAT-HEADER-SHEET" in flat and "填写说明" in flat
    assert ("“评分表”、“第二期”" if lang == "zh" else "'评分表', '第二期'") in flat
    assert "template" not in flat
    assert not (tmp_path / "m.gpkg").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_of_several_sheets_without_a_header_names_the_sheet_shown(result: Path, tmp_path: Path,
                                                                           lang: str) -> None:
    """Defect 5: MAT-HEADER quoted row 1 of a workbook of several sheets without saying which sheet it was."""
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active.append(["标题"])
    wb.create_sheet("备注").append(["说明"])
    wb.save(tmp_path / "no_header.xlsx")
    code, out = _load(lang, str(result), str(tmp_path / "no_header.xlsx"), "-o", str(tmp_path / "m.gpkg"))
    assert code == 2, out
    flat = " ".join(out.split())
    assert "MAT-HEADER" in flat
    # every sheet looked at named, and the one row 1 is quoted from (session 56, U)
    assert ("（“封面”、“备注”）" if lang == "zh" else "('封面', '备注')") in flat
    assert ("工作表“封面”的第 1 行为" if lang == "zh" else "row 1 of the sheet '封面'") in flat


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hidden_sheet_named_with_sheet_is_read(result: Path, tmp_path: Path, lang: str) -> None:
    """Defect 5: a hidden sheet named with --sheet was MAT-HIDDEN, saying only hidden sheets have a score header
    (the visible ones have one too); the user named it, so it is read, and the help says so."""
    multi = _multi(result, tmp_path)
    code, out = _load(lang, str(result), str(multi), "-o", str(tmp_path / "m.gpkg"), "--sheet", "隐藏")
    assert code == 0, out
    assert "MAT-HIDDEN" not in out and "2026Q3" in out and "2026Q1" not in out and "2026Q2" not in out
    code, out = _load(lang, "--help")
    flat = " ".join(out.split())
    assert ("隐藏的工作表给出名字也读入" if lang == "zh" else "a hidden sheet named is read too") in flat
