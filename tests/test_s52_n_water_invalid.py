"""Bad input said (session 52, helper N): an invalid water polygon of a ``--water`` layer (a 国土调查 DLTB with
DLBM/DLMC) was repaired or dropped in silence; a flat one (no area) was repaired to a line that cut the walks
running along it, and reached the household-in-water check as a line, said there as LAYER-WATER-LINES of a layer
"given as water=" (no such layer was given). Now LAYER-WATER-INVALID names the layer's rows and classes, what was
done with each, and that water there may be missing, in the run's language."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from shapely import Polygon, box
from typer.testing import CliRunner

from yuanluo.gis.barriers import cut_edges, prepare_barriers
from yuanluo.gis.io import read_layer
from yuanluo.planners.cli import app

D = 0.0003
X0, Y0 = LON0 + 0.0014, LAT0 + 0.0001


def _dltb(tmp: Path, crs: int = 4326, name: str = "dltb.gpkg") -> Path:
    """A land survey's layer: an empty pond, a bow-tie river, a flat pond (no area), farmland, a good pond."""
    bow = Polygon([(X0 - D, Y0 - D), (X0 + D, Y0 - D), (X0 - D, Y0 + D), (X0 + D, Y0 + D)])
    flat = Polygon([(X0, Y0), (X0 + D, Y0), (X0 + 2 * D, Y0), (X0, Y0)])
    farm = Polygon([(X0, Y0 - .01), (X0 + .01, Y0 - .005), (X0, Y0 - .005), (X0 + .01, Y0 - .01)])  # a bow tie too
    g = gpd.GeoDataFrame({"DLBM": ["1104", "1101", "1104", "0103", "1104"],
                          "DLMC": ["坑塘水面", "河流水面", "坑塘水面", "旱地", "坑塘水面"]},
                         geometry=[Polygon(), bow, flat, farm, box(X0 - .002, Y0 + .003, X0 - .0015, Y0 + .0035)],
                         crs=4326).to_crs(crs)
    g.to_file(tmp / name)
    return tmp / name


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["（第 2、3 行；坑塘水面 1104 ×1、河流水面 1101 ×1）", "多边形边界自相交，位置 x 106.5514、y 29.5601",
            "按该图层自身的坐标系 EPSG:4326", "其中 1 个（第 3 行）修复后不剩面积，已略去",
            "可能缺了或走了样"]),
    ("en", ["(rows 2, 3; 坑塘水面 1104 ×1, 河流水面 1101 ×1)", "its outline crosses itself at x 106.5514, y 29.5601",
            "in the layer's own CRS, EPSG:4326", "1 polygon was dropped (row 3), with no area left once repaired",
            "may be missing or misshapen"]),
])
def test_invalid_water_polygons_are_named_by_row_and_class(tmp_path: Path, lang: str, said: list[str]) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(_dltb(tmp_path))])
    assert res.exit_code == 0, res.output
    line = next((ln for ln in res.output.splitlines() if "LAYER-WATER-INVALID" in ln), "")
    for s in said:
        assert s in line, res.output
    # the empty pond said as before (row 1), the farmland's bow tie (no barrier) not at all; no water= of no layer
    assert "LAYER-NOSHAPE-ROWS" in res.output and "LAYER-WATER-LINES" not in res.output, res.output
    if lang == "zh":
        words = line.split("LAYER-WATER-INVALID", 1)[1].replace(str(tmp_path / "dltb.gpkg"), "")
        assert not re.sub(r"EPSG|--water|dltb", "", words).isascii() and not re.search(r"[a-z]{3,}", re.sub(
            r"EPSG|--water|dltb", "", words)), line
    else:
        assert not re.search(r"[\u4e00-\u9fff]", line.replace("坑塘水面", "").replace("河流水面", "")), line


def test_a_layer_in_the_working_crs_and_one_read_from_python(tmp_path: Path) -> None:
    """The location in the layer's own CRS (here the working one), and the Python API's wording (water=)."""
    w = read_layer(_dltb(tmp_path, 4545, "w4545.gpkg"), kind="water", working_crs="EPSG:4545")
    q = next(q for q in w.attrs["warnings"] if q.code == "LAYER-WATER-INVALID")
    assert 2 in q.rows and "EPSG:4545" in q.message("en") and "given as water=" in q.message("en")
    assert "--water" not in q.message("en")


def test_a_flat_water_polygon_cuts_no_walk_along_it() -> None:
    """Repaired, a polygon of no area is a line: it was kept as water and cut the walk that runs along it."""
    flat = Polygon([(0, 0), (50, 0), (100, 0), (0, 0)])
    bow = Polygon([(200, -10), (220, -10), (200, 10), (220, 10)])
    b = prepare_barriers("EPSG:4545", water=gpd.GeoDataFrame(geometry=[flat, bow], crs=4545))
    assert b.counts["water_polygons"] == 1 and all(g.geom_type.endswith("Polygon") for g in b.water)
    cut = cut_edges(np.array([[10.0, 0.0], [205.0, -20.0]]), np.array([[90.0, 0.0], [205.0, 20.0]]), b)
    assert cut.tolist() == ["", "water"]  # along the flat one: not cut; across the bow tie: cut
