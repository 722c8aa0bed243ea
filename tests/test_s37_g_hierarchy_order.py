"""The organisation tree lists its towns, villages and groups in the roster's order (session 37, helper G).

Since 7cba9eb every list a person reads follows the planner's roster (yuanluo.gis.keys.roster_order), but the
tree did not: its graph (``delineate --hierarchy``'s JSON and GraphML) added villages and groups sorted by name,
so 一组 (U+4E00) before 二组 and 光明村 before 新华村 whatever the roster typed, and the result's ``hierarchy``
layer listed its households by id, so a roster that types 乙镇 first but gives 甲镇 the smaller ids opened in QGIS
with 甲镇. Both now follow the roster: the towns as the file first names them, each town's villages together as
typed, each village's groups as typed; a group's units by unit id (its unassigned households last), a unit's
households by id.

Roster (ids not in the rows' order; groups typed 二组 first)::

    乙镇 新华村 二组 101-105, 一组 106-110 | 乙镇 长江村 111-120
    甲镇 新华村 001-010 | 甲镇 光明村 011-020 | 甲镇 红星村 021-030
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.hierarchy import build_hierarchy, hierarchy_table, read_hierarchy, write_hierarchy
from yuanluo.gis.keys import roster_order

LON0, LAT0 = 106.55, 29.56
RUNS = [("乙镇", "新华村", 101), ("乙镇", "长江村", 111), ("甲镇", "新华村", 1), ("甲镇", "光明村", 11),
        ("甲镇", "红星村", 21)]
GROUPS = ["二组", "一组"]
#: (town, village, group) as the roster types them
PLACES = [(t, v, g) for t, v, _ in RUNS for g in GROUPS]


def _roster(tmp: Path) -> Path:
    lines = ["户编号,经度,纬度,人口,乡镇,行政村,村民小组,党员"]
    for r, (t, v, first) in enumerate(RUNS):
        for g, group in enumerate(GROUPS):
            for k in range(5):
                lon = LON0 + r * 0.008 + g * 0.0025 + (k % 3) * 0.0004
                lines.append(f"{first + g * 5 + k:03d},{lon:.6f},{LAT0 + (k // 3) * 0.0004:.6f},3,{t},{v},{group},"
                             + ("是" if k == 1 else "否"))
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("s37_g_order")
    gpkg, tree = tmp / "u.gpkg", tmp / "org.json"
    run_cli(["delineate", str(_roster(tmp)), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(gpkg),
             "--hierarchy", str(tree)])
    return {"gpkg": gpkg, "tree": tree}


def _runs(keys: list[Any]) -> list[Any]:
    """``keys`` with each run of equal neighbours said once."""
    return [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]


def test_the_hierarchy_layer_lists_the_places_as_the_roster(result: dict[str, Any]) -> None:
    layer = pyogrio.read_dataframe(result["gpkg"], layer="hierarchy", read_geometry=False)  # in fid order, as QGIS
    places = list(zip(layer["town"], layer["village"], layer["group"], strict=True))
    assert _runs(places) == PLACES  # was by id: 甲镇's households (001 …) first, 乙镇's (101 …) last
    # the same order as gis.keys.roster_order gives the households layer (the roster's rows as they stand)
    hh = pyogrio.read_dataframe(result["gpkg"], layer="households", read_geometry=False)
    rank = roster_order(hh, ["village", "group"])
    ranked = hh.assign(rank=rank).drop_duplicates("rank").sort_values("rank")
    assert list(zip(ranked["乡镇"], ranked["village"], ranked["group"], strict=True)) == PLACES
    # within a group its units by id, within a unit the households by id; each unit's rows together
    units = _runs(layer["unit_id"].tolist())
    assert len(units) == len(set(units)) == layer["unit_id"].nunique()
    for _, rows in layer.groupby(["town", "village", "group"], sort=False):
        assert _runs(rows["unit_id"].tolist()) == sorted(set(rows["unit_id"]))
    for _, rows in layer.groupby("unit_id", sort=False):
        assert rows["hid"].tolist() == sorted(rows["hid"])
    assert sorted(layer["hid"]) == sorted(hh["hid"])


def test_the_hierarchy_file_lists_the_places_as_the_roster(result: dict[str, Any]) -> None:
    data = json.loads(result["tree"].read_text(encoding="utf-8"))
    nodes = [n["id"] for n in data["nodes"]]
    villages = [n for n in nodes if n.startswith("village:")]
    groups = [n for n in nodes if n.startswith("group:")]
    assert villages == _runs([f"village:{t}/{v}" for t, v, _ in PLACES])  # was 乙镇/新华村, 乙镇/长江村, 甲镇/光明村 …
    assert groups == [f"group:{t}/{v}/{g}" for t, v, g in PLACES]  # was 一组 before 二组 in every village
    g = read_hierarchy(result["tree"])
    assert list(g.successors("town")) == villages
    assert list(g.successors("village:甲镇/新华村")) == ["group:甲镇/新华村/二组", "group:甲镇/新华村/一组"]
    # the tree read back gives the layer's rows in the layer's order
    layer = pyogrio.read_dataframe(result["gpkg"], layer="hierarchy", read_geometry=False)
    assert hierarchy_table(g).index.tolist() == layer["hid"].tolist()
    assert data["graph"]["town"] == "乙镇、甲镇"


def _households(rows: list[tuple[str, str, str, str]]) -> gpd.GeoDataFrame:
    """(hid, town, village, group) per row, 10 m apart on a line."""
    return gpd.GeoDataFrame({"乡镇": [r[1] for r in rows], "village": [r[2] for r in rows],
                             "group": [r[3] for r in rows]},
                            geometry=gpd.points_from_xy([500_000.0 + 10 * i for i in range(len(rows))],
                                                        [3_300_000.0] * len(rows)),
                            index=pd.Index([r[0] for r in rows], name="hid"), crs="EPSG:4545")


def test_a_groups_units_by_id_its_unassigned_last_and_the_root_as_typed(tmp_path: Path) -> None:
    hh = _households([("h9", "甲镇", "新华村", "二组"), ("h1", "甲镇", "新华村", "二组"), ("h5", "甲镇", "新华村", "二组"),
                      ("h2", "乙镇", "长江村", "一组"), ("h3", "甲镇", "新华村", "一组")])
    labels = pd.Series({"h9": "U2", "h1": "U10", "h2": "U3", "h3": "U1"})  # h5 in no unit
    units = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U10", "U0"], "village": [None] * 5})
    g = build_hierarchy(hh, labels, units=units, town="镇")
    assert g.nodes["town"]["name"] == "甲镇、乙镇"  # as typed; was by name: 乙镇、甲镇
    assert list(g.successors("town")) == ["village:甲镇/新华村", "village:乙镇/长江村", "village:（未分组）"]
    assert list(g.successors("village:甲镇/新华村")) == ["group:甲镇/新华村/二组", "group:甲镇/新华村/一组"]
    assert list(g.successors("group:甲镇/新华村/二组")) == ["unit:U10", "unit:U2", "unit:（未分配）@甲镇/新华村/二组"]
    table = hierarchy_table(g)
    assert table.index.tolist() == ["h1", "h9", "h5", "h3", "h2"]
    back = read_hierarchy(write_hierarchy(g, tmp_path / "org.graphml"))
    assert hierarchy_table(back).index.tolist() == table.index.tolist()
    assert list(back.successors("town")) == list(g.successors("town"))
