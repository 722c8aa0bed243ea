"""Every bad file of tests/badfiles.py fails with its code; warnings and spatial checks on tiny fixtures."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from badfiles import CASES, HEADER, LAT0, LON0, good_gdf, good_rows, write_csv
from pyproj import CRS
from shapely.geometry import LineString, Point, Polygon, box
from typer.testing import CliRunner

from yuanluo.gis.crs import transform_xy
from yuanluo.gis.errors import CRSError, InputError
from yuanluo.gis.io import read_households, read_layer
from yuanluo.gis.validate import assign_by_polygons, check_boundary, check_coordinates, check_in_water
from yuanluo.planners.cli import app


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_fails_with_its_code(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path, kwargs = case.make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError) as info:
        read_households(path, **kwargs)
    err = info.value
    assert case.code in err.codes, err.render("en")
    assert err.exit_code == 2
    for lang in ("zh", "en"):
        text = err.render(lang)
        assert case.code in text
        assert not re.search(r"\{[a-z_]+\}", text), text  # every template field was filled
    assert "未写出任何结果文件" not in err.render("zh")  # a reader writes nothing: not said (s38 A)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_crs_problems_raise_crs_error(tmp_path: Path) -> None:
    path, kwargs = CASES["gk-prefixed-declared-cm"].make(tmp_path)
    with pytest.raises(CRSError):
        read_households(path, **kwargs)


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    rows = good_rows(8)
    rows[1] = "001,106.5504,29.5603,3,一组"  # duplicate id
    rows[3] = "004,,29.56,2,一组"  # blank longitude
    rows[5] = "006,106.552,29.56,很多,一组"  # persons not a number
    p = write_csv(tmp_path, "h.csv", [HEADER, *rows])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    assert set(info.value.codes) == {"ID-DUP", "COORD-NAN", "ATTR-TYPE"}
    by = {q.code: q for q in info.value.problems}
    # rows as a spreadsheet shows them: the header is row 1
    assert by["ID-DUP"].rows == (2, 3) and by["ID-DUP"].ids == ("001", "001")
    assert by["COORD-NAN"].rows == (5,) and by["COORD-NAN"].ids == ("004",)
    assert by["ATTR-TYPE"].rows == (7,)
    assert "h.csv" in info.value.render("zh")


def test_duplicate_coordinates_warn_and_keep(tmp_path: Path) -> None:
    rows = good_rows(5)
    rows[4] = "005,106.550000,29.560000,3,一组"  # same house as 001
    h, rep = read_households(write_csv(tmp_path, "h.csv", [HEADER, *rows]), crs="EPSG:4490")
    assert len(h) == 5
    dup = [w for w in rep.warnings if w.code == "COORD-DUP"]
    assert dup and dup[0].ids == ("001", "005") and dup[0].severity == "warning"


def test_z_coordinates_warn_and_are_dropped(tmp_path: Path) -> None:
    g = good_gdf()
    g["geometry"] = [Point(p.x, p.y, 300.0) for p in g.geometry]
    p = tmp_path / "h.gpkg"
    g.to_file(p)
    h, rep = read_households(p)
    assert [w.code for w in rep.warnings] == ["GEOM-Z"]
    assert not h.geometry.has_z.any()


def test_low_precision_warns(tmp_path: Path) -> None:
    rows = [f"{i:03d},{106.55 + i / 1000:.3f},29.561,3,一组" for i in range(1, 7)]
    _, rep = read_households(write_csv(tmp_path, "h.csv", [HEADER, *rows]), crs="EPSG:4490")
    assert "COORD-PRECISION" in [w.code for w in rep.warnings]


def test_household_just_outside_boundary_is_a_warning(tmp_path: Path) -> None:
    rows = good_rows(4)
    rows[3] = "004,106.5545,29.5600,3,一组"  # ~300 m east of the others, outside the small square
    p = write_csv(tmp_path, "h.csv", [HEADER, *rows])
    g = good_gdf(3).to_crs(4545)
    bnd = gpd.GeoDataFrame({"name": ["一村"]}, geometry=[box(*g.total_bounds).buffer(30)], crs=4545)
    h, rep = read_households(p, crs="EPSG:4490", boundary=bnd)
    out = [w for w in rep.warnings if w.code == "SPAT-OUTSIDE"]
    assert len(h) == 4 and out and out[0].ids == ("004",)


def test_andorra_is_fine_in_utm_without_china_checks() -> None:
    x = np.array([1.52, 1.53, 1.60])
    y = np.array([42.50, 42.51, 42.55])
    assert check_coordinates(x, y, "EPSG:4326", rows=np.arange(1, 4)) == []


def test_geographic_outlier_outside_china_flagged_when_rest_is_chinese() -> None:
    x = np.array([106.5, 106.6, 106.7, 1.5])
    y = np.array([29.5, 29.6, 29.5, 42.5])
    ps = check_coordinates(x, y, "EPSG:4326", rows=np.arange(1, 5), ids=np.array(list("abcd")))
    assert [(p.code, p.ids) for p in ps] == [("COORD-RANGE", ("d",))]


def test_assign_by_polygons_outside_and_ambiguous() -> None:
    #  +----+----+      a in 东村, b on the shared border (both), c outside, d in 西村
    #  | a  b  d |  c
    #  +----+----+
    h = gpd.GeoDataFrame(index=pd.Index(["a", "b", "c", "d"], name="hid"),
                         geometry=[Point(1, 1), Point(2, 1), Point(9, 1), Point(3, 1)], crs=4545)
    v = gpd.GeoDataFrame({"name": ["东村", "西村"]}, geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2)], crs=4545)
    before = h.copy()
    out, ps = assign_by_polygons(h, v, "name", "village")
    assert out["village"].tolist()[0] == "东村" and out["village"].tolist()[3] == "西村"
    assert out["village"].isna().tolist() == [False, True, True, False]
    assert {(p.code, p.ids) for p in ps} == {("SPAT-OUTSIDE", ("c",)), ("SPAT-AMBIG", ("b",))}
    assert "village" not in h.columns and h.equals(before)


def test_in_water_warning() -> None:
    h = gpd.GeoDataFrame(index=pd.Index(["a", "b"], name="hid"), geometry=[Point(1, 1), Point(5, 5)], crs=4545)
    w = gpd.GeoDataFrame(geometry=[box(0, 0, 2, 2), LineString([(4, 4), (6, 6)])], crs=4545)
    ps = check_in_water(h, w)
    assert [(p.code, p.ids, p.severity) for p in ps] == [("SPAT-WATER", ("a",), "warning")]


def _write(g: gpd.GeoDataFrame, tmp: Path, name: str = "b.gpkg") -> Path:
    p = tmp / name
    g.to_file(p)
    return p


def test_boundary_checks(tmp_path: Path) -> None:
    bow = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # self-intersecting
    g = gpd.GeoDataFrame({"name": ["甲", "乙", "乙"]}, geometry=[box(0, 0, 1, 1), bow, box(5, 5, 6, 6)], crs=4545)
    ps = check_boundary(g, "b.gpkg")
    codes = [p.code for p in ps]
    assert "GEOM-INVALID" in codes and "crosses itself" in ps[codes.index("GEOM-INVALID")].params["reason"]["en"]
    assert ("BND-ID", (2, 3)) in [(p.code, p.rows) for p in ps]
    lines = gpd.GeoDataFrame({"name": ["甲"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=4545)
    assert [p.code for p in check_boundary(lines, "b.gpkg")] == ["GEOM-TYPE"]
    overlap = gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=[box(0, 0, 2, 2), box(1, 0, 3, 2)], crs=4545)
    assert [(p.code, p.severity) for p in check_boundary(overlap, "b.gpkg")] == [("BND-COVERAGE", "warning")]
    with pytest.raises(InputError) as info:
        read_layer(_write(g, tmp_path), kind="boundary", working_crs="EPSG:4545")
    assert {"GEOM-INVALID", "BND-ID"} <= set(info.value.codes)


def test_empty_rivers_warn(tmp_path: Path) -> None:
    g = gpd.GeoDataFrame({"name": pd.Series([], dtype=str)}, geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    r = read_layer(_write(g, tmp_path, "rivers.gpkg"), kind="rivers", working_crs="EPSG:4545")
    assert len(r) == 0 and [w.code for w in r.attrs["warnings"]] == ["LAYER-EMPTY", "LAYER-REPROJECTED"]
    assert CRS(r.crs).to_epsg() == 4545


# ------------------------------------------------------------------ group D through read_households
def _village_squares(names: tuple[str, str] = ("东村", "西村"), gap: float = 0.0) -> gpd.GeoDataFrame:
    """Two squares in EPSG:4490 meeting at the longitude of household 003 (``gap`` degrees apart).

    ::

        +--------+--------+     households 001..006 west to east, 0.0004° apart;
        | 1  2   3   4  5 6|    003 lies exactly on the shared border
        +--------+--------+
    """
    mid = LON0 + 0.0004 * 2
    west = box(LON0 - 0.001, LAT0 - 0.001, mid - gap / 2, LAT0 + 0.002)
    east = box(mid + gap / 2, LAT0 - 0.001, LON0 + 0.003, LAT0 + 0.002)
    return gpd.GeoDataFrame({"name": list(names)}, geometry=[west, east], crs=4490)


def test_household_on_shared_border_is_ambiguous(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "h.csv", [HEADER, *good_rows()])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490", boundary=_village_squares())
    amb = [q for q in info.value.problems if q.code == "SPAT-AMBIG"]
    assert info.value.codes == ["SPAT-AMBIG"] and amb[0].ids == ("003",) and amb[0].rows == (4,)


def test_village_gap_warns_and_households_in_it_are_outside(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "h.csv", [HEADER, *good_rows()])
    h, rep = read_households(p, crs="EPSG:4490", boundary=_village_squares(gap=0.0001))
    codes = {w.code: w for w in rep.warnings}
    assert len(h) == 6  # nothing dropped
    assert "BND-COVERAGE" in codes and codes["SPAT-OUTSIDE"].ids == ("003",)


def test_boundary_as_bare_geoseries_needs_no_id(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "h.csv", [HEADER, *good_rows()])
    outline = gpd.GeoSeries([box(LON0 - 0.001, LAT0 - 0.001, LON0 + 0.003, LAT0 + 0.002)], crs=4490)
    h, rep = read_households(p, crs="EPSG:4490", boundary=outline)
    assert len(h) == 6 and rep.warnings == []
    named = gpd.GeoDataFrame({"备注": ["x"]}, geometry=outline, crs=4490)  # a frame must name its polygons
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490", boundary=named)
    assert info.value.codes == ["BND-ID-NONE"] and "the layer given as boundary=" in info.value.render("en")
    assert "备注" in info.value.render("zh") and "（）" not in info.value.render("zh")


def test_boundary_and_household_problems_reported_together(tmp_path: Path) -> None:
    rows = good_rows()
    rows[1] = "002,106.5504,29.5603,很多,一组"
    p = write_csv(tmp_path, "h.csv", [HEADER, *rows])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490", boundary=_village_squares(names=("东村", "东村")))
    assert set(info.value.codes) == {"ATTR-TYPE", "BND-ID"}


def test_household_in_water_warns_and_is_kept(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "h.csv", [HEADER, *good_rows()])
    x, y = transform_xy([LON0 + 0.0004 * 4], [LAT0 + 0.0003], 4326, 4545)  # household 005
    pond = box(x[0] - 10, y[0] - 10, x[0] + 10, y[0] + 10)
    river = LineString([(x[0] - 500, y[0]), (x[0] + 500, y[0])])  # lines never hold households
    w = gpd.GeoDataFrame({"name": ["水库", "河"]}, geometry=[pond, river], crs=4545)
    wp = _write(w, tmp_path, "water.gpkg")
    h, rep = read_households(p, crs="EPSG:4490", water=wp)
    wet = [q for q in rep.warnings if q.code == "SPAT-WATER"]
    assert len(h) == 6 and wet[0].ids == ("005",) and wet[0].severity == "warning"
    with pytest.raises(InputError) as info:  # a water layer without a CRS is not used, and said so
        read_households(p, crs="EPSG:4490", water=gpd.GeoDataFrame(geometry=[pond]))
    assert info.value.codes == ["CRS-MISSING"]


def test_gcj_declared_households_checked_against_water_in_wgs84(tmp_path: Path) -> None:
    from yuanluo.gis.chinacoords import wgs84_to_gcj02

    glon, glat = wgs84_to_gcj02([LON0, LON0 + 0.002], [LAT0, LAT0])
    p = write_csv(tmp_path, "amap.csv", ["户编号,经度,纬度", f"1,{glon[0]:.9f},{glat[0]:.9f}",
                                         f"2,{glon[1]:.9f},{glat[1]:.9f}"])
    pond = gpd.GeoSeries([Point(LON0, LAT0).buffer(0.0001)], crs=4326)  # around the true WGS 84 spot of 1
    _, rep = read_households(p, crs="gcj02", water=pond)
    assert [(q.code, q.ids) for q in rep.warnings] == [("SPAT-WATER", ("1",))]


# ------------------------------------------------------------------ auxiliary layers: CRS (#26, #48)
def test_layer_in_another_crs_is_reprojected_with_a_warning(tmp_path: Path) -> None:
    r = gpd.GeoDataFrame({"name": ["河"]}, geometry=[LineString([(LON0, LAT0), (LON0 + 0.01, LAT0)])], crs=4490)
    out = read_layer(_write(r, tmp_path, "rivers.gpkg"), kind="rivers", working_crs="EPSG:4545")
    w = out.attrs["warnings"]
    assert [q.code for q in w] == ["LAYER-REPROJECTED"]
    assert w[0].params["src"] == "EPSG:4490" and w[0].params["target"] == "EPSG:4545"
    assert "EPSG:4490" in w[0].message("zh") and "EPSG:4545" in w[0].message("en")
    x, _ = transform_xy([LON0], [LAT0], 4490, 4545)
    assert CRS(out.crs).to_epsg() == 4545 and abs(out.geometry.iloc[0].coords[0][0] - x[0]) < 1e-6
    same = read_layer(_write(r.to_crs(4545), tmp_path, "r2.gpkg"), kind="rivers", working_crs="EPSG:4545")
    assert same.attrs["warnings"] == []


def test_layer_without_crs_is_an_error_unless_declared(tmp_path: Path) -> None:
    x, y = transform_xy([LON0], [LAT0], 4326, 4545)
    r = gpd.GeoDataFrame({"name": ["河"]}, geometry=[LineString([(x[0], y[0]), (x[0] + 300, y[0])])])
    p = tmp_path / "rivers.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio: "'crs' was not provided"
        r.to_file(p, encoding="utf-8")  # no CRS: no .prj written
    assert not p.with_suffix(".prj").exists()
    with pytest.raises(CRSError) as info:
        read_layer(p, kind="rivers", working_crs="EPSG:4545")
    assert info.value.codes == ["CRS-MISSING"] and "rivers.shp" in info.value.render("zh")
    ok = read_layer(p, kind="rivers", working_crs="EPSG:4545", crs="EPSG:4545")
    assert len(ok) == 1 and ok.attrs["warnings"] == []
    moved = read_layer(p, kind="rivers", working_crs="EPSG:32648", crs="EPSG:4545")
    assert [q.code for q in moved.attrs["warnings"]] == ["LAYER-REPROJECTED"]


def test_unit_polygons_layer(tmp_path: Path) -> None:
    u = gpd.GeoDataFrame({"unit_id": ["U001"]}, geometry=[box(0, 0, 10, 10)], crs=4545)
    out = read_layer(_write(u, tmp_path, "units.gpkg"), kind="units", working_crs="EPSG:4545")
    assert out["unit_id"].tolist() == ["U001"]
    empty = gpd.GeoDataFrame({"unit_id": pd.Series([], dtype=str)}, geometry=gpd.GeoSeries([], crs=4545), crs=4545)
    with pytest.raises(InputError) as info:
        read_layer(_write(empty, tmp_path, "u0.gpkg"), kind="units", working_crs="EPSG:4545")
    assert info.value.codes == ["IO-NOROWS"]


def _surveyed(tmp_path: Path, rows: list[tuple[float, float]], name: str = "hh.csv") -> Path:
    """A table in the surveying convention's column names: X then Y, as given."""
    return write_csv(tmp_path, name, ["户编号,X,Y", *(f"{i + 1:03d},{a:.2f},{b:.2f}" for i, (a, b) in enumerate(rows))])


