"""Loading households: formats, encodings, Chinese headers, GK conventions, and a round-trip property."""

from __future__ import annotations

import string
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from badfiles import HEADER, LAT0, LON0, good_gdf, good_rows, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import ANDORRA_GPKG
from shapely.geometry import LineString
from typer.testing import CliRunner

from yuanluo.gis.chinacoords import wgs84_to_gcj02
from yuanluo.gis.columns import (
    PERSONAL_COLUMNS,
    code_columns,
    is_personal,
    parse_division_code,
    personal_columns,
)
from yuanluo.gis.crs import transform_xy
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import _cut_field_names, read_households, read_layer, read_table
from yuanluo.planners.cli import app

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
    assert rep.encoding == "GB18030" and [w.code for w in rep.warnings] == ["SHP-NO-CPG", "ATTR-PERSONAL"]
    # it said "tried UTF-8 (.cpg)" of a file without one, and to use --encoding, which a context layer has not
    said = rep.warnings[0].message("en")
    assert ".cpg" in said and "h.cpg" in said and "--encoding" not in said and "tried" not in said, said
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


def test_a_geopackage_with_qgis_styles_is_one_layer(tmp_path: Path) -> None:
    """A GeoPackage holding one layer and QGIS's ``layer_styles`` table (a style saved as default in QGIS, or
    the aliases Yuanluo writes for every layer) was "several layers, none chosen" (IO-LAYER)."""
    import sqlite3

    from yuanluo.gis.output import write_layers

    g = good_gdf()
    write_layers(tmp_path / "ours.gpkg", {"households": g.set_index("户编号")})
    g.to_file(tmp_path / "qgis.gpkg", layer="农户")
    with sqlite3.connect(tmp_path / "qgis.gpkg") as con:
        con.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY, f_table_name TEXT, styleQML TEXT)")
        con.execute("INSERT INTO layer_styles (f_table_name, styleQML) VALUES ('农户', '<qgis/>')")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                    "VALUES ('layer_styles', 'attributes', 'layer_styles')")
    for name in ("ours.gpkg", "qgis.gpkg"):
        h, _ = read_households(tmp_path / name)
        assert h.index.tolist() == g["户编号"].tolist(), name


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


# ------------------------------------------------------------------ #36 Shapefile field names cut mid-character
def _shp_with(tmp: Path, columns: dict[str, list[str]], encoding: str, cpg: bool = True) -> Path:
    g = good_gdf(3)
    for k, v in columns.items():
        g[k] = v
    p = tmp / "h.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's "laundered field name" notice
        g.to_file(p, encoding=encoding)
    if not cpg:
        p.with_suffix(".cpg").unlink()
    return p


@pytest.mark.parametrize(("encoding", "cpg"), [("gbk", True), ("gbk", False), ("utf-8", False)])
def test_shapefile_field_name_cut_mid_character(tmp_path: Path, encoding: str, cpg: bool) -> None:
    # "a户主姓名电话" is 1 + 6·2 bytes in GBK: cut at 10 bytes it ends in half a character, which GDAL
    # reads without complaint (the half is dropped); in UTF-8 "户主身份证号码" ends in 1/3 of one.
    name = "a户主姓名电话" if encoding == "gbk" else "户主身份证号码"
    p = _shp_with(tmp_path, {name: ["x", "y", "z"]}, encoding, cpg)
    with pytest.raises(InputError) as info:
        read_households(p)
    assert info.value.codes == ["SHP-FIELDNAME"]
    text = info.value.render("zh")
    assert "GeoPackage" in text and "h.shp" in text and name[:3] in text
    assert "GeoPackage" in info.value.render("en")


