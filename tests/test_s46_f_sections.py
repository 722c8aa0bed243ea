"""Clerks' tables: the village or group a section heading names fills the blank cells under it; a note standing
alone between households is no household (session 46, helper F, items 1 and 2).

1. A roster written in parts under a heading row per village or group ('一、新华村', '（一）1组') with the village
   and group columns left blank under them: session 45 skipped the headings (ROW-SECTION) and read the rows with
   blank places (NEST-BLANK 村 and 组 on every row; with the columns blank throughout, the headings, naming no
   place of the table, were read as households: ID-BLANK, COORD-NAN). Each blank village, group or settlement
   cell under a heading naming one now takes its name (the table's spelling where the column holds it: 二组 over
   2组 rows fills 2组), said by ROW-SECTION-FILLED per column; a filled cell naming another place is kept and
   said, ROW-SECTION-DIFFERS; a village's heading starts its groups afresh; totals and notes are not filled.
2. A row holding only '注：…', '备注：…' or '说明：' (and the numbered lines right under it) between households was
   read as a household (ID-BLANK, COORD-NAN, exit 2): now skipped and named with the notes, ROW-NOTE.
"""

from __future__ import annotations

import pytest
from shared_fixtures import rows_csv, rows_xlsx, run_cli

from yuanluo.gis.io import read_households, read_points

HEAD = ["序号", "户编号", "户主姓名", "村", "组", "人口", "经度", "纬度"]


def _hh(i: int, village: str = "", group: str = "") -> list[object]:
    return [i, f"H{i:03d}", f"张{i}", village, group, 3, round(106.5 + i * 0.00113, 6), round(29.5 + i * 0.00071, 6)]


#: two villages, the first with two groups; 村 and 组 blank under the headings but for H008 (its own group) and
#: H009 (another village than its heading's); a 合计 row at the end
ROWS: list[list[object]] = [
    HEAD, ["一、新华村"], ["（一）1组"], *[_hh(i) for i in range(1, 4)], ["（二）二组"],
    *[_hh(i, group="2组") for i in range(4, 6)], [], ["二、红旗村"], _hh(6), _hh(7), _hh(8, group="3组"),
    _hh(9, village="新华村"), ["合计", None, None, None, None, 27],
]


def _places(h):
    return [(i, v, g) for i, v, g in zip(h.index, h["village"], h["group"].fillna("-"), strict=True)]


WANT = [("H001", "新华村", "1组"), ("H002", "新华村", "1组"), ("H003", "新华村", "1组"), ("H004", "新华村", "2组"),
        ("H005", "新华村", "2组"), ("H006", "红旗村", "-"), ("H007", "红旗村", "-"), ("H008", "红旗村", "3组"),
        ("H009", "新华村", "-")]


@pytest.mark.parametrize("kind", ["xlsx", "csv-utf8", "csv-gbk"])
def test_blank_places_take_their_heading(tmp_path, kind):
    p = (rows_xlsx(tmp_path / "b.xlsx", ROWS, ("A10:H10",)) if kind == "xlsx"
         else rows_csv(tmp_path / "b.csv", ROWS, "utf-8" if kind == "csv-utf8" else "gbk"))
    h, rep = read_households(p, crs="EPSG:4490")
    assert _places(h) == WANT
    said = [(w.code, w.rows, w.params.get("column")) for w in rep.warnings if w.code.startswith("ROW")]
    assert said == [("ROW-SECTION", (2, 3, 7, 11), None), ("ROW-SECTION-FILLED", (4, 5, 6, 8, 9, 12, 13, 14), "村"),
                    ("ROW-SECTION-DIFFERS", (15,), "村"), ("ROW-SECTION-FILLED", (4, 5, 6), "组"),
                    ("ROW-TOTAL", (16,), "序号")]
    # the groups of 红旗村 are not the heading's: a village's heading starts them afresh
    assert next(w.rows for w in rep.warnings if w.code == "NEST-BLANK") == (12, 13, 15)


def test_columns_blank_throughout(tmp_path):
    """No cell names a place: the headings are known by their endings (村, 组), not read as households."""
    rows = [HEAD, ["新华村"], ["1组："], *[_hh(i) for i in range(1, 4)], ["2组"], *[_hh(i) for i in range(4, 6)]]
    h, rep = read_households(rows_csv(tmp_path / "c.csv", rows, "gbk"), crs="EPSG:4490")
    assert _places(h) == [(f"H00{i}", "新华村", "1组" if i < 4 else "2组") for i in range(1, 6)]
    assert not [w for w in rep.warnings if w.code == "NEST-BLANK"]
    fill = [w for w in rep.warnings if w.code == "ROW-SECTION-FILLED"]
    assert [(w.params["column"], w.rows) for w in fill] == [("村", (4, 5, 6, 8, 9)), ("组", (4, 5, 6, 8, 9))]


