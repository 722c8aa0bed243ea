"""check's summary line names what walking was judged on: with a DEM and only the land survey's water polygons
(--water DLTB.shp, no --rivers) it said "地形（高程与河流）" / "terrain (DEM and rivers)", rivers the planner never
gave; now "高程与河流、水面" / "DEM and rivers or water" (session 56, helper U, a planner's Monday). Fails on 27e9fda."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("lang", "said"), [("zh", "邻接依据：地形（高程与河流、水面）。"),
                                            ("en", "neighbours: terrain (DEM and rivers or water).")])
def test_water_alone_is_named_in_the_basis(tmp_path: Path, lang: str, said: str) -> None:
    from yuanluo.gis.synth import make_village

    v = make_village(60, seed=4)
    hh = tmp_path / "hh.gpkg"
    v.households.reset_index().to_file(hh, layer="households")
    water = gpd.GeoDataFrame({"DLBM": ["1101"], "DLMC": ["河流水面"]},
                             geometry=[v.rivers.buffer(8).union_all()], crs=v.crs)
    water.to_file(tmp_path / "DLTB.gpkg")
    v.write_dem(tmp_path / "dem.tif")
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--unit-col", "settlement", "--min", "1", "--max",
                              "100", "--dem", str(tmp_path / "dem.tif"), "--water", str(tmp_path / "DLTB.gpkg")])
    assert res.exit_code in (0, 1) and said in " ".join(res.output.split()), res.output
