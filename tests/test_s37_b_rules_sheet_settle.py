"""The plan workbook's 规则 / Rules sheet says of the keep-settlements rule what the check's report says (session
37, helper B).

A household file without a settlement column: the delineation keeps the settlements it finds itself, which no
file records, and says that ``check`` of its result will call the rule not checked; the check's report then says
保持自然院落完整 未检查（农户表没有自然院落列）. The workbook's rules sheet (``delineate --xlsx``,
planners.tables.rules_table) still said 是 / yes. It now says the report's words; with a settlement column it
says yes, and a rule that is off says no, as before.

Session 42 (helper D): 未检查 is the check's word, not what the delineation did (it found the settlements and kept
them whole); the sheet now says that, and that the check will call the rule not checked (plan.rules.settle_found),
while the check's report keeps its 未检查."""

from __future__ import annotations

import html
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text

LON0, LAT0 = 106.55, 29.56


def _households(tmp: Path, settle: bool) -> Path:
    """24 households in three rows of 8, with candidate heads, and a settlement column (三家院, 李家湾) or none."""
    lines = ["户编号,经度,纬度,人口,行政村,村民小组,院落长候选人" + (",自然院落" if settle else "")]
    for i in range(24):
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * (i % 8):.6f},{LAT0 + 0.0003 * (i // 8):.6f},3,新华村,一组,"
                     + ("是" if i % 4 == 0 else "") + ("," + ("三家院" if i % 8 < 4 else "李家湾") if settle else ""))
    p = tmp / f"hh_{settle}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _rules_sheet(xlsx: Path, lang: str) -> dict[str, str]:
    ws = openpyxl.load_workbook(xlsx)[text("plan.rules_sheet", lang)]
    return {str(r[1]): str(r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}


def _delineate(tmp: Path, settle: bool, lang: str, *more: str) -> tuple[Path, dict[str, str]]:
    gpkg, xlsx = tmp / "u.gpkg", tmp / "p.xlsx"
    run_cli(["delineate", str(_households(tmp, settle)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
             "-o", str(gpkg), "--xlsx", str(xlsx), *more], lang)
    return gpkg, _rules_sheet(xlsx, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_settlement_column_the_sheet_says_what_was_done_and_the_report_not_checked(tmp_path: Path,
                                                                                             lang: str) -> None:
    gpkg, sheet = _delineate(tmp_path, False, lang)
    words = text("report.not_checked", lang, why=text("report.no_settle_col", lang))
    assert sheet[text("plan.rules.keep_settlements", lang)] == text("plan.rules.settle_found", lang)
    assert sheet[text("plan.rules.require_head", lang)] == text("report.yes", lang)  # its candidates are there
    report = tmp_path / "r.html"
    run_cli(["check", str(gpkg), "--report", str(report)], lang)
    row = f"<dt>{html.escape(text('report.settle', lang))}</dt><dd>{html.escape(words)}</dd>"
    assert row in report.read_text(encoding="utf-8")  # the report's rules list, in the same words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_a_settlement_column_the_sheet_says_yes(tmp_path: Path, lang: str) -> None:
    _, sheet = _delineate(tmp_path, True, lang)
    assert sheet[text("plan.rules.keep_settlements", lang)] == text("report.yes", lang)


def test_a_rule_that_is_off_says_no_with_or_without_the_column(tmp_path: Path) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 4\nmax_size = 8\nkeep_settlements = false\n", encoding="utf-8")
    _, sheet = _delineate(tmp_path, False, "zh", "--rules", str(rules))
    assert sheet[text("plan.rules.keep_settlements", "zh")] == text("report.no", "zh")
