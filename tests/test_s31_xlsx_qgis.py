"""The ``--xlsx`` plan opens in QGIS with its headers (audit s31 Z2 defect 5).

GDAL's XLSX driver (QGIS, ``pyogrio``) takes a sheet's first row for its field names only when that row is all
text and the second row is not (``OGR_XLSX_HEADERS=AUTO``). The sheet 院落汇总 / Units of a plan with declared
exceptions had the note beside its table, after an empty column (a header row with an empty cell), and the sheet
规则 / Rules was all text: QGIS read both as ``Field1``, ``Field2`` … with their header rows as features. The note
is now a sheet of its own (说明 / Notes, after the units sheet), and both it and the rules sheet number their
rows (序号 / No.); in Excel every table reads as before.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pyogrio
import pytest
from shared_fixtures import needs_qgis, qgis_sheets
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app
from yuanluo.planners.tables import NOTE_KEY, rules_table, run_rules

runner = CliRunner()


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """The demo village delineated with a band it cannot keep everywhere (a declared exception unit), in ``lang``: the
    result file and its Excel plan."""
    lang = request.param
    d = tmp_path_factory.mktemp(f"plan_{lang}")
    hh = W.sample_paths()["households"].split("::")[0]
    res = runner.invoke(app, ["--lang", lang, "delineate", hh, "--layer", "households", "--min", "30", "--max",
                              "50", "-o", str(d / "r.gpkg"), "--xlsx", str(d / "plan.xlsx"), "-q"])
    assert res.exit_code == 0, res.output
    return lang, d / "r.gpkg", d / "plan.xlsx"


def _titles(lang: str) -> tuple[str, str, str, str]:
    return (text("plan.sheet", lang), text("plan.units_sheet", lang), text("plan.notes_sheet", lang),
            text("plan.rules_sheet", lang))


def test_every_sheet_opens_in_gdal_with_its_header_names(plan: tuple[str, Path, Path]) -> None:
    lang, _, xlsx = plan
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == list(_titles(lang))
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        df = pyogrio.read_dataframe(xlsx, layer=ws.title)
        assert list(df.columns) == head, (ws.title, list(df.columns))
        assert len(df) == ws.max_row - 1, ws.title  # the header row is no feature, and nothing else is one


def test_excel_reads_the_tables_as_before_and_the_note_on_its_own_sheet(plan: tuple[str, Path, Path]) -> None:
    import geopandas as gpd

    lang, gpkg, xlsx = plan
    plan_t, units_t, note_t, rules_t = _titles(lang)
    wb = openpyxl.load_workbook(xlsx)
    units = gpd.read_file(gpkg, layer="units")
    assert (units["status"] == "exception").any()  # a plan with declared exceptions: it has the note
    ws = wb[units_t]
    head = [c.value for c in ws[1]]
    assert head[:2] == (["院落编号", "院落户数"] if lang == "zh" else ["Unit ID", "Households"])
    # the units table alone: no cell outside it, its filter over it
    assert ws.max_column == len(head) and None not in head and ws.max_row == len(units) + 1
    assert sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True)) == sorted(units["unit_id"])
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{len(units) + 1}"
    # the note, line by line, numbered, every line a text cell
    note = wb[note_t]
    assert [c.value for c in note[1]] == [text("print.col_no", lang), text("plan.notes_col", lang)]
    rows = list(note.iter_rows(min_row=2))
    lines = text(NOTE_KEY, lang).split("\n")
    assert [(a.value, b.value) for a, b in rows] == list(enumerate(lines, start=1))
    assert all(b.data_type == "s" for _, b in rows) and rows[0][1].value.startswith("注：" if lang == "zh" else "Note:")
    # the rules: the rule table as before, each row numbered
    rules = wb[rules_t]
    said = rules_table(run_rules(gpd.read_file(gpkg, layer="run")), lang,  # the households' columns: no candidate
                       columns=gpd.read_file(gpkg, layer="households").columns)  # column, the head rule not checked
    assert said is not None
    assert [c.value for c in rules[1]] == [text("print.col_no", lang), *said.columns]
    got = list(rules.iter_rows(min_row=2, values_only=True))
    assert got == [(k, *r) for k, r in enumerate(said.itertuples(index=False, name=None), start=1)]
    assert wb[plan_t].max_row == len(gpd.read_file(gpkg, layer="households")) + 1


@needs_qgis
def test_qgis_opens_every_sheet_with_its_header_names(plan: tuple[str, Path, Path]) -> None:
    """QGIS itself, with the GDAL it is built against (older than ``pyogrio``'s)."""
    lang, _, xlsx = plan
    wb = openpyxl.load_workbook(xlsx)
    got, said = qgis_sheets(xlsx, wb.sheetnames)
    assert len(got) == len(wb.sheetnames), said
    for ws, (valid, _count, *names) in zip(wb.worksheets, got, strict=True):
        assert valid == "True" and names == [c.value for c in ws[1]], (ws.title, valid, names)
