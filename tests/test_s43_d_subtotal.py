"""小计 rows after each villager group, as clerks write them (小计, 1组小计, merged across the first cells), were
read as households: ID-BLANK, COORD-NAN and ATTR-TYPE '=SUM(…)' for each. They are skipped with the warning
ROW-SUBTOTAL (a 合计 at the end stays ROW-TOTAL); a row with an id or coordinates is a household whatever it
says (张小计, an id 小计01), and a table of service points keeps its rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households, read_points

HEADER = ["序号", "户编号", "户主姓名", "村", "组", "人口", "经度", "纬度"]


def _roster(path: Path, *, merged: bool = False, names: tuple[str, str] = ("张1", "张2")) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER)
    n = 0
    for g in (1, 2, 3):
        top = ws.max_row + 1
        for _ in range(4):
            n += 1
            name = names[n - 1] if n <= len(names) else f"张{n}"
            ws.append([n, f"H{n:03d}", name, "新华村", f"{g}组", 3, 107.7308 + n * 0.0003, 29.7962 + n * 0.0002])
        word = "小计" if g == 2 else f"{g}组小计"
        ws.append([word, None, None, "新华村", f"{g}组", f"=SUM(F{top}:F{top + 3})", None, None])
        if merged:
            ws.merge_cells(f"A{ws.max_row}:C{ws.max_row}")
    ws.append(["合计", None, None, None, None, "=SUM(F2:F16)", None, None])
    wb.save(path)
    return path


@pytest.mark.parametrize("merged", [False, True])
def test_subtotal_rows_skipped(tmp_path: Path, merged: bool) -> None:
    hh, rep = read_households(_roster(tmp_path / "农户.xlsx", merged=merged), crs="EPSG:4490")
    assert hh.index.tolist() == [f"H{i:03d}" for i in range(1, 13)]
    said = {w.code: (w.rows, w.params["column"], w.params["word"]) for w in rep.warnings
            if w.code in ("ROW-SUBTOTAL", "ROW-TOTAL")}
    assert said == {"ROW-SUBTOTAL": ((6, 11), "序号", "1组小计"), "ROW-TOTAL": ((16, 17), "序号", "3组小计")}


def test_csv_subtotals(tmp_path: Path) -> None:
    p = tmp_path / "农户.csv"
    rows = ["户编号,户主姓名,组,人口,经度,纬度", "001,张一,1组,3,107.7301,29.79", "002,李二,1组,2,107.7302,29.79",
            "1组 小计：,,1组,5,,", "003,王三,2组,4,107.7303,29.79", "小计,,2组,4,,", "004,赵四,3组,1,107.7304,29.79"]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    hh, rep = read_households(p, crs="EPSG:4490")
    assert hh.index.tolist() == ["001", "002", "003", "004"]
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ROW-")] == [("ROW-SUBTOTAL", (4, 6))]


def test_households_named_like_a_total_are_read(tmp_path: Path) -> None:
    """A household whose head is 张小计 or 小计, whose id holds 小计, or a row reading 合计 with an id and
    coordinates, is read: a row with an id or coordinates is a household."""
    p = tmp_path / "农户.csv"
    rows = ["户主姓名,户编号,组,人口,经度,纬度", "张小计,001,1组,3,107.7301,29.79", "小计,002,1组,2,107.7302,29.79",
            "1组小计,小计01,1组,4,107.7303,29.79", "合计,004,1组,2,107.7304,29.79", "赵五,005,1组,1,107.7305,29.79"]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    hh, rep = read_households(p, crs="EPSG:4490")
    assert hh.index.tolist() == ["001", "002", "小计01", "004", "005"]
    assert not [w for w in rep.warnings if w.code.startswith("ROW-")]


def test_points_table_says_its_rows(tmp_path: Path) -> None:
    """A table of service points is no roster: a 小计 row in it is skipped with POINTS-TOTAL, not ROW-SUBTOTAL
    (session 44, helper G; it was POINTS-COORD, which stopped cover)."""
    p = tmp_path / "服务点.csv"
    p.write_text("名称,经度,纬度\n服务点A,107.7301,29.79\n小计,,\n服务点B,107.7302,29.79\n", encoding="utf-8")
    pts = read_points(p, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    assert pts["名称"].tolist() == ["服务点A", "服务点B"]
    assert [(w.code, w.rows) for w in pts.attrs["warnings"]] == [("POINTS-TOTAL", (3,))]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "表中有 2 行是小计或合计行，不是农户，已跳过（第 6、11 行；第一行的列“序号”为“1组小计”）。"),
    ("en", "skipped as subtotals or totals, not households: 2 rows within the table (rows 6, 11; the first reads "
           "“1组小计” in column “序号”)."),
])
def test_validate_says_it(tmp_path: Path, lang: str, said: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_roster(tmp_path / "农户.xlsx")), "--crs", "EPSG:4490"], lang)
    assert said in out
    assert ("12 户" if lang == "zh" else "12 households") in out
    assert "ID-BLANK" not in out and "COORD-NAN" not in out and "ATTR-TYPE" not in out
