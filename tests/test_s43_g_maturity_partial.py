"""Session 43, helper G: a category scored on some of its indicators is said, not shown as 未评 in silence.

A category's maturity needs its three indicators scored (``min_indicators`` 3). A sheet of 33 units with about one
score cell in ten left blank (the demo's units, 2026Q2) loaded with '33 个院落中 33 个有分数，528 个分数已读入' and no
other word, while the report showed 59 categories with two of their three scores as 未评, as if nobody had assessed
them. ``maturity load`` now says MAT-PARTIAL (a warning: the sheet is read as before), with how many categories on
how many rows and the blank cells.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.maturity import read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

FIRST_SCORE_COL = 9  # column I of the template: 政策宣讲-开展内容; L–N 协商议事


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A result and its template filled with 7s in 2026Q1, but U-row 2's 政策宣讲-实际效果 (J2) and row 3's
    协商议事 satisfaction (N3) blank, and row 4's 矛盾调处 (O4:Q4) all blank (not assessed: no warning)."""
    d = tmp_path_factory.mktemp("partial")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    wb = openpyxl.load_workbook(d / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
    ws["J2"] = None
    ws["N3"] = None
    for c in ("O4", "P4", "Q4"):
        ws[c] = None
    wb.save(d / "filled.xlsx")
    return d / "result.gpkg", d / "filled.xlsx"


def test_the_partly_scored_categories_are_named_by_their_blank_cells(sheet):
    _, filled = sheet
    warned = [w for w in read_scores(filled).attrs["warnings"] if w.code == "MAT-PARTIAL"]
    assert len(warned) == 1
    w = warned[0]
    assert w.rows == (2, 3) and w.params["categories"] == 2 and w.params["units"] == 2
    assert w.params["cells"]["zh"] == "J2、N3" and w.params["cells"]["en"] == "J2, N3"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_maturity_load_says_it(sheet, tmp_path, lang):
    result, filled = sheet
    said = run_cli(["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "m.gpkg")], lang=lang)
    words = {"zh": "评分表 filled.xlsx 的工作表“评分表”中有 2 行共 2 个类别只评了部分指标，其余指标空着：J2、N3。"
                   "每类须三项指标都有分数才计算成熟度，这些类别按未评计。",
             "en": "The score sheet filled.xlsx (sheet '评分表') has 2 categories on 2 rows scored on only some of "
                   "the indicators, the others blank: J2, N3. A category's maturity needs all three of its "
                   "indicators scored, so these count as not rated."}
    assert "MAT-PARTIAL" in said and words[lang] in said
    assert (tmp_path / "m.gpkg").exists()  # a warning: the sheet is read and the result written


def test_a_sheet_scored_whole_or_not_at_all_says_nothing(sheet, tmp_path):
    _, filled = sheet
    wb = openpyxl.load_workbook(filled)
    ws = wb.worksheets[0]
    ws["J2"], ws["N3"] = 7, 7
    wb.save(tmp_path / "whole.xlsx")
    assert not [w for w in read_scores(tmp_path / "whole.xlsx").attrs["warnings"] if w.code == "MAT-PARTIAL"]
