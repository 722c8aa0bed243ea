"""A maturity sheet whose town cell (乡镇, filled by the program where the result's units have a town) differed
from the unit's town was read as that unit's scores: a unit id is the plan's, one unit in one town, so another town
in its row is a sheet for another plan or a slip, said as a differing village cell is, MAT-UNIT-MISMATCH (session
36, fixer GD). Without a town in the units nothing changes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from shared_fixtures import run_cli as _run
from shared_fixtures import two_town_result

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_town_result(tmp_path_factory.mktemp("gd_town"))


# ------------------------------------------------------------------------ 2. a town cell the unit does not have
def _filled_template(result: Path, tmp: Path, lang: str = "zh") -> tuple[Path, openpyxl.Workbook, list[object]]:
    sheet = tmp / f"t_{lang}.xlsx"
    _run(["maturity", "template", str(result), "-o", str(sheet)], lang)
    wb = openpyxl.load_workbook(sheet)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    first = next(j for j, h in enumerate(head) if str(h).count("-") == 1) + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, head.index("评估期" if lang == "zh" else "Period") + 1, "2026Q1")
        for c in range(first, first + 18):
            ws.cell(r, c, 7)
    return sheet, wb, head


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_town_cell_that_is_not_the_units_town_is_a_mismatch(result: Path, tmp_path: Path, lang: str) -> None:
    sheet, wb, head = _filled_template(result, tmp_path, lang)
    ws = wb.worksheets[0]
    t = head.index("乡镇" if lang == "zh" else "Town") + 1
    assert ws.cell(2, t).value == "甲镇"  # the template's first unit is 甲镇's
    ws.cell(2, t, "乙镇")  # typed over, or the sheet of another plan: the unit id U001 is in 甲镇
    filled = tmp_path / f"filled_{lang}.xlsx"
    wb.save(filled)
    out = _run(["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "m.gpkg")], lang, code=2)
    assert "MAT-UNIT-MISMATCH" in out
    cell = f"{openpyxl.utils.get_column_letter(t)}2"
    if lang == "zh":
        assert f"{cell} 乡镇=乙镇（结果为 甲镇）" in out and "（乡镇、村、组、户数）" in out
        assert "清空这些行的 乡镇、村、组、户数 四列后再读入" in out
    else:
        assert f"{cell} Town=乙镇 (the result has 甲镇)" in out
        assert "clear the Town, Village, Group and Households cells of those rows" in out
    assert not (tmp_path / "m.gpkg").exists()


def test_the_town_is_compared_only_where_the_units_have_one(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("院落编号,乡镇,村,评估期,政策宣讲-开展内容\nU1,乙镇,新华村,2026Q1,7\n", encoding="utf-8")
    units = pd.DataFrame({"unit_id": ["U1"], "village": ["胜利村"], "group": ["一组"], "n_households": [5]})
    with pytest.raises(InputError) as e:  # no town in the units: the village differs, the town is not compared
        read_scores(p, units)
    [prob] = [q for q in e.value.problems if q.code == "MAT-UNIT-MISMATCH"]
    msg = prob.message("zh")
    assert "乡镇=" not in msg and "（村、组、户数）" in msg and "清空这些行的 村、组、户数 三列后再读入" in msg
    assert "clear the Village, Group and Households cells of those rows" in prob.message("en")
    same = units.assign(village="新华村", town="乙镇")
    assert len(read_scores(p, same)) == 18  # the town it has: read


