"""The print map and the unit sheets name villages as the check does (session 36, fixer GH).

With a town column, 新华村 of 甲镇 and 新华村 of 乙镇 are two villages (gis.keys.nest_labels): the check report
names them 甲镇/新华村 and 乙镇/新华村. The print map's line under its title counted them as one ("等 5 个村" for
six villages) and the unit sheets of the two headed both "村：新华村". Both now name and count the villages by
the check's labels: the path only where the plain name is ambiguous."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.keys import nest_labels
from yuanluo.planners.cli import app

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")

LON0, LAT0 = 106.55, 29.56
#: four villages in two towns, two of them named 新华村
SPEC = [("甲镇", "新华村"), ("甲镇", "红星村"), ("乙镇", "新华村"), ("乙镇", "长江村")]


def _households(tmp: Path, town: bool) -> Path:
    lines = ["户编号,经度,纬度,人口," + ("乡镇," if town else "") + "行政村,村民小组"]
    k = 0
    for j, (t, v) in enumerate(SPEC):
        for i in range(8):
            k += 1
            lines.append(f"{k:03d},{LON0 + 0.004 * j + 0.0004 * (i % 4):.6f},{LAT0 + 0.0003 * (i // 4):.6f},3,"
                         + (f"{t}," if town else "") + f"{v},一组")
    p = tmp / ("hh.csv" if town else "hh_plain.csv")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str], lang: str) -> None:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": lang, "SOURCE_DATE_EPOCH": "1764460800"})
    assert r.exit_code == 0, r.output


def _text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines()]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[bool, str], tuple[Path, list[str], list[str]]]:
    """Per (town column?, language): the delineation, the print map's and the unit sheets' text lines."""
    d = tmp_path_factory.mktemp("gh_villages")
    out: dict[tuple[bool, str], tuple[Path, list[str], list[str]]] = {}
    for town in (True, False):
        gpkg = d / f"u_{town}.gpkg"
        _run(["delineate", str(_households(d, town)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
              "-o", str(gpkg)], "zh")
        for lang in ("zh", "en"):
            m, pu = d / f"m_{town}_{lang}.pdf", d / f"pu_{town}_{lang}.pdf"
            _run(["map", str(gpkg), "-o", str(m), "--per-unit", str(pu)], lang)
            out[town, lang] = gpkg, _text(m), _text(pu)
    return out


def _village_lines(lines: list[str], lang: str) -> list[str]:
    head = "村：" if lang == "zh" else "Village: "
    return [line.split(" · ")[0] for line in lines if line.startswith(head)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_print_map_counts_two_villages_of_one_name_in_two_towns(result: dict, lang: str) -> None:
    gpkg, lines, _ = result[True, lang]
    hh = gpd.read_file(gpkg, layer="households")
    labels = sorted(set(nest_labels(hh, ["village"])))  # as the check names them
    assert labels == ["乙镇/新华村", "甲镇/新华村", "红星村", "长江村"]
    # one town's villages together, in the roster's order (甲镇 first, as typed), not interleaved by the labels' sort
    want = {"zh": "村：甲镇/新华村、红星村、乙镇/新华村 等 4 个村",
            "en": "Village: 甲镇/新华村, 红星村, 乙镇/新华村 and others (4 villages)"}[lang]
    assert _village_lines(lines, lang) == [want]  # the old map: 新华村、红星村、长江村 (three villages)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_unit_sheet_names_its_village_with_its_town_where_the_name_is_ambiguous(result: dict, lang: str) -> None:
    gpkg, _, lines = result[True, lang]
    units = gpd.read_file(gpkg, layer="units")
    head = "村：" if lang == "zh" else "Village: "
    want = [head + (f"{t}/{v}" if v == "新华村" else v) for t, v in zip(units["town"], units["village"], strict=True)]
    got = _village_lines(lines, lang)
    # one heading per unit (its continuation pages repeat it): the old sheets said 新华村 for both towns
    assert list(dict.fromkeys(got)) == list(dict.fromkeys(want)) and sorted(set(got)) == sorted(set(want))
    assert f"{head}甲镇/新华村" in got and f"{head}乙镇/新华村" in got and f"{head}新华村" not in got


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_town_column_the_villages_are_named_alone(result: dict, lang: str) -> None:
    _, lines, sheets = result[False, lang]
    want = {"zh": "村：新华村、红星村、长江村", "en": "Village: 新华村, 红星村, 长江村"}[lang]
    assert _village_lines(lines, lang) == [want]
    assert not any("/" in line for line in _village_lines(sheets, lang))
