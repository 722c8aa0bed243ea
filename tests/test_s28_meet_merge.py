"""Session 28: two units merged in a spreadsheet by retyping one's 院落编号 (audit s28 A §1, ``rp/multi.csv``).

The plan a delineation exports (``--xlsx``) carries a 议事点 (meeting point) column; retyping unit B's rows as unit A
leaves the merged unit's cells naming two of its own households (A's point and B's). That stopped ``check``,
``repair`` and ``edit --plan`` (PLAN-MEET-DUP, exit 2) and the editor page's 载入方案 refused the table, for an edit
that worked before the column was there. Now the merged unit has no meeting point from the column: it is walked to
its centre, with the warning PLAN-MEET-COLUMN naming both households, in the CLI and on the page alike."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, open_in_chromium
from typer.testing import CliRunner

from yuanluo.planners.cli import app

needs_browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small synthetic village delineated with its ``--xlsx`` plan, and that plan as CSV with unit B's rows
    retyped as unit A (``merged.csv``) and without its 议事点 column (``plain.csv``: every unit walked to its
    centre, under the walking limit of ``rules.toml``)."""
    import openpyxl

    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("s28merge")
    v = make_village(240, seed=5)
    src = d / "village.gpkg"
    v.households.reset_index().to_file(src, layer="households", driver="GPKG")
    out, xlsx = d / "out.gpkg", d / "方案.xlsx"
    r = CliRunner().invoke(app, ["delineate", f"{src}::households", "--min", "15", "--max", "30", "-o", str(out),
                                 "--xlsx", str(xlsx), "-q"])
    assert r.exit_code == 0, r.output
    rules = d / "rules.toml"
    rules.write_text("[rules]\nmin_size = 15\nmax_size = 30\nmax_walk_min = 60\n", encoding="utf-8")
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    head = [str(c.value) for c in ws[1]]
    rows = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(min_row=2, values_only=True)
            if row[0] is not None]
    hid, unit, meet = head.index("户编号"), head.index("院落编号"), head.index("议事点")
    units = sorted({r[unit] for r in rows})
    a, b = units[0], units[1]
    points = {row[unit]: row[meet] for row in rows}
    assert points[a] and points[b] and points[a] != points[b], points
    for row in rows:
        if row[unit] == b:
            row[unit] = a  # the merge: B's rows retyped as A, their 议事点 cells (B's point) left as they were

    def write(path: Path, cols: list[int]) -> Path:
        lines = [",".join(head[i] for i in cols)] + [",".join(row[i] for i in cols) for row in rows]
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
        return path

    return {"dir": d, "src": f"{src}::households", "result": out, "rules": rules, "a": a, "b": b,
            "points": (points[a], points[b]), "plan": write(d / "merged.csv", [hid, unit, meet]),
            "plain": write(d / "plain.csv", [hid, unit])}


