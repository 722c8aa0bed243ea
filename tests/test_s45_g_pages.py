"""Session 45, helper G: a roster pasted together from its printed pages repeats their header, title and page number.

A workbook of 10 households whose second page starts again with the title '新华村 农户花名册（续）' and the header row
(序号 | 户编号 | … | 经度 | 纬度): 'yuanluo validate a_repeat.xlsx --crs EPSG:4490' read the title as a household
(ID-BLANK, COORD-NAN, NEST-BLANK, 第 8 行) and the header as one (COORD-PARSE '经度', ATTR-TYPE '人口', 第 9 行), exit 2;
a page number line under each page ('第 1 页，共 2 页') was ID-BLANK and COORD-NAN. They are now skipped with the
warning ROW-PAGE naming the rows. A blank row between villages was already left out (checked here too).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import rows_xlsx, run_cli

from yuanluo.gis.io import read_households, read_points

HEAD = ["序号", "户编号", "户主姓名", "村", "组", "人口", "经度", "纬度"]


def _hh(i: int, group: str = "1组") -> list[object]:
    return [i, f"H{i:03d}", f"张{i}", "新华村", group, 3, 106.5 + i * 0.00113, 29.5 + i * 0.00071]



def _said(path: Path) -> tuple[list[str], list[tuple[str, tuple[int, ...]]]]:
    h, rep = read_households(path, crs="EPSG:4490")
    return h.index.tolist(), [(w.code, w.rows) for w in rep.warnings if w.code.startswith(("ROW", "XLSX-MERGED"))]


IDS = [f"H{i:03d}" for i in range(1, 11)]


def test_title_and_header_of_the_second_page(tmp_path):
    p = rows_xlsx(tmp_path / "a.xlsx", [["新华村 农户花名册"], HEAD, *[_hh(i) for i in range(1, 6)],
                                    ["新华村 农户花名册（续）"], HEAD, *[_hh(i, "2组") for i in range(6, 11)]],
              ("A1:H1", "A8:H8"))
    assert _said(p) == (IDS, [("ROW-PAGE", (8, 9))])


def test_page_numbers_and_a_blank_row(tmp_path):
    p = rows_xlsx(tmp_path / "c.xlsx", [HEAD, *[_hh(i) for i in range(1, 6)], [None, None, None, "第 1 页，共 2 页"], [],
                                    *[_hh(i, "2组") for i in range(6, 11)], ["Page 2 of 2"]])
    assert _said(p) == (IDS, [("ROW-PAGE", (7, 14))])


def test_a_two_row_header_repeated(tmp_path):
    top = ["序号", "户编号", "户主姓名", "村", "组", "人口", "坐标", None]
    low = [None, None, None, None, None, None, "经度", "纬度"]
    p = rows_xlsx(tmp_path / "two.xlsx", [top, low, *[_hh(i) for i in range(1, 6)], top, low,
                                      *[_hh(i, "2组") for i in range(6, 11)]], ("G1:H1", "G8:H8"))
    assert _said(p) == (IDS, [("ROW-PAGE", (8, 9))])


def test_a_csv_with_its_header_repeated_and_a_total(tmp_path):
    p = tmp_path / "hh.csv"
    line = ",".join(HEAD)
    body = [f"{i},H{i:03d},张{i},新华村,1组,3,{106.5 + i * 0.00113:.5f},{29.5 + i * 0.00071:.5f}"
            for i in range(1, 11)]
    p.write_text("\n".join([line, *body[:5], line, *body[5:], "合计,,,,,30,,"]) + "\n", encoding="utf-8")
    assert _said(p) == (IDS, [("ROW-PAGE", (7,)), ("ROW-TOTAL", (13,))])


def test_a_points_list_with_its_header_repeated(tmp_path):
    p = tmp_path / "halls.csv"
    p.write_text("名称,经度,纬度\n村委会,106.55,29.56\n名称,经度,纬度\n院坝,106.552,29.561\n", encoding="utf-8")
    pts = read_points(p, kind="fixed", crs="EPSG:4490", working_crs="EPSG:4545")
    assert pts["名称"].tolist() == ["村委会", "院坝"]
    assert [(w.code, w.rows) for w in pts.attrs["warnings"]] == [("ROW-PAGE", (3,))]


def test_a_roster_without_pages_is_read_as_before(tmp_path):
    p = rows_xlsx(tmp_path / "one.xlsx", [HEAD, *[_hh(i) for i in range(1, 11)]])
    assert _said(p) == (IDS, [])


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表中有 2 行是分页打印时每页重复的表头、标题或页码，不是数据，已跳过（第 8、9 行）。"),
    ("en", "skipped as a header, title or page number repeated on each printed page, not data: 2 rows (rows 8, 9)."),
])
def test_validate_says_it(tmp_path, lang, words):
    p = rows_xlsx(tmp_path / "a.xlsx", [["新华村 农户花名册"], HEAD, *[_hh(i) for i in range(1, 6)],
                                    ["新华村 农户花名册（续）"], HEAD, *[_hh(i, "2组") for i in range(6, 11)]],
              ("A1:H1", "A8:H8"))
    out = " ".join(run_cli(["validate", str(p), "--crs", "EPSG:4490"], lang=lang).split("\n"))
    assert words in out and "ID-BLANK" not in out and "COORD-PARSE" not in out
