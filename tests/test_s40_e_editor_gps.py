"""Session 40, helper E (the phone audit of session 39): the editor's ◎ only selected the nearest household.

On the field map a GPS fix opens a card saying "你在院落 U012 内" and showing the unit; the editor's ◎ button (session
39) selected the nearest household without a word on the screen (its note went to the panel below the map) and left
the map on the household. A fix within 150 m of a household now also frames its unit with you, and says beside the
button which unit you are in and which household is nearest, how far (the map's sentences); farther off, which unit
is nearest, which way and how far, with a button that selects that unit.

Fixture: the bundled sample (editor_fixtures.sample_case) in units of 30, at 390 × 844 on a touch screen, zh and en;
Chromium's geolocation set beside a household, then 3 km north of the area.
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
STATE = """() => { const P = window.yuanluo.editorPage, m = window.yuanluo.editorUi.map, b = m.getBounds();
  const box = document.querySelector('.yl-ed-gps-msg');
  return {sel: Array.from(P.selected).map(i => P.ids[i]),
          units: Object.fromEntries([...P.members].map(([u, s]) => [u, [...s].map(h => P.ids[h])])),
          shown: Object.fromEntries([...P.members].map(([u, s]) => [u, [...s].every(h => b.contains([P.lat[h], P.lon[h]]))])),
          title: box && box.querySelector('strong').textContent,
          lines: box ? [...box.querySelectorAll('div')].map(d => d.textContent) : null,
          go: box && box.querySelector('button') ? box.querySelector('button').textContent : null,
          colour: box && getComputedStyle(box).color, right: box && box.getBoundingClientRect().right}; }"""


def _page(tmp: Path, lang: str) -> Path:
    case = sample_case()
    payload = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind, lang=lang)
    page = tmp / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _fill(key: str, lang: str, **kw: str) -> str:
    s = text(key, lang)
    for k, v in kw.items():
        s = s.replace("{" + k + "}", v)
    return s


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fix_says_the_unit_you_are_in_and_shows_it(tmp_path: Path, lang: str) -> None:
    with live_page(_page(tmp_path, lang), viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        k = 40
        hid, lat, lon, unit = page.evaluate("(k) => { const P = window.yuanluo.editorPage; "
                                            "return [P.ids[k], P.lat[k], P.lon[k], P.unitOf[k]]; }", k)
        assert unit is not None
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": lat, "longitude": lon + 0.0002, "accuracy": 10})  # ~20 m east
        page.locator(".leaflet-control-locate a").tap()
        page.locator(".yl-ed-gps-msg").wait_for()
        page.wait_for_timeout(300)
        s = page.evaluate(STATE)
        page.screenshot(path=str(SHOTS / f"s40_e_editor_gps_{lang}.png"))
        assert not errors, errors
    # the old page: no message on a fix (the household selected, the map on it alone)
    assert s["title"] == _fill("map.gps.in_unit", lang, unit=unit), s
    assert s["lines"][0] in {_fill("map.gps.nearest", lang, hid=hid, distance=_fill("map.gps.m", lang, m=str(m)))
                             for m in range(14, 22)}, s  # 0.0002° of longitude at 42.5° N: 16 m
    assert s["lines"][-1] == _fill("map.gps.accuracy", lang, m="10"), s
    assert hid in s["sel"] and s["shown"][unit], s  # the household selected, its whole unit in view
    assert s["colour"] != "rgb(187, 0, 0)" and s["right"] <= 390, s  # not said in the error's red, on the screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_far_from_every_household_the_nearest_unit_and_a_button_to_go(tmp_path: Path, lang: str) -> None:
    with live_page(_page(tmp_path, lang), viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        top = page.evaluate("() => { const P = window.yuanluo.editorPage; let k = 0;"
                            "for (let i = 1; i < P.n; i++) if (P.lat[i] > P.lat[k]) k = i;"
                            "return [P.lat[k], P.lon[k], P.unitOf[k]]; }")
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": top[0] + 0.027, "longitude": top[1], "accuracy": 20})  # 3 km N
        page.locator(".leaflet-control-locate a").tap()
        page.locator(".yl-ed-gps-msg button").wait_for()
        s = page.evaluate(STATE)
        unit = top[2]
        # the nearest household is the northernmost one (or one beside it): its unit named, to the south, ~3 km
        south = text("map.dir.s", lang)
        assert s["title"] == text("map.locate", lang) and s["sel"] == [], s
        assert s["lines"][0] == _fill("map.gps.outside", lang, unit=unit, dir=south,
                                      distance=_fill("map.gps.km", lang, km="3.0")), s
        assert s["go"] == _fill("map.gps.go", lang, unit=unit), s
        page.locator(".yl-ed-gps-msg button").tap()
        page.wait_for_timeout(300)
        after = page.evaluate(STATE)
        page.screenshot(path=str(SHOTS / f"s40_e_editor_gps_far_{lang}.png"))
        assert not errors, errors
    assert sorted(after["sel"]) == sorted(after["units"][unit]) and after["shown"][unit], after
    assert after["title"] is None  # the message put away
