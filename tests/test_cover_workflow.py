"""The 1+N service workflow (planners.cover) on a synthetic village."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, parse_hubs, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(600, seed=1)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def test_one_hub_per_village_and_group_and_everyone_measured(village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    hh, g = village
    c = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=15.0))
    hubs = c.layers["hubs"]
    n_areas = hh["village"].nunique() + hh["group"].nunique()
    assert len(hubs) <= n_areas and len(c.sitings) == n_areas  # a village hub may also be a group hub
    assert all(s.gap == 0.0 and len(s.chosen) == 1 for s in c.sitings.values())
    out = c.layers["households"]
    assert out.index.equals(hh.index)
    measured = out["walk_min"].notna()
    assert (measured | (out["code"] == "COVER-UNREACHABLE")).all()
    assert set(out["hub_id"].dropna()) <= set(hubs["hub_id"])
    assert hubs["n_households"].sum() == measured.sum()


def test_mobile_points_put_every_reachable_household_within_the_limit(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    hh, g = village
    c = site(hh, g, CoverPlan(per_level={"village": 1}, mobile_within=6.0, limit_min=6.0))
    out = c.layers["households"]
    reachable = out["code"] != "COVER-UNREACHABLE"
    assert (out.loc[reachable, "walk_min"] <= 6.0 + 1e-9).all()
    assert c.summary["mobile_points"] == int((c.layers["hubs"]["level"] == "mobile").sum())
    assert c.summary["points"] >= c.summary["points_bound"]


def test_fixed_points_stay_and_n_hubs_are_added(village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    hh, g = village
    hall = gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[hh.geometry.iloc[0]], crs=hh.crs)
    c = site(hh, g, CoverPlan(n_hubs=3), fixed=hall)
    hubs = c.layers["hubs"]
    assert (hubs["level"] == "fixed").sum() == 1 and hubs.loc[hubs["level"] == "fixed", "site"].item() == "村委会"
    assert len(hubs) == 4


def test_bad_hub_specs_are_coded_errors() -> None:
    assert parse_hubs("village:2") == ({"village": 2}, None)
    for bad in ("town:1", "village:x", "group:0"):
        with pytest.raises(InputError) as e:
            parse_hubs(bad)
        assert e.value.codes == ["COVER-HUBS"]


def test_an_island_without_a_bridge_is_unreachable_with_its_reason() -> None:
    g = TerrainGraph.from_edges(["a", "b", "c", "d"], [[0, 0], [60, 0], [120, 0], [900, 0]], [(0, 1), (1, 2)],
                                crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": ["V"] * 4}, geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]),
                          crs=g.crs, index=g.ids.copy())
    out = site(hh, g, CoverPlan(per_level={"village": 1})).layers["households"]
    assert out.loc["d", "code"] == "COVER-UNREACHABLE" and np.isnan(out.loc["d", "walk_min"])
    assert out.loc[["a", "b", "c"], "served"].all()


def test_the_cover_command_writes_its_layers_and_refuses_bad_hubs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pyogrio
    from typer.testing import CliRunner

    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli.app import app

    v = make_village(300, seed=2)
    result = tmp_path / "result.gpkg"
    write_layers(result, {"households": v.households.reset_index(), "rivers": v.rivers, "roads": v.roads})
    out = tmp_path / "cover.gpkg"
    runner = CliRunner()
    r = runner.invoke(app, ["cover", str(result), "--rivers", f"{result}::rivers", "--roads", f"{result}::roads",
                            "--mobile-within", "8", "-o", str(out), "--map", str(tmp_path / "c.html"),
                            "--png", str(tmp_path / "c.png"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert "300 households" in r.output
    assert {name for name, _ in pyogrio.list_layers(out)} == {"households", "hubs", "coverage", "run", "layer_styles"}
    hh = gpd.read_file(out, layer="households")
    assert len(hh) == 300 and (hh["walk_min"].notna() | (hh["code"] == "COVER-UNREACHABLE")).all()
    r = runner.invoke(app, ["cover", str(result), "--hubs", "town:1", "-o", str(tmp_path / "x.gpkg")])
    assert r.exit_code == 2 and "COVER-HUBS" in r.output and not (tmp_path / "x.gpkg").exists()


def test_the_default_hubs_follow_the_columns_the_households_have(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A result without village and group columns (the demo's, from OpenStreetMap): ``cover`` without --hubs sited
    one hub for the area and says why (it stopped with COVER-LEVEL "要按 village 设置服务点", English in Chinese);
    asked for hubs per village, it names the level in words."""
    import pyogrio
    from typer.testing import CliRunner

    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli.app import app

    v = make_village(120, seed=4)
    result = tmp_path / "result.gpkg"
    write_layers(result, {"households": v.households.drop(columns=["village", "group"]).reset_index()})
    runner = CliRunner()
    r = runner.invoke(app, ["cover", str(result), "-o", str(tmp_path / "c.gpkg")])
    assert r.exit_code == 0, r.output
    assert "COVER-HUBS-AREA" in r.output and "120 户，1 个服务点" in r.output
    assert len(pyogrio.read_dataframe(tmp_path / "c.gpkg", layer="hubs")) == 1
    cov = pyogrio.read_dataframe(tmp_path / "c.gpkg", layer="coverage", read_geometry=False)
    assert cov[["level", "households"]].values.tolist() == [["all", 120]]  # once (the group "" repeated it)
    r = runner.invoke(app, ["cover", str(result), "--hubs", "1", "--mobile-within", "3", "-o",
                            str(tmp_path / "m.gpkg"), "--lang", "en"])
    gap = pyogrio.read_dataframe(tmp_path / "m.gpkg", layer="run", read_geometry=False)
    assert r.exit_code == 0 and "solved exactly: total walk proven the least (area hubs); the number of mobile points" in r.output
    assert "params.mobile_gap" in set(gap["key"]), gap["key"].tolist()
    for lang, words in (("zh", "要按行政村设置服务点，但农户表没有行政村列"),
                        ("en", "hubs per village were requested, but the household table has no village column")):
        r = runner.invoke(app, ["cover", str(result), "--hubs", "village:1", "-o", str(tmp_path / "x.gpkg"),
                                "--lang", lang])
        assert r.exit_code == 2 and words in r.output and not (tmp_path / "x.gpkg").exists(), r.output


