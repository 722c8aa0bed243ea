"""One pass over the graph for the real walk of every level (session 34, FA).

``yuanluo cover --hubs village:1,group:1`` took one all-sites Dijkstra pass per level (``walk_sums`` per level),
``--hubs 1`` two (one for the longest walk, one inside ``p_median_walk``), and ``p_median_walk`` a second for its
penalty after its one-site pass found no household. Each now takes one: ``walk_sums_levels`` sums every level
(and the area's group, and the longest walk) from it, to the same bits as a pass per level. The passes are
counted by the sources given to the unbounded, all-households Dijkstras of ``yuanluo.gis.cover`` (``walk_sums``'s;
the cut-off ones of the coverage pairs and the nearest-point ones are other work)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest

import yuanluo.gis.cover as GC
from yuanluo.gis.cover import median_by_group, p_median_walk, service_network, walk_sums
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(160, seed=3)
    hh = v.households.copy()  # two villages (east and west; the synthetic one has one at this size)
    hh["village"] = np.where(hh.geometry.x < hh.geometry.x.median(), "甲村", "乙村")
    return hh, build_graph(hh, rivers=v.rivers, roads=v.roads)


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sources of every all-sites Dijkstra (no cut-off, every distance kept) ``yuanluo.gis.cover`` runs."""
    sources: list[int] = []
    real = GC.dijkstra

    def counting(*args: Any, **kw: Any) -> Any:
        if "limit" not in kw and not kw.get("min_only"):
            sources.append(len(np.atleast_1d(kw["indices"])))
        return real(*args, **kw)

    monkeypatch.setattr(GC, "dijkstra", counting)
    return sources


def _labels(hh: gpd.GeoDataFrame, g: TerrainGraph, column: str) -> np.ndarray:
    from yuanluo.planners.cover import _level_labels

    return _level_labels(hh, g, column)


def _net(g: TerrainGraph) -> GC.ServiceNetwork:
    """The network ``site`` builds without candidates: every household location a candidate, named by its id."""
    return service_network(g, site_xy=g.xy, site_ids=g.ids.astype(str), max_snap_m=300.0)


def test_every_level_from_one_pass_equals_its_own_pass_to_the_bit(
        village: tuple[gpd.GeoDataFrame, TerrainGraph], passes: list[int]) -> None:
    hh, g = village
    net = _net(g)
    v, grp = _labels(hh, g, "village"), _labels(hh, g, "group")
    area = np.full(net.n, "all", dtype=object)
    w = np.random.default_rng(5).uniform(0.5, 3.0, net.n)
    every = GC.walk_sums_levels(net, [v, grp, area], w, chunk=16)
    assert sum(passes) == int(net.reachable.sum()) and len(passes) > 1  # one pass, in chunks of 16 sites
    for labels, got in zip([v, grp, area], every, strict=True):
        own = walk_sums(net, labels, w, chunk=16)
        assert got.names == own.names and len(got.names) > (1 if labels is not area else 0)
        for field in ("total", "cut", "weight"):
            a, b = getattr(got, field), getattr(own, field)
            assert a.shape == b.shape and a.tobytes() == b.tobytes(), field
        assert got.longest == own.longest > 0
    assert GC.walk_sums_levels(net, []) == [] and sum(passes) == 4 * int(net.reachable.sum())  # none: no pass


def test_two_levels_are_sited_from_one_pass_as_from_a_pass_each(
        village: tuple[gpd.GeoDataFrame, TerrainGraph], passes: list[int]) -> None:
    hh, g = village
    c = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=15.0))
    net = _net(g)
    assert sum(passes) == int(net.reachable.sum())  # was two passes, one per level
    passes.clear()
    for level in ("village", "group"):
        sums = walk_sums(net, _labels(hh, g, level))
        best = median_by_group(sums)
        for name in sums.names:
            got, want = c.sitings[f"{level}:{name}"], best[name]
            assert got.chosen.tolist() == want.chosen.tolist() and got.objective == want.objective
            assert (got.bound, got.gap, got.method) == (want.bound, 0.0, "enumeration")
    assert c.summary["penalty_min"] == sums.longest


def test_more_hubs_per_group_than_sites_is_the_one_median_of_the_same_pass(
        village: tuple[gpd.GeoDataFrame, TerrainGraph], passes: list[int]) -> None:
    """``group:2`` with one candidate: each group's p_median_walk(…, 1) took a pass of its own."""
    hh, g = village
    one = gpd.GeoDataFrame(geometry=gpd.points_from_xy([g.xy[40, 0]], [g.xy[40, 1]]), crs=g.crs)
    c = site(hh, g, CoverPlan(per_level={"group": 2}, limit_min=15.0), candidates=one)
    net = service_network(g, site_xy=g.xy[40:41], site_ids=np.array(["C1"]), max_snap_m=300.0)
    assert sum(passes) == 1
    labels = _labels(hh, g, "group")
    penalty = walk_sums(net, labels).longest
    names = sorted({str(x) for x in labels if str(x).strip()})
    assert len(names) > 1 and {k.removeprefix("group:") for k in c.sitings} == set(names)
    for name in names:
        want = p_median_walk(net, 1, households=np.flatnonzero(labels == name), start_min=15.0, penalty=penalty)
        got = c.sitings[f"group:{name}"]
        assert (got.chosen.tolist(), got.objective, got.bound, got.gap, got.method) == \
            (want.chosen.tolist(), want.objective, want.bound, want.gap, want.method)


@pytest.mark.parametrize("n_hubs", [1, 3])
def test_area_hubs_take_one_pass_and_site_as_p_median_walk(
        village: tuple[gpd.GeoDataFrame, TerrainGraph], passes: list[int], n_hubs: int) -> None:
    hh, g = village
    c = site(hh, g, CoverPlan(n_hubs=n_hubs, limit_min=15.0))
    net = _net(g)
    assert sum(passes) == int(net.reachable.sum())  # --hubs 1 took two: the longest walk, then the 1-median
    passes.clear()
    want = p_median_walk(net, n_hubs, start_min=15.0)
    got = c.sitings["area"]
    assert (got.chosen.tolist(), got.objective, got.bound, got.gap, got.method) == \
        (want.chosen.tolist(), want.objective, want.bound, want.gap, want.method)
    assert c.summary["penalty_min"] == walk_sums(net, np.full(net.n, "", dtype=object)).longest


def test_p_median_walk_takes_its_penalty_from_its_own_pass(
        village: tuple[gpd.GeoDataFrame, TerrainGraph], passes: list[int]) -> None:
    """One site for households none of whom is given: its pass found no group, and a second pass followed for the
    penalty."""
    _, g = village
    net = _net(g)
    s = p_median_walk(net, 1, households=np.zeros(net.n, dtype=bool), start_min=15.0)
    assert sum(passes) == int(net.reachable.sum())
    assert len(s.chosen) == 1 and s.objective == 0.0 and not len(s.uncovered)
    passes.clear()
    p_median_walk(net, 2, start_min=15.0)  # the penalty alone: one pass, as before
    assert sum(passes) == int(net.reachable.sum())


def test_a_level_of_the_wrong_length_is_named(village: tuple[gpd.GeoDataFrame, TerrainGraph],
                                               passes: list[int]) -> None:
    from yuanluo.gis.errors import InputError

    _, g = village
    net = _net(g)
    with pytest.raises(InputError) as e:
        GC.walk_sums_levels(net, [np.full(net.n, "A", dtype=object), ["A", "B"]])
    assert e.value.problems[0].code == "COVER-LENGTH" and "levels[1]" in e.value.problems[0].message("en")
    assert not passes  # checked before any walking
