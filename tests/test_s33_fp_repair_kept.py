"""s33 FP (after 01cbb25/f92a13a): a plan's own status or lock column marks its units as kept locked for the
check's long joins, but the plan ``repair`` wrote kept only the 锁定 column of units locked through that column:
``delineate --plan --lock U2 --xlsx lock.xlsx`` then ``repair --plan lock.xlsx -o rep.xlsx`` (or ``rep.csv``) wrote
no record of U2, and ``check --plan rep.xlsx`` failed PLAN-NONCONTIG where ``check --plan lock.xlsx`` passed. The
repaired plan now records every unit the plan as given recorded as kept that it still holds exactly (the repair's
``labels``, :func:`yuanluo.gis.plan.plan_kept`), written as the editor's 锁定 column; a unit the plan changed is the
planner's own and is not marked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_s33_fn_plan_kept import BAND, ENV, _delineated
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _run(lang: str, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["--lang", lang, *args], env=ENV)
    return res.exit_code, res.output


def _check(lang: str, src: Path, plan: Path) -> tuple[int, str]:
    return _run(lang, "check", str(src), "--crs", "EPSG:4545", "--plan", str(plan), *BAND, "-q")


def _sheet(path: Path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_plan_repair_writes_keeps_the_record_of_the_kept_unit(tmp_path: Path, lang: str, suffix: str) -> None:
    src, _, xlsx = _delineated(tmp_path, lang)
    rc, out = _check(lang, src, xlsx)
    assert rc == 0 and "PLAN-NONCONTIG" not in out, out
    rep = tmp_path / f"rep{suffix}"
    rc, out = _run(lang, "repair", str(src), "--crs", "EPSG:4545", "--plan", str(xlsx), *BAND, "-o", str(rep), "-q")
    assert rc == 0, out
    rc, out = _check(lang, src, rep)
    assert rc == 0 and "PLAN-NONCONTIG" not in out, out
    sheet = _sheet(rep)
    lock = {"zh": "锁定", "en": "Locked"}[lang]
    unit = {"zh": "院落编号", "en": "Unit ID"}[lang]
    yes = {"zh": "是", "en": "yes"}[lang]
    assert set(sheet.loc[sheet[lock] == yes, unit]) == {"U2"} and (sheet[lock] == yes).sum() == 4, sheet
    # and the repaired plan read back once more: the same record, the same pass
    again = tmp_path / f"again{suffix}"
    rc, out = _run(lang, "repair", str(src), "--crs", "EPSG:4545", "--plan", str(rep), *BAND, "-o", str(again),
                   "-q")
    assert rc == 0, out
    assert _check(lang, src, again)[0] == 0


def test_a_kept_unit_the_plan_changed_is_not_marked(tmp_path: Path) -> None:
    """U2's rows say locked, but a street household was moved into U2 in the spreadsheet: the plan's U2 is not the
    unit kept, so the repaired plan marks nothing; a household moved out of the hamlet's unit in a plan that keeps
    U2 as recorded is mended, and the repaired plan records U2 (Python: the repair's labels carry it)."""
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.plan import plan_kept
    from yuanluo.gis.repair import repair_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.planners import workflows as W

    src, _, xlsx = _delineated(tmp_path, "en")
    sheet = pd.read_excel(xlsx, sheet_name=0, dtype=str)
    plan = pd.DataFrame({"hid": sheet.iloc[:, 0].to_numpy(), "unit_id": sheet.iloc[:, 1].to_numpy()})
    locked = (plan["unit_id"] == "U2").map({True: "locked", False: "ok"})
    hamlet = plan.loc[plan["hid"] == "A1", "unit_id"].item()
    street = sorted(h for h in plan.loc[plan["unit_id"] == hamlet, "hid"] if h.startswith("B"))
    grown = plan.assign(unit_status=locked)
    grown.loc[grown["hid"] == street[0], "unit_id"] = "U2"
    into = tmp_path / "into.csv"
    grown.to_csv(into, index=False)
    rep = tmp_path / "rep_into.csv"
    _run("en", "repair", str(src), "--crs", "EPSG:4545", "--plan", str(into), *BAND, "-o", str(rep), "-q")
    assert "Locked" not in _sheet(rep).columns, _sheet(rep)

    other = next(u for u in sorted(set(plan["unit_id"])) if u not in (hamlet, "U2"))
    moved = plan.assign(status=locked)
    moved.loc[moved["hid"] == street[-1], "unit_id"] = other
    mplan = tmp_path / "moved.csv"
    moved.to_csv(mplan, index=False)
    inputs = W.load_inputs(str(src), crs="EPSG:4545")
    labels = W.read_plan(inputs, plan=mplan).labels
    g, kind = W.plan_graph(inputs, max_walk_min=1)
    rules = Rules(4, 6, nest_by=[], keep_settlements=False, require_head=False)
    res = repair_plan(inputs.households, labels, rules, g, graph_kind=kind)
    assert res.passed and len(res.moves) == 1, res.moves
    assert sorted(plan_kept(res.labels).index) == ["L1", "L2", "L3", "L4"]
    assert check_plan(inputs.households, res.labels, rules, graph=g, graph_kind=kind).passed
