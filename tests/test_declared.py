"""Exceptions a delineation declares, as a planner meets them on the real sample: delineated with a walking limit
of 4 minutes, the result passes ``yuanluo check`` with the same rules (every ``ok`` unit within the limit; the
units it made exceptions are DECLARED-EXCEPTION warnings), a household moved in the GeoPackage (as in QGIS) out
of a declared unit brings that unit's errors back, and the editor page finds the same as the check. On a synthetic
Changshou village (settlements, candidate heads) the settlements it had to split are declared in the households'
``settlement_split`` column and the result passes too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from typer.testing import CliRunner

from yuanluo.planners.cli import app
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import sample_paths

runner = CliRunner()


def _terrain() -> list[str]:
    p = sample_paths()
    return ["--dem", p["dem"], "--rivers", p["rivers"], "--roads", p["roads"]]


@pytest.fixture(scope="module")
def walk_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("walk")
    rules = d / "rules.toml"
    rules.write_text('preset = "banan"\nmax_walk_min = 4\n', encoding="utf-8")
    out = d / "walk.gpkg"
    res = runner.invoke(app, ["delineate", sample_paths()["households"], *_terrain(), "--rules", str(rules),
                              "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out, rules


def _check(result: Path, rules: Path, js: Path) -> tuple[int, dict]:
    res = runner.invoke(app, ["check", str(result), "--rules", str(rules), *_terrain(), "--json", str(js),
                              "--lang", "en", "-q"])
    return res.exit_code, json.loads(js.read_text(encoding="utf-8"))


def test_a_delineation_with_a_walking_limit_passes_check_with_the_same_rules(walk_result, tmp_path: Path) -> None:
    result, rules = walk_result
    units = gpd.read_file(result, layer="units")
    walk_limit = set(units.loc[units["code"] == "WALK-LIMIT", "unit_id"])
    assert walk_limit, "the sample at 4 minutes has units the delineation could not keep within the limit"
    code, rep = _check(result, rules, tmp_path / "c.json")
    assert code == 0 and rep["summary"]["passed"] and rep["summary"]["n_errors"] == 0
    declared = {v["unit_id"] for v in rep["violations"] if v["code"] == "DECLARED-EXCEPTION"}
    exceptions = set(units.loc[units["status"] == "exception", "unit_id"])
    assert declared <= exceptions and declared
    # WALK-LIMIT units either remote (WALK-EXCEPTION, proven by the check) or declared
    walk_found = {v["unit_id"] for v in rep["violations"] if v["code"] in ("WALK-EXCEPTION", "DECLARED-EXCEPTION")}
    assert walk_limit <= walk_found
    ok_units = set(units.loc[units["status"] == "ok", "unit_id"])
    assert all(u["max_walk_min"] <= 4 + 1e-9 for u in rep["units"] if u["unit_id"] in ok_units)
    msg = next(v for v in rep["violations"] if v["code"] == "DECLARED-EXCEPTION" and v["unit_id"] in walk_limit)
    assert "The delineation declared this unit an exception" in msg["message_en"] and "(WALK-LIMIT):" in msg["message_en"]
    assert "划分结果已把本院落列为例外" in msg["message_zh"] and " min" not in msg["message_zh"]


def _moved(result: Path, tmp: Path) -> tuple[Path, str, str]:
    """A copy of the result with one household of a declared WALK-LIMIT unit (not its meeting point, not beyond
    the limit) given to another unit, as a planner would in QGIS's attribute table."""
    units = gpd.read_file(result, layer="units")
    hh = gpd.read_file(result, layer="households")
    donor = units[(units["code"] == "WALK-LIMIT")].sort_values(["n_households", "unit_id"]).iloc[-1]
    near = hh[(hh["unit_id"] == donor["unit_id"]) & (hh["hid"] != donor["meeting_hid"])
              & (hh["meeting_walk_min"] <= 4)].sort_values("hid")
    hid = str(near["hid"].iloc[0])
    other = str(units.loc[units["unit_id"] != donor["unit_id"], "unit_id"].iloc[0])
    copy = tmp / "moved.gpkg"
    shutil.copy(result, copy)
    hh.loc[hh["hid"] == hid, "unit_id"] = other
    pyogrio.write_dataframe(hh, copy, layer="households", driver="GPKG", layer_options={"OVERWRITE": "YES"})
    return copy, str(donor["unit_id"]), hid


