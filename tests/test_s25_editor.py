"""The editor's 载入方案 reads a plan file as ``--plan`` reads it (audit H 3, 4, 5), in headless Chromium: the lock
column's values are the command line's (√, 锁定 …; the cells neither yes nor no said, LOCK-VALUE), ids whose leading
zeros a spreadsheet dropped get them back (PLAN-ID-ZEROS), and a household given two units refuses the load
(PLAN-DUP-ASSIGN), the plan on screen unchanged. The page's notes are the check's own sentences."""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import EditorCase, synth_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.lock import read_lock_column
from yuanluo.gis.plan import read_plan_table
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: each file loaded through the page's file input as a user picks it (a change event), one after another, each
#: over the page as it opened: the note the page says, the locks, the units and whether anything was done
LOAD_FILES = r"""
(function(files) {
  var E = window.yuanluo.editor, input = document.querySelector('.yl-ed-file'), out = [];
  function units() { var o = {}; E.households().forEach(function(h) { o[h] = E.unitOf(h); }); return o; }
  function one(k, res) {
    if (k === files.length) { res(out); return; }
    var raw = atob(files[k].b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var before = E.exportCsv(), dt = new DataTransfer();
    dt.items.add(new File([bytes], files[k].name));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    setTimeout(function() {
      out.push({note: document.querySelector('.yl-ed-info').textContent, locked: E.locked(), units: units(),
                same: E.exportCsv() === before, undo: E.canUndo()});
      if (k + 1 < files.length) while (E.undo()) {}  // the last one stays on screen
      one(k + 1, res);
    }, 700);
  }
  return new Promise(function(res) { one(0, res); });
})
"""


@functools.lru_cache(maxsize=1)
def digits_case() -> EditorCase:
    """The synthetic village with household ids of six digits (000001 …), as real codes are."""
    case = synth_case()
    new = {h: h.lstrip("H") for h in case.households.index.astype(str)}
    hh = case.households.rename(index=new)
    hh.index.name = case.households.index.name
    labels = case.labels.rename(index=new)
    graph = dataclasses.replace(case.graph, ids=np.array([new[str(i)] for i in case.graph.ids], dtype=object))
    meet = case.meet.map(new) if case.meet is not None else None
    return dataclasses.replace(case, name="digits", households=hh, labels=labels, graph=graph, meet=meet,
                               layers={**case.layers, "households": hh})


def _page(tmp: Path, lang: Lang) -> Path:
    case = digits_case()
    page = tmp / f"edit-{lang}.html"
    payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                             meeting_points=case.meet, lang=lang)
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _load(page: Path, files: list[Path], **kw: Any) -> list[dict[str, Any]]:
    spec = [{"name": f.name, "b64": base64.b64encode(f.read_bytes()).decode()} for f in files]
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_FILES})({json.dumps(spec)})"}, **kw)
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    return list(rep.counts["r"])


def _sentence(s: str) -> str:
    return s[:1].upper() + s[1:]


def _units() -> list[str]:
    return sorted(set(digits_case().labels.dropna()))


def _members(unit: str) -> list[str]:
    lab = digits_case().labels
    return sorted(lab.index[lab == unit].astype(str))


