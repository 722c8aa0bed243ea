"""The editor under other rules than the delineation's (audit S §2): a delineation's declared settlement splits
hold only under the rules it kept, as ``check`` judges them (``Declared.applies``); the page took them as declared
under any rules, so that under a narrower band it showed them as the warning DECLARED-EXCEPTION, quoting the band
given to the page as the one the delineation used, while ``check`` with the same rules gives PLAN-SETTLEMENT-SPLIT
errors. Now the page drops declarations made under other rules, as the check does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import chunk_plan, synth_case
from shared_fixtures import MOVABLE_MEETING_JS
from typer.testing import CliRunner

from yuanluo.gis.rules import Rules

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: the rules the result was delineated under, and narrower ones given to the page and the check
MADE = Rules(15, 30, nest_by=(), require_head=False, keep_settlements=True)
BAND = {"made": (15, 30), "other": (15, 25)}

VIOLATIONS = "(() => window.yuanluo.editor.violations())()"


def _result(tmp_path: Path) -> Path:
    """The synthetic village as a result delineated under MADE (its ``run`` table records them), each settlement
    of at most 25 households that the plan splits declared split (``settlement_split``)."""
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.units import unit_territories

    path = tmp_path / "result.gpkg"
    if path.is_file():
        return path
    case = synth_case()
    hh = case.households.copy()
    labels = chunk_plan(hh, 20).fillna("U999")
    hh["unit_id"] = labels.reindex(hh.index.astype(str)).astype(str).to_numpy()
    per = hh.groupby("settlement")["unit_id"].agg(["nunique", "size"])
    split = per.index[(per["nunique"] > 1) & (per["size"] <= 25)]
    assert len(split) >= 1, per
    hh["settlement_split"] = hh["settlement"].isin(split)
    units = unit_territories(case.households, labels.reindex(case.households.index.astype(str)))
    units["status"] = "ok"
    write_layers(path, {"households": hh.reset_index(), "units": units, "rivers": case.layers["rivers"],
                        "roads": case.layers["roads"]},
                 run={"tool": "yuanluo", "command": "delineate", "params": {"rules": MADE.to_dict()}})
    return path


def _rules(tmp_path: Path, which: str) -> Path:
    lo, hi = BAND[which]
    p = tmp_path / f"{which}.toml"
    p.write_text(f'[rules]\nname = "{which}"\nmin_size = {lo}\nmax_size = {hi}\nnest_by = []\n'
                 'require_head = false\nkeep_settlements = true\n', encoding="utf-8")
    return p


def _both(tmp_path: Path, which: str, lang: str) -> tuple[list[dict[str, Any]], dict[str, Any], Path]:
    """The unedited page's violations() and ``check --json`` of the same result under the rules ``which``."""
    from yuanluo.planners.cli import app

    result = _result(tmp_path)
    rules = _rules(tmp_path, which)
    ctx = ["--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--rules", str(rules)]
    page = tmp_path / f"edit-{which}.html"
    res = CliRunner().invoke(app, ["edit", str(result), *ctx, "--lang", lang, "-o", str(page)])
    assert res.exit_code == 0, res.output
    js = tmp_path / f"check-{which}.json"
    res = CliRunner().invoke(app, ["check", str(result), *ctx, "--lang", lang, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    shot = Path("test-artifacts") / f"s30-editor-{which}-{lang}.png"
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot,
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"v": VIOLATIONS})
    assert rep.console_errors == [] and rep.csp_violations == []
    return rep.counts["v"], json.loads(js.read_text(encoding="utf-8")), shot


def _found(viols: list[dict[str, Any]], unit: str, code: str) -> list[tuple[Any, ...]]:
    return sorted((v[unit], v[code], v["severity"]) for v in viols)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_declared_splits_hold_only_under_the_delineation_s_rules(tmp_path: Path, lang: str) -> None:
    # under the rules it was delineated with: the splits are declared, on the page as in the check
    page, chk, _ = _both(tmp_path, "made", lang)
    assert "DECLARED-EXCEPTION" in {v["code"] for v in page}, page
    assert _found(page, "unit", "code") == _found(chk["violations"], "unit_id", "code")
    said = [v["text"] for v in page if v["code"] == "DECLARED-EXCEPTION"]
    assert all(("15–30" in t) for t in said), said
    # under a narrower band: the splits are errors, as the check says, and no sentence quotes a declaration
    page, chk, shot = _both(tmp_path, "other", lang)
    assert _found(page, "unit", "code") == _found(chk["violations"], "unit_id", "code")
    assert "DECLARED-EXCEPTION" not in {v["code"] for v in page}
    assert "PLAN-SETTLEMENT-SPLIT" in {v["code"] for v in page if v["severity"] == "error"}
    assert sum(v["severity"] == "error" for v in page) == chk["summary"]["n_errors"], chk["summary"]
    assert shot.is_file()


