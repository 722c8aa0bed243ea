"""The editor's reading of a plan's 议事点 (meeting point) column agrees with ``check --plan``'s
(:func:`yuanluo.gis.plan.plan_meeting_points`, audit s28 A §1–3): ``edit --plan`` says PLAN-MEET-COLUMN for a unit
whose cells name none of its households, as check does; the page's 载入方案 refuses a column naming two households of
one unit with PLAN-MEET-DUP's sentence (the plan on the map unchanged), and a unit whose cells name none of its
households gets no meeting point (walked to its centre) with PLAN-MEET-COLUMN's sentence; the page's note of the rules
it cannot check names no option ``yuanluo edit`` lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from editor_fixtures import synth_result

RULES = '[rules]\nname = "s28l"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = ["hamlet"]\n'


def _result(tmp: Path) -> tuple[Path, Path, dict[str, list[str]]]:
    result = synth_result(tmp)
    rules = tmp / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    hh = gpd.read_file(result, layer="households")
    hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
    members = {str(u): [str(h) for h in g["hid"]] for u, g in hh.groupby("unit_id")}
    return result, rules, members


def _plan(path: Path, members: dict[str, list[str]], meet: dict[str, list[str]]) -> Path:
    """A plan table (户编号, 院落编号, 议事点): each unit's rows name its first household, or the cells ``meet`` gives."""
    rows = ["户编号,院落编号,议事点"]
    for u, hs in members.items():
        cells = meet.get(u, [hs[0]] * len(hs))
        rows += [f"{h},{u},{c}" for h, c in zip(hs, cells, strict=True)]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_plan_warns_of_a_meeting_cell_naming_no_household_as_check_does(lang: str, tmp_path: Path) -> None:
    """Every row of one unit naming AD9999 (a typo): ``check --plan`` warns PLAN-MEET-COLUMN and walks it to its
    centre; ``edit --plan`` walked it to its centre too, but said nothing."""
    from yuanluo.planners.cli import app

    result, rules, members = _result(tmp_path)
    u = sorted(members)[2]
    plan = _plan(tmp_path / "plan.csv", members, {u: ["AD9999"] * len(members[u])})
    runner = CliRunner()
    res = runner.invoke(app, ["edit", str(result), "--rules", str(rules), "--plan", str(plan), "--lang", lang,
                              "-o", str(tmp_path / "edit.html")])
    assert res.exit_code == 0, res.output
    js = tmp_path / "check.json"
    chk = runner.invoke(app, ["check", f"{result}::households", "--plan", str(plan), "--rules", str(rules),
                              "--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--lang", lang,
                              "--json", str(js)])
    assert chk.exit_code in (0, 1), chk.output
    said = [v for v in json.loads(js.read_text(encoding="utf-8"))["violations"] if v["code"] == "PLAN-MEET-COLUMN"]
    assert [v["unit_id"] for v in said] == [u], said
    out = " ".join(res.output.split())
    assert "PLAN-MEET-COLUMN" in out and "AD9999" in out and u in out, res.output
    assert ("议事点" in out) if lang == "zh" else ("centre" in out), res.output
