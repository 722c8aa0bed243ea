"""Audit V (s27) on the editor: its export carries each unit's meeting point (议事点), so that ``check --plan`` of it
walks to the points the page walks to and gives the page's findings; the zoom buttons speak the page's language; a
plan row with a unit and a blank household id is PLAN-BLANK-ID (a warning, the row skipped) in the CLI and the page
alike; the page says which rules it cannot check, as ``check`` does."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import synth_result
from typer.testing import CliRunner

from yuanluo.gis.plan import read_plan_table

RULES = '[rules]\nname = "s28"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = ["村民小组"]\n'

#: edits: three households moved to a neighbour's unit, the meeting household of one unit moved out, one household
#: put in a new unit; then the findings and the export, and the export loaded back (nothing changes)
EDITS = r"""
(() => {
  var E = window.yuanluo.editor, moved = [], hs = E.households().slice().sort();
  for (var k = 0; k < hs.length && moved.length < 3; k += 7) {
    var h = hs[k], u = E.unitOf(h), nb = E.neighbours(h).map(E.unitOf).filter(function(x) { return x && x !== u; });
    if (u && nb.length && E.members(u).length > 3) { E.assign([h], nb[0]); moved.push(h); }
  }
  var units = E.units(), gone = null;
  for (var j = 0; j < units.length && gone === null; j++) {
    var mp = E.meetingPoint(units[j]);
    if (!mp || mp.centre) continue;
    var nb2 = E.neighbours(mp.hid).map(E.unitOf).filter(function(x) { return x && x !== units[j]; });
    if (nb2.length) { E.assign([mp.hid], nb2[0]); gone = units[j]; }
  }
  var fresh = E.newUnitId(), lone = E.units().map(E.members).filter(function(m) { return m.length > 3; })[0][0];
  E.assign([lone], fresh);
  var csv = E.exportCsv(), v = E.violations(), r = E.loadCsv(csv, false);
  var zoom = Array.prototype.map.call(document.querySelectorAll('.leaflet-control-zoom a'),
                                      function(a) { return [a.title, a.getAttribute('aria-label')]; });
  return {csv: csv, v: v, gone: gone, fresh: fresh, moved: moved, reload: r, same: E.exportCsv() === csv, zoom: zoom,
          info: document.querySelector('.yl-ed-info').textContent};
})()
"""

BLANK = r"""
(() => {
  var E = window.yuanluo.editor, csv = E.exportCsv(), lines = csv.trim().split('\r\n');
  var u = E.units()[0];
  var r = E.loadCsv(lines.concat([',' + u + ',']).join('\r\n') + '\r\n', false);
  return {r: r, same: E.exportCsv() === csv, info: document.querySelector('.yl-ed-info').textContent};
})()
"""


def test_blank_id_row_is_said_as_blank(tmp_path):
    """A row ``,U002,`` is PLAN-BLANK-ID (a warning naming its row; the row skipped), not PLAN-UNKNOWN-ID's 'not in the
    household file' with a fix of typos and leading zeros; repair goes on."""
    import pandas as pd

    hh = pd.DataFrame(index=pd.Index(["001", "002"], name="hid"))
    p = tmp_path / "plan.csv"
    p.write_text("户编号,院落编号\n001,U1\n002,U1\n,U2\n", encoding="utf-8")
    labels, probs = read_plan_table(p, hh)
    assert [(q.code, q.severity, q.rows) for q in probs] == [("PLAN-BLANK-ID", "warning", (4,))]
    assert labels.tolist() == ["U1", "U1"]
    zh, en = probs[0].title("zh"), probs[0].title("en")
    assert "户编号格是空的" in zh and "第 4 行" in zh and "不在农户文件" not in zh
    assert "blank household id" in en and "not in the household file" not in en
    assert "填上户编号" in probs[0].fix("zh") and "前导零" not in probs[0].fix("zh")


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    """The synthetic result, the same file for the zh and en cases (each only reads it): written once."""
    return synth_result(tmp_path_factory.mktemp("s28synth"))


