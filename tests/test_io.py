"""Loading households: formats, encodings, Chinese headers, GK conventions, and a round-trip property."""

from __future__ import annotations

import string
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from badfiles import HEADER, LAT0, LON0, good_gdf, good_rows, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import ANDORRA_GPKG

from gis.chinacoords import wgs84_to_gcj02
from gis.crs import transform_xy
from gis.io import read_households, read_layer

ANDORRA = ANDORRA_GPKG


def test_gbk_csv_with_chinese_headers(tmp_path: Path) -> None:
    lines = ["户号,经度,纬度,家庭人口,村民小组,行政村,自然院落,党员,户主",
             "0001,106.550000,29.560000,3,一组,和平村,张家湾,是,张三",
             "0002,106.550400,29.560300,5,一组,和平村,张家湾,否,李四",
             "0003,106.550800,29.560600,2,二组,和平村,李家院子,,王五"]
    p = write_csv(tmp_path, "农户.csv", lines, encoding="gbk")
    h, rep = read_households(p, crs="EPSG:4490")
    assert rep.encoding == "gb18030" and rep.format == "csv"
    assert h.index.name == "hid" and h.index.tolist() == ["0001", "0002", "0003"]
    assert h["persons"].dtype == "Int64" and h["persons"].tolist() == [3, 5, 2]
    assert h["group"].tolist() == ["一组", "一组", "二组"]
    assert h["village"].tolist() == ["和平村"] * 3
    assert h["settlement"].tolist() == ["张家湾", "张家湾", "李家院子"]
    assert h["head_candidate"].tolist() == [True, False, False]
    assert h["户主"].tolist() == ["张三", "李四", "王五"]  # other columns keep their names
    assert rep.column_map["hid"] == "户号" and rep.column_map["persons"] == "家庭人口"
    assert rep.working_crs == "EPSG:4545" and h.crs.to_epsg() == 4545
    x, y = transform_xy([106.55], [29.56], 4326, 4545)
    assert abs(h.geometry.x.iloc[0] - x[0]) < 1e-6 and abs(h.geometry.y.iloc[0] - y[0]) < 1e-6
    assert len(rep.sha256["农户.csv"]) == 64 and rep.n_rows == 3


def test_utf8_bom_title_row_fullwidth_and_dms(tmp_path: Path) -> None:
    lines = ["某某村农户信息表,,,", "户编号,经度,纬度,人口",
             "001,１０６．５５,29.56,３", "002,106°33′01.44″E,29°33′36″N,2", "003,106.5508,29.5606,"]
    p = write_csv(tmp_path, "h.csv", lines, encoding="utf-8-sig")
    h, rep = read_households(p, crs="EPSG:4490")
    assert rep.encoding == "utf-8-sig"
    assert h.index.tolist() == ["001", "002", "003"] and h["persons"].tolist()[:2] == [3, 2]
    assert pd.isna(h["persons"].iloc[2])
    lonlat = h.to_crs(4326).geometry
    assert abs(lonlat.x.iloc[1] - (106 + 33 / 60 + 1.44 / 3600)) < 1e-9
    assert abs(lonlat.y.iloc[1] - 29.56) < 1e-9


def test_shapefile_in_zone_prefixed_gk(tmp_path: Path) -> None:
    g = good_gdf(crs="EPSG:4523")  # CGCS2000 / 3-degree GK zone 35, eastings 35 xxx xxx
    assert (g.geometry.x > 35e6).all()
    p = tmp_path / "h.shp"
    g.to_file(p, encoding="utf-8")
    h, rep = read_households(p)
    assert rep.declared_crs == "EPSG:4523" and rep.working_crs == "EPSG:4545"
    assert h.index.tolist() == g["户编号"].tolist()
    back = h.to_crs(4326).geometry
    exp = good_gdf().geometry
    assert np.allclose(back.x, exp.x.to_numpy(), atol=1e-8) and np.allclose(back.y, exp.y.to_numpy(), atol=1e-8)


def test_gbk_shapefile_without_cpg_is_read_correctly(tmp_path: Path) -> None:
    g = good_gdf(3)
    g["户主"] = ["张三", "李四", "王五"]
    p = tmp_path / "h.shp"
    g.to_file(p, encoding="gbk")
    p.with_suffix(".cpg").unlink()
    h, rep = read_households(p)
    assert h["户主"].tolist() == ["张三", "李四", "王五"] and h.index.tolist() == ["001", "002", "003"]
    assert rep.encoding == "GB18030" and [w.code for w in rep.warnings] == ["ENC-GUESS"]
    assert {"h.shp", "h.shx", "h.dbf", "h.prj"} <= set(rep.sha256)


