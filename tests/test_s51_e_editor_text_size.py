"""Session 51, helper E: the plan editor held sideways with the phone's text at 130 %, and its stamp.

A phone's text size of 130 % is emulated as Chrome on Android applies it, a page zoom: the page laid out at the
screen's size divided by 1.3 (640 x 360 -> 492 x 277 CSS px), drawn at device scale 1.3. Held sideways so, the page fell
back to the upright layout (side by side needed 600 px of width): the map kept its 240 px of the 277 and the panel
under it had 37, half its search box and none of its buttons. Side by side now on any low screen held sideways.
And the map beside the panel is some 320 px wide (640 x 360): the stamp 内部工作用图, centred, stood over the zoom
buttons; it is now centred right of them. The field map at 130 % held sideways: its scale stood over the search box's
foot (the controls at the left are taller than the 277 px); it now stands right of them.

Fixture: test_s49_e_editor_phone's editor pages (the demo's result).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from test_s49_e_editor_phone import READY, pages  # noqa: F401  (pages: the module's fixture)

from yuanluo.gis.catalogue import Lang

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

STATE = """() => {
  const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const shown = e => { const b = e.getBoundingClientRect();
    return b.bottom <= innerHeight + 0.5 && b.right <= innerWidth + 0.5 && e.contains(document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)); };
  const bar = [...document.querySelectorAll('.yl-ed-side .yl-btn, .yl-ed-side .yl-ed-target, .yl-ed-q')];
  return {map: r(document.querySelector('.yl-ed-map')), side: r(document.querySelector('.yl-ed-side')),
          search: shown(document.querySelector('.yl-ed-q')), shown: bar.filter(shown).length, all: bar.length,
          stamp: r(document.querySelector('.yl-ed-stamp')), zoom: r(document.querySelector('.leaflet-control-zoom')),
          w: innerWidth, h: innerHeight};
}"""


def _meet(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize(("lang", "size"), [("zh", (640, 360)), ("en", (640, 360)), ("en", (740, 360))],
                         ids=["zh-640", "en-640", "en-740"])
def test_held_sideways_with_the_text_at_130_percent_the_panel_stands_beside_the_map(
        pages: dict[str, Path], lang: Lang, size: tuple[int, int]) -> None:  # noqa: F811
    view = (round(size[0] / 1.3), round(size[1] / 1.3))
    with live_page(pages[lang], viewport=view, ready=READY, touch=True, scale=1.3) as (p, errors):
        p.wait_for_timeout(200)
        st = p.evaluate(STATE)
        p.screenshot(path=str(pages[lang].parent / f"s51-e-editor-130-{lang}-{size[0]}.png"))
        assert not errors, errors
    # old: one above the other, the panel's top at 240 px of 277, the search box cut, no button in sight
    assert st["side"][0] >= st["map"][2] - 1 and st["side"][1] <= 1 and st["map"][3] >= st["h"] - 1, st
    assert st["search"] and st["shown"] >= 6, st
    assert not _meet(st["stamp"], st["zoom"]), st


@pytest.mark.parametrize(("lang", "size"), [("zh", (640, 360)), ("en", (640, 360)), ("en", (740, 360))],
                         ids=["zh-640", "en-640", "en-740"])
def test_held_sideways_the_stamp_stands_clear_of_the_zoom_buttons(
        pages: dict[str, Path], lang: Lang, size: tuple[int, int]) -> None:  # noqa: F811
    with live_page(pages[lang], viewport=size, ready=READY, touch=True) as (p, errors):
        p.wait_for_timeout(200)
        st = p.evaluate(STATE)
        assert not errors, errors
    # old (en 640): the stamp 45-275 px, the zoom buttons 10-57
    assert not _meet(st["stamp"], st["zoom"]), st
    assert st["stamp"][2] <= st["map"][2] and st["stamp"][3] - st["stamp"][1] <= 60, st


FIND = """() => {
  const btn = document.querySelector('.yl-ed-find > button'), q = document.querySelector('.yl-ed-q');
  const range = document.createRange(); range.selectNodeContents(btn);
  const lines = new Set([...range.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size;
  const b = btn.getBoundingClientRect(), f = q.getBoundingClientRect(), side = document.querySelector('.yl-ed-side').getBoundingClientRect();
  return {lines: lines, btn: [b.left, b.top, b.right, b.bottom], field: [f.left, f.top, f.right, f.bottom], side: side.right};
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("zh", (640, 360)), ("en", (740, 360)),
                                            ("zh", (390, 844))], ids=["zh-740", "zh-640", "en-740", "zh-390"])
def test_with_the_text_at_130_percent_the_search_button_says_its_word_on_one_line(
        pages: dict[str, Path], lang: Lang, size: tuple[int, int]) -> None:  # noqa: F811
    view = (round(size[0] / 1.3), round(size[1] / 1.3))
    with live_page(pages[lang], viewport=view, ready=READY, touch=True, scale=1.3) as (p, errors):
        p.wait_for_timeout(200)
        st = p.evaluate(FIND)
        assert not errors, errors
    # old (zh 740 x 360 -> 569 x 277): 查 over 找, the button two lines tall beside a one-line field
    assert st["lines"] == 1, st
    assert st["btn"][2] <= st["side"] + 0.5 and st["field"][2] - st["field"][0] >= 120, st


FIELD = """() => {
  const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {scale: r(document.querySelector('.leaflet-control-scale')),
          left: [...document.querySelectorAll('.leaflet-top.leaflet-left .leaflet-control')].map(r),
          w: innerWidth, h: innerHeight};
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (640, 360)), ("en", (640, 360)), ("en", (740, 360))],
                         ids=["zh-640", "en-640", "en-740"])
def test_the_field_map_with_the_text_at_130_percent_keeps_its_scale_off_the_search_box(
        field_maps: dict[str, Path], lang: Lang, size: tuple[int, int]) -> None:
    view = (round(size[0] / 1.3), round(size[1] / 1.3))
    with live_page(field_maps[lang], viewport=view, ready="!!(window.yuanluo && window.yuanluo.find)", touch=True,
                   scale=1.3) as (p, errors):
        p.wait_for_timeout(200)
        st = p.evaluate(FIELD)
        p.screenshot(path=str(field_maps[lang].parent / f"s51-e-map-130-{lang}-{size[0]}.png"))
        assert not errors, errors
    # old (en 640 -> 492 x 277): the scale 325-350 px over the search box's foot (284-340)
    assert not any(_meet(st["scale"], b) for b in st["left"]), st
    assert st["scale"][2] <= st["w"] and st["scale"][3] <= st["h"], st


@pytest.fixture(scope="module")
def field_maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from yuanluo.maps.interactive import save_map
    from yuanluo.maps.sample import sample_layers

    tmp = tmp_path_factory.mktemp("s51e-map")
    layers = sample_layers(400, block=5, seed=7)
    return {lang: save_map(layers, tmp / f"m-{lang}.html", lang=lang) for lang in ("zh", "en")}