def _check(m: dict[str, Any], plan: Path, lang: str) -> tuple[Any, dict[str, Any]]:
    js = m["dir"] / f"{plan.stem}_{lang}.json"
    r = CliRunner().invoke(app, ["--lang", lang, "check", m["src"], "--plan", str(plan), "--rules", str(m["rules"]),
                                 "--json", str(js), "--overwrite"])
    assert r.exit_code in (0, 1), r.output
    return r, json.loads(js.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_plan_of_two_units_merged_by_retyping_warns_and_walks_to_the_centre(
        merged: dict[str, Any], lang: str) -> None:
    """``check --plan`` of the merged table runs (it stopped with PLAN-MEET-DUP, exit 2): the merged unit has the
    warning PLAN-MEET-COLUMN naming both households and saying its cells name more than one, and its walks are
    those to its centre (as the same plan without the 议事点 column gives them)."""
    m = merged
    r, rep = _check(m, m["plan"], lang)
    out = " ".join(r.output.split())
    assert "PLAN-MEET-DUP" not in out and "PLAN-MEET-COLUMN" in out, out
    found = [v for v in rep["violations"] if "MEET" in v["code"]]
    assert [(v["code"], v["unit_id"], v["severity"]) for v in found] == [("PLAN-MEET-COLUMN", m["a"], "warning")]
    msg = " ".join(found[0][f"message_{lang}"].split())
    assert m["plan"].name in msg and all(p in msg for p in m["points"]), msg
    said = ("写了本院落的多户", "院落中心") if lang == "zh" else ("name more than one of its households", "centre")
    assert all(s in msg for s in said), msg
    assert m["b"] not in {u["unit_id"] for u in rep["units"]}
    _, plain = _check(m, m["plain"], lang)
    walks = {u["unit_id"]: (u["mean_walk_min"], u["max_walk_min"]) for u in rep["units"]}
    centre = {u["unit_id"]: (u["mean_walk_min"], u["max_walk_min"]) for u in plain["units"]}
    assert walks[m["a"]] == centre[m["a"]] and walks[m["a"]][0] is not None, (walks[m["a"]], centre[m["a"]])


def test_repair_plan_of_two_units_merged_by_retyping_runs(merged: dict[str, Any]) -> None:
    """``repair --plan`` of the merged table repairs it (it stopped with PLAN-MEET-DUP, exit 2)."""
    m = merged
    fixed = m["dir"] / "fixed.csv"
    r = CliRunner().invoke(app, ["--lang", "en", "repair", m["src"], "--plan", str(m["plan"]), "--rules",
                                 str(m["rules"]), "-o", str(fixed)])
    assert r.exit_code in (0, 1), r.output
    assert "PLAN-MEET-DUP" not in r.output
    assert r.exit_code == 1 or fixed.exists(), r.output


#: the file loaded through the page's file input as a user picks it: the note and unit A's meeting point
LOAD_FILE = r"""
(function(file) {
  var E = window.yuanluo.editor, input = document.querySelector('.yl-ed-file');
  var raw = atob(file.b64), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  var dt = new DataTransfer(), before = E.meetingPoint(file.unit);
  dt.items.add(new File([bytes], file.name));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  return new Promise(function(res) { setTimeout(function() {
    res({note: document.querySelector('.yl-ed-info').textContent, before: before, after: E.meetingPoint(file.unit),
         units: E.units(), csv: E.exportCsv()});
  }, 700); });
})
"""


@needs_browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_load_of_two_units_merged_by_retyping_walks_to_the_centre(merged: dict[str, Any], lang: str) -> None:
    """The editor page (``yuanluo edit`` of the result) loads the merged table (it refused it with PLAN-MEET-DUP's
    sentence): unit B's households are in unit A, which has no meeting point (its centre) and the load's note says
    the check's PLAN-MEET-COLUMN sentence."""
    m = merged
    page = m["dir"] / f"edit_{lang}.html"
    r = CliRunner().invoke(app, ["--lang", lang, "edit", str(m["result"]), "--rules", str(m["rules"]), "-o",
                                 str(page)])
    assert r.exit_code == 0, r.output
    spec = {"name": m["plan"].name, "unit": m["a"], "b64": base64.b64encode(m["plan"].read_bytes()).decode()}
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_FILE})({json.dumps(spec)})"})
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    got = rep.counts["r"]
    assert got["before"] == {"hid": m["points"][0], "centre": False}, got["before"]
    assert got["after"]["centre"] is True, got["after"]
    assert m["b"] not in got["units"] and m["a"] in got["units"], got["units"]
    assert ("方案未载入" not in got["note"]) and ("Plan not loaded" not in got["note"]), got["note"]
    _, checked = _check(m, m["plan"], lang)
    (v,) = [v for v in checked["violations"] if v["code"] == "PLAN-MEET-COLUMN"]
    sentence = " ".join(v[f"message_{lang}"].split())
    body = sentence.split("PLAN-MEET-COLUMN", 1)[1].lstrip("：: ")
    title = body[: body.index("。") + 1] if lang == "zh" else body[: body.index("centre.") + len("centre.")]
    assert title[:1].upper() + title[1:] in " ".join(got["note"].split()), (got["note"], title)
