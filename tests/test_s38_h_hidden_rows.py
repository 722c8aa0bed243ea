"""Session 38 audit (helper G found, H says it): rows hidden or filtered out in Excel were read as households
without a word (隐藏行.xlsx, rows 20–29 hidden: validate said 120 households). 29ddaaf made gis.sheets find them;
the reading now says them (XLSX-HIDDEN-ROWS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from yuanluo.gis.io import read_households


def _book(tmp: Path, hidden: list[int]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["户编号", "经度", "纬度", "村"])
    for i in range(8):
        ws.append([f"{i + 1:04d}", 106.5 + 0.00037 * i, 29.5 + 0.00023 * i, "石龙村"])
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    p = tmp / "hh.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hidden_rows_read_are_said(tmp_path: Path, lang: str) -> None:
    h, rep = read_households(_book(tmp_path, [4, 5, 7]), crs="EPSG:4490")
    assert len(h) == 8
    (w,) = [w for w in rep.warnings if w.code == "XLSX-HIDDEN-ROWS"]
    assert w.rows == (4, 5, 7) and w.severity == "warning"
    assert {"zh": "3 行在 Excel 中被隐藏", "en": "3 rows are hidden in Excel"}[lang] in w.message(lang)


def test_one_hidden_row_in_english_and_none_hidden(tmp_path: Path) -> None:
    _, rep = read_households(_book(tmp_path, [3]), crs="EPSG:4490")
    (w,) = [w for w in rep.warnings if w.code == "XLSX-HIDDEN-ROWS"]
    assert "1 row is hidden" in w.message("en")
    _, rep = read_households(_book(tmp_path, []), crs="EPSG:4490")
    assert "XLSX-HIDDEN-ROWS" not in [w.code for w in rep.warnings]
