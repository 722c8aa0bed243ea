"""What ``yuanluo cover`` says of a proven optimum, and its mean walk (session 41, audit G's finding 11).

On Andorra, ``cover`` said "总步行时间至多比最短多 0.00%；流动服务点的个数与最优的差距至多 0.00%" / "at most 0.00% more
than the least" of an answer solved exactly (a hedge where the answer is proven), and "平均步行 6.15 分钟" where
every table of walks (the report's, the map's) gives one decimal. Now a gap of 0 is said as solved exactly,
proven the least (the fewest, the most, optimal), and the mean walk has one decimal, in the console and in the
report's sentence alike.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners import console as C
from yuanluo.planners.cli.cover import _summary_fields
from yuanluo.planners.cover import CoverPlan, site
from yuanluo.planners.cover_report import render_cover_report


def _line(n: int) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"h{i:02d}" for i in range(n)]
    xy = [[500000.0 + 60 * i, 3300000.0] for i in range(n)]
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": ["甲村"] * n, "group": ["1组"] * (n // 2) + ["2组"] * (n - n // 2)},
                          geometry=[Point(*p) for p in xy], index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    return hh, g


WORDS = {
    "zh": ("精确求解，总步行时间已证明最短（每村服务点）", "；流动服务点的个数精确求解，已证明最少", "精确求解，限时内覆盖户数已证明最多",
           "至多", "差距"),
    "en": ("solved exactly: total walk proven the least (village hubs)",
           "; the number of mobile points solved exactly, proven the fewest",
           "solved exactly: households within the limit proven the most possible", "at most", "gap"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_proven_optimum_is_said_as_one_not_as_at_most_0_percent(lang: str) -> None:
    hh, g = _line(6)
    res = site(hh, g, CoverPlan(per_level={"village": 1}, mobile_within=1.0, limit_min=1.0))
    assert res.summary["gap"] == 0 and res.summary["mobile_gap"] == 0, res.summary
    walk, mobile, coverage, hedge, gap = WORDS[lang]
    C.set_lang(lang)
    try:
        line = C.msg("cli.cover.done", **_summary_fields(res.summary))
        assert walk in line and mobile in line and hedge not in line and "0.00%" not in line, line
        cov = site(hh, g, CoverPlan(n_hubs=1, objective="coverage", limit_min=1.0))
        assert cov.summary["gap"] == 0, cov.summary
        line = C.msg("cli.cover.done", **_summary_fields(cov.summary))
        assert coverage in line and gap not in line and "0.00%" not in line, line
    finally:
        C.set_lang("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_mean_walk_has_one_decimal_in_the_console_and_the_report(lang: str) -> None:
    hh, g = _line(6)
    res = site(hh, g, CoverPlan(per_level={"village": 1}, limit_min=5.0))
    layers = dict(res.layers)
    walked = layers["households"].copy()
    walked["walk_min"] = np.array([6.16, 6.18, 6.17, 6.17, 6.17, 6.17])  # mean 6.17
    walked["served"], walked["code"] = True, pd.array([None] * len(walked), dtype="string")
    layers["households"] = walked
    summary = {**res.summary, "mean_walk_min": float(walked["walk_min"].mean())}
    C.set_lang(lang)
    try:
        line = C.msg("cli.cover.done", **_summary_fields(summary))
    finally:
        C.set_lang("zh")
    page = render_cover_report(dataclasses.replace(res, layers=layers, summary=summary), lang=lang)
    said = {"zh": ("平均步行 6.2 分钟", "（平均 6.2 分钟）"), "en": ("mean walk 6.2 minutes", "(mean 6.2 minutes)")}[lang]
    assert said[0] in line and "6.17" not in line, line
    assert said[1] in page and "6.17" not in page
