"""Every sheet of a workbook Yuanluo writes opens in QGIS with its header row as field names, also a table without
rows and the maturity template's instructions (fixer FC, session 33).

GDAL's XLSX driver (QGIS, ``pyogrio``; ``OGR_XLSX_HEADERS=AUTO``) takes a sheet's first row for its field names
only when the row under it holds a cell that is not text; a sheet of one row is always read as one feature with
fields ``Field1``, ``Field2`` …. s32 numbered the tables of text alone (序号), which left two cases:

* a table without rows — ``repair --moves 调整.xlsx`` when nothing moves, ``check --csv 检查.xlsx``'s findings of
  a plan that passes — was its header alone: QGIS read ``Field1`` … ``Field5`` and the header as a feature. It
  now has one row saying the table has none (（无：本表没有记录）), its 序号 cell a blank number cell;
* the template's 填写说明 sheet was a title and seven lines of text: ``Field1`` and eight features. It now has a
  header (序号, the title) over the instructions numbered 1 … 7.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from shared_fixtures import needs_qgis, qgis_sheets
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app
from yuanluo.planners.maturity import template_bytes
from yuanluo.planners.tables import tables_xlsx

runner = CliRunner()
ENV = {"COLUMNS": "400"}
IDS = [f"{51 + i:06d}" for i in range(8)]


def _passing(tmp: Path) -> tuple[Path, Path, Path]:
    """Eight households, a plan of two units of four, rules that all apply (no RULE-UNAPPLIED): nothing to find,
    nothing to move."""
    hh, plan, rules = tmp / "hh.csv", tmp / "plan.csv", tmp / "rules.toml"
    rows = [f"{h},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3" for i, h in enumerate(IDS)]
    hh.write_text("\n".join(["户编号,经度,纬度,人口", *rows]) + "\n", encoding="utf-8")
    plan.write_text("\n".join(["户编号,院落编号", *(f"{h},U{1 + i // 4}" for i, h in enumerate(IDS))]) + "\n",
                    encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 2\nmax_size = 10\nnest_by = []\nkeep_settlements = false\n"
                     "require_head = false\n", encoding="utf-8")
    return hh, plan, rules


UNITS = pd.DataFrame({"unit_id": ["U1", "U2"], "name": [None, "东院"], "village": ["东村"] * 2,
                      "group": [None] * 2, "n_households": [4, 4]})


@pytest.fixture(scope="module", params=["zh", "en"])
def books(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Path]]:
    """repair's moves and check's findings of a plan that passes, and the maturity template, in ``lang``."""
    lang = request.param
    d = tmp_path_factory.mktemp(f"fc_{lang}")
    hh, plan, rules = _passing(d)
    out = {"fixed": d / "fixed.xlsx", "moves": d / "moves.xlsx", "check": d / "check.xlsx",
           "template": d / "template.xlsx"}
    res = runner.invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4326", "--rules", str(rules),
                              "--plan", str(plan), "-o", str(out["fixed"]), "--moves", str(out["moves"]), "-q"],
                        env=ENV)
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4326", "--rules", str(rules),
                              "--plan", str(plan), "--csv", str(out["check"]), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    out["template"].write_bytes(template_bytes(UNITS, lang=lang))
    return lang, out


def _header(ws: object) -> list[object]:
    return [c.value for c in ws[1]]  # type: ignore[index]


def test_every_sheet_opens_in_gdal_with_its_header_as_field_names(books: tuple[str, dict[str, Path]]) -> None:
    """pyogrio (GDAL 3.12): each sheet's fields are its header row; the header is no feature."""
    _, out = books
    for path in out.values():
        for ws in openpyxl.load_workbook(path).worksheets:
            df = pyogrio.read_dataframe(path, layer=ws.title)
            assert list(df.columns) == _header(ws), (path.name, ws.title, list(df.columns))
            assert len(df) == ws.max_row - 1, (path.name, ws.title, len(df))


