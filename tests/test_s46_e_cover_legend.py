"""Session 46, helper E: the cover map's legend says what a search's marks mean.

The cover map's search marks what it found (an outline round a village's households, a ring pulsing about the
place) as the field map's does, but its legend had no rows saying so (the field map's got them in session 45:
legend.js G.found, shown only while each mark is there): maps.coverage._cover_legend now carries them, in the field
map's words (map.legend_found, map.legend_pulse). A household found on the cover map is shown clear of the
controls, the credit and its card (Y.freeSpot), as on the field map.

Fixture: a cover run of 30 households 100 m apart in two villages (甲村, 乙村), a credit of three lines at 360 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import chain
from test_s46_e_found_clear import CREDIT, HH_LL, IDS, READY_MAP, SIZES, _found, _shot

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.coverage import make_cover_map, render_cover_html
from yuanluo.planners.cover import CoverPlan, drawn_layers, output_layers, site

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]


def _cover(tmp: Path, lang: Lang) -> Path:
    n = 30
    hh, graph = chain(village=["甲村"] * 15 + ["乙村"] * 15, group=["1组"] * n)
    res = site(hh, graph, CoverPlan(mobile_within=30, limit_min=30))
    page = tmp / f"cover-{lang}.html"
    page.write_text(render_cover_html(make_cover_map(drawn_layers(res, output_layers(res, lang), lang), lang=lang,
                                                     credit=CREDIT)), encoding="utf-8")
    return page


# the legend's rows shown (text), unfolded
ROWS = """() => {
  const d = document.querySelector('.yl-legend'); d.classList.remove('yl-collapsed');
  return [...d.querySelectorAll('.yl-legend-body > div')].filter(e => e.offsetParent !== null).map(e => e.textContent);
}"""
FOLD = "() => document.querySelector('.yl-legend').classList.add('yl-collapsed')"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search');
  box.querySelector('input').value = q; box.querySelector('button.yl-search-go').click();
  return box.querySelector('.yl-search-msg').textContent;
}"""


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
def test_the_cover_legend_says_what_the_marks_mean(tmp_path: Path, lang: Lang, size: tuple[int, int]) -> None:
    """乙村 found: the outline and the pulse, and the legend's rows for both (old: none); after the pulse the
    outline's row only; a tap on the map: neither. A household found: shown clear of the controls and card."""
    outline, ring = text("map.legend_found", lang), text("map.legend_pulse", lang)
    with live_page(_cover(tmp_path, lang), viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        before = p.evaluate(ROWS)
        p.evaluate(FOLD)
        assert p.evaluate(SEARCH, "乙村") == ""
        village = p.evaluate(ROWS)
        marked = p.evaluate("() => [window.yuanluo.placeMarked, !!window.yuanluo.pulsing]")
        _shot(p, tmp_path, f"s46-e-cover-legend-{lang}-{size[0]}.png")
        p.wait_for_timeout(2800)  # the pulse is over; the outline stays
        after = p.evaluate(ROWS)
        p.evaluate("() => window.yuanluo.markPlace(null)")  # as a tap on the map does
        cleared = p.evaluate(ROWS)
        p.evaluate(FOLD)
        found = _found(p, HH_LL, "017")
        _shot(p, tmp_path, f"s46-e-cover-found-{lang}-{size[0]}.png")
        assert not errors, errors
    assert marked == [15, True], marked
    assert outline not in before and ring not in before
    assert village[:2] == [outline, ring], village  # old: neither
    assert outline in after and ring not in after
    assert outline not in cleared and ring not in cleared
    assert not found["bad"], found
