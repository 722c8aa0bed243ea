"""Session 33 (FH): the walk objective of ``yuanluo cover`` is the real walk, not the walk cut at ``--limit``.

Before: ``one_median`` counted a household beyond the limit as the limit, ``p_median`` as twice the limit, and
``site()`` sited on entries cut at the limit, so a hub drifted towards sites leaving more households out and moved
when only the limit changed. Every hub here is checked against brute force over the real walking matrix."""

from __future__ import annotations

from itertools import combinations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import Point

from yuanluo.gis.cover import p_median_walk, service_network, walk_sums
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site


def _graph(n: int, seed: int, island: bool = False) -> TerrainGraph:
    """A jittered grid with some edges removed, uphill slower; ``island``: the last two households joined only
    to each other (no walk to or from the rest)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    xy = np.array([[500000.0 + 60 * (i % side), 3300000.0 + 60 * (i // side)] for i in range(n)])
    xy += rng.uniform(-10, 10, (n, 2))
    edges = [(i, i + 1) for i in range(n - 1) if (i + 1) % side] + [(i, i + side) for i in range(n - side)]
    edges = [e for e in edges if rng.random() > 0.15]
    if island:
        edges = [(a, b) for a, b in edges if (a >= n - 2) == (b >= n - 2)] + [(n - 2, n - 1)]
    g = TerrainGraph.from_edges([f"h{i:03d}" for i in range(n)], xy, edges, crs="EPSG:4545")
    up = g.xy[g.v, 1] > g.xy[g.u, 1]
    g.walk_uv = np.where(up, g.walk_min * 1.5, g.walk_min * 0.8)
    g.walk_vu = np.where(up, g.walk_min * 0.8, g.walk_min * 1.5)
    return g


def _real(g: TerrainGraph) -> np.ndarray:
    """Brute force: walk[h, j] = minutes from household h to the site at household j, as the tool walks it."""
    net = service_network(g)
    d = dijkstra(net.reverse, directed=True, indices=net.n + np.arange(net.k))[:, : net.n].T
    return np.round(np.where(d < 1e-6, 0.0, d), 6)


def _households(g: TerrainGraph) -> gpd.GeoDataFrame:
    x = g.xy[:, 0] - g.xy[:, 0].min()
    y = g.xy[:, 1] - g.xy[:, 1].min()
    village = np.where(x < 150, "甲村", "乙村")
    group = np.where(y < 150, "1组", "2组")
    return gpd.GeoDataFrame({"village": village, "group": group}, geometry=[Point(*p) for p in g.xy],
                            index=pd.Index(g.ids, name="hid"), crs="EPSG:4545")


def _cost(d: np.ndarray, members: np.ndarray, penalty: float) -> np.ndarray:
    part = d[members]
    return np.where(np.isfinite(part), part, penalty).sum(axis=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_village_and_group_hubs_are_the_real_1_median_whatever_the_limit(seed: int) -> None:
    g = _graph(36, seed)
    d = _real(g)
    hh = _households(g)
    longest = float(d[np.isfinite(d)].max())
    hubs = {}
    for limit in (0.5, 1.0, 2.0, 100.0):
        res = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=limit))
        got = {key: s.chosen.tolist() for key, s in res.sitings.items()}
        for key, s in res.sitings.items():
            level, _, name = key.partition(":")
            labels = hh["village"].to_numpy() if level == "village" else \
                (hh["village"] + "\x1f" + hh["group"]).to_numpy()
            cost = _cost(d, np.flatnonzero(labels == name), longest)
            assert s.chosen.tolist() == [int(np.argmin(cost))], (limit, key)
            assert s.objective == pytest.approx(cost.min()) and s.gap == 0.0
        hubs[limit] = got
    assert all(h == hubs[100.0] for h in hubs.values())  # the limit only says who is served, not where hubs go


def test_the_auditors_path_hub_is_the_median_not_the_capped_one() -> None:
    """Nine households on a path and a hamlet of three at its end: at --limit 2 the old hub went to h8 (32.85
    minutes in all, 6 beyond 2 minutes) where the real 1-median (27.45 minutes) stands at h5 or h6."""
    xs = [60 * i for i in range(9)] + [485, 490, 495]
    ids = [f"h{i}" for i in range(len(xs))]
    g = TerrainGraph.from_edges(ids, [[500000.0 + x, 3300000.0] for x in xs],
                                [(i, i + 1) for i in range(len(xs) - 1)], crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": ["甲村"] * len(xs)}, geometry=[Point(500000.0 + x, 3300000.0) for x in xs],
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    for limit in (2.0, 100.0):
        for plan in (CoverPlan(per_level={"village": 1}, limit_min=limit), CoverPlan(n_hubs=1, limit_min=limit)):
            res = site(hh, g, plan)
            s = next(iter(res.sitings.values()))
            assert s.chosen.tolist()[0] in (5, 6) and s.objective == pytest.approx(27.45)
            assert res.layers["hubs"]["site"].tolist()[0] in ("h5", "h6")


@pytest.mark.parametrize("seed,p", [(0, 2), (1, 3), (3, 2)])
def test_area_hubs_are_the_real_p_median(seed: int, p: int) -> None:
    g = _graph(16, seed)
    d = _real(g)
    longest = float(d[np.isfinite(d)].max())
    best = min(_cost(d[:, list(c)].min(axis=1, initial=np.inf)[:, None], np.arange(g.n), longest)[0]
               for c in combinations(range(g.n), p))
    hh = _households(g)
    for limit in (0.5, 1.5, 50.0):
        s = site(hh, g, CoverPlan(n_hubs=p, limit_min=limit)).sitings["area"]
        real = _cost(d[:, s.chosen].min(axis=1)[:, None], np.arange(g.n), longest)[0]
        assert real == pytest.approx(best) and s.objective == pytest.approx(best), limit
        assert s.gap == 0.0 and s.bound == pytest.approx(best)


def test_a_household_cut_off_counts_at_the_longest_walk_never_less() -> None:
    """Two households on an island: whatever site is chosen, they count at the longest walk any household has to
    any site it can reach, so a site on the island (which everyone else cannot reach) is never preferred."""
    g = _graph(25, 4, island=True)
    d = _real(g)
    longest = float(d[np.isfinite(d)].max())
    net = service_network(g)
    sums = walk_sums(net, np.full(g.n, "all", dtype=object))
    assert sums.longest == pytest.approx(longest)
    for p in (1, 2):
        s = p_median_walk(net, p, start_min=1.0)
        best = min(_cost(d[:, list(c)].min(axis=1, initial=np.inf)[:, None], np.arange(g.n), longest)[0]
                   for c in combinations(range(g.n), p))
        assert s.objective == pytest.approx(best) and s.gap == 0.0
    one = p_median_walk(net, 1, start_min=1.0)
    assert one.chosen[0] < g.n - 2 and sorted(one.uncovered.tolist()) == [g.n - 2, g.n - 1]
