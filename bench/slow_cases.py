"""The slow repair inputs of sessions 28–54, rebuilt from the repository alone (``bench_repair.py --slow``).

Each case is made deterministically from files in the repository (and nothing else) in a work folder, then
repaired once; a case's row says the plan's hash, the moves, the method, the errors left and the CPU seconds of
the repair (``repair_plan`` alone) and of the whole command.

* ``s28``: test_s28_editor's exported plan. The test's synthetic result (``tests/editor_fixtures.synth_result``:
  ``make_village(300, seed=3)``, cut into units of 8 by group), its rules (15–25, a 2.5-minute walk, nested by
  村民小组) and meeting points (each unit's first household), the editor page written by ``yuanluo edit`` and the
  test's own edits run in Chromium (its ``EDITS`` script, read from the test file without importing pytest: three
  households dragged to a neighbour's unit, a unit's meeting household moved out, one household put in a new unit),
  the page's export as the plan; repaired by ``yuanluo repair`` with the result's rivers and roads (en).
* ``banan``, ``changshou``: a planner's edited plan of the bundled Andorra sample (951 households), as session 50's
  helper P made them: ``yuanluo demo --preset P``, its editor page (``yuanluo edit``), households dragged in the page
  to a neighbouring unit, the page's export repaired by ``yuanluo repair`` with the result's layers and the
  sample's DEM. The drags are scripted (:data:`DRAGS`): in every 5th unit by id, from the first, up to 10 of its
  households by id that have a neighbour (the page's ``neighbours``) in another unit are each assigned to the first
  such unit by id (59 households under banan). That is the edit a drag makes (``editor.assign`` of a household onto
  the unit it is dropped on, as the page's drag calls it), and the export is the page's own, so the plan is what a
  planner who redraws the borders of a few units by dragging would export; which households, unlike P's, are
  chosen by rule, not by eye. The sample has no groups, settlements or head candidates, so (unlike P's, which left
  a settlement split) the rules the repair meets are the band and contiguity.
* ``s102``: session 51's 200-household case (helper P's ``slow102_repro.py``, lost; rebuilt from its recipe in
  bench/results/repair.md, session 53/54): ``make_village(200, seed=0)`` with no head candidate at all, band 15–45,
  ``require_head``, no nesting and no settlements kept, the graph over its rivers and roads; the plan 300 m grid
  cells (by easting and northing from the south-west corner). Its units' sizes differ from P's (11 units of 40 …
  3); the case is the same kind: more units than the area may lack a candidate in, so any plan that passes merges
  units away.

The Chromium cases need ``/usr/bin/chromium`` (or ``$CHROMIUM``) and Playwright, as the browser tests do; without
them a row says why it was not run.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
DEM = ROOT / "planners" / "sample" / "dem.tif"

#: the drags of the Andorra cases, run in the editor page (``window.yuanluo.editor``)
DRAGS = r"""
(() => {
  var E = window.yuanluo.editor, moved = [], us = E.units().slice().sort();
  for (var j = 0; j < us.length; j += 5) {
    var u = us[j], n = 0, ms = E.members(u).slice().sort();
    for (var k = 0; k < ms.length && n < 10; k++) {
      var h = ms[k], nb = E.neighbours(h).map(E.unitOf).filter(function(x) { return x && x !== u; }).sort();
      if (nb.length) { E.assign([h], nb[0]); moved.push([h, u, nb[0]]); n++; }
    }
  }
  return {csv: E.exportCsv(), moved: moved};
})()
"""

CASES = ("s28", "banan", "changshou", "s102")


def _browser() -> Any:
    sys.path.insert(0, str(TESTS))
    import browser

    return browser


def _test_constant(path: Path, name: str) -> str:
    """A string constant of a test module, read without importing it (the tests import pytest)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, str)
            return value
    raise KeyError(f"{name} not in {path}")


def _cli(args: list[str]) -> tuple[int, str]:
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    res = CliRunner().invoke(app, args)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.output


def _export(page: Path, script: str) -> dict[str, Any]:
    """``script`` run in the editor page ``page``; its result (the page's export under ``csv``)."""
    b = _browser()
    rep = b.open_in_chromium(page, viewport=(1200, 800), wait_for="window.yuanluo && window.yuanluo.editorUi",
                             evaluate={"x": script}, settle_ms=50)
    if rep.console_errors or rep.csp_violations:
        raise RuntimeError(f"the editor page said {rep.console_errors or rep.csp_violations}")
    out: dict[str, Any] = rep.counts["x"]
    return out


def _write_plan(path: Path, csv: str) -> None:
    """The export as the page saves it: UTF-8 with a byte-order mark."""
    path.write_bytes(("\ufeff" + csv).encode("utf-8"))


def build_s28(work: Path) -> list[str]:
    """test_s28_editor's exported plan in ``work``; the ``yuanluo repair`` arguments (without ``-o``)."""
    sys.path.insert(0, str(TESTS))
    from editor_fixtures import first_household_meeting_points, synth_result

    test = TESTS / "test_s28_editor.py"
    result = synth_result(work)
    meet = first_household_meeting_points(result, work / "meet.csv")
    rules = work / "rules.toml"
    rules.write_text(_test_constant(test, "RULES"), encoding="utf-8")
    page = work / "edit.html"
    code, out = _cli(["edit", str(result), "--rules", str(rules), "--meeting-points", str(meet), "-o", str(page),
                      "--lang", "en", "--overwrite"])
    if code != 0:
        raise RuntimeError(out)
    _write_plan(work / "plan.csv", _export(page, _test_constant(test, "EDITS"))["csv"])
    return [f"{result}::households", "--plan", str(work / "plan.csv"), "--rivers", f"{result}::rivers",
            "--roads", f"{result}::roads", "--rules", str(rules), "--lang", "en"]


