"""Bad input said, round 2 (session 52, helper N). BARRIER-LANDUSE counted a water polygon of no area (flat, dropped
by the graph since 0797e71) among those that "block walking": its counts now match the graph's, the dropped said
apart. A water layer passed to ``build_graph(water=…)`` in memory (the analysts' notebook path) had its invalid
polygons repaired or dropped without a word: LAYER-WATER-INVALID now says it in the graph's problems, named as
passed ("the layer given as water="), once (a layer read by read_layer said it as it was read)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Polygon, box, points

from yuanluo.gis.io import read_layer
from yuanluo.gis.neighbours import build_graph

BOW = Polygon([(40, -20), (60, -20), (40, 20), (60, 20)])  # a river drawn as a bow tie: repaired, blocks
FLAT = Polygon([(0, 30), (50, 30), (90, 30), (0, 30)])  # a pond of no area: dropped
POND = box(200, 200, 220, 220)


def _households() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(index=pd.Index(["a", "b", "c"], name="hid"),
                            geometry=points([[0, 0], [100, 0], [150, 150]]), crs=4545)


def _survey() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"DLBM": ["1101", "1104", "1104", "0103"], "DLMC": ["河流水面", "坑塘水面", "坑塘水面", "旱地"]},
                            geometry=[BOW, FLAT, POND, box(300, 0, 320, 20)], crs=4545)


def _graph(**layers: gpd.GeoDataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_graph(_households(), **layers)


@pytest.mark.parametrize(("lang", "used", "dropped"), [
    ("zh", "2 个水面图斑阻隔步行（坑塘水面 ×1、河流水面 ×1）", "，1 个无面积的已舍弃（坑塘水面 ×1，见 LAYER-WATER-INVALID）；"),
    ("en", "2 water polygons block walking (坑塘水面 ×1, 河流水面 ×1)",
     "; dropped, with no area: 1 (坑塘水面 ×1; see LAYER-WATER-INVALID);"),
])
def test_landuse_counts_the_water_the_graph_uses(lang: str, used: str, dropped: str) -> None:
    g = _graph(water=_survey())
    assert g.meta["barrier_counts"]["water_polygons"] == 2  # the bow tie repaired and the pond; the flat one dropped
    [q] = [q for q in g.meta["problems"] if q.code == "BARRIER-LANDUSE"]
    assert q.params["used"] == 2
    title = q.title(lang)
    assert used + dropped in title, title
    n = int(re.search(r"(\d+) (?:个水面图斑阻隔|water polygons block)", title).group(1))
    assert n == g.meta["barrier_counts"]["water_polygons"]
    if lang == "en":  # no Chinese sentence in English: only the survey's class names
        assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"河流水面|坑塘水面|旱地", "", title)), title
    # a valid layer: nothing dropped, nothing said of it
    [q] = [q for q in _graph(water=_survey().iloc[[2, 3]]).meta["problems"] if q.code == "BARRIER-LANDUSE"]
    assert "LAYER-WATER-INVALID" not in q.title(lang) and q.params["used"] == 1


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["作为 “water=” 传入的图层中有 2 个水面多边形的几何无效（第 1、2 行；坑塘水面 1104 ×1、河流水面 1101 ×1）",
            "多边形边界自相交", "按该图层自身的坐标系 EPSG:4545", "其中 1 个（第 2 行）修复后不剩面积，已略去",
            "可能缺了或走了样", "第 n 行即 “layer.iloc[n - 1]”"]),
    ("en", ["the layer given as water= holds 2 water polygons whose geometry is not valid (rows 1, 2; "
            "坑塘水面 1104 ×1, 河流水面 1101 ×1)", "its outline crosses itself", "in the layer's own CRS, EPSG:4545",
            "1 polygon was dropped (row 2), with no area left once repaired", "may be missing or misshapen",
            "row n is layer.iloc[n - 1]"]),
])
def test_a_water_frame_passed_in_memory_is_said(tmp_path: Path, lang: str, said: list[str]) -> None:
    [q] = [q for q in _graph(water=_survey()).meta["problems"] if q.code == "LAYER-WATER-INVALID"]
    text = q.message(lang)
    for s in said:
        assert s in text, text
    assert "--water" not in text and "<water>" not in text, text
    # a layer read by read_layer said it as it was read (in its warnings), not again by the graph
    _survey().to_file(tmp_path / "dltb.gpkg")
    w = read_layer(tmp_path / "dltb.gpkg", kind="water", working_crs="EPSG:4545")
    assert [q.code for q in w.attrs["warnings"]].count("LAYER-WATER-INVALID") == 1
    assert "LAYER-WATER-INVALID" not in [q.code for q in _graph(water=w).meta["problems"]]


def test_a_rivers_frame_and_a_bare_list_passed_in_memory_are_said() -> None:
    [q] = [q for q in _graph(rivers=gpd.GeoDataFrame(geometry=[POND, BOW], crs=4545)).meta["problems"]
           if q.code == "LAYER-WATER-INVALID"]
    assert q.rows == (2,) and "the layer given as rivers=" in q.message("en")
    [q] = [q for q in _graph(water=[BOW]).meta["problems"] if q.code == "LAYER-WATER-INVALID"]
    assert "EPSG:4545" in q.message("en")  # a bare list is in the households' CRS

