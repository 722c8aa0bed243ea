"""LAYER-WATER-INVALID naming more than five dropped rows (session 53): 其中 7 个（第 1、2、3、4、5 行 等，共 7 个） had a
space between two Chinese characters, as Problem.examples had before 59e7141; gis.errors.more_after says 行等."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from shapely import Polygon
from typer.testing import CliRunner

from yuanluo.planners.cli import app

D = 0.0003
X0, Y0 = LON0 + 0.0014, LAT0 + 0.0001


@pytest.mark.parametrize(("lang", "said"), [("zh", "其中 7 个（第 1、2、3、4、5 行等，共 7 行）修复后不剩面积"),
                                            ("en", "7 polygons were dropped (rows 1, 2, 3, 4, 5 and more, 7 in all)")])
def test_seven_flat_ponds_and_a_bow_tie(tmp_path: Path, lang: str, said: str) -> None:
    flats = [Polygon([(X0 + k * D, Y0), (X0 + (k + 1) * D, Y0), (X0 + (k + 2) * D, Y0), (X0 + k * D, Y0)])
             for k in range(7)]
    bow = Polygon([(X0 - D, Y0 - D), (X0 + D, Y0 - D), (X0 - D, Y0 + D), (X0 + D, Y0 + D)])
    gpd.GeoDataFrame({"DLBM": ["1104"] * 8, "DLMC": ["坑塘水面"] * 8}, geometry=[*flats, bow],
                     crs=4326).to_file(tmp_path / "dltb.gpkg")
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(tmp_path / "dltb.gpkg")])
    assert res.exit_code == 0, res.output
    line = " ".join(next((ln for ln in res.output.splitlines() if "LAYER-WATER-INVALID" in ln), "").split())
    assert said in line, res.output
