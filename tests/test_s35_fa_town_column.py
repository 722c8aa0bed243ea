"""The town as a column where village and group are columns (session 35, fixer FA).

Session 34 made the town column (乡镇, 街道 …) an administrative level: 新华村 of 甲镇 and 新华村 of 乙镇 are two
villages. The outputs still carried only village and group, so the units of the two looked alike in the units
layer (GeoPackage, CSV), in the --xlsx plan's two sheets and in the maturity template. They now carry ``town``
(乡镇 / Town, from the catalogue) before ``village``, wherever the households had a town column, and nothing
more where they had none."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shared_fixtures import fill_maturity_sheet
from typer.testing import CliRunner

from yuanluo.planners.cli import app

LON0, LAT0 = 106.55, 29.56


def _households(tmp: Path, town: bool = True, name: str = "hh.csv") -> Path:
    """24 households in a row, the first 12 of 新华村 of 甲镇, the others of 新华村 of 乙镇 (one village name)."""
    lines = ["户编号,经度,纬度,人口," + ("乡镇," if town else "") + "行政村,村民小组"]
    for i in range(24):
        t = "甲镇" if i < 12 else "乙镇"
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},3,"
                     + (f"{t}," if town else "") + "新华村,一组")
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str], lang: str = "zh") -> None:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert r.exit_code == 0, r.output


def _delineate(tmp: Path, town: bool = True, lang: str = "zh", extra: tuple[str, ...] = ()) -> tuple[Path, Path]:
    out, xlsx = tmp / f"u_{lang}.gpkg", tmp / f"p_{lang}.xlsx"
    _run(["delineate", str(_households(tmp, town)), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out),
          "--xlsx", str(xlsx), *extra], lang)
    return out, xlsx


def _alias(gpkg: Path, layer: str, column: str) -> str | None:
    with sqlite3.connect(gpkg) as c:
        row = c.execute("select name from gpkg_data_columns where table_name=? and column_name=?",
                        (layer, column)).fetchone()
    return row[0] if row else None


def _sheets(xlsx: Path) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(xlsx)
    return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets}


@pytest.fixture(scope="module")
def two_towns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("fa_town")
    return d, *_delineate(d)


def test_the_units_layer_names_each_units_town(two_towns: tuple[Path, Path, Path]) -> None:
    _, gpkg, _ = two_towns
    units = gpd.read_file(gpkg, layer="units")
    cols = list(units.columns)
    assert cols.index("town") + 1 == cols.index("village") and cols.index("village") + 1 == cols.index("group")
    hh = gpd.read_file(gpkg, layer="households")
    town_of = dict(zip(hh["unit_id"], hh["乡镇"], strict=True))
    assert units["town"].tolist() == [town_of[u] for u in units["unit_id"]]
    assert set(units["town"]) == {"甲镇", "乙镇"} and set(units["village"]) == {"新华村"}
    assert _alias(gpkg, "units", "town") == "乡镇"


def test_the_plan_workbook_has_the_town_before_the_village(two_towns: tuple[Path, Path, Path]) -> None:
    _, _, xlsx = two_towns
    sheets = _sheets(xlsx)
    plan, units = sheets["院落方案"], sheets["院落汇总"]
    for rows in (plan, units):
        head = rows[0]
        assert head.index("乡镇") + 1 == head.index("行政村"), head
        assert {r[head.index("乡镇")] for r in rows[1:]} == {"甲镇", "乙镇"}
    head = plan[0]
    assert [r[head.index("乡镇")] for r in plan[1:] if r[head.index("户编号")] in ("001", "024")] == ["甲镇", "乙镇"]


def test_english_outputs_say_town(tmp_path: Path) -> None:
    gpkg, xlsx = _delineate(tmp_path, lang="en")
    assert _alias(gpkg, "units", "town") == "Town"
    sheets = _sheets(xlsx)
    for title in ("Plan", "Units"):
        head = sheets[title][0]
        assert head.index("Town") + 1 == head.index("Village"), head
    assert not any("乡镇" in str(h) for s in sheets.values() for h in s[0])


def test_without_a_town_column_there_is_no_town_column(tmp_path: Path) -> None:
    gpkg, xlsx = _delineate(tmp_path, town=False)
    assert "town" not in gpd.read_file(gpkg, layer="units").columns
    sheets = _sheets(xlsx)
    assert not any(h in ("乡镇", "town", "Town") for s in sheets.values() for h in s[0])
    sheet = tmp_path / "t.xlsx"
    _run(["maturity", "template", str(gpkg), "-o", str(sheet)])
    assert "乡镇" not in _sheets(sheet)["评分表"][0]


def test_locked_units_carry_their_town_too(two_towns: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, gpkg, _ = two_towns
    out = tmp_path / "locked.gpkg"
    _run(["delineate", str(gpkg), "--lock", "U001,U004", "-o", str(out)])
    units = gpd.read_file(out, layer="units")
    assert units["status"].eq("locked").sum() == 2
    assert units["town"].notna().all() and set(units["town"]) == {"甲镇", "乙镇"}
    cols = list(units.columns)
    assert cols.index("town") + 1 == cols.index("village")


def test_the_maturity_template_fills_the_town_and_reads_back(two_towns: tuple[Path, Path, Path],
                                                             tmp_path: Path) -> None:
    _, gpkg, _ = two_towns
    sheet = tmp_path / "评分表.xlsx"
    _run(["maturity", "template", str(gpkg), "-o", str(sheet)])
    wb = openpyxl.load_workbook(sheet)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["院落编号", "院落名称", "乡镇", "村", "组", "户数"], head
    units = gpd.read_file(gpkg, layer="units")
    assert [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)] == units["town"].tolist()
    assert ws.cell(1, 3).fill.fgColor.rgb == ws.cell(1, 4).fill.fgColor.rgb  # filled by the program: grey as 村
    assert "乡镇、村、组、户数由程序填好" in str(wb.worksheets[1].cell(2, 2).value)
    first = head.index("政策宣讲-开展内容") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, head.index("评估期") + 1, "2026Q1")
        for c in range(first, first + 18):
            ws.cell(r, c, 7)
    wb.save(tmp_path / "filled.xlsx")
    _run(["maturity", "load", str(gpkg), str(tmp_path / "filled.xlsx"), "-o", str(tmp_path / "m.gpkg")])
    en = tmp_path / "en.xlsx"
    _run(["maturity", "template", str(gpkg), "-o", str(en), "--lang", "en"])
    assert [c.value for c in openpyxl.load_workbook(en).worksheets[0][1]][2:4] == ["Town", "Village"]


def test_the_plan_workbook_reads_back_as_a_plan(two_towns: tuple[Path, Path, Path], tmp_path: Path) -> None:
    d, gpkg, xlsx = two_towns
    r = CliRunner().invoke(app, ["check", str(gpkg), "--plan", str(xlsx)], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    assert "PLAN-" not in r.output.replace("PLAN-MEETING", "")


def test_a_town_column_under_another_name_is_the_town(tmp_path: Path) -> None:
    from yuanluo.planners.tables import plan_frames

    hh = pd.DataFrame({"hid": ["1", "2"], "unit_id": ["U1", "U2"], "街道": ["鱼洞街道", "李家沱街道"],
                       "village": ["新华社区", "新华社区"]})
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "n_households": [1, 1], "meeting_hid": ["1", "2"],
                          "status": ["ok", "ok"], "reason": ["", ""], "town": ["鱼洞街道", "李家沱街道"],
                          "village": ["新华社区", "新华社区"]})
    table, utab = plan_frames({"households": hh, "units": units})
    assert list(table.columns)[-2:] == ["town", "village"] and table["town"].tolist() == ["鱼洞街道", "李家沱街道"]
    assert list(utab.columns)[-2:] == ["town", "village"]


def test_the_village_aggregates_keep_the_two_towns_villages_apart(two_towns: tuple[Path, Path, Path],
                                                                  tmp_path: Path) -> None:
    """新华村 of 甲镇 scored 3 and 新华村 of 乙镇 scored 9 were one village of mean 6 in the village_maturity layer and
    the report: they are two villages now, each with its town, and the report names them 甲镇/新华村 and 乙镇/新华村."""
    import re

    import pyogrio

    _, gpkg, _ = two_towns
    sheet = tmp_path / "评分表.xlsx"
    _run(["maturity", "template", str(gpkg), "-o", str(sheet)])
    fill_maturity_sheet(sheet, tmp_path / "filled.xlsx", lambda row, r, c: 3 if row["乡镇"] == "甲镇" else 9)
    out, report, png = tmp_path / "m.gpkg", tmp_path / "r.html", tmp_path / "sheet.png"
    _run(["maturity", "load", str(gpkg), str(tmp_path / "filled.xlsx"), "-o", str(out), "--report", str(report),
          "--png", str(png)])
    v = pyogrio.read_dataframe(out, layer="village_maturity", read_geometry=False)
    assert list(v.columns)[:2] == ["town", "village"]
    assert sorted(zip(v["town"], v["village"], v["mean"], v["n_units"], strict=True)) == [
        ("乙镇", "新华村", 9.0, 2), ("甲镇", "新华村", 3.0, 2)]
    assert _alias(out, "village_maturity", "town") == "乡镇"
    page = report.read_text(encoding="utf-8")
    # in the units layer's order, 甲镇's units first (session 36 GI; by label 乙镇 came first)
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["甲镇/新华村", "乙镇/新华村"]
    for town, units in (("甲镇", ("U001", "U002")), ("乙镇", ("U003", "U004"))):
        part = page.split(f"<h2>{town}/新华村</h2>")[1].split("<h2>")[0]
        assert all(f'data-radar="{u}"' in part for u in units) and part.count("data-radar=") == 2
    assert png.exists()
