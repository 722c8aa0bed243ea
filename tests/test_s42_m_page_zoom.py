"""Session 42, helper M: every map page forbade page zoom (auditor F).

The field map, the coverage map and the maturity map carried folium's viewport meta, ``maximum-scale=1.0,
user-scalable=no``: on a phone an elderly official could not enlarge the cards' or the legend's text. The pages now
have ``width=device-width, initial-scale=1`` (as the editor and the reports have), and the map keeps its own
pinch-zoom: Leaflet's container takes the pinch (touch-action none), the map zooms and the page does not.

Fixture: the sample layers (field map), three households and one service point (coverage map); at 360 × 640 with a
phone's touch screen for the pinch.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from browser import live_page, require_browser
from shapely.geometry import Point

from yuanluo.maps.coverage import make_cover_map, render_cover_html
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _cover_page(lang: str) -> str:
    hh = gpd.GeoDataFrame({"hub_id": ["P001", "P001", None], "walk_min": [0.0, 7.46, float("nan")],
                           "code": [None, None, "COVER-UNREACHABLE"]},
                          geometry=[Point(500000, 3300000), Point(500300, 3300000), Point(509000, 3300000)],
                          crs="EPSG:32648", index=pd.Index(["H1", "H2", "H3"], name="hid"))
    hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "site": ["H1"], "level": ["village"]},
                            geometry=[Point(500000, 3300000)], crs="EPSG:32648")
    return render_cover_html(make_cover_map({"households": hh, "hubs": hubs}, lang=lang))


def _pages(lang: str) -> dict[str, str]:
    return {"field": render_html(make_map(sample_layers(40, block=3, seed=1), lang=lang)), "cover": _cover_page(lang)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_map_page_lets_the_page_be_enlarged(lang: str) -> None:
    for name, html in _pages(lang).items():
        metas = re.findall(r'<meta name="viewport"[^>]*>', html)
        assert metas == ['<meta name="viewport" content="width=device-width, initial-scale=1">'], (name, metas)
        assert "user-scalable" not in html and "maximum-scale" not in html, name


def test_a_pinch_on_the_map_still_zooms_the_map_not_the_page(tmp_path: Path) -> None:
    require_browser()
    page_path = tmp_path / "field.html"
    page_path.write_text(_pages("zh")["field"], encoding="utf-8")
    with live_page(page_path, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.find)", touch=True,
                   scale=2) as (page, errors):
        cdp = page.context.new_cdp_session(page)
        z0 = page.evaluate("window.yuanluo.map.getZoom()")
        assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).touchAction") == "none"
        cdp.send("Input.synthesizePinchGesture", {"x": 180, "y": 300, "scaleFactor": 2, "gestureSourceType": "touch"})
        page.wait_for_function(f"window.yuanluo.map.getZoom() > {z0}")
        assert page.evaluate("visualViewport.scale") == 1  # the page itself did not jump or zoom
        assert page.evaluate("window.yuanluo.map.touchZoom.enabled() && window.yuanluo.map.dragging.enabled()")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "s42_m_pinch_map.png"))
        assert not errors, errors
