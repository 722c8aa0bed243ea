"""An 18-digit id-card number Excel stored as a number keeps 15 significant digits. With the number format "0"
Excel shows it in full, its last three digits 0, and a CSV saved from that column holds those digits as text
(500115195001011000): read without a word before. Such a value ends in 000 and, but for one in eleven, fails
its check character (GB 11643-1999), which a real number never does: ATTR-ROUNDED-ID says so, naming the column,
rows and ids, never a value. ATTR-SCI-ID (the workbook's number cells) now says how format "0" shows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _card(i: int) -> str:
    """A well-formed number (its check character right) whose 15-digit rounding fails the check."""
    for k in range(1000):
        body = f"5001151950{i:03d}{k:04d}"
        full = body + _check(body)
        rounded = full[:15] + "000"
        if _check(rounded[:17]) != rounded[17] and not full.endswith("000"):
            return full
    raise AssertionError


CARDS = [_card(i) for i in range(1, 5)]
REAL_000 = next(b + "0" for b in (f"11010519491230{k:01d}00" for k in range(10)) if _check(b) == "0")
ROUNDED = [c[:15] + "000" for c in CARDS]


def _rows() -> list[list[object]]:
    cards: list[object] = [*ROUNDED, REAL_000, CARDS[0][:17] + "X"]
    return [[f"H{i + 1:03d}", f"张{i}", cards[i], 3, 107.7308 + i * 0.0003, 29.7962] for i in range(6)]


HEADER = ["户编号", "户主姓名", "身份证号", "人口", "经度", "纬度"]


def _csv(path: Path) -> Path:
    path.write_text("\n".join(",".join(str(c) for c in r) for r in [HEADER, *_rows()]) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in _rows():
        if r[2] in ROUNDED:
            r[2] = int(r[2])
        ws.append(r)
        ws.cell(ws.max_row, 3).number_format = "0"
    wb.save(path)
    return path


def test_rounded_digits_in_a_csv(tmp_path: Path) -> None:
    assert _check(REAL_000[:17]) == REAL_000[17] and REAL_000.endswith("000")
    hh, rep = read_households(_csv(tmp_path / "农户.csv"), crs="EPSG:4490")
    assert len(hh) == 6  # a warning: read as before
    found = [w for w in rep.warnings if w.code == "ATTR-ROUNDED-ID"]
    # REAL_000 (row 6) too since session 44 (helper G): 5 of the column's 6 values end in 000, 4 of them rounded, and
    # a rounded number passing its check (1 in 11) is likelier there than a real one ending so (1 in 1,100)
    assert [(w.params["column"], w.rows, w.ids) for w in found] == [
        ("身份证号", (2, 3, 4, 5, 6), ("H001", "H002", "H003", "H004", "H005"))]
    for lang in ("zh", "en"):
        said = found[0].message(lang)
        assert not any(c[:6] in said for c in [*ROUNDED, REAL_000])


def test_workbook_numbers_said_with_format_0(tmp_path: Path) -> None:
    _, rep = read_households(_xlsx(tmp_path / "农户.xlsx"), crs="EPSG:4490")
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ATTR-") and "ID" in w.code] == [
        ("ATTR-SCI-ID", (2, 3, 4, 5))]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "列“身份证号”中有 5 个 18 位身份证号码末三位是 000，其中 4 个校验码又不符；这一列 6 个 18 位号码中占了 5 个，"
           "而真实的号码约一千一百个才有一个末三位是 000（第 2、3、4、5、6 行；编号 H001、H002、H003、H004、H005）："
           "多半是 Excel 按数字保存过的号码"),
    ("en", "in column “身份证号”, 5 values have 18 digits ending in 000, 4 of them with a check digit that does not "
           "match; they are 5 of the 6 values of 18 digits in the column, while about one real number in 1,100 ends so "
           "(rows 2, 3, 4, 5, 6; ids H001, H002, H003, H004, H005): most likely id-card numbers Excel saved as numbers"),
])
def test_validate_says_it(tmp_path: Path, lang: str, said: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_csv(tmp_path / "农户.csv")), "--crs", "EPSG:4490"], lang)
    assert said in out
    assert "5001151950" not in out
    xl = run_cli(["--lang", lang, "validate", str(_xlsx(tmp_path / "农户.xlsx")), "--crs", "EPSG:4490"], lang)
    assert ("设成数字格式“0”时，Excel 显示全部 18 位" if lang == "zh" else
            "with the number format “0” Excel shows all 18 digits") in xl
