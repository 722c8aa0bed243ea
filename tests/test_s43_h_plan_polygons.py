"""Session 43, helper H: plans a district drew in a GIS before Yuanluo.

- A .dbf integer field (院落编号, 户编号) with one blank cell comes back from GDAL as float: the units were "12.0"
  and, in a Shapefile plan table, every household id "1001.0", unknown (a district's 院落范围.shp, EPSG:4524, with
  one sliver of no id: 19 units all named "n.0").
- A household exactly on the line between two units that do not overlap was PLAN-OVERLAP ("fix the boundaries so
  that they do not overlap", a fix that cannot be made) and went to the smallest id, whatever its neighbours; now
  PLAN-ON-BOUNDARY, a warning, counted in the unit of its nearest neighbour, the message saying which. A household
  inside one polygon and only on another's edge is in the one it is inside.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.plan import assign_by_unit_polygons, plan_from_column, read_plan_table
from yuanluo.gis.rules import Rules

CRS = "EPSG:4545"


def _households(ids: list[str], xy: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(x + 500000, y + 3300000) for x, y in xy], crs=CRS,
                            index=pd.Index(ids, name="hid"))


def _box(x0: float, y0: float, x1: float, y1: float):  # noqa: ANN202 - a shapely polygon
    return box(x0 + 500000, y0 + 3300000, x1 + 500000, y1 + 3300000)


def test_shapefile_integer_ids_with_a_blank_cell(tmp_path):
    hh = _households(["1001", "1002", "1003"], [(10, 10), (20, 10), (150, 10)])
    # the unit polygons as a district draws them: integer 院落编号, a sliver with none
    units = gpd.GeoDataFrame({"院落编号": pd.array([1, 2, None], dtype="Int64")},
                             geometry=[_box(0, 0, 100, 100), _box(100, 0, 200, 100), _box(100, 100, 101, 200)],
                             crs="EPSG:4545").to_crs("EPSG:4524")  # zone-prefixed Gauss-Krüger, as drawn
    units.to_file(tmp_path / "院落范围.shp", encoding="GBK", engine="pyogrio")
    read = gpd.read_file(tmp_path / "院落范围.shp", engine="pyogrio")
    assert read["院落编号"].dtype.kind == "f"  # what GDAL gives: the reason for the fix
    labels, probs = assign_by_unit_polygons(hh, read, file="院落范围.shp")
    assert labels.to_dict() == {"1001": "1", "1002": "1", "1003": "2"}
    assert [p.code for p in probs] == ["PLAN-ID"]  # the sliver with no id, said; no unit "1.0"
    # the same ids as a plan table: a Shapefile whose 户编号 is numeric with one blank row
    plan = gpd.GeoDataFrame({"户编号": pd.array([1001, 1002, 1003, None], dtype="Int64"),
                             "院落编号": pd.array([7, 7, 8, 9], dtype="Int64")},
                            geometry=[Point(0, 0)] * 4, crs=CRS)
    plan.to_file(tmp_path / "方案.shp", encoding="GBK", engine="pyogrio")
    got = read_plan_table(tmp_path / "方案.shp", hh)
    assert got.labels.to_dict() == {"1001": "7", "1002": "7", "1003": "8"}
    assert [p.code for p in got.problems] == ["PLAN-BLANK-ID"]  # not every id unknown as "1001.0"
    # and a unit column of the household file read from a Shapefile
    col = pd.DataFrame({"院落号": [3.0, 3.0, np.nan]}, index=pd.Index(["a", "b", "c"], name="hid"))
    assert plan_from_column(col, "院落号").labels.fillna("-").tolist() == ["3", "3", "-"]


def test_household_on_the_line_between_two_units():
    # U1 | U2 abut at x = 100; H1 stands on the line, its nearest neighbour H2 (10 m) is in U2, H0 (40 m) in U1
    hh = _households(["H0", "H1", "H2", "H3"], [(60, 50), (100, 50), (110, 50), (150, 50)])
    units = gpd.GeoDataFrame({"uid": ["U1", "U2"]}, geometry=[_box(0, 0, 100, 100), _box(100, 0, 200, 100)],
                             crs=CRS)
    labels, probs = assign_by_unit_polygons(hh, units, "uid")
    assert labels.to_dict() == {"H0": "U1", "H1": "U2", "H2": "U2", "H3": "U2"}
    by = {p.code: p for p in probs}
    assert list(by) == ["PLAN-ON-BOUNDARY"]  # not PLAN-OVERLAP: the polygons do not overlap
    on = by["PLAN-ON-BOUNDARY"]
    assert on.severity == "warning" and on.ids == ("H1",)
    assert on.message("zh") == (
        "警告 PLAN-ON-BOUNDARY：有 1 户正好落在院落范围之间的边界线上（编号 H1；涉及院落 U1、U2），按院落范围无法确定"
        "所属院落。\n  处理办法：在地理信息软件中挪动边界线，让每户落在一个院落之内。暂按最近的、只落在一个院落内的"
        "邻户所在的院落计算：H1 → U2。")
    assert on.message("en") == (
        "Warning PLAN-ON-BOUNDARY: 1 household lies exactly on the boundary line between unit polygons (id H1; "
        "units U1, U2); the polygons leave the unit undecided.\n  Fix: move the boundary line in a GIS so that each "
        "household lies inside one unit. Counted for now with the unit of its nearest neighbour lying in one unit "
        "only: H1 → U2.")
    # the check says it as a warning and passes: the line is to be moved, the plan breaks no rule
    g = TerrainGraph.from_edges(list(hh.index), np.array([[60, 50], [100, 50], [110, 50], [150, 50]], float),
                                [(0, 1), (1, 2), (2, 3)], crs=CRS)
    res = check_plan(hh, labels, Rules(1, 3), graph=g, plan_problems=probs, unapplied=False)
    v = res.violations.set_index("code")
    assert res.passed and v.loc["PLAN-ON-BOUNDARY", "severity"] == "warning"


def test_household_inside_one_unit_on_the_edge_of_another():
    # U2 drawn over U1 up to x = 100 (its edge), H1 at x = 100 inside U2 only: it is U2's, not the smaller id's
    hh = _households(["H0", "H1", "H2"], [(20, 50), (100, 50), (150, 50)])
    units = gpd.GeoDataFrame({"uid": ["U1", "U2"]}, geometry=[_box(0, 0, 100, 100), _box(50, 0, 200, 100)],
                             crs=CRS)
    labels, probs = assign_by_unit_polygons(hh, units, "uid")
    assert labels.to_dict() == {"H0": "U1", "H1": "U2", "H2": "U2"}
    over = {p.code: p for p in probs}["PLAN-OVERLAP"]
    assert over.ids == ("H1",) and over.severity == "error"
    assert "暂时这样计算：H1 → U2（在一个院落之内、只压着另一院落边界的户归它所在的院落" in over.message("zh")
    assert "Counted for now: H1 → U2 (a household inside one unit and only on another's edge" in over.message("en")


def test_polygons_without_an_id_holding_households_or_none():
    # row 2: a polygon whose 院落编号 was never filled in, over H1; row 3: a sliver left by drawing, over nobody.
    # H1 was said to lie "in no unit polygon" (PLAN-OUTSIDE), and the sliver was an error failing the check.
    hh = _households(["H0", "H1", "H2"], [(50, 50), (150, 50), (60, 50)])
    units = gpd.GeoDataFrame({"uid": ["U1", None, None]},
                             geometry=[_box(0, 0, 100, 100), _box(100, 0, 200, 100), _box(100, 100, 101, 200)],
                             crs=CRS)
    labels, probs = assign_by_unit_polygons(hh, units, "uid", file="院落范围.shp")
    assert labels.fillna("-").to_dict() == {"H0": "U1", "H1": "-", "H2": "U1"}
    ids = [p for p in probs if p.code == "PLAN-ID"]
    assert [(p.severity, p.rows, p.ids) for p in ids] == [("error", (2,), ("H1",)), ("warning", (3,), ())]
    assert "PLAN-OUTSIDE" not in [p.code for p in probs]
    assert ids[0].message("zh") == (
        "错误 PLAN-ID：文件 院落范围.shp：方案中院落编号为空或重复：院落编号为空的面里有农户，这些户没有分到院落（第 2 行；"
        "编号 H1）。\n  处理办法：在这些面的院落编号栏填上它所属院落的编号，或在地理信息软件中把它合并到相邻的院落；填好之前，"
        "面里的农户不属于任何院落。")
    assert ids[1].message("en") == (
        "Warning PLAN-ID: file 院落范围.shp: the plan has blank or duplicate unit ids: polygons with a blank unit id and "
        "no household in them (most likely leftovers of drawing) (row 3).\n  Fix: delete these polygons in a GIS; the "
        "check is not affected.")
    g = TerrainGraph.from_edges(list(hh.index), np.array([[50, 50], [150, 50], [60, 50]], float), [(0, 2), (1, 2)],
                                crs=CRS)
    res = check_plan(hh, labels, Rules(1, 3), graph=g, plan_problems=probs, unapplied=False)
    v = res.violations
    assert sorted(zip(v["code"], v["severity"], strict=True)) == [("PLAN-ID", "error"), ("PLAN-ID", "warning")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_polygons_in_a_wrong_crs_stop_the_check(tmp_path, lang):
    # a district's 院落范围.shp in the zone-prefixed CGCS2000 zone 36 (EPSG:4524) whose .prj says EPSG:4545 (no
    # prefix): 36,000 km from the village; every household was "outside every unit", every unit empty (exit 1)
    from shared_fixtures import lonlat_households_csv, run_cli

    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    pts = gpd.read_file(hh).pipe(lambda f: gpd.GeoDataFrame(
        f, geometry=gpd.points_from_xy(f["经度"].astype(float), f["纬度"].astype(float)), crs="EPSG:4490"))
    x0, y0, x1, y1 = pts.to_crs("EPSG:4524").total_bounds
    units = gpd.GeoDataFrame({"院落编号": ["U1"]}, geometry=[box(x0 - 50, y0 - 50, x1 + 50, y1 + 50)], crs="EPSG:4524")
    units.set_crs("EPSG:4545", allow_override=True).to_file(tmp_path / "院落范围.shp", encoding="GBK")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(tmp_path / "院落范围.shp"), "--min", "4",
                   "--max", "30", "--report", str(tmp_path / "r.html")], lang, code=2)
    text = " ".join(out.split())
    assert "UNITS-FAR" in text and "EPSG:4524" in text and "PLAN-OUTSIDE" not in text, out
    assert ("带有 3° 带号前缀，坐标系应为 EPSG:4524" if lang == "zh" else "carry a 3° zone prefix: their CRS is EPSG:4524") \
        in text, out
    assert not (tmp_path / "r.html").exists()
    # the same polygons with their own .prj: read, the households inside
    units.to_file(tmp_path / "院落范围2.shp", encoding="GBK")
    run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(tmp_path / "院落范围2.shp"), "--min", "4",
             "--max", "30"], lang, code=0)
