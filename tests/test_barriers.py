"""Rivers, water polygons and bridges cutting neighbour edges (yuanluo.gis.barriers via build_graph).

Fixture: two hamlets of 3x3 households, 20 m apart, either side of a river at x = 100::

      y
     40  o o o     |     o o o
     20  o o o  ===|===  o o o      (=== optional road = bridge at y = 20)
      0  o o o     |     o o o
         0  20 40  100  160 180 200  x
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, Polygon, points

from yuanluo.gis.barriers import blocking_rivers, cut_edges, prepare_barriers
from yuanluo.gis.errors import CRSError, InputError
from yuanluo.gis.neighbours import build_graph

UTM = "EPSG:32631"


def two_hamlets(settlement=None):
    xs = [0, 20, 40, 160, 180, 200]
    xy = np.array([[x, y] for x in xs for y in (0, 20, 40)], dtype=float)
    ids = [f"{'W' if x < 100 else 'E'}{i:02d}" for i, (x, _) in enumerate(xy)]
    df = pd.DataFrame(index=pd.Index(ids, name="hid"))
    if settlement is not None:
        df["settlement"] = settlement
    return gpd.GeoDataFrame(df, geometry=points(xy), crs=UTM)


def river(cls="river", **cols):
    return gpd.GeoDataFrame({"waterway": [cls], **{k: [v] for k, v in cols.items()}},
                            geometry=[LineString([(100, -500), (100, 500)])], crs=UTM)


def road(y=20.0):
    return gpd.GeoDataFrame({"highway": ["path"]}, geometry=[LineString([(-50, y), (250, y)])], crs=UTM)


def n_components(g):
    return int(g.components().max()) + 1


def test_river_without_bridge_splits_the_hamlets():
    g = build_graph(two_hamlets(), rivers=river())
    assert n_components(g) == 2
    assert set(g.cut["reason"]) == {"river"}
    assert g.meta["n_cut"]["river"] == len(g.cut) > 0
    # every cut edge joins the two banks, every kept edge stays on one bank
    side = g.xy[:, 0] > 100
    assert (side[g.cut["u"]] != side[g.cut["v"]]).all()
    assert (side[g.u] == side[g.v]).all()


def test_bridge_joins_the_hamlets():
    g = build_graph(two_hamlets(), rivers=river(), roads=road(20.0))
    assert n_components(g) == 1
    side = g.xy[:, 0] > 100
    assert (side[g.u] != side[g.v]).any()
    assert g.meta["barrier_counts"]["bridges"] == 1


def test_bridge_too_far_does_not_join():
    g = build_graph(two_hamlets(), rivers=river(), roads=road(300.0))
    assert n_components(g) == 2


def test_bridge_tolerance_is_respected():
    # the road crosses at y = 90; crossings of the hamlet edges are at y in [0, 40]
    assert n_components(build_graph(two_hamlets(), rivers=river(), roads=road(90.0))) == 2
    assert n_components(build_graph(two_hamlets(), rivers=river(), roads=road(90.0), bridge_tolerance_m=60)) == 1


@pytest.mark.parametrize(("cls", "cuts"), [("stream", False), ("ditch", False), ("drain", False),
                                            ("river", True), ("canal", True), ("weir", False),
                                            ("brook_unknown", True)])
def test_waterway_classes(cls, cuts):
    g = build_graph(two_hamlets(), rivers=river(cls))
    assert (n_components(g) == 2) is cuts


def test_wide_stream_cuts_and_passable_is_configurable():
    assert n_components(build_graph(two_hamlets(), rivers=river("stream", width="8 m"))) == 2
    assert n_components(build_graph(two_hamlets(), rivers=river("stream", width="1.5"))) == 1
    assert n_components(build_graph(two_hamlets(), rivers=river("river"), passable_waterways=("river",))) == 1
    assert n_components(build_graph(two_hamlets(), rivers=river("stream"), passable_waterways=())) == 2


def test_blocking_rivers_mask():
    r = gpd.GeoDataFrame({"waterway": ["River ", "stream", None, "dam"]},
                         geometry=[LineString([(0, 0), (1, 1)])] * 4, crs=UTM)
    assert blocking_rivers(r).tolist() == [True, False, True, False]


def test_settlement_does_not_bridge_a_river():
    hh = two_hamlets(settlement=["S1"] * 18)
    g = build_graph(hh, rivers=river(), max_walk_min=0.01)
    assert n_components(g) == 2
    assert "river" in set(g.cut["reason"])


def test_water_polygon_cuts_and_road_over_it_bridges():
    lake = gpd.GeoDataFrame({"natural": ["water"]}, geometry=[Polygon([(80, -100), (120, -100), (120, 200),
                                                                       (80, 200)])], crs=UTM)
    g = build_graph(two_hamlets(), water=lake)
    assert n_components(g) == 2 and set(g.cut["reason"]) == {"water"}
    g2 = build_graph(two_hamlets(), water=lake, roads=road(20.0))
    assert n_components(g2) == 1


def test_every_crossing_needs_a_bridge():
    # a meander crossed twice by the edge; a bridge on only one crossing does not help
    meander = [LineString([(30, -100), (30, 10), (70, 10), (70, -100)])]
    b1 = prepare_barriers(UTM, rivers=meander, roads=[LineString([(30, 0), (30, 30)])])
    assert cut_edges([[0, 5]], [[100, 5]], b1).tolist() == ["river"]
    b2 = prepare_barriers(UTM, rivers=meander, roads=[LineString([(30, 0), (30, 30)]),
                                                      LineString([(70, 0), (70, 30)])])
    assert cut_edges([[0, 5]], [[100, 5]], b2).tolist() == [""]


def test_layers_in_another_crs_are_reprojected():
    r = river().to_crs("EPSG:4326")
    before = r.copy()
    g = build_graph(two_hamlets(), rivers=r)
    assert n_components(g) == 2
    pd.testing.assert_frame_equal(r, before)


def test_layer_without_crs_is_an_error():
    r = river()
    r = r.set_crs(None, allow_override=True)
    with pytest.raises(CRSError) as ei:
        build_graph(two_hamlets(), rivers=r)
    assert ei.value.codes == ["BARRIER-CRS"]


def test_empty_river_layer_is_reported(monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", "en")  # the warnings are said in the chosen language
    empty = river().iloc[0:0]
    with pytest.warns(UserWarning, match="no neighbour links were cut"):
        g = build_graph(two_hamlets(), rivers=empty)
    assert g.meta["barriers_applied"]["rivers"] is False
    assert [p.code for p in g.meta["problems"]] == ["BARRIER-EMPTY"]
    assert n_components(g) == 1


# ---------------------------------------------------------------- polygons as rivers, polygon roads, wrong layers
def river_polygon(x0=90.0, x1=110.0):
    return gpd.GeoDataFrame({"name": ["长江"]}, geometry=[Polygon([(x0, -500), (x1, -500), (x1, 500), (x0, 500)])],
                            crs=UTM)


def road_polygon(y=20.0, half=3.0):
    return gpd.GeoDataFrame({"highway": ["secondary"]},
                            geometry=[Polygon([(-50, y - half), (250, y - half), (250, y + half), (-50, y + half)])],
                            crs=UTM)


def test_polygons_given_as_rivers_are_water_bodies():
    g = build_graph(two_hamlets(), rivers=river_polygon())
    assert n_components(g) == 2 and set(g.cut["reason"]) == {"water"}
    side = g.xy[:, 0] > 100
    assert (side[g.cut["u"]] != side[g.cut["v"]]).all()
    assert g.meta["barriers_applied"]["rivers"] is True
    assert g.meta["barrier_counts"]["river_polygons"] == 1
    assert [p.code for p in g.meta["problems"]] == []
    # the same as giving it as water
    gw = build_graph(two_hamlets(), water=river_polygon())
    assert g.cut[["u", "v", "reason"]].equals(gw.cut[["u", "v", "reason"]])


def test_rivers_layer_with_lines_and_polygons_uses_both():
    mixed = pd.concat([river().assign(name="R"), river_polygon(300, 320)], ignore_index=True)
    b = prepare_barriers(UTM, rivers=mixed)
    assert (b.counts["rivers_blocking"], b.counts["river_polygons"], b.counts["water_polygons"]) == (1, 1, 1)
    # a pond (polygon) between the hamlets and no line there: the polygon alone cuts
    pond_and_far_line = pd.concat([river_polygon(), river().set_geometry([LineString([(500, 0), (500, 9)])])],
                                  ignore_index=True)
    assert n_components(build_graph(two_hamlets(), rivers=pond_and_far_line)) == 2


def test_road_polygon_over_a_river_polygon_is_a_bridge():
    g = build_graph(two_hamlets(), rivers=river_polygon(), roads=road_polygon(20.0))
    assert n_components(g) == 1
    assert g.meta["barrier_counts"]["water_bridges"] == 1 and g.meta["barrier_counts"]["road_polygons"] == 1
    assert n_components(build_graph(two_hamlets(), rivers=river_polygon(), roads=road_polygon(300.0))) == 2


def test_road_polygon_over_a_river_line_is_a_bridge():
    g = build_graph(two_hamlets(), rivers=river(), roads=road_polygon(20.0))
    assert n_components(g) == 1 and g.meta["barrier_counts"]["bridges"] == 2  # both edges of the road
    assert n_components(build_graph(two_hamlets(), rivers=river(), roads=road_polygon(300.0))) == 2


@pytest.mark.parametrize("kind", ["rivers", "water", "roads"])
def test_a_layer_of_points_is_a_coded_error(kind):
    pts = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=points([[100, 0], [100, 40]]), crs=UTM)
    kw = {kind: pts} if kind != "roads" else {"rivers": river(), "roads": pts}
    with pytest.raises(InputError) as ei:
        build_graph(two_hamlets(), **kw)
    msg_zh, msg_en = ei.value.problems[0].message("zh"), ei.value.problems[0].message("en")
    if kind == "water":  # as read_layer says of a --water file of points: water= takes polygons
        assert ei.value.codes == ["LAYER-WATER-KIND"]
        assert "只有 2 个点" in msg_zh and "“water=”" in msg_zh and "--water" not in msg_zh, msg_zh  # from Python
        assert "only 2 points" in msg_en, msg_en
        return
    assert ei.value.codes == ["BARRIER-POINTS"]
    assert kind in msg_zh and "2 个" in msg_zh and "“rivers=”" in msg_zh and "--rivers" not in msg_zh  # from Python
    assert "points only (2 of them)" in msg_en


def test_points_mixed_into_a_river_layer_are_ignored_with_a_warning():
    mixed = pd.concat([river(), gpd.GeoDataFrame({"waterway": ["waterfall"]}, geometry=points([[0, 300]]), crs=UTM)],
                      ignore_index=True)
    g = build_graph(two_hamlets(), rivers=mixed)
    assert n_components(g) == 2
    [p] = g.meta["problems"]
    assert p.code == "BARRIER-POINTS-SOME" and (p.params["points"], p.params["total"]) == (1, 2)


@pytest.mark.parametrize("kind", ["rivers", "water", "roads"])
def test_a_layer_far_from_the_households_is_a_coded_warning(kind):
    far = river().set_geometry([LineString([(100_100, -500), (100_100, 500)])])  # 100 km east
    if kind == "water":
        far = river_polygon(100_090, 100_110)
    kw = {kind: far} if kind != "roads" else {"rivers": river(), "roads": far}
    with pytest.warns(UserWarning, match="BARRIER-FAR"):
        g = build_graph(two_hamlets(), **kw)
    [p] = [p for p in g.meta["problems"] if p.code == "BARRIER-FAR"]
    assert p.params["what"] == kind and p.params["distance_km"] == "99.9" and p.params["limit_km"] == "5"
    assert "99.9 千米" in p.message("zh") and "lies 99.9 km from the households" in p.message("en")
    # 4 km away is near enough to be the village's own river: no warning
    near = river().set_geometry([LineString([(4_200, -500), (4_200, 500)])])
    assert all(p.code != "BARRIER-FAR" for p in build_graph(two_hamlets(), rivers=near).meta["problems"])


def test_a_river_layer_in_another_place_by_a_wrong_crs_is_reported():
    # the right numbers in the wrong zone: the layer lands hundreds of km away
    wrong = river().set_crs("EPSG:32632", allow_override=True)
    g = build_graph(two_hamlets(), rivers=wrong)
    assert n_components(g) == 1
    assert [p.code for p in g.meta["problems"]] == ["BARRIER-FAR"]


def test_survey_partition_road_between_two_river_pieces_joins_where_edges_run_over_it():
    # a land survey is a partition: the road polygon over the bridge splits the river polygon in two and
    # touches it without overlapping; an edge over the road polygon crosses no water and is kept
    pieces = gpd.GeoDataFrame({"DLBM": ["1101", "1101", "1003"], "DLMC": ["河流水面", "河流水面", "公路用地"]},
                              geometry=[Polygon([(90, -500), (110, -500), (110, 17), (90, 17)]),
                                        Polygon([(90, 23), (110, 23), (110, 500), (90, 500)]),
                                        Polygon([(-50, 17), (250, 17), (250, 23), (-50, 23)])], crs=UTM)
    g = build_graph(two_hamlets(), rivers=pieces.iloc[:2], roads=pieces.iloc[2:])
    assert n_components(g) == 1
    side = g.xy[:, 0] > 100
    across = side[g.u] != side[g.v]
    assert set(g.xy[g.u[across], 1]) == {20.0}  # only the edge along the road itself


# ---------------------------------------------------------------- a layer put far away by a wrong CRS is an error
GK = "EPSG:4545"  # CGCS2000 3° GK, CM 108°E, eastings without the zone prefix
E0, N0 = 474_000.0, 3_297_000.0  # central Chongqing


def gk_hamlets():
    h = two_hamlets()
    return h.set_geometry(h.translate(E0, N0)).set_crs(GK, allow_override=True)


def gk_river_polygon(dx=0.0, crs=GK):
    return river_polygon().set_geometry(river_polygon().translate(E0 + dx, N0)).set_crs(crs, allow_override=True)


def test_a_zone_prefixed_layer_under_a_crs_without_the_prefix_is_an_error_naming_the_fix():
    # the survey's X carries the zone number 36 (EPSG:4524) but its .prj says CM 108°E without it (EPSG:4545):
    # the layer lands 36,000 km away; a household file with the same mistake is CRS-GKPREFIX
    with pytest.raises(InputError) as ei:
        build_graph(gk_hamlets(), water=gk_river_polygon(36_000_000))
    [p] = ei.value.problems
    assert p.code == "BARRIER-GKPREFIX" and p.severity == "error"
    assert p.params["suggest"] == "EPSG:4524" and p.params["option"] == "--water"
    zh, en = p.message("zh"), p.message("en")
    assert "“water=”" in zh and "ogr2ogr -a_srs EPSG:4524" in zh and "3° 带号前缀" in zh  # a call from Python:
    assert "the CRS EPSG:4524" in en and "water=" in en and "--water" not in en + zh  # its keyword, no option
    # and the other way round: a .prj of the prefixed zone (EPSG:4524) over eastings without the prefix
    with pytest.raises(InputError) as ei:
        build_graph(gk_hamlets(), rivers=gk_river_polygon(crs="EPSG:4524"))
    assert [(q.code, q.params["suggest"], q.params["option"]) for q in ei.value.problems] == [
        ("BARRIER-GKPREFIX", "EPSG:4545", "--rivers")]


def test_a_layer_more_than_1000_km_away_is_a_crs_error_and_a_distant_one_a_warning():
    with pytest.raises(InputError) as ei:
        build_graph(gk_hamlets(), roads=gk_river_polygon(1_500_000), rivers=gk_river_polygon())
    [p] = ei.value.problems
    assert p.code == "BARRIER-CRS-FAR" and p.params["option"] == "--roads" and p.params["distance_km"] == "1499.9"
    assert "EPSG:4545" in p.message("zh") and "roads=" in p.message("en") and "--roads" not in p.message("en")
    with pytest.warns(UserWarning, match="BARRIER-FAR"):
        g = build_graph(gk_hamlets(), roads=gk_river_polygon(900_000), rivers=gk_river_polygon())
    assert [q.code for q in g.meta["problems"]] == ["BARRIER-FAR"]


# ---------------------------------------------------------------- a household standing inside a water polygon
def test_a_household_drawn_into_a_pond_keeps_its_neighbours_but_not_across_the_water():
    from shapely import Point, box

    h = two_hamlets()
    # a pond drawn around W00 (0, 0): W00 at its middle, the rest of the western hamlet outside
    pond = gpd.GeoDataFrame({"name": ["塘"]}, geometry=[Point(0, 0).buffer(8)], crs=UTM)
    g = build_graph(h, water=pond)
    w00 = list(g.ids).index("W00")
    assert n_components(g) == 1 and ((g.u == w00) | (g.v == w00)).sum() >= 2
    assert "water" not in set(g.cut["reason"])
    # a point drawn 3 m into a 20 m wide river off its western bank does not join the banks
    river_w = gpd.GeoDataFrame({"name": ["河"]}, geometry=[box(43, -500, 63, 500)], crs=UTM)
    moved = h.set_geometry(h.geometry.where(h.index != "W07", Point(46, 20)))  # W07 (40, 20) -> 3 m in
    g = build_graph(moved, water=river_w)
    side = g.xy[:, 0] > 53
    assert (side[g.u] == side[g.v]).all() and n_components(g) == 2
    i = list(g.ids).index("W07")
    assert ((g.u == i) | (g.v == i)).sum() >= 2  # still joined to its own bank
    assert (side[g.cut["u"]] != side[g.cut["v"]]).all() and set(g.cut["reason"]) == {"water"}


def test_cut_edges_of_households_inside_the_polygon():
    from shapely import box

    b = prepare_barriers(UTM, water=[box(0, 0, 100, 10)])
    # from 2 m inside the southern shore: out to the south kept, across to the north cut; both inside: kept;
    # from the middle (5 m from both long shores) out past the western end (10 m away): through the water, cut
    assert cut_edges([[50, 2], [50, 2], [50, 2], [10, 5]], [[50, -30], [50, 40], [60, 8], [-20, 5]], b).tolist() == [
        "", "water", "", "water"]
    assert cut_edges([[10, 5], [10, 5]], [[30, 5], [10, -30]], b).tolist() == ["", ""]
