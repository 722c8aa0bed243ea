"""GeoPackages a planner opens as-is: field aliases GDAL/QGIS read back, layer titles, a QGIS default style."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from yuanluo.gis.layerstyle import layer_qml, qml_fields
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

#: the columns of layer_styles as QGIS creates it (QgsOgrProviderMetadata::saveStyle), after its ``id``
QGIS_STYLE_COLUMNS = ["f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                      "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]


def _libgdal() -> ctypes.CDLL | None:
    """The GDAL library pyogrio itself runs on (its wheel bundles one), else the system's."""
    libs = sorted((Path(pyogrio.__file__).parent.parent / "pyogrio.libs").glob("libgdal*"))
    name = str(libs[0]) if libs else ctypes.util.find_library("gdal")
    if name is None:
        return None
    g = ctypes.CDLL(name)
    g.GDALAllRegister()
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    for fn, res, args in (("GDALOpenEx", vp, [cp, ctypes.c_uint, vp, vp, vp]),
                          ("GDALDatasetGetLayerByName", vp, [vp, cp]), ("OGR_L_GetLayerDefn", vp, [vp]),
                          ("OGR_FD_GetFieldCount", ctypes.c_int, [vp]),
                          ("OGR_FD_GetFieldDefn", vp, [vp, ctypes.c_int]), ("OGR_Fld_GetNameRef", cp, [vp]),
                          ("OGR_Fld_GetAlternativeNameRef", cp, [vp]), ("GDALClose", None, [vp])):
        getattr(g, fn).restype = res
        getattr(g, fn).argtypes = args
    return g


def gdal_aliases(path: Path, layer: str) -> dict[str, str]:
    """``field → alternative name`` as GDAL reads them (what QGIS shows as aliases)."""
    g = _libgdal()
    if g is None:
        pytest.skip("no GDAL library to read the aliases back with")
    ds = g.GDALOpenEx(str(path).encode(), 0x04, None, None, None)
    assert ds, path
    try:
        defn = g.OGR_L_GetLayerDefn(g.GDALDatasetGetLayerByName(ds, layer.encode()))
        out = {}
        for i in range(g.OGR_FD_GetFieldCount(defn)):
            f = g.OGR_FD_GetFieldDefn(defn, i)
            out[g.OGR_Fld_GetNameRef(f).decode()] = (g.OGR_Fld_GetAlternativeNameRef(f) or b"").decode()
        return out
    finally:
        g.GDALClose(ds)


@pytest.fixture(scope="module")
def layers() -> dict[str, pd.DataFrame]:
    lyr = sample_layers(60, block=5)
    lyr.pop("run", None)
    lyr["households"] = lyr["households"].reset_index()
    return lyr


def _write(path: Path, layers: dict[str, pd.DataFrame], lang: str = "zh") -> Path:
    return write_layers(path, layers, run={"timestamp": "2026-01-02T03:04:05Z", "seed": 0}, lang=lang)[0]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def result_zh(layers: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("zh") / "r.gpkg", layers)


def test_gdal_reads_chinese_aliases_and_column_names_stay(result_zh: Path) -> None:
    gpkg = result_zh
    hh = gdal_aliases(gpkg, "households")
    assert hh["hid"] == "户编号" and hh["unit_id"] == "院落编号" and hh["unit_status"] == "院落状态"
    assert hh["户主姓名"] == ""                                    # a column of the user's own: no alias
    units = gdal_aliases(gpkg, "units")
    assert units["n_households"] == "院落户数" and units["mean_walk_min"] == "平均步行分钟"
    assert list(gpd.read_file(gpkg, layer="units").columns[:2]) == ["unit_id", "n_households"]
    assert gdal_aliases(gpkg, "run") == {"key": "项目", "value": "数值"}
    with sqlite3.connect(gpkg) as con:
        titles = dict(con.execute("SELECT table_name, identifier FROM gpkg_contents").fetchall())
        ext = con.execute("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'").fetchone()
    assert titles["households"] == "农户" and titles["units"] == "院落范围" and titles["meeting_points"] == "议事点"
    assert ext == (2,)


def test_english_aliases_with_lang_en(tmp_path: Path, layers: dict[str, pd.DataFrame]) -> None:
    gpkg = _write(tmp_path / "r.gpkg", layers, lang="en")
    assert gdal_aliases(gpkg, "households")["hid"] == "Household ID"
    with sqlite3.connect(gpkg) as con:
        assert con.execute("SELECT identifier FROM gpkg_contents WHERE table_name = 'units'").fetchone() == (
            "Unit territories",)


