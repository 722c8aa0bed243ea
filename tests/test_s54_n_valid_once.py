"""The water polygons of a layer read are tested for validity once (session 54, helper N).

``validate --water`` read the file once (session 53) but tested its water polygons' validity twice in their own
CRS: for LAYER-WATER-INVALID as ``read_layer`` went on from the stored frame, and again for the blocking water of
the household checks (``blocking_water``). A frame passed in memory to ``prepare_barriers`` was tested twice too
(for the warning, then for the barriers). Now the stored layer tests them once (``StoredLayer.water_valid``), the
frame in memory once where it is not reprojected: the same warnings in both languages, the same graph (validate
of 3,000 households against a 30,000-polygon DLTB: 3 tests of 10,500 polygons -> 2). The graph's barriers, in
the working CRS, are tested as before.

The land-use classes of the layer's rows (``landuse_classes``: every row's DLBM/DLMC read, ~0.05 s per 30,000
rows) were found six times for one ``validate --water``: for the water left without a shape, the warning, twice
for the household checks' blocking water (the filter, then the classes kept), twice again for the graph's. Now
once for the shapes, once for the stored layer (``StoredLayer.classes``: the warning and the household checks),
once for the graph's barriers in the working CRS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from shapely import LineString, Polygon, box
from typer.testing import CliRunner

import yuanluo.gis.barriers as barriers
from yuanluo.gis.barriers import _water_areas, prepare_barriers
from yuanluo.planners.cli import app

N = 30  # ponds; as many fields of farmland, one bow-tie river among them
D = 0.0004


def _survey(line: bool = False) -> gpd.GeoDataFrame:
    """A land survey's layer in WGS 84 around the households: ponds, fields, (a river drawn as a line,) a bow tie."""
    ponds = [box(LON0 + 0.001 * i, LAT0 + 0.002, LON0 + 0.001 * i + D, LAT0 + 0.002 + D) for i in range(N)]
    fields = [box(LON0 + 0.001 * i, LAT0 - 0.002, LON0 + 0.001 * i + D, LAT0 - 0.002 + D) for i in range(N)]
    x, y = LON0 + 0.0014, LAT0 + 0.0001
    bow = Polygon([(x - D, y - D), (x + D, y - D), (x - D, y + D), (x + D, y + D)])
    river = [LineString([(LON0 - 0.01, LAT0 + 0.01), (LON0 + 0.01, LAT0 + 0.01)])] if line else []
    return gpd.GeoDataFrame({"DLBM": ["1104"] * N + ["0103"] * N + ["1101"] * (len(river) + 1),
                             "DLMC": ["坑塘水面"] * N + ["旱地"] * N + ["河流水面"] * (len(river) + 1)},
                            geometry=[*ponds, *fields, *river, bow], crs=4326)


@pytest.fixture
def tested(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many geometries each call of ``shapely.is_valid`` was given."""
    seen: list[int] = []
    valid = shapely.is_valid

    def testing(geoms: Any, *args: Any, **kw: Any) -> Any:
        seen.append(int(np.size(geoms)))
        return valid(geoms, *args, **kw)

    monkeypatch.setattr(shapely, "is_valid", testing)
    return seen


@pytest.mark.parametrize(("lang", "said"), [("zh", "（第 61 行；河流水面 1101 ×1）"), ("en", "(row 61; 河流水面 1101 ×1)")])
def test_validate_tests_the_stored_water_once(tmp_path: Path, tested: list[int], lang: str, said: str) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    _survey().to_file(tmp_path / "dltb.gpkg")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(tmp_path / "dltb.gpkg")])
    assert res.exit_code == 0, res.output
    assert said in res.output and res.output.count("LAYER-WATER-INVALID") == 1, res.output  # said as before
    assert res.output.count("BARRIER-LANDUSE") == 1, res.output
    # the 31 water polygons tested once as stored (the warning and the household checks), once reprojected to the
    # working CRS for the graph's barriers; were three times (twice as stored)
    assert tested == [N + 1, N + 1], tested


@pytest.mark.parametrize(("lang", "said"), [("zh", "第 62 行"), ("en", "row 62")])
def test_lines_left_out_of_the_water_keep_the_rows_tested_once(tmp_path: Path, tested: list[int], lang: str,
                                                               said: str) -> None:
    """A river drawn as a line among the water polygons is left out (LAYER-WATER-LINES) before the warning: the
    validity tested as stored is taken for the features kept, by their feature numbers (the bow tie: row 62)."""
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    _survey(line=True).to_file(tmp_path / "dltb.gpkg")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(tmp_path / "dltb.gpkg")])
    assert res.exit_code == 0, res.output
    assert res.output.count("LAYER-WATER-LINES") == 1 and res.output.count("LAYER-WATER-INVALID") == 1, res.output
    invalid = res.output[res.output.index("LAYER-WATER-INVALID"):]
    assert said in invalid.split("\n")[0], invalid
    assert tested == [N + 1, N + 1], tested


def test_a_frame_in_memory_in_the_crs_is_tested_once(tested: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """``prepare_barriers(water=frame)`` of a frame given in memory in the CRS it works in: its validity tested once
    for LAYER-WATER-INVALID and taken for the barriers (was twice), its classes found once (was three times); the
    water the same as repaired from scratch."""
    found: list[int] = []
    classes = barriers.landuse_classes
    monkeypatch.setattr(barriers, "landuse_classes", lambda frame, *a, **k: found.append(len(frame))
                        or classes(frame, *a, **k))
    lu = _survey().to_crs(4545)
    b = prepare_barriers("EPSG:4545", water=lu)
    assert [q.code for q in b.problems] == ["LAYER-WATER-INVALID", "BARRIER-LANDUSE"], b.problems
    assert tested == [N + 1], tested
    assert found == [2 * N + 1], found
    water = lu.geometry.values[lu["DLBM"].str.startswith("11").to_numpy()]
    expected = _water_areas(np.asarray(water, dtype=object))[0]
    assert shapely.to_wkb(b.water).tolist() == shapely.to_wkb(expected).tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_finds_the_classes_once_per_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The land-use classes of the survey's rows: found for its features without a shape, once for the stored layer
    (the warning and the household checks) and once for the graph's barriers (was six times); said as before."""
    found: list[int] = []
    classes = barriers.landuse_classes

    def finding(frame: Any, *args: Any, **kw: Any) -> Any:
        found.append(len(frame))
        return classes(frame, *args, **kw)

    monkeypatch.setattr(barriers, "landuse_classes", finding)
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    _survey().to_file(tmp_path / "dltb.gpkg")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(tmp_path / "dltb.gpkg")])
    assert res.exit_code == 0, res.output
    assert res.output.count("LAYER-WATER-INVALID") == 1 and res.output.count("BARRIER-LANDUSE") == 1, res.output
    assert "坑塘水面 ×30" in res.output, res.output
    assert found == [2 * N + 1] * 3, found