def test_gk_csv_x_is_northing(tmp_path: Path) -> None:
    e, n = transform_xy([LON0, LON0 + 0.001], [LAT0, LAT0], 4326, 4545)
    lines = ["编号,X,Y", f"A1,{n[0]:.3f},{e[0]:.3f}", f"A2,{n[1]:.3f},{e[1]:.3f}"]
    h, rep = read_households(write_csv(tmp_path, "gk.csv", lines), crs="EPSG:4545")
    assert np.allclose(h.geometry.x, e, atol=1e-3) and np.allclose(h.geometry.y, n, atol=1e-3)
    # explicit columns: x_col is the easting whatever the header says
    h2, _ = read_households(write_csv(tmp_path, "gk.csv", lines), crs="EPSG:4545", x_col="Y", y_col="X")
    assert np.allclose(h2.geometry.x, e, atol=1e-3)


def test_gcj02_declared_is_converted(tmp_path: Path) -> None:
    glon, glat = wgs84_to_gcj02([LON0], [LAT0])
    p = write_csv(tmp_path, "amap.csv", ["户编号,经度,纬度", f"1,{glon[0]:.9f},{glat[0]:.9f}"])
    h, rep = read_households(p, crs="gcj02")
    x, y = transform_xy([LON0], [LAT0], 4326, 4545)
    assert abs(h.geometry.x.iloc[0] - x[0]) < 0.01 and abs(h.geometry.y.iloc[0] - y[0]) < 0.01
    assert rep.declared_crs == "gcj02"


def test_geoparquet_geojson_and_gpkg_layer(tmp_path: Path) -> None:
    g = good_gdf()
    g.to_parquet(tmp_path / "h.parquet")
    g.to_file(tmp_path / "h.geojson", driver="GeoJSON")
    g.to_file(tmp_path / "h.gpkg", layer="households")
    g.iloc[:2].to_file(tmp_path / "h.gpkg", layer="other")
    for name, layer in (("h.parquet", None), ("h.geojson", None), ("h.gpkg", "households")):
        h, rep = read_households(tmp_path / name, layer=layer)
        assert h.index.tolist() == g["户编号"].tolist(), name
        assert h["persons"].tolist() == [3] * 6
    assert rep.layer == "households"


def test_centroids_and_input_not_modified(tmp_path: Path) -> None:
    g = good_gdf().to_crs(4545)
    g["geometry"] = g.buffer(6, cap_style="square")
    g.to_file(tmp_path / "fp.gpkg")
    h, _ = read_households(tmp_path / "fp.gpkg", centroids=True)
    assert (h.geometry.geom_type == "Point").all()
    assert np.allclose(h.geometry.x, g.geometry.centroid.x.to_numpy(), atol=0.01)


def test_crs_override_warns(tmp_path: Path) -> None:
    good_gdf().to_file(tmp_path / "h.gpkg")
    _, rep = read_households(tmp_path / "h.gpkg", crs="EPSG:4490")
    assert [w.code for w in rep.warnings] == ["CRS-OVERRIDE"]


@pytest.mark.skipif(not ANDORRA.exists(), reason="shared Andorra data not present")
def test_andorra_building_points() -> None:
    h, rep = read_households(ANDORRA, layer="building_points", id_col="osm_id")
    assert len(h) == 7383 and h.index.is_unique and rep.working_crs == "EPSG:32631"
    assert h.index.dtype == "str" or h.index.inferred_type == "string"
    b = read_layer(ANDORRA, layer="parishes", kind="boundary", working_crs=h.crs)
    assert len(b) == 7 and b.crs == h.crs


# ids with leading zeros ("007" vs "7"), letters and dashes; all must survive as strings
ids_st = st.lists(st.text(alphabet=string.digits + "AB-", min_size=1, max_size=6), min_size=1, max_size=25,
                  unique=True)


@settings(deadline=None, max_examples=15)
@given(ids=ids_st, seed=st.integers(0, 1000))
def test_roundtrip_never_loses_or_duplicates(tmp_path_factory: pytest.TempPathFactory, ids: list[str],
                                             seed: int) -> None:
    rng = np.random.default_rng(seed)
    lon = LON0 + rng.uniform(0, 0.01, len(ids))
    lat = LAT0 + rng.uniform(0, 0.01, len(ids))
    tmp = tmp_path_factory.mktemp("rt")
    lines = ["户编号,经度,纬度"] + [f"{i},{a:.7f},{b:.7f}" for i, a, b in zip(ids, lon, lat, strict=True)]
    h, _ = read_households(write_csv(tmp, "h.csv", lines), crs="EPSG:4490")
    assert h.index.tolist() == ids
    assert all(isinstance(i, str) for i in h.index)
    g = gpd.GeoDataFrame({"hid": ids}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    g.to_file(tmp / "h.gpkg")
    h2, _ = read_households(tmp / "h.gpkg")
    assert h2.index.tolist() == ids and len(h2) == len(ids)
    assert np.allclose(h2.geometry.x.to_numpy(), h.geometry.x.to_numpy(), atol=1e-3)


def test_header_only_rows_never_dropped(tmp_path: Path) -> None:
    h, rep = read_households(write_csv(tmp_path, "h.csv", [HEADER, *good_rows(9)]), crs="EPSG:4490")
    assert len(h) == rep.n_rows == 9