def test_n_hubs_for_coverage_cover_at_least_as_many_as_for_walking(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    hh, g = village
    walk = site(hh, g, CoverPlan(n_hubs=3, limit_min=4.0))
    cover = site(hh, g, CoverPlan(n_hubs=3, limit_min=4.0, objective="coverage"))
    assert len(cover.layers["hubs"]) == 3
    assert cover.summary["served"] >= walk.summary["served"]
    assert cover.summary["covered_bound"] >= cover.summary["served"]


def test_candidates_from_a_csv_or_excel_table_site_as_the_same_layer_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Halls listed in a table (名称, 经度, 纬度; lon/lat or gcj02 from a phone map) are the same candidates as
    the layer they came from; a point no household is near is left out by name; a table without --crs, without
    coordinate columns or with a blank coordinate is a coded error, and nothing is written."""
    from shapely.geometry import Point
    from typer.testing import CliRunner

    from yuanluo.gis.chinacoords import wgs84_to_gcj02
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli.app import app

    v = make_village(300, seed=2)
    result = tmp_path / "result.gpkg"
    write_layers(result, {"households": v.households.reset_index(), "rivers": v.rivers, "roads": v.roads})
    hh = v.households
    far = Point(hh.geometry.x.max() + 4000, hh.geometry.y.max())
    names = ["村委会", "院坝 <b>&", "祠堂", "小学", "远处"]
    halls = gpd.GeoDataFrame({"名称": names}, crs=hh.crs,
                             geometry=[*hh.geometry.iloc[[0, 80, 160, 240]].buffer(15).centroid, far])
    halls.to_file(tmp_path / "halls.gpkg")
    ll = halls.to_crs(4490).geometry
    lon, lat = ll.x.to_numpy(), ll.y.to_numpy()
    table = pd.DataFrame({"序号": range(1, 6), "名称": names, "经度": lon.round(7), "纬度": lat.round(7)})
    table.to_csv(tmp_path / "halls.csv", index=False, encoding="gbk")
    table.to_excel(tmp_path / "halls.xlsx", index=False, sheet_name="服务点")
    glon, glat = wgs84_to_gcj02(lon, lat)
    table.assign(经度=np.round(glon, 7), 纬度=np.round(glat, 7)).to_csv(tmp_path / "amap.csv", index=False)
    runner = CliRunner()
    base = ["cover", str(result), "--hubs", "2", "--lang", "en"]
    hubs = {}
    for name, extra in (("halls.gpkg", []), ("halls.csv", ["--crs", "EPSG:4490"]),
                        ("halls.xlsx", ["--crs", "EPSG:4490"]), ("amap.csv", ["--crs", "gcj02"])):
        out = tmp_path / f"{name}.cover.gpkg"
        page = tmp_path / f"{name}.html"
        r = runner.invoke(app, [*base, "--candidates", str(tmp_path / name), *extra, "-o", str(out),
                                "--report", str(page)])
        assert r.exit_code == 0, r.output
        assert "COVER-SITE-FAR" in r.output and "(远处)" in r.output, r.output
        html = page.read_text(encoding="utf-8")  # where the hubs were chosen from, and the point left out
        assert f"{name}: 5, 4 of them within walking reach" in html and "COVER-SITE-FAR" in html
        hubs[name] = gpd.read_file(out, layer="hubs")
        left = gpd.read_file(out, layer="sites_left_out")  # where the point left out was given, for QGIS and maps
        assert list(left["site"]) == ["远处"] and list(left["given"]) == ["candidate"]
        assert 3900 <= int(left["nearest_m"].iloc[0]) <= 4300 and left.geometry.distance(far).max() < 1.0
    first = hubs["halls.gpkg"]
    assert set(first["site"]) <= set(names[:4]) and len(first) == 2
    for other in hubs.values():
        assert list(other["site"]) == list(first["site"])
        assert np.allclose(other.geometry.x, first.geometry.x, atol=1.0)  # gcj02 back to WGS 84: within a metre
        assert np.allclose(other.geometry.y, first.geometry.y, atol=1.0)
    out = tmp_path / "five.gpkg"  # five hubs asked of four halls anyone can walk to: the far one would serve nobody
    r = runner.invoke(app, [*base[:2], "--hubs", "5", "--lang", "en", "--candidates", str(tmp_path / "halls.gpkg"),
                            "-o", str(out)])
    assert r.exit_code == 2 and "COVER-P-USABLE" in r.output and "only 4 of the 5 candidates" in r.output, r.output
    assert not out.exists()
    refused = {"POINTS-CRS": (table, []),
               "POINTS-COLUMNS": (table.rename(columns={"经度": "A", "纬度": "B"}), ["--crs", "EPSG:4490"]),
               "POINTS-COORD": (table.assign(纬度=["", *lat[1:].round(7)]), ["--crs", "EPSG:4490"])}
    for code, (frame, extra) in refused.items():
        bad = tmp_path / f"{code}.csv"
        frame.to_csv(bad, index=False)
        out = tmp_path / f"{code}.gpkg"
        r = runner.invoke(app, [*base, "--candidates", str(bad), *extra, "-o", str(out)])
        assert r.exit_code == 2 and code in r.output and not out.exists(), r.output
    assert "row 2" in r.output  # the blank coordinate: the spreadsheet's row


def test_groups_whose_hub_stands_in_another_group_are_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One hub per villager group asked, with halls only in the first group: the other six share its hub (or the
    village's) without a word before; COVER-HUB-SHARED names them and says how to place one inside (--fixed)."""
    from typer.testing import CliRunner

    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli.app import app

    v = make_village(300, seed=2)
    hh = v.households
    result = tmp_path / "result.gpkg"
    write_layers(result, {"households": hh.reset_index(), "rivers": v.rivers, "roads": v.roads})
    first = hh[hh["group"] == sorted(hh["group"].unique())[0]]
    halls = gpd.GeoDataFrame({"名称": ["甲", "乙", "丙"]}, crs=hh.crs,
                             geometry=list(first.geometry.iloc[[0, 5, 10]].buffer(5).centroid))
    halls.to_file(tmp_path / "halls.gpkg")
    r = CliRunner().invoke(app, ["cover", str(result), "--candidates", str(tmp_path / "halls.gpkg"), "-o",
                                 str(tmp_path / "c.gpkg"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    others = sorted(set(hh["group"]) - set(first["group"]))
    assert "COVER-HUB-SHARED" in r.output and "--fixed" in r.output
    assert all(g in r.output for g in others) and f"{len(others)} villager groups have no hub inside" in r.output
