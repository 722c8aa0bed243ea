"""Console output and texts (audit s25, J and N): what a planner reads on the console and in the files."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_repair import CRS, valid
from typer.testing import CliRunner

from yuanluo.planners.cli.app import app


def _grid_csv(tmp_path, nx: int = 12, ny: int = 5):
    """The repair tests' grid written as a lon/lat household CSV: path, plan labels."""
    hh, _, lab, _, _ = valid(nx, ny)
    geo = gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326)
    src = tmp_path / "hh.csv"
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(7).to_numpy(), "纬度": geo.y.round(7).to_numpy()}).to_csv(
        src, index=False)
    return src, lab


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_repair_keeps_the_plans_lock_column(tmp_path, suffix):
    """N1: the plan's 锁定 marks go on into the repaired plan (csv and xlsx), so reading it back keeps them locked."""
    from yuanluo.gis.lock import read_locks

    src, lab = _grid_csv(tmp_path)
    bad = lab.copy()
    bad["h0702"] = "U2"  # U1 19, U2 21: mended between U1 and U2; U0 locked
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": bad.index, "院落编号": bad.to_numpy(),
                  "锁定": np.where(bad.to_numpy() == "U0", "是", "")}).to_csv(plan, index=False, encoding="utf-8-sig")
    out = tmp_path / f"fixed{suffix}"
    res = CliRunner().invoke(app, ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "20",
                                   "--max", "20", "--max-edge-walk", "1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    fixed = pd.read_excel(out, dtype=str) if suffix == ".xlsx" else pd.read_csv(out, dtype=str)
    no = ["序号"] if suffix == ".xlsx" else []  # the workbook numbers its rows: QGIS reads its header (s32)
    assert list(fixed.columns) == [*no, "户编号", "院落编号", "锁定"]
    assert set(fixed.loc[fixed["院落编号"] == "U0", "锁定"]) == {"是"}
    assert fixed.loc[fixed["院落编号"] != "U0", "锁定"].isna().all()
    assert read_locks(out) == ["U0"]


@pytest.mark.parametrize(("lang", "unit"), [("zh", "20–40 人"), ("en", "20–40 persons")])
def test_a_persons_band_is_titled_in_persons(monkeypatch, lang, unit):
    """J1: with size_by = "persons" the delineate summary's title gives the band in persons, not households."""
    from yuanluo.gis.rules import Rules
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.delineate import print_summary

    C.setup(lang)
    shown: list[str] = []
    monkeypatch.setattr(C, "print_table", lambda title, rows: shown.append(title))
    print_summary({"households": 800, "units": 40}, Rules(20, 40, size_by="persons"))
    print_summary({"households": 800, "units": 40}, Rules(20, 40))
    assert unit in shown[0] and ("户" if lang == "zh" else "households") not in shown[0]
    assert ("20–40 户" if lang == "zh" else "20–40 households") in shown[1]


def test_check_lists_the_plan_files_own_errors_first(capsys):
    """J8: past 30 findings, PLAN-UNKNOWN-ID and PLAN-DUP-ASSIGN (blank unit) were sorted last and fell into
    "另有 … 处违规未在此列出"; the plan file's errors come first."""
    from types import SimpleNamespace

    from yuanluo.gis.rules import Rules
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.check import print_check

    rows = [{"code": "SIZE-LOW", "unit_id": f"S{i:04d}", "hids": [f"H{i}"], "severity": "error",
             "message_zh": "户数不足", "message_en": "too few"} for i in range(40)]
    rows += [{"code": c, "unit_id": None, "hids": [h], "severity": "error", "message_zh": "方案表有误",
              "message_en": "bad plan row"} for c, h in (("PLAN-UNKNOWN-ID", "X999"), ("PLAN-DUP-ASSIGN", "H5"))]
    viol = pd.DataFrame(rows)
    summary = {"n_units_exception": 0, "n_households": 800, "n_units": 40, "n_errors": len(viol), "n_warnings": 0}
    result = SimpleNamespace(violations=viol, passed=False, rules=Rules(20, 40), summary=lambda: summary)
    C.setup("en", 0, True)
    try:
        print_check(result, [], "terrain")
    finally:
        C.setup("zh")
    shown = capsys.readouterr().out
    assert "PLAN-UNKNOWN-ID" in shown and "PLAN-DUP-ASSIGN" in shown, shown
    assert "S0039" not in shown  # the last unit's finding is the one counted, not listed


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_demo_prints_no_sample_note(tmp_path, monkeypatch, quiet):
    """J7: ``demo -q`` printed the sample's note (样例：951 户 …) all the same; -q means no notes."""
    from types import SimpleNamespace

    import typer

    from yuanluo.planners import workflows as W

    def stop(*a, **k):
        raise typer.Exit(0)

    monkeypatch.setattr(W, "load_inputs", lambda *a, **k: SimpleNamespace(households=list(range(7))))
    monkeypatch.setattr(W, "delineate", stop)
    res = CliRunner().invoke(app, ["demo", "-o", str(tmp_path / "d"), "--lang", "en", *(["-q"] if quiet else [])])
    shown = res.output + (res.stderr if res.stderr_bytes is not None else "")
    assert ("Sample: 7 households" in shown) is not quiet, shown


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_delineate_prints_no_lock_note(tmp_path, quiet):
    """J7: ``delineate --lock U0 -q`` printed 锁定的院落：U0（--lock 指定） all the same."""
    src, lab = _grid_csv(tmp_path, 8, 5)
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": lab.index, "院落编号": lab.to_numpy()}).to_csv(plan, index=False, encoding="utf-8-sig")
    res = CliRunner().invoke(app, ["delineate", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--lock", "U0",
                                   "--min", "20", "--max", "20", "--max-edge-walk", "1", "--lang", "en",
                                   "-o", str(tmp_path / "out.gpkg"), *(["-q"] if quiet else [])])
    assert res.exit_code in (0, 1), res.output
    assert ("U0" in res.output and "--lock" in res.output) is not quiet, res.output


def test_repair_names_the_settlement_of_each_split_left():
    """J9: two settlements split from the same main unit were listed as the same line twice
    (PLAN-SETTLEMENT-SPLIT (unit S0038): …); each line names its settlement."""
    from yuanluo.gis.repair import repair_plan
    from yuanluo.gis.rules import Rules

    hh, g, lab, _, _ = valid()
    hh = hh.assign(settlement="")
    hh.loc[["h0300", "h0301", "h0400"], "settlement"] = "甲"
    hh.loc[["h0303", "h0304", "h0403"], "settlement"] = "乙"
    rules = Rules(20, 20, keep_settlements=True)
    res = repair_plan(hh, lab, rules, g, locked=["U0", "U1"])
    lines = [x for x in res.reason_lines("en") if x.startswith("PLAN-SETTLEMENT-SPLIT (")]
    assert len(lines) == 2 and len(set(lines)) == 2, lines
    assert any("settlement 甲" in x for x in lines) and any("settlement 乙" in x for x in lines), lines


@pytest.mark.parametrize(("lang", "shown", "absent"), [("en", "V001, V002", "、"), ("zh", "V001、V002", ", V002")])
def test_report_joins_villages_as_the_language_lists_them(lang, shown, absent):
    """J6: the English check report joined the villages with the Chinese 、 (V001、V002)."""
    from types import SimpleNamespace

    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.report import info_from_inputs, render_html

    hh, g, lab, ii, _ = valid()
    hh = hh.assign(village=np.where(ii < 4, "V001", "V002"))
    inputs = SimpleNamespace(paths={}, households=hh, terrain=None, rivers=None, water=None)
    res = check_plan(hh, lab, Rules(20, 20), graph=g)
    page = render_html(res, lang=lang, info=info_from_inputs(inputs, meeting_points=False))
    assert shown in page and f"V001{absent}" not in page


def test_col_ambig_offers_only_options_that_exist_for_the_column(tmp_path):
    """J5: a village column and a 村名 column beside it: the fix said "or name the one to use (e.g. --id-col,
    --x-col)", options that do not choose a village column; it says to rename or drop, and which columns have an
    option."""
    src = tmp_path / "hh.csv"
    src.write_text("户编号,经度,纬度,village,村名\n" + "".join(
        f"H{i},106.5{i},29.5{i},V1,甲村\n" for i in range(1, 5)), encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(src), "--lang", "en"])
    assert res.exit_code == 2 and "COL-AMBIG" in res.output, res.output
    text = " ".join(res.output.split())
    assert "rename" in text and "e.g. --id-col" not in text
    assert "village, group, persons, settlement) have no such option" in text


