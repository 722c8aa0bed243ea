"""Tests of gis.cluster.UnitDelineator on hand fixtures and random villages."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay

from gis.cluster import UnitDelineator
from gis.errors import CRSError, InputError
from gis.graph import TerrainGraph
from gis.rules import Rules

CRS = "EPSG:4545"


def households(xy, **cols) -> gpd.GeoDataFrame:
    ids = [f"{i:03d}" for i in range(len(xy))]
    df = gpd.GeoDataFrame(cols, index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*np.asarray(xy).T),
                          crs=CRS)
    return df


def chain(n, step=100.0, x0=0.0):
    return np.c_[x0 + np.arange(n) * step, np.zeros(n)]


def graph(xy, edges, cut=None) -> TerrainGraph:
    ids = [f"{i:03d}" for i in range(len(xy))]
    g = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
    if cut is not None:
        g.cut = pd.DataFrame(cut, columns=["u", "v", "length_m", "walk_min", "reason"])
    return g


def delaunay_graph(xy, max_walk=6.0):
    """Delaunay edges of (deduplicated) points, long ones moved to ``cut`` with reason length."""
    ids = [f"{i:03d}" for i in range(len(xy))]
    tri = Delaunay(xy)
    s = tri.simplices
    e = np.r_[s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]
    full = TerrainGraph.from_edges(ids, xy, e, crs=CRS)
    keep = full.walk_min <= max_walk
    g = TerrainGraph.from_edges(ids, xy, np.c_[full.u[keep], full.v[keep]], crs=CRS)
    g.cut = pd.DataFrame({"u": full.u[~keep], "v": full.v[~keep], "length_m": full.length_m[~keep],
                          "walk_min": full.walk_min[~keep], "reason": "length"})
    return g


def sizes(d: UnitDelineator) -> list[int]:
    return d.units_["n_households"].tolist()


def test_chain_of_60_in_bounds():
    """0-1-2-...-59, 100 m apart: 20-30 gives 2 or 3 contiguous units, all ok."""
    xy = chain(60)
    d = UnitDelineator(20, 30).fit(households(xy), graph(xy, [(i, i + 1) for i in range(59)]))
    assert len(d.units_) in (2, 3)
    assert all(20 <= s <= 30 for s in sizes(d))
    assert (d.status_ == "ok").all()
    # contiguity along a chain: each unit is a run of consecutive ids
    lab = d.labels_.to_numpy()
    assert (lab[1:] != lab[:-1]).sum() == len(d.units_) - 1
    assert d.labels_.index.equals(households(xy).index)
    assert d.units_["unit_id"].tolist()[0] == "U001"


def _island(cut_reason, walk):
    """A chain of 40 (0..39) and, across a gap, a chain of 9 (40..48)."""
    xy = np.r_[chain(40), chain(9, x0=5000.0)]
    edges = [(i, i + 1) for i in range(39)] + [(i, i + 1) for i in range(40, 48)]
    cut = [(39, 40, 1000.0, walk, cut_reason)]
    return households(xy), graph(xy, edges, cut)


def test_island_behind_river_is_exception():
    hh, g = _island("river", 5.0)
    d = UnitDelineator(20, 50).fit(hh, g)
    island = [f"{i:03d}" for i in range(40, 49)]
    assert (d.status_[island] == "exception").all()
    assert d.labels_[island].nunique() == 1
    exc = d.exceptions_
    assert len(exc) == 1 and exc["n_households"].iloc[0] == 9
    assert exc["reason"].iloc[0].startswith("RULE-INFEASIBLE: 9 households")
    assert "river" in exc["reason"].iloc[0]
    assert (d.status_.drop(island) == "ok").all()
    assert d.problems_ and d.problems_[0].code == "RULE-INFEASIBLE"
    assert len(d.joins_) == 0


def test_island_joined_over_length_cut_within_limit():
    hh, g = _island("length", 12.0)
    d = UnitDelineator(20, 50, join_limit_min=20.0).fit(hh, g)
    assert (d.status_ == "ok").all()
    assert d.joins_[["hid_a", "hid_b"]].values.tolist() == [["039", "040"]]
    assert d.labels_["040"] == d.labels_["039"]


def test_island_not_joined_beyond_limit():
    hh, g = _island("length", 25.0)
    d = UnitDelineator(20, 50, join_limit_min=20.0).fit(hh, g)
    assert (d.status_[[f"{i:03d}" for i in range(40, 49)]] == "exception").all()
    assert "join limit 20" in d.exceptions_["reason"].iloc[0]


def test_settlement_of_18_kept_whole():
    """52 in a row: 17 of B, then settlement A (18), then 17 of C; band 15-25 forces 3 units."""
    xy = chain(52)
    sett = ["B"] * 17 + ["A"] * 18 + ["C"] * 17
    d = UnitDelineator(15, 25).fit(households(xy, settlement=sett),
                                   graph(xy, [(i, i + 1) for i in range(51)]))
    assert d.labels_.iloc[17:35].nunique() == 1
    assert (d.status_ == "ok").all()
    assert all(15 <= s <= 25 for s in sizes(d))


def test_detected_settlements_follow_gaps():
    """Two hamlets of 20 (30 m spacing) 2 km apart joined by a long path edge: units = hamlets."""
    xy = np.r_[chain(20, 30.0), chain(20, 30.0, x0=2000.0)]
    edges = [(i, i + 1) for i in range(19)] + [(i, i + 1) for i in range(20, 39)] + [(19, 20)]
    d = UnitDelineator(15, 25).fit(households(xy), graph(xy, edges))
    assert d.labels_.iloc[:20].nunique() == 1 and d.labels_.iloc[20:].nunique() == 1
    assert d.labels_.iloc[0] != d.labels_.iloc[-1]


def test_nesting_by_group():
    rng = np.random.default_rng(3)
    xy = np.unique(np.round(rng.uniform(0, 1500, size=(120, 2)), 1), axis=0)
    group = np.where(xy[:, 0] + 0.3 * xy[:, 1] < 900, "g1", "g2")
    hh = households(xy, village="v1", group=group)
    d = UnitDelineator(15, 25).fit(hh, delaunay_graph(xy, 20.0))
    per = pd.DataFrame({"u": d.labels_, "g": group}).groupby("u")["g"].nunique()
    assert (per == 1).all()
    assert set(d.units_["group"]) == {"g1", "g2"}


def test_group_too_small_is_exception():
    """Group g2 has 9 households: cannot be a unit on its own and may not join g1."""
    xy = chain(49)
    group = ["g1"] * 40 + ["g2"] * 9
    d = UnitDelineator(20, 50).fit(households(xy, group=group), graph(xy, [(i, i + 1) for i in range(48)]))
    assert (d.status_.iloc[40:] == "exception").all()
    assert (d.status_.iloc[:40] == "ok").all()


def test_persons_mode():
    xy = chain(50)
    persons = pd.array(np.tile([2, 3, 1, 4], 13)[:50], dtype="Int64")
    hh = households(xy, persons=persons)
    d = UnitDelineator(20, 40, size_by="persons").fit(hh, graph(xy, [(i, i + 1) for i in range(49)]))
    tot = hh["persons"].groupby(d.labels_).sum()
    assert ((tot >= 20) & (tot <= 40)).all()
    assert d.units_["persons"].sum() == int(hh["persons"].sum())
    assert (d.units_["size"] == d.units_["persons"]).all()


def test_persons_mode_requires_persons():
    xy = chain(5)
    with pytest.raises(InputError) as e:
        UnitDelineator(2, 4, size_by="persons").fit(households(xy), graph(xy, [(0, 1)]))
    assert e.value.code == "CLUSTER-PERSONS"


def test_bad_inputs_reported_at_once():
    xy = chain(5)
    g = graph(xy[:4], [(0, 1)])
    with pytest.raises(InputError) as e:
        UnitDelineator(5, 2).fit(households(xy), g)
    assert set(e.value.codes) == {"CLUSTER-PARAM", "CLUSTER-IDS"}
    hh = households(xy).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(CRSError):
        UnitDelineator(2, 4).fit(hh, graph(xy, [(0, 1)]))


def test_heads_and_units_table():
    xy = chain(60)
    head = np.zeros(60, dtype=bool)
    head[5] = True
    d = UnitDelineator(20, 30).fit(households(xy, head_candidate=head), graph(xy, [(i, i + 1) for i in range(59)]))
    u = d.units_
    assert list(u.columns[:8]) == ["unit_id", "n_households", "persons", "size", "status", "reason", "code",
                                   "village"]
    assert u["has_head"].sum() == 1
    assert any(p.code == "UNIT-NO-HEAD" for p in d.problems_)
    # meeting point is the median of a chain unit: walking total is minimal there
    first = d.labels_ == "U001"
    k = int(first.sum())
    assert u["meeting_hid"].iloc[0] == f"{(k - 1) // 2:03d}"
    assert d.objective_ == pytest.approx((u["mean_walk_min"] * u["n_households"]).sum())


def test_from_rules_and_target():
    d = UnitDelineator.from_rules(Rules(15, 25, nest_by=("group",)), target_size=18)
    assert (d.min_size, d.max_size, d.nest_by, d.target_size) == (15, 25, ("group",), 18)
    xy = chain(120)
    g = graph(xy, [(i, i + 1) for i in range(119)])
    small = UnitDelineator(15, 40, target_size=16).fit(households(xy), g)
    big = UnitDelineator(15, 40, target_size=38).fit(households(xy), g)
    assert len(small.units_) > len(big.units_)


def _village(seed, n):
    rng = np.random.default_rng(seed)
    k = max(1, n // 20)
    centres = rng.uniform(0, 1500, size=(k, 2))
    xy = centres[rng.integers(0, k, n)] + rng.normal(0, 60, size=(n, 2))
    return np.unique(np.round(xy, 1), axis=0)


@settings(deadline=None, max_examples=8)
@given(seed=st.integers(0, 10_000), n=st.integers(30, 160), band=st.sampled_from([(15, 25), (20, 50), (8, 12)]))
def test_properties(seed, n, band):
    xy = _village(seed, n)
    hh = households(xy)
    g = delaunay_graph(xy, 4.0)
    d = UnitDelineator(*band, random_state=seed).fit(hh, g)  # fit runs verify_delineation
    lab = d.labels_
    assert lab.index.equals(hh.index) and lab.notna().all()
    size = lab.value_counts()
    ok_units = d.units_.loc[d.units_["status"] == "ok", "unit_id"]
    assert size[ok_units].between(*band).all()
    assert int(d.units_["n_households"].sum()) == len(hh)
    # same seed, same labels
    again = UnitDelineator(*band, random_state=seed).fit(hh, g)
    assert again.labels_.equals(lab)
    # row shuffle: the same partition (ids are sorted internally, so even the same names)
    perm = np.random.default_rng(seed).permutation(len(hh))
    shuffled = UnitDelineator(*band, random_state=seed).fit(hh.iloc[perm], g)
    assert shuffled.labels_.reindex(hh.index).equals(lab)
