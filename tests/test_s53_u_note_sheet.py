"""The --xlsx plan's note sheet (说明: 序号, 说明) had both its columns frozen (C2): on a narrow window, in WPS on a
phone, its 50-character text column could not be scrolled (session 53, helper U). The last column is never frozen."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from yuanluo.planners.tables import tables_xlsx


def test_a_two_column_sheet_keeps_its_text_column_scrollable() -> None:
    book = tables_xlsx({"说明": pd.DataFrame({"说明": ["注：……", "按本表检查……"]}),
                        "规则": pd.DataFrame({"项目": ["规模"], "规定": ["20–50 户"]}),
                        "院落方案": pd.DataFrame({"户编号": ["H1"], "院落编号": ["U1"], "院落户数": [1]})}, "zh")
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert {ws.title: ws.freeze_panes for ws in wb.worksheets} == {"说明": "B2", "规则": "C2", "院落方案": "B2"}
