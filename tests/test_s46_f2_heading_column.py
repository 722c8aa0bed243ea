"""A clerk's table with no village (or group) column, the village written only as a heading row over its block of
households (session 46, helper F2).

Session 46's first pass (26059c9) filled a blank village or group column from the headings above; a table with
no such column at all read its headings ('一、新华村', '（一）1组') as households: ID-BLANK and COORD-NAN, exit 2.
Where headings known by their ending (村/社区/居委会 a village, 组/社/队 a group) stand over households and the
table has no column for that level, the column is added (村, 组: the reader's names, so ``nest_by = ["village"]``
and ``["村民小组"]`` find it) and filled from the headings, said by the warning ROW-SECTION-COLUMN; rows above the
first heading stay blank. Headings naming no place (一、基本情况) are read as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from shared_fixtures import rows_csv, rows_xlsx, run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households

HEAD = ["序号", "户编号", "户主姓名", "人口", "经度", "纬度"]


def _hh(i: int) -> list[object]:
    return [i, f"H{i:03d}", f"张{i}", 3, round(106.5 + i * 0.00113, 6), round(29.5 + i * 0.00071, 6)]


def _write(tmp_path: Path, kind: str, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    if kind == "xlsx":
        return rows_xlsx(tmp_path / "b.xlsx", rows, merges)
    return rows_csv(tmp_path / "b.csv", rows, "utf-8" if kind == "csv-utf8" else "gbk")


#: H001 above the first heading; two villages under '一、新华村' and '二、红旗村' (merged across the row in xlsx)
VILLAGES: list[list[object]] = [HEAD, _hh(1), ["一、新华村"], *[_hh(i) for i in range(2, 5)], ["二、红旗村"],
                                *[_hh(i) for i in range(5, 7)], ["合计", None, None, 18]]


@pytest.mark.parametrize("kind", ["xlsx", "csv-utf8", "csv-gbk"])
def test_village_headings_make_the_column(tmp_path, kind):
    h, rep = read_households(_write(tmp_path, kind, VILLAGES, ("A3:F3", "A7:F7")), crs="EPSG:4490")
    assert h.index.tolist() == [f"H00{i}" for i in range(1, 7)]
    assert h["village"].fillna("-").tolist() == ["-", "新华村", "新华村", "新华村", "红旗村", "红旗村"]
    assert "group" not in h.columns
    said = [(w.code, w.rows, w.params.get("column")) for w in rep.warnings if w.code.startswith("ROW")]
    assert said == [("ROW-SECTION", (3, 7), None), ("ROW-SECTION-COLUMN", (4, 5, 6, 8, 9), "村"),
                    ("ROW-TOTAL", (10,), "序号")]


#: two villages with their groups, all as headings; no 村, no 组 column
GROUPS: list[list[object]] = [HEAD, ["一、新华村"], ["（一）1组"], _hh(1), _hh(2), ["（二）二组"], _hh(3), [],
                              ["二、红旗村"], ["1组："], _hh(4), _hh(5), ["红旗村3组"], _hh(6)]


@pytest.mark.parametrize("kind", ["xlsx", "csv-utf8", "csv-gbk"])
def test_village_and_group_headings_make_both_columns(tmp_path, kind):
    h, rep = read_households(_write(tmp_path, kind, GROUPS), crs="EPSG:4490")
    got = list(zip(h.index, h["village"], h["group"], strict=True))
    assert got == [("H001", "新华村", "1组"), ("H002", "新华村", "1组"), ("H003", "新华村", "二组"),
                   ("H004", "红旗村", "1组"), ("H005", "红旗村", "1组"), ("H006", "红旗村", "3组")]
    cols = [(w.params["column"], w.rows) for w in rep.warnings if w.code == "ROW-SECTION-COLUMN"]
    assert cols == [("村", (4, 5, 7, 11, 12, 14)), ("组", (4, 5, 7, 11, 12, 14))]
    assert not [w for w in rep.warnings if w.code in ("ROW-SECTION-FILLED", "NEST-BLANK")]


def test_group_headings_under_a_village_column(tmp_path):
    """A table with its 村 column filled but no group column: the group headings make the 组 column."""
    head = ["户编号", "村", "经度", "纬度"]
    rows = [head, ["1组"], *[[f"H{i}", "新华村", 106.5 + i / 1000, 29.5] for i in range(1, 3)], ["2组"],
            ["H3", "新华村", 106.6, 29.5]]
    h, rep = read_households(rows_csv(tmp_path / "g.csv", rows, "utf-8"), crs="EPSG:4490")
    assert h["group"].tolist() == ["1组", "1组", "2组"] and h["village"].tolist() == ["新华村"] * 3
    assert [(w.params["column"], w.rows) for w in rep.warnings if w.code == "ROW-SECTION-COLUMN"] == [
        ("组", (3, 4, 6))]


@pytest.mark.parametrize("heading", ["一、基本情况", "新华村"])
def test_headings_naming_no_place_or_nothing_under_them_are_read_as_before(tmp_path, heading):
    """一、基本情况 names no place; a village heading with no household under it (the table's last row) adds
    nothing: both are read as rows, as before (ID-BLANK)."""
    rows = ([HEAD, [heading], _hh(1), _hh(2)] if heading != "新华村" else [HEAD, _hh(1), _hh(2), [heading]])
    with pytest.raises(Exception) as exc:
        read_households(rows_csv(tmp_path / "n.csv", rows, "utf-8"), crs="EPSG:4490")
    assert "ID-BLANK" in str(exc.value)


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表中没有村列，已按分段标题新增列“村”：5 行按其上方的标题填入（第 4、5、6、8、9 行：“一、新华村”下填“新华村”，"
           "“二、红旗村”下填“红旗村”）。"),
    ("en", "the table has no village column: column “村” added from the section headings, 5 rows taking the name "
           "in the heading above them (rows 4, 5, 6, 8, 9: “新华村” under “一、新华村”, “红旗村” under “二、红旗村”)."),
])
def test_validate_says_it(tmp_path, lang, words):
    out = " ".join(run_cli(["validate", str(rows_xlsx(tmp_path / "b.xlsx", VILLAGES)), "--crs", "EPSG:4490"],
                           lang=lang).split("\n"))
    assert words in out, out
    assert "ROW-SECTION-COLUMN" in out and "ID-BLANK" not in out
    assert "空着，已按其上方" not in out and "blank cells of column" not in out  # not said as ROW-SECTION-FILLED


def _grid_village(name: str, x0: float, n: int, start: int) -> list[list[object]]:
    """``n`` households of one village on a small grid 40 m apart, numbered from ``start``."""
    return [[start + k, f"H{start + k:03d}", f"户{start + k}", 3, round(x0 + (k % 6) * 0.0004, 6),
             round(29.5 + (k // 6) * 0.00036, 6)] for k in range(n)]


@pytest.mark.parametrize("kind", ["xlsx", "csv-gbk"])
def test_delineate_nests_by_the_heading_village(tmp_path, kind):
    """yuanluo delineate --min 6 --max 12, nest_by = ["village"]: every unit within one village of the headings
    (two villages side by side, 30 m between their nearest households); on the old code exit 2 (ID-BLANK)."""
    rows = [HEAD, ["一、新华村"], *_grid_village("新华村", 106.5, 24, 1), ["二、红旗村"],
            *_grid_village("红旗村", 106.5023, 24, 25)]
    src = _write(tmp_path, kind, rows)
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 6\nmax_size = 12\nnest_by = ["village"]\n', encoding="utf-8")
    out = tmp_path / "out.gpkg"
    run_cli(["delineate", str(src), "--crs", "EPSG:4490", "--min", "6", "--max", "12", "--rules", str(rules),
             "-o", str(out)], lang="en")
    with sqlite3.connect(out) as c:
        tables = {t for (t,) in c.execute("select table_name from gpkg_contents")}
        hh = next(t for t in tables if "household" in t.lower())
        cols = [r[1] for r in c.execute(f'pragma table_info("{hh}")')]
        unit = next(k for k in cols if k.lower() in ("unit", "unit_id"))
        village = next(k for k in cols if k.lower() == "village")
        got = c.execute(f'select "{unit}", "{village}", count(*) from "{hh}" group by 1, 2').fetchall()
    assert sum(n for _u, _v, n in got) == 48
    by_unit: dict[object, set[str]] = {}
    for u, v, _n in got:
        by_unit.setdefault(u, set()).add(v)
    assert all(len(vs) == 1 for vs in by_unit.values()), by_unit
    assert {v for vs in by_unit.values() for v in vs} == {"新华村", "红旗村"}
    assert all(6 <= n <= 12 for n in (sum(k for u2, _v, k in got if u2 == u) for u in by_unit))



#: a village heading, then parts headed by organisations (a cooperative, the village work team), not places
ORGS: list[list[object]] = [HEAD, ["一、新华村"], _hh(1), _hh(2), ["二、专业合作社"], _hh(3), ["三、驻村工作组"], _hh(4)]


@pytest.mark.parametrize("kind", ["xlsx", "csv-utf8"])
def test_an_organisation_heading_names_no_place(tmp_path, kind):
    """'专业合作社' ends as a group does (社) and '驻村工作组' reads as a village and its group (驻村 + 工作组): they
    are no places, so no 组 column is made of them and no village 驻村 (before the lead's _NOT_PLACE, H003 was put in
    a group 专业合作社 and H004 in a village 驻村, silently). They are rows naming no place, as 一、基本情况 is."""
    with pytest.raises(InputError) as exc:
        read_households(_write(tmp_path, kind, ORGS), crs="EPSG:4490")
    said = {p.code: p for p in exc.value.problems}
    assert said["ID-BLANK"].rows == (5, 7)
    made = [p.params["column"] for p in exc.value.problems if p.code == "ROW-SECTION-COLUMN"]
    assert made == ["村"]
    assert "驻村" not in str([p.params for p in exc.value.problems if p.code.startswith("ROW-SECTION")])
