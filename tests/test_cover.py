"""Service points (gis.cover): walking minutes to the nearest point and siting, against brute force."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from yuanluo.gis.cover import (
    cover_entries,
    max_cover,
    one_median,
    p_median,
    service_network,
    set_cover,
    walk_to_nearest,
)
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph


def _random_graph(n: int, seed: int, slope: bool = True) -> TerrainGraph:
    """A random planar-ish graph: points on a jittered grid, 4-neighbour edges, some removed; uphill slower."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    xy = np.array([[60.0 * (i % side), 60.0 * (i // side)] for i in range(n)]) + rng.uniform(-10, 10, (n, 2))
    edges = [(i, i + 1) for i in range(n - 1) if (i + 1) % side] + [(i, i + side) for i in range(n - side)]
    edges = [e for e in edges if rng.random() > 0.15]
    g = TerrainGraph.from_edges([f"h{i:03d}" for i in range(n)], xy, edges, crs="EPSG:4545")
    if slope:  # walking toward larger y is uphill: slower one way
        up = g.xy[g.v, 1] > g.xy[g.u, 1]
        g.walk_uv = np.where(up, g.walk_min * 1.5, g.walk_min * 0.8)
        g.walk_vu = np.where(up, g.walk_min * 0.8, g.walk_min * 1.5)
    return g


def _walk_matrix(g: TerrainGraph) -> np.ndarray:
    """Brute force: minutes from every household (row) to every household (column), directed."""
    import scipy.sparse as sp

    assert g.walk_uv is not None and g.walk_vu is not None
    a = sp.coo_matrix((np.r_[g.walk_uv, g.walk_vu], (np.r_[g.u, g.v], np.r_[g.v, g.u])), shape=(g.n, g.n))
    return np.asarray(dijkstra(a.tocsr(), directed=True))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_walk_to_nearest_is_the_directed_shortest_walk_to_any_open_point(seed: int) -> None:
    g = _random_graph(49, seed)
    d = _walk_matrix(g)
    open_sites = np.array([3, 20, 44])
    minutes, site = walk_to_nearest(service_network(g), open_sites)
    expect = d[:, open_sites].min(axis=1)
    assert np.allclose(minutes, expect, atol=1e-6)
    reach = np.isfinite(expect)
    assert np.allclose(d[np.flatnonzero(reach), site[reach]], expect[reach], atol=1e-6)
    assert (site[~reach] == -1).all()
    # uphill and downhill differ: the walk to a point is not the walk from it
    assert not np.allclose(d, d.T)


def test_cover_entries_are_exactly_the_pairs_within_the_limit() -> None:
    g = _random_graph(36, 5)
    d = _walk_matrix(g)
    e = cover_entries(service_network(g), 3.0, chunk=7)
    got = set(zip(e.hh.tolist(), e.site.tolist(), strict=True))
    want = {(i, j) for i in range(g.n) for j in range(g.n) if d[i, j] <= 3.0}
    assert got == want
    assert np.allclose(e.minutes, d[e.hh, e.site], atol=1e-6)


def test_sites_outside_the_village_join_at_the_nearest_house_or_not_at_all() -> None:
    g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)], crs="EPSG:4545")
    net = service_network(g, site_xy=[[0, 40], [5000, 0]], site_ids=["村委会", "far"], max_snap_m=300)
    assert net.reachable.tolist() == [True, False]
    minutes, site = walk_to_nearest(net, [0, 1])
    assert site.tolist() == [0, 0, 0]
    assert minutes[0] == pytest.approx(40 / (4000 / 60))  # the straight walk from the hall to house a
    assert minutes[2] == pytest.approx(1.8 + 40 / (4000 / 60))


@pytest.mark.parametrize("seed", [0, 3])
def test_one_median_is_the_best_single_site(seed: int) -> None:
    g = _random_graph(30, seed)
    d = _walk_matrix(g)
    e = cover_entries(service_network(g), 6.0)
    s = one_median(e)
    cost = np.where(d <= 6.0, d, 6.0).sum(axis=0)
    assert s.chosen.tolist() == [int(np.argmin(cost))]
    assert s.objective == pytest.approx(cost.min())
    assert s.gap == 0.0


def test_a_village_of_one_household_has_its_one_site() -> None:
    """One household, one candidate site: every siting picks it (the swap search had nothing to open and
    stopped with an internal error: scipy gave its empty selection back as a sparse matrix)."""
    g = TerrainGraph.from_edges(["h000"], np.array([[0.0, 0.0]]), [], crs="EPSG:4545")
    e = cover_entries(service_network(g), 15.0)
    for s, objective in ((one_median(e), 0.0), (p_median(e, 1, exact=False), 0.0), (p_median(e, 1, exact=True), 0.0),
                         (max_cover(e, 1), 1.0), (set_cover(e), 1.0)):  # minutes walked; households; sites
        assert s.chosen.tolist() == [0] and s.objective == pytest.approx(objective)


@pytest.mark.parametrize("seed,p", [(0, 2), (1, 3), (4, 2)])
def test_exact_p_median_matches_enumeration(seed: int, p: int) -> None:
    g = _random_graph(20, seed)
    d = _walk_matrix(g)
    limit = 4.0
    e = cover_entries(service_network(g), limit)
    s = p_median(e, p, exact=True)
    cost = np.where(d <= limit, d, 2 * limit)
    best = min(cost[:, list(c)].min(axis=1).sum() for c in combinations(range(g.n), p))
    assert s.method == "exact" and s.gap == 0.0
    assert s.objective == pytest.approx(best)
    heuristic = p_median(e, p, exact=False)
    assert heuristic.bound <= best + 1e-6 and best <= heuristic.objective + 1e-6


