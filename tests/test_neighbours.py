"""The neighbour graph (yuanluo.gis.neighbours.build_graph) and graph reports (yuanluo.gis.graph)."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra
from shapely import points

from yuanluo.gis.cost import FLAT_SPEED_KMH
from yuanluo.gis.errors import CRSError, InputError
from yuanluo.gis.graph import components_report, graph_edges_gdf, write_graphml
from yuanluo.gis.neighbours import build_graph, candidate_location_edges
from yuanluo.gis.terrain import terrain_from_array

UTM = "EPSG:32631"
M_PER_MIN = FLAT_SPEED_KMH * 1000 / 60


def hh(xy, ids=None, crs=UTM, **cols):
    ids = ids if ids is not None else [f"h{i:03d}" for i in range(len(xy))]
    df = pd.DataFrame(cols, index=pd.Index(ids, name="hid"))
    return gpd.GeoDataFrame(df, geometry=points(np.asarray(xy, float).reshape(-1, 2)), crs=crs)


def edge_set(g):
    """Edges as sorted pairs of household ids."""
    return {tuple(sorted((str(g.ids[a]), str(g.ids[b])))) for a, b in zip(g.u, g.v, strict=True)}


def test_square_is_triangulated_and_edges_sorted():
    g = build_graph(hh([[0, 0], [100, 0], [0, 100], [100, 101]], ids=["a", "b", "c", "d"]))
    assert g.n == 4 and g.m == 5
    assert (g.u < g.v).all()
    assert np.all(np.diff(g.u * g.n + g.v) > 0)
    assert g.walk_min[0] == pytest.approx(100 / M_PER_MIN)
    np.testing.assert_allclose(g.walk_uv, g.walk_vu)
    assert g.meta["dem_used"] is False and g.meta["triangulation"] == "delaunay"


def test_colocated_households_all_kept_and_connected():
    # three households in one house, two more nearby
    xy = [[0, 0], [50, 0], [0, 0], [0, 0], [25, 40]]
    g = build_graph(hh(xy, ids=["A1", "B", "A2", "A3", "C"]))
    assert g.n == 5 and list(g.ids) == ["A1", "B", "A2", "A3", "C"]
    zero = g.length_m == 0
    assert {tuple(sorted((str(g.ids[a]), str(g.ids[b])))) for a, b in zip(g.u[zero], g.v[zero], strict=True)} == {
        ("A1", "A2"), ("A1", "A3"), ("A2", "A3")}
    assert (g.walk_min[zero] == 0).all()
    # every household of the house is joined to B and to C
    es = edge_set(g)
    for a in ("A1", "A2", "A3"):
        assert tuple(sorted((a, "B"))) in es and tuple(sorted((a, "C"))) in es
    assert g.meta["n_colocated_locations"] == 1 and g.meta["n_locations"] == 3
    assert int(g.components().max()) == 0
    assert g.matrix().nnz == 2 * g.m  # zero-length edges stay explicit


def test_all_households_at_one_location():
    g = build_graph(hh([[7, 7]] * 4))
    assert g.n == 4 and g.m == 6 and (g.length_m == 0).all()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6])
def test_collinear_and_tiny_inputs(n):
    xy = np.column_stack([np.arange(n) * 30.0, np.arange(n) * 15.0]) if n else np.empty((0, 2))
    rng = np.random.default_rng(n)
    order = rng.permutation(n)
    g = build_graph(hh(xy[order]))
    assert g.n == n
    assert g.m == max(n - 1, 0)
    if n >= 2:
        assert int(g.components().max()) == 0
        # a chain: only neighbours along the line are joined
        assert np.allclose(g.length_m, np.hypot(30, 15))
    if n >= 3:
        assert g.meta["triangulation"] == "chain"


def test_collinear_with_duplicates():
    xy = [[0, 0], [10, 0], [10, 0], [20, 0]]
    g = build_graph(hh(xy, ids=["a", "b1", "b2", "c"]))
    assert edge_set(g) == {("a", "b1"), ("a", "b2"), ("b1", "b2"), ("b1", "c"), ("b2", "c")}


def test_length_pruning_and_settlement_exception():
    xy = [[0, 0], [50, 0], [25, 40], [3000, 0]]
    g = build_graph(hh(xy, ids=["a", "b", "c", "far"]), max_walk_min=10)
    assert set(g.cut["reason"]) == {"length"}
    assert int(g.components().max()) == 1
    s = build_graph(hh(xy, ids=["a", "b", "c", "far"], settlement=["S", "S", "T", "S"]), max_walk_min=10)
    assert ("b", "far") in edge_set(s)  # same settlement: kept although 35 min
    assert ("c", "far") not in edge_set(s)
    assert s.meta["n_settlement_long_kept"] >= 1
    # missing settlement values never match
    m = build_graph(hh(xy, ids=["a", "b", "c", "far"], settlement=[None, None, None, None]), max_walk_min=10)
    assert edge_set(m) == edge_set(g)


def test_cut_table_contract():
    g = build_graph(hh([[0, 0], [50, 0], [25, 40], [3000, 0]]), max_walk_min=10)
    assert list(g.cut.columns) == ["u", "v", "length_m", "walk_min", "reason"]
    assert (g.cut["walk_min"] > 10).all()
    assert g.meta["n_cut"] == {"length": len(g.cut)}
    assert g.meta["n_candidate_edges"] == g.m + len(g.cut)


def ridge_terrain():
    """A 300 m ridge along x = 500 for y < 800 (flat at 200 m elsewhere)::

        y 1000  .  .  .  C  .  .  .
           800  .  .  .  ^  .  .  .
           500  A  .  .  ^  .  .  B
             0  .  .  .  ^  .  .  .
                0       500      1000  x
    """
    res = 10.0
    rows, cols = np.mgrid[0:110, 0:110]
    x = (cols + 0.5) * res
    y = 1100 - (rows + 0.5) * res
    z = 200 + 300 * np.clip(1 - np.abs(x - 500) / 150, 0, None) * (y < 800)
    return terrain_from_array(z, x0=0, y0=1100, res=res, crs=UTM)


def test_ridge_makes_the_direct_walk_longer_than_the_walk_around():
    t = ridge_terrain()
    g = build_graph(hh([[100, 500], [900, 500], [500, 1000]], ids=["A", "B", "C"]), terrain=t,
                    max_walk_min=120)
    assert g.m == 3 and g.meta["dem_used"]
    ia, ib = g.index_of(["A", "B"])
    direct = g.walk_min[(g.u == ia) & (g.v == ib)][0]
    flat = 800 / M_PER_MIN
    assert direct > 2 * flat  # climbing 300 m and down again
    dist = dijkstra(g.matrix(), indices=ia)
    assert dist[ib] < direct  # the shortest walk goes round by C
    assert dist[ib] == pytest.approx(g.walk_min[(g.u == ia) & (g.v == 2)][0] + g.walk_min[(g.u == ib) & (g.v == 2)][0])


def test_uphill_slower_than_downhill_in_the_graph():
    rows, cols = np.mgrid[0:30, 0:30]
    z = 500 + 0.25 * (cols + 0.5) * 10  # rising eastwards
    t = terrain_from_array(z, x0=0, y0=300, res=10, crs=UTM)
    # node 0 = "top" (east), node 1 = "low" (west): u=0 -> v=1 is downhill
    g = build_graph(hh([[250, 150], [50, 150]], ids=["top", "low"]), terrain=t)
    assert g.walk_uv[0] < g.walk_vu[0]
    assert g.walk_min[0] == pytest.approx((g.walk_uv[0] + g.walk_vu[0]) / 2)
    assert g.walk_vu[0] > 1.4 * g.walk_uv[0]


def test_dem_in_other_crs_is_refused():
    t = terrain_from_array(np.zeros((3, 3)), x0=0, y0=30, res=10, crs="EPSG:32630")
    with pytest.raises(CRSError):
        build_graph(hh([[5, 5], [15, 15]]), terrain=t)


def test_geographic_crs_and_bad_geometries_are_refused():
    with pytest.raises(CRSError):
        build_graph(hh([[1.5, 42.5], [1.6, 42.5]], crs="EPSG:4326"))
    bad = hh([[0, 0], [10, 0]], ids=["a", "b"])
    bad.loc["b", "geometry"] = None
    with pytest.raises(InputError) as ei:
        build_graph(bad)
    assert ei.value.codes == ["GRAPH-GEOM"] and ei.value.problems[0].ids == ("b",)
    with pytest.raises(InputError) as ei:
        build_graph(hh([[0, 0], [10, 0]], ids=["a", "a"]))
    assert ei.value.codes == ["GRAPH-ID"]


def test_input_not_modified_and_deterministic():
    rng = np.random.default_rng(3)
    h = hh(rng.uniform(0, 500, (60, 2)), settlement=rng.choice(["x", "y"], 60))
    before = h.copy()
    g1 = build_graph(h, max_walk_min=1.5)
    g2 = build_graph(h, max_walk_min=1.5)
    pd.testing.assert_frame_equal(h, before)
    assert np.array_equal(g1.u, g2.u) and np.array_equal(g1.v, g2.v)
    pd.testing.assert_frame_equal(g1.cut, g2.cut)


@settings(deadline=None, max_examples=25)
@given(
    base=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=30),
    dups=st.lists(st.integers(0, 29), max_size=10),
)
def test_property_every_household_kept_and_graph_connected(base, dups):
    xy = [(x * 10.0, y * 10.0) for x, y in base]
    xy += [xy[d % len(xy)] for d in dups]
    g = build_graph(hh(xy), max_walk_min=1e9)
    assert g.n == len(xy)
    assert int(g.components().max()) == 0  # Delaunay / chain is connected
    assert (g.u < g.v).all() and len(set(zip(g.u.tolist(), g.v.tolist(), strict=True))) == g.m
    # zero-length edges: exactly one clique per location
    _, counts = np.unique(np.asarray(xy), axis=0, return_counts=True)
    assert int((g.length_m == 0).sum()) == int((counts * (counts - 1) // 2).sum())
    assert len(g.cut) == 0


def test_candidate_edges_handles_qhull_coplanar():
    e, how = candidate_location_edges(np.array([[0, 0], [1, 0], [2, 0], [1, 1e-12]]))
    assert how in ("delaunay", "chain")
    assert len(e) >= 3


# ------------------------------------------------------------------------------ graph reports
def split_graph():
    # two clusters 3 km apart and one far outlier: length cuts join them
    xy = [[0, 0], [40, 0], [20, 30], [3000, 0], [3040, 0], [3020, 30], [9000, 5000]]
    return build_graph(hh(xy, ids=list("abcdefz")), max_walk_min=5)


def test_components_report():
    g = split_graph()
    r = components_report(g)
    assert r["size"].tolist() == [3, 3, 1]
    assert r["households"].tolist() == [["a", "b", "c"], ["d", "e", "f"], ["z"]]
    assert r["join_reason"].tolist() == ["length"] * 3
    # the cheapest join of {a,b,c} is b-d (2960 m) and it leads to component 1
    row = r.iloc[0]
    assert (row.join_u, row.join_v, int(row.join_component)) == ("b", "d", 1)
    assert row.join_walk_min == pytest.approx(2960 / M_PER_MIN)
    # isolated z: cheapest candidate edge leaving it
    assert r.iloc[2].join_u == "z"


def test_components_report_without_cut_edges():
    g = build_graph(hh([[0, 0], [10, 0]]))
    r = components_report(g)
    assert r["size"].tolist() == [2] and pd.isna(r.loc[0, "join_reason"])


def test_graph_edges_gdf():
    g = split_graph()
    e = graph_edges_gdf(g)
    assert len(e) == g.m and e.crs == g.crs and (e["status"] == "kept").all()
    assert e.geometry.length.to_numpy() == pytest.approx(g.length_m)
    full = graph_edges_gdf(g, include_cut=True)
    assert len(full) == g.m + len(g.cut)
    assert set(full.loc[full.status == "cut", "reason"]) == {"length"}
    assert full["u"].dtype == "string"


def test_write_graphml(tmp_path):
    g = split_graph()
    p = tmp_path / "g.graphml"
    write_graphml(g, p)
    back = nx.read_graphml(p)
    assert sorted(back.nodes) == sorted(g.ids.tolist())
    assert back.number_of_edges() == g.m
    d = back.edges["a", "b"]
    assert d["length_m"] == pytest.approx(40.0) and "walk_uv" in d
    assert back.graph["crs"] == g.crs.to_string()
    assert [f.name for f in tmp_path.iterdir()] == ["g.graphml"]
