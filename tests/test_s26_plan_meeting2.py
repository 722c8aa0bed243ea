"""Session 26: ``check --plan`` on a plan table's 议事点 (meeting point) column.

A unit whose cells name two of its households (two units merged by retyping a unit id) has no meeting point from the
column: the warning PLAN-MEET-COLUMN naming both households, measured to its centre (it was the error PLAN-MEET-DUP,
exit 2, before that the first row's was used without a word; ``--meeting-points`` with the same is MEET-DUP). A unit whose cells name another unit's household, an
unknown id, or nothing is the warning PLAN-MEET-COLUMN naming the plan, the column, the rows and what is wrong
(it said the meeting points file, which nobody gave, does not list the unit), and the unit is measured to its
centre (its walks were null when no walking limit was set). Since session 31 a unit whose cells are all blank is
PLAN-MEETING (no meeting point given, as the editor says it), in the same words of the plan and its column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small synthetic village delineated (units of 15–30), with its plan for Excel (``--xlsx``), and rules
    without a walking limit for the checks."""
    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("s26plan2")
    v = make_village(240, seed=5)
    src = d / "village.gpkg"
    v.households.reset_index().to_file(src, layer="households", driver="GPKG")
    out, xlsx = d / "out.gpkg", d / "方案.xlsx"
    r = CliRunner().invoke(app, ["delineate", f"{src}::households", "--min", "15", "--max", "30", "-o", str(out),
                                 "--xlsx", str(xlsx), "-q"])
    assert r.exit_code == 0, r.output
    rules = d / "rules.toml"
    rules.write_text("[rules]\nmin_size = 15\nmax_size = 30\n", encoding="utf-8")
    return {"dir": d, "src": f"{src}::households", "rules": rules, "xlsx": xlsx}


def _edited(v: dict[str, Any], name: str, edit: Any) -> tuple[Path, dict[str, list[int]]]:
    """A copy of the plan with ``edit(rows_of, cells)`` applied to its 议事点 cells; ``rows_of``: unit → its Excel
    rows, ``cells``: Excel row → the row's cells by header."""
    import openpyxl

    wb = openpyxl.load_workbook(v["xlsx"])
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    cells = {r[0].row: dict(zip(head, r, strict=False)) for r in ws.iter_rows(min_row=2) if r[0].value is not None}
    rows_of: dict[str, list[int]] = {}
    for n, c in cells.items():
        rows_of.setdefault(str(c["院落编号"].value), []).append(n)
    edit(rows_of, cells)
    path = v["dir"] / name
    wb.save(path)
    return path, rows_of


def _check(v: dict[str, Any], plan: Path, lang: str, name: str) -> tuple[Any, Path]:
    js = v["dir"] / f"{name}_{lang}.json"
    r = CliRunner().invoke(app, ["--lang", lang, "check", v["src"], "--plan", str(plan), "--rules", str(v["rules"]),
                                 "--json", str(js)])
    return r, js


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_meeting_column_two_households_of_a_unit_warns_and_measures_to_the_centre(
        village: dict[str, Any], lang: str) -> None:
    """A unit's 议事点 cells alternating between two of its households: the warning PLAN-MEET-COLUMN naming the
    plan, the unit, both households and their first rows, saying the cells name more than one; the unit measured
    to its centre, the check run (it was PLAN-MEET-DUP, exit 2, nothing written)."""
    got: dict[str, Any] = {}

    def alternate(rows_of: dict[str, list[int]], cells: dict[int, dict[str, Any]]) -> None:
        unit = sorted(rows_of)[1]
        rows = rows_of[unit]
        point = cells[rows[0]]["议事点"].value
        other = next(cells[n]["户编号"].value for n in rows if cells[n]["户编号"].value != point)
        for i, n in enumerate(rows):
            cells[n]["议事点"].value = other if i % 2 == 0 else point
        # the first row naming each that is not the named household's own row (that one is passed over)
        firsts = sorted(next(n for n in rows if cells[n]["议事点"].value == h and cells[n]["户编号"].value != h)
                        for h in (other, point))
        got.update(unit=unit, ids=(str(other), str(point)), rows=tuple(firsts))

    plan, _ = _edited(village, f"dup_{lang}.xlsx", alternate)
    r, js = _check(village, plan, lang, "dup")
    assert r.exit_code in (0, 1), r.output
    rep = json.loads(js.read_text(encoding="utf-8"))
    found = [v for v in rep["violations"] if "MEET" in v["code"]]
    assert [(v["code"], v["unit_id"], v["severity"]) for v in found] == [("PLAN-MEET-COLUMN", got["unit"], "warning")]
    msg = " ".join(found[0][f"message_{lang}"].split())
    assert plan.name in msg and got["unit"] in msg and all(i in msg for i in got["ids"]), msg
    rows = f"第 {got['rows'][0]}、{got['rows'][1]} 行" if lang == "zh" else f"rows {got['rows'][0]}, {got['rows'][1]}"
    assert rows in msg, msg
    said = "写了本院落的多户" if lang == "zh" else "name more than one of its households"
    assert said in msg and "--meeting-points" in msg and "议事点" in msg, msg
    out = " ".join(r.output.split())
    assert "PLAN-MEET-COLUMN" in out and "PLAN-MEET-DUP" not in out, out
    walks = {u["unit_id"]: u["mean_walk_min"] for u in rep["units"]}
    assert walks[got["unit"]] is not None, walks


