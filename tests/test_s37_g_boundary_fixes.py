"""The fixes read_households gives for the boundary it is given as ``boundary=`` (session 37, helper G).

A village boundary passed from a notebook (a GeoDataFrame, or a file) was told fixes that do not exist for that
keyword: lines where polygons are needed (GEOM-TYPE) were told to pass ``centroids=True``, which turns the
households' footprints into points and does nothing to a boundary; a name column with blanks or repeats (BND-ID)
and a layer without one (BND-ID-NONE) were told to name the column with ``id_col=`` of ``read_layer``, which
``read_households`` has no equivalent of (and a frame read by read_layer is checked again when passed on). The
fixes are now the entries' ``fix_kw``, each followed below as an analyst would follow it: the same call then
loads."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, box
from shared_fixtures import lonlat_households_csv

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer

LON0, LAT0 = 106.55, 29.56
#: two villages side by side holding every household, as their boundary lines and as polygons
WEST, EAST = box(106.54, 29.55, 106.57, 29.57), box(106.57, 29.55, 106.60, 29.57)
OLD_FIXES = ("centroids", "id_col", "read_layer", "--")


def _households(tmp: Path) -> Path:
    return lonlat_households_csv(tmp, LON0, LAT0)


def _said(hh: Path, boundary: object, lang: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], str]:
    """The codes and the text of the InputError ``read_households`` raises, printed as a notebook prints it."""
    monkeypatch.setenv("YUANLUO_LANG", lang)
    with pytest.raises(InputError) as info:
        read_households(hh, crs="EPSG:4490", boundary=boundary)
    return info.value.codes, str(info.value)


def _loads(hh: Path, boundary: object) -> None:
    households, report = read_households(hh, crs="EPSG:4490", boundary=boundary)
    assert len(households) == 24
    assert [w.code for w in report.warnings if w.code.startswith(("BND", "GEOM", "SPAT"))] == []


def _fix(text: str) -> str:
    return text.split("处理办法：" if "处理办法：" in text else "Fix: ", 1)[1].splitlines()[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_boundary_of_lines_is_told_to_make_polygons(tmp_path: Path, lang: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    layer = gpd.GeoDataFrame({"village": ["新华村", "长江村"]},
                             geometry=[LineString(WEST.exterior.coords), LineString(EAST.exterior.coords)],
                             crs="EPSG:4490")
    codes, said = _said(hh, layer, lang, monkeypatch)
    assert codes == ["GEOM-TYPE"]
    fix = _fix(said)
    assert not any(w in fix for w in OLD_FIXES), fix  # was: pass centroids=True (the households' keyword)
    assert "layer.geometry = shapely.build_area(layer.geometry.values)" in fix
    layer.geometry = shapely.build_area(layer.geometry.values)  # the fix, as written
    _loads(hh, layer)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_repeated_and_blank_names_are_told_what_read_households_can_take(tmp_path: Path, lang: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    halves = [box(x0, y0, x1, y1) for x0, x1 in ((106.54, 106.57), (106.57, 106.60))
              for y0, y1 in ((29.55, 29.565), (29.565, 29.57))]  # each village in two pieces
    layer = gpd.GeoDataFrame({"village": ["新华村", "新华村", "长江村", "长江村"]}, geometry=halves, crs="EPSG:4490")
    codes, said = _said(hh, layer, lang, monkeypatch)
    assert codes == ["BND-ID"]
    fix = _fix(said)
    assert not any(w in fix for w in OLD_FIXES), fix  # was: id_col= of read_layer
    assert "layer = layer.dissolve(by='village', as_index=False)" in fix and "boundary=layer.geometry" in fix
    _loads(hh, layer.dissolve(by="village", as_index=False))  # the pieces of one village made one
    _loads(hh, layer.geometry)  # or the shapes alone
    blank = gpd.GeoDataFrame({"village": ["新华村", None]}, geometry=[WEST, EAST], crs="EPSG:4490")
    codes, said = _said(hh, blank, lang, monkeypatch)
    assert codes == ["BND-ID"] and not any(w in _fix(said) for w in OLD_FIXES)
    blank.loc[1, "village"] = "长江村"  # the blank filled in
    _loads(hh, blank)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_boundary_without_a_name_column_is_told_to_rename_or_pass_the_shapes(
        tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    layer = gpd.GeoDataFrame({"NAME_CN": ["新华村", "长江村"]}, geometry=[WEST, EAST], crs="EPSG:4490")
    codes, said = _said(hh, layer, lang, monkeypatch)
    assert codes == ["BND-ID-NONE"]
    fix = _fix(said)
    assert not any(w in fix for w in OLD_FIXES), fix  # was: id_col= of read_layer
    assert "layer = layer.rename(columns={'NAME_CN': 'name'})" in fix
    _loads(hh, layer.rename(columns={"NAME_CN": "name"}))
    _loads(hh, layer.geometry)


def test_a_boundary_file_given_to_read_households_is_told_the_same(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    path = tmp_path / "b.gpkg"
    gpd.GeoDataFrame({"village": ["新华村", "新华村"]}, geometry=[WEST, EAST], crs="EPSG:4490").to_file(path)
    codes, said = _said(hh, path, "en", monkeypatch)
    assert codes == ["BND-ID"] and f"the boundary layer {path}" in said
    assert "boundary=layer.geometry" in said and "id_col" not in said
    _loads(hh, gpd.read_file(path).geometry)


def test_read_layer_keeps_its_own_id_col(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A control: read_layer takes id_col=, and its fix still says so."""
    monkeypatch.setenv("YUANLUO_LANG", "en")
    layer = gpd.GeoDataFrame({"village": ["新华村", "新华村"], "code": ["a", "b"]}, geometry=[WEST, EAST],
                             crs="EPSG:4490")
    with pytest.raises(InputError) as info:
        read_layer(layer, kind="boundary", working_crs="EPSG:4545")
    assert info.value.codes == ["BND-ID"] and "id_col= of read_layer" in str(info.value)
    assert len(read_layer(layer, kind="boundary", working_crs="EPSG:4545", id_col="code")) == 2
