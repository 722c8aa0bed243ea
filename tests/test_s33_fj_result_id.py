"""A result delineated with --id-col X from a file that also has a 户编号 column is read by check, edit, cover and
repair with its own hid column as the id (as the map reads it), not stopped by COL-AMBIG (audit s33 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("colambig")
    rows = ["persons,户编号,经度,纬度,code"]
    for i in range(30):
        lon, lat = 107.74 + (i % 6) * 0.0006, 29.798 + (i // 6) * 0.0006
        rows.append(f"{1 + i % 4},H{i:03d},{lon:.6f},{lat:.6f},C{i:04d}")
    (d / "code.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = d / "code_r.gpkg"
    res = runner.invoke(app, ["delineate", str(d / "code.csv"), "--crs", "EPSG:4490", "--min", "5", "--max", "10",
                              "--id-col", "code", "-o", str(out), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize("cmd", [
    ["check", "{r}"],
    ["edit", "{r}", "-o", "{d}/e.html"],
    ["cover", "{r}", "-o", "{d}/cv.gpkg"],
    ["repair", "{r}", "-o", "{d}/rp.csv"],
])
def test_result_hid_wins_over_a_kept_id_column(result: Path, cmd: list[str]) -> None:
    args = [a.format(r=result, d=result.parent) for a in cmd]
    res = runner.invoke(app, args, env=ENV)
    assert "COL-AMBIG" not in res.output
    assert res.exit_code == 0, res.output
