"""Session 36 (helper GL): ``yuanluo repair`` of a plan that already passes said "修复后通过：调整 0 户。" /
"Repaired: 0 households moved.", as if it had mended something. It now says the plan already passes and nothing was
moved (cli.repair.already). A plan repaired with one move still says "Repaired: 1 household moved." (a control:
the catalogue's english_one gives the singular)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}


def _files(tmp_path: Path, plan: list[str]) -> tuple[Path, Path]:
    """Ten households about 50 m apart along a street in two villager groups' worth of units."""
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度,人口\n" + "".join(f"H{k:02d},{1.5 + 0.0006 * k:.6f},42.5,3\n" for k in range(10)),
                  encoding="utf-8")
    p = tmp_path / "plan.csv"
    p.write_text("户编号,院落编号\n" + "".join(f"H{k:02d},{u}\n" for k, u in enumerate(plan)), encoding="utf-8")
    return hh, p


RULES = ["--crs", "EPSG:4326", "--min", "4", "--max", "6"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_that_passes_is_said_to_pass_already(tmp_path: Path, lang: str) -> None:
    hh, plan = _files(tmp_path, ["U1"] * 5 + ["U2"] * 5)
    r = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), *RULES, "--plan", str(plan), "-o",
                                 str(tmp_path / "fix.csv")], env=ENV)
    assert r.exit_code == 0, r.output
    assert text("cli.repair.already", lang) in r.output
    assert ("调整 0 户" if lang == "zh" else "0 households moved") not in r.output
    assert ("修复后通过" if lang == "zh" else "Repaired") not in r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_household_moved(tmp_path: Path, lang: str) -> None:
    """H04 typed into U2 and H05 into U1, each cut off from its unit: one move mends both (H04 into U1, 6|4):
    "Repaired: 1 household moved.", not that the plan already passed (a control: passes on the old code too)."""
    hh, plan = _files(tmp_path, ["U1"] * 4 + ["U2"] + ["U1"] + ["U2"] * 4)
    r = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), *RULES, "--plan", str(plan), "-o",
                                 str(tmp_path / "fix.csv")], env=ENV)
    assert r.exit_code == 0, r.output
    assert text("cli.repair.already", lang) not in r.output
    if lang == "en":
        assert "Repaired: 1 household moved." in r.output and "1 households" not in r.output
    else:
        assert "修复后通过：调整 1 户。" in r.output
