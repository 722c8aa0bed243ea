"""Session 45, helper G: a roster split into parts by a heading row per village or group ('一、新华村').

A workbook of two villages, each under a row holding '一、新华村' / '二、红旗村' alone, with a blank row between them:
'yuanluo validate b_sections.xlsx --crs EPSG:4490' read each heading as a household (ID-BLANK, COORD-NAN,
NEST-BLANK 村 and 组, 第 2、9 行), exit 2. A row of one text, no id and no coordinates, naming a village, group or
settlement of the table after its numbering (compared as village and group names are: 一组 = 1组) is now skipped
with the warning ROW-SECTION naming the rows and the headings. The rows under a heading keep their own village
and group cells (a blank is not filled from the heading: NEST-BLANK says it, as before); a lone text naming no
place of the table (a name) stays a household, and an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import rows_xlsx, run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households

HEAD = ["序号", "户编号", "户主姓名", "村", "组", "人口", "经度", "纬度"]


def _hh(i: int, village: str = "新华村", group: str = "1组") -> list[object]:
    return [i, f"H{i:03d}", f"张{i}", village, group, 3, 106.5 + i * 0.00113, 29.5 + i * 0.00071]



def _villages(path: Path) -> Path:
    return rows_xlsx(path, [HEAD, ["一、新华村"], *[_hh(i) for i in range(1, 6)], [], ["二、红旗村"],
                        *[_hh(i, "红旗村") for i in range(6, 11)]], ("A9:H9",))


def test_village_headings(tmp_path):
    h, rep = read_households(_villages(tmp_path / "b.xlsx"), crs="EPSG:4490")
    assert h.index.tolist() == [f"H{i:03d}" for i in range(1, 11)]
    assert h["village"].tolist() == ["新华村"] * 5 + ["红旗村"] * 5
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith(("ROW", "XLSX-MERGED"))] == [
        ("ROW-SECTION", (2, 9))]


def test_group_headings_written_otherwise(tmp_path):
    p = tmp_path / "g.csv"
    rows = [",".join(map(str, _hh(i, group="一组" if i < 4 else "二组"))) for i in range(1, 7)]
    p.write_text("\n".join([",".join(HEAD), "1组：", *rows[:3], "（二）第二组", *rows[3:], "合计,,,,,18,,"]) + "\n",
                 encoding="utf-8")
    h, rep = read_households(p, crs="EPSG:4490")
    assert len(h) == 6
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ROW")] == [
        ("ROW-SECTION", (2, 6)), ("ROW-TOTAL", (10,))]


def test_a_lone_name_is_a_household(tmp_path):
    p = rows_xlsx(tmp_path / "n.xlsx", [HEAD, *[_hh(i) for i in range(1, 4)], [None, None, "张三"],
                                    *[_hh(i) for i in range(4, 6)]])
    with pytest.raises(InputError) as exc:
        read_households(p, crs="EPSG:4490")
    assert next(q.rows for q in exc.value.problems if q.code == "ID-BLANK") == (5,)


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表中有 2 行是按村、组分段的标题行，不是数据，已跳过（第 2、9 行，为“一、新华村”、“二、红旗村”）。"),
    ("en", "skipped as section headings (a village or group over a part of the table), not data: 2 rows "
           "(rows 2, 9; reading “一、新华村”, “二、红旗村”)."),
])
def test_validate_says_it(tmp_path, lang, words):
    out = " ".join(run_cli(["validate", str(_villages(tmp_path / "b.xlsx")), "--crs", "EPSG:4490"],
                           lang=lang).split("\n"))
    assert words in out and "ID-BLANK" not in out and "NEST-BLANK" not in out
