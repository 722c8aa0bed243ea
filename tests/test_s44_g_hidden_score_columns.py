"""Session 44, helper G: score columns hidden in Excel are read all the same, and now said.

A clerk hides a category's three columns (协商议事, L:N) for a period it was not assessed in; last period's scores stay
in them. 'yuanluo maturity load result.gpkg hidden_cols.xlsx -o m.gpkg' read them as this period's scores without a
word (the clerk sees no such column). Now the warning MAT-HIDDEN-COLUMNS names them; the sheet is read as before.
The template itself hides nothing, so a filled template says nothing.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.maturity import read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("hidden_cols")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    wb = openpyxl.load_workbook(d / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = "2026Q1"
        for c in range(9, 27):
            ws.cell(r, c).value = 7
    wb.save(d / "plain.xlsx")
    for c in ("L", "M", "N"):
        ws.column_dimensions[c].hidden = True
    ws.column_dimensions["B"].hidden = True  # 院落名称: no score, not said
    wb.save(d / "hidden.xlsx")
    return d / "result.gpkg", d / "plain.xlsx", d / "hidden.xlsx"


def test_hidden_score_columns_are_named(made):
    t = read_scores(made[2])
    assert int(t["score"].notna().sum()) == 9 * 18  # read as before
    w = [w for w in t.attrs["warnings"] if w.code == "MAT-HIDDEN-COLUMNS"]
    assert len(w) == 1 and w[0].params["n"] == 3
    assert w[0].params["columns"]["zh"] == "L 协商议事-开展内容、M 协商议事-实际效果、N 协商议事-群众满意度"


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "MAT-HIDDEN-COLUMNS：评分表 hidden.xlsx 的工作表“评分表”中有 3 个隐藏的分数列，其中的分数照样读入"),
    ("en", "MAT-HIDDEN-COLUMNS: the score sheet hidden.xlsx (sheet '评分表') has 3 hidden score columns, whose scores "
           "are read all the same"),
])
def test_maturity_load_says_it(made, tmp_path, lang, words):
    out = run_cli(["maturity", "load", str(made[0]), str(made[2]), "-o", str(tmp_path / "m.gpkg"), "-v"], lang=lang)
    assert "MAT-HIDDEN-COLUMNS" in out
    from yuanluo.gis.maturity import read_scores as rs

    w = next(w for w in rs(made[2]).attrs["warnings"] if w.code == "MAT-HIDDEN-COLUMNS")
    assert words in w.message(lang)


def test_a_filled_template_says_nothing(made):
    assert not [w for w in read_scores(made[1]).attrs["warnings"] if w.code == "MAT-HIDDEN-COLUMNS"]