@pytest.mark.parametrize("seed,p", [(0, 2), (2, 3)])
def test_max_cover_is_bracketed_by_the_optimum_and_its_bound(seed: int, p: int) -> None:
    g = _random_graph(25, seed)
    d = _walk_matrix(g)
    e = cover_entries(service_network(g), 1.5)
    s = max_cover(e, p, exact=False)
    cov = d <= 1.5
    best = max(cov[:, list(c)].any(axis=1).sum() for c in combinations(range(g.n), p))
    assert s.objective <= best <= s.bound + 1e-6
    assert len(s.chosen) == p and s.gap >= 0
    exact = max_cover(e, p)
    assert exact.method == "exact" and exact.objective == best and exact.gap == 0.0
    fixed = max_cover(e, p, fixed=[7])
    assert 7 in fixed.chosen.tolist()


@pytest.mark.parametrize("seed", [0, 1, 6])
def test_exact_set_cover_is_the_fewest_points(seed: int) -> None:
    g = _random_graph(16, seed)
    d = _walk_matrix(g)
    e = cover_entries(service_network(g), 1.6)
    s = set_cover(e, exact=True)
    cov = d <= 1.6
    coverable = cov.any(axis=1)
    fewest = next(r for r in range(1, g.n + 1)
                  if any(cov[coverable][:, list(c)].any(axis=1).all() for c in combinations(range(g.n), r)))
    assert s.method == "exact" and s.objective == fewest and s.gap == 0.0
    assert cov[coverable][:, s.chosen].any(axis=1).all()
    greedy = set_cover(e, exact=False)
    assert greedy.bound <= fewest <= greedy.objective


def test_bad_requests_are_coded_errors() -> None:
    g = _random_graph(9, 0)
    e = cover_entries(service_network(g), 2.0)
    with pytest.raises(InputError) as err:
        max_cover(e, 20)
    assert err.value.codes == ["COVER-P"]
    with pytest.raises(InputError) as err:
        p_median(e, 1, weights=[-1] * 9)
    assert err.value.codes == ["COVER-WEIGHTS"]


def test_a_village_of_600_households_with_60_candidates_solves_exactly() -> None:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(600, seed=0)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    rng = np.random.default_rng(0)
    cand = np.sort(rng.choice(g.n, 60, replace=False))
    net = service_network(g, site_xy=g.xy[cand], site_ids=g.ids[cand])
    e = cover_entries(net, 15.0)
    s = p_median(e, 5)
    assert s.method == "exact" and s.gap == 0.0 and len(s.chosen) == 5
    minutes, _ = walk_to_nearest(net, s.chosen)
    served = np.isfinite(minutes) & (minutes <= 15.0)
    assert s.objective == pytest.approx(np.where(served, minutes, 30.0).sum(), rel=1e-6)


def test_one_hub_per_group_is_each_groups_best_site() -> None:
    from yuanluo.gis.cover import hubs_by_group

    g = _random_graph(36, 2)
    d = _walk_matrix(g)
    groups = np.array(["甲" if x < 150 else "乙" for x in g.xy[:, 0]], dtype=object)
    groups[5] = None  # a household outside every group is left out
    e = cover_entries(service_network(g), 8.0)
    hubs = hubs_by_group(e, groups)
    assert sorted(hubs) == ["乙", "甲"]
    for name, s in hubs.items():
        members = np.flatnonzero(groups == name)
        cost = np.where(d[members] <= 8.0, d[members], 8.0).sum(axis=0)
        assert s.chosen.tolist() == [int(np.argmin(cost))]
        assert s.objective == pytest.approx(cost.min())
    two = hubs_by_group(e, groups, per_group=2)
    assert all(len(s.chosen) == 2 for s in two.values())


def test_coverage_table_counts_every_household_once() -> None:
    from yuanluo.gis.cover import coverage_table

    t = coverage_table([0.0, 4.9, 5.0, 12.0, 16.0, float("inf")], ["a", "a", "b", "b", "b", None])
    total = t[t["total"]].iloc[0]
    assert total["households"] == 6 and total["within_5"] == 3 and total["within_15"] == 4
    assert total["unreachable"] == 1
    assert t[~t["total"]]["households"].sum() == 6


@pytest.mark.parametrize("seed,p", [(0, 3), (1, 4), (3, 3)])
def test_heuristic_p_median_is_a_local_optimum_for_every_single_swap(seed: int, p: int) -> None:
    g = _random_graph(22, seed)
    d = _walk_matrix(g)
    limit = 3.0
    e = cover_entries(service_network(g), limit)
    s = p_median(e, p, exact=False, iterations=0)  # the local search alone: no Lagrangian candidate sets
    cost = np.where(d <= limit, d, 2 * limit)
    value = cost[:, s.chosen].min(axis=1).sum()
    assert s.objective == pytest.approx(value) and len(s.chosen) == p
    for r in s.chosen.tolist():
        for f in sorted(set(range(g.n)) - set(s.chosen.tolist())):
            swapped = [f, *(j for j in s.chosen.tolist() if j != r)]
            assert cost[:, swapped].min(axis=1).sum() >= value - 1e-9
    assert s.bound <= value + 1e-9
