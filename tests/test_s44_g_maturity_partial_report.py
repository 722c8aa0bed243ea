"""Session 44, helper G: the maturity report says where a category was scored in part, not only the console.

A category with one or two of its three indicators blank counts as not rated. Session 43 said so on the console
(MAT-PARTIAL); the report of the same load ('yuanluo maturity load result.gpkg partial.xlsx -o p.gpkg --report
p.html') still showed a bare 未评 in that category's cell, as if nobody had assessed it. The report now says it
under its title (how many categories of how many units) and in the card: '未评（评了 1/3 项）' / 'not rated (1 of 3
scored)'; a unit with nothing rated but a category scored in part says it under its 未评.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

FIRST_SCORE_COL = 9  # column I: 政策宣讲-开展内容; L–N 协商议事


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """U001: 政策宣讲-实际效果 (J2) blank; U002: 协商议事 effect and satisfaction (M3, N3) blank, content scored;
    U003: 矛盾调处 all blank (not assessed); U004: only 政策宣讲-开展内容 scored (I5). Also the sheet scored whole."""
    d = tmp_path_factory.mktemp("partial_report")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    wb = openpyxl.load_workbook(d / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = "2026Q1"
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c).value = 7
    wb.save(d / "whole.xlsx")
    for cell in ("J2", "M3", "N3", "O4", "P4", "Q4"):
        ws[cell].value = None
    for c in range(FIRST_SCORE_COL + 1, FIRST_SCORE_COL + 18):
        ws.cell(5, c).value = None
    wb.save(d / "partial.xlsx")
    return d / "result.gpkg", d / "partial.xlsx", d / "whole.xlsx"


def _card(page: str, unit: str) -> str:
    m = re.search(rf'<div class="yl-unit keep"><h3 id="u\d+">{unit}</h3>(.*?)</div></div>', page, re.S)
    assert m, unit
    return m.group(1)


@pytest.mark.parametrize(("lang", "note", "two", "one", "none", "line"), [
    ("zh", "3 个院落共 3 个类别只评了部分指标", "协商议事</td><td><span class=\"partial\">未评（评了 1/3 项）",
     "政策宣讲</td><td><span class=\"partial\">未评（评了 2/3 项）", "矛盾调处</td><td>未评</td>",
     "<b>未评</b><br><span class=\"partial\">只评了部分指标，按未评计：政策宣讲 1/3 项</span>"),
    ("en", "In 3 units, 3 categories were scored on some of their indicators only",
     "Consultation</td><td><span class=\"partial\">not rated (1 of 3 scored)",
     "Policy publicity</td><td><span class=\"partial\">not rated (2 of 3 scored)",
     "Dispute mediation</td><td>not rated</td>",
     "<b>not rated</b><br><span class=\"partial\">scored on some indicators only, so not rated: Policy publicity 1 of 3"),
])
def test_the_report_says_the_categories_scored_in_part(made, tmp_path, lang, note, two, one, none, line):
    result, partial, _ = made
    run_cli(["maturity", "load", str(result), str(partial), "-o", str(tmp_path / "m.gpkg"), "--report",
             str(tmp_path / "r.html")], lang=lang)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert note in page and page.index(note) < page.index('id="villages"')  # under the title, before the cards
    assert one in _card(page, "U001")
    assert two in _card(page, "U002")
    assert none in _card(page, "U003") and "partial" not in _card(page, "U003")  # not assessed: a bare 未评
    assert line in _card(page, "U004")
    assert page.count('class="partial"') == 4


def test_a_sheet_scored_whole_says_nothing(made, tmp_path):
    result, _, whole = made
    run_cli(["maturity", "load", str(result), str(whole), "-o", str(tmp_path / "m.gpkg"), "--report",
             str(tmp_path / "r.html")])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'class="partial"' not in page and "只评了部分指标" not in page
