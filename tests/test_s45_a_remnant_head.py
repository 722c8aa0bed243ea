"""A unit within the band lacking a candidate head beside the remnant of a component no split fits (issue 13):
the remnant, an exception that needs no head, held the candidates, and the pair re-splits passed it over.

The 28 households are group V006-G7 of the 10,000-household benchmark village (seed 1, changshou, 15–25):
two units within the band need at least 30, so one unit and a remnant. The walk-first cut gave a unit of 16
with no candidate (HEAD-UNPLACED) and a remnant of 12 holding both — no ``ok`` unit at all."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.heads import _remnant_fix
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.neighbours import build_graph

ROWS = [  # hid, x, y (metres from 542000, 3225000), candidate, settlement, persons
    ("H004016", 874.4, 926.1, 0, "S0001", 3),
    ("H004017", 910.2, 975.7, 0, "S0001", 3),
    ("H004018", 934.8, 925.4, 0, "S0001", 2),
    ("H004019", 940.1, 891.6, 0, "S0001", 1),
    ("H004020", 941.2, 901.8, 0, "S0001", 3),
    ("H004021", 942.6, 902.5, 0, "S0001", 2),
    ("H004022", 947.5, 950.0, 0, "S0001", 3),
    ("H004023", 951.6, 965.7, 0, "S0001", 2),
    ("H004024", 955.2, 1015.3, 0, "S0001", 2),
    ("H004025", 961.8, 946.7, 0, "S0001", 3),
    ("H004026", 968.5, 946.0, 0, "S0001", 1),
    ("H004027", 971.7, 950.8, 0, "S0001", 3),
    ("H004028", 978.2, 1010.4, 0, "S0001", 2),
    ("H004029", 979.1, 908.9, 0, "S0001", 1),
    ("H004030", 981.9, 890.2, 0, "S0001", 2),
    ("H004031", 990.7, 934.7, 0, "S0001", 2),
    ("H004032", 1005.2, 974.4, 1, "S0001", 6),
    ("H004033", 1017.2, 881.2, 0, "S0001", 4),
    ("H004034", 1021.3, 929.9, 0, "S0001", 3),
    ("H004035", 1035.6, 968.5, 0, "S0001", 3),
    ("H004036", 1193.7, 992.8, 0, "S0013", 2),
    ("H004037", 1224.3, 1016.1, 0, "S0013", 3),
    ("H004038", 1226.8, 1021.8, 0, "S0013", 3),
    ("H004039", 1119.1, 1008.7, 0, "S0065", 1),
    ("H004040", 1122.9, 1038.2, 0, "S0065", 5),
    ("H004041", 1133.5, 1037.2, 0, "S0065", 1),
    ("H004042", 1148.5, 1039.4, 1, "S0065", 2),
    ("H004043", 1158.1, 1063.1, 0, "S0065", 2),
]


def village() -> gpd.GeoDataFrame:
    df = pd.DataFrame(ROWS, columns=["hid", "x", "y", "head_candidate", "settlement", "persons"]).set_index("hid")
    return gpd.GeoDataFrame(df.drop(columns=["x", "y"]).assign(head_candidate=df["head_candidate"].astype(bool)),
                            geometry=gpd.points_from_xy(df["x"] + 542000, df["y"] + 3225000), crs="EPSG:4545")


def test_unit_beside_remnant_gets_a_candidate() -> None:
    hh = village()
    g = build_graph(hh)
    d = UnitDelineator(min_size=15, max_size=25, require_head=True, random_state=1).fit(hh, g)
    u = d.units_
    assert "HEAD-UNPLACED" not in set(u["code"])  # old code: U001 of 16 without a candidate, HEAD-UNPLACED
    ok = u[u["status"] == "ok"]
    assert len(ok) == 1 and ok["n_heads"].iloc[0] >= 1 and 15 <= ok["n_households"].iloc[0] <= 25
    rest = u[u["status"] != "ok"]
    assert len(rest) == 1 and rest["code"].iloc[0] == "RULE-INFEASIBLE"
    assert json.loads(rest["reason_params"].iloc[0])["why"] == "unsplittable"
    assert int(u["n_households"].sum()) == 28
    assert d.check(hh, g).passed
    again = UnitDelineator(min_size=15, max_size=25, require_head=True, random_state=1).fit(hh, g)
    assert again.labels_.equals(d.labels_)


def test_heads_off_keeps_the_walk_first_cut() -> None:
    """Without the rule nothing changes: the unit of 16 and the remnant of 12."""
    hh = village()
    d = UnitDelineator(min_size=15, max_size=25, require_head=False, random_state=1).fit(hh, build_graph(hh))
    assert sorted(d.units_["n_households"].tolist()) == [12, 16]


def path(n: int, heads: list[int]) -> NodeGraph:
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1))
    g.head = np.isin(np.arange(n), heads).astype(np.int64)
    return g


def test_remnant_fix_takes_the_split_walking_least() -> None:
    """A path of 28, unit 0–15 without a candidate, remnant 16–27 holding one at 20: the unit becomes the 15
    nodes 13–27 around it (walk 56 + 42 for the remnant 0–12; the unit 0–20 and remnant 21–27 walk 122)."""
    g = path(28, [20])
    s = Settings(lo=15, hi=25, target=20.0, require_head=True)
    lab = np.r_[np.zeros(16, dtype=np.int64), np.ones(12, dtype=np.int64)]
    units = Units(g.csr(), lab, heads=g.head, size=g.w)
    part_ok = lab == 0
    free = np.full(28, -1)
    assert _remnant_fix(g, s, units, part_ok, free, free) == {0, 1}
    assert units.nodes[0].tolist() == list(range(13, 28)) and units.nodes[1].tolist() == list(range(13))
    assert units.cost[0] + units.cost[1] == 56 + 42
    assert part_ok.tolist() == [False] * 13 + [True] * 15
    assert (units.lab[units.nodes[0]] == 0).all() and (units.lab[units.nodes[1]] == 1).all()


def test_remnant_without_candidate_or_in_a_fitting_component_is_left() -> None:
    s = Settings(lo=15, hi=25, target=20.0, require_head=True)
    free = np.full(28, -1)
    g = path(28, [])  # no candidate in the remnant: nothing to give
    lab = np.r_[np.zeros(16, dtype=np.int64), np.ones(12, dtype=np.int64)]
    units, part_ok = Units(g.csr(), lab.copy(), heads=g.head, size=g.w), lab == 0
    assert _remnant_fix(g, s, units, part_ok, free, free) == set() and units.lab.tolist() == lab.tolist()
    g = path(30, [20])  # 30 fits two units: a part below the floor there is no remnant (the rescue's, or none)
    lab = np.r_[np.zeros(16, dtype=np.int64), np.ones(14, dtype=np.int64)]
    units, part_ok = Units(g.csr(), lab.copy(), heads=g.head, size=g.w), lab == 0
    assert _remnant_fix(g, s, units, part_ok, np.full(30, -1), np.full(30, -1)) == set()
