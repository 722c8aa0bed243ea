"""Session 43, helper G: a service point on a river's far bank is walked to from its own bank.

``yuanluo cover --fixed`` (and ``--candidates``) joined each given point to the nearest household by straight
distance, rivers or not. A village hall 20 m east of a river with no bridge, its nearest house 36 m away on the
west bank, was walked to from the west bank in 0.5–1.2 minutes, across the river; it became the hub of the west
bank's village 甲村, and its own village 乙村 (houses 180–230 m east, on its bank) got a second hub beside it. A point
now joins the nearest household its straight walk reaches without crossing a river or water body unbridged (as the
graph's edges are cut); one with every household within 300 m across is left out, said by COVER-SITE-ACROSS and
drawn as a left-out point whose card says so.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers

X0, Y0 = 500000.0, 3300000.0
CRS = "EPSG:4545"


@pytest.fixture
def bank(tmp_path):
    """甲村 5 houses 10–50 m west of a river without a bridge, 乙村 5 houses 200–240 m east of it."""
    rows = [(f"A{i}", "甲村", X0 - 10 - 10 * i, Y0 + 10 * i) for i in range(5)]
    rows += [(f"B{i}", "乙村", X0 + 200 + 10 * i, Y0 + 10 * i) for i in range(5)]
    hh = gpd.GeoDataFrame({"hid": [r[0] for r in rows], "village": [r[1] for r in rows]},
                          geometry=[Point(r[2], r[3]) for r in rows], crs=CRS)
    rivers = gpd.GeoDataFrame({"waterway": ["river"]}, crs=CRS,
                              geometry=[LineString([(X0, Y0 - 3000), (X0, Y0 + 3000)])])
    write_layers(tmp_path / "result.gpkg", {"households": hh, "rivers": rivers})
    return tmp_path


def _points(path, named):
    gpd.GeoDataFrame({"名称": list(named)}, geometry=[Point(*xy) for xy in named.values()], crs=CRS).to_file(path)
    return str(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hall_on_the_far_bank_serves_its_own_bank(bank, lang):
    fixed = _points(bank / "fixed.gpkg", {"乙村服务站": (X0 + 20, Y0 + 20)})  # 36 m from A0, across the river
    out = bank / "c.gpkg"
    run_cli(["cover", str(bank / "result.gpkg"), "--rivers", f"{bank / 'result.gpkg'}::rivers", "--fixed", fixed,
             "-o", str(out)], lang=lang)
    hh = gpd.read_file(out, layer="households").set_index("hid")
    hubs = gpd.read_file(out, layer="hubs").set_index("hub_id")
    station = hubs.index[hubs["name"] == "乙村服务站"][0]
    assert hubs.loc[station, "village"] == "乙村"
    assert sorted(hh.index[hh["hub_id"] == station]) == [f"B{i}" for i in range(5)]
    # B0 joins it: 181.1 m straight at 4 km/h (66.7 m a minute) = 2.72 min; 甲村 has a hub on its own bank
    assert hh.loc["B0", "walk_min"] == pytest.approx((180.0**2 + 20.0**2) ** 0.5 / (4000 / 60), abs=0.01)
    assert (hh.loc[[f"A{i}" for i in range(5)], "hub_id"] != station).all()
    assert hh.loc[[f"A{i}" for i in range(5)], "walk_min"].max() < 0.5  # a hub among its own five houses
    assert len(hubs) == 2  # one hub a village: 乙村's own hall, no second hub beside it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_point_with_every_house_near_it_across_the_river_is_left_out(bank, lang):
    fixed = _points(bank / "fixed.gpkg", {"乙村服务站": (X0 + 20, Y0 + 20), "江边点": (X0 + 2, Y0 - 250)})
    out, page = bank / "c.gpkg", bank / "c.html"
    said = run_cli(["cover", str(bank / "result.gpkg"), "--rivers", f"{bank / 'result.gpkg'}::rivers", "--fixed",
                    fixed, "-o", str(out), "--map", str(page)], lang=lang)
    words = {"zh": "与 300 米内的农户都隔着没有桥的河流或水面，走不到，未参与布设（江边点）",
             "en": "with every household within 300 m across a river or water body without a bridge, which no one "
                   "can walk to, left out (江边点)"}[lang]
    assert "COVER-SITE-ACROSS" in said and words in " ".join(said.split()).replace("( ", "(")
    assert "COVER-SITE-FAR" not in said
    left = gpd.read_file(out, layer="sites_left_out")
    assert left[["site", "given", "nearest_m", "across"]].values.tolist() == [["江边点", "fixed", 250, "river"]]
    card = {"zh": "离最近的农户 250 米，但与附近的农户都隔着没有桥的河流或水面",
            "en": "250 m from the nearest household, but across a river or water body without a bridge"}[lang]
    assert card in page.read_text(encoding="utf-8")
    hh = gpd.read_file(out, layer="households")
    assert pd.Series(hh["walk_min"]).notna().all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_candidates_all_across_the_river_say_so(bank, monkeypatch, lang):
    """Every candidate across the river from the houses near it (and none else): the command stops with
    COVER-SITE-NONE-ACROSS, not COVER-SITE-NONE's 'more than 300 m from every household (the nearest 250 m)'."""
    _points(bank / "cand.gpkg", {"江边点": (X0 + 2, Y0 - 250), "远处": (X0 + 5000, Y0)})
    monkeypatch.chdir(bank)
    said = run_cli(["cover", "result.gpkg", "--rivers", "result.gpkg::rivers", "--candidates", "cand.gpkg", "-o",
                    "c.gpkg"], lang=lang, code=2)
    words = {"zh": "--candidates 给的 cand.gpkg 中 2 个点没有一个农户能走到，无法设服务点：其中 1 个与 300 米内的农户都"
                   "隔着没有桥的河流或水面，其余 1 个离最近的农户超过 300 米（第 1、2 行；编号 江边点、远处）。",
             "en": "no household can walk to any of the 2 points of cand.gpkg, given to --candidates, so no hub can "
                   "be sited: 1 of them have every household within 300 m across a river or water body without a "
                   "bridge, the other 1 more than 300 m from every household (rows 1, 2; ids 江边点, 远处)."}[lang]
    assert "COVER-SITE-NONE-ACROSS" in said and words in said, said
    assert not (bank / "c.gpkg").exists()
