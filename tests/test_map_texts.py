"""The texts of the maps and the report come from the catalogue, one language at a time."""

from __future__ import annotations

import re

import pytest

from yuanluo.gis.catalogue import LANGS, catalogue, fields_of
from yuanluo.maps.style import STAMP, label

#: Latin words a Chinese text may hold: product and format names, codes, option and column names, units
ZH_LATIN_OK = {"GCJ-02", "GPS", "EPSG", "GeoDataFrame", "osm", "tianditu", "amap", "tianditu_key", "households",
               "units", "yuanluo.gis.io", "OpenStreetMap", "crs", "min", "AutoNavi", "AMap",
               "ODbL", "SRTM", "NASA", "USGS"}  # a licence's, a data set's and its makers' names (map.sample_credit)


def _ours() -> list[str]:
    return sorted(k for k in catalogue() if k.startswith(("map.", "report.", "MAP-LAYER", "MAP-COLUMN",
                                                          "MAP-BASEMAP", "MAP-HILLSHADE", "MAP-NO-LAYERS")))


@pytest.mark.parametrize("key", _ours())
def test_one_language_per_text(key: str) -> None:
    entry = catalogue()[key]
    assert set(entry) == set(LANGS)
    for fld in entry["zh"]:
        zh, en = entry["zh"][fld], entry["en"][fld]
        assert fields_of(zh) == fields_of(en), (key, fld)
        assert not re.search(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]", en), (key, en)
        # (a command or value quoted “…” is code, not an English word)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]", re.sub(r"\{[^}]*\}|“[^”]*”", "", zh)))
        assert words <= ZH_LATIN_OK | {"EPSG:3857"}, (key, words - ZH_LATIN_OK)


def test_labels_come_from_the_catalogue() -> None:
    assert label("legend", "zh") == catalogue()["map.legend"]["zh"]["text"] == "图例"
    assert label("households", "en") == "Households"
    assert label("编号X", "en") == "编号X"  # a data column without an entry is its own label
    assert STAMP == label("stamp", "zh") == "内部工作用图" and label("stamp", "en") == "Internal working map"
    import yuanluo.maps.style as style
    import yuanluo.planners.report as report

    assert not hasattr(style, "LABELS") and not hasattr(report, "_T")  # no second home for the texts
