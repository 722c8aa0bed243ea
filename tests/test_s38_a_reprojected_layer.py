"""LAYER-REPROJECTED names the layer as given, ``file.gpkg::layer`` (session 38, helper A).

``--water ctx.gpkg::water --roads ctx.gpkg::roads``, both layers in EPSG:4326, said '--water 图层 ctx.gpkg 的坐标系
EPSG:4326 …' and '--roads 图层 ctx.gpkg …': the file alone, so with a GeoPackage of several layers the user could not
tell which layer was reprojected (here the option tells, but not a result's run table nor a notebook's read_layer).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box
from shared_fixtures import run_cli

from yuanluo.gis.io import read_layer

LON0, LAT0 = 106.55, 29.56


def _context(tmp: Path) -> Path:
    """A GeoPackage of water and roads in EPSG:4326, away from the households."""
    f = tmp / "ctx.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[box(LON0 + 0.02, LAT0 + 0.02, LON0 + 0.021, LAT0 + 0.021)],
                     crs=4326).to_file(f, layer="water")
    gpd.GeoDataFrame({"n": [1]}, geometry=[LineString([(LON0 - 0.01, LAT0 - 0.01), (LON0 + 0.01, LAT0 - 0.01)])],
                     crs=4326).to_file(f, layer="roads")
    return f


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_names_each_layer(tmp_path: Path, lang: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度\n" + "".join(f"{i},{LON0 + 0.0004 * i:.6f},{LAT0:.6f}\n" for i in range(6)),
                  encoding="utf-8")
    f = _context(tmp_path)
    out = run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--water", f"{f}::water", "--roads", f"{f}::roads"],
                  lang)
    said = [line for line in out.splitlines() if "LAYER-REPROJECTED" in line]
    assert len(said) == 2, out
    assert f"{f}::water " in said[0] and f"{f}::roads " in said[1], said  # was: the file alone, twice


def test_read_layer_names_the_layer(tmp_path: Path) -> None:
    f = _context(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = read_layer(f, kind="roads", layer="roads", working_crs="EPSG:4545")
    (w,) = [w for w in r.attrs["warnings"] if w.code == "LAYER-REPROJECTED"]
    assert w.file == f"{f}::roads"
    assert f"{f}::roads" in w.message("zh") and f"{f}::roads" in w.message("en")
