"""The editor's 载入方案 reads what ``--plan`` reads (audit s26), in headless Chromium: a plan whose column names a
Shapefile's 10-byte field names cut (``household_id`` as ``household_``, QGIS's attribute table of a shapefile saved
as CSV) loads as the command line reads it, and a household repeated with the same unit is said in the check's
PLAN-DUP-ROW sentence, its rows as the file numbers them."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import synth_case

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.plan import read_plan_table
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: each file loaded through the page's file input as a user picks it (a change event): the note the page says, the
#: units, and whether the plan on screen changed
LOAD_FILE = r"""
(function(file) {
  var E = window.yuanluo.editor, input = document.querySelector('.yl-ed-file');
  var raw = atob(file.b64), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  var before = E.exportCsv(), dt = new DataTransfer();
  dt.items.add(new File([bytes], file.name));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  return new Promise(function(res) { setTimeout(function() {
    var units = {};
    E.households().forEach(function(h) { units[h] = E.unitOf(h); });
    res({note: document.querySelector('.yl-ed-info').textContent, units: units, same: E.exportCsv() === before});
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


def _load(page: Path, plan: Path, **kw: Any) -> dict[str, Any]:
    spec = {"name": plan.name, "b64": base64.b64encode(plan.read_bytes()).decode()}
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_FILE})({json.dumps(spec)})"}, **kw)
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    return dict(rep.counts["r"])


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8-sig")
    return path


def _sentence(s: str) -> str:
    return s[:1].upper() + s[1:]


def _moved_plan() -> tuple[pd.Series, list[str]]:
    """The synthetic village's plan with the first three households of its first unit moved to the second."""
    lab = synth_case().labels.dropna().astype(str)
    units = sorted(set(lab))
    moved = sorted(lab.index[lab == units[0]].astype(str))[:3]
    want = lab.copy()
    want[moved] = units[1]
    return want, moved


def test_a_plan_with_shapefile_cut_column_names_loads_as_the_command_line_reads_it(tmp_path: Path) -> None:
    """A plan exported from QGIS's attribute table of a shapefile is headed ``household_`` (``household_id`` cut to
    the .dbf's 10 bytes): ``--plan`` reads it (gis.columns.dbf_forms), the page found no id column and loaded
    nothing (读不出方案). Now the page gets the cut names from Python and moves the same households."""
    want, moved = _moved_plan()
    plan = _write(tmp_path / "from_shapefile.csv",
                  [["household_", "unit_id", "persons"]] + [[h, u, "3"] for h, u in want.items()])
    labels, _ = read_plan_table(plan, synth_case().households)
    assert labels.dropna().astype(str).to_dict() == want.to_dict()
    r = _load(_page(tmp_path, "zh"), plan)
    assert not r["same"], r["note"]
    assert {h: u for h, u in r["units"].items() if u is not None} == want.to_dict()
    assert "已载入方案：3 户变动" in r["note"], r["note"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_repeated_row_is_said_as_the_command_line_says_it(lang: Lang, tmp_path: Path) -> None:
    """Two households' rows pasted again at the bottom with the same unit: ``--plan`` warns PLAN-DUP-ROW (naming
    the repeated rows and households); the page loaded the plan and said nothing. Now it says the check's sentence
    after its counts, and the plan loads as before."""
    want, _ = _moved_plan()
    again = list(want.index[[5, 40]])
    rows = [["户编号", "院落编号"]] + [[h, u] for h, u in want.items()] + [[h, want[h]] for h in again]
    plan = _write(tmp_path / "repeated.csv", rows)
    labels, probs = read_plan_table(plan, synth_case().households)
    dup = [q for q in probs if q.code == "PLAN-DUP-ROW"]
    assert len(dup) == 1 and list(dup[0].ids) == again and list(dup[0].rows) == [len(want) + 2, len(want) + 3]
    assert labels.dropna().astype(str).to_dict() == want.to_dict()
    shot = Path(os.environ.get("YUANLUO_SHOTS", tmp_path)) / f"editor-dup-row-{lang}.png"
    r = _load(_page(tmp_path, lang), plan, viewport=(390, 844), screenshot=shot)
    assert {h: u for h, u in r["units"].items() if u is not None} == want.to_dict()
    assert _sentence(dup[0].title(lang)) in r["note"], (r["note"], dup[0].title(lang))
    assert shot.stat().st_size > 10_000