def _village_gk(epsg: int, n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    lon = LON0 + 0.0004 * np.arange(n)
    lat = LAT0 + 0.0003 * (np.arange(n) % 3)
    return transform_xy(lon, lat, 4326, epsg)


def test_wrong_zone_prefix_without_a_boundary_says_the_zones_not_a_distance(tmp_path: Path) -> None:
    """X = northing, Y = easting with the prefix of zone 36, declared as zone 37 (EPSG:4525): nothing to
    measure a distance from, so CRS-ZONE says the prefix found and the zone declared (no "?")."""
    e, n = _village_gk(4524)
    p = _surveyed(tmp_path, list(zip(n, e, strict=True)))
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4525")
    (z,) = [q for q in info.value.problems if q.code == "CRS-ZONE"]
    assert "?" not in z.title("zh") + z.title("en")
    assert "带号前缀是 36，而声明的 EPSG:4525 是第 37 带，EPSG:4524 才是第 36 带" in z.title("zh"), z.title("zh")
    assert "prefix of the eastings (e.g. 36" in z.title("en") and "EPSG:4524 is zone 36" in z.title("en")
    assert z.fix("en") == "use crs='EPSG:4524'." and z.fix("zh") == "改用 crs='EPSG:4524'。"  # from Python
    res = CliRunner().invoke(app, ["--lang", "en", "validate", str(p), "--crs", "EPSG:4525"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "CRS-ZONE" in res.output and "Fix: use --crs EPSG:4524.\n" in res.output, res.output


def test_wrong_zone_with_a_boundary_still_gives_the_distance(tmp_path: Path) -> None:
    path, kwargs = CASES["gk-wrong-zone"].make(tmp_path)
    with pytest.raises(InputError) as info:
        read_households(path, **kwargs)
    (z,) = [q for q in info.value.problems if q.code == "CRS-ZONE"]
    assert re.search(r"住户落在边界外 \d+ 千米处；按 EPSG:4544 则落在边界内", z.title("zh")), z.title("zh")
    assert re.search(r"lie \d+ km outside the boundary, in EPSG:4544 they fall inside", z.title("en"))


def test_lon_lat_outside_china_name_the_range_tested(tmp_path: Path) -> None:
    """Valid degrees outside China under EPSG:4490: the range said is China's, not ±180°/±90°."""
    p = write_csv(tmp_path, "hh.csv", ["hid,lon,lat", "A1,1.5335044,42.5563", "A2,1.5336,42.5564"])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    (r,) = [q for q in info.value.problems if q.code == "COORD-RANGE"]
    assert "±180" not in r.title("zh") + r.title("en")
    assert "中国境内：经度 73.4°–135.1°、纬度 18°–53.6°" in r.title("zh"), r.title("zh")
    assert "in China: longitude 73.4° to 135.1°, latitude 18° to 53.6°" in r.title("en"), r.title("en")
    assert "(lon=1.5335, lat=42.5563)" in r.title("en")
    beyond = check_coordinates(np.array([106.5, 106.6, 200.0]), np.array([29.5, 29.6, 29.5]), "EPSG:4490",
                               rows=np.array([2, 3, 4]))
    assert "经度 ±180°、纬度 ±90°" in beyond[0].title("zh") and "±90°" in beyond[0].title("en")


def test_prefixed_easting_in_the_x_column_gets_the_swap_and_prefix_hints_in_plain_numbers(tmp_path: Path) -> None:
    """X = easting with the zone-36 prefix, Y = northing, declared EPSG:4545: the X column holds what the
    surveying convention puts in Y, and the prefix calls for EPSG:4524; numbers as written, never 3.6e+07."""
    e, n = _village_gk(4524)
    p = _surveyed(tmp_path, list(zip(e, n, strict=True)))
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4545")
    err = info.value
    assert err.codes == ["COORD-XY-SWAP", "CRS-GKPREFIX"], err.render("en")
    pref = err.problems[1]
    assert pref.fix("en") == "use crs='EPSG:4524'." and pref.params["easting"] == f"{e[0]:.0f}"  # from Python
    assert pref.fix("zh") == "改用 crs='EPSG:4524'。"
    for lang in ("zh", "en"):
        assert not re.search(r"\de[+-]\d", err.render(lang)), err.render(lang)
    # following both hints reads the file
    assert len(read_households(p, crs="EPSG:4524", x_col="X", y_col="Y")[0]) == 6
    # on the command line the same hints name the options, and following them reads the file there too
    res = CliRunner().invoke(app, ["--lang", "en", "validate", str(p), "--crs", "EPSG:4545"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "CRS-GKPREFIX" in res.output and "Fix: use --crs EPSG:4524.\n" in res.output, res.output
    res = CliRunner().invoke(app, ["validate", str(p), "--crs", "EPSG:4524", "--x-col", "X", "--y-col", "Y"])
    assert res.exit_code == 0, res.output


def test_out_of_range_sample_is_in_the_files_column_order_in_plain_numbers(tmp_path: Path) -> None:
    e, n = _village_gk(4524)
    rows = [*zip(n, e, strict=True), (n[0], e[0] + 1.6e6)]  # X = northing, Y = easting; the last one far east
    p = _surveyed(tmp_path, rows)
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4524")
    (r,) = [q for q in info.value.problems if q.code == "COORD-RANGE"]
    assert r.params["sample"] == f"(X={n[0]:.0f}, Y={e[0] + 1.6e6:.0f})", r.params["sample"]
    assert "EPSG:4524" in r.title("en") and "widened by 3°" in r.title("en")


def test_a_groups_layer_that_carries_its_village_is_read_by_its_group_column() -> None:
    """The synthetic villages' groups layer (village, group) failed with BND-ID on its village column, which
    repeats, even with --group-field group, which the message itself advised: the given field was not passed
    to the layer's check, and the guess took the first column. Now the given field is checked, and the guess
    takes the column whose values tell the polygons apart."""
    groups = gpd.GeoDataFrame({"village": ["V1", "V1"], "group": ["V1-G1", "V1-G2"]},
                              geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4545")
    assert check_boundary(groups, "g.gpkg") == []
    assert check_boundary(groups, "g.gpkg", id_col="group") == []
    assert [p.code for p in check_boundary(groups, "g.gpkg", id_col="village")] == ["BND-ID"]


def test_group_field_reaches_the_groups_layer_check(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli import app

    make_village(120, seed=1).write(tmp_path)
    for extra in ([], ["--group-field", "group"]):
        res = CliRunner().invoke(app, ["validate", str(tmp_path / "households.gpkg"), "--groups",
                                       f"{tmp_path / 'context.gpkg'}::groups", *extra])
        assert res.exit_code == 0 and "BND-ID" not in res.output, (extra, res.output)
