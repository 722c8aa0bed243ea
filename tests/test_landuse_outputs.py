"""A 国土调查 land-use layer (DLTB: every polygon of the village a class) given as ``--water``: the result and its
maps carry its water only, never the farmland and homesteads that cover the rest of the village."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
from shapely import box
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()


def test_a_land_use_layer_goes_into_the_result_as_its_water_only(tmp_path: Path) -> None:
    """The audit's township: the result's water layer held all 140 polygons (128 homesteads, the farmland) and
    every map painted the village blue."""
    v = make_village(150, seed=2)
    hh = v.households
    hh.to_file(tmp_path / "hh.gpkg", layer="households")
    x0, y0, x1, y1 = hh.total_bounds
    xm = (x0 + x1) / 2
    rows = [("0103", "旱地", box(x0 - 50, y0 - 50, x1 + 50, y1 + 50)),
            ("1101", "河流水面", box(xm - 3, y0 - 50, xm + 3, y1 + 50)),
            ("1104", "坑塘水面", box(x1 + 60, y1 + 60, x1 + 80, y1 + 80))]
    rows += [("0702", "农村宅基地", p.buffer(6).envelope) for p in hh.geometry[:40]]
    dltb = gpd.GeoDataFrame({"DLBM": [r[0] for r in rows], "DLMC": [r[1] for r in rows]},
                            geometry=[r[2] for r in rows], crs=hh.crs)
    dltb.to_file(tmp_path / "DLTB.gpkg", layer="DLTB")
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["delineate", str(tmp_path / "hh.gpkg"), "--water", str(tmp_path / "DLTB.gpkg"),
                              "--preset", "banan", "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    water = gpd.read_file(out, layer="water")
    assert sorted(water["DLMC"]) == ["坑塘水面", "河流水面"], sorted(water["DLMC"])


def test_the_context_layers_fields_have_chinese_names_in_qgis() -> None:
    """The water layer's DLBM/DLMC and the OSM tags of rivers and roads had no alias in the result."""
    from yuanluo.gis.layerstyle import layer_aliases

    assert layer_aliases(["DLBM", "DLMC", "TBMJ", "KD"], "zh", "water") == {
        "DLBM": "地类编码", "DLMC": "地类名称", "TBMJ": "图斑面积", "KD": "宽度（米）"}
    assert layer_aliases(["waterway", "highway"], "en") == {"waterway": "Waterway", "highway": "Road class"}


def test_a_household_in_a_pond_is_said_to_stand_in_a_pond(tmp_path: Path) -> None:
    """SPAT-WATER named 河流、水库 for a house point inside a 坑塘水面 of the land-use layer given as --water."""
    v = make_village(60, seed=4)
    hh = v.households
    hh.to_file(tmp_path / "hh.gpkg", layer="households")
    p = hh.geometry.iloc[0]
    dltb = gpd.GeoDataFrame({"DLBM": ["1104", "0103"], "DLMC": ["坑塘水面", "旱地"]},
                            geometry=[box(p.x - 8, p.y - 8, p.x + 8, p.y + 8), box(*(hh.total_bounds + [-9, -9, 9, 9]))],
                            crs=hh.crs)
    dltb.to_file(tmp_path / "DLTB.gpkg", layer="DLTB")
    res = runner.invoke(app, ["graph", str(tmp_path / "hh.gpkg"), "--water", str(tmp_path / "DLTB.gpkg"),
                              "-o", str(tmp_path / "g.gpkg")], env={"COLUMNS": "1000"})
    text = " ".join(res.output.split())
    assert res.exit_code == 0 and "SPAT-WATER" in text and re.search(r"水面（坑塘水面 \d+ 户）", text), res.output