def test_village_and_group_in_one_heading(tmp_path):
    rows = [HEAD, ["新华村1组"], *[_hh(i) for i in range(1, 3)], ["新华村 第二组"], _hh(3)]
    h, _rep = read_households(rows_xlsx(tmp_path / "v.xlsx", rows), crs="EPSG:4490")
    assert _places(h) == [("H001", "新华村", "1组"), ("H002", "新华村", "1组"), ("H003", "新华村", "第二组")]


def test_a_lone_name_still_is_no_heading(tmp_path):
    """A lone text naming no place, by the table or by its ending, is read as ever (a household, an error)."""
    rows = [HEAD, ["张三"], *[_hh(i, "新华村", "1组") for i in range(1, 3)]]
    with pytest.raises(Exception) as exc:
        read_households(rows_xlsx(tmp_path / "n.xlsx", rows), crs="EPSG:4490")
    assert "ID-BLANK" in str(exc.value)


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["列“村”有 8 行空着，已按其上方分段标题中的名称填入（第 4、5、6、8、9 行等，共 8 行：“一、新华村”下填“新华村”，"
            "“二、红旗村”下填“红旗村”）。",
            "列“村”有 1 行所填的名称与其上方的分段标题不符，已按单元格所填读入（第 15 行：“二、红旗村”下填的是“新华村”）。"]),
    ("en", ["8 blank cells of column “村” filled with the name in the section heading above them (rows 4, 5, 6, 8, "
            "9 and more, 8 in all: “新华村” under “一、新华村”, “红旗村” under “二、红旗村”).",
            "column “村”: 1 row under a section heading naming another place; read as their cells say (row 15: "
            "“新华村” under “二、红旗村”)."]),
])
def test_validate_says_it(tmp_path, lang, words):
    out = " ".join(run_cli(["validate", str(rows_xlsx(tmp_path / "b.xlsx", ROWS)), "--crs", "EPSG:4490"],
                           lang=lang).split("\n"))
    for w in words:
        assert w in out


NOTES: list[list[object]] = [
    HEAD, *[_hh(i, "新华村", "1组") for i in range(1, 4)], ["注：以下 2 户为 2023 年新迁入户"],
    *[_hh(i, "新华村", "1组") for i in range(4, 6)], ["说明："], ["1. 坐标为 CGCS2000"],
    *[_hh(i, "新华村", "2组") for i in range(6, 8)], ["备注：H007 户主外出务工"], _hh(8, "新华村", "2组"),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv-utf8", "csv-gbk"])
def test_notes_between_households(tmp_path, kind):
    p = (rows_xlsx(tmp_path / "n.xlsx", NOTES, ("A5:H5",)) if kind == "xlsx"
         else rows_csv(tmp_path / "n.csv", NOTES, "utf-8" if kind == "csv-utf8" else "gbk"))
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == [f"H00{i}" for i in range(1, 9)]
    note = next(w for w in rep.warnings if w.code == "ROW-NOTE")
    assert note.rows == (5, 8, 9, 12)
    assert note.params["words"]["zh"] == "“注”、“说明”、“备注”"
    # only the note words are said: not what follows them (a name, an id)
    assert "外出" not in note.message("zh") and "H007" not in note.message("en")


def test_note_in_a_list_of_points(tmp_path):
    p = rows_csv(tmp_path / "pts.csv", [["名称", "经度", "纬度"], ["党群服务中心", 106.5, 29.5], ["注：以下为临时点"],
                                    ["文化院坝", 106.51, 29.51]], "utf-8")
    pts = read_points(p, kind="fixed", crs="EPSG:4490", working_crs="EPSG:4545")
    assert len(pts) == 2
    assert [(q.code, q.rows) for q in pts.attrs["warnings"]] == [("POINTS-NOTE", (3,))]


def test_a_note_word_with_an_id_is_a_household(tmp_path):
    """A row with an id is a household whatever its first cell says."""
    rows = [HEAD, *[_hh(i, "新华村", "1组") for i in range(1, 3)], ["注", "H003", "", "新华村", "1组", 2, 106.6, 29.6]]
    h, _rep = read_households(rows_xlsx(tmp_path / "k.xlsx", rows), crs="EPSG:4490")
    assert h.index.tolist() == ["H001", "H002", "H003"]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表中有 4 行是说明文字（在合计、小计行下，在表末，或在表中独占一行），不是农户，已跳过（第 5、8、9、12 行，开头为“注”、“说明”、“备注”）。"),
    ("en", "skipped as notes (under a total or subtotal row, at the end of the table, or alone on a row within it), "
           "not households: 4 rows (rows 5, 8, 9, 12; beginning “注”, “说明”, “备注”)."),
])
def test_validate_says_the_notes(tmp_path, lang, words):
    out = " ".join(run_cli(["validate", str(rows_xlsx(tmp_path / "n.xlsx", NOTES)), "--crs", "EPSG:4490"],
                           lang=lang).split("\n"))
    assert words in out and "ID-BLANK" not in out
