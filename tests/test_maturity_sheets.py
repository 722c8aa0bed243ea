"""Score workbooks read as Excel shows them (the roster reader, gis.sheets.read_workbook): cells of a unit or period
merged down over several rows, unit ids shown with leading zeros by their number format, a stray format in the
sheet's last cell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

FIRST_SCORE_COL = 9  # column I of the template
UNITS = ["U001", "U002", "U003", "U004"]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A delineation result of four units, U001 … U004."""
    d = tmp_path_factory.mktemp("matsheets")
    layers = sample_layers(100, block=5)
    write_layers(d / "result.gpkg", {k: v for k, v in layers.items() if k != "run"})
    return d / "result.gpkg"


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result whose units carry the planner's own courtyard numbers, 0001 … 0004 (a plan's ids, kept)."""
    d = tmp_path_factory.mktemp("matnumbered")
    layers = {k: v.copy() for k, v in sample_layers(100, block=5).items() if k != "run"}
    ids = {u: f"{i + 1:04d}" for i, u in enumerate(UNITS)}
    for df in layers.values():
        for col in ("unit_id", "unit_a", "unit_b"):
            if col in df.columns:
                df[col] = df[col].map(lambda v: ids.get(v, v))
    write_layers(d / "result.gpkg", layers)
    return d / "result.gpkg"


def _template(result: Path, tmp: Path) -> openpyxl.Workbook:
    M.write_template(result, tmp / "template.xlsx")
    return openpyxl.load_workbook(tmp / "template.xlsx")


def _scores(ws: openpyxl.worksheet.worksheet.Worksheet, row: int, score: int) -> None:
    for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
        ws.cell(row, c, score)


def test_a_period_merged_down_the_sheet_is_every_rows_period(result: Path, tmp_path: Path) -> None:
    """The town office merged the period cell down over all four units (one period per sheet): each row is in
    that period, as Excel shows it (it was MAT-MERGED, and the rows below the first had no period)."""
    wb = _template(result, tmp_path)
    ws = wb.worksheets[0]
    ws["F2"] = "2026Q1"
    for r in range(2, 6):
        _scores(ws, r, r + 3)
    ws.merge_cells("F2:F5")
    wb.save(tmp_path / "filled.xlsx")
    t = read_scores(tmp_path / "filled.xlsx", UNITS)
    got = t.drop_duplicates("unit_id")[["unit_id", "period", "score", "row"]]
    assert got.values.tolist() == [["U001", "2026Q1", 5, 2], ["U002", "2026Q1", 6, 3], ["U003", "2026Q1", 7, 4],
                                   ["U004", "2026Q1", 8, 5]]


def test_a_unit_merged_down_over_its_periods_is_every_rows_unit(result: Path, tmp_path: Path) -> None:
    """A sheet of two periods kept per unit: the unit's id, name and village merged down over its two rows."""
    wb = _template(result, tmp_path)
    ws = wb.worksheets[0]
    base = [[c.value for c in row][:5] for row in ws.iter_rows(min_row=2, max_row=5)]
    ws.delete_rows(2, 5)
    r = 2
    for i, values in enumerate(base):
        for k, per in enumerate(("2026Q1", "2026Q2")):
            for j, v in enumerate(values, start=1):
                ws.cell(r + k, j, v if k == 0 else None)
            ws.cell(r + k, 6, per)
            _scores(ws, r + k, i + k + 1)
        for col in "ABC":
            ws.merge_cells(f"{col}{r}:{col}{r + 1}")
        r += 2
    wb.save(tmp_path / "filled.xlsx")
    out = M.load_scores(result, tmp_path / "filled.xlsx", tmp_path / "m.gpkg")
    assert out is not None
    t = read_scores(tmp_path / "filled.xlsx", UNITS)
    got = t.drop_duplicates(["unit_id", "period"])[["unit_id", "period", "score", "row"]].values.tolist()
    assert got == [["U001", "2026Q1", 1, 2], ["U001", "2026Q2", 2, 3], ["U002", "2026Q1", 2, 4],
                   ["U002", "2026Q2", 3, 5], ["U003", "2026Q1", 3, 6], ["U003", "2026Q2", 4, 7],
                   ["U004", "2026Q1", 4, 8], ["U004", "2026Q2", 5, 9]]


def test_a_score_merged_across_units_or_indicators_is_still_merged(result: Path, tmp_path: Path) -> None:
    """A score belongs to one unit and one indicator: a score cell merged down or across stays MAT-MERGED, named
    by its cells, with the rows as Excel numbers them."""
    wb = _template(result, tmp_path)
    ws = wb.worksheets[0]
    for r in range(2, 6):
        ws.cell(r, 6, "2026Q1")
        _scores(ws, r, 7)
    ws.merge_cells("I3:I4")
    ws.merge_cells("J5:K5")
    wb.save(tmp_path / "filled.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "filled.xlsx", UNITS)
    assert e.value.codes == ["MAT-MERGED"] and e.value.problems[0].rows == (3, 5)
    assert "I3:I4, J5:K5" in e.value.render("en")


def test_unit_ids_shown_with_leading_zeros_by_their_format_are_the_templates(numbered: Path, tmp_path: Path) -> None:
    """The template lists the planner's courtyard numbers 0001 … 0004 as text; the town office typed them into a
    sheet of its own whose id column is formatted 0000, so Excel stores the numbers 1 … 4 and shows 0001 … 0004.
    They are the template's units (they were MAT-UNIT-UNKNOWN: 1, 2, 3, 4)."""
    wb = _template(numbered, tmp_path)
    assert [wb.worksheets[0].cell(r, 1).value for r in range(2, 6)] == ["0001", "0002", "0003", "0004"]
    ws = wb.worksheets[0]
    for r in range(2, 6):
        ws.cell(r, 1, r - 1).number_format = "0000"
        ws.cell(r, 6, "2026Q1")
        _scores(ws, r, 8)
    wb.save(tmp_path / "filled.xlsx")
    out = M.load_scores(numbered, tmp_path / "filled.xlsx", tmp_path / "m.gpkg")
    assert out is not None
    t = read_scores(tmp_path / "filled.xlsx", ["0001", "0002", "0003", "0004"])
    assert sorted(set(t["unit_id"])) == ["0001", "0002", "0003", "0004"] and set(t["score"]) == {8}


def test_a_stray_format_in_the_last_cell_is_read_in_bounded_memory(result: Path, tmp_path: Path) -> None:
    """A stray number format in XFD1048576 makes the sheet declare a billion cells: the sheet is read as far as
    its last value, under a 3 GB address-space limit."""
    wb = _template(result, tmp_path)
    ws = wb.worksheets[0]
    for r in range(2, 6):
        ws.cell(r, 6, "2026Q1")
        _scores(ws, r, 9)
    ws.cell(1048576, 16384).number_format = "0.00"
    wb.save(tmp_path / "bloated.xlsx")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30));"
            "from yuanluo.gis.maturity import read_scores;"
            "t = read_scores(sys.argv[1], ['U001', 'U002', 'U003', 'U004']);"
            "print(len(t), sorted(set(t['unit_id'])), sorted(int(s) for s in set(t['score'])))")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "bloated.xlsx")], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == "72 ['U001', 'U002', 'U003', 'U004'] [9]"
