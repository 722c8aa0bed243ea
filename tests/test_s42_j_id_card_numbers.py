"""Id-card numbers Excel stored as numbers (5.00115E+17: the last digits of an 18-digit number are lost) used to
reach the GeoPackage and xlsx without a word; ATTR-SCI covered nesting columns only. ATTR-SCI-ID warns, naming
the column and how many rows, never a value."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["户编号", "户主身份证号", "人口", "经度", "纬度"])
    cards: list[object] = [500115195001010011, 500115196203040022, "50011519500101000X", None, 500115197001010033]
    for i, card in enumerate(cards):
        ws.append([f"00{i + 1}", card, 3, 107.7308 + i * 0.0003, 29.7962])
    wb.save(path)
    return path


def test_warned_without_the_numbers(tmp_path: Path) -> None:
    hh, rep = read_households(_roster(tmp_path / "农户.xlsx"), crs="EPSG:4490")
    assert len(hh) == 5  # a warning: the households are read
    found = [w for w in rep.warnings if w.code == "ATTR-SCI-ID"]
    assert [(w.params["column"], w.rows) for w in found] == [("户主身份证号", (2, 3, 6))]
    for lang in ("zh", "en"):
        said = found[0].message(lang)
        assert "5.00115" not in said and "500115" not in said


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "列“户主身份证号”中有 3 个身份证号码被 Excel 按数字保存，显示为科学计数法或小数（第 2、3、6 行"),
    ("en", "in column “户主身份证号”, 3 values are id-card numbers Excel saved as numbers, shown in scientific "
           "notation or as decimals (rows 2, 3, 6"),
])
def test_validate_says_it(tmp_path: Path, lang: str, said: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_roster(tmp_path / "农户.xlsx")), "--crs", "EPSG:4490"], lang)
    assert said in out
    assert "5.00115" not in out


def test_csv_float_digits(tmp_path: Path) -> None:
    p = tmp_path / "农户.csv"
    p.write_text("户编号,身份证号,经度,纬度\n001,500115195001010048.0,107.73,29.79\n"
                 "002,50011519500101000X,107.731,29.79\n", encoding="utf-8")
    _, rep = read_households(p, crs="EPSG:4490")
    assert [w.rows for w in rep.warnings if w.code == "ATTR-SCI-ID"] == [(2,)]