def build_andorra(work: Path, preset: str) -> list[str]:
    """The Andorra sample delineated under ``preset`` (``yuanluo demo``), edited in its editor page by
    :data:`DRAGS` and exported; the ``yuanluo repair`` arguments (without ``-o``)."""
    code, out = _cli(["demo", "-o", str(work / "demo"), "--preset", preset, "--overwrite", "--lang", "en", "-q"])
    if code != 0:
        raise RuntimeError(out)
    result = work / "demo" / "demo.gpkg"
    page = work / "edit.html"
    code, out = _cli(["edit", str(result), "-o", str(page), "--lang", "en", "--overwrite", "-q"])
    if code != 0:
        raise RuntimeError(out)
    x = _export(page, DRAGS)
    (work / "drags.json").write_text(json.dumps(x["moved"], ensure_ascii=False), encoding="utf-8")
    _write_plan(work / "plan.csv", x["csv"])
    return [str(result), "--plan", str(work / "plan.csv"), "--preset", preset, "--dem", str(DEM), "--lang", "zh"]


def s102_inputs() -> tuple[Any, pd.Series, Any, Any]:
    """s102's households (no candidate), its plan (300 m grid cells), rules and graph."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village

    v = make_village(200, seed=0)
    hh = v.households.copy()
    hh["head_candidate"] = False
    hh["party_member"] = False
    x, y = hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy()
    cx, cy = ((x - x.min()) // 300).astype(int), ((y - y.min()) // 300).astype(int)
    labels = pd.Series([f"R{i}_{j}" for i, j in zip(cx, cy, strict=True)], index=hh.index, dtype=object)
    rules = Rules(15, 45, require_head=True, nest_by=(), keep_settlements=False)
    return hh, labels, rules, build_graph(hh, rivers=v.rivers, roads=v.roads)


def _row(name: str, res: Any, cpu: float, total: float, fixed: Path | None, exit_code: int | None) -> dict[str, Any]:
    errors = int((res.check.violations["severity"] == "error").sum()) if res.check is not None else -1
    row = {"case": name, "households": int(len(res.labels)), "moves": int(len(res.moves)), "method": res.method,
           "passed": bool(res.passed), "errors_left": errors,
           "plan": hashlib.sha256(res.labels.to_csv().encode()).hexdigest()[:12],
           "repair_cpu_s": round(cpu, 1), "command_cpu_s": round(total, 1)}
    if fixed is not None:
        row["fixed_csv"] = hashlib.sha256(fixed.read_bytes()).hexdigest()[:12]
        row["exit"] = exit_code
    return row


def run_case(name: str, work: Path) -> dict[str, Any]:
    """Case ``name`` built in ``work`` and repaired once (its row)."""
    work.mkdir(parents=True, exist_ok=True)
    if name == "s102":
        from yuanluo.gis.repair import repair_plan

        hh, labels, rules, g = s102_inputs()
        t = time.process_time()
        res = repair_plan(hh, labels, rules, g)
        cpu = time.process_time() - t
        row = _row(name, res, cpu, cpu, None, None)
        row["units_given"] = sorted(labels.value_counts().tolist(), reverse=True)
        return row
    if name in ("s28", "banan", "changshou"):
        b = _browser()
        why = b.browser_unavailable_reason()
        if why is not None:
            return {"case": name, "not_run": why}
        args = build_s28(work) if name == "s28" else build_andorra(work, name)
        import yuanluo.gis.repair as R

        seen: list[tuple[Any, float]] = []
        plain = R.repair_plan

        def timed(*a: Any, **k: Any) -> Any:
            t = time.process_time()
            res = plain(*a, **k)
            seen.append((res, time.process_time() - t))
            return res

        R.repair_plan = timed  # the command imports it when it runs
        try:
            t = time.process_time()
            fixed = work / "fixed.csv"
            code, out = _cli(["repair", *args, "-o", str(fixed), "--moves", str(work / "moves.csv"), "--overwrite"])
            total = time.process_time() - t
        finally:
            R.repair_plan = plain
        (work / "repair.txt").write_text(out, encoding="utf-8")
        if not seen:
            raise RuntimeError(out)
        return _row(name, seen[-1][0], seen[-1][1], total, fixed, code)
    raise KeyError(f"no slow case {name}: {', '.join(CASES)}")


def main(argv: list[str]) -> None:
    """``--slow WORK [CASE ...] [--out OUT]``: each case (all by default) built under WORK/CASE and repaired; a JSON
    line each, and OUT.json / OUT.md when ``--out`` is given."""
    args = list(argv)
    out = None
    if "--out" in args:
        i = args.index("--out")
        out = Path(args[i + 1])
        del args[i:i + 2]
    work, names = Path(args[0]), args[1:] or list(CASES)
    rows = []
    for name in names:
        row = run_case(name, work / name)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        keys = ["case", "households", "moves", "method", "passed", "errors_left", "plan", "fixed_csv", "exit",
                "repair_cpu_s", "command_cpu_s"]
        lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        lines += ["| " + " | ".join(str(r.get(k, r.get("not_run", "")) if k != "case" else r[k]) for k in keys) + " |"
                  for r in rows]
        out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")

