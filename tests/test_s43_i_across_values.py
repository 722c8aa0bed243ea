"""The sites_left_out layer's new ``across`` column (75f157b: river / water) is shown in words in QGIS, as the
edges' ``reason`` is (session 43, helper I): a ValueMap river → 河流 / a river, water → 水面 / water."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from yuanluo.gis.layerstyle import layer_qml


@pytest.mark.parametrize(("lang", "words"), [("zh", {"河流": "river", "水面": "water"}),
                                             ("en", {"a river": "river", "water": "water"})])
def test_across_is_a_value_map(lang: str, words: dict[str, str]) -> None:
    df = pd.DataFrame({"site": ["江边点", "塘边"], "across": ["river", "water"]})
    qml = layer_qml("sites_left_out", {"sites_left_out": df}, lang)
    assert qml is not None
    root = ET.fromstring(qml.split("\n", 1)[1])
    field = next(f for f in root.iter("field") if f.get("name") == "across")
    assert field.find("editWidget").get("type") == "ValueMap"
    got = {o.get("name"): o.get("value") for o in field.iter("Option") if o.get("value") is not None}
    assert got == words, got
