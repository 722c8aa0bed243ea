"""HEAD-SHORT says what the area lacks after the split as well as its shortfall.

The audit's group needed 9 candidates and had 3 ("缺 6 名"), but after the split 7 of its 9 units had none: the
reason named only the shortfall, so the 7th unit's lack was unexplained. Now each HEAD-SHORT reason adds how many
units of its area lack candidates, and how many in all.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import render_reason
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules


def test_head_short_names_what_the_area_lacks_after_the_split() -> None:
    n = 60
    ids = [f"H{i:02d}" for i in range(n)]
    xy = [[60.0 * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame({"head_candidate": [i == 30 for i in range(n)]}, index=pd.Index(ids, name="hid"),
                          geometry=gpd.points_from_xy(*zip(*xy, strict=True)), crs="EPSG:4545")
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")
    d = UnitDelineator.from_rules(Rules(15, 25, nest_by=()), random_state=0).fit(hh, g)
    short = d.units_[d.units_["code"] == "HEAD-SHORT"]
    assert len(short) == len(d.units_) - 1 >= 2
    for row in short.to_dict("records"):
        p = json.loads(row["reason_params"])
        assert (p["shortfall"], p["area_lack"], p["area_units"]) == (2, len(short), len(short)), p
        # (then the nearest candidate outside the unit, since session 56: tests/test_s56_h_near_candidate.py)
        p = {k: v for k, v in p.items() if not k.startswith("near_")}
        zh, en = (render_reason("HEAD-SHORT", p, lang) for lang in ("zh", "en"))
        assert zh.endswith(f"缺 2 名；划分后片区内 {len(short)} 个院落共缺 {len(short)} 名"), zh
        assert en.endswith(f"2 short; after the split, the area lacks {len(short)}, in {len(short)} units"), en