def test_a_unit_changed_by_hand_is_no_longer_a_declared_exception(walk_result, tmp_path: Path) -> None:
    result, rules = walk_result
    moved, donor, _ = _moved(result, tmp_path)
    code, rep = _check(moved, rules, tmp_path / "m.json")
    assert code == 1 and not rep["summary"]["passed"]
    assert ("PLAN-WALK-LIMIT", donor) in {(v["code"], v["unit_id"]) for v in rep["violations"]}
    assert ("DECLARED-EXCEPTION", donor) not in {(v["code"], v["unit_id"]) for v in rep["violations"]}


@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_the_editor_finds_the_declared_exceptions_the_check_finds(walk_result, tmp_path: Path) -> None:
    result, rules = walk_result
    _, rep = _check(result, rules, tmp_path / "c.json")
    p = sample_paths()
    html, _ = build_editor(result, load_rules_file(rules), terrain=Terrain(dem=Path(p["dem"]), rivers=p["rivers"],
                                                                           roads=p["roads"]), lang="en")
    page = tmp_path / "edit.html"
    page.write_text(html, encoding="utf-8")
    _, donor, hid = _moved(result, tmp_path)
    other = json.dumps(sorted({u["unit_id"] for u in rep["units"]} - {donor})[0])
    du = json.dumps(donor)
    js = ("(function() { var E = window.yuanluo.editor, pick = function(v) { return [v.unit, v.code]; };"
          f" var before = E.violations().map(pick), why = E.status({du}).reason;"
          f" E.assign([{json.dumps(hid)}], {other}); var moved = E.violations().map(pick);"
          f" var whyMoved = E.status({du}).reason;"
          " E.undo(); return {before: before, moved: moved, back: E.violations().map(pick), why: why,"
          " whyMoved: whyMoved}; })()")
    out = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"run": js})
    assert out.console_errors == [] and out.csp_violations == [] and out.external_requests == []
    run = out.counts["run"]
    # a rule the household file has no column for: check's finding (RULE-UNAPPLIED), the page's note
    found = {(v["unit_id"], v["code"]) for v in rep["violations"]} - {(None, "RULE-UNAPPLIED")}
    assert {tuple(x) for x in run["before"]} == found == {tuple(x) for x in run["back"]}
    assert [donor, "PLAN-WALK-LIMIT"] in run["moved"] and [donor, "DECLARED-EXCEPTION"] not in run["moved"]
    # the unit card gives the delineation's reason while the unit is as declared
    assert run["why"].startswith("beyond the walking limit (WALK-LIMIT): ") and run["whyMoved"] is None


def test_a_village_with_settlements_and_heads_passes_its_own_check(tmp_path: Path) -> None:
    from yuanluo.gis.synth import make_village

    v = make_village(1000, seed=2)
    src = tmp_path / "village.gpkg"
    v.households.reset_index().to_file(src, layer="households", driver="GPKG")
    for name in ("rivers", "roads"):
        getattr(v, name).to_file(src, layer=name, driver="GPKG")
    terrain = ["--rivers", f"{src}::rivers", "--roads", f"{src}::roads"]
    out = tmp_path / "out.gpkg"
    res = runner.invoke(app, ["delineate", f"{src}::households", *terrain, "--preset", "changshou", "-o", str(out),
                              "-q"])
    assert res.exit_code == 0, res.output
    hh = gpd.read_file(out, layer="households")
    split = hh[hh["settlement_split"].astype(bool)]
    assert len(split) and (split.groupby("settlement")["unit_id"].nunique() > 1).all()
    js = tmp_path / "c.json"
    res = runner.invoke(app, ["check", str(out), *terrain, "--preset", "changshou", "--json", str(js), "-q"])
    rep = json.loads(js.read_text(encoding="utf-8"))
    assert res.exit_code == 0 and rep["summary"]["n_errors"] == 0, res.output
    declared = [x for x in rep["violations"] if x["code"] == "DECLARED-EXCEPTION"]
    assert any("这一拆分" in x["message_zh"] for x in declared) and any("本院落" in x["message_zh"] for x in declared)
    # a planner's slips in the plan table: households typed into some other unit (a random one, anywhere)
    plan = hh[["hid", "unit_id"]].copy()
    units = sorted(plan["unit_id"].unique())
    # 20 slips: left failing before session 18; (7, 40): 13 moves more than planted (a household put into the
    # first unit it touched, not home behind another free one); (15, 60): 22 more (a declared exception made
    # to take a head, dissolving the unit next to it, where one slipped household going home was enough);
    # (12, 60): failed (placing one cut-off household dissolved a unit a slip had made too small), then 6 more
    # (two slips into one unit, the second reached only through the first: the piece of their own unit they
    # had cut off was moved out instead of both going home)
    for seed, k in ((2, 8), (4, 8), (5, 20), (19, 20), (7, 40), (15, 60), (12, 60)):
        rng = np.random.default_rng(seed)
        bad = plan.copy()
        rows = rng.choice(len(bad), k, replace=False)
        bad.loc[rows, "unit_id"] = rng.choice(units, k)
        planted = int((bad["unit_id"] != plan["unit_id"]).sum())
        table, fixed = tmp_path / f"bad{seed}.csv", tmp_path / f"fixed{seed}.csv"
        bad.rename(columns={"hid": "户编号", "unit_id": "院落编号"}).to_csv(table, index=False)
        res = runner.invoke(app, ["repair", str(out), *terrain, "--preset", "changshou", "--plan", str(table),
                                  "-o", str(fixed), "--moves", str(tmp_path / f"moves{seed}.csv"), "-q"])
        assert res.exit_code == 0, res.output
        moves = pd.read_csv(tmp_path / f"moves{seed}.csv", dtype=str)
        assert 0 < len(moves) <= planted, (len(moves), planted)
        res = runner.invoke(app, ["check", str(out), *terrain, "--preset", "changshou", "--plan", str(fixed), "-q"])
        assert res.exit_code == 0, res.output
    # under another band the declarations do not hold: the check judges the plan as any other
    other = tmp_path / "other.json"
    res = runner.invoke(app, ["check", str(out), *terrain, "--min", "15", "--max", "30", "--json", str(other), "-q"])
    assert res.exit_code in (0, 1), res.output
    assert "DECLARED-EXCEPTION" not in {x["code"] for x in json.loads(other.read_text(encoding="utf-8"))["violations"]}


