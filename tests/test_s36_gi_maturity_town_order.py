"""maturity load's village aggregates, where the units have a town, were ordered by their label string: 乙镇/新华村,
光明村, 甲镇/新华村, 红星村 … the towns interleaved in the village_maturity layer, the report's and the print sheet's
headings and the map's village panel, and only a name two towns share said its town. They now follow the units
layer (town, then village, in its order) and every heading says its town (甲镇/光明村); without a town column all is
as before (session 36, fixer GI)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyogrio
import pytest
from shared_fixtures import fill_maturity_sheet
from typer.testing import CliRunner

from yuanluo.planners.cli import app

LON0, LAT0 = 106.55, 29.56
#: (town, village) of each run of 6 households, in the order of the roster: 甲镇 first, its 新华村 before 光明村
RUNS = [("甲镇", "新华村"), ("甲镇", "光明村"), ("甲镇", "红星村"), ("乙镇", "新华村"), ("乙镇", "长江村")]
ORDER = [f"{t}/{v}" for t, v in RUNS]


def _households(tmp: Path, town: bool) -> Path:
    lines = ["户编号,经度,纬度,人口," + ("乡镇," if town else "") + "行政村,村民小组"]
    for i in range(6 * len(RUNS)):
        t, v = RUNS[i // 6]
        if not town and t == "乙镇":
            v = v.replace("新华村", "新民村")  # without towns the two 新华村 would be one village
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},3,"
                     + (f"{t}," if town else "") + f"{v},一组")
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str]) -> None:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": "zh"})
    assert r.exit_code == 0, r.output


def _load(tmp: Path, town: bool) -> tuple[Path, Path, Path, Path]:
    gpkg, sheet = tmp / "u.gpkg", tmp / "t.xlsx"
    _run(["delineate", str(_households(tmp, town)), "--crs", "EPSG:4490", "--min", "3", "--max", "6",
          "-o", str(gpkg)])
    _run(["maturity", "template", str(gpkg), "-o", str(sheet)])
    fill_maturity_sheet(sheet, tmp / "filled.xlsx")
    out, report, pdf = tmp / "m.gpkg", tmp / "r.html", tmp / "s.pdf"
    _run(["maturity", "load", str(gpkg), str(tmp / "filled.xlsx"), "-o", str(out), "--report", str(report),
          "--png", str(pdf)])
    return gpkg, out, report, pdf


@pytest.fixture(scope="module")
def with_towns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    return _load(tmp_path_factory.mktemp("gi_town"), True)


def test_the_units_layer_order_is_the_roster_order(with_towns: tuple[Path, Path, Path, Path]) -> None:
    units = pyogrio.read_dataframe(with_towns[0], layer="units", read_geometry=False)
    seen = list(dict.fromkeys(f"{t}/{v}" for t, v in zip(units["town"], units["village"], strict=True)))
    assert seen == ORDER


def test_village_maturity_follows_the_units_layer(with_towns: tuple[Path, Path, Path, Path]) -> None:
    v = pyogrio.read_dataframe(with_towns[1], layer="village_maturity", read_geometry=False)
    assert list(zip(v["town"], v["village"], strict=True)) == RUNS  # by label: 乙镇/新华村, 乙镇/长江村, 光明村, …


def test_report_headings_say_the_town_in_the_units_order(with_towns: tuple[Path, Path, Path, Path]) -> None:
    page = with_towns[2].read_text(encoding="utf-8")
    assert re.findall(r"<h2>(.*?)</h2>", page) == ORDER  # was 乙镇/新华村, 光明村, 甲镇/新华村, 红星村, 长江村
    for label in ORDER:
        assert f"<p>{label}：" in page


def test_print_sheet_headings_say_the_town_in_the_units_order(with_towns: tuple[Path, Path, Path, Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    words = subprocess.run(["pdftotext", "-layout", str(with_towns[3]), "-"], capture_output=True, text=True,
                           check=True).stdout
    heads = re.findall(r"^\s*(\S+?)(?:（续）)?：\d+ 个院落", words, flags=re.M)
    assert list(dict.fromkeys(heads)) == ORDER, heads


def test_the_map_panel_lists_the_villages_in_the_units_order(with_towns: tuple[Path, Path, Path, Path]) -> None:
    from yuanluo.planners import maturity as M

    d = with_towns[1].parent
    res = M.load_scores(with_towns[0], d / "filled.xlsx", d / "again.gpkg", map=d / "map.html")
    page = (d / "map.html").read_text(encoding="utf-8")
    heads = re.findall(r"(\S{2}/\S{3})：\d+ 个院落", page)
    assert list(dict.fromkeys(heads)) == ORDER, heads
    assert list(zip(res.villages["town"], res.villages["village"], strict=True)) == RUNS


def test_without_a_town_column_the_names_are_as_before_in_the_rosters_order(tmp_path: Path) -> None:
    _, out, report, _ = _load(tmp_path, False)
    v = pyogrio.read_dataframe(out, layer="village_maturity", read_geometry=False)
    assert "town" not in v.columns
    names = list(v["village"])
    assert names == ["新华村", "光明村", "红星村", "新民村", "长江村"]  # by name until session 37
    assert re.findall(r"<h2>(.*?)</h2>", report.read_text(encoding="utf-8")) == names
