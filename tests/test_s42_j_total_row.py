"""A roster's 合计 row at its end (sums, no household id, no coordinates) used to be read as a household:
ID-BLANK, COORD-NAN, ATTR-TYPE '=SUM(I4:I9)', NEST-BLANK, exit 2. It is skipped with the warning ROW-TOTAL."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _roster(path: Path, total: list[object]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["序号", "户编号", "镇", "村", "组", "人口", "经度", "纬度"])
    for i in range(6):
        ws.append([i + 1, f"00000{i + 1}", "长寿镇", "新华村", "1组", 3, 107.7308 + i * 0.0003, 29.7962 + i * 0.0002])
    ws.append(total)
    wb.save(path)
    return path


TOTAL = ["合计", None, None, None, None, "=SUM(F2:F7)", None, None]


def test_total_row_skipped(tmp_path: Path) -> None:
    hh, rep = read_households(_roster(tmp_path / "农户.xlsx", TOTAL), crs="EPSG:4490")
    assert hh.index.tolist() == [f"00000{i + 1}" for i in range(6)]
    found = [w for w in rep.warnings if w.code == "ROW-TOTAL"]
    assert [(w.rows, w.params["column"], w.params["word"]) for w in found] == [((8,), "序号", "合计")]


def test_csv_total_rows(tmp_path: Path) -> None:
    p = tmp_path / "农户.csv"
    lines = ["户编号,人口,经度,纬度"] + [f"00{i},3,{107.73 + i * 0.0003},29.79" for i in range(5)]
    p.write_text("\n".join([*lines, "小计,15,,", "总计：,15,,"]) + "\n", encoding="utf-8")
    hh, rep = read_households(p, crs="EPSG:4490")
    assert len(hh) == 5
    assert [w.rows for w in rep.warnings if w.code == "ROW-TOTAL"] == [(7, 8)]


def test_total_word_with_coordinates_is_a_household(tmp_path: Path) -> None:
    """A last row that has coordinates (or an id) is no total row: read (and checked) as a household."""
    row = ["合计", "000007", "长寿镇", "新华村", "1组", 3, 107.74, 29.80]
    hh, rep = read_households(_roster(tmp_path / "农户.xlsx", row), crs="EPSG:4490")
    assert "000007" in hh.index
    assert not [w for w in rep.warnings if w.code == "ROW-TOTAL"]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "表末 1 行是合计行，不是农户，已跳过（第 8 行，列“序号”为“合计”）"),
    ("en", "skipped as totals, not households: 1 row at the end of the table (row 8; column “序号” reads “合计”)"),
])
def test_validate_says_it(tmp_path: Path, lang: str, said: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_roster(tmp_path / "农户.xlsx", TOTAL)), "--crs", "EPSG:4490"],
                  lang)
    assert said in out
    assert "ID-BLANK" not in out and "COORD-NAN" not in out and "NEST-BLANK" not in out


def test_points_table_says_its_last_row(tmp_path: Path) -> None:
    """ROW-TOTAL speaks of households: a list of service points with a 合计 row skips it with POINTS-TOTAL (session
    44, helper G; it was POINTS-COORD, which stopped cover), never without a word."""
    from yuanluo.gis.io import read_points

    p = tmp_path / "服务点.csv"
    p.write_text("名称,经度,纬度\n服务点A,107.73,29.79\n服务点B,107.74,29.80\n合计,,\n", encoding="utf-8")
    pts = read_points(p, kind="candidates", crs="EPSG:4490", working_crs="EPSG:4545")
    assert len(pts) == 2
    assert [(q.code, q.rows) for q in pts.attrs["warnings"]] == [("POINTS-TOTAL", (4,))]
