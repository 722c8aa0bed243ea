"""Tests for yuanluo.gis.units: territories, meeting points, unit adjacency, colouring.

The 3 x 3 fixture (60 m spacing, 4-neighbour edges)::

    g0 - g1 - g2        A = {g0, g1, g3}
    |    |    |         B = {g2, g5, g8}
    g3 - g4 - g5        C = {g4, g6, g7}
    |    |    |
    g6 - g7 - g8

Edges between units, by hand: A-B (g1,g2) = 1; A-C (g1,g4) (g3,g4) (g3,g6) = 3; B-C (g4,g5) (g7,g8) = 2.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanluo.gis.errors import CRSError, InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.units import meeting_points, unit_adjacency, unit_territories

CRS = "EPSG:4545"
X0, Y0 = 500_000.0, 3_300_000.0  # realistic Gauss-Krueger magnitudes


def grid_households() -> tuple[gpd.GeoDataFrame, pd.Series, TerrainGraph]:
    ids = [f"g{i}" for i in range(9)]
    xy = np.array([[X0 + 60.0 * (i % 3), Y0 - 60.0 * (i // 3)] for i in range(9)])
    hh = gpd.GeoDataFrame(
        {"persons": pd.array([1] * 9, dtype="Int64")},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        index=pd.Index(ids, name="hid"),
        crs=CRS,
    )
    units = {"g0": "A", "g1": "A", "g3": "A", "g2": "B", "g5": "B", "g8": "B", "g4": "C", "g6": "C", "g7": "C"}
    labels = pd.Series(units).reindex(ids)
    edges = [(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8), (0, 3), (3, 6), (1, 4), (4, 7), (2, 5), (5, 8)]
    graph = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
    return hh, labels, graph


def grid_box() -> shapely.Polygon:
    return shapely.box(X0 - 30, Y0 - 150, X0 + 150, Y0 + 30)


# ---------------------------------------------------------------------------------------------- adjacency
def test_grid_adjacency_pairs_and_counts() -> None:
    hh, labels, graph = grid_households()
    meet = meeting_points(hh, labels, {"A": "g0", "B": "g5", "C": "g4"})
    adj = unit_adjacency(hh, labels, graph, meet)
    assert adj[["unit_a", "unit_b", "n_edges"]].values.tolist() == [["A", "B", 1], ["A", "C", 3], ["B", "C", 2]]
    assert np.allclose(adj["min_walk_min"], 0.9)
    # the line of A-C runs from A's meeting point (g0) to C's (g4)
    line = adj.geometry.iloc[1]
    assert list(line.coords) == [(X0, Y0), (X0 + 60, Y0 - 60)]
    assert adj.crs == hh.crs


def test_adjacency_without_meeting_uses_household_mean() -> None:
    hh, labels, graph = grid_households()
    adj = unit_adjacency(hh, labels, graph)
    a_mean = ((X0 + X0 + 60 + X0) / 3, (Y0 + Y0 + Y0 - 60) / 3)
    assert np.allclose(adj.geometry.iloc[0].coords[0], a_mean)


def test_adjacency_ignores_unassigned_households() -> None:
    hh, labels, graph = grid_households()
    labels = labels.copy()
    labels["g1"] = None  # the only A-B edge starts at g1
    adj = unit_adjacency(hh, labels, graph)
    assert adj[["unit_a", "unit_b", "n_edges"]].values.tolist() == [["A", "C", 2], ["B", "C", 2]]


def test_meeting_point_errors_are_collected() -> None:
    hh, labels, _ = grid_households()
    with pytest.raises(InputError) as exc:
        meeting_points(hh, labels, {"A": "g4", "B": "nope", "C": "g4"})
    assert exc.value.codes == ["UNIT-MEETING", "UNIT-MEETING"]
    assert "B:nope" in str(exc.value) and "A:g4" in str(exc.value)
    # what is wrong in the chosen language (it said "unknown household" in the Chinese message)
    zh, en = exc.value.render("zh"), exc.value.render("en")
    assert "不在户表中" in zh and "属于另一个院落" in zh and "unknown" not in zh and "another unit" not in zh
    assert "is not in the households table" in en and "belongs to another unit" in en


def test_unknown_label_ids_and_geographic_crs_are_errors() -> None:
    hh, labels, graph = grid_households()
    with pytest.raises(InputError) as exc:
        unit_territories(hh, pd.concat([labels, pd.Series({"x9": "A"})]))
    assert exc.value.codes == ["UNIT-LABEL-UNKNOWN"] and "x9" in str(exc.value)
    with pytest.raises(CRSError):
        unit_territories(hh.to_crs("EPSG:4326"), labels)
    with pytest.raises(CRSError):
        unit_adjacency(hh, labels, TerrainGraph.from_edges(graph.ids, graph.xy, [(0, 1)], crs="EPSG:4544"))


@settings(deadline=None, max_examples=40)
@given(
    n=st.integers(2, 25),
    data=st.data(),
)
def test_adjacency_equals_pairs_from_edges(n: int, data: st.DataObject) -> None:
    cells = data.draw(st.lists(st.integers(0, 99), min_size=n, max_size=n))
    xy = np.array([[X0 + 10.0 * (c % 10), Y0 + 10.0 * (c // 10)] for c in cells])
    ids = [f"h{i:02d}" for i in range(n)]
    lab = data.draw(st.lists(st.sampled_from(["U1", "U2", "U10", "V", None]), min_size=n, max_size=n))
    edges = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    graph = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), index=pd.Index(ids, name="hid"), crs=CRS)
    labels = pd.Series(lab, index=ids, dtype=object)
    expected: dict[tuple[str, str], int] = {}
    for a, b in zip(graph.u.tolist(), graph.v.tolist(), strict=True):
        la, lb = lab[a], lab[b]
        if la is None or lb is None or la == lb:
            continue
        key = (min(la, lb), max(la, lb))
        expected[key] = expected.get(key, 0) + 1
    adj = unit_adjacency(hh, labels, graph)
    got = {(a, b): int(k) for a, b, k in adj[["unit_a", "unit_b", "n_edges"]].itertuples(index=False)}
    assert got == expected
    assert list(zip(adj["unit_a"], adj["unit_b"], strict=True)) == sorted(expected)


# ---------------------------------------------------------------------------------------------- territories
def test_grid_territories_with_boundary_are_a_coverage_of_the_box() -> None:
    hh, labels, _ = grid_households()
    terr = unit_territories(hh, labels, boundary=gpd.GeoSeries([grid_box()], crs=CRS))
    assert terr["unit_id"].tolist() == ["A", "B", "C"]
    assert np.allclose(terr.area, [3 * 3600.0] * 3)
    assert bool(shapely.coverage_is_valid(terr.geometry.values))
    union = shapely.union_all(terr.geometry.values)
    assert union.symmetric_difference(grid_box()).area < 1e-6
    # each household lies in its own unit's territory
    joined = gpd.sjoin(hh, terr, predicate="within")
    assert (joined["unit_id"] == labels[joined.index]).all()


def test_territories_without_boundary_clip_to_reach() -> None:
    hh, labels, _ = grid_households()
    terr = unit_territories(hh, labels, max_reach_m=100.0)
    assert bool(shapely.coverage_is_valid(terr.geometry.values))
    reach = shapely.union_all(shapely.buffer(hh.geometry.values, 100.0, quad_segs=8))
    union = shapely.union_all(terr.geometry.values)
    assert union.symmetric_difference(reach).area < 1e-3 * reach.area
    assert terr.total_bounds[0] >= X0 - 100.0 - 1e-6


def test_territories_reprojected_boundary() -> None:
    hh, labels, _ = grid_households()
    box = gpd.GeoSeries([grid_box()], crs=CRS).to_crs("EPSG:4326")
    terr = unit_territories(hh, labels, boundary=box)
    assert abs(terr.area.sum() - 180.0 * 180.0) < 5.0  # the reprojected box is close to the original


def test_territories_deterministic_and_order_independent() -> None:
    hh, labels, _ = grid_households()
    one = unit_territories(hh, labels, max_reach_m=80.0)
    two = unit_territories(hh, labels, max_reach_m=80.0)
    assert one.geometry.to_wkb().tolist() == two.geometry.to_wkb().tolist()
    shuffled = hh.iloc[[4, 8, 0, 2, 6, 1, 3, 7, 5]]
    three = unit_territories(shuffled, labels.iloc[::-1], max_reach_m=80.0)
    assert one.geometry.to_wkb().tolist() == three.geometry.to_wkb().tolist()


def test_co_located_households_share_a_cell_by_majority() -> None:
    # three households in one house: two of U2, one of U1 -> the house's cell is U2's
    xs = [X0, X0, X0, X0 + 100, X0 + 200, X0 + 200]
    ids = ["h1", "h2", "h3", "h4", "h5", "h6"]
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, [Y0] * 6), index=pd.Index(ids, name="hid"), crs=CRS)
    labels = pd.Series(["U1", "U2", "U2", "U1", "U3", "U1"], index=ids)
    bnd = [shapely.box(X0 - 50, Y0 - 50, X0 + 250, Y0 + 50)]
    terr = unit_territories(hh, labels, boundary=bnd).set_index("unit_id")
    assert terr.loc["U2"].geometry.contains(shapely.Point(X0, Y0))
    assert np.isclose(terr.loc["U2"].geometry.area, 100 * 100)
    # h5 (U3) and h6 (U1) tie at X0+200: the smaller unit id (U1) takes the cell, U3 has none
    assert terr.loc["U3"].geometry.is_empty
    assert np.isclose(terr.loc["U1"].geometry.area, 100 * 100 + 100 * 100)
    assert bool(shapely.coverage_is_valid(terr.geometry.values))


def test_unassigned_cells_are_gaps_and_single_unit() -> None:
    hh, labels, _ = grid_households()
    labels = labels.copy()
    labels[["g2", "g5", "g8", "g4", "g6", "g7"]] = None
    terr = unit_territories(hh, labels, boundary=[grid_box()])
    assert terr["unit_id"].tolist() == ["A"]
    assert np.isclose(terr.area.iloc[0], 3 * 3600.0)
    single = hh.iloc[:1]
    t1 = unit_territories(single, labels.iloc[:1], max_reach_m=50.0)
    assert np.isclose(t1.area.iloc[0], shapely.buffer(single.geometry.iloc[0], 50.0, quad_segs=8).area)


def test_bad_arguments_are_coded_errors_in_either_language() -> None:
    hh, labels, _ = grid_households()
    with pytest.raises(InputError) as err:
        unit_territories(hh, labels, max_reach_m=0)
    assert err.value.codes == ["UNIT-REACH"]
    with pytest.raises(InputError) as err2:
        unit_territories(pd.DataFrame(hh.drop(columns="geometry")), labels)
    assert err2.value.codes == ["UNIT-NOT-POINTS"]
    for e in (err.value, err2.value):
        assert "must" not in e.render("zh") and "须" in e.render("zh")


def test_bad_geometry_and_boundary_reported_together() -> None:
    hh, labels, _ = grid_households()
    hh = hh.copy()
    hh.loc["g3", "geometry"] = shapely.Point()
    with pytest.raises(InputError) as exc:
        unit_territories(hh, labels, boundary=[shapely.LineString([(0, 0), (1, 1)])])
    assert exc.value.codes == ["UNIT-GEOM", "UNIT-BOUNDARY"]
    assert "g3" in str(exc.value)
    assert "不是面，或为空" in exc.value.render("zh") and "polygon" not in exc.value.render("zh")
    assert "not a polygon, or empty" in exc.value.render("en")


@settings(deadline=None, max_examples=15)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from("ABCD")), min_size=1, max_size=40))
def test_territories_always_valid_coverage(rows: list[tuple[int, int, str]]) -> None:
    ids = [f"h{i:02d}" for i in range(len(rows))]
    hh = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy([X0 + 7.0 * r[0] for r in rows], [Y0 + 7.0 * r[1] for r in rows]),
        index=pd.Index(ids, name="hid"),
        crs=CRS,
    )
    labels = pd.Series([r[2] for r in rows], index=ids)
    terr = unit_territories(hh, labels, max_reach_m=20.0)
    assert bool(shapely.coverage_is_valid(terr.geometry.values))
    # no household lies in another unit's territory interior
    owner = gpd.sjoin(hh, terr[~terr.is_empty], predicate="within")
    ok = owner["unit_id"] == labels[owner.index]
    coloc = hh.geometry.duplicated(keep=False)[owner.index]
    assert (ok | coloc).all()


# ---------------------------------------------------------------------------------------------- colouring
def ring(k: int = 5) -> pd.DataFrame:
    names = [f"R{i}" for i in range(k)]
    pairs = sorted((min(names[i], names[(i + 1) % k]), max(names[i], names[(i + 1) % k])) for i in range(k))
    return pd.DataFrame({"unit_a": [a for a, _ in pairs], "unit_b": [b for _, b in pairs], "n_edges": 1})






def test_inputs_not_modified() -> None:
    hh, labels, graph = grid_households()
    hh0, lab0 = hh.copy(), labels.copy()
    meet = meeting_points(hh, labels, pd.Series({"A": "g0", "B": "g5", "C": "g4"}))
    unit_adjacency(hh, labels, graph, meet)
    unit_territories(hh, labels)
    pd.testing.assert_frame_equal(hh, hh0)
    pd.testing.assert_series_equal(labels, lab0)
