"""Land-use survey layers (第三次全国国土调查, GB/T 21010-2017: DLBM/DLMC) as rivers, water and roads.

Fixture: the two hamlets of ``test_barriers`` (3x3 households each, x in 0..40 and 160..200), and a
land-use layer drawn as a survey draws it: every polygon a class, water among farmland and forest::

      y
          |水田 0101 ·······|  |河流水面 1101|  |乔木林地 0301 ····|     坑塘水面 1104 far away
     40   |  o  :  o    o  |  |            |  |  o    o    o    |
      0   |  o  :  o    o  |  |   x 90..110|  |  o    o    o    |
              沟渠 1107 (1 m wide ditch inside the western hamlet: stepped over)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box, points
from typer.testing import CliRunner

from yuanluo.gis.barriers import landuse_classes, prepare_barriers
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import build_graph
from yuanluo.planners.cli import app

UTM = "EPSG:32631"


def two_hamlets() -> gpd.GeoDataFrame:
    xs = [0, 20, 40, 160, 180, 200]
    xy = np.array([[x, y] for x in xs for y in (0, 20, 40)], dtype=float)
    ids = [f"{'W' if x < 100 else 'E'}{i:02d}" for i, (x, _) in enumerate(xy)]
    return gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=points(xy), crs=UTM)


def survey(rows: list[tuple[str, str, object]], *, code_col: str = "DLBM", name_col: str = "DLMC",
           ) -> gpd.GeoDataFrame:
    """A 国土调查-style layer: (DLBM, DLMC, polygon) rows, plus the usual BSM/TBMJ fields."""
    return gpd.GeoDataFrame(
        {"BSM": [f"{i + 1:018d}" for i in range(len(rows))], code_col: [r[0] for r in rows],
         name_col: [r[1] for r in rows], "TBMJ": [float(r[2].area) for r in rows],  # type: ignore[union-attr]
         "QSDWMC": ["白鹤村民委员会"] * len(rows)},
        geometry=[r[2] for r in rows], crs=UTM)


RIVER = ("1101", "河流水面", box(90, -500, 110, 500))
PADDY = ("0101", "水田", box(-20, -20, 60, 60))
FOREST = ("0301", "乔木林地", box(140, -20, 220, 60))
POND = ("1104", "坑塘水面", box(300, 300, 330, 330))
DITCH = ("1107", "沟渠", box(9.5, -50, 10.5, 100))
HOMES = ("0702", "农村宅基地", box(-5, -5, 5, 5))


def sides(g) -> np.ndarray:
    return g.xy[:, 0] > 100


def n_components(g) -> int:
    return int(g.components().max()) + 1


def landuse_problem(g):
    [p] = [p for p in g.meta["problems"] if p.code == "BARRIER-LANDUSE"]
    return p


def test_survey_layer_as_rivers_cuts_the_crossing_edges_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", "en")  # the warnings are said in the chosen language
    layer = survey([PADDY, RIVER, FOREST, POND, DITCH, HOMES])
    with pytest.warns(UserWarning, match="land-use class columns"):
        g = build_graph(two_hamlets(), rivers=layer)
    assert n_components(g) == 2
    assert set(g.cut["reason"]) == {"water"}
    s = sides(g)
    assert (s[g.cut["u"]] != s[g.cut["v"]]).all() and (s[g.u] == s[g.v]).all()
    # farmland, forest and homesteads do not cut (they cover the hamlets), the 1 m ditch is stepped over
    assert g.meta["n_kept_edges"] == len(g.u) and (s[g.u] == s[g.v]).all()
    assert g.meta["barrier_counts"]["river_polygons"] == 2
    assert g.meta["barriers_applied"]["rivers"] is True
    p = landuse_problem(g)
    assert (p.params["used"], p.params["passable"], p.params["other"]) == (2, 1, 3)
    assert p.params["used_classes"] == ["坑塘水面 ×1", "河流水面 ×1"]
    assert p.params["passable_classes"] == ["沟渠 ×1"]
    assert p.params["other_classes"] == ["乔木林地 ×1", "农村宅基地 ×1", "水田 ×1"]
    zh, en = p.message("zh"), p.message("en")
    assert "BARRIER-LANDUSE" in zh and "2 个水面图斑阻隔步行" in zh and "水田 ×1" in zh
    assert "2 water polygons block walking" in en
    assert "乔木林地 ×1、农村宅基地 ×1" in zh and "乔木林地 ×1, 农村宅基地 ×1" in en and "、" not in en  # lists as each language lists


def test_without_the_water_classes_nothing_is_cut_and_the_report_says_so() -> None:
    g = build_graph(two_hamlets(), rivers=survey([PADDY, FOREST, HOMES]))
    assert n_components(g) == 1 and len(g.cut) == 0
    p = landuse_problem(g)
    assert (p.params["used"], p.params["other"]) == (0, 3)
    assert g.meta["barriers_applied"]["rivers"] is False


@pytest.mark.parametrize(("code", "name", "cuts"), [
    ("1101", "河流水面", True), ("1102", "湖泊水面", True), ("1103", "水库水面", True), ("1104", "坑塘水面", True),
    ("1104A", "养殖坑塘", True), ("1105", "沿海滩涂", True), ("1107A", "干渠", True), ("1110", "冰川及永久积雪", True),
    ("1106", "内陆滩涂", False), ("1108", "沼泽地", False), ("1109", "水工建筑用地", False),
    ("0101", "水田", False), ("0404", "其他草地", False),
])
def test_each_class_blocks_or_not(code: str, name: str, cuts: bool) -> None:
    g = build_graph(two_hamlets(), rivers=survey([(code, name, RIVER[2])]))
    assert (n_components(g) == 2) is cuts
    # the name alone and the code alone decide the same way
    by_name = survey([("", name, RIVER[2])])
    by_code = survey([(code, "", RIVER[2])])
    assert (n_components(build_graph(two_hamlets(), rivers=by_name)) == 2) is cuts
    assert (n_components(build_graph(two_hamlets(), rivers=by_code)) == 2) is cuts


def test_ditch_blocks_when_wider_than_the_passable_width() -> None:
    narrow = survey([("1107", "沟渠", box(98.5, -500, 101.5, 500))])  # 3 m: stepped over
    wide = survey([("1107", "沟渠", box(96, -500, 104, 500))])        # 8 m: a canal in all but name
    assert n_components(build_graph(two_hamlets(), rivers=narrow)) == 1
    assert n_components(build_graph(two_hamlets(), rivers=wide)) == 2
    assert n_components(build_graph(two_hamlets(), rivers=wide, max_passable_width_m=10.0)) == 1


def test_codes_as_numbers_2007_codes_and_chinese_column_names() -> None:
    numeric = survey([(1101.0, "", RIVER[2]), (101.0, "", PADDY[2])])  # type: ignore[list-item]
    assert n_components(build_graph(two_hamlets(), rivers=numeric)) == 2
    old = survey([("111", "河流水面", RIVER[2])])                         # GB/T 21010-2007 (二调)
    assert n_components(build_graph(two_hamlets(), rivers=old)) == 2
    zh_cols = survey([("1103", "水库水面", RIVER[2]), ("0301", "乔木林地", FOREST[2])],
                     code_col="地类编码", name_col="地类名称")
    g = build_graph(two_hamlets(), rivers=zh_cols)
    assert n_components(g) == 2 and landuse_problem(g).params["other"] == 1
    lower = survey([RIVER], code_col="dlbm", name_col="dlmc")
    assert n_components(build_graph(two_hamlets(), rivers=lower)) == 2


def test_osm_tags_decide_where_present() -> None:
    layer = gpd.GeoDataFrame({"natural": ["water", None, "wetland"], "landuse": [None, "farmland", None]},
                             geometry=[RIVER[2], PADDY[2], box(150, 0, 155, 10)], crs=UTM)
    g = build_graph(two_hamlets(), rivers=layer)
    assert n_components(g) == 2
    p = landuse_problem(g)
    assert (p.params["used"], p.params["passable"], p.params["other"]) == (1, 1, 1)
    cls = landuse_classes(layer)
    assert cls is not None and cls["label"].tolist() == ["natural=water", "landuse=farmland", "natural=wetland"]


def test_survey_layer_as_water_is_filtered_too() -> None:
    g = build_graph(two_hamlets(), water=survey([PADDY, RIVER, FOREST]))
    assert n_components(g) == 2 and landuse_problem(g).params["other"] == 2


def test_survey_road_polygon_over_the_river_is_a_bridge() -> None:
    # the survey draws the road over the river: 公路用地 1003 crossing 河流水面 1101 (and farmland: left out)
    roads = survey([("1003", "公路用地", box(-50, 17, 250, 23)), ("0101", "水田", box(60, 60, 80, 80))])
    b = prepare_barriers(UTM, rivers=survey([RIVER]), roads=roads)
    assert b.counts["roads"] == 1 and b.counts["water_bridges"] == 1
    g = build_graph(two_hamlets(), rivers=survey([PADDY, RIVER, FOREST]), roads=roads)
    assert n_components(g) == 1
    # paddy is not a road: it bridges nothing even where it lies over the river
    g2 = build_graph(two_hamlets(), rivers=survey([RIVER]), roads=survey([("0101", "水田", box(-50, 17, 250, 23))]))
    assert n_components(g2) == 2


@pytest.mark.parametrize("fmt", ["ESRI Shapefile", "GPKG"])
def test_gbk_shapefile_and_geopackage_read_with_read_layer(tmp_path: Path, fmt: str) -> None:
    from yuanluo.gis.io import read_layer

    layer = survey([PADDY, RIVER, FOREST, DITCH])
    if fmt == "ESRI Shapefile":
        path = tmp_path / "DLTB.shp"
        layer.to_file(path, driver=fmt, encoding="GBK")
        assert (tmp_path / "DLTB.cpg").read_text().strip().upper() in {"GBK", "CP936", "936"}
        assert "河流水面".encode("gbk") in (tmp_path / "DLTB.dbf").read_bytes()
    else:
        path = tmp_path / "landuse.gpkg"
        layer.to_file(path, driver=fmt, layer="DLTB")
    read = read_layer(path, kind="rivers", working_crs=UTM)
    assert sorted(read["DLMC"]) == sorted(["水田", "河流水面", "乔木林地", "沟渠"])
    g = build_graph(two_hamlets(), rivers=read)
    assert n_components(g) == 2 and set(g.cut["reason"]) == {"water"}
    assert landuse_problem(g).params["used_classes"] == ["河流水面 ×1"]


def test_landuse_rivers_and_plain_river_lines_at_once() -> None:
    from shapely import LineString

    lines = gpd.GeoDataFrame({"waterway": ["river"]}, geometry=[LineString([(60, -500), (60, 500)])], crs=UTM)
    both = pd.concat([survey([RIVER]), lines], ignore_index=True)
    b = prepare_barriers(UTM, rivers=both)
    assert (b.counts["rivers_blocking"], b.counts["river_polygons"]) == (1, 1)


def test_points_as_survey_layer_is_an_error() -> None:
    pts = survey([("1101", "河流水面", box(90, 0, 110, 20))])
    pts = pts.set_geometry(pts.geometry.centroid)
    with pytest.raises(InputError) as ei:
        build_graph(two_hamlets(), rivers=pts)
    assert ei.value.codes == ["BARRIER-POINTS"]


# ------------------------------------------------------------------------------ end to end, through the CLI
def _village_landuse(tmp: Path) -> tuple[Path, Path, gpd.GeoDataFrame]:
    """make_village's households, and its rivers drawn as a survey draws them: 河流水面 polygons (24 m wide),
    streams as 1.5 m 沟渠, all among 旱地 / 乔木林地 tiles covering the village."""
    from shapely import box as bx

    from yuanluo.gis.synth import make_village

    v = make_village(600, seed=3)
    hh_path, lu_path = tmp / "hh.gpkg", tmp / "landuse.gpkg"
    v.households.reset_index().to_file(hh_path, layer="households")
    r = v.rivers
    rows = [("1101", "河流水面", g) for g in r[r["waterway"] == "river"].buffer(12.0)]
    rows += [("1107", "沟渠", g) for g in r[r["waterway"] == "stream"].buffer(0.75)]
    x0, y0, x1, y1 = v.households.total_bounds
    tiles = [bx(x, y, x + 500, y + 500) for x in np.arange(x0 - 100, x1 + 100, 500)
             for y in np.arange(y0 - 100, y1 + 100, 500)]
    rows += [("0103", "旱地", g) if i % 2 else ("0301", "乔木林地", g) for i, g in enumerate(tiles)]
    lu = gpd.GeoDataFrame({"DLBM": [a for a, _, _ in rows], "DLMC": [b for _, b, _ in rows]},
                          geometry=[g for *_, g in rows], crs=v.crs)
    lu.to_file(lu_path, layer="DLTB")
    return hh_path, lu_path, lu


def test_delineate_with_a_landuse_layer_as_rivers_puts_no_unit_across_the_water(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.gis.check import check_plan
    from yuanluo.planners.cli import app
    from yuanluo.planners.presets import preset

    hh_path, lu_path, lu = _village_landuse(tmp_path)
    hh = gpd.read_file(hh_path).set_index("hid")
    # the banks: the graph with the water cut and nothing cut for length
    banks = build_graph(hh, rivers=lu, max_walk_min=1e9)
    bank = pd.Series(banks.components(), index=banks.ids)
    assert bank.nunique() >= 2 and banks.meta["n_cut"]["water"] > 0

    def run(out: Path, *extra: str) -> pd.Series:
        res = CliRunner().invoke(app, ["delineate", str(hh_path), "--preset", "banan", "-o", str(out), "-q", *extra])
        assert res.exit_code == 0, res.output
        return gpd.read_file(out, layer="households").set_index("hid")["unit_id"]

    labels = run(tmp_path / "with.gpkg", "--rivers", str(lu_path))
    across = labels.groupby(labels).apply(lambda s: bank.loc[s.index].nunique())
    assert (across == 1).all(), across[across > 1]
    res = check_plan(hh, labels, preset("banan"), graph=banks, checks=["contiguity"])
    assert len(res.violations) == 0
    # the test has teeth: without the layer some units do cross the river
    plain = run(tmp_path / "without.gpkg")
    assert (plain.groupby(plain).apply(lambda s: bank.loc[s.index].nunique()) > 1).any()
    assert len(check_plan(hh, plain, preset("banan"), graph=banks, checks=["contiguity"]).violations) > 0


def test_cli_points_as_rivers_exit_2_and_a_far_layer_is_a_warning(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    hh_path, _, lu = _village_landuse(tmp_path)
    pts = tmp_path / "wells.gpkg"
    gpd.read_file(hh_path).iloc[:5][["geometry"]].to_file(pts)
    out = tmp_path / "out.gpkg"
    res = CliRunner().invoke(app, ["delineate", str(hh_path), "--preset", "banan", "-o", str(out), "--rivers", str(pts)])
    assert res.exit_code == 2 and "BARRIER-POINTS" in res.output and not out.exists()
    far = tmp_path / "far.gpkg"
    lu.set_geometry(lu.translate(100_000, 0)).to_file(far)
    res = CliRunner().invoke(app, ["delineate", str(hh_path), "--preset", "banan", "-o", str(out), "--lang", "en",
                                   "--rivers", str(far)])
    assert res.exit_code == 0, res.output
    assert "BARRIER-FAR" in res.output  # in the warning table, not as a raw Python warning
    import pyogrio

    run = pyogrio.read_dataframe(out, layer="run", read_geometry=False)
    assert run.astype(str).apply(lambda c: c.str.contains("lies 9", regex=False)).any().any()


def test_the_report_names_the_passable_ditch_width_in_use() -> None:
    g = build_graph(two_hamlets(), rivers=survey([RIVER, DITCH]), max_passable_width_m=2.5)
    p = landuse_problem(g)
    assert "平均宽度不超过 2.5 米" in p.message("zh") and "mean width up to 2.5 m" in p.message("en")


def test_an_osm_road_layer_with_tag_columns_keeps_every_road() -> None:
    """OSM roads often carry other tag columns (``waterway``, ``landuse``); only a survey layer (DLBM/DLMC) is
    filtered by class. Found on the bundled sample, whose roads have a ``waterway`` column: every bridge was lost."""
    from shapely import LineString

    roads = gpd.GeoDataFrame({"highway": ["track", "path"], "waterway": [None, None], "landuse": [None, None]},
                             geometry=[LineString([(-50, 20), (250, 20)]), LineString([(0, 60), (40, 60)])],
                             crs=UTM)
    b = prepare_barriers(UTM, rivers=survey([RIVER]), roads=roads)
    assert b.counts["roads"] == 2 and b.counts["water_bridges"] == 1
    assert n_components(build_graph(two_hamlets(), rivers=survey([RIVER]), roads=roads)) == 1


def test_the_bundled_sample_keeps_its_roads_and_bridges() -> None:
    from yuanluo.planners import workflows as W

    p = W.sample_paths()
    inputs = W.load_inputs(p["households"], dem=p["dem"], rivers=p["rivers"], water=p["water"], roads=p["roads"])
    counts = W.build_graph(inputs).meta["barrier_counts"]
    assert counts["roads"] == 1211 and counts["bridges"] > 0 and counts["water_bridges"] > 0


# ------------------------------------------------------------------------------ 线状地物 (XZDW): lines with a width
def xzdw(rows: list[tuple[str, str, float | None]], width_col: str = "KD") -> gpd.GeoDataFrame:
    """A 线状地物 layer: (DLBM, DLMC, KD metres) rows, each a line along x = 100 between the hamlets."""
    from shapely import LineString

    return gpd.GeoDataFrame({"DLBM": [r[0] for r in rows], "DLMC": [r[1] for r in rows],
                             width_col: [r[2] for r in rows]},
                            geometry=[LineString([(100, -500), (100, 500)])] * len(rows), crs=UTM)


@pytest.mark.parametrize(("rows", "cuts"), [
    ([("1107", "沟渠", 8.0)], True),                      # an 8 m ditch: a canal in all but name
    ([("117", "沟渠", 8.0)], True),                       # the same in GB/T 21010-2007 codes (二调)
    ([("1107", "沟渠", 1.5)], False), ([("1107", "沟渠", None)], False),
    ([("1101", "河流水面", 20.0)], True), ([("1006", "农村道路", 4.0)], False),
])
def test_survey_lines_are_read_by_class_with_their_width_column(rows, cuts) -> None:
    g = build_graph(two_hamlets(), rivers=xzdw(rows))
    assert (n_components(g) == 2) is cuts


def test_survey_lines_get_the_landuse_report_naming_the_width_column() -> None:
    g = build_graph(two_hamlets(), rivers=xzdw([("1101", "河流水面", 20.0), ("1107", "沟渠", 8.0),
                                                ("1107", "沟渠", 1.0), ("1006", "农村道路", 4.0)], width_col="宽度"))
    assert n_components(g) == 2
    p = landuse_problem(g)
    assert (p.params["used"], p.params["passable"], p.params["other"]) == (2, 1, 1)
    assert p.params["used_classes"] == ["沟渠 ×1", "河流水面 ×1"] and p.params["other_classes"] == ["农村道路 ×1"]
    zh, en = p.message("zh"), p.message("en")
    assert "2 个水面线状地物阻隔步行" in zh and "宽度（宽度 列，米）不超过 3 米" in zh
    assert "2 water line features block walking" in en and "width (the 宽度 column, metres) up to 3 m" in en
    # without a width column a ditch line stays passable, and the report says so
    p = landuse_problem(build_graph(two_hamlets(), rivers=xzdw([("1107", "沟渠", None)]).drop(columns="KD")))
    assert "图层没有宽度列" in p.message("zh") and "no width column" in p.message("en")


def test_a_width_column_on_survey_polygons_wins_over_their_mean_width() -> None:
    narrow = survey([("1107", "沟渠", box(98.5, -500, 101.5, 500))])  # 3 m by its shape
    assert n_components(build_graph(two_hamlets(), rivers=narrow.assign(KD=[6.0]))) == 2
    assert n_components(build_graph(two_hamlets(), rivers=narrow.assign(KD=[None]))) == 1


def test_a_far_layer_gets_no_claim_that_its_classes_block_walking() -> None:
    far = survey([RIVER, PADDY])
    far = far.set_geometry(far.translate(100_000, 0))
    with pytest.warns(UserWarning, match="BARRIER-FAR"):
        g = build_graph(two_hamlets(), rivers=far)
    assert [p.code for p in g.meta["problems"]] == ["BARRIER-FAR"]


def test_cli_a_zone_prefixed_survey_without_the_prefix_in_its_prj_is_exit_2_and_nothing_written(tmp_path: Path,
                                                                                                ) -> None:
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    hh_path, _, lu = _village_landuse(tmp_path)
    assert lu.crs.to_epsg() == 4545
    bad = tmp_path / "bad"
    bad.mkdir()
    lu.set_geometry(lu.translate(36_000_000, 0)).to_file(bad / "DLTB.shp", encoding="GBK")
    out = tmp_path / "g.gpkg"
    for lang, words in (("zh", "ogr2ogr -a_srs EPSG:4524"), ("en", "give the layer the CRS EPSG:4524")):
        res = CliRunner().invoke(app, ["graph", str(hh_path), "--water", str(bad / "DLTB.shp"), "-o", str(out),
                                       "-q", "--lang", lang])
        assert res.exit_code == 2, res.output
        text = " ".join(res.output.split())
        assert "BARRIER-GKPREFIX" in text and words in text and "--water" in text and "DLTB.shp" in text
        assert "BARRIER-LANDUSE" not in text and not out.exists()


# ------------------------------------------------------------------------------ households inside water
def test_a_household_inside_a_survey_pond_is_not_cut_off() -> None:
    pond = ("1104", "坑塘水面", box(-15, -15, 15, 15).buffer(0))  # drawn around W00 at (0, 0)
    g = build_graph(two_hamlets(), rivers=survey([RIVER, pond]))
    assert n_components(g) == 2  # the river still cuts; W00 is with its hamlet
    w00 = list(g.ids).index("W00")
    assert ((g.u == w00) | (g.v == w00)).sum() >= 2


def test_spat_water_names_the_class_and_suggests_gcj02_only_for_many(tmp_path: Path) -> None:
    from shapely import Point

    from yuanluo.gis.barriers import blocking_water
    from yuanluo.gis.validate import check_in_water

    h = two_hamlets()
    lu = survey([RIVER, ("1104", "坑塘水面", Point(0, 0).buffer(5)), PADDY])
    water = blocking_water(lu, with_class=True)
    assert sorted(water["water_class"]) == ["坑塘水面", "河流水面"]
    [p] = check_in_water(h, water)
    assert p.code == "SPAT-WATER" and p.ids == ("W00",)
    zh, en = p.message("zh"), p.message("en")
    assert "1 户落在水面（坑塘水面 1 户）范围内，占 18 户的 5.6%" in zh and "河流" not in zh
    assert "1 household lies inside water polygons (1 in 坑塘水面), 5.6% of the 18" in en
    assert "gcj02" not in zh + en and "核对这些户的点位" in zh and "check these households' points" in en
    # a DLMC layer as it is names its classes too
    assert "坑塘水面" in check_in_water(h, lu)[0].message("zh")
    # many households in water (half the village, as a whole-village offset puts them): gcj02
    reservoir = blocking_water(survey([("1103", "水库水面", box(-20, -20, 60, 60))]), with_class=True)
    [p] = check_in_water(h, reservoir)
    assert len(p.ids) == 9 and "水库水面 9 户" in p.message("zh") and "9 in 水库水面" in p.message("en")
    # from Python: the crs= keyword argument; on the command line (below): the --crs option
    assert "坐标若来自高德/微信地图请传 crs='gcj02'，" in p.message("zh") and "--crs" not in p.message("zh")
    assert "for AMap/WeChat coordinates pass crs='gcj02'" in p.message("en") and "--crs" not in p.message("en")
    shift = (500000, 4700000)  # the same village where UTM coordinates are (0, 0 would look like degrees)
    h.assign(geometry=h.geometry.translate(*shift)).reset_index().to_file(tmp_path / "hh.gpkg", layer="households")
    survey([("1103", "水库水面", box(shift[0] - 20, shift[1] - 20, shift[0] + 60, shift[1] + 60))]).to_file(
        tmp_path / "w.gpkg", layer="DLTB")
    for lang, fix in (("zh", "坐标若来自高德/微信地图请用 --crs gcj02"), ("en", "for AMap/WeChat coordinates use --crs gcj02")):
        res = CliRunner().invoke(app, ["--lang", lang, "graph", str(tmp_path / "hh.gpkg"), "--water",
                                       str(tmp_path / "w.gpkg"), "-o", str(tmp_path / f"g_{lang}.gpkg")],
                                 env={"COLUMNS": "1000"})
        said = " ".join(res.output.split())
        assert res.exit_code == 0 and "SPAT-WATER" in said and fix in said and "crs=" not in said, res.output
    # without classes: plain water, no river or reservoir claimed
    [p] = check_in_water(h, water[["geometry"]])
    assert "落在水面范围内" in p.message("zh") and "inside water polygons," in p.message("en")
