"""A layer passed in memory from Python is no file: its findings name it as passed, "the layer given as water=" /
"作为 “water=” 传入的图层", never "the file <water>" / "文件 <water>".

build_graph(water=<the village's river lines>) said 'the file <water> given as water= holds no polygons'; read_households
(boundary=<an empty frame>) 'the file <boundary> has no data rows'; the same in Chinese (文件 <water>).
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import pytest
from shapely import LineString, box

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.synth import make_village

NAMED = {"zh": "作为 “{k}” 传入的图层", "en": "the layer given as {k}"}


@pytest.fixture(scope="module")
def village() -> Any:
    return make_village(60, seed=3)


def _said(q: Any, keyword: str) -> None:
    """The finding names the layer as passed (``keyword``) in each language, where it said "the file <water>": its
    first line names no file, and no part of it a made-up name ``<…>``."""
    for lang in ("zh", "en"):
        head, msg = q.headline(lang), q.message(lang)
        assert NAMED[lang].format(k=keyword) in head, msg
        assert "文件" not in head and "file" not in head and "<" not in msg, msg


def _raised(fn: Any) -> InputError:
    with pytest.raises(InputError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn()
    return info.value


def test_build_graph_water_of_lines(village: Any) -> None:
    err = _raised(lambda: build_graph(village.households, water=village.rivers))
    assert err.codes == ["LAYER-WATER-KIND"]
    _said(err.problems[0], "water=")
    assert "holds no polygons, only 3 lines" in err.render("en")


def test_build_graph_water_with_a_line(village: Any) -> None:
    x0, y0, _, y1 = village.households.total_bounds
    water = gpd.GeoDataFrame(geometry=[box(x0 - 90, y0 - 90, x0 - 70, y0 - 70),
                                       LineString([(x0 - 300, y0), (x0 - 300, y1)])], crs=village.crs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = build_graph(village.households, water=water)
    q = next(p for p in g.meta["problems"] if p.code == "LAYER-WATER-LINES")
    assert q.file is None and q.rows == (2,)
    _said(q, "water=")


def test_build_graph_water_read_from_a_file_names_the_file(village: Any, tmp_path: Any) -> None:
    """A control: a layer read_layer read from a file is named by that file, as before."""
    path = tmp_path / "lines.gpkg"
    village.rivers.to_file(path, layer="rivers")
    layer = read_layer(path, kind="rivers", working_crs=village.crs)
    err = _raised(lambda: build_graph(village.households, water=layer))
    assert err.codes == ["LAYER-WATER-KIND"] and f"the file {path} given as water=" in err.render("en")


@pytest.mark.parametrize(("case", "code"), [("lines", "LAYER-WATER-KIND"), ("empty", "IO-NOROWS"),
                                            ("nocrs", "CRS-MISSING"), ("shapeless", "LAYER-NOSHAPE")])
def test_read_households_layers_passed(village: Any, tmp_path: Any, case: str, code: str) -> None:
    hh = tmp_path / "hh.gpkg"
    village.households.to_file(hh, layer="households")
    x0, y0, x1, y1 = village.households.total_bounds
    frames = {
        "lines": ("water", gpd.GeoDataFrame(geometry=[LineString([(x0 - 300, y0), (x0 - 300, y1)])], crs=village.crs)),
        "empty": ("boundary", gpd.GeoDataFrame({"name": []}, geometry=[], crs=village.crs)),
        "nocrs": ("boundary", gpd.GeoDataFrame({"name": ["村"]}, geometry=[box(x0 - 9, y0 - 9, x1 + 9, y1 + 9)])),
        "shapeless": ("water", gpd.GeoDataFrame(geometry=[None, None], crs=village.crs)),
    }
    kind, frame = frames[case]
    err = _raised(lambda: read_households(hh, **{kind: frame}))
    assert code in err.codes
    q = next(p for p in err.problems if p.code == code)
    _said(q, f"{kind}=")
    if code in ("IO-NOROWS", "CRS-MISSING"):  # a fix for a layer in memory, not for a file
        assert "set_crs" in q.fix("en") or "the layer meant" in q.fix("en")


def test_a_title_without_the_file_says_the_layer_first(village: Any, tmp_path: Any) -> None:
    """CRS-LEGACY names no file in its title: the layer as passed goes before it, as 'file x:' did."""
    hh = tmp_path / "hh.gpkg"
    village.households.to_file(hh, layer="households")
    x0, y0, _, _ = village.households.total_bounds
    pond = gpd.GeoDataFrame(geometry=[box(x0 - 90, y0 - 90, x0 - 70, y0 - 70)], crs=village.crs).to_crs("EPSG:2383")
    err = _raised(lambda: read_households(hh, water=pond))
    q = next(p for p in err.problems if p.code == "CRS-LEGACY")
    assert q.headline("en").startswith("in the layer given as water=, the declared CRS EPSG:2383")
    assert q.headline("zh").startswith("作为 “water=” 传入的图层：声明的坐标系 EPSG:2383")
