"""``validate --rules`` under ``require_head`` says the groups with fewer candidate heads than the units they need
(RULE-HEAD-GROUPS), before any work.

A planner who added a 党员 column and left it blank (or whose export lost its values) ran ``validate`` with the
rule file: "no errors", nothing about heads; ``delineate`` then made every one of its 17 units an exception,
HEAD-SHORT (the hostile village of session 56, its candidates blanked: /tmp/s60/A/findings.md). ``validate``
already said the groups no split within the band fits (RULE-SIZE-GROUPS); it now says, as a warning in the same
place, the nesting groups whose candidates are fewer than their size over the ceiling, rounded up."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _validate(tmp: Path, heads: list[str] | None, rules: str = "", *extra: str, lang: str = "zh") -> str:
    """validate of 12 households of one group (一组) under a 4-6 band: at least 2 units, so 2 candidates needed."""
    rows = good_rows(12)
    lines = ([HEADER, *rows] if heads is None
             else [f"{HEADER},党员", *(f"{r},{v}" for r, v in zip(rows, heads, strict=True))])
    p = write_csv(tmp, "农户.csv", lines)
    args = ["validate", str(p), "--crs", "EPSG:4490", *extra, "--lang", lang]
    if rules:
        r = tmp / "规则.toml"
        r.write_text(f"[rules]\nmin_size = 4\nmax_size = 6\nnest_by = [\"村民小组\"]\n{rules}\n", encoding="utf-8")
        args += ["--rules", str(r)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


def test_a_blank_candidate_column_is_said_before_the_work(tmp_path: Path) -> None:
    out = _validate(tmp_path, [""] * 12, "require_head = true")
    assert "RULE-HEAD-GROUPS" in out, out
    assert "一组（12 户，至少 2 个院落，院落长候选人 0 名）" in out and "HEAD-SHORT" in out, out
    assert "规则文件" in out and "空白按“不是”计" in out, out
    out = _validate(tmp_path, [""] * 12, "require_head = true", lang="en")
    assert "RULE-HEAD-GROUPS" in out and "一组 (12 households, at least 2 units, 0 candidates)" in out, out
    assert "a blank cell counting as no" in out, out


def test_one_candidate_for_two_units_is_said_and_the_options_name_their_source(tmp_path: Path) -> None:
    out = _validate(tmp_path, ["是"] + ["否"] * 11, "", "--min", "4", "--max", "6", lang="en")
    assert "RULE-HEAD-GROUPS" in out and "the rules given (--min 4 --max 6)" in out, out
    assert "(12 households, at least 2 units, 1 candidate)" in out and "(--rules)" in out, out


@pytest.mark.parametrize(("heads", "rules"), [(["是", "✓"] + ["否"] * 10, "require_head = true"),
                                              ([""] * 12, "require_head = false")])
def test_enough_candidates_or_no_head_rule_says_nothing(tmp_path: Path, heads: list[str], rules: str) -> None:
    assert "RULE-HEAD-GROUPS" not in _validate(tmp_path, heads, rules)


def test_no_candidate_column_is_the_rule_unapplied_not_this(tmp_path: Path) -> None:
    out = _validate(tmp_path, None, "require_head = true")
    assert "RULE-UNAPPLIED" in out and "RULE-HEAD-GROUPS" not in out, out
