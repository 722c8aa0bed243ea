"""The water layer (ponds, reservoirs: delineate --water DLTB.shp) on the interactive map: its own name in the
layer switcher and a row in the legend, in zh and en, as the print maps call it; rivers stay rivers."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers


@pytest.fixture(scope="module")
def layers() -> dict:
    lyr = dict(sample_layers(60, block=3, seed=1))
    x0, y0, x1, y1 = lyr["households"].total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    crs = lyr["households"].crs
    lyr["water"] = gpd.GeoDataFrame({"DLMC": ["坑塘水面"]}, geometry=[shapely.Point(cx, cy).buffer(40)], crs=crs)
    lyr["rivers"] = gpd.GeoDataFrame({"name": ["溪"]}, geometry=[shapely.LineString([(x0, y0), (x1, y1)])], crs=crs)
    return lyr


def _switcher(html: str) -> list[str]:
    """The overlay names of the layer switcher, in order."""
    m = re.search(r"overlays :\s*\{(.*?)\},", html, re.S)
    assert m, "layer control not found"
    return [json.loads(k) for k in re.findall(r'^\s*("(?:[^"\\]|\\.)*")\s*:', m.group(1), re.M)]


def _legend(html: str) -> list[dict]:
    m = re.search(r"var G = (\{.*?\});\n", html)
    assert m, "legend data not found"
    return json.loads(m.group(1))["rows"]


@pytest.mark.parametrize(("lang", "water", "rivers"), [("zh", "水面", "河流"), ("en", "Water", "Rivers")])
def test_water_has_its_own_name_and_legend_row(layers: dict, lang: str, water: str, rivers: str) -> None:
    html = render_html(make_map(layers, lang=lang))  # type: ignore[arg-type]
    names = _switcher(html)
    assert names.count(water) == 1 and names.count(rivers) == 1, names
    rows = {r["text"]: r for r in _legend(html) if "text" in r}
    assert water in rows and rivers in rows, list(rows)
    assert rows[water]["mark"] == "area" and rows[water]["style"]["borderColor"] == rows[rivers]["style"]["borderColor"]
    assert rows[rivers]["mark"] == "line"
    assert water == text("print.water", lang)  # the print maps' legend says the same


@pytest.mark.parametrize(("lang", "water", "rivers"), [("zh", "水面", "河流"), ("en", "Water", "Rivers")])
def test_water_alone_is_not_called_rivers(layers: dict, lang: str, water: str, rivers: str) -> None:
    """Audit G: a land-use layer of ponds given as --water, no rivers: the switcher said 河流 and the legend
    had no row for it. (With rivers too, both were 河流: one name in the switcher for two layers.)"""
    lyr = {k: v for k, v in layers.items() if k != "rivers"}
    html = render_html(make_map(lyr, lang=lang))  # type: ignore[arg-type]
    assert water in _switcher(html) and rivers not in _switcher(html)
    texts = [r.get("text") for r in _legend(html)]
    assert water in texts and rivers not in texts, texts
