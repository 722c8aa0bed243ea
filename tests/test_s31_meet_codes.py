"""One code for one fact: a unit of a plan whose 议事点 cells are all blank has no meeting point given, as a unit
``--meeting-points`` does not list, so ``check --plan`` says PLAN-MEETING for it, as the editor says it of the unit
whose meeting household moved out (and whose export leaves the unit's cells blank). It said PLAN-MEET-COLUMN, so a
planner saw two codes for one unit. PLAN-MEET-COLUMN stays for cells naming a household of another unit, an unknown
household or two of the unit's; ``edit --plan`` and the page's 载入方案 say what ``check --plan`` says."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shared_fixtures import MOVABLE_MEETING_JS
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo's result (``yuanluo demo``)."""
    d = tmp_path_factory.mktemp("demo")
    res = runner.invoke(app, ["demo", "-o", str(d / "out"), "-q"])
    assert res.exit_code == 0, res.output
    return d / "out" / "demo.gpkg"


def _plan_rows(demo: Path) -> tuple[list[list[str]], dict[str, str]]:
    """The demo's plan as rows 户编号,院落编号,议事点 (each row its unit's meeting point) and the units' points."""
    hh = gpd.read_file(demo, layer="households")
    mp = gpd.read_file(demo, layer="meeting_points")
    ucol = "unit_id"
    hcol = next(c for c in ("hid", "household_id") if c in mp.columns)
    meet = {str(u): str(h) for u, h in zip(mp[ucol], mp[hcol], strict=True)}
    rows = [["户编号", "院落编号", "议事点"]]
    for h, u in sorted(zip(hh["hid"].astype(str), hh["unit_id"].fillna("").astype(str), strict=True)):
        rows.append([h, u, meet.get(u, "") if u else ""])
    return rows, meet


def _write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return path


