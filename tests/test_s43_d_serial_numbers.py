"""A roster's 序号 (the row numbers a clerk keeps, numbers in the workbook) reached the outputs as text: a TEXT
field in the GeoPackage (QGIS sorted it 1, 10, 11 … 2) and text cells in the Excel plan (``--fields 序号``: Excel's
green "number stored as text" triangle on every row). A 序号 column of whole numbers is now read as whole numbers
(a blank stays missing); one with a leading zero or a word keeps its text. A workbook's other whole-number columns
(常住人口) stay as the file had them: numbers where every cell was a number, text where one was text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _roster(path: Path, serial: list[object]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["序号", "户编号", "村", "组", "人口", "常住人口", "经度", "纬度"])
    for n, s in enumerate(serial, start=1):
        ws.append([s, f"H{n:03d}", "新华村", "1组", 3, 2, 107.7308 + (n % 6) * 0.0004, 29.7962 + (n // 6) * 0.0004])
    wb.save(path)
    return path


SERIAL = [*range(1, 4), None, *range(5, 13)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_serial_read_as_numbers(tmp_path: Path, fmt: str) -> None:
    p = _roster(tmp_path / "农户.xlsx", SERIAL)
    if fmt == "csv":
        rows = [[("" if c.value is None else str(c.value)) for c in r] for r in openpyxl.load_workbook(p).active.rows]
        p = tmp_path / "农户.csv"
        p.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    hh, _ = read_households(p, crs="EPSG:4490")
    assert str(hh["序号"].dtype) == "Int64"
    assert hh["序号"].tolist()[:5] == [1, 2, 3, pd.NA, 5]
    # another whole-number column: numbers as the workbook had them; a CSV's cells say nothing of it (text)
    assert hh["常住人口"].tolist()[0] == (2 if fmt == "xlsx" else "2")


def test_digits_typed_as_text_stay_text(tmp_path: Path) -> None:
    """A workbook column with one cell holding digits as text (门牌号 '7' typed as text) keeps its text: the file
    had text there; the column of numbers beside it is numbers."""
    p = _roster(tmp_path / "农户.xlsx", list(range(1, 5)))
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["I1"] = "门牌号"
    for r in range(2, 6):
        ws.cell(r, 9, r - 1)
    ws["I3"] = "2"  # text
    wb.save(p)
    hh, _ = read_households(p, crs="EPSG:4490")
    assert hh["门牌号"].tolist() == ["1", "2", "3", "4"]
    assert hh["常住人口"].tolist() == [2, 2, 2, 2]


def test_serial_with_a_word_keeps_its_text(tmp_path: Path) -> None:
    hh, _ = read_households(_roster(tmp_path / "农户.xlsx", ["01", "02", "3", "3-1"]), crs="EPSG:4490")
    assert hh["序号"].tolist() == ["01", "02", "3", "3-1"]


def test_outputs_hold_numbers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run_cli(["delineate", str(_roster(tmp_path / "农户.xlsx", SERIAL)), "--crs", "EPSG:4490", "--min", "4", "--max",
             "8", "-o", str(out / "u.gpkg"), "--xlsx", str(out / "u.xlsx"), "--fields", "序号,常住人口"])
    with sqlite3.connect(out / "u.gpkg") as c:
        kinds = {r[1]: r[2] for r in c.execute("pragma table_info(households)")}
        order = [r[0] for r in c.execute('select "序号" from households where "序号" is not null order by "序号"')]
    assert kinds["序号"] == kinds["常住人口"] == "INTEGER"
    assert order == [s for s in SERIAL if s is not None]
    ws = openpyxl.load_workbook(out / "u.xlsx").worksheets[0]
    col = [c.value for c in ws[1]].index("序号") + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    assert all(c.data_type == "n" for c in cells if c.value is not None)
    assert sorted(c.value for c in cells if c.value is not None) == [s for s in SERIAL if s is not None]
    col = [c.value for c in ws[1]].index("常住人口") + 1
    assert {(ws.cell(r, col).value, ws.cell(r, col).data_type) for r in range(2, ws.max_row + 1)} == {(2, "n")}
