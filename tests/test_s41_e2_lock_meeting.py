"""Session 41, helper E2 (audit G §2): ``delineate --plan --lock 有效`` reads the plan's 议事点 column.

G's ``delineate v.gpkg --plan vfixed.xlsx --lock 有效`` locked U058 as valid although ``check --plan vfixed.xlsx``
failed it (PLAN-WALK-LIMIT to the plan's meeting point AD00518), and the locked result kept the old point AD02015:
the lock judged "valid" walking to each unit's centre and ignored the column without a word. Now it takes the
meeting points as check, repair and the editor do (the plan's column, :func:`yuanluo.gis.plan.plan_meeting_points`).

Fixture: a street of 12 households 90 m apart (EPSG:4545), one unit A, walking limit 10 minutes: from the end
household H00 two households are over the limit, from H04 none.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _street(tmp_path, point: str):
    rows = ["户编号,东坐标,北坐标,村"] + [f"H{i:02d},{474000 + 90 * i},3297000,V1" for i in range(12)]
    plan = ["户编号,院落编号,议事点"] + [f"H{i:02d},A,{point}" for i in range(12)]
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / f"plan_{point}.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 10\nmax_size = 12\nrequire_head = false\nmax_walk_min = 10\n"
                     "nest_by = [\"village\"]\nkeep_settlements = false\n", encoding="utf-8")
    return hh, pl, rules


@pytest.mark.parametrize(("point", "locked"), [("H00", False), ("H04", True)])
def test_lock_valid_walks_to_the_plans_meeting_points(tmp_path, point, locked) -> None:
    """With 议事点 H00 the check fails A, so --lock 有效 does not lock it (the old code locked it, walking to the
    centre H05); with H04 it passes, A is locked and keeps H04 (the old code wrote H05)."""
    hh, pl, rules = _street(tmp_path, point)
    runner = CliRunner()
    base = [str(hh), "--crs", "EPSG:4545", "--plan", str(pl), "--rules", str(rules)]
    chk = runner.invoke(app, ["--lang", "en", "check", *base], env={"COLUMNS": "400"})
    assert chk.exit_code == (0 if locked else 1), chk.output
    out = tmp_path / "locked.gpkg"
    res = runner.invoke(app, ["--lang", "zh", "delineate", *base, "--lock", "有效", "-o", str(out)],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    units = gpd.read_file(out, layer="units")
    row = units.loc[units["unit_id"] == "A"].iloc[0] if locked else None
    assert bool(units["locked"].any()) is locked, units
    if locked:
        assert row is not None and row["meeting_hid"] == "H04" and row["status"] == "locked", units
