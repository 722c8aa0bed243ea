"""Session 41 (audit G item 6): the 规则 sheet of 'delineate --xlsx' claimed a rule that was not applied: on
Andorra it said 不得跨越 | 村、村民小组 with no such columns (the console said RULE-UNAPPLIED). It now says the
levels applied and names the others as not checked."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("lang", "said"), [("zh", "村民小组；村未检查（农户表没有这些列）"),
                                            ("en", "villager groups; villages not checked (the household file has no such columns)")])
def test_rules_sheet_names_the_nesting_not_applied(tmp_path: Path, lang: str, said: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    out = tmp_path / "out.gpkg"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "2", "--max", "4",
                              "-o", str(out), "--xlsx", str(tmp_path / "plan.xlsx")], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "RULE-UNAPPLIED" in res.output, res.output
    book = tmp_path / "plan.xlsx"
    ws = openpyxl.load_workbook(book).worksheets[-1]
    rows = {r[1]: r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["不得跨越" if lang == "zh" else "Must not straddle"] == said, rows