def test_layer_styles_as_qgis_keeps_them(result_zh: Path, layers: dict[str, pd.DataFrame]) -> None:
    gpkg = result_zh
    assert "layer_styles" in {n for n, _ in pyogrio.list_layers(gpkg)}
    with sqlite3.connect(gpkg) as con:
        cols = [r[1] for r in con.execute('PRAGMA table_info("layer_styles")')]
        rows = con.execute("SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleQML, "
                           "useAsDefault, update_time FROM layer_styles ORDER BY id").fetchall()
        geom = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    assert cols == ["id", *QGIS_STYLE_COLUMNS]
    # the drawn layers with their symbology; the tables with their aliases only (QGIS 3.22-3.28 shows a
    # GeoPackage's own aliases only through a style)
    assert [r[2] for r in rows] == ["households", "units", "meeting_points", "unit_adjacency", "run"]
    for catalog, schema, table, gcol, qml, default, stamp in rows:
        # the GeoPackage's DATETIME form, as gpkg_contents.last_change (without the milliseconds GDAL 3.6, in
        # QGIS 3.22, warns "Non-conformant content" on opening the file)
        assert (catalog, schema, default, stamp) == ("", "", 1, "2026-01-02T03:04:05.000Z")
        assert gcol == geom.get(table, "")                           # QGIS matches the style on this column
        root = ET.fromstring(qml.split("\n", 1)[1])                  # after the DOCTYPE line
        drawn = table in ("households", "units", "meeting_points")
        assert root.tag == "qgis" and (root.find("renderer-v2") is not None) == drawn
        assert root.get("styleCategories") == ("Symbology|Labeling|Fields|Forms" if drawn else "Fields|Forms")
        fields = set(pyogrio.read_info(gpkg, layer=table)["fields"])
        assert qml_fields(qml) and qml_fields(qml) <= fields, table
    units_qml = rows[1][4]
    assert 'labelsEnabled="1"' in units_qml and 'fieldName="unit_id"' in units_qml
    root = ET.fromstring(units_qml.split("\n", 1)[1])
    cats = root.findall("renderer-v2/categories/category")
    assert sorted(c.get("value") for c in cats) == sorted(layers["units"]["unit_id"].astype(str))
    assert {a.get("field"): a.get("name") for a in root.iter("alias")}["n_households"] == "院落户数"
    shown = {o.get("value"): o.get("name") for o in root.iterfind(".//field[@name='status']//Option[@type='QString']")}
    assert shown == {"ok": "符合规定", "exception": "例外", "violation": "违规", "locked": "锁定"}   # values stay, QGIS shows words


def test_neighbouring_units_differ_in_colour_and_exceptions_are_hatched() -> None:
    units = pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "status": ["ok", "ok", "exception"]})
    adj = pd.DataFrame({"unit_a": ["U1"], "unit_b": ["U2"]})
    root = ET.fromstring(layer_qml("units", {"units": units, "unit_adjacency": adj}).split("\n", 1)[1])
    colour = {s.get("name"): s.find("layer/Option/Option[@name='color']").get("value")
              for s in root.findall("renderer-v2/symbols/symbol")}
    style = {s.get("name"): s.find("layer/Option/Option[@name='style']").get("value")
             for s in root.findall("renderer-v2/symbols/symbol")}
    assert colour["0"] != colour["1"]
    assert style["2"] == "b_diagonal" and style["0"] == "solid"


def test_units_whose_territories_touch_differ_in_colour_too() -> None:
    """U1 and U3 share no graph edge (a river between them) but their territories touch: QGIS drew them in one
    colour while the print map, which also pairs touching territories, did not."""
    import shapely

    units = gpd.GeoDataFrame({"unit_id": ["U1", "U2", "U3"], "status": ["ok", "ok", "ok"]},
                             geometry=[shapely.box(0, 0, 1, 1), shapely.box(5, 0, 6, 1), shapely.box(1, 0, 2, 1)],
                             crs="EPSG:4545")
    adj = pd.DataFrame({"unit_a": ["U1"], "unit_b": ["U2"]})
    root = ET.fromstring(layer_qml("units", {"units": units, "unit_adjacency": adj}).split("\n", 1)[1])
    symbol = {c.get("value"): c.get("symbol") for c in root.iter("category")}
    colour = {s.get("name"): s.find("layer/Option/Option[@name='color']").get("value")
              for s in root.findall("renderer-v2/symbols/symbol")}
    assert colour[symbol["U1"]] != colour[symbol["U2"]] and colour[symbol["U1"]] != colour[symbol["U3"]]