@pytest.mark.parametrize("heads", [False, True])
def test_units_sheet_leaves_out_columns_with_no_data(heads):
    """N10: the 院落汇总 sheet of a household file without persons, village, group or candidate heads had empty
    人数/院落长/行政村/村民小组 columns and 院落长候选人数 0 for every unit (the rule was not applied)."""
    from yuanluo.planners.tables import plan_frames

    hh = pd.DataFrame({"hid": ["A1", "A2", "A3"], "unit_id": ["U1", "U1", "U2"]})
    if heads:
        hh["head_candidate"] = [True, False, False]
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "n_households": [2, 1], "persons": [np.nan, np.nan],
                          "meeting_hid": ["A1", "A3"], "mean_walk_min": [1.0, 0.0], "max_walk_min": [2.0, 0.0],
                          "n_heads": [1 if heads else 0, 0], "head_hid": ["A1" if heads else None, None],
                          "status": ["ok", "exception"], "reason": ["", "x"], "village": [None, None],
                          "group": ["", ""]})
    _, utab = plan_frames({"households": hh, "units": units})
    assert not {"persons", "village", "group"} & set(utab.columns), list(utab.columns)
    assert ("n_heads" in utab.columns) is heads and ("head_hid" in utab.columns) is heads
    assert {"unit_id", "n_households", "meeting_hid", "status", "reason"} <= set(utab.columns)
