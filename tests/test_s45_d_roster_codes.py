"""A roster of people as clerks' systems export it: the relation to the head (与户主关系) written as its code of
GB/T 4761-2008 家庭关系代码 (two-digit: 01 本人, 02 户主, 10 配偶, 20 子, 30 女 …; one-digit: 0 本人或户主, 1 配偶,
2 子 …), alone or before its word ("02户主"), or as numbers when Excel dropped the leading zero. The head was
not found (only 户主/本人 were), so the whole roster stopped with ID-DUP; it is now combined as any other."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from yuanluo.gis.io import read_households

HEADER = ["户编号", "姓名", "与户主关系", "党员", "经度", "纬度"]


def _sheet(path: Path, relations: list[object]) -> Path:
    """Households 001 (3 people, the party member the third), 002 (2 people), 003 (the head alone)."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ids, party = ["001", "001", "001", "002", "002", "003"], ["否", "否", "是", "否", "否", "否"]
    xy = [(106.55, 29.56)] * 3 + [(106.551, 29.561)] * 2 + [(106.552, 29.562)]
    for i, (hid, rel) in enumerate(zip(ids, relations, strict=True)):
        ws.append([hid, f"人{i}", rel, party[i], *xy[i]])
    wb.save(path)
    return path


@pytest.mark.parametrize("relations", [
    ["02", "10", "20", "02", "30", "02"],                      # two-digit codes as text
    [2, 10, 20, 2, 30, 2],                                     # the same as numbers: Excel dropped the zero
    ["02户主", "10配偶", "20子", "02户主", "30女", "02户主"],   # code and word, as many exports write them
    ["30", "02", "22", "12", "01", "01"],                      # the head not first; 01 本人
    ["0", "1", "2", "0", "3", "0"],                            # one-digit codes
    [0, 1, 2, 0, 3, 0],
], ids=["text", "numbers", "code-word", "01-not-first", "one-digit", "one-digit-numbers"])
def test_a_roster_coded_by_gbt_4761_is_combined(tmp_path: Path, relations: list[object]) -> None:
    h, rep = read_households(_sheet(tmp_path / "h.xlsx", relations), crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003"]
    assert h["persons"].tolist() == [3, 2, 1]
    assert h["head_candidate"].tolist() == [True, False, False]  # the child's 党员 = 是
    q = next(w for w in rep.warnings if w.code == "ID-PERSONS-COMBINED")
    assert q.params["people"] == 6 and q.params["households"] == 3


def test_one_digit_two_is_a_son_not_the_head(tmp_path: Path) -> None:
    """In the one-digit codes 2 is 子 (a son): a household of 1 and 2 has no head (ID-PERSONS-HEAD), not two."""
    from yuanluo.gis.errors import InputError

    with pytest.raises(InputError) as e:
        read_households(_sheet(tmp_path / "h.xlsx", ["0", "1", "2", "1", "2", "0"]), crs="EPSG:4490")
    q = next(p for p in e.value.problems if p.code == "ID-PERSONS-HEAD")
    assert list(q.rows) == [5, 6]


@pytest.mark.parametrize(("lang", "error", "notice"), [
    ("zh", "按人登记的花名册中，1 户各成员的坐标相距超过 50 米", "合并为"),
    ("en", "in this roster of people, 1 household has members more than 50 m apart", "were combined")])
def test_an_error_that_stops_is_said_without_the_combining_notice(tmp_path: Path, lang: str, error: str,
                                                                 notice: str) -> None:
    """Nothing is combined into anything when the reading stops: the notice (its fix "nothing needs doing") said
    beside the error contradicted it. The error says the file is a roster of people; after the fix, the notice."""
    from shared_fixtures import run_cli

    f = _sheet(tmp_path / "h.xlsx", ["02", "10", "20", "02", "30", "02"])
    import openpyxl

    wb = openpyxl.load_workbook(f)
    wb.active["E3"] = 106.56  # the spouse 968 m from the head
    wb.save(f)
    out = run_cli(["--lang", lang, "validate", str(f), "--crs", "EPSG:4490"], lang, code=2)
    assert "ID-PERSONS-APART" in out and error in " ".join(out.split()), out
    assert "ID-PERSONS-COMBINED" not in out and notice not in out, out
    wb.active["E3"] = 106.55
    wb.save(f)
    out = run_cli(["--lang", lang, "validate", str(f), "--crs", "EPSG:4490"], lang)
    assert "ID-PERSONS-COMBINED" in out and notice in out, out


def test_a_bad_cell_stops_with_its_error_alone(tmp_path: Path) -> None:
    from yuanluo.gis.errors import InputError

    f = _sheet(tmp_path / "h.xlsx", ["02", "10", "20", "02", "30", "02"])
    import openpyxl

    wb = openpyxl.load_workbook(f)
    wb.active["D4"] = "也许"  # the child's 党员: no yes or no
    wb.save(f)
    with pytest.raises(InputError) as e:
        read_households(f, crs="EPSG:4490")
    assert "ATTR-TYPE" in e.value.codes and "ID-PERSONS-COMBINED" not in e.value.codes


@pytest.mark.parametrize(("lang", "said", "fix"), [
    ("zh", "按人登记的花名册中，1 户的成员在院落方案列 院落编号 中分属不同院落，共 3 行（第 2、3、4 行；编号 001、001、001）；"
           "已按户主那一行计。", "一户的成员属于同一院落：核对这些户各成员的 院落编号，改正后再运行"),
    ("en", "in this roster of people, the members of 1 household belong to different units in the plan's column 院落编号, "
           "3 rows (rows 2, 3, 4; ids 001, 001, 001); the row of the head is used.",
     "the members of one household belong to one unit: check these households' 院落编号 on their members' rows")])
def test_members_in_two_units_of_the_plan_column_are_said(tmp_path: Path, lang: str, said: str, fix: str) -> None:
    """check --unit-col 院落编号 of a roster of people: the spouse's row in U2, the head's in U1 (a blank cell is no
    unit): the plan takes the head's row, and says so with the rows; household 002's one member is U2."""
    from shared_fixtures import run_cli

    wb = Workbook()
    ws = wb.active
    ws.append(["户编号", "姓名", "与户主关系", "党员", "院落编号", "经度", "纬度"])
    for r in [["001", "甲", "02", "是", "U1", 106.55, 29.56], ["001", "乙", "10", "否", "U2", 106.55, 29.56],
              ["001", "丙", "20", "否", "", 106.55, 29.56], ["002", "丁", "02", "是", "U2", 106.551, 29.561],
              ["003", "戊", "02", "否", "U1", 106.5505, 29.5605]]:
        ws.append(r)
    wb.save(tmp_path / "h.xlsx")
    out = run_cli(["--lang", lang, "check", str(tmp_path / "h.xlsx"), "--unit-col", "院落编号", "--crs", "EPSG:4490",
                   "--min", "1", "--max", "5", "--json", str(tmp_path / "c.json")], lang)
    flat = "".join(out.split()) if lang == "zh" else " ".join(out.split())
    for text in (said, fix):
        assert ("".join(text.split()) if lang == "zh" else text) in flat, out
    import json

    units = {u["unit_id"]: u["n_households"] for u in json.loads((tmp_path / "c.json").read_text("utf-8"))["units"]}
    assert units == {"U1": 2, "U2": 1}, units
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "h.xlsx")
    wb.active["E3"] = "U1"  # the members agree (the child's blank cell is no unit): nothing said
    wb.save(tmp_path / "h.xlsx")
    _h, rep = read_households(tmp_path / "h.xlsx", crs="EPSG:4490")
    assert "ID-PERSONS-PLAN" not in {w.code for w in rep.warnings} and "ID-PERSONS-COMBINED" in {w.code for w in rep.warnings}
