"""Session 45, helper G: the notes a clerk writes under a roster's 合计 row are not households.

A roster ending '合计 | … | =SUM(F3:F8)' and, under it, '其中：党员户 2 户' (merged across the sheet), '注：坐标为 CGCS2000',
'2. 人口为户籍人口', '备注', '填表人：王五 电话 13812345678 | … | 审核人：李六', '制表日期：2024年5月6日':
'yuanluo validate notes.xlsx --crs EPSG:4490' read each note as a household (ID-BLANK, COORD-NAN for rows 10–15),
said the 合计 row as a subtotal within the table, and XLSX-MERGED named the note's merge; exit 2. Now the notes
are skipped with the warning ROW-NOTE naming their rows and the words they begin with, never what follows (a name,
a phone). A household appended under the 合计 (an id, coordinates) is read; a row with no id and no coordinates
that is no note (a name alone) is still a household, and an error.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_points

NOTES = ["其中：党员户 2 户", "注：坐标为 CGCS2000 经纬度", "2. 人口为户籍人口", "备注",
         "填表人：王五 电话 13812345678", "制表日期：2024年5月6日"]


def _roster(path: Path, *under: list[object], total: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "农户"
    ws.append(["新华村 2024年 农户花名册"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "户编号", "户主姓名", "村", "组", "人口", "经度", "纬度"])
    for i in range(1, 7):
        ws.append([i, f"H{i:03d}", f"张{i}", "新华村", "1组", 3, 106.5 + i * 0.00113, 29.5 + i * 0.00071])
    if total:
        ws.append(["合计", None, None, None, None, "=SUM(F3:F8)", None, None])
    for row in under:
        ws.append(row)
    wb.save(path)
    return path


def _clerks_roster(path: Path) -> Path:
    _roster(path, *[[n] for n in NOTES])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.merge_cells("A10:H10")  # 其中：… across the sheet
    ws["E14"] = "审核人：李六"
    wb.save(path)
    return path


def test_the_notes_are_skipped(tmp_path):
    h, rep = read_households(_clerks_roster(tmp_path / "notes.xlsx"), crs="EPSG:4490")
    assert h.index.tolist() == [f"H{i:03d}" for i in range(1, 7)]
    said = [(w.code, w.rows) for w in rep.warnings if w.code.startswith(("ROW", "XLSX"))]
    assert said == [("ROW-TOTAL", (9,)), ("ROW-NOTE", (10, 11, 12, 13, 14, 15))]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表中有 6 行是说明文字（在合计、小计行下，在表末，或在表中独占一行），不是农户，已跳过（第 10、11、12、13、14 行等，共 6 行，"
           "开头为“其中”、“注”、“备注”、“填表人”、“制表日期”）。"),
    ("en", "skipped as notes (under a total or subtotal row, at the end of the table, or alone on a row within it), not "
           "households: 6 rows (rows 10, 11, 12, 13, "
           "14 and more, 6 in all; beginning “其中”, “注”, “备注”, “填表人”, “制表日期”)."),
])
def test_validate_says_it(tmp_path, lang, words):
    out = " ".join(run_cli(["validate", str(_clerks_roster(tmp_path / "notes.xlsx")), "--crs", "EPSG:4490"],
                           lang=lang).split("\n"))
    assert words in out
    assert "ROW-TOTAL" in out and "ROW-SUBTOTAL" not in out and "XLSX-MERGED" not in out
    assert "13812345678" not in out and "王五" not in out and "李六" not in out


def test_a_household_appended_under_the_total_is_read(tmp_path):
    """A clerk adds a late household under the 合计 (the sum not redone): the planner wants it in a unit, so it is
    read; the 合计 above it is said as a total within the table, the note under it skipped."""
    p = _roster(tmp_path / "late.xlsx", [7, "H007", "张7", "新华村", "1组", 2, 106.512, 29.507], ["填表人：王五"])
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist()[-1] == "H007" and len(h) == 7
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ROW")] == [
        ("ROW-SUBTOTAL", (9,)), ("ROW-NOTE", (11,))]


def test_a_name_under_the_total_is_a_household(tmp_path):
    p = _roster(tmp_path / "name.xlsx", [None, None, "张7", "新华村", "1组", 2, None, None])
    with pytest.raises(InputError) as exc:
        read_households(p, crs="EPSG:4490")
    assert 10 in next(q.rows for q in exc.value.problems if q.code == "ID-BLANK")


def test_notes_ending_a_table_without_a_total(tmp_path):
    p = _roster(tmp_path / "end.xlsx", ["填表人：王五 13812345678"], [None, None, None, None, "审核人：李六"],
                total=False)
    h, rep = read_households(p, crs="EPSG:4490")
    assert len(h) == 6
    w = next(w for w in rep.warnings if w.code == "ROW-NOTE")
    assert w.rows == (9, 10) and "“填表人”、“审核人”" in w.title("zh") and "李六" not in w.title("zh")


def test_a_note_under_a_subtotal(tmp_path):
    p = tmp_path / "sub.csv"
    p.write_text("户编号,组,人口,经度,纬度\nH1,1组,3,106.501,29.501\nH2,1组,3,106.502,29.502\n1组小计,1组,6,,\n"
                 "其中：党员户 1 户,,,,\nH3,2组,3,106.503,29.503\n", encoding="utf-8")
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["H1", "H2", "H3"]
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ROW")] == [
        ("ROW-SUBTOTAL", (4,)), ("ROW-NOTE", (5,))]


def test_a_points_table_with_notes(tmp_path):
    p = tmp_path / "halls.csv"
    p.write_text("名称,经度,纬度\n村委会,106.55,29.56\n院坝,106.552,29.561\n合计,共 2 处,\n"
                 "填表人：王五 电话 13812345678,,\n", encoding="utf-8")
    pts = read_points(p, kind="fixed", crs="EPSG:4490", working_crs="EPSG:4545")
    assert len(pts) == 2
    assert [(w.code, w.rows) for w in pts.attrs["warnings"]] == [("POINTS-TOTAL", (4,)), ("POINTS-NOTE", (5,))]
    note = pts.attrs["warnings"][1]
    assert note.title("zh").endswith("中有 1 行是说明文字（在合计、小计行下，在表末，或在表中独占一行），不是服务点，已跳过（第 5 行，"
                                     "开头为“填表人”）。")
    assert note.title("en").endswith("notes (under a total or subtotal row, at the end of the table, or alone on a row "
                                     "within it), not points, were skipped: 1 row (row 5; beginning “填表人”).")
