"""Session 42, helper M: the coverage map's cards named a service point and its site as plain text (auditor F).

The GPS card's "服务点编号 P051" was a bare id (a button reading only "P051", looking like a value), the household card's
the same, and the service point's card said "所在位置 H005434", a household's id with nothing to reach it: an off-screen
point or household was found only by typing its id into the search. Both are now links as the field map's meeting-point
row is: "P001 ➜ 前往" opens the point's card and shows it; "H005 户 ➜ 前往" opens that household's card and shows it.

Fixture: 61 households (60 within 5 minutes of P001, which stands at H005; one 30 minutes from P002, 3 km east), at
360 × 640 with a phone's touch screen; zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import live_page, require_browser
from test_s42_m_cover_legend import cover_layers

from yuanluo.gis.catalogue import text
from yuanluo.maps.coverage import make_cover_map, render_cover_html

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CARD = "[document.querySelector('.yl-card').dataset.card, document.querySelector('.yl-card').dataset.id]"
LINK = ("Array.from(document.querySelectorAll('.yl-card tr')).filter(t => t.querySelector('th') && "
        "t.querySelector('th').textContent === %r).map(t => [t.querySelector('button.yl-link') ? 'link' : 'text', "
        "t.querySelector('td').textContent])")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cards_service_point_and_site_are_links_that_show_them(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = tmp_path / "cover.html"
    path.write_text(render_cover_html(make_cover_map(cover_layers(), lang=lang)), encoding="utf-8")
    hub_row, site_row = text("covermap.hub_id", lang), text("covermap.site", lang)
    go_p1 = text("covermap.go_hub", lang, hub="P001")
    with live_page(path, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.find)", touch=True,
                   scale=2) as (page, errors):
        # the GPS card at H060, 3 km from the others: its point P002
        page.evaluate("window.yuanluo.gpsAnswer(L.latLng(window.yuanluo.households.xy.lat[60], "
                      "window.yuanluo.households.xy.lon[60]), [60, 5])")
        assert page.evaluate(LINK % hub_row) == [["link", text("covermap.go_hub", lang, hub="P002")]]
        # the household card of H003: P001, then P001's card: its site H005, then H005's card
        page.evaluate("window.yuanluo.showHousehold(window.yuanluo.householdIndex('H003'))")
        assert page.evaluate(LINK % hub_row) == [["link", go_p1]]
        page.click(".yl-card button.yl-link")
        page.wait_for_function(f"{CARD}.join() === 'hub,P001'")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"s42_m_cover_site_{lang}.png"))
        assert page.evaluate(LINK % site_row) == [["link", text("map.card.go_household", lang, hid="H005")]]
        page.evaluate("window.yuanluo.map.setView([0, 0], 3)")  # far away: the link must bring the household back
        page.click(".yl-card button.yl-link")
        page.wait_for_function(f"{CARD}.join() === 'household,H005'")
        shown = page.evaluate("(() => { const Y = window.yuanluo, i = Y.householdIndex('H005'); "
                              "return Y.map.getBounds().contains([Y.households.xy.lat[i], Y.households.xy.lon[i]]); })()")
        assert shown
        assert not errors, errors
