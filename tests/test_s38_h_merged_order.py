"""Session 38 audit (helper H): XLSX-MERGED listed a roster's merged columns in the order the workbook lists
its merged ranges ("户主姓名、村、组、经度、户编号、纬度"), not as the sheet shows them left to right."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from yuanluo.gis.io import read_households

HEADER = ["户编号", "经度", "纬度", "村", "组", "户主姓名"]


def _roster(tmp: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(8):
        ws.append([f"{i + 1:04d}", 106.5 + 0.00037 * i, 29.5 + 0.00011 * i, "石龙村" if i == 0 else None,
                   f"{i // 4 + 1}组" if i % 4 == 0 else None, f"户主{i}" if i % 2 == 0 else None])
    # merged ranges listed right to left, then the middle: that order must not leak into the message
    for col, step in ((6, 2), (4, 8), (5, 4)):
        for top in range(2, 10, step):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + step - 1, end_column=col)
    p = tmp / "merged.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_merged_columns_are_listed_in_sheet_order(tmp_path: Path, lang: str) -> None:
    _, report = read_households(_roster(tmp_path), crs="EPSG:4490")
    (note,) = [w for w in report.warnings if w.code == "XLSX-MERGED"]
    title = note.title(lang)
    at = [title.index(name) for name in HEADER[3:]]
    assert at == sorted(at), title


def test_english_says_column_or_columns(tmp_path: Path) -> None:
    _, report = read_households(_roster(tmp_path), crs="EPSG:4490")
    (note,) = [w for w in report.warnings if w.code == "XLSX-MERGED"]
    assert "in 3 columns (村, 组, 户主姓名)" in note.title("en") and "的 3 列（村、组、户主姓名）" in note.title("zh")
