"""``check … --plan "x.xlsx::Plan"`` (no such sheet) listed the real sheets but its fix said to use a CSV in UTF-8 or
GBK, an Excel file or a layer; ``--plan "x.xlsx::院落汇总"`` (the summary sheet of our own --xlsx) gave PLAN-COLUMN
with a fix to rename columns (audit I). The fixes now name a sheet there is, the plan's."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import lonlat_households_csv, run_cli

FIXES = {
    ("zh", "Plan"): ("PLAN-FILE", "处理办法：在文件名后的 :: 之后写其中一张工作表的名字，如 “x.xlsx::院落方案”。"),
    ("en", "Plan"): ("PLAN-FILE", "Fix: after the :: following the file's name, write the name of one of its sheets, "
                                  "e.g. 'x.xlsx::院落方案'."),
    ("zh", "院落汇总"): ("PLAN-COLUMN", "处理办法：工作表“院落汇总”不是方案表；方案在“x.xlsx::院落方案”，改用它。"),
    ("en", "院落汇总"): ("PLAN-COLUMN", "Fix: the sheet '院落汇总' is no plan table; the plan is in 'x.xlsx::院落方案': "
                                    "give that instead."),
}


@pytest.mark.parametrize(("lang", "sheet"), list(FIXES))
def test_the_fix_names_the_sheet_holding_the_plan(tmp_path: Path, lang: str, sheet: str) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    wb = Workbook()
    ws = wb.active
    ws.title = "院落方案"
    ws.append(["户编号", "院落编号"])
    for i in range(24):
        ws.append([f"{i + 1:03d}", f"U{i // 8 + 1}"])
    summary = wb.create_sheet("院落汇总")
    summary.append(["院落编号", "户数"])
    summary.append(["U1", 8])
    wb.save(tmp_path / "x.xlsx")
    code, fix = FIXES[(lang, sheet)]
    here = Path.cwd()
    try:
        os.chdir(tmp_path)
        out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                       "--plan", f"x.xlsx::{sheet}"], lang, code=2)
    finally:
        os.chdir(here)
    text = " ".join(out.split())
    assert code in text and " ".join(fix.split()) in text, out
    assert "CSV" not in text and "--id-col" not in text, out


def test_python_says_the_same_sheet(tmp_path: Path) -> None:
    import pandas as pd

    from yuanluo.gis.errors import InputError
    from yuanluo.gis.plan import read_plan_table

    wb = Workbook()
    wb.active.title = "院落方案"
    wb.active.append(["户编号", "院落编号"])
    wb.active.append(["001", "U1"])
    wb.create_sheet("院落汇总").append(["院落编号", "户数"])
    wb.save(tmp_path / "x.xlsx")
    hh = pd.DataFrame(index=pd.Index(["001"], name="hid"))
    with pytest.raises(InputError) as err:
        read_plan_table(f"{tmp_path / 'x.xlsx'}::院落汇总", hh)
    assert "x.xlsx::院落方案" in err.value.problems[0].fix("en")
