"""The organisation tree keys a village as the nest key does: 新华村 of 甲镇 and 新华村 of 乙镇 were one node
``village:新华村`` holding both towns' households, under a root named just 镇. They are two nodes now, each with
its town, the root is named by the town column, and the hierarchy table gives each household its own town."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from yuanluo.gis.hierarchy import build_hierarchy, hierarchy_table, read_hierarchy, write_hierarchy


def _households(towns):
    n = len(towns)
    return gpd.GeoDataFrame({"乡镇": towns, "village": ["新华村"] * n, "group": ["一组"] * n},
                            geometry=gpd.points_from_xy([i * 10.0 for i in range(n)], [0.0] * n),
                            index=pd.Index([f"h{i}" for i in range(n)], name="hid"), crs="EPSG:4545")


def test_one_village_name_in_two_towns_is_two_village_nodes(tmp_path):
    hh = _households(["甲镇", "甲镇", "乙镇", "乙镇"])
    g = build_hierarchy(hh, pd.Series({"h0": "U1", "h1": "U1", "h2": "U2", "h3": None}), town="镇")
    villages = {n: d for n, d in g.nodes(data=True) if d["level"] == "village"}
    assert set(villages) == {"village:甲镇/新华村", "village:乙镇/新华村"}
    assert villages["village:甲镇/新华村"]["n_households"] == 2 and villages["village:甲镇/新华村"]["town"] == "甲镇"
    assert all(d["name"] == "新华村" for d in villages.values())
    assert g.nodes["town"]["name"] == "甲镇、乙镇"  # as the roster names them (was by name: 乙镇、甲镇)
    table = hierarchy_table(g)
    assert table["town"].tolist() == ["甲镇", "甲镇", "乙镇", "乙镇"]
    back = read_hierarchy(write_hierarchy(g, tmp_path / "org.graphml"))
    assert back.nodes["village:乙镇/新华村"]["town"] == "乙镇"
    assert "unit:（未分配）@乙镇/新华村/一组" in back


def test_one_town_names_the_root_unless_the_caller_names_it():
    hh = _households(["鱼洞街道"] * 2)
    labels = pd.Series({"h0": "U1", "h1": "U1"})
    assert build_hierarchy(hh, labels, town="镇").nodes["town"]["name"] == "鱼洞街道"
    assert build_hierarchy(hh, labels, town="Town", lang="en").nodes["town"]["name"] == "鱼洞街道"
    assert build_hierarchy(hh, labels, town="巴南区").nodes["town"]["name"] == "巴南区"
    plain = build_hierarchy(hh.drop(columns="乡镇"), labels, town="镇")
    assert "village:新华村" in plain and plain.nodes["town"]["name"] == "镇"