def _check(demo: Path, plan: Path, lang: str = "en") -> tuple[set[tuple[Any, ...]], str]:
    """(unit, code, severity) of ``check RESULT --plan plan`` and its console output."""
    js = plan.with_suffix(".json")
    res = runner.invoke(app, ["--lang", lang, "check", str(demo), "--plan", str(plan), "--preset", "banan", "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    got = {(v["unit_id"], v["code"], v["severity"]) for v in json.loads(js.read_text(encoding="utf-8"))["violations"]}
    return got, res.output


def _two_units(rows: list[list[str]], meet: dict[str, str]) -> tuple[str, str, str]:
    """Two units with a meeting point and a household of a third unit."""
    units = sorted(u for u in meet if any(r[1] == u for r in rows[1:]))
    a, b, c = units[:3]
    return a, b, next(r[0] for r in rows[1:] if r[1] == c)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_cells_are_plan_meeting_a_foreign_cell_plan_meet_column(demo: Path, tmp_path: Path, lang: str) -> None:
    rows, meet = _plan_rows(demo)
    a, b, foreign = _two_units(rows, meet)
    for r in rows[1:]:
        if r[1] == a:
            r[2] = ""  # every cell of a blank: no meeting point given
        elif r[1] == b:
            r[2] = foreign  # b's cells name a household of another unit
    plan = _write(tmp_path / "plan.csv", rows)
    got, out = _check(demo, plan, lang)
    mine = {(u, c, s) for u, c, s in got if c in ("PLAN-MEETING", "PLAN-MEET-COLUMN")}
    assert mine == {(a, "PLAN-MEETING", "warning"), (b, "PLAN-MEET-COLUMN", "warning")}, mine
    js = json.loads(plan.with_suffix(".json").read_text(encoding="utf-8"))
    (said,) = [v for v in js["violations"] if v["code"] == "PLAN-MEETING"]
    # named with the plan, the unit's rows and the column, and how to give it one
    message = said[f"message_{lang}"]
    assert "plan.csv" in message and "议事点" in message and ("设为议事点" if lang == "zh" else "Set as meeting") in message
    assert "PLAN-MEETING" in out, out
    # edit --plan of the same file: the input warnings are check's file findings, PLAN-MEET-COLUMN for b alone
    page = tmp_path / "edit.html"
    res = runner.invoke(app, ["--lang", lang, "edit", str(demo), "--plan", str(plan), "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert res.output.count("PLAN-MEET-COLUMN") == 1 and f" {b}" in res.output, res.output
    head = res.output.split("PLAN-MEET-COLUMN", 1)[1][:300]
    assert foreign in head, head


#: the page of the demo: a unit's meeting household moved into a neighbouring unit; the findings and the export
MOVE = r"""
(() => {
  var E = window.yuanluo.editor;
""" + MOVABLE_MEETING_JS + r"""  E.assign([mh], other);
  return {unit: u, mh: mh, other: other, v: E.violations(), csv: E.exportCsv()};
})()
"""

#: the page of the demo, a plan file loaded by 载入方案 (its text in FILE): what the load said and the findings
LOAD = r"""
(() => {
  var E = window.yuanluo.editor;
  var got = E.loadCsv(FILE, false, 'plan.csv');
  return {loaded: got, v: E.violations()};
})()
"""


def _page_codes(v: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {(x["unit"], x["code"], x["severity"]) for x in v}


def _units(found: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """The findings about a unit (not those about the run, such as RULE-UNAPPLIED)."""
    return {f for f in found if f[0] is not None}


def test_page_export_check_plan_and_load_say_the_same(demo: Path, tmp_path: Path) -> None:
    from browser import browser_unavailable_reason, open_in_chromium

    if browser_unavailable_reason() is not None:
        pytest.skip(str(browser_unavailable_reason()))
    page = tmp_path / "edit.html"
    res = runner.invoke(app, ["--lang", "en", "edit", str(demo), "-o", str(page)])
    assert res.exit_code == 0, res.output
    rep = open_in_chromium(page, evaluate={"x": MOVE}, settle_ms=1500, timeout_s=120)
    assert rep.console_errors == [] and rep.csp_violations == [], (rep.console_errors, rep.csp_violations)
    x = rep.counts["x"]
    u = x["unit"]
    assert u is not None, x
    page_said = _page_codes(x["v"])
    assert (u, "PLAN-MEETING", "warning") in page_said, page_said
    # check --plan of the export: the page's codes for every unit (PLAN-MEETING for u, not PLAN-MEET-COLUMN)
    plan = tmp_path / "export.csv"
    plan.write_bytes(("\ufeff" + x["csv"]).encode("utf-8"))
    got = _units(_check(demo, plan)[0])
    assert got == _units(page_said), (got - page_said, page_said - got)
    # the export with another unit's cells naming a household of a third unit: check --plan says PLAN-MEET-COLUMN
    # for that unit alone; 载入方案 of the file over a fresh page says the same (not u's blank cells)
    rows = list(csv.reader(io.StringIO(x["csv"])))
    col = rows[0].index(next(c for c in rows[0] if c.lower() in ("议事点", "meeting point", "meeting_point")))
    meets = {r[1]: r[col] for r in rows[1:] if r[1] and r[col]}
    b = next(w for w in sorted(meets) if w not in (u, x["other"]))
    foreign = next(r[0] for r in rows[1:] if r[1] and r[1] not in (u, b))
    for r in rows[1:]:
        if r[1] == b:
            r[col] = foreign
    edited = _write(tmp_path / "edited.csv", rows)
    got2 = _units(_check(demo, edited)[0])
    column = {(w, c) for w, c, _ in got2 if c == "PLAN-MEET-COLUMN"}
    assert column == {(b, "PLAN-MEET-COLUMN")}, got2
    assert (u, "PLAN-MEETING", "warning") in got2, got2
    text = edited.read_bytes().decode("utf-8-sig")
    rep2 = open_in_chromium(page, evaluate={"y": LOAD.replace("FILE", json.dumps(text))}, settle_ms=1500,
                            timeout_s=120)
    assert rep2.console_errors == [] and rep2.csp_violations == [], (rep2.console_errors, rep2.csp_violations)
    y = rep2.counts["y"]
    assert y["loaded"]["ok"], y["loaded"]
    notes = y["loaded"].get("notes", [])
    assert len(notes) == 1 and f" {b} " in notes[0] and foreign in notes[0], notes
    # the findings: the check's, b's PLAN-MEET-COLUMN being the note above beside the page's own PLAN-MEETING
    mapped = {(w, "PLAN-MEET-COLUMN" if (w, c) == (b, "PLAN-MEETING") else c, s)
              for w, c, s in _units(_page_codes(y["v"]))}
    assert mapped == got2, (mapped - got2, got2 - mapped)
