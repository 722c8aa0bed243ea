"""Audit s33 AD (2026-12-03): 4bc7b38 made the check's long joins find islands without each unit kept locked, but
took those units only from a result file's ``status`` ``locked``. A lock-aware delineation passed its own check as
a GeoPackage while its own ``--xlsx`` plan (Status = locked / 状态 = 锁定), the editor's CSV export (锁定 = 是,
Locked = yes) and the result's ``households`` layer given as ``--plan`` (``unit_status``) failed PLAN-NONCONTIG on
the hamlet joined past the locked unit, and the repair said no moves mend it. A plan's own status or lock column
now marks its units kept (:func:`yuanluo.gis.plan.plan_kept`, :func:`yuanluo.gis.check.with_plan_kept`) for the
zones of the check and the repair, while the plan gives such a unit exactly the households of its marked rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}
BAND = ["--min", "4", "--max", "6", "--max-edge-walk", "1"]


def _village() -> list[tuple[str, float, float, str]]:
    """The auditor's: a hamlet A1–A3 whose only short link to the street B1–B8 runs through U2 (L1–L4)."""
    pts = [(f"A{k + 1}", x, 0.0, "U1") for k, x in enumerate([-120.0, -60.0, 0.0])]
    pts += [(f"L{k + 1}", 50.0, y, "U2") for k, y in enumerate([30.0, 90.0, 150.0, 210.0])]
    pts += [(f"B{k + 1}", 100.0 + 60 * k, 15.0 if k % 2 else 0.0, "U3" if k < 4 else "U4") for k in range(8)]
    return pts


def _delineated(tmp_path: Path, lang: str) -> tuple[Path, Path, Path]:
    """The households file, the lock-aware delineation's result and its ``--xlsx`` plan (``lang``)."""
    src = tmp_path / "lock_hh.csv"
    rows = ["户编号,东坐标,北坐标,院落编号"] + [f"{h},{500000 + x:.0f},{3265000 + y:.0f},{u}" for h, x, y, u in
                                             _village()]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, xlsx = tmp_path / "lock.gpkg", tmp_path / "lock.xlsx"
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(src), "--crs", "EPSG:4545", *BAND, "--plan",
                                   str(src), "--lock", "U2", "-o", str(out), "--xlsx", str(xlsx), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    return src, out, xlsx


def _plan(xlsx: Path) -> pd.DataFrame:
    sheet = pd.read_excel(xlsx, sheet_name=0, dtype=str)
    return pd.DataFrame({"hid": sheet.iloc[:, 0].to_numpy(), "unit": sheet.iloc[:, 1].to_numpy()})


def _check(src: Path, plan: Path) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["--lang", "en", "check", str(src), "--crs", "EPSG:4545", "--plan", str(plan),
                                   *BAND], env=ENV)
    return res.exit_code, res.output


def _repair(src: Path, plan: Path, out: Path) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["--lang", "en", "repair", str(src), "--crs", "EPSG:4545", "--plan", str(plan),
                                   *BAND, "-o", str(out), "--moves", str(out.with_name(out.stem + "_moves.csv"))],
                             env=ENV)
    return res.exit_code, res.output


