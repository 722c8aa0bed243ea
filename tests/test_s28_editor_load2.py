"""The editor's reading of a plan's 议事点 (meeting point) column agrees with ``check --plan``'s
(:func:`yuanluo.gis.plan.plan_meeting_points`, audit s28 A §1–3): ``edit --plan`` says PLAN-MEET-COLUMN for a unit
whose cells name none of its households, as check does (a unit whose cells are all blank, since session 31, is
PLAN-MEETING in both, said by the page itself); the page's 载入方案 gives a unit whose cells name two of its
households (it refused the table with PLAN-MEET-DUP's sentence) or none of them no meeting point (walked to its
centre) with PLAN-MEET-COLUMN's sentence, as ``--plan`` does; the page's note of the rules
it cannot check names no option ``yuanluo edit`` lacks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import synth_case, synth_result
from typer.testing import CliRunner

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.plan import plan_meeting_points, read_plan_table
from yuanluo.maps.editor import editor_payload, render_editor

RULES = '[rules]\nname = "s28l"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = []\n'


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


# ------------------------------------------------------------------------------------ the page's 载入方案
needs_browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: the file loaded through the page's file input as a user picks it: the note, whether the plan on the map (its
#: export) changed, and every unit's meeting point ({hid, centre})
LOAD_FILE = r"""
(function(file) {
  var E = window.yuanluo.editor, input = document.querySelector('.yl-ed-file');
  var raw = atob(file.b64), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  var before = E.exportCsv(), dt = new DataTransfer();
  function points() { var m = {}; E.units().forEach(function(u) { m[u] = E.meetingPoint(u); }); return m; }
  var points0 = points();
  dt.items.add(new File([bytes], file.name));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  return new Promise(function(res) { setTimeout(function() {
    res({note: document.querySelector('.yl-ed-info').textContent, same: E.exportCsv() === before,
         before: points0, after: points(), csv: E.exportCsv()});
  }, 700); });
})
"""


def _page(tmp: Path, lang: Lang) -> Path:
    case = synth_case()
    page = tmp / f"edit-{lang}.html"
    payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                             meeting_points=case.meet, lang=lang)
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _load(page: Path, plan: Path) -> dict[str, Any]:
    spec = {"name": plan.name, "b64": base64.b64encode(plan.read_bytes()).decode()}
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_FILE})({json.dumps(spec)})"})
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    return dict(rep.counts["r"])


def _meet() -> Any:
    """The synthetic case's meeting points (unit -> household; its first two units given none)."""
    meet = synth_case().meet
    assert meet is not None
    return meet


def _synth_plan(path: Path, cells: dict[str, list[str]]) -> tuple[Path, dict[str, list[str]]]:
    """The synthetic case's plan with its 议事点 column: each unit's given meeting point (blank for the units given
    none), or the cells ``cells`` gives its rows."""
    case = synth_case()
    lab = case.labels.dropna().astype(str)
    members = {u: [str(h) for h in lab.index[lab == u]] for u in dict.fromkeys(lab)}
    meet = {str(u): str(h) for u, h in _meet().items()}
    rows = ["户编号,院落编号,议事点"]
    for u, hs in members.items():
        col = cells.get(u, [meet.get(u, "")] * len(hs))
        rows += [f"{h},{u},{c}" for h, c in zip(hs, col, strict=True)]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    return path, members


def _sentence(s: str) -> str:
    return s[:1].upper() + s[1:]


@needs_browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_load_of_a_meeting_column_naming_two_households_of_a_unit_walks_it_to_its_centre(
        lang: Lang, tmp_path: Path) -> None:
    """A unit's 议事点 cells name its meeting household in the first rows and another of its households below
    (the planner partway through choosing a new one): ``--plan`` gives the unit no meeting point, walked to its
    centre, with the warning PLAN-MEET-COLUMN naming both; the page does the same, in that sentence (it refused the
    table with PLAN-MEET-DUP's sentence, as --plan stopped)."""
    from yuanluo.planners.cli.edit import meeting_column_warnings

    case = synth_case()
    u = str(_meet().index[3])
    hs = [str(h) for h in case.labels.index[case.labels.astype(str) == u]]
    x, y = str(_meet().iloc[3]), [h for h in hs if h != str(_meet().iloc[3])][-1]
    half = len(hs) // 2
    plan, _ = _synth_plan(tmp_path / "meet_mixed.csv", {u: [x] * half + [y] * (len(hs) - half)})
    labels, _ = read_plan_table(plan, case.households)
    mp = plan_meeting_points(plan, case.households)
    assert mp is not None and u not in mp.index
    said = {p.params["unit"]: p for p in meeting_column_warnings(mp, labels)}
    assert len(said[u].rows) == 2 and x in said[u].title(lang) and y in said[u].title(lang), said[u]
    r = _load(_page(tmp_path, lang), plan)
    assert r["before"][u] == {"hid": x, "centre": False}, r["before"][u]
    assert r["after"][u]["centre"] is True, r["after"][u]
    assert _sentence(said[u].title(lang)) in r["note"], (r["note"], said[u].title(lang))
    assert "方案未载入" not in r["note"] and "Plan not loaded" not in r["note"], r["note"]
    others = {v: m for v, m in r["after"].items() if v != u}
    assert others == {v: m for v, m in r["before"].items() if v != u}, others
    rows = [line.split(",") for line in r["csv"].strip().splitlines()[1:]]
    assert {row[2] for row in rows if row[1] == u} == {""}, r["csv"][:300]


