"""Session 44, helper G: an uncomputed formula in a column ``maturity load`` does not read stops nothing.

A score sheet a script filled (openpyxl: formulas without computed values) with ``=D2&"院"`` in every 院落名称 cell
was refused with MAT-FORMULA ('9 个单元格是公式但没有计算结果 … B2 =D2&"院"、B3 …', exit 2), although the command
never reads 院落名称 (nor a note column, a title above the header, or a 合计 row's sums): nothing depends on those
values, so they are not said at all. A formula in a cell that is read (a score, the unit, the period) is still
MAT-FORMULA.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

FIRST_SCORE_COL = 9  # column I of the template: 政策宣讲-开展内容


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("formula")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    return d / "result.gpkg", d / "t.xlsx"


def _filled(template: Path, out: Path, *, name_formula: bool = True, score_formula: str | None = None,
            total_row: bool = False, unit_formula: bool = False) -> Path:
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    last = ws.max_row
    for r in range(2, last + 1):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
        if name_formula:
            ws.cell(r, 2, f'=D{r}&"院"')  # 院落名称, which maturity load does not read
    if score_formula:
        ws[score_formula] = "=I2+1"
    if unit_formula:
        ws["A3"] = '="U0"&"02"'
    if total_row:  # a 合计 row of averages under the units: skipped as a total (MAT-TOTAL-ROW)
        ws.cell(last + 1, 1, "合计")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            col = openpyxl.utils.get_column_letter(c)
            ws.cell(last + 1, c, f"=AVERAGE({col}2:{col}{last})")
    wb.save(out)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_formula_in_the_unit_name_column_stops_nothing(made, tmp_path, lang):
    result, template = made
    filled = _filled(template, tmp_path / "filled.xlsx")
    said = run_cli(["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "m.gpkg")], lang=lang)
    assert "MAT-FORMULA" not in said
    assert ("162 个分数已读入" if lang == "zh" else "162 scores") in said
    assert (tmp_path / "m.gpkg").exists()


def test_the_scores_are_read_whole(made, tmp_path):
    _, template = made
    t = read_scores(_filled(template, tmp_path / "f.xlsx", total_row=True))
    assert int(t["score"].notna().sum()) == 9 * 18 and set(t["score"].dropna()) == {7}
    assert [w.code for w in t.attrs["warnings"]] == ["MAT-TOTAL-ROW"]


@pytest.mark.parametrize(("where", "cell"), [({"score_formula": "J4"}, "J4 =I2+1"),
                                             ({"unit_formula": True}, 'A3 ="U0"&"02"')])
def test_a_formula_in_a_cell_that_is_read_is_still_refused(made, tmp_path, where, cell):
    result, template = made
    filled = _filled(template, tmp_path / "f.xlsx", **where)
    with pytest.raises(InputError) as info:
        read_scores(filled)
    assert info.value.codes == ["MAT-FORMULA"]
    p = info.value.problems[0]
    assert p.params["count"] == 1 and p.params["cells"]["zh"] == cell
    said = run_cli(["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "m.gpkg")], code=2)
    assert "MAT-FORMULA" in said and "院落名称" not in said and "=D2" not in said
