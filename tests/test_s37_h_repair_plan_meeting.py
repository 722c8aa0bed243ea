"""Session 37, task H (audit §1): repair's plan keeps its meeting points.

``repair result.gpkg --plan export.csv -o fixed.csv`` wrote ``户编号,院落编号,锁定`` only, though the editor's export
it read carried a 议事点 column: ``check --plan fixed.csv`` then walked every unit to its centre, so repair said
"未能全部修复… PLAN-WALK-LIMIT（院落 U013）：院落已锁定" (exit 1) and the check of its own output "方案检查：通过"
(exit 0). The repaired plan now carries each unit's meeting point as the repair checked it, in the editor's column.

Fixture: 20 households in a row 50 m apart (EPSG:4545, about 0.55 min a step); unit A = H00–H11, locked, its
meeting point H00 at its west end (H09–H11 beyond 5 min; at its centre every one within); unit B = H12–H19, its
meeting point H19 at its east end (4.2 min for the farthest, 2.1 to its centre)::

    H00 H01 … H11 | H12 … H19
    ▲A (locked)         ▲B
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _case(tmp_path):
    rows, plan = ["户编号,东坐标,北坐标"], ["户编号,院落编号,锁定,议事点"]
    for i in range(20):
        hid, unit = f"H{i:02d}", "A" if i < 12 else "B"
        rows.append(f"{hid},{474000 + 50 * i},3297000")
        plan.append(f"{hid},{unit},{'是' if unit == 'A' else ''},{'H00' if unit == 'A' else 'H19'}")
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 5\nmax_size = 14\nrequire_head = false\nmax_walk_min = 5\n"
                     "keep_settlements = false\nnest_by = []\n", encoding="utf-8")
    return hh, pl, rules


def _check(runner, lang, hh, plan, rules, tmp_path, name):
    out = tmp_path / f"{name}.json"
    r = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(plan),
                            "--rules", str(rules), "--json", str(out)], env={"COLUMNS": "400"})
    return r, {u["unit_id"]: u for u in json.loads(out.read_text(encoding="utf-8"))["units"]}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_the_repaired_plan_walks_to_the_points_repair_walked_to(tmp_path, lang, suffix) -> None:
    """Repair fails (A is locked, H11 6.6 min from H00) and the check of its plan fails alike, with the walks of
    the plan as given (B's farthest 4.2 min to H19, not 2.1 to its centre); the old plan had no meeting-point
    column, so its check passed (exit 0) with A's farthest 3.3 min."""
    hh, pl, rules = _case(tmp_path)
    runner = CliRunner()
    fixed = tmp_path / f"fixed{suffix}"
    rep = runner.invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                              "--rules", str(rules), "-o", str(fixed)], env={"COLUMNS": "400"})
    assert rep.exit_code == 1 and "PLAN-WALK-LIMIT" in rep.output, rep.output
    chk, units = _check(runner, lang, hh, fixed, rules, tmp_path, "fixed")
    assert chk.exit_code == 1, chk.output
    _, given = _check(runner, lang, hh, pl, rules, tmp_path, "given")
    assert units == given
    assert units["A"]["codes"] == ["PLAN-WALK-LIMIT"] and units["A"]["max_walk_min"] > 6.5
    assert 4.1 < units["B"]["max_walk_min"] < 4.3
    # the editor's column, in the command's language: 议事点 / Meeting point, on every row of its unit
    table = (pd.read_csv(fixed, dtype=str, encoding="utf-8-sig", keep_default_na=False) if suffix == ".csv"
             else pd.read_excel(fixed, dtype=str, keep_default_na=False))
    col = {"zh": "议事点", "en": "Meeting point"}[lang]
    unit = table[{"zh": "院落编号", "en": "Unit ID"}[lang]]
    assert set(table.loc[unit == "A", col]) == {"H00"} and set(table.loc[unit == "B", col]) == {"H19"}
