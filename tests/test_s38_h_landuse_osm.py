"""Session 38 audit (helper H): BARRIER-LANDUSE of an OSM-tagged water layer (andorra.gpkg::water, a ``landuse``
column only) listed its untagged polygons as "? ×291" in both languages, said "1 polygon of other classes were
left out" in English, and gave as its fix the land survey's DLBM codes, which such a layer has not."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
from shapely import box

from yuanluo.gis.barriers import prepare_barriers
from yuanluo.gis.catalogue import english_one

UTM = "EPSG:32631"


def _report(landuse: list[str | None], dlmc: list[str] | None = None):  # noqa: ANN202
    cols = {"landuse": landuse} if dlmc is None else {"DLMC": dlmc}
    n = len(landuse)
    water = gpd.GeoDataFrame(cols, geometry=[box(100 * i, 0, 100 * i + 50, 50) for i in range(n)], crs=UTM)
    near = np.array([[25.0, 25.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = prepare_barriers(UTM, water=water, near=near).problems
    (p,) = [q for q in found if q.code == "BARRIER-LANDUSE"]
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_osm_layer_says_no_class_and_fixes_by_tags(lang: str) -> None:
    p = _report([None, None, "reservoir", "grass"])
    msg = p.message(lang)
    assert "?" not in msg, msg
    assert {"zh": "无分类 ×2", "en": "no class ×2"}[lang] in msg, msg
    assert "DLBM" not in msg and "1101" not in msg and "landuse=reservoir" in p.fix(lang), msg
    assert "natural=wetland" in p.fix(lang)


def test_english_counts_of_one() -> None:
    en = _report(["reservoir", "grass"]).message("en")
    assert "1 water polygon blocks walking" in en and "1 polygon was left out" in en, en
    assert "were left out" not in en and "1 water polygons" not in en, en
    assert english_one("1 water line features do not") == "1 water line feature does not"


def test_survey_layer_keeps_its_dlbm_fix() -> None:
    p = _report(["x", "y"], dlmc=["坑塘水面", "旱地"])
    assert "1104" in p.fix("zh") and "DLBM" in p.fix("en") and "OpenStreetMap" not in p.fix("en")
