"""A roster of people (户籍花名册: one row per person, 与户主关系, the household id on every member's row) stopped
every command with ID-PERSONS ("keep the head's row"), which loses the household's persons and a candidate head
who is not the head (a party member who is a spouse or child). It is now combined into households as read
(gis.roster): one household per id, persons its rows, a candidate when any member is one, the head's point (or
the members' common one), said as ID-PERSONS-COMBINED; members far apart, an id with no head or two, and a
persons column that differs are said with their rows."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.gis.synth import make_village

RELATIONS = ("配偶", "子女", "子女", "父母", "孙子女")
HEADER = ["户编号", "户主姓名", "姓名", "与户主关系", "政治面貌", "东坐标", "北坐标", "村", "组"]


def _village_roster(path: Path, n: int = 120) -> gpd.GeoDataFrame:
    """An Excel roster of people of a generated village: its head first, the party member (the candidate) any
    member, the coordinates on the head's row and on about half of the others. Returns the village's households."""
    h = make_village(n, seed=3).households
    rng = np.random.default_rng(7)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER)
    for hid, r in h.iterrows():
        k = int(r["persons"])
        party = int(rng.integers(0, k)) if bool(r["head_candidate"]) else -1
        for m in range(k):
            xy = (round(r.geometry.x, 2), round(r.geometry.y, 2)) if m == 0 or rng.random() < 0.5 else ("", "")
            ws.append([hid, f"户主{hid}", f"成员{hid}x{m}", "户主" if m == 0 else RELATIONS[(m - 1) % 5],
                       "中共党员" if m == party else "群众", *xy, r["village"], r["group"]])
    wb.save(path)
    return h


def _sheet(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["户编号", "姓名", "与户主关系", "党员", "经度", "纬度"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "：{people} 行已按 户编号 合并为 {n} 户，其中 {several} 户有多名成员"),
    ("en", ": its {people} rows were combined by 户编号 into {n} households, {several} of them with several members")])
def test_a_village_roster_of_people_is_delineated_by_households(tmp_path: Path, lang: str, said: str) -> None:
    truth = _village_roster(tmp_path / "花名册.xlsx")
    rules = tmp_path / "r.toml"
    rules.write_text('[rules]\nmin_size = 20\nmax_size = 60\nsize_by = "persons"\nrequire_head = true\n'
                     'keep_settlements = false\n', encoding="utf-8")
    out = run_cli(["--lang", lang, "delineate", str(tmp_path / "花名册.xlsx"), "--crs", "EPSG:4545", "--rules",
                   str(rules), "-o", str(tmp_path / "r.gpkg"), "--map", str(tmp_path / "r.html")], lang)
    flat = ("" if lang == "zh" else " ").join(out.split())
    people = int(truth["persons"].sum())
    several = int((truth["persons"] > 1).sum())
    said = said.format(people=people, n=len(truth), several=several)
    assert "ID-PERSONS-COMBINED" in out and ("".join(said.split()) if lang == "zh" else said) in flat, out
    assert "成员H" not in out and "户主H" not in out, out  # no person's name in a message
    hh = gpd.read_file(tmp_path / "r.gpkg", layer="households").set_index("hid")
    assert sorted(hh.index) == sorted(truth.index)
    t = truth.loc[hh.index]
    assert (hh["persons"].astype(int) == t["persons"]).all()
    assert (hh["head_candidate"].astype(bool) == t["head_candidate"]).all()  # a candidate who is not the head
    assert np.abs(hh.geometry.x - t.geometry.x).max() < 0.01 and np.abs(hh.geometry.y - t.geometry.y).max() < 0.01
    units = gpd.read_file(tmp_path / "r.gpkg", layer="units").set_index("unit_id")
    per_unit = hh.groupby("unit_id")["persons"].sum()
    assert (units.loc[per_unit.index, "persons"].astype(int) == per_unit).all()
    ok = units[units["status"] == "ok"]
    assert len(ok) and ok["persons"].astype(int).between(20, 60).all()
    heads = hh[hh["head_candidate"].astype(bool)].groupby("unit_id").size()
    assert (ok["n_heads"].astype(int) == heads.reindex(ok.index, fill_value=0)).all() and (ok["n_heads"] > 0).all()
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "成员H" not in page and "户主H" not in page  # names reach no page unless asked


def test_the_head_row_without_coordinates_takes_the_members_common_point(tmp_path: Path) -> None:
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户 主", "否", "", ""], ["001", "乙", "配偶", "是", 106.55, 29.56],
                                     ["001", "丙", "子女", "否", 106.55001, 29.56001], ["002", "丁", "本人", "否", 106.551,
                                                                                     29.561]])
    h, rep = read_households(f, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002"] and h["persons"].tolist() == [3, 1]
    assert h["head_candidate"].tolist() == [True, False] and h["姓名"].tolist() == ["甲", "丁"]
    assert rep.rows.tolist() == [2, 5]  # the head's row, as the file shows it
    one = gpd.GeoSeries.from_xy([106.55], [29.56], crs=4490).to_crs(h.crs)
    assert h.geometry.iloc[0].distance(one.iloc[0]) < 0.01
    said = [w for w in rep.warnings if w.code == "ID-PERSONS-COMBINED"]
    assert len(said) == 1 and said[0].params["candidates"] == 1 and said[0].params["people"] == 4


@pytest.mark.parametrize(("lang", "said", "fix"), [
    ("zh", "1 户各成员的坐标相距超过 50 米（最远 968 米）", "一户的成员应使用同一坐标"),
    ("en", "1 household has members more than 50 m apart (up to 968 m)", "the members of one household take one location")])
def test_members_far_apart_stop_with_their_rows(tmp_path: Path, lang: str, said: str, fix: str) -> None:
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户主", "否", 106.55, 29.56], ["001", "乙", "配偶", "否", 106.56, 29.56],
                                     ["002", "丁", "户主", "否", 106.551, 29.561]])
    before = sorted(p.name for p in tmp_path.iterdir())
    out = run_cli(["--lang", lang, "delineate", str(f), "--crs", "EPSG:4490", "--min", "1", "--max", "5", "-o",
                   str(tmp_path / "r.gpkg")], lang, code=2)
    flat = " ".join(out.split())
    assert "ID-PERSONS-APART" in out and fix in flat, out
    assert said in flat, out
    assert "2、3" in flat or "2, 3" in flat, out  # the rows
    assert "甲" not in out and "乙" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_id_with_two_heads_or_none_is_said_with_its_rows(tmp_path: Path) -> None:
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户主", "否", 106.55, 29.56], ["001", "乙", "户主", "否", 106.55, 29.56],
                                     ["002", "丙", "户主", "否", 106.551, 29.561], ["002", "丁", "子女", "否", 106.551, 29.561],
                                     ["003", "戊", "子女", "否", 106.552, 29.562], ["003", "己", "配偶", "否", 106.552, 29.562]])
    with pytest.raises(InputError) as e:
        read_households(f, crs="EPSG:4490")
    found = {p.code: p for p in e.value.problems}
    assert "ID-PERSONS-HEAD" in found and "ID-DUP" not in found and "ID-PERSONS" not in found
    assert list(found["ID-PERSONS-HEAD"].rows) == [2, 3, 6, 7]
    assert "每户把一行的 与户主关系 标为“户主”" in found["ID-PERSONS-HEAD"].message("zh")


def test_a_persons_column_that_differs_is_kept_and_said(tmp_path: Path) -> None:
    rows = [["001", "甲", "户主", "否", 5, 106.55, 29.56], ["001", "乙", "配偶", "否", 5, 106.55, 29.56],
            ["002", "丙", "户主", "否", 1, 106.551, 29.561]]
    f = _sheet(tmp_path / "h.xlsx", rows, ["户编号", "姓名", "与户主关系", "党员", "人口", "经度", "纬度"])
    h, rep = read_households(f, crs="EPSG:4490")
    assert h["persons"].tolist() == [5, 1]
    q = next(w for w in rep.warnings if w.code == "ID-PERSONS-COUNT")
    assert list(q.rows) == [2]
    assert "户 001：人数列为 5，共 2 行" in q.message("zh") and "household 001: 5 in the column, 2 rows" in q.message("en")


def test_a_bad_candidate_cell_on_a_members_row_names_that_row(tmp_path: Path) -> None:
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户主", "否", 106.55, 29.56], ["001", "乙", "配偶", "也许", 106.55, 29.56],
                                     ["002", "丙", "户主", "否", 106.551, 29.561]])
    with pytest.raises(InputError) as e:
        read_households(f, crs="EPSG:4490")
    bad = [p for p in e.value.problems if p.severity == "error"]
    assert [p.code for p in bad] == ["ATTR-TYPE"] and list(bad[0].rows) == [3]  # the member's row, once


def test_points_one_per_person_in_a_geopackage(tmp_path: Path) -> None:
    g = gpd.GeoDataFrame({"户编号": ["7", "7", "8"], "与户主关系": ["子女", "户主", "户主"],
                          "政治面貌": ["中共预备党员", "群众", "群众"]},
                         geometry=gpd.points_from_xy([500000.0, 500000.0, 500100.0], [3300000.0] * 3), crs=4545)
    g.to_file(tmp_path / "p.gpkg", layer="people")
    h, rep = read_households(tmp_path / "p.gpkg")
    assert h.index.tolist() == ["7", "8"] and h["persons"].tolist() == [2, 1]
    assert h["head_candidate"].tolist() == [True, False] and h["party_member"].tolist() == [True, False]
    assert rep.rows.tolist() == [2, 3]


def test_a_roster_of_households_is_read_as_before(tmp_path: Path) -> None:
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户主", "否", 106.55, 29.56], ["002", "丙", "户主", "是", 106.551, 29.561]])
    h, rep = read_households(f, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002"] and "persons" not in h.columns
    assert not [w for w in rep.warnings if w.code.startswith("ID-PERSONS")]
    pd.testing.assert_series_equal(h["head_candidate"].reset_index(drop=True), pd.Series([False, True]),
                                   check_names=False)


def test_a_roster_whose_household_cells_are_merged_is_combined(tmp_path: Path) -> None:
    """The printed form of a 户籍花名册: 户编号 and the coordinates merged down each household's member rows."""
    f = _sheet(tmp_path / "h.xlsx", [["001", "甲", "户主", "否", 106.55, 29.56], ["", "乙", "配偶", "否", "", ""],
                                     ["", "丙", "子女", "是", "", ""], ["002", "丁", "户主", "否", 106.551, 29.561]])
    import openpyxl

    wb = openpyxl.load_workbook(f)
    for col in "AEF":
        wb.active.merge_cells(f"{col}2:{col}4")
    wb.save(f)
    h, rep = read_households(f, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002"] and h["persons"].tolist() == [3, 1]
    assert h["head_candidate"].tolist() == [True, False]
    assert {w.code for w in rep.warnings} >= {"ID-PERSONS-COMBINED", "XLSX-MERGED"}


@pytest.mark.parametrize(("lang", "fix"), [("zh", "加一列“与户主关系”，户主那一行填“户主”"),
                                          ("en", "add a column '与户主关系' holding '户主' on the row of the head")])
def test_a_roster_without_relation_column_is_told_the_column_that_combines_it(tmp_path: Path, lang: str,
                                                                            fix: str) -> None:
    header = ["户编号", "户主姓名", "姓名", "党员", "经度", "纬度"]
    rows = [["001", "甲", "甲", "否", 106.55, 29.56], ["001", "甲", "乙", "是", 106.55, 29.56],
            ["002", "丁", "丁", "否", 106.551, 29.561]]
    with pytest.raises(InputError) as e:  # ambiguous without the column: the error stays
        read_households(_sheet(tmp_path / "a.xlsx", rows, header), crs="EPSG:4490")
    q = next(p for p in e.value.problems if p.code == "ID-PERSONS-ROWS")
    assert fix in q.message(lang)
    told = [[*r[:3], "户主" if r[1] == r[2] else "配偶", *r[3:]] for r in rows]  # the fix done
    h, _rep = read_households(_sheet(tmp_path / "b.xlsx", told, [*header[:3], "与户主关系", *header[3:]]),
                              crs="EPSG:4490")
    assert h["persons"].tolist() == [2, 1] and h["head_candidate"].tolist() == [True, False]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "按人登记的花名册中，1 户的成员在 组 列填写不一致，共 3 行（第 2、3、4 行"),
    ("en", "in this roster of people, the members of 1 household differ in 组, 3 rows (rows 2, 3, 4")])
def test_members_in_different_groups_are_said_and_the_heads_group_kept(tmp_path: Path, lang: str, said: str) -> None:
    rows = [["001", "甲", "户主", "否", "一组", 106.55, 29.56], ["001", "乙", "配偶", "否", "二组", 106.55, 29.56],
            ["001", "丙", "子女", "否", "", 106.55, 29.56], ["002", "丁", "户主", "否", "二组", 106.551, 29.561]]
    f = _sheet(tmp_path / "h.xlsx", rows, ["户编号", "姓名", "与户主关系", "党员", "组", "经度", "纬度"])
    h, rep = read_households(f, crs="EPSG:4490")
    assert h["group"].tolist() == ["一组", "二组"]
    q = next(w for w in rep.warnings if w.code == "ID-PERSONS-PLACE")
    assert q.message(lang).find(said) >= 0, q.message(lang)
