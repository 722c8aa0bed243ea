"""Session 39, task H1: the maturity report has an overview to jump from.

``yuanluo maturity load … --report r.html`` for a town of 327 units (the 10,000-household synthetic town) was
205,497 CSS px tall on a 390 px phone with no overview, no anchor and no link: an official looking for U153 had to
scroll about 100,000 px. The report now opens with an overview (:func:`yuanluo.planners.maturity._overview`): the
units with the lowest mean first (at most ``WEAKEST_SHOWN``, each with its village, mean and weakest category),
then per village a link to the village and one to each of its units; every card and village heading an anchor
(``u1``, ``v1`` …, never the id itself: an id is any text). The unit links are for the screen only.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.planners.maturity import WEAKEST_SHOWN, report_html

VILLAGES = {"U1": "胜利村", "U2": "胜利村", "U3": '"><b>x</b>村', "U4": '"><b>x</b>村'}


def _page(lang: str, means: dict[str, int] | None = None, n: int = 4) -> str:
    ids = [f"U{i}" for i in range(1, n + 1)]
    villages = {u: VILLAGES.get(u, "胜利村") for u in ids}
    means = means or {"U1": 8, "U2": 3, "U3": 6, "U4": 2}
    sc = pd.DataFrame([(u, "P1", c, i, means.get(u, 9)) for u in ids if u != "U4" or "U4" in means
                       for c in CATEGORY_KEYS for i in ("content", "effect", "satisfaction")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, ids)
    units = pd.DataFrame({"unit_id": ids, "name": [None] * n, "village": [villages[u] for u in ids]})
    return report_html(t, village_summary(t, villages), units, lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_unit_a_link_to_its_card(lang):
    page = _page(lang)
    cards = dict(re.findall(r'<div class="yl-unit keep"><h3 id="(u\d+)">([^<]*)</h3>', page))
    assert sorted(cards.values()) == ["U1", "U2", "U3", "U4"]
    for anchor, uid in cards.items():
        assert f'<a href="#{anchor}">{uid}</a>' in page
    # each village heading an anchor, linked from the overview; the hostile name escaped in both
    assert re.findall(r'<section id="(v\d+)"><h2>', page) == ["v1", "v2"]
    links = re.findall(r'<a href="#(v\d)">([^<]*)</a>', page)
    assert sorted(links) == [("v1", "&quot;&gt;&lt;b&gt;x&lt;/b&gt;村"), ("v2", "胜利村")]
    assert all(f'<section id="{a}"><h2>{name}</h2>' in page for a, name in links)
    assert "<b>x</b>" not in page
    assert ("概览" if lang == "zh" else "Overview") in page.split('<div class="yl-grid">')[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_weakest_units_first(lang):
    page = _page(lang)
    attention = page.split('<h2 id="attention">')[1].split("</ul>")[0]
    assert re.findall(r">(U\d)</a>", attention) == ["U4", "U2", "U3", "U1"]   # means 2, 3, 6, 8
    head = "最需关注：均值最低的 4 个院落" if lang == "zh" else "Needing attention: the 4 units with the lowest mean"
    assert head in attention
    assert ("均值 2" if lang == "zh" else "Mean 2") in attention


def test_at_most_ten_weakest_and_unrated_left_out():
    page = _page("zh", means={f"U{i}": 1 + i % 9 for i in range(1, 30)}, n=30)
    attention = page.split('<h2 id="attention">')[1].split("</ul>")[0]
    assert len(re.findall(r"<li ", attention)) == WEAKEST_SHOWN == 10
    page = _page("en", means={"U1": 5, "U2": 4, "U3": 7})   # U4 not rated: not among the weakest
    attention = page.split('<h2 id="attention">')[1].split("</ul>")[0]
    assert re.findall(r">(U\d)</a>", attention) == ["U2", "U1", "U3"]
    assert "the 3 units" in attention


def test_unit_links_on_screen_only():
    page = _page("zh")
    assert re.search(r'<p class="jump screen"><a href="#u\d">U1</a> <a href="#u\d">U2</a></p>', page)
    assert re.search(r"@media print\{[^@]*\.screen\{display:none\}", page)
