"""A unit made in the editor (新建院落) has no meeting point: the page said the check's sentence for a meeting
points file that does not list the unit ("议事点文件中没有这个院落"), though no file was given to the page; it now
says the walk is measured to the unit's centre and how to give it one in the page (设为议事点)."""

from __future__ import annotations

import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import first_household_meeting_points, synth_result
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

RULES = '[rules]\nname = "s28n"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\n'

NEW_UNIT = r"""
(() => {
  var E = window.yuanluo.editor, u = E.units()[0], h = E.members(u)[0], made = E.newUnitId();
  E.assign([h], made);
  return E.violations().filter(function(v) { return v.unit === made && v.code === 'PLAN-MEETING'; });
})()
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_made_in_the_page_is_told_how_to_get_a_meeting_point(tmp_path, lang):
    from yuanluo.planners.cli import app

    result = synth_result(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    meet = first_household_meeting_points(result, tmp_path / "meet.csv")
    page = tmp_path / "edit.html"
    res = CliRunner().invoke(app, ["edit", str(result), "--rules", str(rules), "--lang", lang,
                                   "--meeting-points", str(meet), "-o", str(page)])
    assert res.exit_code == 0, res.output
    rep = open_in_chromium(page, viewport=(390, 844), wait_for="window.yuanluo && window.yuanluo.editorUi",
                           evaluate={"v": NEW_UNIT}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    (v,) = rep.counts["v"]
    assert v["severity"] == "warning"
    assert text("editor.btn.set_meeting", lang) in v["text"], v
    assert ("文件" not in v["text"]) if lang == "zh" else ("file" not in v["text"]), v
