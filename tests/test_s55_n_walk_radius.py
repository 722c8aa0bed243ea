"""Session 55 (N): the real-walk p-median stops widening its radius for households no chosen site can reach.

``p_median_walk`` solves the p-median over the pairs within a radius R, a household with no chosen site within R
counted at R, and doubles R while a household walks farther than R to the chosen sites. A household that cannot
walk to any chosen site at all (on an island, across a river without a bridge) walked "farther than R" at every
radius, so R doubled up to the penalty whatever the answer: on the demo's ``cover --hubs 3`` five models instead
of three, the two largest (840,000 and 858,000 pairs) only for 25 such households. Now a household every site of
which lies within R is counted at the penalty when none of them is chosen (what it really counts), and the radius
stops widening for it; the answer is the real optimum as before (checked here by brute force)."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from test_s33_fh_real_walk import _graph, _households, _real

import yuanluo.gis.cover as GC
from yuanluo.gis.cover import p_median_walk, service_network, walk_sums
from yuanluo.gis.errors import InputError
from yuanluo.planners.cover import CoverPlan, site


@pytest.fixture
def radii(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The radius of every p-median model solved from now on."""
    solved: list[float] = []
    real = GC._median

    def counting(entries: GC.CoverEntries, *args: Any) -> GC.Siting:
        solved.append(entries.limit_min)
        return real(entries, *args)

    monkeypatch.setattr(GC, "_median", counting)
    return solved


def _best(d: np.ndarray, p: int, longest: float, sites: range, w: np.ndarray | None = None) -> float:
    """Brute force: the least real total walk (weighted by ``w``) of ``p`` of the ``sites``."""
    w = np.ones(len(d)) if w is None else w
    return min(float(w @ np.where(np.isfinite(m := d[:, list(c)].min(axis=1)), m, longest))
               for c in combinations(sites, p))


@pytest.mark.parametrize("seed,p", [(4, 2), (5, 3), (6, 2)])
@pytest.mark.parametrize("island_sites", [True, False])
def test_an_island_no_chosen_site_reaches_stops_the_widening(radii: list[float], seed: int, p: int,
                                                             island_sites: bool) -> None:
    """Two households on an island, with sites of their own (weighing little: no site goes there) or none: they
    count at the longest walk whatever is chosen on the mainland, and the radius no longer doubles up to it."""
    g = _graph(25, seed, island=True)
    d = _real(g)
    longest = float(d[np.isfinite(d)].max())
    k = g.n if island_sites else g.n - 2
    net = service_network(g, site_xy=g.xy[:k], site_ids=g.ids[:k])
    d = d[:, :k]
    w = np.r_[np.ones(g.n - 2), 0.01, 0.01]
    s = p_median_walk(net, p, weights=w, start_min=1.0)
    assert s.objective == pytest.approx(_best(d, p, longest, range(k), w)) and (s.gap, s.method) == (0.0, "exact")
    assert sorted(s.uncovered.tolist()) == [g.n - 2, g.n - 1]
    walks = d[:, s.chosen].min(axis=1)
    reach = float(walks[np.isfinite(walks)].max())
    # each model's radius doubled from 1 only until the mainland's walks to the sites chosen fit in it
    assert radii == [2.0 ** i for i in range(len(radii))] and radii[-1] < longest, (radii, longest)
    assert radii[-1] >= reach


def test_the_cover_command_passes_its_one_pass_to_the_p_median(radii: list[float]) -> None:
    """``site`` (``yuanluo cover --hubs 2``, candidates on the mainland only) hands its pass over the graph to
    ``p_median_walk``: the island's households, which can walk to no candidate, stop no widening there either."""
    g = _graph(25, 4, island=True)
    d = _real(g)[:, : g.n - 2]
    longest = float(d[np.isfinite(d)].max())
    mainland = gpd.GeoDataFrame(geometry=gpd.points_from_xy(g.xy[:-2, 0], g.xy[:-2, 1]), crs=g.crs)
    c = site(_households(g), g, CoverPlan(n_hubs=2, limit_min=1.0), candidates=mainland)
    s = c.sitings["area"]
    assert s.objective == pytest.approx(_best(d, 2, longest, range(g.n - 2))) and s.gap == 0.0
    assert c.summary["penalty_min"] == pytest.approx(longest)
    assert radii == [2.0 ** i for i in range(len(radii))] and radii[-1] < longest, (radii, longest)


def test_a_uniform_penalty_per_household_is_the_one_penalty() -> None:
    """The solver's penalty one per household, all equal, gives the answer of the one number, to the bit."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(400, seed=2)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    net = service_network(g, site_xy=g.xy[::5], site_ids=g.ids[::5])
    e = GC.cover_entries(net, 6.0)
    w = np.ones(e.n)
    for p in (3, 6):
        one = GC._median(e, w, p, np.zeros(0, dtype=np.int64), 12.0, None, 200)
        each = GC._median(e, w, p, np.zeros(0, dtype=np.int64), np.full(e.n, 12.0), None, 200)
        assert (one.chosen.tolist(), one.objective, one.bound, one.method) == \
            (each.chosen.tolist(), each.objective, each.bound, each.method)


def test_a_pass_of_another_network_is_named() -> None:
    g = _graph(16, 0)
    net = service_network(g)
    other = walk_sums(service_network(_graph(9, 0)), ["A"] * 9)
    with pytest.raises(InputError) as e:
        p_median_walk(net, 2, walks=other)
    assert e.value.problems[0].code == "COVER-LENGTH" and "walks" in e.value.problems[0].message("en")
    with pytest.raises(InputError) as e:
        p_median_walk(net, 2, walks=3.0)  # type: ignore[arg-type]
    assert e.value.problems[0].code == "COVER-TYPE" and "walk_sums(net, groups)" in e.value.problems[0].message("en")


def test_an_answer_not_proven_goes_on_widening(monkeypatch: pytest.MonkeyPatch, radii: list[float]) -> None:
    """Stopping for the households no chosen site reaches needs the answer proven: one that is not (a gap left)
    goes on to the wider models, up to the penalty, as before; the best real walk found is the answer."""
    g = _graph(25, 4, island=True)
    net = service_network(g, site_xy=g.xy[:-2], site_ids=g.ids[:-2])
    longest = walk_sums(net, ["A"] * g.n).longest
    counting = GC._median

    def unproven(entries: GC.CoverEntries, *args: Any) -> GC.Siting:
        s = counting(entries, *args)
        return replace(s, bound=0.99 * s.objective, gap=0.01, method="greedy+lagrange")

    monkeypatch.setattr(GC, "_median", unproven)
    s = p_median_walk(net, 2, start_min=1.0)
    assert radii[-1] == pytest.approx(longest) and radii[:-1] == [2.0 ** i for i in range(len(radii) - 1)]
    assert s.gap > 0 and s.method == "greedy+lagrange"
