"""Tests of yuanluo.gis.exact and of the heuristic's gap to the proven bound."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import Delaunay

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.exact import size_bounded_pmedian
from yuanluo.gis.graph import TerrainGraph


def test_pmedian_line_by_hand():
    """0 1 | 10 11 12 13 on a line, clusters of 2..4, p=2: {0,1} costs 1, {10..13} costs 1+1+2=4."""
    x = np.array([0.0, 1.0, 10.0, 11.0, 12.0, 13.0])
    r = size_bounded_pmedian(np.abs(x[:, None] - x[None, :]), np.ones(6), 2, 4, 2)
    assert r.optimal
    assert r.lower_bound == r.objective == 5.0
    assert r.median[0] == r.median[1] and len(set(r.median[2:])) == 1


def test_pmedian_size_bounds_bind():
    """Same points with clusters of exactly 3: {0,1,10} is forced."""
    x = np.array([0.0, 1.0, 10.0, 11.0, 12.0, 13.0])
    r = size_bounded_pmedian(np.abs(x[:, None] - x[None, :]), np.ones(6), 3, 3, 2)
    assert r.optimal and r.lower_bound == 1.0 + 9.0 + 1.0 + 1.0  # {0,1,10} med 1: 1+9; {11,12,13}: 2
    relaxed = size_bounded_pmedian(np.abs(x[:, None] - x[None, :]), np.ones(6), 3, 3, 2, relax=True)
    assert relaxed.lower_bound <= r.lower_bound + 1e-9


def test_heuristic_against_bound_on_village_of_50():
    rng = np.random.default_rng(7)
    xy = np.unique(np.round(np.r_[rng.normal(0, 80, (25, 2)), rng.normal(400, 80, (25, 2))], 1), axis=0)
    ids = [f"{i:03d}" for i in range(len(xy))]
    s = Delaunay(xy).simplices
    g = TerrainGraph.from_edges(ids, xy, np.r_[s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]], crs="EPSG:4545")
    hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs="EPSG:4545")
    heur = UnitDelineator(10, 20, exact=False).fit(hh, g)
    assert heur.lower_bound_ is None
    d = UnitDelineator(10, 20, exact=True, exact_max_n=60, exact_time_limit=20).fit(hh, g)
    assert d.lower_bound_ is not None
    assert d.lower_bound_ <= d.objective_ + 1e-6
    assert d.objective_ <= heur.objective_ + 1e-6  # adopting an exact solution never makes it worse
    assert 0 <= d.gap_ < 0.25
    # the bound is below the heuristic for the same number of units, on full-graph distances
    dist = dijkstra(g.matrix(), directed=False)
    r = size_bounded_pmedian(dist, np.ones(len(xy)), 10, 20, heur.n_units_, time_limit=20)
    assert r.lower_bound <= heur.objective_ + 1e-6