def test_hostile_declarations_excuse_nothing_and_break_nothing(walk_result, tmp_path: Path) -> None:
    """A units layer edited by hand (an id twice, a blank status, a count that is not a number) and a run table
    whose rules are garbled: the check runs (no exit 3), and excuses only what still holds."""

    result, rules = walk_result
    bad = tmp_path / "bad.gpkg"
    shutil.copy(result, bad)
    units = gpd.read_file(bad, layer="units")
    declared = units.loc[units["status"] == "exception", "unit_id"].tolist()
    units.loc[units["unit_id"] == declared[0], "n_households"] = -1  # changed count: not declared any more
    units.loc[units["unit_id"] == declared[1], "status"] = None
    units = pd.concat([units, units[units["unit_id"] == declared[2]]])  # the same id twice: ambiguous
    pyogrio.write_dataframe(units, bad, layer="units", driver="GPKG", layer_options={"OVERWRITE": "YES"})
    code, rep = _check(bad, rules, tmp_path / "b.json")
    assert code in (0, 1)
    held = {v["unit_id"] for v in rep["violations"] if v["code"] == "DECLARED-EXCEPTION"}
    assert held and not held & set(declared[:3])
    run = pyogrio.read_dataframe(bad, layer="run", read_geometry=False)
    run.loc[run["key"] == "params.rules.min_size", "value"] = "二十"
    pyogrio.write_dataframe(run, bad, layer="run", driver="GPKG", layer_options={"OVERWRITE": "YES"})
    code, rep = _check(bad, rules, tmp_path / "c.json")
    assert code == 1 and "DECLARED-EXCEPTION" not in {v["code"] for v in rep["violations"]}


def test_repair_judges_a_result_as_check_does_and_moves_a_household_back(walk_result, tmp_path: Path) -> None:
    """``repair`` of a result's own plan uses its meeting points and its declarations, as ``check`` does: the
    untouched result needs no move; with a household moved out of a declared unit (which then breaks the
    walking limit as an error), the one move that makes the plan pass is that household going back, and the
    repaired plan passes ``check``."""
    result, rules = walk_result
    res = runner.invoke(app, ["repair", str(result), "--rules", str(rules), *_terrain(), "-o",
                              str(tmp_path / "same.csv"), "--lang", "en"])
    assert res.exit_code == 0 and "already passes the check" in res.output, res.output
    moved, donor, hid = _moved(result, tmp_path)
    fixed, moves = tmp_path / "fixed.csv", tmp_path / "moves.csv"
    res = runner.invoke(app, ["repair", str(moved), "--rules", str(rules), *_terrain(), "-o", str(fixed),
                              "--moves", str(moves), "--lang", "en"])
    assert res.exit_code == 0, res.output
    rows = moves.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith(f"{hid},") and f",{donor},moved back to the unit" in rows[1]
    res = runner.invoke(app, ["check", str(moved), "--plan", str(fixed), "--meeting-points",
                              f"{result}::meeting_points", "--rules", str(rules), *_terrain(), "--lang", "en"])
    assert res.exit_code == 0 and "DECLARED-EXCEPTION" in res.output, res.output


