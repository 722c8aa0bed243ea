"""Session 44, helper G: rounded id-card numbers whose check character happens to match are caught by their column.

ATTR-ROUNDED-ID (1371dae) told a number Excel kept to 15 digits (the last three 000, saved into a CSV with the number
format "0") by its failing check character; about one rounded number in 11 passes it. A CSV of 5 such numbers, all
passing (500115195000003000 …): 'yuanluo validate rid_pass.csv --crs EPSG:4490' said nothing. The column tells
them: real numbers end in 000 about once in 1,100, so a column whose 18-digit values end in 000 at least twice and
in at least a tenth of them holds rounded numbers, and every one of them ending so is said. A column of real
numbers with the odd one ending in 000 is not. (Scientific notation in a CSV, 1.10101E+17, and number cells of a
workbook were and are ATTR-SCI-ID.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _real(k: int) -> str:
    body = f"5001151980{k:07d}"
    return body + _check(body)


#: rounded numbers whose check character matches (digits 16-17 00, check 0): 1 in 11 of them
PASSING = [s for s in (f"500115195{i:06d}000" for i in range(2000)) if _check(s[:17]) == "0"][:5]
#: rounded numbers whose check character does not
FAILING = [s for s in (f"500115196{i:06d}000" for i in range(50)) if _check(s[:17]) != "0"][:5]
#: a real number ending in 000
REAL_000 = next(b + "0" for b in (f"500115198001{d:02d}{k}00" for d in range(1, 29) for k in range(10))
                if _check(b) == "0")


def _csv(path: Path, cards: list[str]) -> Path:
    rows = ["户编号,身份证号,经度,纬度"] + [f"H{i + 1:03d},{c},{106.5 + i * 0.0003:.4f},29.5" for i, c in enumerate(cards)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _said(path: Path) -> list[tuple[str, tuple[int, ...]]]:
    _, rep = read_households(path, crs="EPSG:4490")
    return [(w.code, w.rows) for w in rep.warnings if w.code in ("ATTR-ROUNDED-ID", "ATTR-SCI-ID")]


def test_a_column_of_rounded_numbers_that_pass_their_check(tmp_path):
    assert all(_check(c[:17]) == c[17] for c in PASSING)
    assert _said(_csv(tmp_path / "h.csv", PASSING)) == [("ATTR-ROUNDED-ID", (2, 3, 4, 5, 6))]


def test_the_passing_ones_among_failing_ones_are_said_too(tmp_path):
    cards = [*(_real(k) for k in range(30)), *FAILING, *PASSING]  # 10 of 40 end in 000: a quarter
    assert _said(_csv(tmp_path / "h.csv", cards)) == [("ATTR-ROUNDED-ID", tuple(range(32, 42)))]


def test_real_numbers_with_one_ending_in_000_are_not(tmp_path):
    cards = [_real(k) for k in range(200)]
    cards[100] = REAL_000
    assert _check(REAL_000[:17]) == REAL_000[17]
    assert _said(_csv(tmp_path / "h.csv", cards)) == []
    cards[150] = PASSING[0]  # two ending in 000 of 200: about what chance gives a big roster, not a rounded column
    assert _said(_csv(tmp_path / "h.csv", cards)) == []


def test_scientific_notation_stays_sci_id(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("户编号,身份证号,经度,纬度\nH1,1.10101E+17,106.5,29.5\nH2,5.00115E+17,106.6,29.6\n", encoding="utf-8")
    assert _said(p) == [("ATTR-SCI-ID", (2, 3))]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "列“身份证号”中有 5 个 18 位身份证号码末三位是 000；这一列的 18 位号码全都如此，而真实的号码约一千一百个才有一个"
           "末三位是 000（第 2、3、4、5、6 行；编号 H001、H002、H003、H004、H005）：多半是 Excel 按数字保存过的号码"),
    ("en", "in column “身份证号”, 5 values have 18 digits ending in 000; they are all the values of 18 digits in the "
           "column, while about one real number in 1,100 ends so (rows 2, 3, 4, 5, 6; ids H001, H002, H003, H004, "
           "H005): most likely id-card numbers Excel saved as numbers"),
])
def test_validate_says_it(tmp_path, lang, words):
    out = run_cli(["validate", str(_csv(tmp_path / "h.csv", PASSING)), "--crs", "EPSG:4490"], lang=lang)
    assert words in " ".join(out.split("\n"))
    assert "500115195" not in out