def _foreign(rows_of: dict[str, list[int]], cells: dict[int, dict[str, Any]], unit: str) -> str:
    other = next(u for u in sorted(rows_of) if u != unit)
    hid = str(cells[rows_of[other][0]]["户编号"].value)
    for n in rows_of[unit]:
        cells[n]["议事点"].value = hid
    return other


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", ["foreign", "unknown", "blank"])
def test_plan_meeting_column_without_the_units_household_warns_and_measures_to_the_centre(
        village: dict[str, Any], case: str, lang: str) -> None:
    """A unit whose 议事点 cells name another unit's household, an unknown id, or nothing: the warning
    PLAN-MEET-COLUMN (PLAN-MEETING for nothing, since session 31) names the plan, the column, the unit's rows and what is wrong, its fix the column or
    ``--meeting-points`` (PLAN-MEETING said "the meeting points file does not list it", none being given), and the
    unit's walks are measured to its centre (they were null)."""
    said: dict[str, str] = {}

    def edit(rows_of: dict[str, list[int]], cells: dict[int, dict[str, Any]]) -> None:
        unit = sorted(rows_of)[0]
        said["unit"] = unit
        said["rows"] = str(rows_of[unit][0])
        if case == "foreign":
            said["other"] = _foreign(rows_of, cells, unit)
        else:
            for n in rows_of[unit]:
                cells[n]["议事点"].value = "999999" if case == "unknown" else None

    plan, _ = _edited(village, f"{case}_{lang}.xlsx", edit)
    r, js = _check(village, plan, lang, case)
    assert r.exit_code in (0, 1), r.output
    rep = json.loads(js.read_text(encoding="utf-8"))
    unit = said["unit"]
    found = [v for v in rep["violations"] if v["unit_id"] == unit and "MEET" in v["code"]]
    # all blank: no meeting point given, PLAN-MEETING as the editor says it (session 31), in the plan's words
    assert [v["code"] for v in found] == ["PLAN-MEETING" if case == "blank" else "PLAN-MEET-COLUMN"], found
    msg = found[0][f"message_{lang}"]
    assert plan.name in msg and "议事点" in msg and said["rows"] in msg and "--meeting-points" in msg, msg
    assert "议事点文件" not in msg and "meeting points file" not in msg, msg
    why = {"foreign": {"zh": f"是院落 {said.get('other')} 的农户", "en": f"is a household of unit {said.get('other')}"},
           "unknown": {"zh": "“999999” 不是农户文件中的户编号", "en": "999999 is not a household id"},
           "blank": {"zh": "都是空的", "en": "all blank"}}[case][lang]
    assert why in msg, msg
    walks = {u["unit_id"]: u["mean_walk_min"] for u in rep["units"]}
    assert all(w is not None for w in walks.values()), walks


def test_plan_meeting_column_one_blank_cell_is_harmless(village: dict[str, Any]) -> None:
    """One blank 议事点 cell among the unit's others naming its point: no finding, the same walks."""
    def one_blank(rows_of: dict[str, list[int]], cells: dict[int, dict[str, Any]]) -> None:
        cells[rows_of[sorted(rows_of)[0]][0]]["议事点"].value = None

    plan, _ = _edited(village, "one_blank.xlsx", one_blank)
    r0, js0 = _check(village, village["xlsx"], "zh", "plain")
    r1, js1 = _check(village, plan, "zh", "one_blank")
    assert r0.exit_code == r1.exit_code, r1.output
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (js0, js1))
    assert not [v for v in b["violations"] if "MEET" in v["code"]]
    assert a["units"] == b["units"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_meeting_point_household_moved_to_another_unit_is_not_a_second_point(village: dict[str, Any],
                                                                                lang: str) -> None:
    """The commonest edit: a unit's meeting-point household moved to a neighbour in the 院落编号 column keeps its
    own 议事点 cell (itself). Its new unit's other rows name that unit's point, so the moved row is passed over
    (it was PLAN-MEET-DUP, exit 2, for an ordinary move); its old unit names none of its own households and is
    said with PLAN-MEET-COLUMN."""
    said: dict[str, str] = {}

    def move(rows_of: dict[str, list[int]], cells: dict[int, dict[str, Any]]) -> None:
        old, new = sorted(rows_of)[0], sorted(rows_of)[1]
        point = str(cells[rows_of[old][0]]["议事点"].value)
        row = next(n for n in rows_of[old] if str(cells[n]["户编号"].value) == point)
        cells[row]["院落编号"].value = new
        said.update(old=old, new=new)

    plan, _ = _edited(village, f"moved_{lang}.xlsx", move)
    r, js = _check(village, plan, lang, "moved")
    assert r.exit_code in (0, 1), r.output
    rep = json.loads(js.read_text(encoding="utf-8"))
    codes = {(v["unit_id"], v["code"]) for v in rep["violations"] if "MEET" in v["code"]}
    assert codes == {(said["old"], "PLAN-MEET-COLUMN")}, codes
