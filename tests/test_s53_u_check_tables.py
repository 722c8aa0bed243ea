"""check --csv / --csv .xlsx of a plan checked without meeting points or a walking limit: the units table had the
columns 平均步行分钟 and 最远步行分钟 empty on every row, as if the walks were missing (session 53, helper U); no walk
was measured, so they are left out, as the --xlsx plan leaves out a column with nothing in it. Measured, they stay."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from badfiles import good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _check(tmp_path: Path, out: str, *extra: str) -> None:
    hh = write_csv(tmp_path, "农户.csv", ["户编号,经度,纬度,人口,村民小组", *good_rows(8)])
    plan = write_csv(tmp_path, "方案.csv", ["户编号,院落编号", *[f"{i + 1:03d},U{1 + i // 4}" for i in range(8)]])
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--csv",
                              str(tmp_path / out), "--overwrite", *extra])
    assert res.exit_code in (0, 1), res.output


def _units_header(tmp_path: Path, out: str) -> str:
    if out.endswith(".csv"):
        return (tmp_path / "检查_units.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    return ",".join(str(c.value) for c in openpyxl.load_workbook(tmp_path / out).worksheets[1][1])


@pytest.mark.parametrize("out", ["检查.csv", "检查.xlsx"])
def test_walk_columns_only_where_a_walk_was_measured(tmp_path: Path, out: str) -> None:
    _check(tmp_path, out, "--min", "3", "--max", "6")
    header = _units_header(tmp_path, out)
    assert header.startswith("院落编号,院落户数") and "步行" not in header, header
    rules = tmp_path / "规则.toml"  # under a walking limit every unit's walk is measured: the columns stay
    rules.write_text("[rules]\nmin_size = 3\nmax_size = 6\nmax_walk_min = 30\n", encoding="utf-8")
    _check(tmp_path, out, "--rules", str(rules))
    assert "平均步行分钟,最远步行分钟" in _units_header(tmp_path, out)
