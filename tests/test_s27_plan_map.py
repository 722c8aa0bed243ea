"""S27: a Python plan's blank entry beside a unit entry does not depend on order; save_map gives the same
bytes on each save of one map."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo import Rules, check_plan, make_map, repair_plan, save_map
from yuanluo.gis.graph import TerrainGraph
from yuanluo.maps.sample import sample_layers


def _line() -> tuple[gpd.GeoDataFrame, TerrainGraph, pd.Series]:
    ids = [f"H{i}" for i in range(6)]
    hh = gpd.GeoDataFrame(geometry=[Point(50 * i, 0) for i in range(6)], crs="EPSG:32631",
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, [[50 * i, 0] for i in range(6)], [(i, i + 1) for i in range(5)],
                                crs="EPSG:32631")
    lab = pd.Series(["A", "A", "A", "B", "B", "B"], index=ids)
    return hh, g, lab


@pytest.mark.parametrize("blank", [np.nan, None, "  "])
@pytest.mark.parametrize("blank_first", [True, False])
def test_blank_entry_beside_a_unit_is_left_out_in_either_order(blank: object, blank_first: bool) -> None:
    hh, g, lab = _line()
    extra = pd.Series({"H0": blank}, dtype=object)
    plan = pd.concat([extra, lab.astype(object)]) if blank_first else pd.concat([lab.astype(object), extra])
    c = check_plan(hh, plan, Rules(2, 3), graph=g)
    assert c.n_assigned == 6
    assert c.passed, c.violations[["code", "message_en"]].to_dict("records")
    r = repair_plan(hh, plan, Rules(2, 3), g)
    assert len(r.moves) == 0
    assert r.labels["H0"] == "A"
    # as pairs too
    pairs = list(plan.items())
    assert check_plan(hh, pairs, Rules(2, 3), graph=g).n_assigned == 6


def test_two_units_for_one_household_stay_dup_assign() -> None:
    hh, g, lab = _line()
    plan = pd.concat([pd.Series({"H0": np.nan, "H2": "B"}, dtype=object), lab.astype(object)])
    c = check_plan(hh, plan, Rules(2, 3), graph=g)
    assert "PLAN-DUP-ASSIGN" in c.codes
    assert c.n_assigned == 6


def test_save_map_same_bytes_every_save(tmp_path) -> None:
    layers = sample_layers(30, block=5, seed=1)
    m = make_map(layers, lang="en")
    saved = [save_map(m, tmp_path / "a.html", overwrite=True).read_bytes() for _ in range(3)]
    assert saved[0] == saved[1] == saved[2]
    fresh = save_map(make_map(layers, lang="en"), tmp_path / "b.html").read_bytes()
    assert fresh == saved[0]
    m._repr_html_()
    assert save_map(m, tmp_path / "a.html", overwrite=True).read_bytes() == saved[0]
