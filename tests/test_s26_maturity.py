"""Audit s26 of the service maturity: the template sets the columns the program fills apart (grey, with a
note) and makes its date column a date; ``maturity load`` writes assessment dates as ISO dates, warning of
one it cannot read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import test_maturity_sheets as sheets
from typer.testing import CliRunner

from yuanluo.gis.maturity import read_scores
from yuanluo.planners import maturity as M

FIRST_SCORE_COL, UNITS = sheets.FIRST_SCORE_COL, sheets.UNITS
result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _cli(*args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, ["maturity", *args])
    return r.exit_code, r.output


def _template(result: Path, tmp: Path, *extra: str) -> openpyxl.Workbook:
    code, out = _cli("template", str(result), "-o", str(tmp / "t.xlsx"), *extra)
    assert code == 0, out
    return openpyxl.load_workbook(tmp / "t.xlsx")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_columns_the_program_fills_are_grey_with_a_note(result: Path, tmp_path: Path, lang: str) -> None:
    """Defect 1: 院落编号、村、组、户数 looked exactly like the score columns (same header fill, no note)."""
    ws = _template(result, tmp_path, "--lang", lang).worksheets[0]
    headers = [c.value for c in ws[1]]
    given = [headers.index(M.column_header(f, lang)) + 1
             for f in ("unit_id", "village", "group", "n_households")]
    filled = [j for j in range(1, len(headers) + 1) if j not in given]
    fill = {j: ws.cell(1, j).fill.fgColor.rgb for j in range(1, len(headers) + 1)}
    assert {fill[j] for j in given} == {"00D9D9D9"}
    assert "00D9D9D9" not in {fill[j] for j in filled}
    assert {ws.cell(r, j).fill.fgColor.rgb for j in given for r in range(2, 2 + len(UNITS))} == \
        {"00F2F2F2"}
    assert {ws.cell(2, j).fill.fill_type for j in filled} == {None}
    for j in range(1, len(headers) + 1):
        note = ws.cell(1, j).comment
        assert (note is not None) == (j in given), headers[j - 1]
        if note is not None:
            assert ("由程序" in note.text) == (lang == "zh") and ("program" in note.text) == (lang == "en")
    assert not ws.protection.sheet  # sorting, adding and copying rows stay possible


def test_the_template_date_column_is_a_date(result: Path, tmp_path: Path) -> None:
    """Defect 2 (template side): the date column was General text, so any spelling went in."""
    ws = _template(result, tmp_path).worksheets[0]
    col = [c.value for c in ws[1]].index("评估日期") + 1
    letter = openpyxl.utils.get_column_letter(col)
    assert ws.cell(2, col).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"


def test_assessment_dates_are_written_as_iso_and_an_unreadable_one_is_said(result: Path, tmp_path: Path) -> None:
    """Defect 2: 评估日期 went out as written ('2026-03-16', '2026/3/16', '3月17日' mixed), without a word."""
    import datetime as dt

    import pyogrio

    wb = _template(result, tmp_path)
    ws = wb.worksheets[0]
    col = [c.value for c in ws[1]].index("评估日期") + 1
    for r, when in zip(range(2, 6), (dt.date(2026, 3, 16), "2026/3/16", "3月17日", "2026年3月18日"), strict=True):
        ws.cell(r, 6, "2026Q1")
        ws.cell(r, col, when)
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
    wb.save(tmp_path / "dated.xlsx")
    code, out = _cli("load", str(result), str(tmp_path / "dated.xlsx"), "-o", str(tmp_path / "m.gpkg"))
    assert code == 0, out
    flat = " ".join(out.split())
    assert "MAT-DATE-UNREAD" in flat and "dated.xlsx" in flat and "H4=3月17日" in flat
    assert "2026/3/16" in flat and "评分表" in flat  # the fix's example, the sheet
    (warning,) = read_scores(tmp_path / "dated.xlsx", UNITS).attrs["warnings"]
    assert warning.code == "MAT-DATE-UNREAD" and warning.rows == (4,)  # the row as Excel numbers it
    table = pyogrio.read_dataframe(tmp_path / "m.gpkg", layer="unit_maturity", read_geometry=False)
    dates = dict(zip(table["unit_id"], table["date"], strict=True))
    assert dates == {"U001": "2026-03-16", "U002": "2026-03-16", "U003": "3月17日", "U004": "2026-03-18"}
    scores = pyogrio.read_dataframe(tmp_path / "m.gpkg", layer="scores", read_geometry=False)
    assert set(scores["date"]) == {"2026-03-16", "3月17日", "2026-03-18"}


def _two_quarters(result: Path, tmp: Path) -> Path:
    """The template with its score sheet copied: 三季度 (all 5) and 四季度 (all 7), then the instructions."""
    wb = _template(result, tmp)
    q3 = wb.worksheets[0]
    q3.title = "三季度"
    q4 = wb.copy_worksheet(q3)
    q4.title = "四季度"
    wb.move_sheet(q4, -(len(wb.sheetnames) - 2))
    for ws, per, score in ((q3, "2026Q3", 5), (q4, "2026Q4", 7)):
        for r in range(2, 6):
            ws.cell(r, 6, per)
            for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
                ws.cell(r, c, score)
    wb.save(tmp / "two.xlsx")
    return tmp / "two.xlsx"


def test_sheet_reads_only_the_named_worksheet(result: Path, tmp_path: Path) -> None:
    """Defect 3: there was no way to read one sheet of a workbook (every visible score sheet was read)."""
    two = _two_quarters(result, tmp_path)
    code, out = _cli("load", str(result), str(two), "-o", str(tmp_path / "m.gpkg"), "--sheet", "四季度")
    assert code == 0, out
    assert "2026Q4" in out and "2026Q3" not in out
    code, out = _cli("load", str(result), str(two), "-o", str(tmp_path / "b.gpkg"), "--sheet", "四季度",
                     "--sheet", "三季度")
    assert code == 0, out
    assert "2026Q3、2026Q4" in out


def test_an_unknown_sheet_name_is_refused_listing_the_sheets(result: Path, tmp_path: Path) -> None:
    """Defect 3: a name the workbook lacks is a coded error naming the worksheets there are; nothing written."""
    two = _two_quarters(result, tmp_path)
    code, out = _cli("load", str(result), str(two), "-o", str(tmp_path / "m.gpkg"), "--sheet", "4季度")
    flat = "".join(out.split())
    assert code == 2, out
    assert "MAT-SHEET-UNKNOWN" in flat and "two.xlsx" in flat and "“4季度”" in flat
    assert "“三季度”、“四季度”、“填写说明”" in flat
    assert not (tmp_path / "m.gpkg").exists()
    code, out = _cli("load", str(result), str(two), "-o", str(tmp_path / "m.gpkg"), "--sheet", "三季度",
                     "--sheet", "Q4", "--lang", "en")
    assert code == 2 and "no worksheet named 'Q4';" in " ".join(out.split())  # 三季度 is there: not named
    assert not (tmp_path / "m.gpkg").exists()


def test_every_file_must_have_a_named_sheet(result: Path, tmp_path: Path) -> None:
    """Defect 3: with several files, a file with none of the named worksheets (a CSV has none) is not passed over
    in silence, while a name found in another file is fine."""
    import pytest

    from yuanluo.gis.errors import InputError

    two = _two_quarters(result, tmp_path)
    (tmp_path / "s.csv").write_text("院落编号,评估期,政策宣讲-内容\nU001,2026Q1,7\n", encoding="utf-8")
    t = read_scores([two], UNITS, sheet_names=["三季度"])
    assert set(t["period"]) == {"2026Q3"}
    with pytest.raises(InputError) as e:
        read_scores([two, tmp_path / "s.csv"], UNITS, sheet_names=["三季度"])
    assert [(p.code, p.file) for p in e.value.problems] == [("MAT-SHEET-UNKNOWN", "s.csv")]


def test_the_score_sheet_prints_landscape_one_page_wide_with_its_header(result: Path, tmp_path: Path) -> None:
    """Defect 4: the 26-column score sheet printed portrait over several pages wide, its header on page 1 only."""
    ws = _template(result, tmp_path).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
