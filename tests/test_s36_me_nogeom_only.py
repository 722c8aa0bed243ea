"""LAYER-NOGEOM's fix sent the planner to "another layer of the file that has shapes" (::layer) even when the
GeoPackage held no other layer at all (a one-layer file of an attribute table given as --rivers): a fix that does
not exist. Now that clause is offered only where the file has another layer with shapes (session 36)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, box
from typer.testing import CliRunner

from yuanluo.planners.cli import app

HH = "户编号,经度,纬度\n" + "".join(f"{i:06d},{1.52 + i * 1e-4:.6f},42.55\n" for i in range(1, 7))


def _validate(tmp_path: Path, rivers: str, lang: str) -> str:
    (tmp_path / "hh.csv").write_text(HH, encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--rivers", rivers], env={"COLUMNS": "400"})
    assert "LAYER-NOGEOM" in res.output, res.output
    return res.output


@pytest.mark.parametrize("lang, other", [("zh", "::图层名"), ("en", "::layer")])
def test_a_file_of_one_attribute_table_is_not_sent_to_another_layer(tmp_path: Path, lang: str, other: str) -> None:
    f = tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["a", "b"]}), f, layer="table")
    out = _validate(tmp_path, str(f), lang)
    assert other not in out, out
    assert ("没有别的含形状的图层" if lang == "zh" else "has no other layer with shapes") in out, out


@pytest.mark.parametrize("lang, other", [("zh", "::rivers"), ("en", "::rivers")])
def test_a_file_with_a_layer_of_shapes_beside_it_is(tmp_path: Path, lang: str, other: str) -> None:
    f = tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["a", "b"]}), f, layer="table")
    gpd.GeoDataFrame({"n": [1]}, geometry=[LineString([(1.5, 42.5), (1.6, 42.6)])], crs=4326).to_file(
        f, layer="rivers")
    out = _validate(tmp_path, f"{f}::table", lang)
    assert other in out, out


def test_the_fix_names_the_layers_of_the_file_that_hold_shapes(tmp_path: Path) -> None:
    f = tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["a", "b"]}), f, layer="table")
    gpd.GeoDataFrame({"n": [1]}, geometry=[LineString([(1.5, 42.5), (1.6, 42.6)])], crs=4326).to_file(
        f, layer="rivers")
    assert "在文件名后用 ::rivers 选文件中含形状的图层" in _validate(tmp_path, f"{f}::table", "zh")
    assert "name it with ::rivers after the file name" in _validate(tmp_path, f"{f}::table", "en")


def _water(tmp_path: Path, water: str, lang: str) -> str:
    (tmp_path / "hh.csv").write_text(HH, encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--water", water], env={"COLUMNS": "400"})
    assert "LAYER-WATER-KIND" in res.output and res.exit_code == 2, res.output
    return res.output


@pytest.mark.parametrize("lang, other", [("zh", "::图层名"), ("en", "::layer")])
def test_points_as_water_are_sent_to_another_layer_only_where_the_file_has_polygons(
        tmp_path: Path, lang: str, other: str) -> None:
    f = tmp_path / "places.gpkg"
    gpd.GeoDataFrame({"n": [1, 2]}, geometry=[Point(1.5, 42.5), Point(1.6, 42.6)], crs=4326).to_file(f, layer="places")
    assert other not in _water(tmp_path, str(f), lang)  # one layer: no other to name (audit AC)
    gpd.GeoDataFrame({"n": [1]}, geometry=[box(1.5, 42.5, 1.51, 42.51)], crs=4326).to_file(f, layer="ponds")
    assert other in _water(tmp_path, f"{f}::places", lang)
