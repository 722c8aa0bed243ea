"""The coverage maps name a service point of two villages as the report lists it (session 39, helper C).

Since 4e30cc6 ``cover --report`` lists a point whose households belong to two villages under each of them, with that
village's groups and households. The maps still said one village, the one the hubs layer names (most of its
households'): the HTML card's "服务的村、组" said 乙村 1组、2组 and the print map's key "P001  乙村 1组、2组", so a town
official of 甲村 reading the map and the report saw different villages for one point. Now the card has a line per
village with its households, in the report's order, and the key names the main village with its groups and how many
other villages the point serves ("乙村 1组、2组 及另外 1 个村")."""

from __future__ import annotations

import json
import re

import pytest
from matplotlib import rc_context
from shared_fixtures import chain

from yuanluo.maps import static
from yuanluo.maps.coverage import check_cover_layers, make_cover_map, render_cover_html
from yuanluo.maps.static_cover import _draw
from yuanluo.planners.cover import CoverPlan, drawn_layers, output_layers, site
from yuanluo.planners.cover_report import render_cover_report

# 10 households 100 m apart: 3 of 甲村 (first in the roster), then 7 of 乙村 (1组 and 2组): one mobile point
VILLAGES = ["甲村"] * 3 + ["乙村"] * 7
GROUPS = ["1组"] * 3 + ["1组"] * 4 + ["2组"] * 3
CARD = {"zh": ["甲村 1组：3 户", "乙村 1组、2组：7 户"], "en": ["甲村 1组: 3 households", "乙村 1组, 2组: 7 households"]}
KEY = {"zh": "乙村 1组、2组 及另外 1 个村", "en": "乙村 1组, 2组 and 1 other village"}


def _maps(villages: list[str], lang: str) -> tuple[object, dict, str]:
    hh, graph = chain(village=villages, group=GROUPS)
    res = site(hh, graph, CoverPlan(mobile_within=30, limit_min=30))
    layers = drawn_layers(res, output_layers(res, lang), lang)
    return res, layers, render_cover_html(make_cover_map(layers, lang=lang))


def _hubs(html: str) -> dict:
    return json.loads(re.search(r"var H = (\{.*?\});\n", html).group(1))  # type: ignore[union-attr]


def _key(layers: dict, lang: str) -> dict[str, str]:
    with rc_context(static.font_rc()):
        fig = _draw(check_cover_layers(layers), paper="A4", lang=lang, title=None, dpi=60, limit=30.0)
    return {t.get_gid().split(" ", 1)[1]: t.get_text() for t in fig.texts
            if (t.get_gid() or "").startswith("hub-serves ")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_card_and_the_key_name_every_village_the_report_lists(lang: str) -> None:
    res, layers, html = _maps(VILLAGES, lang)
    hubs = layers["hubs"]
    assert hubs["village"].tolist() == ["乙村"]  # the layer: one feature, most households' village
    h = _hubs(html)
    point = hubs["hub_id"].iloc[0]
    k = h["id"].index(point)
    assert h["lab"][-1] == ("服务的村、组" if lang == "zh" else "Serves")
    assert h["rows"][-1][k] == CARD[lang]  # was "乙村 1组、2组"
    # the report's rows of the point: the same villages, groups and households, in the same order
    page = render_cover_report(res, lang=lang)
    part = page[page.index('id="points"'):page.index('id="areas"')]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", part, flags=re.S)]
    mine = [r[2:5] for r in rows if r and r[0] == point]
    assert mine == [["甲村", "1组", "3"], ["乙村", "1组、2组" if lang == "zh" else "1组, 2组", "7"]], mine
    assert _key(layers, lang) == {point: f"{point}  {KEY[lang]}"}  # was "P001  乙村 1组、2组"


def test_a_point_of_one_village_is_said_as_before() -> None:
    _, layers, html = _maps(["乙村"] * 10, "zh")
    h = _hubs(html)
    assert h["rows"][-1] == ["乙村 1组"]  # the hubs layer's, as the report's one row: its households' most group
    assert _key(layers, "zh") == {h["id"][0]: f"{h['id'][0]}  乙村 1组"}


def test_hostile_village_names_stay_text() -> None:
    """A village named with markup reaches the card as text (the page's JSON is script-safe and the card sets
    textContent): no tag of it in the page."""
    bad = '</script><img src=x onerror=alert(1)>村'
    _, layers, html = _maps([bad] * 3 + ["乙村"] * 7, "zh")
    assert "<img src=x" not in html and "</script><img" not in html
    h = _hubs(html)
    assert h["rows"][-1][0] == [f"{bad} 1组：3 户", "乙村 1组、2组：7 户"]
    assert list(_key(layers, "zh").values())[0].endswith("及另外 1 个村")
