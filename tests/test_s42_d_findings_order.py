"""'check --csv' and its .xlsx list the findings in the console's order (session 42, helper D): 53cc166 put the
errors first, but within a severity the tables kept the check's order (rule by rule), while the console orders by
unit, then code. Both now take one key (planners.tables.ordered_findings)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli


def _files(tmp: Path) -> tuple[Path, Path]:
    """12 households in a row, H00–H05 of 一组 and the rest of 二组; the plan: U1 = H00, H01 (too small), U2 the
    rest (too large, across both groups)."""
    rows = ["户编号,经度,纬度,村民小组"]
    rows += [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{'一组' if i < 6 else '二组'}" for i in range(12)]
    (tmp / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp / "plan.csv").write_text("户编号,院落编号\n" + "".join(f"H{i:02d},{'U1' if i < 2 else 'U2'}\n"
                                                           for i in range(12)), encoding="utf-8")
    return tmp / "hh.csv", tmp / "plan.csv"


def _console(out: str) -> list[tuple[str, str]]:
    """(code, unit) of each row of the console's findings table."""
    return re.findall(r"│ ([A-Z][A-Z-]+) +│ (U\d) +│", out)


@pytest.mark.parametrize(("lang", "suffix"), [("zh", ".csv"), ("en", ".csv"), ("zh", ".xlsx")])
def test_the_tables_list_the_findings_as_the_console(tmp_path: Path, lang: str, suffix: str) -> None:
    hh, plan = _files(tmp_path)
    found = tmp_path / f"k{suffix}"
    out = run_cli(["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3",
                   "--max", "8", "--csv", str(found)], lang, code=1)
    console = _console(out)
    assert console == [("SIZE-LOW", "U1"), ("PLAN-CROSS-GROUP", "U2"), ("SIZE-HIGH", "U2")], out
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(found.read_text(encoding="utf-8-sig"))))[1:]
        listed = [(r[0], r[1]) for r in rows]
    else:
        ws = openpyxl.load_workbook(found).worksheets[0]
        listed = [(str(r[1]), str(r[2])) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert listed[:3] == console, listed  # the old tables: the check's order, rule by rule
    assert [r[0] for r in listed[3:]] == ["RULE-UNAPPLIED"] * 3, listed  # warnings after (village, settlement, head)
