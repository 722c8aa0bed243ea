"""Hidden and filtered rows of a workbook were read without a word (隐藏行.xlsx, rows 20–29 hidden: validate
reported 120 households). The reading now names them (:attr:`Sheet.hidden_rows`), for the load stage's warning."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from yuanluo.gis.sheets import read_workbook


def test_hidden_and_filtered_rows_are_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "农户"
    ws.append(["户编号", "行政村"])
    for i in range(8):
        ws.append([f"{i + 1:03d}", "新华村" if i < 4 else "石桥村"])
    ws.auto_filter.ref = "A1:B9"
    for r in (6, 7, 8, 9):  # the filter 行政村 = 新华村, as Excel saves it: the other rows hidden
        ws.row_dimensions[r].hidden = True
    ws.row_dimensions[12].hidden = True  # hidden, but blank: nothing read from it
    side = wb.create_sheet("说明")
    side.append(["无"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    book = read_workbook(path, "f.xlsx")
    assert [(s.name, s.hidden_rows) for s in book] == [("农户", [6, 7, 8, 9]), ("说明", [])]
    assert len(book[0].rows) == 9  # still read: the warning says so, and how to leave them out


def test_audit_workbook(tmp_path: Path) -> None:
    """The audit's 隐藏行.xlsx, rebuilt: 120 households, Excel rows 20–29 hidden."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户编号", "经度", "纬度"])
    for i in range(120):
        ws.append([f"H{i:03d}", 106.5 + i * 1e-4, 29.5])
    for r in range(20, 30):
        ws.row_dimensions[r].hidden = True
    wb.save(tmp_path / "隐藏行.xlsx")
    assert read_workbook(tmp_path / "隐藏行.xlsx", "隐藏行.xlsx")[0].hidden_rows == list(range(20, 30))
