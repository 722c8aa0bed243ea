"""A file of several layers read from Python names the keyword that chooses one, not the command line's
``--rivers file::rivers`` (session 32, fixer FK, defect 1).

``read_layer(ctx.gpkg, kind="rivers", ...)`` on a GeoPackage of several layers said IO-LAYER-OPTION "name the layer
after the file with ::layer, e.g. --rivers ctx.gpkg::rivers" (its title "given to --rivers"); a layer it lacks
(IO-NOLAYER-OPTION), an empty layer (LAYER-EMPTY), a table of points without coordinate columns (POINTS-COLUMNS) and
households in two boundary polygons (SPAT-AMBIG) named the flag too. From Python they now say ``layer='rivers'``
(as IO-LAYER does for read_households) and name no flag; read_households' boundary=/water= given a file of several
layers (they take no layer name) says to read the layer with read_layer and pass it (IO-LAYER-KEYWORD). The command
line keeps its words (tests/test_cli_audit2.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from yuanluo.gis.catalogue import LANGS
from yuanluo.gis.errors import InputError, Problem
from yuanluo.gis.io import read_households, read_layer, read_points

FLAG = re.compile(r"(?<![\w-])--[a-z]")
LON0, LAT0 = 106.55, 29.56


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)


def _said(q: Problem) -> dict[str, str]:
    out = {lang: q.message(lang) for lang in LANGS}
    for text in out.values():
        assert not FLAG.search(text), text
        assert "::" not in text, text
    return out


@pytest.fixture
def ctx(tmp_path: Path) -> Path:
    f = tmp_path / "ctx.gpkg"
    line = LineString([(LON0 - 0.01, LAT0), (LON0 + 0.01, LAT0)])
    for name in ("roads", "rivers", "villages"):
        gpd.GeoDataFrame(geometry=[line if name != "villages" else box(LON0 - 0.02, LAT0 - 0.02, LON0, LAT0)],
                         crs=4490).to_file(f, layer=name)
    return f


def test_a_layer_not_chosen_from_python_names_layer_keyword(ctx: Path) -> None:
    with pytest.raises(InputError) as ei:
        read_layer(ctx, kind="rivers", working_crs="EPSG:4545")
    q = ei.value.problems[0]
    assert q.code == "IO-LAYER-OPTION"
    said = _said(q)
    assert " layer='rivers'" in said["zh"] and "layer='rivers'" in said["en"], said
    assert str(ctx) in said["zh"] and str(ctx) in said["en"]


def test_points_from_a_geopackage_of_several_layers_name_layer_keyword(ctx: Path) -> None:
    with pytest.raises(InputError) as ei:
        read_points(ctx, kind="candidates", working_crs="EPSG:4545")
    said = _said(ei.value.problems[0])
    assert "--candidates" not in said["en"], said
    # no layer of points: none is proposed (roads, lines, was), the layers are listed with their shapes (s37)
    assert "layer='" not in said["en"] and "roads (lines)" in said["en"] and "roads（线）" in said["zh"], said


def test_a_layer_the_file_lacks_from_python_names_layer_keyword(ctx: Path) -> None:
    with pytest.raises(InputError) as ei:
        read_layer(ctx, kind="rivers", working_crs="EPSG:4545", layer="river")
    q = ei.value.problems[0]
    assert q.code == "IO-NOLAYER-OPTION"
    said = _said(q)
    assert "layer='rivers'" in said["en"] and "named river;" in said["en"] and " layer='rivers'" in said["zh"], said


def test_boundary_of_several_layers_for_read_households_says_to_read_it_with_read_layer(ctx: Path,
                                                                                       tmp_path: Path) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度\n" + "".join(f"H{i},{LON0 + i * 1e-4},{LAT0}\n" for i in range(5)),
                  encoding="utf-8")
    for keyword in ("boundary", "water"):
        with pytest.raises(InputError) as ei:
            read_households(hh, crs="EPSG:4490", **{keyword: ctx})
        q = ei.value.problems[0]
        assert q.code == "IO-LAYER-KEYWORD"
        said = _said(q)
        for lang in LANGS:
            assert f"{keyword}=" in said[lang] and "read_layer(" in said[lang] and f"kind='{keyword}'" in said[lang]
        # the boundary: its villages (named for it); the water: none, the villages are no water (s38 A)
        assert ("layer='villages'" in said["en"]) == (keyword == "boundary"), said["en"]


def test_an_empty_layer_from_python_is_no_flag(tmp_path: Path) -> None:
    f = tmp_path / "empty.gpkg"
    gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4490)).to_file(f, layer="rivers")
    out = read_layer(f, kind="rivers", working_crs="EPSG:4545")
    q = next(w for w in out.attrs["warnings"] if w.code == "LAYER-EMPTY")
    said = _said(q)
    assert str(f) in said["en"] and "no features" in said["en"] and "没有要素" in said["zh"]


def test_points_without_coordinate_columns_from_python_is_no_flag(tmp_path: Path) -> None:
    f = tmp_path / "pts.csv"
    f.write_text("名称,地址\n村委会,一组\n", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        read_points(f, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    q = ei.value.problems[0]
    assert q.code == "POINTS-COLUMNS"
    said = _said(q)
    assert "名称" in said["en"] and "地址" in said["zh"]


def test_households_in_two_boundary_polygons_name_the_boundary_keyword(tmp_path: Path) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度\n" + "".join(f"H{i},{LON0 + i * 1e-4},{LAT0}\n" for i in range(5)),
                  encoding="utf-8")
    bnd = gpd.GeoDataFrame({"name": ["一村", "二村"]},
                           geometry=[box(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01),
                                     box(LON0 - 0.005, LAT0 - 0.01, LON0 + 0.02, LAT0 + 0.01)], crs=4490)
    with pytest.raises(InputError) as ei:
        read_households(hh, crs="EPSG:4490", boundary=bnd)
    q = next(p for p in ei.value.problems if p.code == "SPAT-AMBIG")
    said = _said(q)
    assert "“boundary=”" in said["zh"] and "given as boundary=" in said["en"], said
    assert Point(LON0, LAT0).within(bnd.geometry.iloc[1])
