"""Session 26: ``cover`` gives one mean walk everywhere (it rounded twice: 6.3354 became 6.335 then 6.33 on the
console, 6.34 in the report); ``check --plan`` on a plan table with a meeting-point column checks each unit against
the meeting point it gives (it checked every unit against its centre, saying none was given)."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def test_cover_console_and_report_give_the_mean_walk_rounded_once(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """A mean walk of 6.3352 minutes is 6.34 on the console and in the report (the console said 6.33: the summary
    rounded it to 6.335 first)."""
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.cover import _summary_fields
    from yuanluo.planners.cover import _summary
    from yuanluo.planners.cover_report import render_cover_report

    hh, g = village
    plan = CoverPlan(per_level={"village": 1})
    res = site(hh, g, plan)
    layers = dict(res.layers)
    walked = layers["households"].copy()
    # 156 households at 6.34 and 144 at 6.33: mean 6.3352 exactly
    walked["walk_min"] = np.where(np.arange(len(walked)) < 156, 6.34, 6.33)
    walked["served"], walked["code"] = True, pd.array([None] * len(walked), dtype="string")
    layers["households"] = walked
    assert round(float(walked["walk_min"].mean()), 2) == 6.34
    summary = _summary(layers, res.sitings, plan, None)
    C.set_lang("zh")
    line = C.msg("cli.cover.done", **_summary_fields(summary))
    assert "平均步行 6.34 分钟" in line, line
    page = render_cover_report(dataclasses.replace(res, layers=layers, summary=summary), lang="zh")
    assert "（平均 6.34 分钟）" in page


def test_cover_hubs_layer_holds_each_points_mean_walk_unrounded(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """The hubs layer's mean walk is the mean of its households' ``walk_min`` as it is, so the map and the report
    round it once (it was rounded to 0.01 first: a mean of 4.6488 was written 4.65, then shown as 4.7)."""
    from yuanluo.planners.cover_report import render_cover_report

    hh, g = village
    res = site(hh, g, CoverPlan(per_level={"village": 1}, mobile_within=3.0))
    walked, hubs = res.layers["households"], res.layers["hubs"]
    exact = walked.groupby("hub_id")["walk_min"].mean()
    got = hubs.set_index("hub_id")["mean_walk_min"]
    assert np.allclose(got.to_numpy(dtype=float), exact.reindex(got.index).to_numpy(dtype=float), rtol=0, atol=1e-9)
    page = render_cover_report(res, lang="zh", mobile_within=3.0)
    for hub, mean in exact.items():
        assert re.search(rf"<td>{hub}</td>(?:(?!</tr>).)*<td class=\"num\">{mean:.1f}</td>", page), hub
