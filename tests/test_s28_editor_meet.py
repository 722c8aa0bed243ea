"""The editor's 设为议事点 / "Set as meeting point": with one household selected, it becomes its unit's meeting point
through the undo history (and the change log and the autosave), the unit is checked again (PLAN-MEETING gone, the
walk measured to it), the ▲ is drawn there and the export's 议事点 column names it, so that ``check --plan`` of the
export gives the page's findings. A page made without meeting points but with a walking limit starts giving them
(the other units' cells blank: none given, walked to their centres, PLAN-MEETING in the check as in the page since
session 31; it was PLAN-MEET-COLUMN there)."""

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

RULES = '[rules]\nname = "s28m"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = []\n'

#: the meeting household of a unit moved out (PLAN-MEETING), another household of the unit set as its point by the
#: card's button; undo, redo; a locked unit refuses it; the export loaded back as the page's autosave
SET = r"""
(() => {
  var Y = window.yuanluo, E = Y.editor, UI = Y.editorUi, LABEL = %(label)s;
  function info() { return document.querySelector('.yl-ed-info').textContent; }
  function setBtn() {
    UI.refresh();
    return Array.prototype.filter.call(document.querySelectorAll('.yl-ed-card button'),
                                       function(b) { return b.textContent === LABEL; })[0] || null;
  }
  function codes(u) {
    return E.violations().filter(function(v) { return v.unit === u; }).map(function(v) { return v.code + ':' + v.severity; }).sort();
  }
""" + MOVABLE_MEETING_JS + r"""  var out = {unit: u, before: u === null ? null : codes(u), given: mh || ''};
  if (u === null) {  // a page made without meeting points: its first unit, walked to its centre
    u = out.unit = E.units()[0]; out.before = codes(u);
    out.centre0 = E.meetingPoint(u);
  } else {
    E.select([mh]);
    out.ownDisabled = setBtn().disabled;  // already its meeting point
    E.assign([mh], other);
    out.moved = codes(u);
  }
  var second = E.members(u).filter(function(h) { return h !== mh; })[1];
  E.select([second]);
  out.noneSelected = (function() { E.select([]); return setBtn(); })();
  E.select([second]);
  var b = setBtn();
  out.hasButton = !!b;
  b.click();
  out.second = second; out.info = info(); out.after = codes(u); out.point = E.meetingPoint(u);
  out.marks = (UI.refresh(), UI.marks());
  E.undo(); out.undone = codes(u); out.pointUndone = E.meetingPoint(u);
  E.redo(); out.redone = codes(u); out.pointRedone = E.meetingPoint(u);
  out.log = E.changeLog().filter(function(e) { return e.meeting; });
  out.logCsv = Y.editorPage.logCsv();
  // a locked unit refuses it, as it refuses a move
  E.lock(u);
  var third = E.members(u).filter(function(h) { return h !== second; })[0];
  E.select([third]); setBtn().click();
  out.lockedInfo = info(); out.pointLocked = E.meetingPoint(u);
  E.unlock(u);
  out.csv = E.exportCsv(); out.v = E.violations();
  // the export as the page's autosave, after the meeting point was undone: it comes back
  E.undo(); E.undo(); E.undo();
  out.pointBack = E.meetingPoint(u);
  out.restored = E.loadCsv(out.csv, true);
  out.pointRestored = E.meetingPoint(u); out.sameAfterRestore = E.exportCsv() === out.csv;
  E.undo(); out.pointRestoreUndone = E.meetingPoint(u);
  E.redo();
  return out;
})()
"""

#: for the screenshot: one household selected, the card (with the button) brought into view
SHOT = r"""
(() => {
  var E = window.yuanluo.editor, u = E.units()[1];
  E.select([E.members(u)[2]]); window.yuanluo.editorUi.refresh();
  document.querySelector('.yl-ed-acts').scrollIntoView({block: 'center'});
  var acts = document.querySelector('.yl-ed-acts').getBoundingClientRect();
  return {right: Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll('.yl-ed-acts > *'),
                                                               function(b) { return b.getBoundingClientRect().right; })),
          width: window.innerWidth, acts: acts.width};
})()
"""