def test_a_table_without_rows_has_one_row_saying_so(books: tuple[str, dict[str, Path]]) -> None:
    """The moves and the findings: in Excel the header (序号 first, as when there are rows) and one row, its 序号
    blank and the next cell saying the table has none; in QGIS that row is the one feature, 序号 null."""
    lang, out = books
    none, no = text("plan.empty_table", lang), text("print.col_no", lang)
    moves = openpyxl.load_workbook(out["moves"]).active
    findings = openpyxl.load_workbook(out["check"]).worksheets[0]
    assert _header(moves) == [no, text("field.hid", lang), text("field.from_unit", lang),
                              text("field.to_unit", lang), text("field.reason", lang)]
    assert _header(findings)[:2] == [no, text("field.code", lang)]
    for path, ws in ((out["moves"], moves), (out["check"], findings)):
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        assert rows == [[None, none, *[None] * (ws.max_column - 2)]], (path.name, rows)
        assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:{ws.cell(2, ws.max_column).coordinate}"
        df = pyogrio.read_dataframe(path, layer=ws.title)
        assert df.iloc[:, 1].tolist() == [none] and df.iloc[0].drop(df.columns[1]).isna().all(), df
    assert "（无" in text("plan.empty_table", "zh") and "none" in text("plan.empty_table", "en")


def test_the_instructions_sheet_has_a_header_over_numbered_instructions(books: tuple[str, dict[str, Path]]) -> None:
    """填写说明 / Instructions: 序号 and the title as the header, the seven instructions numbered 1 … 7 (the number
    no longer written into the text), read by GDAL as two fields and seven features."""
    lang, out = books
    ws = openpyxl.load_workbook(out["template"]).worksheets[1]
    assert ws.title == text("maturity.template.help_sheet", lang)
    assert _header(ws) == [text("print.col_no", lang), text("maturity.help.title", lang)]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(range(1, 8))
    assert all(isinstance(r[1], str) and len(r[1]) > 20 and not r[1][0].isdigit() for r in rows), rows
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1" and ws["B2"].alignment.wrap_text
    df = pyogrio.read_dataframe(out["template"], layer=ws.title)
    assert df.iloc[:, 0].tolist() == list(range(1, 8)) and df.iloc[:, 1].tolist() == [r[1] for r in rows]


def test_the_template_still_reads_back_and_its_instructions_are_skipped(books: tuple[str, dict[str, Path]],
                                                                        tmp_path: Path) -> None:
    """The instructions sheet, now with a header row, is still no score sheet: a filled template reads back."""
    from yuanluo.gis.maturity import read_scores

    _, out = books
    wb = openpyxl.load_workbook(out["template"])
    ws = wb.worksheets[0]
    for r in (2, 3):
        ws.cell(r, 6).value = "2026Q1"
        ws.cell(r, 9).value = 7
    wb.save(tmp_path / "filled.xlsx")
    got = read_scores(tmp_path / "filled.xlsx", ["U1", "U2"])
    assert sorted(set(got["unit_id"])) == ["U1", "U2"] and got["score"].dropna().tolist() == [7, 7]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_tables_are_the_same_bytes_each_time_and_every_sheet_reads(lang: str, tmp_path: Path) -> None:
    """tables_xlsx itself: an empty table of texts, one of numbers and one with rows, side by side; the same bytes
    twice; each sheet's header its field names in GDAL."""
    sheets = {"a": pd.DataFrame({"x": pd.Series([], dtype=object), "y": pd.Series([], dtype=object)}),
              "b": pd.DataFrame({"n": pd.Series([], dtype="Int64")}),
              "c": pd.DataFrame({"x": ["000051"], "n": [3]})}
    data = tables_xlsx(sheets, lang)
    assert data == tables_xlsx(sheets, lang)
    assert template_bytes(UNITS, lang=lang) == template_bytes(UNITS, lang=lang)
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    no = text("print.col_no", lang)
    for title, head, n in (("a", [no, "x", "y"], 1), ("b", [no, "n"], 1), ("c", ["x", "n"], 1)):
        assert [c.value for c in openpyxl.load_workbook(io.BytesIO(data))[title][1]] == head
        df = pyogrio.read_dataframe(path, layer=title)
        assert list(df.columns) == head and len(df) == n, (title, list(df.columns), len(df))


@needs_qgis
def test_qgis_opens_every_sheet_with_its_header_as_field_names(books: tuple[str, dict[str, Path]]) -> None:
    """QGIS itself, with the GDAL it is built against (3.6, older than ``pyogrio``'s)."""
    _, out = books
    for path in out.values():
        wb = openpyxl.load_workbook(path)
        got, said = qgis_sheets(path, wb.sheetnames)
        assert len(got) == len(wb.sheetnames), said
        for ws, (valid, count, *names) in zip(wb.worksheets, got, strict=True):
            assert valid == "True" and names == _header(ws), (path.name, ws.title, valid, names)
            assert int(count) == ws.max_row - 1, (path.name, ws.title, count)
