"""The hierarchy layer named the town level 镇 (``field.town``) while every other output (the units layer, the plan
workbook, the maturity template, village_maturity; session 35) said 乡镇: one name, 乡镇 / Town, wherever a layer
has a ``town`` column (session 36, fixer GD)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.layerstyle import field_alias
from yuanluo.planners.cli import app

LON0, LAT0 = 106.55, 29.56


def _households(tmp: Path) -> Path:
    """24 households in a row, the first 12 of 新华村 of 甲镇, the others of 新华村 of 乙镇 (one village name)."""
    lines = ["户编号,经度,纬度,人口,乡镇,行政村,村民小组"]
    for i in range(24):
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},3,"
                     f"{'甲镇' if i < 12 else '乙镇'},新华村,一组")
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str], lang: str = "zh", code: int = 0) -> str:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert r.exit_code == code, r.output
    return r.output


def _aliases(gpkg: Path) -> dict[tuple[str, str], str]:
    with sqlite3.connect(gpkg) as c:
        return {(t, col): name for t, col, name in
                c.execute("select table_name, column_name, name from gpkg_data_columns")}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gd_town")
    out = d / "u.gpkg"
    _run(["delineate", str(_households(d)), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    return out


# ------------------------------------------------------------------------------------- 1. one name for the level
def test_the_hierarchy_layer_names_the_town_as_the_units_layer_does(result: Path) -> None:
    aliases = _aliases(result)
    assert aliases[("units", "town")] == "乡镇"
    assert aliases[("hierarchy", "town")] == "乡镇"  # was 镇
    assert {a for (_, col), a in aliases.items() if col == "town"} == {"乡镇"}
    tree = gpd.read_file(result, layer="hierarchy")
    assert set(tree["town"]) == {"甲镇", "乙镇"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_layer_with_a_town_column_says_the_same_word(lang: str) -> None:
    word = {"zh": "乡镇", "en": "Town"}[lang]
    for layer in ("hierarchy", "units", "plan", "village_maturity", "hubs", "coverage", None):
        assert field_alias("town", lang, layer) == word, layer


