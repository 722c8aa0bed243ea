"""The editor's verdict on a unit whose meeting household moved into another unit is its export's verdict: the page
said PLAN-MEETING as an error ("not one of its households"), while ``check --plan`` of the page's export (its 议事点
column naming the point on the unit's rows) passes that point over with the warning PLAN-MEET-COLUMN and walks the
unit to its centre. Now the page says PLAN-MEETING as a warning (and, since session 31, so does ``check --plan`` of
the export, whose cells for the unit are blank: no meeting point given),
in a sentence saying the point moved out, the walk measured to the centre and how to give it one (设为议事点, or
撤销 the move); the same after 载入方案 of that export (the unit keeps the point its cells name, outside it), and for
a page given a point outside its unit from the start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import synth_result
from shared_fixtures import MOVABLE_MEETING_JS
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

RULES = '[rules]\nname = "s29"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = []\n'

#: the meeting household of a unit moved into a neighbouring unit; the page's findings and export; undone, the
#: export loaded back by 载入方案 (the unit's cells blank: no meeting point); the panel shown at the finding
MOVE = r"""
(() => {
  var Y = window.yuanluo, E = Y.editor, UI = Y.editorUi;
  function mine(u) {
    return E.violations().filter(function(v) { return v.unit === u && v.code === 'PLAN-MEETING'; });
  }
""" + MOVABLE_MEETING_JS + r"""  var out = {unit: u, mh: mh, other: other, before: mine(u)};
  E.assign([mh], other);
  out.moved = mine(u); out.point = E.meetingPoint(u);
  out.csv = E.exportCsv(); out.v = E.violations();
  E.undo(); out.undone = mine(u);
  out.loaded = E.loadCsv(out.csv, false);
  out.afterLoad = mine(u); out.v2 = E.violations(); out.csv2 = E.exportCsv();
  UI.refresh();
  var li = Array.prototype.filter.call(document.querySelectorAll('.yl-ed-list li'), function(x) {
    return out.afterLoad.length && x.textContent.indexOf(out.afterLoad[0].text) >= 0 && x.textContent.indexOf(u) === 0;
  })[0];
  out.li = li ? {cls: li.className, text: li.textContent} : null;
  if (li) {
    li.scrollIntoView({block: 'center'});
    var r = li.getBoundingClientRect();
    out.rect = {left: r.left, right: r.right, width: window.innerWidth};
  }
  return out;
})()
"""

#: a page given, for one unit, a household of another unit as its meeting point
GIVEN = r"""
(() => {
  var E = window.yuanluo.editor;
  return {v: E.violations(), csv: E.exportCsv()};
})()
"""


def _page(tmp_path: Path, lang: str, outside: bool = False) -> tuple[Path, Path, Path, dict[str, str]]:
    runner = CliRunner()
    from yuanluo.planners.cli import app

    result = synth_result(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    hh = gpd.read_file(result, layer="households")
    hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
    first = {str(u): str(h) for u, h in hh.groupby("unit_id")["hid"].first().items()}  # each meets at its first
    if outside:  # the first unit given the second unit's point
        a, b = sorted(first)[:2]
        first[a] = first[b]
    mfile = tmp_path / "meet.csv"
    mfile.write_text("院落编号,户编号\n" + "".join(f"{u},{h}\n" for u, h in first.items()), encoding="utf-8")
    page = tmp_path / "edit.html"
    res = runner.invoke(app, ["edit", str(result), "--rules", str(rules), "--lang", lang,
                              "--meeting-points", str(mfile), "-o", str(page)])
    assert res.exit_code == 0, res.output
    return page, result, rules, first


def _check(tmp_path: Path, result: Path, rules: Path, csv: str, name: str) -> set[tuple[Any, ...]]:
    """(unit, code, severity) of ``check --plan`` of the page's export ``csv``."""
    from yuanluo.planners.cli import app

    plan = tmp_path / name
    plan.write_bytes(("\ufeff" + csv).encode("utf-8"))
    js = tmp_path / (name + ".json")
    ctx = ["--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--rules", str(rules)]
    res = CliRunner().invoke(app, ["check", f"{result}::households", "--plan", str(plan), *ctx, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    return {(v["unit_id"], v["code"], v["severity"]) for v in json.loads(js.read_text(encoding="utf-8"))["violations"]}


def _as_check(v: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    """The page's findings as ``check --plan`` names them: the same codes (PLAN-MEETING too, since session 31: the
    export's blank cells are no meeting point given; it was PLAN-MEET-COLUMN there) and severities."""
    return {(x["unit"], x["code"], x["severity"]) for x in v}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meeting_household_moved_out_is_the_export_s_warning(tmp_path: Path, lang: str) -> None:
    page, result, rules, _ = _page(tmp_path, lang)
    shot = Path("test-artifacts") / f"s29-editor-moved-{lang}.png"
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot,
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"x": MOVE}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    x = rep.counts["x"]
    u, mh, other = x["unit"], x["mh"], x["other"]
    assert u is not None and x["before"] == [] and x["point"]["centre"] is True, x
    # the page: one PLAN-MEETING, a warning, saying where the point went, the centre, and how to give it one
    assert [v["severity"] for v in x["moved"]] == ["warning"], x["moved"]
    said = x["moved"][0]["text"]
    btn = text("editor.btn.set_meeting", lang)
    undo = text("editor.btn.undo", lang)
    if lang == "zh":
        assert f"院落 {u} 的议事点 “{mh}” 已移出本院落（现属院落 {other}）" in said, said
        assert "步行按院落中心计" in said and f"“{btn}”" in said and f"“{undo}”" in said, said
    else:
        assert f"Unit {u} has lost its meeting point {mh}, moved out of it (now in unit {other})" in said, said
        assert "measured to its centre" in said and btn in said and undo in said, said
    # check --plan of the export: the same units, codes (PLAN-MEETING in both, session 31) and severities
    got = _check(tmp_path, result, rules, x["csv"], "plan.csv")
    assert (u, "PLAN-MEETING", "warning") in got, got
    assert got == _as_check(x["v"]), got ^ _as_check(x["v"])
    # undone: its own point again; the export leaves the unit's cells blank (walked to its centre, audit s30 S §4),
    # so loaded back the unit has no meeting point: a warning saying so, as edit --plan of the export says it
    assert x["undone"] == [] and x["loaded"]["ok"], x
    assert [v["severity"] for v in x["afterLoad"]] == ["warning"], x
    assert text("editor.meeting.none", lang) in x["afterLoad"][0]["text"], x["afterLoad"]
    assert _check(tmp_path, result, rules, x["csv2"], "plan2.csv") == _as_check(x["v2"])
    # the findings panel lists it among the warnings, on a phone's width
    assert x["li"] is not None and x["li"]["cls"] == "yl-ed-warn", x["li"]
    assert 0 <= x["rect"]["left"] and x["rect"]["right"] <= x["rect"]["width"], x["rect"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meeting_point_given_outside_is_the_export_s_warning(tmp_path: Path, lang: str) -> None:
    page, result, rules, first = _page(tmp_path, lang, outside=True)
    rep = open_in_chromium(page, viewport=(390, 844), wait_for="window.yuanluo && window.yuanluo.editorUi",
                           evaluate={"x": GIVEN}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    x = rep.counts["x"]
    a, b = sorted(first)[:2]
    meet = [v for v in x["v"] if v["code"] == "PLAN-MEETING"]
    assert [(v["unit"], v["severity"]) for v in meet] == [(a, "warning")], meet
    said = meet[0]["text"]
    if lang == "zh":
        assert f"的议事点 “{first[a]}” 不是本院落的农户（现属院落 {b}）" in said and "撤销" not in said, said
    else:
        assert f"has the meeting point {first[a]}, which is not one of its households (now in unit {b})" in said
        assert "Undo" not in said, said
    got = _check(tmp_path, result, rules, x["csv"], "plan.csv")
    assert got == _as_check(x["v"]), got ^ _as_check(x["v"])
