"""Audit X (the QGIS round trip): a household file QGIS saved from a Yuanluo GeoPackage as Shapefile or CSV keeps the
GeoPackage's ``fid`` as a column (was COL-FID "the result could not be written", even for check and validate);
the Shapefile cut of the result's ``settlement_split`` is ``settlement`` (was read as settlement names: a false
PLAN-SETTLEMENT-SPLIT of a settlement "1") and that of ``household_in_building`` is ``household_`` (was a second id
column: COL-AMBIG); a unit polygon whose shape was deleted in QGIS (was GEOM-TYPE "None" with fixes for households)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box
from typer.testing import CliRunner

from yuanluo.gis.columns import map_columns
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer
from yuanluo.planners.cli import app

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore:Normalized/laundered field name")
CRS = "EPSG:32648"
X0, Y0 = 500000.0, 3300000.0


def _households(n: int = 40) -> gpd.GeoDataFrame:
    """``n`` households on a 5 m grid, the west half in unit U001, the east half in U002, as a result has them
    (with the demo's ``household_in_building``), and the GeoPackage's feature id as QGIS's Save As keeps it."""
    cols = 10
    xy = [(X0 + 5.0 * (i % cols), Y0 + 5.0 * (i // cols)) for i in range(n)]
    unit = ["U001" if x < X0 + 5.0 * cols / 2 else "U002" for x, _ in xy]
    split = [int(i % cols in (3, 4, 5, 6) and i // cols == 0) for i in range(n)]  # 2 in each unit
    return gpd.GeoDataFrame({"fid": np.arange(1, n + 1), "hid": [f"H{i + 1:03d}" for i in range(n)], "unit_id": unit,
                             "household_in_building": np.ones(n, dtype=int), "settlement_split": split},
                            geometry=[Point(p) for p in xy], crs=CRS)


def _shapefile(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """As QGIS's Save As writes it: names cut to 10 characters, GBK."""
    pyogrio.write_dataframe(gdf, path, driver="ESRI Shapefile", encoding="GBK")
    return path


# ------------------------------------------------------------------------------------------- 1. fid
def test_a_shapefile_saved_from_a_result_with_its_fid_is_checked(tmp_path: Path) -> None:
    shp = _shapefile(_households(), tmp_path / "hh.shp")
    assert "fid" in pyogrio.read_info(shp)["fields"]
    res = runner.invoke(app, ["check", str(shp), "--unit-col", "unit_id", "--preset", "banan"])
    assert res.exit_code in (0, 1), res.output
    assert "COL-FID" in res.output and "无法写出" not in res.output
    res = runner.invoke(app, ["--lang", "en", "repair", str(shp), "--unit-col", "unit_id", "--preset", "banan",
                              "-o", str(tmp_path / "fixed.csv")])
    assert res.exit_code in (0, 1), res.output
    assert "could not be written" not in res.output


def test_a_csv_saved_from_a_result_with_its_fid_validates_and_leaves_fid_out(tmp_path: Path) -> None:
    gdf = _households()
    csv = tmp_path / "hh.csv"
    pd.DataFrame(gdf.drop(columns="geometry")).assign(X=gdf.geometry.x, Y=gdf.geometry.y).to_csv(csv, index=False)
    res = runner.invoke(app, ["--lang", "en", "validate", str(csv), "--crs", CRS, "--x-col", "X", "--y-col", "Y"])
    assert res.exit_code == 0, res.output
    assert "COL-FID" in res.output and "could not be written" not in res.output
    hh, rep = read_households(csv, crs=CRS, x_col="X", y_col="Y")
    assert "fid" not in hh.columns and [w.code for w in rep.warnings].count("COL-FID") == 1
    out = tmp_path / "out.gpkg"  # what a result GeoPackage cannot take, it is no longer given
    pyogrio.write_dataframe(hh.reset_index(), out, driver="GPKG")
    assert len(pyogrio.read_dataframe(out)) == len(hh)


def test_a_fid_column_named_as_the_id_is_read_as_the_id(tmp_path: Path) -> None:
    gdf = _households().drop(columns="hid")
    csv = tmp_path / "hh.csv"
    pd.DataFrame(gdf.drop(columns="geometry")).assign(X=gdf.geometry.x, Y=gdf.geometry.y).to_csv(csv, index=False)
    hh, rep = read_households(csv, crs=CRS, x_col="X", y_col="Y", id_col="fid")
    assert hh.index[0] == "1" and "COL-FID" not in [w.code for w in rep.warnings]


# ------------------------------------------------------------------------- 2. Shapefile cuts of own names
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cut_settlement_split_is_no_settlement_and_household_is_no_id(tmp_path: Path, lang: str) -> None:
    shp = _shapefile(_households().drop(columns="fid"), tmp_path / "hh.shp")
    assert {"settlement", "household_"} <= set(pyogrio.read_info(shp)["fields"])
    res = runner.invoke(app, ["--lang", lang, "check", str(shp), "--unit-col", "unit_id", "--preset", "banan"])
    assert res.exit_code in (0, 1), res.output
    assert "PLAN-SETTLEMENT-SPLIT" not in res.output and "COL-AMBIG" not in res.output
    assert "COL-SETTLEMENT-FLAG" in res.output
    hh, rep = read_households(shp)
    assert "settlement" not in hh.columns and hh["settlement_split"].sum() == 4
    assert rep.column_map == {"hid": "hid"}


def test_the_cut_settlement_split_alone_is_kept_as_the_flag_it_was(tmp_path: Path) -> None:
    gdf = _households().drop(columns=["fid", "household_in_building"])
    hh, rep = read_households(_shapefile(gdf, tmp_path / "hh.shp"))
    assert "settlement" not in hh.columns and hh["settlement_split"].sum() == 4
    flag = [w for w in rep.warnings if w.code == "COL-SETTLEMENT-FLAG"]
    assert len(flag) == 1 and "settlement_split" in flag[0].message("en") and "settlement_split" in flag[0].message("zh")


def test_a_settlement_column_of_names_is_still_read_and_a_lone_cut_id_still_is_the_id() -> None:
    assert map_columns(["hid", "household_"]) == ({"hid": "hid"}, {})
    assert map_columns(["household_", "settlement"])[0] == {"hid": "household_", "settlement": "settlement"}


def test_a_settlement_of_names_is_kept(tmp_path: Path) -> None:
    gdf = _households().drop(columns=["fid", "settlement_split"]).assign(settlement="东院")
    hh, rep = read_households(_shapefile(gdf, tmp_path / "hh.shp"))
    assert set(hh["settlement"]) == {"东院"} and "COL-SETTLEMENT-FLAG" not in [w.code for w in rep.warnings]


# ------------------------------------------------------------------------------- 3. empty geometries
def _units(tmp_path: Path) -> tuple[Path, Path]:
    hh = tmp_path / "hh.gpkg"
    _households().drop(columns="fid").to_file(hh, layer="households")
    units = gpd.GeoDataFrame({"unit_id": ["U001", "U002"]},
                             geometry=[box(X0 - 2, Y0 - 2, X0 + 22, Y0 + 22), None], crs=CRS)
    path = tmp_path / "units.gpkg"
    units.to_file(path, layer="units")
    return hh, path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_polygon_without_a_shape_is_said_as_such(tmp_path: Path, lang: str) -> None:
    hh, units = _units(tmp_path)
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--units", f"{units}::units", "--preset", "banan"])
    assert res.exit_code == 2, res.output
    assert "GEOM-EMPTY" in res.output and "GEOM-TYPE" not in res.output and "None" not in res.output
    assert ("第 2 行" if lang == "zh" else "row 2") in res.output
    assert ("重新绘制" if lang == "zh" else "redraw") in res.output and "--centroids" not in res.output


def test_a_boundary_polygon_without_a_shape_is_said_as_such(tmp_path: Path) -> None:
    f = tmp_path / "b.gpkg"
    gpd.GeoDataFrame({"name": ["东村", "西村"]}, geometry=[box(0, 0, 10, 10), None], crs=CRS).to_file(f)
    with pytest.raises(InputError) as e:
        read_layer(f, kind="boundary", working_crs=CRS)
    assert e.value.codes == ["GEOM-EMPTY"] and e.value.problems[0].rows == (2,)
    assert "None" not in e.value.render("zh") and "None" not in e.value.render("en")
