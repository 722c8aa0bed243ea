"""Regression: the exact-bounds stage adopted a node-limited MILP incumbent whose rounded assignment broke the
size band (a unit of 26 for 15–25), and the delineation stopped with an internal INVARIANT error (exit 3).

The households are the 160 of the bundled Ordino sample nearest AD0333, as a GBK CSV with Chinese headers
(persons, group, a candidate-head column), delineated over the sample's DEM, rivers, water and roads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.planners import workflows as W
from yuanluo.planners.presets import preset

CSV = Path(__file__).parent / "data" / "ordino_160_gbk.csv"


def test_exact_bounds_never_adopt_units_outside_the_band() -> None:
    s = W.sample_paths()
    inputs = W.load_inputs(str(CSV), crs="EPSG:4326", dem=s["dem"], rivers=s["rivers"], water=s["water"],
                           roads=s["roads"])
    graph = W.build_graph(inputs)
    r = preset("changshou")
    d = UnitDelineator(min_size=r.min_size, max_size=r.max_size, nest_by=r.nest_by, random_state=0,
                       require_head=r.require_head, keep_settlements=r.keep_settlements)
    d.fit(inputs.households, graph)  # verify_delineation runs inside fit: it raised before the fix
    ok = d.units_[d.units_["status"] == "ok"]
    assert len(ok) > 0
    assert np.all((ok["n_households"] >= 15) & (ok["n_households"] <= 25))