@needs_browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_load_of_a_mistyped_meeting_point_walks_the_unit_to_its_centre(lang: Lang, tmp_path: Path) -> None:
    """Every row of one unit naming AD9999: ``check --plan`` warns PLAN-MEET-COLUMN and walks it to its centre;
    the page kept the unit's old meeting point in silence (and wrote it over the user's cells on export). Now the
    unit has none (its centre, as the check) and the load says the check's sentence."""
    from yuanluo.planners.cli.edit import meeting_column_warnings

    case = synth_case()
    u = str(_meet().index[3])
    n_rows = int((case.labels.astype(str) == u).sum())
    plan, _ = _synth_plan(tmp_path / "meet_unknown.csv", {u: ["AD9999"] * n_rows})
    labels, _ = read_plan_table(plan, case.households)
    mp = plan_meeting_points(plan, case.households)
    assert mp is not None and u not in mp.index
    said = {p.params["unit"]: p for p in meeting_column_warnings(mp, labels)}
    assert u in said
    r = _load(_page(tmp_path, lang), plan)
    assert r["before"][u] == {"hid": str(_meet().iloc[3]), "centre": False}, r["before"][u]
    assert r["after"][u]["centre"] is True, r["after"][u]
    assert _sentence(said[u].title(lang)) in r["note"], (r["note"], said[u].title(lang))
    # the units that had none (blank cells) keep none, said by the page's own finding (PLAN-MEETING), not the load;
    # edit --plan does not say them either (session 31: no point given is PLAN-MEETING in check --plan too)
    assert set(said) == {u}, said
    blank = {p.params["unit"] for p in meeting_column_warnings(mp, labels.where(labels != u))}
    assert blank == set(), blank
    others = {v: m for v, m in r["after"].items() if v != u}
    assert others == {v: m for v, m in r["before"].items() if v != u}, others
    # the export leaves the unit's cells blank (no point), as check --plan then reads it: none
    rows = [line.split(",") for line in r["csv"].strip().splitlines()[1:]]
    assert {row[2] for row in rows if row[1] == u} == {""}, r["csv"][:300]


# ------------------------------------------------------------------------------------ the rules not checked
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_note_of_unchecked_heads_names_no_option_edit_lacks(lang: Lang, tmp_path: Path) -> None:
    """Households without a candidate-head column under a rule asking for heads: the page said 'name one with
    --head-col', an option ``yuanluo edit`` does not have (CLI-USAGE). Now it names the command that has it (check
    of the exported plan); check's own console keeps its hint, as check has --head-col."""
    from yuanluo.gis.catalogue import text
    from yuanluo.planners.cli import app
    from yuanluo.planners.report import unapplied_rules

    case = synth_case()
    hh = case.households.drop(columns=["head_candidate"])
    payload = editor_payload({**case.layers, "households": hh}, case.labels, case.rules, case.graph,
                             graph_kind=case.kind, meeting_points=case.meet, lang=lang)
    note = payload["unchecked"]
    assert text("cli.unapplied.head", lang) not in note, note
    assert text("editor.unapplied.head", lang) in note and "yuanluo check" in note, note
    assert "--head-col" in text("cli.unapplied.head", lang)
    assert text("cli.unapplied.head", lang) in unapplied_rules(case.rules, hh.columns, lang)  # check's console
    # the option the note names is one of the command it names, not of edit
    res = CliRunner().invoke(app, ["edit", "--help"])
    assert "--head-col" not in res.output
    res = CliRunner().invoke(app, ["check", "--help"])
    assert "--head-col" in res.output
