"""``yuanluo cover --report``: a service point sited for no village (a mobile point, a hub over the area) that serves
households of two villages is listed under each of them (session 38, helper I).

The report listed such a point once, under the village most of its households belong to (the hubs layer's
``village``), so a town official of the other village did not find the point that serves them. Now the report has
a row for each village it serves (roster order), each with that village's own household count and mean and
longest walk; each level's heading still counts distinct points. The hubs layer keeps one row per point."""

from __future__ import annotations

import re

import pytest
from shared_fixtures import chain

from yuanluo.planners.cover import CoverPlan, site
from yuanluo.planners.cover_report import render_cover_report

# 10 households 100 m apart: 3 of 甲村 (first in the roster), then 7 of 乙村 (1组 and 2组)
VILLAGES = ["甲村"] * 3 + ["乙村"] * 7
GROUPS = ["1组"] * 3 + ["1组"] * 4 + ["2组"] * 3


def _points(page: str) -> tuple[list[str], list[list[str]]]:
    """The service-point section: its level headings and each table row's cells."""
    part = page[page.index('id="points"'):page.index('id="areas"')]
    heads = re.findall(r"<h3[^>]*>(.*?)</h3>", part, flags=re.S)
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", part, flags=re.S)]
    return heads, [r for r in rows if r]


@pytest.mark.parametrize("plan", [CoverPlan(mobile_within=30, limit_min=30), CoverPlan(n_hubs=1, limit_min=30)],
                         ids=["mobile", "area"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_point_of_two_villages_is_listed_under_each(lang: str, plan: CoverPlan) -> None:
    hh, graph = chain(village=VILLAGES, group=GROUPS)
    res = site(hh, graph, plan)
    hubs = res.layers["hubs"]
    one = hubs.loc[hubs["level"] != "village"]
    assert len(one) == 1 and one["village"].iloc[0] == "乙村", one  # the layer: one feature, most households' village
    heads, rows = _points(render_cover_report(res, lang=lang))
    mine = [r for r in rows if r[0] == one["hub_id"].iloc[0]]
    # old report: one row, 乙村, 10 households
    assert [r[2:4] for r in mine] == [["甲村", "1组"], ["乙村", "1组、2组" if lang == "zh" else "1组, 2组"]], mine
    assert [int(r[4]) for r in mine] == [3, 7], mine  # each village's own households, 10 in all
    walks = res.layers["households"].groupby("village")["walk_min"].agg(["mean", "max"])
    for r, v in zip(mine, ["甲村", "乙村"], strict=True):
        assert r[5:7] == [f"{walks.loc[v, 'mean']:.1f}", f"{walks.loc[v, 'max']:.1f}"], (r, walks)
    assert any(("1 个" if lang == "zh" else "1 point") in h for h in heads), heads  # one point, two rows


def test_a_point_of_one_village_is_one_row() -> None:
    hh, graph = chain(village=["甲村"] * 6, group=["1组"] * 6)
    res = site(hh, graph, CoverPlan(n_hubs=1, limit_min=30))
    _, rows = _points(render_cover_report(res, lang="zh"))
    assert [r[2:5] for r in rows] == [["甲村", "1组", "6"]], rows
