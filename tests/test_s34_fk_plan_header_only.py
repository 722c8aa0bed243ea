"""A plan table with its header only (session 34, fixer FK, item 4).

Before: ``delineate … --plan plan.csv --lock U001`` with a plan of a header and no rows said LOCK-UNKNOWN with an
empty list of the plan's units ("方案中的院落如 "), and check read it as a plan leaving every household unassigned.
Now a plan with no rows (or blank rows only) is IO-NOROWS naming the plan file, before anything is locked or checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.plan import read_plan_table
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}


@pytest.mark.parametrize("body", ["hid,unit_id\n", "户编号,院落\n,\n , \n"])
def test_a_plan_without_rows_is_io_norows(tmp_path: Path, body: str) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_plan_table(plan, pd.DataFrame(index=pd.Index(["H1"], name="hid")))
    assert exc.value.codes == ["IO-NOROWS"]
    assert exc.value.problems[0].file == "plan.csv"


def test_delineate_with_a_header_only_plan_and_a_lock(tmp_path: Path) -> None:
    hh = tmp_path / "hh.csv"
    rows = [f"H{i},{LON0 + 0.0005 * i:.6f},{LAT0:.6f}" for i in range(1, 13)]
    hh.write_text("hid,lon,lat\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plan = tmp_path / "plan_header.csv"
    plan.write_text("hid,unit_id\n", encoding="utf-8")
    out = tmp_path / "x.gpkg"
    for lang in ("zh", "en"):
        res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--preset", "changshou",
                                  "--plan", str(plan), "--lock", "U001", "-o", str(out)], env=ENV)
        assert res.exit_code == 2, res.output
        assert "IO-NOROWS" in res.output and "plan_header.csv" in res.output and "LOCK-UNKNOWN" not in res.output
        assert not out.exists()
