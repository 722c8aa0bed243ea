"""Session 39, helper G (audit E): the field map has a ◎ button (where am I), the editor page had none, so an
official editing in the field could not find the household they stood at. The editor now has the map's vendored
locate control with the map's own options (yuanluo.maps.interactive.locate_options, not a copy): a fix near a
household selects the nearest one as the search does (its card names its unit); a refused location is said in the
page's language beside the button (the map's sentences), never in an English alert.

Fixture: the bundled sample (editor_fixtures.sample_case) in units of 30, at 390 x 844 on a touch screen, zh and en;
Chromium's geolocation set to a household's own position.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.gis.catalogue import text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _page(tmp: Path, lang: str) -> Path:
    case = sample_case()
    payload = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind, lang=lang)
    page = tmp / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_locate_button_selects_the_household_you_stand_at(tmp_path: Path, lang: str) -> None:
    with live_page(_page(tmp_path, lang), viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        button = page.locator(".leaflet-control-locate a")
        assert button.count() == 1  # the old page: no locate control
        box = button.bounding_box()
        assert box and box["width"] >= 40 and box["height"] >= 40, box
        assert button.get_attribute("title") == text("map.locate", lang)
        k = 40
        hid, lat, lon = page.evaluate("(k) => { const P = window.yuanluo.editorPage; return [P.ids[k], P.lat[k], P.lon[k]]; }", k)
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": lat, "longitude": lon + 0.0002, "accuracy": 10})  # ~20 m east
        button.tap()
        page.wait_for_function("(h) => { const P = window.yuanluo.editorPage; return P.selected.size > 0; }", arg=hid)
        sel = page.evaluate("() => { const P = window.yuanluo.editorPage; return Array.from(P.selected).map(i => P.ids[i]); }")
        assert hid in sel, sel
        page.wait_for_timeout(400)
        page.screenshot(path=str(SHOTS / f"s39_g_editor_gps_{lang}.png"))
        assert not errors, errors


def test_a_refused_location_is_said_in_the_pages_language(tmp_path: Path) -> None:
    with live_page(_page(tmp_path, "en"), viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.context.clear_permissions()
        page.locator(".leaflet-control-locate a").tap()
        msg = page.locator(".yl-ed-gps-msg")
        msg.wait_for()
        assert msg.text_content() == text("map.gps.failed", "en") + text("map.gps.denied", "en")
        assert msg.locator("strong").text_content() == text("map.gps.failed", "en")
        assert not dialogs
        page.screenshot(path=str(SHOTS / "s39_g_editor_gps_denied_en.png"))
        msg.tap()
        assert page.locator(".yl-ed-gps-msg").count() == 0