def _forms(tmp_path: Path, xlsx: Path, gpkg: Path) -> dict[str, Path]:
    """The plan in every form that records the lock: the delineation's workbook, the editor's CSV export (Chinese
    and English), a plan CSV with a unit_status column, and the result itself as ``--plan``."""
    plan = _plan(xlsx)
    locked = plan["unit"] == "U2"
    assert locked.sum() == 4 and set(plan.loc[locked, "hid"]) == {"L1", "L2", "L3", "L4"}
    zh = tmp_path / "editor_zh.csv"
    pd.DataFrame({"户编号": plan["hid"], "院落编号": plan["unit"], "锁定": locked.map({True: "是", False: ""})}
                 ).to_csv(zh, index=False, encoding="utf-8-sig")
    en = tmp_path / "editor_en.csv"
    pd.DataFrame({"Household ID": plan["hid"], "Unit ID": plan["unit"], "Locked": locked.map({True: "yes",
                                                                                               False: ""})}
                 ).to_csv(en, index=False, encoding="utf-8-sig")
    st = tmp_path / "status.csv"
    pd.DataFrame({"hid": plan["hid"], "unit_id": plan["unit"], "unit_status": locked.map({True: "locked",
                                                                                          False: "ok"})}
                 ).to_csv(st, index=False)
    return {"xlsx": xlsx, "editor_zh": zh, "editor_en": en, "status": st, "gpkg": gpkg}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lock_aware_delineations_own_plans_pass_check_and_repair(tmp_path: Path, lang: str) -> None:
    src, gpkg, xlsx = _delineated(tmp_path, lang)
    for name, plan in _forms(tmp_path, xlsx, gpkg).items():
        rc, out = _check(src, plan)
        assert rc == 0 and "Plan check: PASSED" in out, (name, out)
        assert "PLAN-NONCONTIG" not in out and "PLAN-LONG-JOIN" in out, (name, out)
        rc, out = _repair(src, plan, tmp_path / f"rep_{name}.csv")
        assert rc == 0 and "The plan already passes the check: nothing to repair" in out, (name, out)


def test_the_plans_record_holds_only_as_the_plan_gives_the_unit(tmp_path: Path) -> None:
    """Without a record of the lock (a bare plan), or with U2's rows marked but a household moved into it in the
    spreadsheet (it is the planner's own unit now), U2 is a way through and the hamlet's unit is not contiguous;
    a household moved out of the hamlet's unit in a plan that keeps the record is mended by the repair, U2
    untouched."""
    src, gpkg, xlsx = _delineated(tmp_path, "en")
    plan = _plan(xlsx)
    locked = plan["unit"] == "U2"
    bare = tmp_path / "bare.csv"
    plan.rename(columns={"unit": "unit_id"}).to_csv(bare, index=False)
    rc, out = _check(src, bare)
    assert rc == 1 and "PLAN-NONCONTIG" in out, out
    hamlet = plan.loc[plan["hid"] == "A1", "unit"].item()
    street = sorted(h for h in plan.loc[plan["unit"] == hamlet, "hid"] if h.startswith("B"))
    other = next(u for u in sorted(set(plan["unit"])) if u not in (hamlet, "U2"))
    grown = plan.copy()
    grown.loc[grown["hid"] == street[0], "unit"] = "U2"  # marked rows L1–L4, but U2 holds five now
    into = tmp_path / "into.csv"
    grown.assign(unit_status=locked.map({True: "locked", False: "ok"})).rename(columns={"unit": "unit_id"}).to_csv(
        into, index=False)
    rc, out = _check(src, into)
    assert rc == 1 and "PLAN-NONCONTIG" in out, out
    moved = plan.copy()
    moved.loc[moved["hid"] == street[-1], "unit"] = other
    mplan = tmp_path / "moved.csv"
    moved.assign(status=locked.map({True: "locked", False: "ok"})).rename(columns={"unit": "unit_id"}).to_csv(
        mplan, index=False)
    rc, out = _repair(src, mplan, tmp_path / "mended.csv")
    assert rc == 0 and "Repaired: 1 " in out, out
    moves = pd.read_csv(tmp_path / "mended_moves.csv", dtype=str)
    assert "U2" not in set(moves.iloc[:, 1]) | set(moves.iloc[:, 2]), moves


def test_the_record_rides_on_labels_that_pandas_still_joins(tmp_path: Path) -> None:
    """The record is kept in the labels' ``attrs`` as a dict: two plans read so still concatenate (pandas compares
    attrs, and a Series there has no truth value), and the record reads back."""
    from yuanluo.gis.plan import plan_kept, read_plan_table

    hh = pd.DataFrame(index=pd.Index(["1", "2", "3"], name="hid"))
    p = tmp_path / "plan.csv"
    p.write_text("户编号,院落编号,状态\n1,U1,锁定\n2,U1,锁定\n3,U2,符合规定\n", encoding="utf-8")
    a, b = read_plan_table(p, hh).labels, read_plan_table(p, hh).labels
    both = pd.concat([a, b])
    assert len(both) == 6 and plan_kept(both).to_dict() == {"1": "U1", "2": "U1"}
