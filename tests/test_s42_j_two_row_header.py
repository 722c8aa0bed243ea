"""A roster whose two-row header has, under merged group names, columns the reader knows but that are no
household attribute: 镇 (under 行政区划), 户主姓名/身份证号/联系电话 (under 户主信息), 序号 and 备注 merged
down. The lower row used to be taken for data (COL-DUP 户主信息, COL-MISSING 经度/纬度)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _roster(path: Path, *, full: bool) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    if full:
        ws.append(["长寿区长寿镇2026年农户花名册"] + [None] * 12)
        ws.merge_cells("A1:M1")
        ws.append(["序号", "户编号", "户主信息", None, None, "行政区划", None, None, "人口", "是否党员", "坐标",
                   None, "备注"])
        ws.append([None, None, "户主姓名", "身份证号", "联系电话", "镇", "村", "组", None, None, "经度", "纬度",
                   None])
        for a in ("A2:A3", "B2:B3", "C2:E2", "F2:H2", "I2:I3", "J2:J3", "K2:L2", "M2:M3"):
            ws.merge_cells(a)
        for i in range(6):
            ws.append([i + 1, f"00000{i + 1}", f"张{i}", f"50011519500101{i:03d}X", f"1390000000{i}", "长寿镇",
                       "新华村", f"{i // 3 + 1}组", 3, "否", 107.7308 + i * 0.0003, 29.7962 + i * 0.0002, None])
    else:
        ws.append(["户编号", "行政区划", None, None, "人口", "坐标", None])
        ws.append([None, "镇", "村", "组", None, "经度", "纬度"])
        for a in ("A1:A2", "B1:D1", "E1:E2", "F1:G1"):
            ws.merge_cells(a)
        for i in range(6):
            ws.append([f"00000{i + 1}", "长寿镇", "新华村", f"{i // 3 + 1}组", 3, 107.7308 + i * 0.0003,
                       29.7962 + i * 0.0002])
    wb.save(path)
    return path


@pytest.mark.parametrize("full", [False, True])
def test_lower_row_names_the_columns(tmp_path: Path, full: bool) -> None:
    hh, rep = read_households(_roster(tmp_path / "两行表头.xlsx", full=full), crs="EPSG:4490")
    assert len(hh) == 6
    assert hh.index.tolist() == [f"00000{i + 1}" for i in range(6)]
    assert hh["village"].tolist() == ["新华村"] * 6
    assert hh["group"].tolist() == ["1组"] * 3 + ["2组"] * 3
    assert hh["镇"].tolist() == ["长寿镇"] * 6
    if full:
        assert {"户主姓名", "身份证号", "联系电话", "备注", "序号"} <= set(hh.columns)
        assert "户主信息" not in hh.columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_reads_the_roster(tmp_path: Path, lang: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_roster(tmp_path / "农户.xlsx", full=True)), "--crs",
                   "EPSG:4490"], lang)
    assert "COL-DUP" not in out and "COL-MISSING" not in out
    assert ("6 户" if lang == "zh" else "6 households") in out
