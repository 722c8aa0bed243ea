"""A two-row header whose lower row holds names the reader does not know (门牌号, 常住人口) beside ones it knows
with a unit (经度(°), 纬度(°)), under an upper row that is a header on its own (户编号, 人口, 村, 组): the lower
row used to be read as a household (COL-DUP 户主信息, COL-MISSING 经度/纬度). It is now the header's lower row
when it is text in every cell, names a column the reader knows, is blank where the upper row names the id or
coordinates, and the row below is a household's; a first household row is never taken for names."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.columns import canonical_of
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households

UPPER = ["户编号", "户主信息", None, "人口", None, "村", "组", "坐标", None]
LOWER = [None, "户主姓名", "门牌号", "户籍人口", "常住人口", None, None, "经度(°)", "纬度(°)"]


def _households(n: int) -> list[list[object]]:
    return [[f"H{i:04d}", f"张{i}", f"{i}号", 4, 3, "新华村", "1组", 107.7308 + i * 0.0003, 29.7962 + i * 0.0002]
            for i in range(1, n + 1)]


def _book(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    for r in rows:
        ws.append(r)
    for a in merges:
        ws.merge_cells(a)
    wb.save(path)
    return path


MERGES = ("A1:A2", "B1:C1", "D1:E1", "F1:F2", "G1:G2", "H1:I1")


def test_unit_in_brackets_is_the_alias() -> None:
    assert [canonical_of(c) for c in ["经度(°)", "纬度（°）", "经度(度)", "人口(人)", "X(北)", "门牌号"]] == [
        "lon", "lat", "lon", "persons", "northing", None]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_lower_row_of_unknown_names(tmp_path: Path, fmt: str) -> None:
    if fmt == "xlsx":
        p = _book(tmp_path / "两行表头.xlsx", [UPPER, LOWER, *_households(6)], MERGES)
    else:  # the CSV Excel saves of it: a merged name in its first cell only
        p = tmp_path / "两行表头.csv"
        lines = [UPPER, LOWER, *_households(6)]
        p.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in lines) + "\n",
                     encoding="utf-8")
    hh, rep = read_households(p, crs="EPSG:4490")
    assert hh.index.tolist() == [f"H{i:04d}" for i in range(1, 7)]
    assert {"户主姓名", "门牌号", "常住人口"} <= set(hh.columns)
    assert "户主信息" not in hh.columns
    assert hh["persons"].tolist() == [4] * 6
    assert hh["门牌号"].tolist() == [f"{i}号" for i in range(1, 7)]
    assert rep.column_map["lon"] == "经度(°)"


def test_first_household_is_not_eaten(tmp_path: Path) -> None:
    """A first household row that is text in every cell (its coordinates in degrees and minutes) stays a
    household: it has its id where the header names the id."""
    first = ["H0001", "张1", "1号", None, None, "新华村", "1组", "107°43′51″", "29°47′47″"]
    p = _book(tmp_path / "农户.xlsx", [["户编号", "户主姓名", "门牌号", "户籍人口", "常住人口", "村", "组", "经度(°)",
                                       "纬度(°)"], first, *_households(6)[1:]])
    hh, _ = read_households(p, crs="EPSG:4490")
    assert hh.index.tolist()[0] == "H0001" and len(hh) == 6


def test_known_names_of_a_household_are_not_a_header(tmp_path: Path) -> None:
    """A first row whose id cell is filled is data, even when its other cells are names the reader knows
    (a household in a village called 村 whose head is written 户主)."""
    rows = [["户编号", "户主姓名", "村", "经度", "纬度"], ["H0001", "户主", "村", "", ""],
            ["H0002", "李四", "新华村", "107.73", "29.79"]]
    p = _book(tmp_path / "农户.xlsx", rows)
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490")
    assert "COORD-NAN" in e.value.codes  # H0001 read and checked as a household


def test_household_without_id_nor_coordinates_is_not_eaten(tmp_path: Path) -> None:
    """A first household row with neither an id nor coordinates (not yet surveyed), all text, 党员 in its party
    column (党员 also names a column), under an upper row naming 户编号: read as a household (ID-BLANK), not
    taken for a second header row, which would have dropped it without a word."""
    upper = ["户编号", "户主姓名", "门牌号", "村", "组", "是否党员", "坐标", None]
    first = [None, "张一", "1号", "新华村", "1组", "党员", None, None]
    rest = [[f"H{i:04d}", f"张{i}", f"{i}号", "新华村", "1组", "否", 107.7308 + i * 0.0003, 29.7962] for i in range(2, 7)]
    p = _book(tmp_path / "农户.xlsx", [upper, first, *rest], ("G1:H1",))
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490")
    assert [q.rows for q in e.value.problems if q.code == "ID-BLANK"] == [(2,)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_reads_it(tmp_path: Path, lang: str) -> None:
    p = _book(tmp_path / "两行表头 门牌号.xlsx", [UPPER, LOWER, *_households(6)], MERGES)
    out = run_cli(["--lang", lang, "validate", str(p), "--crs", "EPSG:4490"], lang)
    assert "COL-DUP" not in out and "COL-MISSING" not in out and "ATTR-TYPE" not in out
    assert ("6 户" if lang == "zh" else "6 households") in out
