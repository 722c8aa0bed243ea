"""The editor's 载入方案 and a household file whose ids lost their leading zeros (session 35, fixer FC).

A page made from a roster kept in Excel with its id column as numbers (households 1, 2 … where the plan has 000001,
000002 …) read every id of a plan that kept its zeros as no household of the map ("N 个户编号不在本图中") and
applied nothing, where ``--plan`` reads them one to one (gis/plan.py ``_roster_zeros``, PLAN-HH-ZEROS, a warning)
and, where the match is not one to one, reads none of them (PLAN-HH-ZEROS-CLASH). The page now reads the plan as
``--plan`` does and says the same sentences; the 议事点 column's cells are read with the same match, in both
directions (PLAN-ID-ZEROS too), as :func:`yuanluo.gis.plan.plan_meeting_points` reads them. In headless Chromium.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import EditorCase, synth_case

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.plan import plan_meeting_points, read_plan_table
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: each file loaded through the page's file input as a user picks it (a change event), each over the page as it
#: opened: the note the page says, the units, the meeting points of the units asked for and whether anything changed
LOAD_FILES = r"""
(function(files, units) {
  var E = window.yuanluo.editor, input = document.querySelector('.yl-ed-file'), out = [];
  function unitsNow() { var o = {}; E.households().forEach(function(h) { o[h] = E.unitOf(h); }); return o; }
  function one(k, res) {
    if (k === files.length) { res(out); return; }
    var raw = atob(files[k].b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var before = E.exportCsv(), dt = new DataTransfer();
    dt.items.add(new File([bytes], files[k].name));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    setTimeout(function() {
      var meets = {};
      units.forEach(function(u) { var m = E.meetingPoint(u); meets[u] = m && !m.centre ? m.hid : null; });
      out.push({note: document.querySelector('.yl-ed-info').textContent, units: unitsNow(), meets: meets,
                same: E.exportCsv() === before});
      if (k + 1 < files.length) while (E.undo()) {}  // the last one stays on screen
      one(k + 1, res);
    }, 700);
  }
  return new Promise(function(res) { one(0, res); });
})
"""


def _renamed(case: EditorCase, new: dict[str, str], name: str) -> EditorCase:
    hh = case.households.rename(index=new)
    hh.index.name = case.households.index.name
    graph = dataclasses.replace(case.graph, ids=np.array([new[str(i)] for i in case.graph.ids], dtype=object))
    meet = case.meet.map(new) if case.meet is not None else None
    return dataclasses.replace(case, name=name, households=hh, labels=case.labels.rename(index=new), graph=graph,
                               meet=meet, layers={**case.layers, "households": hh})


@functools.lru_cache(maxsize=1)
def roster_case() -> EditorCase:
    """The synthetic village with ids that lost their leading zeros (H000001 -> 1), as Excel holds them."""
    case = synth_case()
    return _renamed(case, {h: str(int(h.lstrip("H"))) for h in case.households.index.astype(str)}, "roster")


@functools.lru_cache(maxsize=1)
def digits_case() -> EditorCase:
    """The synthetic village with ids of six digits (H000001 -> 000001), as real codes are."""
    case = synth_case()
    return _renamed(case, {h: h.lstrip("H") for h in case.households.index.astype(str)}, "digits")


def _page(tmp: Path, case: EditorCase, lang: Lang) -> Path:
    page = tmp / f"edit-{case.name}-{lang}.html"
    payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                             meeting_points=case.meet, lang=lang)
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _load(page: Path, files: list[Path], units: Sequence[str] = (), **kw: Any) -> list[dict[str, Any]]:
    spec = [{"name": f.name, "b64": base64.b64encode(f.read_bytes()).decode()} for f in files]
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_FILES})({json.dumps(spec)}, {json.dumps(list(units))})"}, **kw)
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    return list(rep.counts["r"])


def _sentence(s: str) -> str:
    return s[:1].upper() + s[1:]


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding=encoding)
    return path


def _six(h: str) -> str:
    return f"{int(h):06d}"


def _moved_plan(case: EditorCase) -> pd.Series:
    """The case's plan with the first three households of its first unit moved to its second unit and the first
    of its third unit taken out of every unit."""
    lab = case.labels
    units = sorted(set(lab.dropna()))
    members = {u: sorted(lab.index[lab == u].astype(str), key=int) for u in units[:3]}
    want = lab.copy()
    want[members[units[0]][:3]] = units[1]
    want[members[units[2]][0]] = pd.NA
    return want


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_that_kept_its_zeros_loads_into_a_page_whose_roster_lost_them(lang: Lang, tmp_path: Path) -> None:
    """Every household of the page (1 … 300) is named 000001 … in the plan: the page read all of them as ids not on
    the map and moved nobody. Now it reads them as ``--plan`` does (the same units) and says PLAN-HH-ZEROS's
    sentence, 0 ids not on the map."""
    case = roster_case()
    want = _moved_plan(case)
    rows = [["户编号", "院落编号"]] + [[_six(h), "" if pd.isna(v) else str(v)] for h, v in want.items()]
    plan = _write(tmp_path / "plan.csv", rows)
    labels, probs = read_plan_table(plan, case.households)
    said = {q.code: q for q in probs}
    assert "PLAN-HH-ZEROS" in said and "PLAN-UNKNOWN-ID" not in said, sorted(said)
    assert labels.astype(object).fillna("-").to_dict() == want.astype(object).fillna("-").to_dict()
    r = _load(_page(tmp_path, case, lang), [plan])[0]
    assert r["units"] == {h: (None if pd.isna(v) else str(v)) for h, v in want.items()}, r["note"]
    assert _sentence(said["PLAN-HH-ZEROS"].title(lang)) in r["note"], (r["note"], said["PLAN-HH-ZEROS"].title(lang))
    assert ("0 个户编号不在本图中" if lang == "zh" else "0 household ids are not on this map") in r["note"], r["note"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("extra", ["0025", "25"])
def test_a_match_not_one_to_one_reads_none_of_them(lang: Lang, extra: str, tmp_path: Path) -> None:
    """One more row for household 25, as 0025 (two plan ids for one household) or as 25 (the plan names it as it is
    too): ``--plan`` reads none of the ids whose zeros it would take off and says PLAN-HH-ZEROS-CLASH (an error,
    with its fix naming the household file); they are not said again as ids not on the map. The page does the
    same: the plan on screen is unchanged, the sentence and its fix said."""
    case = roster_case()
    want = _moved_plan(case)
    rows = ([["户编号", "院落编号"]] + [[_six(h), "" if pd.isna(v) else str(v)] for h, v in want.items()]
            + [[extra, "U009"]])
    plan = _write(tmp_path / "clash.csv", rows)
    _, probs = read_plan_table(plan, case.households)
    said = {q.code: q for q in probs}
    assert "PLAN-HH-ZEROS" not in said and "PLAN-UNKNOWN-ID" not in said, sorted(said)
    clash = said["PLAN-HH-ZEROS-CLASH"]
    r = _load(_page(tmp_path, case, lang), [plan])[0]
    note = r["note"]
    assert _sentence(clash.title(lang)) in note, (note, clash.title(lang))
    assert clash.fix(lang) in note, (note, clash.fix(lang))
    assert ("0 个户编号不在本图中" if lang == "zh" else "0 household ids are not on this map") in note, note
    lab = case.labels
    if extra == "25":  # the one row read as it is: household 25 moved to U009, nobody else
        assert {h: u for h, u in r["units"].items() if u != (None if pd.isna(lab[h]) else lab[h])} == {"25": "U009"}
    else:
        assert r["same"], note


@pytest.mark.parametrize("which", ["roster", "digits"])
def test_the_meeting_column_is_read_with_the_same_match(which: str, tmp_path: Path) -> None:
    """The 议事点 cells are read as the ids are, in both directions (plan_meeting_points): a roster that lost its
    zeros and a plan that kept them (000017 is household 17), and a plan that lost them (17 is 000017). The page
    read the cells as they are: every unit's point no household, each unit walked to its centre and
    PLAN-MEET-COLUMN said for it."""
    case, spell = (roster_case(), _six) if which == "roster" else (digits_case(), lambda h: str(int(h)))
    lab = case.labels.dropna()
    first = lab[~lab.duplicated(keep="first")]
    point = {u: h for h, u in first.items()}  # each unit meets at its first household
    rows = [["户编号", "院落编号", "议事点"]] + [[spell(h), str(u), spell(point[u])] for h, u in lab.items()]
    plan = _write(tmp_path / f"meet-{case.name}.csv", rows)
    mp = plan_meeting_points(plan, case.households)
    assert mp is not None and mp.to_dict() == point and not mp.attrs["lacking"], case.name
    r = _load(_page(tmp_path, case, "zh"), [plan], sorted(point))[0]
    assert r["meets"] == point, r["note"]
    # no PLAN-MEET-COLUMN: after the load's own first sentence (which counts the units whose 议事点 changed)
    assert "议事点" not in r["note"].split("。", 1)[1], r["note"]


def test_the_roster_note_on_a_phone(tmp_path: Path) -> None:
    """At 390×844 the load's PLAN-HH-ZEROS sentence is in the page beside the map (a screenshot to look at)."""
    case = roster_case()
    rows = [["户编号", "院落编号"]] + [[_six(h), "" if pd.isna(v) else str(v)] for h, v in _moved_plan(case).items()]
    plan = _write(tmp_path / "phone.csv", rows)
    shot = Path(os.environ.get("YUANLUO_SHOTS", tmp_path)) / "editor-roster-zeros-phone.png"
    r = _load(_page(tmp_path, case, "zh"), [plan], viewport=(390, 844), screenshot=shot)[0]
    assert "农户文件中的户编号丢了前导零" in r["note"] and "000001 → 1" in r["note"], r["note"]
    assert shot.stat().st_size > 10_000