def test_short_chinese_shapefile_field_names_are_fine(tmp_path: Path) -> None:
    # 3 characters = 9 bytes in UTF-8; 5 characters = 10 bytes in GBK: both fit whole
    p = _shp_with(tmp_path, {"户主名": ["甲", "乙", "丙"]}, "utf-8")
    assert _cut_field_names(p, None) == []
    h, _ = read_households(p)
    assert h["户主名"].tolist() == ["甲", "乙", "丙"]
    q = tmp_path / "g"
    q.mkdir()
    assert _cut_field_names(_shp_with(q, {"家庭总人口": ["1", "2", "3"]}, "gbk", cpg=False), None) == []


def test_river_shapefile_with_cut_field_name_is_refused(tmp_path: Path) -> None:
    r = gpd.GeoDataFrame({"河流名称及等级": ["长江"]}, geometry=[LineString([(LON0, LAT0), (LON0 + 0.01, LAT0)])],
                         crs=4326)
    p = tmp_path / "rivers.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r.to_file(p, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_layer(p, kind="rivers", working_crs="EPSG:4545")
    assert info.value.codes == ["SHP-FIELDNAME"]


# ------------------------------------------------------------------ #38 12-digit division codes
def test_division_codes_stay_12_digit_strings(tmp_path: Path) -> None:
    g = good_gdf(3)
    g["统计用区划代码"] = np.array([500101001001, 500101001002, 500101001001], dtype=np.int64)  # stored as numbers
    g.to_file(tmp_path / "h.gpkg")
    h, rep = read_households(tmp_path / "h.gpkg")
    assert h["统计用区划代码"].tolist() == ["500101001001", "500101001002", "500101001001"]
    assert pd.api.types.is_string_dtype(h["统计用区划代码"].dtype) and rep.warnings == []
    lines = ["户编号,经度,纬度,区划代码", f"001,{LON0},{LAT0},５００１０１００１００１", f"002,{LON0 + 0.0004},{LAT0},"]
    h2, _ = read_households(write_csv(tmp_path, "h.csv", lines), crs="EPSG:4490")
    assert h2["区划代码"].iloc[0] == "500101001001" and pd.isna(h2["区划代码"].iloc[1])


def test_division_code_problem_names_rows_and_ids(tmp_path: Path) -> None:
    lines = ["户编号,经度,纬度,村代码", f"001,{LON0},{LAT0},500101001001", f"002,{LON0 + 0.0004},{LAT0},500101A01001",
             f"003,{LON0 + 0.0008},{LAT0},5001010010011"]
    with pytest.raises(InputError) as info:
        read_households(write_csv(tmp_path, "h.csv", lines), crs="EPSG:4490")
    p = info.value.problems[0]
    assert info.value.codes == ["ATTR-CODE"] and p.rows == (3, 4) and p.ids == ("002", "003")  # the header is row 1
    assert "村代码" in p.message("zh") and "12" in p.message("en")


def test_code_and_personal_column_names() -> None:
    assert code_columns(["统计用区划代码", "Village Code", "区划码", "代码", "编号"]) == ["统计用区划代码", "Village Code"]
    assert personal_columns(["户编号", "户主", "户主姓名", "身份证号码", "联系电话", "Phone", "persons", "村民小组"]) == [
        "户主", "户主姓名", "身份证号码", "联系电话", "Phone"]


@settings(deadline=None, max_examples=30)
@given(code=st.integers(10**11, 10**12 - 1), cut=st.integers(1, 11))
def test_division_code_property(code: int, cut: int) -> None:
    whole = str(code)
    v, bad = parse_division_code(pd.Series([whole, code, float(code), whole[cut:], whole + "0"], dtype=object))
    assert v.tolist()[:3] == [whole] * 3
    assert bad.tolist() == [False, False, False, True, True]