# ------------------------------------------------------------------------------------------------ meeting points
MEET_RULES = '[rules]\nname = "s30m"\nmin_size = 15\nmax_size = 25\nmax_walk_min = 2.5\nnest_by = []\n'

#: a unit's meeting household moved into a neighbouring unit: the page's findings and its export
MOVE = r"""
(() => {
  var E = window.yuanluo.editor;
""" + MOVABLE_MEETING_JS + r"""  E.assign([mh], other);
  return {unit: u, mh: mh, other: other, point: E.meetingPoint(u), v: E.violations(), csv: E.exportCsv()};
})()
"""

#: the page as it opens: its findings and export
AS_IS = "(() => ({v: window.yuanluo.editor.violations(), csv: window.yuanluo.editor.exportCsv()}))()"

#: the export loaded by 载入方案 into the page as it opened
LOAD = r"""
(() => {
  var E = window.yuanluo.editor, r = E.loadCsv(%s, false, 'plan.csv');
  return {ok: r.ok, v: E.violations(), csv: E.exportCsv()};
})()
"""


def _meet_page(tmp_path: Path, lang: str) -> tuple[Path, Path, list[str]]:
    import geopandas as gpd
    from editor_fixtures import synth_result

    from yuanluo.planners.cli import app

    result = synth_result(tmp_path)
    rules = tmp_path / "meet_rules.toml"
    rules.write_text(MEET_RULES, encoding="utf-8")
    hh = gpd.read_file(result, layer="households")
    hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
    first = {str(u): str(h) for u, h in hh.groupby("unit_id")["hid"].first().items()}
    mfile = tmp_path / "meet.csv"
    mfile.write_text("院落编号,户编号\n" + "".join(f"{u},{h}\n" for u, h in first.items()), encoding="utf-8")
    page = tmp_path / "edit.html"
    ctx = ["--rules", str(rules), "--lang", lang]
    res = CliRunner().invoke(app, ["edit", str(result), *ctx, "--meeting-points", str(mfile), "-o", str(page)])
    assert res.exit_code == 0, res.output
    return page, result, ctx


def _open(page: Path, script: str, shot: Path | None = None) -> dict[str, Any]:
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot,
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"x": script}, settle_ms=50)
    assert rep.console_errors == [] and rep.csp_violations == []
    return rep.counts["x"]


def _said(v: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((x["unit"] or "", x["code"], x["severity"], x["text"]) for x in v)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_names_the_point_walked_to_and_both_reopenings_agree(tmp_path: Path, lang: str) -> None:
    from yuanluo.planners.cli import app

    page, result, ctx = _meet_page(tmp_path, lang)
    x = _open(page, MOVE)
    u, mh = x["unit"], x["mh"]
    assert u is not None and x["point"]["centre"] is True, x
    # the export: the unit's 议事点 cells blank (it walks to its centre), no cell names the household moved out
    rows = [r.split(",") for r in x["csv"].strip().split("\r\n")]
    assert [r[3] for r in rows[1:] if r[1] == u] == [""] * sum(r[1] == u for r in rows[1:]), rows
    assert mh not in {r[3] for r in rows[1:]}
    # the page's PLAN-MEETING for it, a warning, is the check's PLAN-MEETING of the export (session 31; it was
    # PLAN-MEET-COLUMN there); the same findings
    mine = [v for v in x["v"] if v["unit"] == u and v["code"].startswith("PLAN-MEET")]
    assert [(v["code"], v["severity"]) for v in mine] == [("PLAN-MEETING", "warning")], mine
    plan = tmp_path / "plan.csv"
    plan.write_bytes(("\ufeff" + x["csv"]).encode("utf-8"))
    js = tmp_path / "check.json"
    res = CliRunner().invoke(app, ["check", f"{result}::households", "--plan", str(plan), *ctx, "--rivers",
                                   f"{result}::rivers", "--roads", f"{result}::roads", "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    got = sorted((v["unit_id"] or "", v["code"], v["severity"]) for v in json.loads(js.read_text("utf-8"))["violations"])
    assert got == sorted((v["unit"] or "", v["code"], v["severity"]) for v in x["v"])
    # reopened by edit --plan, and by 载入方案 into the page as it opened: the same page, the same export
    again = tmp_path / "again.html"
    res = CliRunner().invoke(app, ["edit", str(result), *ctx, "--plan", str(plan), "-o", str(again)])
    assert res.exit_code == 0, res.output
    shot = Path("test-artifacts") / f"s30-editor-reopened-{lang}.png"
    by_plan = _open(again, AS_IS, shot)
    loaded = _open(page, LOAD % json.dumps(x["csv"]))
    assert loaded["ok"], loaded
    assert _said(by_plan["v"]) == _said(loaded["v"]), set(_said(by_plan["v"])) ^ set(_said(loaded["v"]))
    assert by_plan["csv"] == loaded["csv"] == x["csv"]
    assert _said(by_plan["v"]) == _said(x["v"]) or {t[0] for t in set(_said(by_plan["v"])) ^ set(_said(x["v"]))} == {u}
