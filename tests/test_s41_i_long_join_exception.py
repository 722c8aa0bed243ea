"""PLAN-LONG-JOIN on a unit that is already a SIZE-EXCEPTION (session 41, audit G's finding 5).

``yuanluo check`` of an Andorra result gave 8 exception units (U215: 1+1 households joined over a long walk, an
island too small for 20–50) both SIZE-EXCEPTION and PLAN-LONG-JOIN, whose fix said "不合适时可把这几户列为例外院落"
of a unit already an exception. The long join is still worth confirming on the ground (the unit walks across
it to meet), so the warning stays; its fix now says the unit is already an exception and that the far
households may get an exception unit of their own if the path cannot be walked. A unit within the band keeps
the old fix.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

CRS = "EPSG:32648"


def _line(near: int, far: int) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """``near`` households 50 m apart in a row, then ``far`` more 50 m apart, 1.2 km on: the gap an edge pruned
    for length (12 minutes, within the 20-minute join limit)."""
    n = near + far
    x = np.r_[np.arange(near) * 50.0, (near - 1) * 50.0 + 1200.0 + np.arange(far) * 50.0]
    xy = np.c_[x, np.zeros(n)]
    ids = [f"h{i:02d}" for i in range(n)]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1) if i != near - 1], crs=CRS)
    cut = pd.DataFrame({"u": [near - 1], "v": [near], "length_m": [1200.0], "walk_min": [12.0], "reason": ["length"]})
    g = TerrainGraph(crs=g.crs, ids=g.ids, xy=g.xy, u=g.u, v=g.v, length_m=g.length_m, walk_min=g.walk_min, cut=cut)
    return hh, g


def _finding(res, code: str) -> pd.Series:
    v = res.violations[res.violations["code"] == code]
    assert len(v) == 1, res.violations[["code", "unit_id"]]
    return v.iloc[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_exception_unit_joined_over_a_long_walk_is_not_told_to_become_one(lang: str) -> None:
    hh, g = _line(3, 2)  # 5 households, an island no split of 20–50 fits
    res = check_plan(hh, pd.Series("U1", index=hh.index), Rules(20, 50), graph=g, unapplied=False)
    assert sorted(res.violations["code"]) == ["PLAN-LONG-JOIN", "SIZE-EXCEPTION"]
    assert res.units.set_index("unit_id").loc["U1", "status"] == "exception"
    msg = _finding(res, "PLAN-LONG-JOIN")[f"message_{lang}"]
    if lang == "zh":
        assert "实地确认这段路可以步行；这个院落已是例外院落（孤立的一片，规模无法满足，见 SIZE-EXCEPTION）" in msg, msg
        assert "走不通时，可把较远的这几户另编一个例外院落。" in msg and "可把这几户列为例外院落" not in msg, msg
    else:
        assert "the unit is already an exception (an isolated island whose size no split fits, see SIZE-EXCEPTION)" \
            in msg, msg
        assert "give the far households an exception unit of their own" in msg, msg
        assert "otherwise make those households an exception unit" not in msg, msg


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_within_the_band_keeps_the_old_fix(lang: str) -> None:
    hh, g = _line(20, 3)  # 23 households: within 20–50
    res = check_plan(hh, pd.Series("U1", index=hh.index), Rules(20, 50), graph=g, unapplied=False)
    assert sorted(res.violations["code"]) == ["PLAN-LONG-JOIN"] and res.passed
    msg = _finding(res, "PLAN-LONG-JOIN")[f"message_{lang}"]
    old = {"zh": "实地确认这段路可以步行；不合适时可把这几户列为例外院落。",
           "en": "confirm on the ground that the path is walkable; otherwise make those households an exception unit."}
    assert old[lang] in msg and "SIZE-EXCEPTION" not in msg, msg
