"""Session 46, helper E: a household found is shown clear of every control.

1. The editor showed a household found by its search in the middle of the map at zoom 17 (map.setView), the
   controls not looked at. With the message under the ◎ GPS button standing (a failed fix: 定位失败 …, or the
   unit you are in), the middle lay under it: every one of 136 households searched at 360 x 640 and 390 x 844, zh
   and en, had its dot and ring under the message (old code). It is now framed as a unit is (fitClear:
   Y.clearPadding, the clear rectangle with the most room about the point), and a fix beside a household of no
   unit says so first, then shows the household.
2. The field map shows a found household at Y.freeSpot (card.js): checked here with a credit of
   three lines at 360 px, clear of it, the controls and the card (the cover map: test_s46_e_cover_legend).

Fixtures: the editor's bundled sample under an 8-minute walk (editor_fixtures.sample_walk_case; AD0001 is in no
unit); the field map of the sample layers (400 households).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_walk_page

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS); 户籍与坐标：某某县自然资源局第三次全国国土调查成果（2024 年）"
SIZES = [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844)), ("en", (390, 844))]
IDS = ["zh-360", "en-360", "zh-390", "en-390"]

# the found point's box (its dot and the ring about it: r px each way) against every box over the map, in the map's
# pixels: the controls (the GPS message is inside the ◎ control), the stamp, the title, the card; and the map's edges
OVER = """([ll, r, sel]) => {
  const m = window.yuanluo.editorUi ? window.yuanluo.editorUi.map : window.yuanluo.map, size = m.getSize();
  const box = m.getContainer().getBoundingClientRect(), c = m.latLngToContainerPoint(ll), bad = [];
  document.querySelectorAll(sel).forEach(e => {
    const b = e.getBoundingClientRect();
    if (!b.width || !b.height) return;
    const k = [b.left - box.left, b.top - box.top, b.right - box.left, b.bottom - box.top];
    if (c.x + r > k[0] && c.x - r < k[2] && c.y + r > k[1] && c.y - r < k[3]) bad.push(e.className.split(' ')[0]);
  });
  if (c.x < r || c.y < r || c.x > size.x - r || c.y > size.y - r) bad.push('edge');
  return {at: [Math.round(c.x), Math.round(c.y)], z: m.getZoom(), bad: bad};
}"""
EDITOR_COVERS = ".leaflet-control, .yl-ed-stamp"
MAP_COVERS = ".leaflet-control, .yl-stamp, .yl-title, .yl-card"
READY_EDITOR = "!!(window.yuanluo && window.yuanluo.editorUi)"
READY_MAP = "!!(window.yuanluo && window.yuanluo.find)"


def _shot(page: Any, tmp: Path, name: str) -> None:
    """A screenshot beside the test's folder (pytest's base folder: --basetemp), to look at."""
    page.screenshot(path=str(tmp.parent / name))


def _editor(tmp: Path, lang: Lang) -> Path:
    return sample_walk_page(tmp, lang, CREDIT)


def _editor_found(p: Any, hid: str) -> dict[str, Any]:
    ll = p.evaluate("(h) => { const P = window.yuanluo.editorPage, i = P.idx.get(h); return [P.lat[i], P.lon[i]]; }", hid)
    return p.evaluate(OVER, [ll, 16, EDITOR_COVERS])  # the dot (7 px at zoom 17) and the selection ring about it


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
def test_the_editor_shows_a_found_household_clear_of_the_gps_message(tmp_path: Path, lang: Lang,
                                                                    size: tuple[int, int]) -> None:
    """A failed fix says so under the ◎ button; households then searched (one by the search box, every 25th by
    the page's search) are each shown under no control, message, stamp or credit (old: all under the message)."""
    with live_page(_editor(tmp_path, lang), viewport=size, ready=READY_EDITOR, touch=True) as (p, errors):
        p.locator(".leaflet-control-locate a").tap()  # no permission: 定位失败 / Location failed, under the button
        p.wait_for_selector(".yl-ed-gps-msg")
        said = p.evaluate("() => document.querySelector('.yl-ed-gps-msg').textContent")
        ids = p.evaluate("() => window.yuanluo.editorPage.ids.slice()")
        p.fill(".yl-ed-q", ids[3])
        p.locator(".yl-ed-find button").tap()
        got = {ids[3]: _editor_found(p, ids[3])}
        _shot(p, tmp_path, f"s46-e-editor-gps-{lang}-{size[0]}.png")
        for hid in ids[::25]:
            p.evaluate("(h) => window.yuanluo.editorUi.search(h)", hid)
            got[hid] = _editor_found(p, hid)
        assert not errors, errors
    assert said.startswith(text("map.gps.failed", lang)), said
    assert all(g["z"] >= 17 for g in got.values()), got
    bad = {h: g for h, g in got.items() if g["bad"]}
    assert not bad, (len(bad), len(got), list(bad.items())[:3])


@pytest.mark.parametrize(("lang", "size"), SIZES[:2], ids=IDS[:2])
def test_a_fix_beside_a_household_of_no_unit_shows_it_clear_of_what_is_said(tmp_path: Path, lang: Lang,
                                                                           size: tuple[int, int]) -> None:
    """A fix 0 m from AD0001 (in no unit): the message says so and the household stands clear of it (old: the
    household was shown in the middle, then the message put over it)."""
    with live_page(_editor(tmp_path, lang), viewport=size, ready=READY_EDITOR, touch=True) as (p, errors):
        hid = p.evaluate("() => { const P = window.yuanluo.editorPage; "
                         "for (let i = 0; i < P.n; i++) if (P.unitOf[i] === null) return P.ids[i]; return null; }")
        p.locator(".leaflet-control-locate a").tap()  # the tap the page answers (the fix is given below)
        p.wait_for_selector(".yl-ed-gps-msg")
        p.evaluate("""(h) => { const P = window.yuanluo.editorPage, i = P.idx.get(h), m = window.yuanluo.editorUi.map;
          m.fire('locationfound', {latlng: L.latLng(P.lat[i], P.lon[i]), accuracy: 10}); }""", hid)
        said = p.evaluate("() => document.querySelector('.yl-ed-gps-msg').textContent")
        got = _editor_found(p, hid)
        _shot(p, tmp_path, f"s46-e-editor-fix-{lang}-{size[0]}.png")
        assert not errors, errors
    assert hid and hid in said, said
    assert not got["bad"], got


def _field_map(tmp: Path, lang: Lang) -> Path:
    return save_map(sample_layers(400, block=5, seed=7), tmp / f"map-{lang}.html", lang=lang, credit=CREDIT)


def _found(p: Any, find_expr: str, q: str) -> dict[str, Any]:
    box = p.locator(".yl-search")
    box.locator("input").fill(q)
    box.locator("button.yl-search-go").tap()
    ll = p.evaluate(find_expr, q)
    return p.evaluate(OVER, [ll, 17, MAP_COVERS])  # the ring (14 px and its 3 px line) about the dot


HH_LL = """(q) => { const Y = window.yuanluo, D = Y.households, k = Y.householdIndex(q);
  return [D.xy.lat[k], D.xy.lon[k]]; }"""


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=IDS)
def test_the_field_map_shows_a_found_household_clear_of_the_credit(tmp_path: Path, lang: Lang,
                                                                   size: tuple[int, int]) -> None:
    """Households found by the search box (the first, the last, every 40th): each clear of the credit of three
    lines, the controls and its card (Y.freeSpot)."""
    with live_page(_field_map(tmp_path, lang), viewport=size, ready=READY_MAP, touch=True) as (p, errors):
        hids = p.evaluate("() => Array.from(window.yuanluo.households.hid)")
        credit = p.evaluate("() => document.querySelector('.leaflet-control-attribution').getBoundingClientRect().height")
        got = {h: _found(p, HH_LL, h) for h in [*hids[::40], hids[-1]]}
        _shot(p, tmp_path, f"s46-e-field-{lang}-{size[0]}.png")
        assert not errors, errors
    assert credit > 20, credit
    bad = {h: g for h, g in got.items() if g["bad"]}
    assert not bad, bad
