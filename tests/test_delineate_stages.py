"""Each stage of the delineator on small hand-made problems (yuanluo.gis.delineate.*), without the estimator."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.delineate.bounds import bounds
from yuanluo.gis.delineate.construct import construct
from yuanluo.gis.delineate.improve import Units, local_search, locked_nodes, split_pair
from yuanluo.gis.delineate.prepare import prepare
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.delineate.reasons import render_reason, unit_reasons
from yuanluo.gis.delineate.repair import repair, resplit
from yuanluo.gis.delineate.rescue import rescue
from yuanluo.gis.graph import TerrainGraph

CRS = "EPSG:4545"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def path(n, walk=None, **kw):
    """Nodes 0-1-…-(n-1) of one household each; ``walk`` the minutes of each edge (1 by default)."""
    return NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n),
                           np.ones(n - 1) if walk is None else np.asarray(walk, dtype=float), **kw)


def band(lo, hi, **kw):
    return Settings(lo=lo, hi=hi, target=(lo + hi) / 2, **kw)


# ------------------------------------------------------------------------------------------- problem
def test_restrict_renumbers_nodes_and_keeps_blocks():
    """  0 -1- 1 -1- 2 -1- 3     blocks {0,1} {2,3}; the region {1, 2, 3} keeps two edges and the blocks."""
    g = path(4, block=np.array([0, 0, 1, 1]))
    r = g.restrict(np.array([1, 2, 3]))
    assert (r.n, r.u.tolist(), r.v.tolist(), r.block.tolist()) == (3, [0, 1], [1, 2], [0, 1, 1])
    assert r.same_block.tolist() == [False, True] and r.without_blocks().same_block.tolist() == [False, False]
    assert r.bsize.tolist() == [1.0, 2.0]  # sizes of the blocks within the region


# ------------------------------------------------------------------------------------------- construct
def test_construct_cuts_at_the_natural_gap():
    """  0 -1- 1 -1- 2 -9- 3 -1- 4 -1- 5    band 2–4: the DP cuts the 9-minute edge."""
    lab = construct(path(6, [1, 1, 9, 1, 1]), band(2, 4))
    assert lab.tolist() == [0, 0, 0, 3, 3, 3]


def test_construct_keeps_a_settlement_whole():
    """Same path, gap between 2 and 3, but 2-3-4 is one settlement: the cut moves to keep it whole."""
    g = path(6, [1, 1, 9, 1, 1], block=np.array([0, 1, 2, 2, 2, 3]))
    lab = construct(g, band(2, 4))
    assert lab[2] == lab[3] == lab[4] and len(set(lab.tolist())) == 2
    assert construct(g, band(2, 4, keep_settlements=False)).tolist() == [0, 0, 0, 3, 3, 3]


def test_construct_never_exceeds_the_ceiling_and_separates_seeds():
    """Ten in a row, seeds at 0 and 4, band 3–6: no part above 6, the two seeds in two parts."""
    seed = np.zeros(10, dtype=bool)
    seed[[0, 4]] = True
    lab = construct(path(10, seed=seed), band(3, 6))
    assert np.bincount(lab).max() <= 6 and lab[0] != lab[4]


# ------------------------------------------------------------------------------------------- repair
def test_repair_merges_a_short_part_into_its_cheapest_neighbour():
    """  0 -1- 1 -5- 2 -1- 3 -1- 4    parts {0,1} {2} {3,4}, band 2–3: part {2} could join either
    neighbour; it joins {3,4}, over the cheaper (1-minute) edge."""
    g = path(5, [1, 5, 1, 1])
    lab, failed = repair(g, band(2, 3), np.array([0, 0, 2, 3, 3]), np.array([True]), np.random.default_rng(0))
    assert lab.tolist() == [0, 0, 3, 3, 3] and failed == []


def test_repair_resplits_when_a_merge_would_exceed_the_ceiling():
    """Parts of 1 and 4 under 2–4: merging gives 5 > 4, so the pair is re-split into 2 + 3 (or 3 + 2)."""
    g = path(5)
    lab, failed = repair(g, band(2, 4), np.array([0, 1, 1, 1, 1]), np.array([True]), np.random.default_rng(0))
    assert failed == [] and sorted(np.bincount(lab)[np.unique(lab)].tolist()) == [2, 3]
    part = resplit(g, band(2, 4), np.arange(5), np.random.default_rng(0))
    assert part is not None and sorted(np.unique(part, return_counts=True)[1].tolist()) == [2, 3]


def test_repair_leaves_infeasible_components_alone():
    lab = np.array([0, 1, 1])
    out, failed = repair(path(3), band(4, 5), lab, np.array([False]), np.random.default_rng(0))
    assert out.tolist() == lab.tolist() and failed == []


# ------------------------------------------------------------------------------------------- rescue
def test_rescue_grows_a_region_until_it_can_be_cut():
    """Three stripes of 2 on a path of 6 under 3–3: every pair of stripes holds 4, which no split fits; the
    whole path (6 = 3 + 3) does."""
    g = path(6)
    out = rescue(g, band(3, 3), np.array([0, 0, 2, 2, 4, 4]), [0, 2, 4], np.random.default_rng(0))
    assert out.failed == [] and out.proven == []
    assert sorted(np.unique(out.labels, return_counts=True)[1].tolist()) == [3, 3]


def test_rescue_reports_a_settlement_it_had_to_split():
    """Path of 6 under 3–3 with a settlement {2, 3} (fits in one unit): the only split, 0-2 | 3-5, cuts it,
    and the rescue says so."""
    g = path(6, block=np.array([0, 1, 2, 2, 3, 4]))
    out = rescue(g, band(3, 3), np.array([0, 0, 2, 2, 4, 4]), [0, 4], np.random.default_rng(0))
    assert out.failed == [] and out.split_blocks == [2]


def test_rescue_proves_a_star_unsplittable():
    star = NodeGraph.build(np.ones(4), np.zeros(3), np.arange(1, 4), np.ones(3))
    out = rescue(star, band(2, 2), np.array([0, 0, 2, 3]), [2], np.random.default_rng(0))
    assert out.failed == [2] and out.proven == [2]


# ------------------------------------------------------------------------------------------- improve
def test_local_search_moves_a_boundary_household_to_the_nearer_unit():
    """  0 -1- 1 -1- 2 -1- 3 -9- 4 -1- 5 -1- 6    units {0,1,2} and {3,4,5,6}, band 3–4: household 3 walks
    9 minutes from its unit's meeting point and 1 from the other unit's: it moves, and the walking drops."""
    g = path(7, [1, 1, 1, 9, 1, 1])
    units = Units(g.csr(), np.array([0, 0, 0, 1, 1, 1, 1]))
    before = sum(units.cost.values())
    ok = np.ones(7, dtype=bool)
    local_search(g, band(3, 4), units, ok, locked_nodes(g, band(3, 4), units.lab))
    assert units.lab.tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert sum(units.cost.values()) < before


def test_local_search_never_moves_a_seed_or_breaks_the_band():
    g = path(7, [1, 1, 1, 9, 1, 1], seed=np.r_[np.zeros(3, bool), [True], np.zeros(3, bool)])
    units = Units(g.csr(), np.array([0, 0, 0, 1, 1, 1, 1]), g.seed)
    local_search(g, band(3, 4), units, np.ones(7, dtype=bool), np.zeros(7, dtype=bool))
    assert units.lab.tolist() == [0, 0, 0, 1, 1, 1, 1]
    g2 = path(7, [1, 1, 1, 9, 1, 1])
    units2 = Units(g2.csr(), np.array([0, 0, 0, 1, 1, 1, 1]))
    local_search(g2, band(3, 4, max_iter=0), units2, np.ones(7, dtype=bool), np.zeros(7, dtype=bool))
    assert units2.lab.tolist() == [0, 0, 0, 1, 1, 1, 1]  # no pass at all


def test_split_pair_only_takes_strict_improvements():
    g = path(6)
    units = Units(g.csr(), np.array([0, 0, 0, 1, 1, 1]))
    assert not split_pair(units, 0, 1, g.w, np.full(6, -1), 3, 3)  # 3 + 3 is already the best
    units = Units(g.csr(), np.array([0, 0, 1, 1, 1, 1]))
    assert split_pair(units, 0, 1, g.w, np.full(6, -1), 2, 4)
    assert sorted(len(x) for x in units.nodes.values()) == [3, 3]


# ------------------------------------------------------------------------------------------- bounds
def test_bounds_prove_the_optimum_of_a_small_component():
    g = path(6)
    units = Units(g.csr(), np.array([0, 0, 0, 1, 1, 1]))
    units.mult = np.ones(6)
    tab = bounds(g, band(3, 3), units, np.ones(6, dtype=bool))
    assert tab[["n", "p"]].values.tolist() == [[6, 2]]
    assert tab["lower_bound"].iloc[0] == pytest.approx(tab["objective"].iloc[0]) and tab["gap"].iloc[0] < 1e-9
    assert bounds(g, band(3, 3, exact=False), units, np.ones(6, dtype=bool)).empty


# ------------------------------------------------------------------------------------------- prepare
def _households(xy, **cols):
    ids = [f"{i:03d}" for i in range(len(xy))]
    return gpd.GeoDataFrame({k: pd.Series(v, index=ids) for k, v in cols.items()},
                            index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*np.asarray(xy).T), crs=CRS)


def test_prepare_contracts_locations_and_drops_edges_across_groups():
    """  001=000 -- 002 -- 003     000 and 001 at one point (0 m edge); 003 in another group.
    Nodes: {000, 001}, {002}, {003}; the edge 002–003 crosses groups and is dropped."""
    xy = np.array([[0, 0], [0, 0], [100, 0], [200, 0]], dtype=float)
    ids = ["000", "001", "002", "003"]
    g = TerrainGraph.from_edges(ids, xy, [(0, 1), (1, 2), (2, 3)], crs=CRS)
    hh = _households(xy, group=["a", "a", "a", "b"], head_candidate=[False, True, False, False])
    p = prepare(hh, g, np.array(["002"]), band(1, 5), np.random.default_rng(0))
    assert p.households.node_of.tolist() == [0, 0, 1, 2]
    assert p.mult.tolist() == [2, 1, 1] and p.graph.w.tolist() == [2, 1, 1]
    assert list(zip(p.graph.u.tolist(), p.graph.v.tolist(), strict=True)) == [(0, 1)]
    assert p.graph.comp.tolist() == [0, 0, 1] and p.graph.seed.tolist() == [False, True, False]
    assert p.colocated[["hid", "n_households", "n_parts"]].values.tolist() == [["000", 2, 1]]
    assert p.graph.head is not None and p.graph.head.tolist() == [True, False, False]
    assert p.graph.restrict(np.array([0, 2])).head.tolist() == [True, False]


# ------------------------------------------------------------------------------------------- reasons
REASONS = [
    {"size": 1, "what": "persons", "lo": 2, "hi": 5, "total": 1, "why": "heavy"},
    {"size": 3, "what": "households", "lo": 2, "hi": 2, "total": 5, "why": "proven"},
    {"size": 3, "what": "households", "lo": 20, "hi": 50, "total": 45, "why": "nosplit"},
    {"size": 9, "what": "households", "lo": 20, "hi": 50, "total": 9, "why": "isolated", "cuts": []},
    {"size": 9, "what": "persons", "lo": 20, "hi": 50, "total": 9, "why": "isolated",
     "cuts": [{"by": "length", "walk": 63.8, "limit": 20.0}, {"by": "river"}, {"by": "water"}]},
    {"size": 9, "what": "households", "lo": 20, "hi": 50, "total": 12, "why": "unsplittable",
     "cuts": [{"by": "ridge"}]},
]


@pytest.mark.parametrize("params", REASONS)
def test_reasons_render_in_one_language_each(params):
    zh = render_reason("RULE-INFEASIBLE", params, "zh")
    en = render_reason("RULE-INFEASIBLE", json.dumps(params), "en")
    assert zh.startswith("规模无法达标（RULE-INFEASIBLE）：") and en.startswith("size cannot be met (RULE-INFEASIBLE): ")
    assert not HAN.search(en)
    latin = set(LATIN_WORD.findall(zh)) - {"RULE", "INFEASIBLE"} - {c.get("by") for c in params.get("cuts", [])}
    assert latin == set(), latin  # a barrier name the graph gives is a data value
    assert render_reason("", "", "zh") == ""


def test_unit_reasons_renders_a_units_table():
    units = pd.DataFrame({"code": ["", "RULE-NOSPLIT"], "reason_params": ["", json.dumps(REASONS[2])]})
    assert unit_reasons(units, "en").tolist()[0] == ""
    assert "search budget" in unit_reasons(units, "en").iloc[1] and "搜索范围" in unit_reasons(units, "zh").iloc[1]


# ------------------------------------------------------------------------------------------- settlements
def test_settle_whole_recuts_with_a_ring_when_no_move_fits():
    """  0-1-2-3-4-5-6-7-8-9    units {0,1,2} {3,4,5} {6,7,8,9}, band 3–4, settlement {2, 3} split.
    No move fits (a giving unit would fall to 2); the two units alone cannot be re-cut (4 + 2); with the
    ring of {6..9}: {0,1,2,3} {4,5,6} {7,8,9}."""
    from yuanluo.gis.delineate.settle import settle_whole

    block = np.array([0, 1, 2, 2, 3, 4, 5, 6, 7, 8])
    g = path(10, block=block)
    units = Units(g.csr(), np.array([0, 0, 0, 3, 3, 3, 6, 6, 6, 6]))
    left = settle_whole(g, band(3, 4), units, np.ones(10, dtype=bool), np.random.default_rng(0))
    assert left == []
    sizes = sorted(len(v) for v in units.nodes.values())
    assert sizes == [3, 3, 4] and units.lab[2] == units.lab[3]
    assert all(np.isfinite(units.cost[k]) for k in units.nodes)


def test_settle_whole_moves_a_settlement_into_a_full_unit_that_gives_another_household_away(monkeypatch):
    """  0-1-2-3-4-5-6-7    units {0,1} {2,3,4} {5,6,7}, band 2–3, settlement {3, 4, 5} split.
    The unit holding most of it is full (3) and the other would take 5; with no re-cut (as when the head
    stage split it, on the Andorra run of session 26: 38 + 2 households under a ceiling of 40) the move alone
    makes it whole: 5 joins {2,3,4}, which gives 2 to {0,1}."""
    from yuanluo.gis.delineate import settle

    monkeypatch.setattr(settle, "_recut_block", lambda *a: False)
    g = path(8, block=np.array([0, 1, 2, 3, 3, 3, 4, 5]))
    units = Units(g.csr(), np.array([0, 0, 2, 2, 2, 5, 5, 5]))
    assert settle.settle_whole(g, band(2, 3), units, np.ones(8, dtype=bool), np.random.default_rng(0)) == []
    assert units.lab.tolist() == [0, 0, 0, 2, 2, 2, 5, 5]
    assert all(np.isfinite(units.cost[k]) for k in units.nodes)


def test_settle_whole_gives_no_household_away_that_carries_its_units_only_candidate(monkeypatch):
    """The same path with the only candidate head of {2,3,4} at 2: giving 2 away would leave the unit without
    one, so the settlement stays split and the units as they were."""
    from yuanluo.gis.delineate import settle

    monkeypatch.setattr(settle, "_recut_block", lambda *a: False)
    head = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    g = path(8, block=np.array([0, 1, 2, 3, 3, 3, 4, 5]))
    units = Units(g.csr(), np.array([0, 0, 2, 2, 2, 5, 5, 5]), heads=head.astype(float), size=g.w)
    assert settle.settle_whole(g, band(2, 3), units, np.ones(8, dtype=bool), np.random.default_rng(0)) == [3]
    assert units.lab.tolist() == [0, 0, 2, 2, 2, 5, 5, 5]


def test_settle_whole_reports_a_split_the_band_does_not_allow():
    """  0-1-2-3-4-5-6-7-8    units of exactly 3, settlement {2, 3}: no cut into threes keeps it whole."""
    from yuanluo.gis.delineate.settle import settle_whole

    g = path(9, block=np.array([0, 1, 2, 2, 3, 4, 5, 6, 7]))
    lab = np.array([0, 0, 0, 3, 3, 3, 6, 6, 6])
    units = Units(g.csr(), lab.copy())
    assert settle_whole(g, band(3, 3), units, np.ones(9, dtype=bool), np.random.default_rng(0)) == [2]
    assert units.lab.tolist() == lab.tolist()


def test_check_reads_a_settlement_as_its_connected_pieces_in_one_group():
    """  a - b - c - d    one settlement name; split between U1 {a, b} and U2 {c, d}: an error when the four
    are one group, none when {a, b} and {c, d} are two villager groups (the nest rule keeps them apart),
    none when the name's households are two pieces with no edge between them."""
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules

    ids = ["a", "b", "c", "d"]
    xy = np.c_[np.arange(4) * 50.0, np.zeros(4)]
    lab = pd.Series(["U1", "U1", "U2", "U2"], index=pd.Index(ids, name="hid"))

    def split_codes(groups, edges, settlement=("S",) * 4):
        hh = gpd.GeoDataFrame({"group": groups, "settlement": list(settlement)}, index=pd.Index(ids, name="hid"),
                              geometry=gpd.points_from_xy(*xy.T), crs=CRS)
        g = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
        v = check_plan(hh, lab, Rules(1, 5, nest_by=("group",)), graph=g).violations
        return int((v["code"] == "PLAN-SETTLEMENT-SPLIT").sum())

    chain = [(0, 1), (1, 2), (2, 3)]
    assert split_codes(["g1"] * 4, chain) == 1
    assert split_codes(["g1", "g1", "g2", "g2"], chain) == 0
    assert split_codes(["g1"] * 4, chain, ("S", "S", "T", "S")) == 0  # {a, b} and {d}: two pieces
