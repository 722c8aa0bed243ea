"""Defects of ``yuanluo cover`` found by a second audit (audit D): an existing point (``--fixed``) never counted as
its group's or village's hub, a group with no reachable candidate left without a hub in silence, a mobile-point
summary said of every household, a penalised objective called the total walk, and band counts that disagree."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def _points(hh: gpd.GeoDataFrame, picks: list[int], names: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"名称": names}, geometry=hh.geometry.iloc[picks].to_numpy(), crs=hh.crs)


def _in_group(hh: gpd.GeoDataFrame, group: str, nth: int = 0) -> int:
    return int(np.flatnonzero(hh["group"].to_numpy() == group)[nth])


def test_a_fixed_point_is_its_groups_and_villages_hub(village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """An existing 村委会 given with --fixed inside group G1 is the village's and G1's hub: 1 + 7 points in all,
    never a second hub for G1 or the village (there were 9: the fixed one serving 9 households, and a village hub
    serving 8)."""
    hh, g = village
    fixed = _points(hh, [_in_group(hh, "V001-G1", 3)], ["村委会"])
    c = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}), fixed=fixed)
    hubs = c.layers["hubs"]
    assert len(hubs) == 7 and list(hubs["level"]).count("village") == 0
    p = hubs[hubs["name"] == "村委会"].iloc[0]
    assert p["level"] == "fixed" and p["n_households"] >= (hh["group"] == "V001-G1").sum()
    assert not [w for w in c.warnings if w.code == "COVER-HUB-SHARED"]


def test_a_fixed_point_also_given_as_a_candidate_is_not_doubled(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """The candidates' table includes the 村委会 given with --fixed: one point there, never a fixed one serving 0
    and a group hub on the same spot serving the group."""
    hh, g = village
    picks = [_in_group(hh, "V001-G2", 5), _in_group(hh, "V001-G3", 2), _in_group(hh, "V001-G5", 4)]
    cands = _points(hh, picks, ["村委会", "院坝甲", "院坝乙"])
    fixed = _points(hh, picks[:1], ["村委会"])
    c = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}), candidates=cands, fixed=fixed)
    hubs = c.layers["hubs"]
    xy = {(round(p.x, 3), round(p.y, 3)) for p in hubs.geometry}
    assert len(xy) == len(hubs)
    assert (hubs["n_households"] > 0).all()


def test_the_hub_shared_warning_clears_once_its_advice_is_followed(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """COVER-HUB-SHARED tells the planner to give a group's own point with --fixed: once given, the group has its
    own hub and the warning no longer names it (it still named G1 and G4)."""
    hh, g = village
    picks = [_in_group(hh, "V001-G2", 5), _in_group(hh, "V001-G3", 2)]
    cands = _points(hh, picks, ["院坝甲", "院坝乙"])
    c = site(hh, g, CoverPlan(per_level={"group": 1}), candidates=cands)
    shared = [w for w in c.warnings if w.code == "COVER-HUB-SHARED"]
    assert shared and "V001-G1" in shared[0].params["names"]
    fixed = _points(hh, [_in_group(hh, "V001-G1", 1), _in_group(hh, "V001-G4", 1)], ["一组院坝", "四组院坝"])
    c = site(hh, g, CoverPlan(per_level={"group": 1}), candidates=cands, fixed=fixed)
    names = [n for w in c.warnings if w.code == "COVER-HUB-SHARED" for n in w.params["names"]]
    assert "V001-G1" not in names and "V001-G4" not in names