# ------------------------------------------------------------------ #39 personal fields
def test_personal_fields_warn_and_are_kept(tmp_path: Path) -> None:
    lines = ["户编号,经度,纬度,户主姓名,身份证号,联系电话,人口",
             f"001,{LON0},{LAT0},张三,500101199001010011,13800000000,3",
             f"002,{LON0 + 0.0004},{LAT0},李四,500101199001010022,13900000000,2"]
    h, rep = read_households(write_csv(tmp_path, "h.csv", lines), crs="EPSG:4490")
    w = [q for q in rep.warnings if q.code == "ATTR-PERSONAL"]
    assert len(w) == 1 and w[0].severity == "warning"
    assert w[0].params["by_name"] == ["户主姓名", "身份证号", "联系电话"]
    msg = w[0].message("zh")
    assert "张三" not in msg and "13800000000" not in msg and "地图" in msg  # names columns, never values
    assert h["身份证号"].tolist() == ["500101199001010011", "500101199001010022"]  # kept, as text


def test_personal_detection_matches_the_maps() -> None:
    style = pytest.importorskip("yuanluo.maps.style")
    names = ["姓名", "户主", "户主姓名", "联系人", "name", "Owner", "电话", "手机号码", "Phone", "TEL", "身份证",
             "身份证号码", "id_card", "IDCard", "citizen_id", "户编号", "人口", "persons", "村民小组", "备注", "经度"]
    assert [is_personal(n) for n in names] == [style.is_personal(n) for n in names]
    assert style.PERSONAL_COLUMNS == PERSONAL_COLUMNS


