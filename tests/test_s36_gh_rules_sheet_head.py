"""The plan workbook's 规则 / Rules sheet says of the candidate-head rule what the check's report says (session
36, fixer GH).

A delineation of a household file without a candidate-head column warns RULE-UNAPPLIED (the rule was not
applied) and ``check`` of its result reports the rule 未检查（农户表没有院落长候选人列）; the workbook's rules
sheet (``delineate --xlsx``, planners.tables.rules_table) still said 需有院落长候选人 是 / Candidate head required
yes. It now says the report's words; with a candidate column, as before."""

from __future__ import annotations

import html
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

LON0, LAT0 = 106.55, 29.56


def _households(tmp: Path, head: bool) -> Path:
    lines = ["户编号,经度,纬度,人口,行政村,村民小组" + (",院落长候选人" if head else "")]
    for i in range(24):
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * (i % 8):.6f},{LAT0 + 0.0003 * (i // 8):.6f},3,新华村,一组"
                     + ("," + ("是" if i % 4 == 0 else "") if head else ""))
    p = tmp / f"hh_{head}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str], lang: str) -> str:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert r.exit_code == 0, r.output
    return r.output


def _rules_sheet(xlsx: Path, lang: str) -> dict[str, str]:
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[text("plan.rules_sheet", lang)]
    return {str(r[1]): str(r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_candidate_column_the_sheet_says_not_checked_as_the_report(tmp_path: Path, lang: str) -> None:
    gpkg, xlsx, report = tmp_path / "u.gpkg", tmp_path / "p.xlsx", tmp_path / "r.html"
    said = _run(["delineate", str(_households(tmp_path, False)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                 "-o", str(gpkg), "--xlsx", str(xlsx)], lang)
    assert "RULE-UNAPPLIED" in said
    words = text("report.not_checked", lang, why=text("report.no_head_col", lang))
    sheet = _rules_sheet(xlsx, lang)
    assert sheet[text("plan.rules.require_head", lang)] == words  # the old sheet: 是 / yes
    _run(["check", str(gpkg), "--report", str(report)], lang)
    assert html.escape(words, quote=False) in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_a_candidate_column_the_sheet_says_yes(tmp_path: Path, lang: str) -> None:
    xlsx = tmp_path / "p.xlsx"
    said = _run(["delineate", str(_households(tmp_path, True)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                 "-o", str(tmp_path / "u.gpkg"), "--xlsx", str(xlsx)], lang)
    assert "RULE-UNAPPLIED" not in said
    assert _rules_sheet(xlsx, lang)[text("plan.rules.require_head", lang)] == text("report.yes", lang)
