"""``yuanluo -q delineate …`` said "CLI-USAGE：没有选项 -q" while ``--lang`` works before the command: -q and -v
now work there too, for every command (a sub-command of ``maturity`` too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import two_town_result
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _hh(tmp_path: Path) -> Path:
    lines = ["户编号,经度,纬度,人口"] + [f"{i + 1:03d},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3"
                                       for i in range(24)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hh


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quiet_before_the_command(tmp_path: Path, lang: str) -> None:
    runner = CliRunner()
    hh = _hh(tmp_path)
    after = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max",
                                "8", "-o", str(tmp_path / "a.gpkg"), "-q"], env={"COLUMNS": "400"})
    before = runner.invoke(app, ["-q", "--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "4",
                                 "--max", "8", "-o", str(tmp_path / "b.gpkg")], env={"COLUMNS": "400"})
    assert after.exit_code == before.exit_code == 0, before.output
    assert before.output == after.output.replace("a.gpkg", "b.gpkg")


def test_quiet_before_a_maturity_command(tmp_path: Path) -> None:
    """-q before ``maturity template`` reaches the sub-command, which takes it: the same output as after it."""
    result = two_town_result(tmp_path)
    runner = CliRunner()
    after = runner.invoke(app, ["--lang", "en", "maturity", "template", str(result), "-o", str(tmp_path / "a.xlsx"),
                                "-q"], env={"COLUMNS": "400"})
    before = runner.invoke(app, ["-q", "--lang", "en", "maturity", "template", str(result), "-o",
                                 str(tmp_path / "b.xlsx")], env={"COLUMNS": "400"})
    assert after.exit_code == before.exit_code == 0, before.output
    assert before.output == after.output.replace("a.xlsx", "b.xlsx")
