"""Round trips (audit H): plans and results that went through Excel or QGIS and came back into Yuanluo."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from yuanluo.gis.plan import read_plan_table
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import HEADER, good_rows, write_csv  # noqa: E402

runner = CliRunner()


# ------------------------------------------------------------------ 1: a blank unit cell after Excel
def test_a_blank_unit_row_gets_its_leading_zeros_back_like_the_others(tmp_path: Path) -> None:
    """The editor's export with one household in no unit, saved by Excel (zeros lost): 43 was PLAN-UNKNOWN-ID
    (and check reported the household twice), so repair, edit --plan and delineate --plan stopped."""
    hh = pd.DataFrame(index=pd.Index(["000005", "000006", "000010"], name="hid"))
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n5,U1\n6,\n10,U2\n", encoding="gbk")
    labels, probs = read_plan_table(plan, hh)
    assert labels.fillna("-").to_dict() == {"000005": "U1", "000006": "-", "000010": "U2"}
    by = {p.code: p for p in probs}
    assert set(by) == {"PLAN-ID-ZEROS", "PLAN-UNASSIGNED"}, sorted(by)
    assert by["PLAN-ID-ZEROS"].rows == (2, 3, 4) and by["PLAN-UNASSIGNED"].ids == ("000006",)


def test_repair_reads_an_excel_plan_with_a_blank_unit(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "h.csv", [HEADER, *good_rows(6)])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"{i},{'' if i == 4 else 'U1'}\n" for i in range(1, 7)),
                    encoding="gbk")
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3",
                              "--max", "8", "-o", str(tmp_path / "fixed.csv")])
    assert res.exit_code == 0, res.output
    assert "PLAN-UNKNOWN-ID" not in res.output and "PLAN-ID-ZEROS" in res.output
    fixed = pd.read_csv(tmp_path / "fixed.csv", dtype=str)
    assert "004" in set(fixed.iloc[:, 0])
