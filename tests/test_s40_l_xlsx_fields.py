"""The xlsx plan carries the columns --fields names, a personal one (户主姓名) only with --include-personal, as text
beside the household id (audit s40 G: a planner going door to door had only 000001)."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import flat, run_cli

from yuanluo.planners.tables import plan_xlsx


def _layers() -> dict:
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(40, block=5)
    hh = lyr["households"].reset_index()
    hh["户主姓名"] = [f"王{i}" for i in range(len(hh))]
    hh.loc[0, "户主姓名"] = "=HYPERLINK(\"http://x\",\"点\")"  # hostile: stays a text cell
    hh["联系电话"] = [f"139{i:08d}" for i in range(len(hh))]
    hh["房屋类型"] = ["砖混" if i % 2 else "木" for i in range(len(hh))]
    lyr["households"] = hh
    return lyr


def _plan_sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_named_personal_field_with_include_personal() -> None:
    ws = _plan_sheet(plan_xlsx(_layers(), "zh", ["户主姓名", "房屋类型"], include_personal=True))
    head = [c.value for c in ws[1]]
    assert head[:3] == ["户编号", "户主姓名", "房屋类型"]
    assert "联系电话" not in head  # not named
    names = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)}
    cells = list(names.values())
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert "=HYPERLINK(\"http://x\",\"点\")" in [c.value for c in cells]
    assert "王1" in [c.value for c in cells]


def test_personal_field_left_out_without_include_personal() -> None:
    head = [c.value for c in _plan_sheet(plan_xlsx(_layers(), "en", ["户主姓名", "房屋类型"]))[1]]
    assert head[:2] == ["Household ID", "房屋类型"]  # a column that is not personal: by --fields alone
    assert "户主姓名" not in head and "联系电话" not in head
    assert "户主姓名" not in [c.value for c in _plan_sheet(plan_xlsx(_layers(), "en"))[1]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_xlsx_fields(tmp_path: Path, lang: str) -> None:
    lines = ["户编号,户主姓名,经度,纬度"]
    lines += [f"{i + 1:03d},张{i},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f}" for i in range(24)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8"]
    out = run_cli([*base, "-o", str(tmp_path / "a.gpkg"), "--xlsx", str(tmp_path / "a.xlsx"),
                   "--fields", "户主姓名", "--include-personal"], lang=lang)
    ws = _plan_sheet((tmp_path / "a.xlsx").read_bytes())
    assert [c.value for c in ws[1]][1] == "户主姓名"
    assert ws.cell(row=2, column=2).value == "张0" and ws.cell(row=2, column=2).data_type == "s"
    said = {"zh": "按要求写入地图、打印工作单和方案表：户主姓名", "en": "Shownonthemaps,theprintedunitsheetsandtheplantablesasasked:户主姓名"}
    assert said[lang] in flat(out), out
    run_cli([*base, "-o", str(tmp_path / "b.gpkg"), "--xlsx", str(tmp_path / "b.xlsx"), "--fields", "户主姓名"],
            lang=lang)
    assert "户主姓名" not in [c.value for c in _plan_sheet((tmp_path / "b.xlsx").read_bytes())[1]]
