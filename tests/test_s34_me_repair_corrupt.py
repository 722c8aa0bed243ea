"""A truncated file given to ``repair`` with no rules is IO-CORRUPT, as ``check``, ``edit`` and ``delineate`` say
(tests/test_s34_fj_corrupt_before_rules.py), not RULE-NONE."""

from __future__ import annotations

from pathlib import Path

from test_s34_fj_corrupt_before_rules import ENV, _truncated
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def test_repair_of_a_truncated_file_is_corrupt_not_rule_none(tmp_path: Path) -> None:
    cut = _truncated(tmp_path)
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\nH0,U1\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["repair", str(cut), "--plan", str(plan), "-o", str(tmp_path / "fixed.csv"),
                                   "--lang", "en"], env=ENV)
    assert res.exit_code == 2, res.output
    assert "IO-CORRUPT" in res.output and "RULE-NONE" not in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "res_trunc.gpkg", "whole.gpkg"]
