"""``repair`` with ``nest_by`` written as the file's own header (村民小组, which the reader makes ``group``) mends a
household typed into another group's unit, as with ``nest_by = ["group"]`` (its grouping used the name as
written: no column, no nesting, a repaired plan its own check refused)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import two_group_row
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize("nest", ['["村民小组"]', '["group"]'])
def test_repair_nests_by_the_files_own_header(tmp_path: Path, nest: str) -> None:
    hh = two_group_row(tmp_path)
    rules = tmp_path / "r.toml"
    rules.write_text(f"[rules]\nmin_size = 5\nmax_size = 7\nnest_by = {nest}\n", encoding="utf-8")
    base = [str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--lang", "en"]
    out = tmp_path / "fixed.csv"
    res = runner.invoke(app, ["repair", *base, "--unit-col", "方案", "-o", str(out), "--moves",
                              str(tmp_path / "m.csv")], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    moves = pd.read_csv(tmp_path / "m.csv", dtype=str, encoding="utf-8-sig")
    assert moves.iloc[:, :3].values.tolist() == [["H06", "A", "B"]]
    chk = runner.invoke(app, ["check", *base, "--plan", str(out)], env={"COLUMNS": "400"})
    assert chk.exit_code == 0, chk.output
