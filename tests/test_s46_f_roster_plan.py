"""A roster of people (与户主关系) whose plan column is not one of the plan's known names (session 46, helper F,
item 3).

Members of one household in two plan units were said (ID-PERSONS-PLAN) only for a column named exactly as
gis.plan.UNIT_ALIASES (院落编号, unit_id …): a clerk's 所属小院 / 小院编号 / 所属院落名称 / 片区, or the column
``check --unit-col 划分`` names, was combined silently, the head's unit kept. Now a column naming a 院落, 小院 or
片区 (not its head: 院落长, 院落长电话) or the words unit/yard/courtyard/patch, and the column --unit-col names, are
compared too. The relation codes of 3-4 digits (GB/T 4761-2008's combination codes, a one-digit and a two-digit
code put together for a relative's relative) name a member, never the head: read so already (pinned below).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _roster(path: Path, column: str, units: list[str], relations: tuple[str, ...] = ("户主", "配偶", "子女"),
            ) -> Path:
    """Households 001 (3 people, their units ``units[:3]``), 002 and 003 (one person each), each with its point."""
    wb = Workbook()
    ws = wb.active
    ws.append(["户编号", "姓名", "与户主关系", column, "经度", "纬度"])
    rel = [*relations, "户主", "户主"]
    ids = ["001", "001", "001", "002", "003"]
    xy = [(106.55, 29.56)] * 3 + [(106.551, 29.561), (106.552, 29.562)]
    for i, hid in enumerate(ids):
        ws.append([hid, f"人{i}", rel[i], units[i], *xy[i]])
    wb.save(path)
    return path


@pytest.mark.parametrize("column", ["所属小院", "小院编号", "所属院落名称", "片区", "Yard No", "unit_name"])
def test_a_plan_column_by_another_name(tmp_path, column):
    h, rep = read_households(_roster(tmp_path / "r.xlsx", column, ["一院", "二院", "一院", "一院", "二院"]),
                             crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003"] and h[column].tolist() == ["一院", "一院", "二院"]
    q = next(w for w in rep.warnings if w.code == "ID-PERSONS-PLAN")
    assert q.rows == (2, 3, 4) and q.params["columns"] == [column] and q.params["households"] == 1


def test_the_head_of_a_unit_is_no_unit(tmp_path):
    """院落长 (the head's name) differing among members is no plan: not ID-PERSONS-PLAN."""
    _h, rep = read_households(_roster(tmp_path / "r.xlsx", "院落长", ["张三", "李四", "张三", "张三", "王五"]),
                              crs="EPSG:4490")
    assert "ID-PERSONS-PLAN" not in {w.code for w in rep.warnings}


def test_the_column_unit_col_names(tmp_path):
    p = _roster(tmp_path / "r.xlsx", "划分", ["A", "B", "A", "A", "B"])
    _h, rep = read_households(p, crs="EPSG:4490")
    assert "ID-PERSONS-PLAN" not in {w.code for w in rep.warnings}  # a name saying nothing of a plan
    _h, rep = read_households(p, crs="EPSG:4490", plan_col="划分")
    q = next(w for w in rep.warnings if w.code == "ID-PERSONS-PLAN")
    assert q.rows == (2, 3, 4) and q.params["columns"] == ["划分"]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "按人登记的花名册中，1 户的成员在院落方案列 划分 中分属不同院落，共 3 行（第 2、3、4 行"),
    ("en", "in this roster of people, the members of 1 household belong to different units in the plan's column 划分, "
           "3 rows (rows 2, 3, 4"),
])
def test_check_unit_col_says_it(tmp_path, lang, words):
    p = _roster(tmp_path / "r.xlsx", "划分", ["A", "B", "A", "A", "B"])
    out = run_cli(["--lang", lang, "check", str(p), "--crs", "EPSG:4490", "--unit-col", "划分", "--min", "1",
                   "--max", "5"], lang=lang)
    assert words in " ".join(out.split()), out


@pytest.mark.parametrize("relations", [("02", "10", "2238"), ("0", "1", "221"), ("02户主", "1012", "2032")])
def test_combination_codes_are_members(tmp_path, relations):
    h, rep = read_households(_roster(tmp_path / "r.xlsx", "备用", ["", "", "", "", ""], relations),
                             crs="EPSG:4490")
    assert h["persons"].tolist() == [3, 1, 1]
    assert "ID-PERSONS-HEAD" not in {w.code for w in rep.warnings}
