"""Audits s29/I §4 and s29/H §3: errors name the file and rows, and quote a cell as the sheet shows it.

- ``DEM-COVER`` named the DEM by its base name only and the households by their ids, without the household file
  or its rows; now the DEM as given and "文件 …：… （第 N 行；编号 …）" of the household file.
- ``CHECK-PERSONS`` named no file, and its fix only some of the column names read as persons.
- ``maturity load`` quoted a score-sheet cell NFKC-normalised (``备注:`` for the ``备注：`` in the cell) and a
  yes/no cell as Python's ``True``: now as Excel and WPS show them (``备注：…``, ``TRUE``).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import test_maturity_sheets as sheets
from typer.testing import CliRunner

from yuanluo.planners import maturity as M

FIRST_SCORE_COL = sheets.FIRST_SCORE_COL
result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _flat(output: str) -> str:
    return " ".join(output.split())


def _load(lang: str, *args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, ["--lang", lang, "maturity", "load", *args])
    return r.exit_code, r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_maturity_cells_are_quoted_as_the_sheet_shows_them(result: Path, tmp_path: Path, lang: str) -> None:
    """A note row ``备注：本表由村委会填写`` (full-width colon) under the units was quoted ``A6=备注:本表…``, a
    yes/no score cell ``I3=True``; searching Excel for either found nothing. Now ``备注：…`` and ``TRUE``."""
    M.write_template(result, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, 6):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
    ws.cell(3, FIRST_SCORE_COL, True)
    ws.cell(6, 1, "备注：本表由村委会填写")
    wb.save(tmp_path / "s.xlsx")
    out_path = tmp_path / "m.gpkg"
    code, out = _load(lang, str(result), str(tmp_path / "s.xlsx"), "-o", str(out_path))
    assert code == 2, out
    flat = _flat(out)
    assert "MAT-UNIT-UNKNOWN" in flat and "MAT-SCORE" in flat
    assert "A6=备注：本表由村委会填写" in flat and "备注:" not in flat
    assert "I3=TRUE" in flat and "True" not in flat
    assert not out_path.exists()