def _run(tmp_path: Path, lang: str, meet: bool) -> tuple[dict[str, Any], Path, list[tuple[Any, ...]], dict[str, Any]]:
    runner = CliRunner()
    from yuanluo.planners.cli import app

    result = synth_result(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    args = ["edit", str(result), "--rules", str(rules), "--lang", lang]
    if meet:
        hh = gpd.read_file(result, layer="households")
        hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
        mfile = tmp_path / "meet.csv"  # each unit meets at its first household
        mfile.write_text("院落编号,户编号\n" + "".join(f"{u},{h}\n" for u, h in
                                                  hh.groupby("unit_id")["hid"].first().items()), encoding="utf-8")
        args += ["--meeting-points", str(mfile)]
    page = tmp_path / "edit.html"
    res = runner.invoke(app, [*args, "-o", str(page)])
    assert res.exit_code == 0, res.output
    label = json.dumps(text("editor.btn.set_meeting", "zh" if lang == "zh" else "en"))
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=tmp_path / f"meet-{lang}-{meet}.png",
                           wait_for="window.yuanluo && window.yuanluo.editorUi",
                           evaluate={"x": SET % {"label": label}, "shot": SHOT}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    x = rep.counts["x"]
    plan = tmp_path / "plan.csv"
    plan.write_bytes(("\ufeff" + x["csv"]).encode("utf-8"))
    js = tmp_path / "check.json"
    ctx = ["--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--rules", str(rules)]
    res = runner.invoke(app, ["check", f"{result}::households", "--plan", str(plan), *ctx, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    got = [(v["unit_id"], v["code"], v["severity"]) for v in json.loads(js.read_text(encoding="utf-8"))["violations"]]
    return x, plan, got, rep.counts["shot"]


def _common(x: dict[str, Any], got: list[tuple[Any, ...]], lang: str) -> None:
    u, second = x["unit"], x["second"]
    assert x["hasButton"] and x["noneSelected"] is None, x
    assert x["point"] == {"hid": second, "centre": False}, x
    assert second in x["info"] and u in x["info"], x["info"]
    assert x["pointRedone"] == x["point"] and x["redone"] == x["after"], x
    # the change log: the point set, and undone (the row giving the point before), and set again
    assert [(e["household"], e["from"], e["to"], e["undo"]) for e in x["log"]][:3] == \
        [(second, u, u, False), (x["given"], u, u, True),
         (second, u, u, False)], x["log"]
    head = x["logCsv"].splitlines()[0]
    assert head.endswith(",议事点" if lang == "zh" else ",Meeting point"), head
    # a locked unit: refused as a move is, the point kept
    assert x["lockedInfo"] == text("editor.msg.locked", "zh" if lang == "zh" else "en", unit=u) and x["pointLocked"] == x["point"], x
    # the export names it on its unit's rows; check --plan of it gives the page's findings
    lines = [r.split(",") for r in x["csv"].strip().split("\r\n")]
    assert lines[0][-1] == ("议事点" if lang == "zh" else "Meeting point")
    assert {r[3] for r in lines[1:] if r[1] == u} == {second}
    said = {(v["unit"], v["code"], v["severity"]) for v in x["v"]}
    assert set(got) == said, (set(got) ^ said)  # PLAN-MEETING in both (it was PLAN-MEET-COLUMN in the check)
    assert not any(w == u and c in ("PLAN-MEETING", "PLAN-MEET-COLUMN") for w, c, _ in got), got
    # the autosave restores it (through the undo history)
    assert x["pointBack"] != x["point"] and x["restored"]["ok"], x
    assert x["pointRestored"] == x["point"] and x["sameAfterRestore"], x
    assert x["pointRestoreUndone"] == x["pointBack"], x


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meeting_household_moved_out_then_another_set(tmp_path: Path, lang: str) -> None:
    x, _, got, shot = _run(tmp_path, lang, meet=True)
    assert x["ownDisabled"] is True, x
    assert "PLAN-MEETING:warning" in x["moved"] and "PLAN-MEETING:warning" not in x["before"], x
    assert not any(c.startswith("PLAN-MEETING") for c in x["after"]), x
    assert "PLAN-MEETING:warning" in x["undone"] and not any(c.startswith("PLAN-MEETING") for c in x["redone"]), x
    assert x["pointUndone"]["centre"] is True, x  # walked to its centre again
    assert x["marks"]["given"] >= 1
    _common(x, got, lang)
    assert any(c == "PLAN-WALK-LIMIT" for _, c, _ in got), got  # the walk is judged, to the same points
    assert shot["right"] <= shot["width"], shot  # the card's buttons fit on a phone


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_without_meeting_points_starts_giving_them(tmp_path: Path, lang: str) -> None:
    x, _, got, shot = _run(tmp_path, lang, meet=False)
    u = x["unit"]
    assert x["centre0"]["centre"] is True and not any(c.startswith("PLAN-MEETING") for c in x["before"]), x
    assert not any(c.startswith("PLAN-MEETING") for c in x["after"]), x
    # undone: the page has no meeting points again, the unit walked to its centre without a warning
    assert x["pointUndone"] == x["centre0"] and x["undone"] == x["before"], x
    _common(x, got, lang)
    # the other units: blank cells (none given: their centres), a warning in both
    lines = [r.split(",") for r in x["csv"].strip().split("\r\n")]
    assert all(r[3] == "" for r in lines[1:] if r[1] and r[1] != u)
    others = {w for w, c, s in got if c == "PLAN-MEETING" and s == "warning"}
    assert not any(c == "PLAN-MEET-COLUMN" for _, c, _ in got), got
    assert others == {r[1] for r in lines[1:] if r[1] and r[1] != u}
    assert shot["right"] <= shot["width"], shot
