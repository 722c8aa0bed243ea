"""Rows past the first five are counted as rows (session 56, helper U, round 2): XLSX-MERGED on a roster whose 村
column is one merged cell said "（第 4、5、6、7、8 行等，共 399 个）", 个 for rows; now "共 399 行" wherever the examples
are rows alone (ids keep "等，共 n 个"), in Python and in the editor's 载入方案 (its twin ``withMore``), which says a
plan's findings in the check's own sentence.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from browser import browser_unavailable_reason
from editor_fixtures import plan_load_note, synth_case

from yuanluo.gis.errors import problem
from yuanluo.gis.io import read_households
from yuanluo.gis.plan import read_plan_table


def test_merged_rows_are_counted_as_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["户编号", "村", "组", "经度", "纬度"])
    for i in range(12):
        ws.append([f"H{i:03d}", "新华村" if i == 0 else None, "一组", 106.55 + i * 1e-4, 29.56 + i * 1e-4])
    ws.merge_cells("B2:B13")
    wb.save(tmp_path / "花名册.xlsx")
    _, report = read_households(tmp_path / "花名册.xlsx", crs="EPSG:4490")
    merged = [p for p in report.warnings if p.code == "XLSX-MERGED"]
    assert merged and "（第 3、4、5、6、7 行等，共 11 行）" in merged[0].title("zh"), merged[0].title("zh")
    assert "个" not in merged[0].title("zh").split("共")[-1]
    assert "(rows 3, 4, 5, 6, 7 and more, 11 in all)" in merged[0].title("en")


def test_ids_keep_their_count_word() -> None:
    p = problem("PLAN-DUP-ROW", file="p.csv", ids=[f"H{i}" for i in range(7)], rows=list(range(2, 9)))
    assert p.examples("zh").endswith("等，共 7 个")
    rows_only = problem("PLAN-BLANK-ID", file="p.csv", rows=list(range(2, 9)))
    assert rows_only.examples("zh") == "第 2、3、4、5、6 行等，共 7 行"




@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_the_editor_counts_blank_rows_as_the_check_does(tmp_path: Path) -> None:
    case = synth_case()
    lab = case.labels.dropna().astype(str)
    rows = [["户编号", "院落编号"]] + [[h, u] for h, u in lab.items()] + [["", "U001"]] * 7
    plan = tmp_path / "plan.csv"
    plan.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8-sig")
    _, probs = read_plan_table(plan, case.households)
    blank = [q for q in probs if q.code == "PLAN-BLANK-ID"]
    assert blank and blank[0].examples("zh").endswith("行等，共 7 行"), [q.code for q in probs]
    note = plan_load_note(tmp_path, case, plan, "zh")
    assert blank[0].title("zh") in note and "行等，共 7 行" in note, (note, blank[0].title("zh"))