@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_meeting_points_check_agrees(tmp_path, lang, synth):
    from yuanluo.planners.cli import app

    runner = CliRunner()
    result = synth
    hh = gpd.read_file(result, layer="households")
    hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
    meet = tmp_path / "meet.csv"  # each unit meets at its first household
    meet.write_text("院落编号,户编号\n" + "".join(f"{u},{h}\n" for u, h in
                                              hh.groupby("unit_id")["hid"].first().items()), encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    page = tmp_path / "edit.html"
    res = runner.invoke(app, ["edit", str(result), "--rules", str(rules), "--meeting-points", str(meet),
                              "-o", str(page), "--lang", lang])
    assert res.exit_code == 0, res.output
    shot = tmp_path / f"s28_{lang}.png"
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot, wait_for="window.yuanluo && window.yuanluo.editorUi",
                           evaluate={"x": EDITS, "blank": BLANK}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    x = rep.counts["x"]
    assert x["gone"] and len(x["moved"]) == 3 and x["reload"]["ok"] and x["same"], x["reload"]
    # the zoom buttons in the page's language (map.zoom_in / map.zoom_out, as the map page)
    want = [["放大"] * 2, ["缩小"] * 2] if lang == "zh" else [["Zoom in"] * 2, ["Zoom out"] * 2]
    assert x["zoom"] == want
    # nest_by = ["村民小组"] names the file's own header, the reader's group column: checked, in the page as in
    # check (it was said as a rule not checked before session 31)
    note = "以下规则未检查" if lang == "zh" else "Not checked:"
    assert note not in x["info"], x["info"]
    head = x["csv"].splitlines()[0]
    assert head == ("户编号,院落编号,锁定,议事点" if lang == "zh" else "Household ID,Unit ID,Locked,Meeting point")
    plan = tmp_path / "plan.csv"
    plan.write_bytes(("\ufeff" + x["csv"]).encode("utf-8"))
    ctx = ["--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--rules", str(rules)]
    js = tmp_path / "check.json"
    res = runner.invoke(app, ["check", f"{result}::households", "--plan", str(plan), *ctx, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    assert note not in res.output, res.output
    got = {(v["unit_id"], v["code"], v["severity"]) for v in json.loads(js.read_text(encoding="utf-8"))["violations"]}
    assert (None, "RULE-UNAPPLIED", "warning") not in got  # every rule applied (the group column is there)
    # a unit whose meeting household moved out, and a unit made in the page: PLAN-MEETING in the page, a warning
    # (since session 29); the plan's 议事点 column leaves their cells blank, which check --plan says as the same
    # PLAN-MEETING (it said PLAN-MEET-COLUMN before session 31), each walked to its centre in both
    said = {(v["unit"], v["code"], v["severity"]) for v in x["v"]}
    assert (x["gone"], "PLAN-MEETING", "warning") in said and (x["fresh"], "PLAN-MEETING", "warning") in said
    assert got == said, got ^ said
    assert any(c == "PLAN-WALK-LIMIT" for _, c, _ in got)  # the walk is judged, to the same points
    # the exported file is read back by edit --plan (its meeting points too) and by repair --plan
    page2 = tmp_path / "edit2.html"
    res = runner.invoke(app, ["edit", str(result), "--plan", str(plan), "--rules", str(rules), "-o", str(page2)])
    assert res.exit_code == 0, res.output
    fixed = tmp_path / "fixed.csv"
    res = runner.invoke(app, ["repair", f"{result}::households", "--plan", str(plan), *ctx, "-o", str(fixed)])
    assert res.exit_code in (0, 1) and fixed.exists(), res.output
    # a blank household id: said as check says it (row, PLAN-BLANK-ID's sentence), the plan unchanged
    b = rep.counts["blank"]
    assert b["r"]["ok"] and b["same"], b
    lines = x["csv"].strip().splitlines()
    (sentence,) = b["r"]["notes"]
    row = len(lines) + 1
    assert (f"第 {row} 行" in sentence and "户编号格是空的" in sentence) if lang == "zh" else \
        (f"row {row}" in sentence and "blank household id" in sentence), sentence