def _write(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding=encoding)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_load_takes_the_lock_values_of_the_command_line(lang: Lang, tmp_path: Path) -> None:
    """A plan locking U001 with √ and U002 with 锁定 (README: 是, √, 1, 锁定 …) locks both, as ``--plan`` does; the
    page locked neither (its own list of yes-words lacked them). A cell neither yes nor no (也许) locks nothing and
    is named in the check's LOCK-VALUE sentence."""
    u = _units()
    mark = {u[1]: "√", u[2]: "锁定", u[3]: "也许", u[4]: "否", u[5]: "✓", u[6]: "1.0"}
    lab = digits_case().labels
    rows = [["户编号", "院落编号", "锁定"]] + [[h, str(v), mark.get(str(v), "")] for h, v in lab.dropna().items()]
    plan = _write(tmp_path / "locks.csv", rows, encoding="utf-8-sig")
    locked, probs = read_lock_column(plan)
    assert locked == sorted([u[1], u[2], u[5], u[6]]) and [q.code for q in probs] == ["LOCK-VALUE"]
    r = _load(_page(tmp_path, lang), [plan])[0]
    assert r["locked"] == locked, r["locked"]
    assert _sentence(probs[0].title(lang)) in r["note"], (r["note"], probs[0].title(lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_load_puts_back_the_leading_zeros_as_the_command_line(lang: Lang, tmp_path: Path) -> None:
    """A plan saved by Excel (000001 read as 1, GBK), three households moved and one taken out of its unit, loads
    as ``--plan`` reads it: the ids get their zeros back (PLAN-ID-ZEROS, said in its sentence); the page said
    'every id is not on this map' and applied nothing."""
    u = _units()
    lab = digits_case().labels
    moved, out = _members(u[0])[:3], _members(u[2])[0]
    want = lab.copy()
    want[moved] = u[1]
    want[out] = pd.NA
    rows = [["户编号", "院落编号"]] + [[h.lstrip("0"), "" if pd.isna(v) else str(v)] for h, v in want.items()]
    plan = _write(tmp_path / "excel.csv", rows)
    labels, probs = read_plan_table(plan, digits_case().households)
    zeros = [q for q in probs if q.code == "PLAN-ID-ZEROS"]
    assert len(zeros) == 1 and labels.astype(object).fillna("-").to_dict() == want.astype(object).fillna("-").to_dict()
    r = _load(_page(tmp_path, lang), [plan])[0]
    assert r["units"] == {h: (None if pd.isna(v) else str(v)) for h, v in want.items()}
    assert _sentence(zeros[0].title(lang)) in r["note"], (r["note"], zeros[0].title(lang))
    assert ("0 个户编号不在本图中" if lang == "zh" else "0 household ids are not on this map") in r["note"], r["note"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_household_given_two_units_refuses_the_load(lang: Lang, tmp_path: Path) -> None:
    """A household's row copied to the bottom with another unit (a clerk's way to move it) is PLAN-DUP-ASSIGN on
    the command line, which stops; the page kept the first row and said nothing. Now it loads nothing (the plan on
    screen unchanged, nothing to undo) and says the check's sentence naming the household."""
    u = _units()
    lab = digits_case().labels.dropna()
    h = _members(u[3])[0]
    rows = ([["户编号", "院落编号"]] + [[i, str(v) if i != _members(u[0])[0] else u[1]] for i, v in lab.items()]
            + [[h, u[4]]])
    plan = _write(tmp_path / "dup.csv", rows, encoding="utf-8-sig")
    _, probs = read_plan_table(plan, digits_case().households)
    dup = [q for q in probs if q.code == "PLAN-DUP-ASSIGN"]
    assert len(dup) == 1 and list(dup[0].ids) == [h]
    r = _load(_page(tmp_path, lang), [plan])[0]
    assert r["same"] and r["undo"] == 0, r
    assert r["note"] == text("editor.msg.load_refused", lang, why=_sentence(dup[0].title(lang))), r["note"]
    assert h in r["note"]


def test_a_load_on_a_phone(tmp_path: Path) -> None:
    """At 390×844 the notes of a load (zeros put back, a lock cell not read) are in the page beside the map."""
    u = _units()
    lab = digits_case().labels.astype(object).fillna("")
    rows = [["户编号", "院落编号", "锁定"]] + [[h.lstrip("0"), v, "也许" if v == u[3] else "√" if v == u[1] else ""]
                                           for h, v in lab.items()]
    plan = _write(tmp_path / "phone.csv", rows)
    shot = Path(os.environ.get("YUANLUO_SHOTS", tmp_path)) / "editor-load-phone.png"
    r = _load(_page(tmp_path, "zh"), [plan], viewport=(390, 844), screenshot=shot)[0]
    assert "丢了前导零" in r["note"] and "认不出" in r["note"] and r["locked"] == [u[1]], r
    assert shot.stat().st_size > 10_000
