"""Every workbook Yuanluo writes opens in QGIS with its header row as field names (audit s32 ZC, fixer FL).

GDAL's XLSX driver (QGIS, ``pyogrio``; ``OGR_XLSX_HEADERS=AUTO``) takes a sheet's first row for its field names
only when the row under it holds a cell that is not text. s31 made the ``delineate --xlsx`` plan so; the other
writers of :func:`yuanluo.planners.tables.tables_xlsx` did not: ``repair -o 方案.xlsx`` (户编号, 院落编号),
``repair --moves 调整.xlsx`` and ``check --csv 检查.xlsx``'s findings are text alone, so QGIS read them as
``Field1``, ``Field2`` … with the header as the first feature. A table whose first row holds no number is now
written with its rows numbered (序号 / No.); Yuanluo reads the repaired plan back as before.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from shared_fixtures import needs_qgis, qgis_sheets
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
IDS = [f"{51 + i:06d}" for i in range(8)]  # 000051 … 000058: ids Excel would make numbers


def _inputs(tmp: Path) -> tuple[Path, Path]:
    """Eight households in a row, one villager group; a plan of a unit of seven and a unit of one (below --min 2):
    repair moves a household, check finds the unit too small."""
    hh, plan = tmp / "hh.csv", tmp / "plan.csv"
    rows = [f"{h},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3,一组" for i, h in enumerate(IDS)]
    hh.write_text("\n".join(["户编号,经度,纬度,人口,村民小组", *rows]) + "\n", encoding="utf-8")
    units = ["U1"] * 7 + ["U2"]
    plan.write_text("\n".join(["户编号,院落编号", *(f"{h},{u}" for h, u in zip(IDS, units, strict=True))]) + "\n",
                    encoding="utf-8")
    return hh, plan


RULES = ["--crs", "EPSG:4326", "--min", "2", "--max", "10"]


@pytest.fixture(scope="module", params=["zh", "en"])
def books(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, dict]:
    """The repaired plan, the moves and the check's findings as workbooks, in ``lang``."""
    lang = request.param
    d = tmp_path_factory.mktemp(f"fl_{lang}")
    hh, plan = _inputs(d)
    out = {"fixed": d / "fixed.xlsx", "moves": d / "moves.xlsx", "check": d / "check.xlsx"}
    res = runner.invoke(app, ["--lang", lang, "repair", str(hh), *RULES, "--plan", str(plan), "-o",
                              str(out["fixed"]), "--moves", str(out["moves"]), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), *RULES, "--plan", str(plan), "--csv",
                              str(out["check"]), "-q"], env=ENV)
    assert res.exit_code == 1, res.output
    return lang, hh, out


def test_every_sheet_opens_in_gdal_with_its_header_as_field_names(books: tuple[str, Path, dict]) -> None:
    _, _, out = books
    for path in out.values():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            head = [c.value for c in ws[1]]
            assert ws.max_row > 1, (path.name, ws.title)  # a table with rows: GDAL has a row to tell its header by
            df = pyogrio.read_dataframe(path, layer=ws.title)
            assert list(df.columns) == head, (path.name, ws.title, list(df.columns))
            assert len(df) == ws.max_row - 1, (path.name, ws.title)  # the header row is no feature


def test_the_text_tables_are_numbered_and_keep_their_ids_as_text(books: tuple[str, Path, dict]) -> None:
    """In Excel: 序号 / No. 1, 2, … first, then the table as before, ids text cells with their leading zeros, the
    number and the first column of the table frozen; the check's units sheet (numbers of its own) unchanged."""
    lang, _, out = books
    no = text("print.col_no", lang)
    fixed = openpyxl.load_workbook(out["fixed"]).active
    assert [c.value for c in fixed[1]] == [no, text("field.hid", lang), text("field.unit_id", lang)]
    rows = list(fixed.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == list(range(1, len(IDS) + 1))
    assert sorted(r[1].value for r in rows) == IDS and all(r[1].data_type == "s" for r in rows)
    assert fixed.freeze_panes == "C2"
    moves = openpyxl.load_workbook(out["moves"]).active
    head = [c.value for c in moves[1]]
    assert head[0] == no and head[1] == text("field.hid", lang) and moves.max_row == 2
    assert moves["A2"].value == 1 and moves["B2"].value in IDS and moves["B2"].data_type == "s"
    findings, units = openpyxl.load_workbook(out["check"]).worksheets
    assert findings["A1"].value == no and findings["A2"].value == 1
    assert "SIZE-LOW" in [r[1] for r in findings.iter_rows(min_row=2, values_only=True)]
    assert units["A1"].value == text("field.unit_id", lang) and units.freeze_panes == "B2"


def test_yuanluo_reads_the_numbered_plan_back(books: tuple[str, Path, dict], tmp_path: Path) -> None:
    """``check --plan 方案.xlsx`` of the repaired workbook passes as the same plan written as CSV does, and repair
    of it has nothing to move."""
    lang, hh, out = books
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), *RULES, "--plan", str(out["fixed"]), "--csv",
                              str(tmp_path / "again.csv"), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    got = pd.read_csv(tmp_path / "again_units.csv", dtype=str, encoding="utf-8-sig")
    assert len(got) == 2
    fixed = openpyxl.load_workbook(out["fixed"]).active
    csv = tmp_path / "fixed.csv"
    csv.write_text("\n".join([f"{text('field.hid', lang)},{text('field.unit_id', lang)}",
                              *(f"{r[1]},{r[2]}" for r in fixed.iter_rows(min_row=2, values_only=True))]) + "\n",
                   encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), *RULES, "--plan", str(csv), "--csv",
                              str(tmp_path / "csv.csv"), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "csv_units.csv").read_bytes() == (tmp_path / "again_units.csv").read_bytes()


@needs_qgis
def test_qgis_opens_every_sheet_with_its_header_as_field_names(books: tuple[str, Path, dict]) -> None:
    """QGIS itself, with the GDAL it is built against (older than ``pyogrio``'s)."""
    _, _, out = books
    for path in out.values():
        wb = openpyxl.load_workbook(path)
        got, said = qgis_sheets(path, wb.sheetnames)
        assert len(got) == len(wb.sheetnames), said
        for ws, (valid, count, *names) in zip(wb.worksheets, got, strict=True):
            assert valid == "True" and names == [c.value for c in ws[1]], (path.name, ws.title, valid, names)
            assert int(count) == ws.max_row - 1, (path.name, ws.title, count)
