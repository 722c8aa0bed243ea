"""Workbooks a planner opens in Excel (s26 audit): every sheet written by :mod:`yuanluo.planners.tables` prints
landscape A4, one page wide, its header row on every page; ``check`` writes its findings as a workbook too, whose
household ids keep their leading zeros."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from yuanluo.planners import tables as T
from yuanluo.planners.cli import app

runner = CliRunner()
IDS = [f"{51 + i:06d}" for i in range(6)]  # 000051 … 000056


def _households(tmp: Path) -> Path:
    p = tmp / "hh.csv"
    rows = [f"{h},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3,一组" for i, h in enumerate(IDS)]
    p.write_text("\n".join(["户编号,经度,纬度,人口,村民小组", *rows]) + "\n", encoding="utf-8")
    return p


def _plan(tmp: Path, units: list[str], ids: list[str] = IDS) -> Path:
    p = tmp / "plan.csv"
    p.write_text("\n".join(["户编号,院落编号", *(f"{h},{u}" for h, u in zip(ids, units, strict=True))]) + "\n",
                 encoding="utf-8")
    return p


def _assert_prints_on_a4_one_page_wide(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert ws.print_title_rows == "$1:$1", ws.title
    assert int(ws.page_setup.paperSize) == T.PAPER_A4, ws.title


def test_the_plan_workbook_prints_landscape_one_page_wide_with_its_header_on_every_page() -> None:
    """方案.xlsx had no print setup (orientation, fitToPage and print titles None): Excel printed a plan 150
    characters wide portrait across many pages, its header on the first only. Now both sheets print landscape
    A4, one page wide and as many tall as it takes, the header row repeated; the same plan still the same bytes."""
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(40, block=5)
    lyr["households"] = lyr["households"].reset_index()
    data = T.plan_xlsx(lyr)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert len(wb.worksheets) == 3  # the plan, the units and the note on the declared exceptions (its own sheet)
    for ws in wb.worksheets:
        _assert_prints_on_a4_one_page_wide(ws)
    assert T.plan_xlsx(lyr) == data


def test_repairs_plan_and_moves_workbooks_print_one_page_wide_with_their_header_on_every_page(tmp_path: Path) -> None:
    """repair's fixed_*.xlsx and moves_*.xlsx had no print setup either; now they print as the plan does."""
    hh, plan = _households(tmp_path), _plan(tmp_path, ["U1"] * 5 + ["U2"])
    fixed, moves = tmp_path / "fixed_zh.xlsx", tmp_path / "moves_zh.xlsx"
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "2", "--max",
                              "10", "-o", str(fixed), "--moves", str(moves)])
    assert res.exit_code == 0, res.output
    for path in (fixed, moves):
        for ws in openpyxl.load_workbook(path).worksheets:
            _assert_prints_on_a4_one_page_wide(ws)
    assert openpyxl.load_workbook(fixed).active["B2"].value == "000051"  # after 序号 (s32: QGIS reads the header)


def test_check_writes_its_findings_as_a_workbook_whose_household_ids_keep_their_leading_zeros(
        tmp_path: Path) -> None:
    """``check --csv`` wrote CSVs only, and Excel opened household 000051 as 51. ``--csv findings.xlsx`` (the
    format chosen by the extension, as repair's ``-o`` and ``--moves``) writes one workbook of the CSV pair's two
    tables, same headers, the ids text cells; in both languages."""
    import pandas as pd

    hh = _households(tmp_path)
    plan = _plan(tmp_path, ["U1"] * 6 + ["U2"], [*IDS, IDS[0]])  # 000051 given two units: PLAN-DUP-ASSIGN
    for lang, sheets in {"zh": ["问题清单", "院落汇总"], "en": ["Findings", "Units"]}.items():
        book, csv = tmp_path / f"findings_{lang}.xlsx", tmp_path / f"findings_{lang}.csv"
        for out in (book, csv):
            res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "2",
                                      "--max", "10", "--csv", str(out), "--lang", lang])
            assert res.exit_code == 1, res.output
        wb = openpyxl.load_workbook(book)
        assert wb.sheetnames == sheets
        findings, units = wb.worksheets
        rows = list(findings.iter_rows(min_row=2))
        cell = rows[0][[c.value for c in findings[1]].index("涉及户编号" if lang == "zh" else "Households")]
        assert (cell.value, cell.data_type) == ("000051", "s")
        for ws, path in ((findings, csv), (units, csv.with_name(f"{csv.stem}_units.csv"))):
            head = [c.value for c in ws[1]]  # the findings, all text, numbered (序号 / No.) for QGIS (s32)
            head = head[1:] if ws is findings else head
            assert head == list(pd.read_csv(path, dtype=str, encoding="utf-8-sig").columns)
            _assert_prints_on_a4_one_page_wide(ws)
        assert [c.value for c in units["A"][1:]] == ["U1"]
