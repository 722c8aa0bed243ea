"""Session 40, helper E (the phone audit of session 39): the maturity report's overview of a town was too long.

``yuanluo maturity load … --report`` for the 10,000-household synthetic town (327 units in 13 villages) listed under
各村院落 every village with a link to each of its units: 4,649 CSS px of links on a 390 × 844 phone before the first
card. Each village is now one line (its link and its count) whose unit links are folded in a ``<details>``: a tap
on the count opens them, a tap on the village's name still jumps to it; without script, and printed the line alone
(738 px for the same town).

Fixture: a report of 3 villages of 30 units each (``report_html``), zh and en.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from yuanluo.gis.catalogue import text
from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.planners.maturity import report_html

VILLAGES = ("胜利村", '"><b>x</b>村', "新华村")
PER_VILLAGE = 30


def _page(lang: str) -> str:
    ids = [f"U{i:03d}" for i in range(1, 1 + PER_VILLAGE * len(VILLAGES))]
    villages = {u: VILLAGES[i // PER_VILLAGE] for i, u in enumerate(ids)}
    sc = pd.DataFrame([(u, "P1", c, i, 1 + k % 9) for k, u in enumerate(ids)
                       for c in CATEGORY_KEYS for i in ("content", "effect", "satisfaction")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, ids)
    units = pd.DataFrame({"unit_id": ids, "name": [None] * len(ids), "village": [villages[u] for u in ids]})
    return report_html(t, village_summary(t, villages), units, lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_villages_unit_links_are_folded_under_its_line(lang: str) -> None:
    page = _page(lang)
    toc = page.split('<ul class="toc villages">')[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", toc)
    assert len(items) == 3
    count = text("maturity.n_units_of", lang, n=PER_VILLAGE)
    for i, item in enumerate(items, 1):
        m = re.fullmatch(r'<details><summary><a href="#v(\d)">([^<]*)</a><span class="n">([^<]*)</span></summary>'
                         r'<p class="jump screen">(.*)</p></details>', item)
        assert m, item  # the old page: the unit links open on the village's line, not in a <details>
        assert m[1] == str(i) and m[3] == count
        assert len(re.findall(r'<a href="#u\d+">U\d{3}</a>', m[4])) == PER_VILLAGE
    assert "&quot;&gt;&lt;b&gt;x&lt;/b&gt;村" in toc and "<b>x</b>" not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_list_is_short_and_a_tap_opens_a_village(tmp_path: Path, lang: str) -> None:
    from browser import live_page, require_browser

    require_browser()
    path = tmp_path / "r.html"
    path.write_text(_page(lang), encoding="utf-8")
    shots = Path(__file__).resolve().parents[1] / "test-artifacts"
    shots.mkdir(exist_ok=True)
    with live_page(path, viewport=(390, 844), ready="document.readyState === 'complete'", touch=True,
                   scale=3) as (page, errors):
        toc = page.locator("ul.toc.villages")
        height = toc.bounding_box()["height"]
        shown = page.evaluate("() => [...document.querySelectorAll('ul.toc.villages p.jump a')]"
                              ".filter(a => a.checkVisibility()).length")
        # three lines of a finger's height each: the old list showed its 90 unit links in 1,243 px
        assert height < 3 * 70 and shown == 0, (height, shown)
        page.locator("ul.toc.villages summary .n").nth(1).tap()
        opened = page.evaluate("() => [...document.querySelectorAll('ul.toc.villages details')].map(d => d.open)")
        assert opened == [False, True, False]
        page.locator("ul.toc.villages details").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"s40_e_maturity_villages_{lang}.png"))
        link = page.locator("ul.toc.villages details[open] p.jump a").nth(4)
        target = link.get_attribute("href")
        link.tap()
        page.wait_for_function("(h) => location.hash === h", arg=target)
        # the village's name still jumps to the village, and does not fold its links open
        page.evaluate("() => window.scrollTo(0, 0)")
        page.locator("ul.toc.villages summary a").nth(2).tap()
        page.wait_for_function("() => location.hash === '#v3'")
        assert not page.evaluate("() => document.querySelectorAll('ul.toc.villages details')[2].open")
        page.emulate_media(media="print")
        printed = page.evaluate("() => [...document.querySelectorAll('ul.toc.villages li')].map(li => "
                                "[li.querySelector('summary').checkVisibility(), "
                                "[...li.querySelectorAll('p.jump a')].some(a => a.checkVisibility())])")
        assert printed == [[True, False]] * 3, printed  # printed: each village's line, no unit links
        assert not errors