def test_repair_undoes_a_swap_that_broke_a_declared_unit(walk_result, tmp_path: Path) -> None:
    """One household of a declared unit and one of an ordinary unit swapped in the GeoPackage (the declared
    unit keeps its count): the check fails, and the repair puts both back (2 moves), after which the plan
    passes."""
    result, rules = walk_result
    units = gpd.read_file(result, layer="units")
    hh = gpd.read_file(result, layer="households")
    donor = units[units["code"] == "WALK-LIMIT"].sort_values(["n_households", "unit_id"]).iloc[-1]
    ok = units[units["status"] == "ok"].sort_values("unit_id").iloc[0]
    a = str(hh.loc[(hh["unit_id"] == donor["unit_id"]) & (hh["hid"] != donor["meeting_hid"])
                   & (hh["meeting_walk_min"] <= 4), "hid"].sort_values().iloc[0])
    b = str(hh.loc[(hh["unit_id"] == ok["unit_id"]) & (hh["hid"] != ok["meeting_hid"]), "hid"].sort_values().iloc[0])
    hh.loc[hh["hid"] == a, "unit_id"], hh.loc[hh["hid"] == b, "unit_id"] = ok["unit_id"], donor["unit_id"]
    swapped = tmp_path / "swapped.gpkg"
    shutil.copy(result, swapped)
    pyogrio.write_dataframe(hh, swapped, layer="households", driver="GPKG", layer_options={"OVERWRITE": "YES"})
    code, rep = _check(swapped, rules, tmp_path / "s.json")
    assert code == 1 and ("DECLARED-EXCEPTION", donor["unit_id"]) not in {(v["code"], v["unit_id"])
                                                                         for v in rep["violations"]}
    fixed, moves = tmp_path / "fixed.csv", tmp_path / "moves.csv"
    res = runner.invoke(app, ["repair", str(swapped), "--rules", str(rules), *_terrain(), "-o", str(fixed),
                              "--moves", str(moves), "--lang", "en"])
    assert res.exit_code == 0, res.output
    rows = sorted(moves.read_text(encoding="utf-8-sig").splitlines()[1:])
    assert [r.split(",")[:3] for r in rows] == sorted([[a, ok["unit_id"], donor["unit_id"]],
                                                       [b, donor["unit_id"], ok["unit_id"]]])


def test_a_locked_unit_declares_the_breaches_it_recorded() -> None:
    """A unit a ``delineate --lock`` kept locked (status locked, code LOCK-BREACH, its breaches' codes in
    ``reason_params``) is declared: its errors are DECLARED-EXCEPTION while the plan holds it, the other errors
    it recorded too (not only the band, head and walk); a locked unit without a reason declares nothing."""
    from yuanluo.gis.check import Declared, _declare, _viol

    units = pd.DataFrame({"unit_id": ["A", "B", "C"], "status": ["locked", "locked", "ok"], "n_households": [2, 1, 1],
                          "code": ["LOCK-BREACH", "", ""], "reason": ["kept as locked", "", ""],
                          "reason_params": [json.dumps({"codes": ["SIZE-LOW", "PLAN-NONCONTIG"]}), "", ""]})
    labels = pd.Series(["A", "A", "B", "C"], index=["a", "b", "c", "d"])
    d = Declared.of(units, labels)
    assert sorted(d.reasons) == ["A"] and d.locked == {"A": frozenset({"SIZE-LOW", "PLAN-NONCONTIG"})}
    low = {"size": 2, "min": 15, "what": {"zh": "户", "en": "households"}}
    viols = [_viol("SIZE-LOW", "A", ["a", "b"], **low), _viol("PLAN-NONCONTIG", "A", ["b"], n_pieces=2, sizes="1、1"),
             _viol("SIZE-LOW", "B", ["c"], **low)]
    out = _declare(viols, d, labels)
    assert [v.code for v in out] == ["DECLARED-EXCEPTION", "DECLARED-EXCEPTION", "SIZE-LOW"]
    assert out[0].problem.params["subject"] == {"zh": "这个锁定保留的院落", "en": "this locked unit"}
    assert out[1].problem.params["declared"] == "PLAN-NONCONTIG" and out[1].problem.params["reason"]["en"] == \
        "kept as locked"
    moved = labels.copy()
    moved["b"] = "C"  # changed by hand: the planner's own again
    assert [v.code for v in _declare(viols, d, moved)] == ["SIZE-LOW", "PLAN-NONCONTIG", "SIZE-LOW"]
