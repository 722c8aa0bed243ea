"""RULE-HEAD-GROUPS without nesting (``nest_by = []``) says the household file's households plainly.

With no nesting column the households are one group, and the warning said "in 1 of the groups it nests by … all
the households (…)" / "按它的嵌套分组，其中 1 个组…：全部农户（…）": true, but it speaks of groups the rules do not
make (session 60, helper A, finding K). It now says the file's households need so many units and have so many
candidates, in both languages, with the rule file or with the options as the rules' source."""

from __future__ import annotations

from pathlib import Path

from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _validate(tmp: Path, heads: list[str], *extra: str, lang: str) -> str:
    rows = good_rows(12)
    p = write_csv(tmp, "农户.csv", [f"{HEADER},党员", *(f"{r},{v}" for r, v in zip(rows, heads, strict=True))])
    args = ["validate", str(p), "--crs", "EPSG:4490", *extra, "--lang", lang]
    r = tmp / "规则.toml"
    r.write_text("[rules]\nmin_size = 4\nmax_size = 6\nnest_by = []\nrequire_head = true\n", encoding="utf-8")
    args += ["--rules", str(r)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_no_nesting_says_the_files_households_zh(tmp_path: Path) -> None:
    out = _validate(tmp_path, [""] * 12, lang="zh")
    assert "RULE-HEAD-GROUPS" in out, out
    assert "农户表的 12 户至少要划 2 个院落，院落长候选人却只有 0 名" in out, out
    assert "嵌套分组" not in out and "全部农户" not in out and "在这些组里" not in out, out


def test_no_nesting_says_the_files_households_en(tmp_path: Path) -> None:
    out = _validate(tmp_path, ["是"] + ["否"] * 11, lang="en")
    assert "the household file's 12 households need at least 2 units but have 1 candidate;" in out, out
    assert "groups it nests by" not in out and "all the households" not in out and "in these groups" not in out
    assert "write require_head = false in the rule file" in out, out


def test_no_nesting_with_options_names_them(tmp_path: Path) -> None:
    out = _validate(tmp_path, [""] * 12, "--max", "6", lang="en")
    assert "the rules given (" in out and "--max 6)" in out, out
    assert "the household file's 12 households need at least 2 units but have 0 candidates" in out, out
    assert "give a rule file (--rules) with require_head = false" in out, out