def test_repeated_and_reserved_column_names_are_errors_before_any_work(tmp_path: Path) -> None:
    from yuanluo.gis.errors import InputError

    rows = ["1,106.55,29.56,106.55", "2,106.5504,29.5603,106.5504"]
    dup = tmp_path / "dup.csv"
    dup.write_text("户编号,经度,纬度,经度\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_households(dup, crs="EPSG:4490")
    assert "COL-DUP" in e.value.codes and "经度, 经度" in e.value.render("en")
    case = tmp_path / "case.csv"
    case.write_text("户编号,经度,纬度,Name,name,FID\n" + "\n".join(r + ",a,b,7" for r in ("1,106.55,29.56",
                                                                                  "2,106.5504,29.5603")) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_households(case, crs="EPSG:4490")
    assert {"COL-DUP", "COL-FID"} <= set(e.value.codes)


def test_households_over_several_zones_warn_with_the_scale_error(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text("户编号,经度,纬度\n1,75.99,39.47\n2,76.0,39.48\n3,126.6,45.75\n4,126.61,45.76\n", encoding="utf-8")
    _, rep = read_households(f, crs="EPSG:4490")
    span = [w for w in rep.warnings if w.code == "CRS-SPAN"]
    assert len(span) == 1 and span[0].params["lon_min"] == "75.99" and span[0].params["lon_max"] == "126.61"
    assert "%" in span[0].message("en")
    near = tmp_path / "near.csv"
    near.write_text("户编号,经度,纬度\n1,106.55,29.56\n2,106.56,29.57\n", encoding="utf-8")
    assert "CRS-SPAN" not in [w.code for w in read_households(near, crs="EPSG:4490")[1].warnings]


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "ctl.csv"
    f.write_text("户编号,经度,纬度,院落\n0\x0701,106.55,29.56,东\x01院\n002,106.5504,29.5603,西院\n", encoding="utf-8")
    h, rep = read_households(f, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002"] and h["settlement"].tolist() == ["东院", "西院"]
    ctl = [w for w in rep.warnings if w.code == "ATTR-CONTROL"]
    assert len(ctl) == 1 and ctl[0].rows == (2,) and "户编号" in ctl[0].params["columns"]


def test_rows_are_named_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    """A title row above the header, a blank line and a line of empty cells: each problem names the row Excel
    or WPS shows (the header counted), so a planner finds it at once."""
    lines = ["某某村农户花名册", HEADER, *good_rows(2), "", "003,,29.56,2,一组", ",,,,", "003,106.5512,29.56,2,一组"]
    with pytest.raises(InputError) as info:
        read_households(write_csv(tmp_path, "h.csv", lines), crs="EPSG:4490")
    by = {q.code: q for q in info.value.problems}
    assert by["COORD-NAN"].rows == (6,) and by["ID-DUP"].rows == (6, 8)
    assert "第 6、8 行" in info.value.render("zh") and "(row 6; id 003)" in by["COORD-NAN"].message("en")


def test_trailing_delimiters_are_dropped_and_extra_cells_are_an_error(tmp_path: Path) -> None:
    """Some exports end every row with a comma: pandas would take the first column for the index and shift
    the others (ids became longitudes). Blank cells past the header are dropped; a filled one is CSV-FIELDS."""
    h, rep = read_households(write_csv(tmp_path, "t.csv", [HEADER, *[r + "," for r in good_rows(3)]]), crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003"] and h["persons"].notna().all()
    with pytest.raises(InputError) as info:
        read_households(write_csv(tmp_path, "x.csv", [HEADER, *good_rows(2), good_rows(3)[2] + ",,3号"]),
                        crs="EPSG:4490")
    p = info.value.problems[0]
    assert info.value.codes == ["CSV-FIELDS"] and p.rows == (4,) and p.params["columns"] == 5
    assert "逗号" in p.fix("zh") and "comma" in p.fix("en")


def test_a_table_with_trailing_delimiters_keeps_its_columns(tmp_path: Path) -> None:
    """Seed and meeting-point tables are read like the household file: a comma ending each row does not shift
    the columns (pandas took 户编号 for the index and put 备注 under it), a filled extra cell is CSV-FIELDS."""
    f = tmp_path / "seeds.csv"
    f.write_bytes("户编号,备注\n007,老院子,\n008,,\n".encode("gbk"))
    assert read_table(f).to_dict("list") == {"户编号": ["007", "008"], "备注": ["老院子", ""]}
    f.write_bytes("户编号,备注\n007,老院子,东\n".encode("gbk"))
    with pytest.raises(InputError) as info:
        read_table(f)
    assert info.value.codes == ["CSV-FIELDS"] and info.value.problems[0].rows == (2,)


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_an_excel_roster_is_read_as_planners_keep_it(tmp_path: Path) -> None:
    """A workbook with a title row above the header, numbers as numbers, a summary sheet and an empty one: the
    households come from the sheet with the household header; rows are Excel's."""
    roster = [["某镇某村农户花名册"], ["户编号", "人口", "是否党员", "经度", "纬度"],
              ["001", 3, "是", LON0, LAT0], [2, 4.0, "否", LON0 + 0.0004, LAT0], [], [3, 2, None, LON0 + 0.0008, LAT0]]
    p = _workbook(tmp_path / "花名册.xlsx", {"花名册": roster, "统计": [["村", "户数"], ["一村", 3]], "Sheet3": []})
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "2", "3"] and h["persons"].tolist() == [3, 4, 2]
    assert h["party_member"].tolist() == [True, False, False]
    assert (rep.format, rep.layer, rep.rows.tolist()) == ("xlsx", "花名册", [3, 4, 6])
    roster[5][3] = "东经一百零六度"
    with pytest.raises(InputError) as info:
        read_households(_workbook(tmp_path / "坏.xlsx", {"花名册": roster}), crs="EPSG:4490")
    assert info.value.codes == ["COORD-PARSE"] and info.value.problems[0].rows == (6,)


def test_a_header_of_two_rows_with_merged_cells_is_read_as_one(tmp_path: Path) -> None:
    """户编号 and 村 merged down over two rows, 坐标 merged across 经度 and 纬度 in the row below: the lower row
    names the columns it fills, the upper the others; the data start in row 3. The second row was read as a
    household without an id (ID-BLANK) and the coordinates as '坐标' and 'Unnamed: 2' (COL-MISSING), with a fix
    (--x-col 经度) that did not work."""
    import openpyxl

    p = _workbook(tmp_path / "合并表头.xlsx", {"农户": [["户编号", "坐标", None, "村", "人口"],
                                                       [None, "经度", "纬度", None, None],
                                                       ["001", LON0, LAT0, "一村", 3], ["002", LON0 + 0.0004, LAT0, "一村", 2]]})
    wb = openpyxl.load_workbook(p)
    for cells in ("A1:A2", "B1:C1", "D1:D2", "E1:E2"):
        wb["农户"].merge_cells(cells)
    wb.save(p)
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002"] and rep.rows.tolist() == [3, 4]
    assert h["village"].tolist() == ["一村", "一村"] and h["persons"].tolist() == [3, 2]


def test_a_formula_no_program_computed_is_named_not_read_as_blank(tmp_path: Path) -> None:
    """A roster written by a script holds its formulas without values (Excel and WPS store them on saving): the
    cell reads as its formula, so the check names it (COORD-FORMULA, row 3) instead of calling it empty; a value
    Excel computed, a formula giving "" and a shared formula are told apart in the sheet's XML."""
    from yuanluo.gis.sheets import _formula_cells, xlsx_sheets

    roster = [["户编号", "经度", "纬度"], ["001", LON0, LAT0], ["002", "=B2+0.0004", LAT0]]
    p = _workbook(tmp_path / "脚本导出.xlsx", {"花名册": roster})
    assert xlsx_sheets(p, p.name)[0][1][2] == ["002", "=B2+0.0004", str(LAT0)]
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    assert info.value.codes == ["COORD-FORMULA"] and info.value.problems[0].rows == (3,)
    assert "=B2+0.0004" in info.value.render("zh") and "用 Excel 或 WPS 打开这个文件" in info.value.render("zh")
    xml = ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>IF(A1&gt;9,"x","")</f><v></v></c>'
           '<c r="C1"><f>A1*2</f><v/></c><c r="D1"><f t="shared" ref="D1:D2" si="0">A1&amp;"户"</f></c>'
           '<c r="E1" t="s"><v>0</v></c></row><row r="2"><x:c r="AB2"><x:f t="shared" si="0"/></x:c></row>'
           ).encode()
    assert _formula_cells(xml) == {(0, 2): "=A1*2", (0, 3): '=A1&"户"', (1, 27): "="}


def test_an_excel_workbook_with_two_household_sheets_asks_which(tmp_path: Path) -> None:
    rows = [["户编号", "经度", "纬度"], ["001", LON0, LAT0], ["002", LON0 + 0.0004, LAT0]]
    p = _workbook(tmp_path / "两村.xlsx", {"一村": rows, "二村": rows})
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    assert info.value.codes == ["IO-LAYER"] and "含有多个工作表（一村、二村）" in info.value.render("zh")
    zh, en = info.value.render("zh"), info.value.render("en")
    assert "用 “layer=” 指定工作表名，例如 layer='一村'。" in zh and "--layer" not in zh, zh
    assert "several sheets" in en and "choose a sheet with layer=, e.g. layer='一村'." in en, en
    res = CliRunner().invoke(app, ["--lang", "zh", "validate", str(p), "--crs", "EPSG:4490"])
    assert res.exit_code == 2 and "IO-LAYER" in res.output and "--layer 一村" in res.output, res.output
    h, rep = read_households(p, crs="EPSG:4490", layer="二村")
    assert rep.layer == "二村" and len(h) == 2
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490", layer="三村")
    assert info.value.codes == ["IO-NOLAYER"]


def test_an_id_excel_has_rounded_is_caught(tmp_path: Path) -> None:
    """An 18-digit household code typed as a number keeps 15 digits in Excel: shown as Excel shows it, it is
    ID-SCI, not a made-up id."""
    p = _workbook(tmp_path / "h.xlsx", {"h": [["户编号", "经度", "纬度"], [500115196001010001, LON0, LAT0],
                                              [500115196001010002, LON0 + 0.0004, LAT0]]})
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    assert "ID-SCI" in info.value.codes and "5.00115E+17" in info.value.render("zh")


def test_a_table_with_a_title_row_finds_its_header(tmp_path: Path) -> None:
    """Seed and meeting-point lists as planners keep them, a title above the header, in CSV and in Excel; a
    table whose first row is already its header, or that names no known column, is read from its first row."""
    f = tmp_path / "院坝.csv"
    f.write_bytes("传统院坝清单\n户编号,院坝名称\nH1,王家院子\n\nH2,李家湾\n".encode("gbk"))
    assert read_table(f).to_dict("list") == {"户编号": ["H1", "H2"], "院坝名称": ["王家院子", "李家湾"]}
    x = _workbook(tmp_path / "院坝.xlsx", {"坝子": [["传统院坝清单"], ["户编号", "院坝名称"], ["H1", "王家院子"], [7, None]]})
    assert read_table(x).to_dict("list") == {"户编号": ["H1", "7"], "院坝名称": ["王家院子", ""]}
    f.write_bytes("甲,乙\n1,2\n".encode("gbk"))
    assert read_table(f).to_dict("list") == {"甲": ["1"], "乙": ["2"]}


def test_a_village_or_group_blank_for_some_households_is_said_before_the_work(tmp_path: Path) -> None:
    """Blank village or group cells make a group of their own in a delineation, so a few scattered ones became
    as many one-household exception units with no word of why: NEST-BLANK names the rows to fill."""
    rows = good_rows(6)
    rows[2] = rows[2].rsplit(",", 1)[0] + ","  # 003: no villager group
    h, rep = read_households(write_csv(tmp_path, "h.csv", [HEADER, *rows]), crs="EPSG:4490")
    (w,) = [p for p in rep.warnings if p.code == "NEST-BLANK"]
    assert (w.rows, w.ids, w.params["column"]) == ((4,), ("003",), "村民小组")
    assert "补填这些户的“村民小组”" in w.fix("zh")
    h, rep = read_households(write_csv(tmp_path, "all.csv", [HEADER, *[r.rsplit(",", 1)[0] + "," for r in rows]]),
                             crs="EPSG:4490")
    assert not [p for p in rep.warnings if p.code == "NEST-BLANK"]  # a column blank throughout nests nothing



def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    """Excel's "Unicode 文本(*.txt)" export: UTF-16 with its byte-order mark, tab-separated (was ENC-GUESS)."""
    f = tmp_path / "农户.txt"
    f.write_bytes("\r\n".join([HEADER.replace(",", "\t"), *[r.replace(",", "\t") for r in good_rows(3)]]).encode("utf-16"))
    h, rep = read_households(f, crs="EPSG:4490")
    assert h.index.tolist() == ["001", "002", "003"] and rep.encoding == "utf-16"


@pytest.mark.parametrize(("header", "zh", "en"), [
    ("编号x,经度,纬度", "找不到户编号列（可用的列名：hid、户编号", "no household id column (hid, 户编号"),
    ("户编号,经度,维度", "找不到纬度列与经度列“经度”配对（可用的列名：lat、",  # the one of the pair missing (s48 N2, s49 N)
     "no latitude column to pair with the longitude column 经度 (lat, "),
])
def test_missing_column_is_said_in_words_of_each_language(tmp_path: Path, header: str, zh: str, en: str) -> None:
    """COL-MISSING says what the column holds in the chosen language (not the internal "hid" or "lon/lat | x/y"),
    and lists the names accepted."""
    p = write_csv(tmp_path, "hh.csv", [header, f"001,{LON0},{LAT0}"])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    (prob,) = [q for q in info.value.problems if q.code == "COL-MISSING"]
    assert zh in prob.title("zh") and en in prob.title("en"), (prob.title("zh"), prob.title("en"))
    assert "lon/lat" not in prob.title("zh") + prob.title("en") and "hid 列" not in prob.title("zh")
