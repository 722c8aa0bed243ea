"""Session 43, helper G: the coverage map's search finds a service point by its name.

The search box says 户编号、服务点或村名 / household, service point or village, but a service point was found by its
id only (P001): the names a planner knows the points by (乙村服务站, the names of the ``--fixed`` and
``--candidates`` lists) and a given point left out (no id) said 未找到 / Not found (helper G's audit, at 390 x 844).
The search data now has each point's name beside its id, and ``Y.showHub`` opens the card of the point of that name
(an id first); a left-out point's card says why it was left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from browser import live_page, require_browser
from shapely.geometry import LineString, Point
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers

X0, Y0 = 500000.0, 3300000.0
CRS = "EPSG:4545"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """甲村 west of a river without a bridge, 乙村 east, 乙村服务站 on the east bank, 江边点 left out (its near
    houses all across the river)."""
    d = tmp_path_factory.mktemp("find_name")
    rows = [(f"A{i}", "甲村", X0 - 10 - 10 * i, Y0 + 10 * i) for i in range(5)]
    rows += [(f"B{i}", "乙村", X0 + 200 + 10 * i, Y0 + 10 * i) for i in range(5)]
    hh = gpd.GeoDataFrame({"hid": [r[0] for r in rows], "village": [r[1] for r in rows]},
                          geometry=[Point(r[2], r[3]) for r in rows], crs=CRS)
    rivers = gpd.GeoDataFrame({"waterway": ["river"]}, crs=CRS,
                              geometry=[LineString([(X0, Y0 - 3000), (X0, Y0 + 3000)])])
    write_layers(d / "result.gpkg", {"households": hh, "rivers": rivers})
    gpd.GeoDataFrame({"名称": ["乙村服务站", "江边点"]}, crs=CRS,
                     geometry=[Point(X0 + 20, Y0 + 20), Point(X0 + 2, Y0 - 250)]).to_file(d / "fixed.gpkg")
    run_cli(["cover", str(d / "result.gpkg"), "--rivers", f"{d / 'result.gpkg'}::rivers", "--fixed",
             str(d / "fixed.gpkg"), "-o", str(d / "c.gpkg"), "--map", str(d / "c.html")])
    return d / "c.html"


def test_the_search_data_has_the_names(page):
    data = json.loads(re.search(r"var S = (\{.*?\});\n", page.read_text(encoding="utf-8")).group(1))
    assert {"乙村服务站", "江边点", "P001", "P002"} <= set(data["bounds"])


@pytest.mark.parametrize("size", [(390, 844), (360, 640)])
def test_a_point_is_found_by_its_name_on_a_phone(page, size):
    require_browser()
    with live_page(page, viewport=size, ready="!!(window.yuanluo && window.yuanluo.find)", touch=True) as (pg, errors):
        got = []
        for name in ("乙村服务站", "江边点"):
            pg.locator(".yl-search input").fill(name)
            pg.locator(".yl-search button.yl-search-go").click()
            pg.wait_for_timeout(300)
            got.append(pg.evaluate("""() => [document.querySelector('.yl-search-msg').textContent,
              (document.querySelector('[data-card="hub"]') || {}).textContent || '']"""))
        pg.screenshot(path=str(page.with_name(f"find_{size[0]}.png")))
        assert not errors
    (msg1, card1), (msg2, card2) = got
    assert msg1 == "" and "乙村服务站" in card1 and "现有固定服务点" in card1
    assert msg2 == "" and "江边点" in card2 and "隔着没有桥的河流或水面" in card2