def test_coverage_households_by_walking_minutes_and_hubs_by_level(tmp_path: Path) -> None:
    pts = gpd.points_from_xy([0.0, 10.0, 20.0], [0.0, 0.0, 0.0])
    hh = gpd.GeoDataFrame({"hid": ["a", "b", "c"], "hub_id": ["P001", "P001", None],
                           "walk_min": [3.0, 12.0, None]}, geometry=pts, crs="EPSG:4545")
    hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "level": ["mobile"]}, geometry=pts[:1], crs="EPSG:4545")
    gpkg = write_layers(tmp_path / "c.gpkg", {"households": hh, "hubs": hubs})[0]
    with sqlite3.connect(gpkg) as con:
        qml = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    assert qml_fields(qml["households"]) == {"walk_min", "hid", "hub_id"}          # the rules, and the aliases
    rules = [r.get("label") for r in ET.fromstring(qml["households"].split("\n", 1)[1]).iter("rule")]
    assert rules == ["0–5 分钟", "5–10 分钟", "10–15 分钟", "超过 15 分钟", "走不到"]
    assert qml_fields(qml["hubs"]) == {"hub_id", "level"} and "流动服务点" in qml["hubs"]
    assert gdal_aliases(gpkg, "households")["walk_min"] == "到服务点步行分钟"


def test_same_layers_same_bytes(tmp_path: Path, layers: dict[str, pd.DataFrame], result_zh: Path) -> None:
    again = _write(tmp_path / "again.gpkg", layers)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(result_zh.read_bytes()).digest()


def test_context_layers_are_drawn_as_the_maps_draw_them(tmp_path: Path) -> None:
    import shapely

    crs = "EPSG:4545"
    layers = {
        "rivers": gpd.GeoDataFrame({"name": ["河"]}, geometry=[shapely.LineString([(0, 0), (50, 10)])], crs=crs),
        "water": gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)], crs=crs),
        "boundary": gpd.GeoDataFrame(geometry=[shapely.box(-5, -5, 60, 20)], crs=crs),
    }
    gpkg = write_layers(tmp_path / "ctx.gpkg", layers)[0]
    with sqlite3.connect(gpkg) as con:
        qml = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    kinds = {name: ET.fromstring(q.split("\n", 1)[1]).find(".//symbol") for name, q in qml.items()}
    assert {n: k.get("type") for n, k in kinds.items()} == {"rivers": "line", "water": "fill", "boundary": "fill"}
    fill_style = {n: k.find("layer/Option/Option[@name='style']").get("value") for n, k in kinds.items()
                  if k.get("type") == "fill"}
    assert fill_style == {"water": "solid", "boundary": "no"}          # the boundary is an outline only


def test_maturity_units_shaded_by_their_weakest_category() -> None:
    import shapely

    um = gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "weakest": ["mediation,economy", None]},
                          geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:4545")
    qml = layer_qml("units_maturity", {"units_maturity": um})
    assert qml is not None and qml_fields(qml) <= {"unit_id", "weakest"}
    rules = {r.get("label"): r.get("filter") for r in ET.fromstring(qml.split("\n", 1)[1]).iter("rule")}
    assert rules["最弱：矛盾调处"] == "\"weakest\" LIKE 'mediation%'" and rules["未评分"] == "ELSE"


def test_a_graph_file_shows_its_edges_and_tables_in_words(tmp_path: Path) -> None:
    """The graph file's edges were drawn in QGIS's random single colour, and the ``reason`` of a cut edge and the
    components' columns showed as codes and canonical names (QGIS before 3.30 shows aliases only through a
    style): the edges are now drawn by reason, kept ones thin, and every table carries its aliases."""
    from yuanluo.gis.graph import TerrainGraph, components_report, graph_edges_gdf

    g = TerrainGraph.from_edges(["a", "b", "c", "d"], [[0, 0], [60, 0], [0, 60], [400, 400]], [(0, 1), (0, 2)],
                                crs="EPSG:4545")
    g.cut = pd.DataFrame({"u": [1, 2], "v": [2, 3], "length_m": [85.0, 500.0], "walk_min": [1.2, 7.0],
                          "reason": ["river", "length"]})
    out = tmp_path / "g.gpkg"
    write_layers(out, {"edges": graph_edges_gdf(g, include_cut=True), "components": components_report(g)},
                 lang="zh")
    with sqlite3.connect(out) as con:
        qml = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    edges = ET.fromstring(qml["edges"].split("\n", 1)[1])
    assert edges.find("renderer-v2").get("attr") == "reason"
    assert [(c.get("value"), c.get("label")) for c in edges.iter("category")] == [
        ("", "保留的邻接边"), ("river", "断开：跨河"), ("water", "断开：跨水面"), ("length", "断开：步行过远")]
    shown = {o.get("value"): o.get("name") for o in edges.iterfind(".//field[@name='status']//Option[@type='QString']")}
    assert shown == {"kept": "保留的邻接边", "cut": "断开的邻接边"}
    table = ET.fromstring(qml["components"].split("\n", 1)[1])
    assert table.find("renderer-v2") is None and table.get("styleCategories") == "Fields|Forms"
    aliases = {a.get("field"): a.get("name") for a in table.iter("alias")}
    assert aliases["join_reason"] == "连接原因" and aliases["component"] == "连通片区"
