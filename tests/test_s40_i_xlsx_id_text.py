"""Audit s40 G §3: the xlsx plan's 户编号 cells were text but formatted General, so an id retyped in Excel (000005)
lost its leading zeros. The id columns (户编号, 院落编号, 议事点, the heads' ids; repair's plan and moves) are now
formatted as text ('@'); other columns stay General. Checked with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from yuanluo.maps.sample import sample_layers
from yuanluo.planners.tables import moves_table, plan_csv_table, plan_xlsx, tables_xlsx


def _formats(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, set[str]]:
    heads = [c.value for c in ws[1]]
    return {str(h): {ws.cell(row=r, column=j).number_format for r in range(2, ws.max_row + 1)}
            for j, h in enumerate(heads, start=1)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_id_columns_are_text(lang: str) -> None:
    lyr = sample_layers(40, block=5)
    lyr["households"] = lyr["households"].reset_index()
    wb = openpyxl.load_workbook(io.BytesIO(plan_xlsx(lyr, lang)))  # type: ignore[arg-type]
    plan, units = _formats(wb.worksheets[0]), _formats(wb.worksheets[1])
    hid, unit, meet, n = (("户编号", "院落编号", "议事点", "院落户数") if lang == "zh"
                          else ("Household ID", "Unit ID", "Meeting point", "Households"))
    assert plan[hid] == {"@"} and plan[unit] == {"@"} and plan[meet] == {"@"}, plan
    assert plan[n] == {"General"}, plan  # a count stays a number
    assert units[unit] == {"@"}, units
    assert {"@"} in [units[h] for h in units if "（户编号）" in h or "(household" in h], units


def test_repair_plan_and_moves_id_columns_are_text() -> None:
    t = plan_csv_table(pd.DataFrame({"hid": ["000005", "000006"], "unit_id": ["U1", "U2"]}))
    m = moves_table(pd.DataFrame({"hid": ["000005"], "from_unit": ["U1"], "to_unit": ["U2"], "reason": ["size-low"]}))
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"院落方案": t, "调整清单": m}, "zh")))
    plan, moves = _formats(wb.worksheets[0]), _formats(wb.worksheets[1])
    assert plan["户编号"] == plan["院落编号"] == {"@"} and plan["序号"] == {"General"}, plan
    assert moves["户编号"] == moves["原院落"] == moves["新院落"] == {"@"} and moves["原因"] == {"General"}, moves
    assert wb.worksheets[0]["B2"].value == "000005"
