"""IO-LAYER-OPTION proposes a layer that says it holds what the option takes (session 38, helper A).

``--water f.gpkg`` on a GeoPackage of households, roads and villages said 'e.g. --water f.gpkg::villages': the
layer was chosen by its shapes alone (polygons), and the villages are no water. Now a layer is proposed only where
its name (water, 水系, landuse …) or its columns (a land survey's DLMC) fit the option; where none does, the fix
says so and lists the layers with their shapes.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box
from shared_fixtures import flat, run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer

LON0, LAT0 = 106.55, 29.56


def _households(tmp: Path) -> Path:
    p = tmp / "hh.csv"
    p.write_text("户编号,经度,纬度\n" + "".join(f"{i},{LON0 + 0.0004 * i:.6f},{LAT0:.6f}\n" for i in range(6)),
                 encoding="utf-8")
    return p


def _package(tmp: Path, *extra: tuple[str, gpd.GeoDataFrame]) -> Path:
    """households (points), roads (lines), villages (polygons), and ``extra`` layers."""
    f = tmp / "f.gpkg"
    gpd.GeoDataFrame({"户编号": ["1"]}, geometry=[Point(LON0, LAT0)], crs=4490).to_file(f, layer="households")
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[LineString([(LON0, LAT0 - 0.01), (LON0 + 0.01, LAT0 - 0.01)])],
                     crs=4490).to_file(f, layer="roads")
    gpd.GeoDataFrame({"村名": ["新华村"]}, geometry=[box(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01)],
                     crs=4490).to_file(f, layer="villages")
    for name, layer in extra:
        layer.to_file(f, layer=name)
    return f


#: a pond far from the households
POND = box(LON0 + 0.02, LAT0 + 0.02, LON0 + 0.021, LAT0 + 0.021)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_villages_are_not_proposed_as_water(tmp_path: Path, lang: str) -> None:
    f = _package(tmp_path)
    out = flat(run_cli(["validate", str(_households(tmp_path)), "--crs", "EPSG:4490", "--water", str(f)], lang, code=2))
    assert "IO-LAYER-OPTION" in out and f"{f}::" not in out, out  # was: e.g. --water f.gpkg::villages
    if lang == "zh":
        assert "看不出其中哪个图层存有水面（名称和字段都不像）：各图层为households（点）、roads（线）、villages（面）" in out
    else:
        assert ("noneofitslayersisnamedforthewaterareasorhastheircolumns;itslayers:households(points),"
                "roads(lines),villages(polygons).") in out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "columns"), [("水系", {}), ("tdly", {"DLMC": ["坑塘水面"], "DLBM": ["1104"]})])
def test_a_layer_named_or_with_columns_for_water_is_proposed(tmp_path: Path, lang: str, name: str,
                                                             columns: dict[str, list[str]]) -> None:
    f = _package(tmp_path, (name, gpd.GeoDataFrame(columns, geometry=[POND], crs=4490)))
    hh = _households(tmp_path)
    out = flat(run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--water", str(f)], lang, code=2))
    assert f"--water{f}::{name}" in out and "::villages" not in out, out
    run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--water", f"{f}::{name}"], lang)  # the fix, followed


def test_python_is_not_told_villages_either(tmp_path: Path) -> None:
    f = _package(tmp_path)
    with pytest.raises(InputError) as info:
        read_households(_households(tmp_path), crs="EPSG:4490", water=f)
    assert info.value.codes == ["IO-LAYER-KEYWORD"]
    for lang in ("zh", "en"):
        said = info.value.render(lang)
        assert "layer='villages'" not in said and "villages" in said and "read_layer(" in said, said
    with pytest.raises(InputError) as info:
        read_layer(f, kind="water", working_crs="EPSG:4545")
    said = info.value.render("en")
    assert "layer='villages'" not in said and "choose it with layer=" in said, said


def test_the_boundary_still_gets_its_villages(tmp_path: Path) -> None:
    """Control: villages named for the boundary (and with a village column) are proposed for it."""
    out = flat(run_cli(["validate", str(_households(tmp_path)), "--crs", "EPSG:4490", "--boundary", str(_package(tmp_path))], "en", code=2))
    assert "::villages" in out, out
