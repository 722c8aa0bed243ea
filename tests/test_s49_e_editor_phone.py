"""Session 49, helper E: the plan editor on a phone gives the map more of the screen, the findings' count in sight.

At 360 x 640 the map had 352 of 640 px (55 %) and the panel under it opened on the page's opening lines whole (what
it holds, the rules, what the marks mean, the rules it cannot check: 218 px of the panel's 287 on the demo), the
findings' count (违规 0 项，提示 10 项) below the fold. On a phone (narrower than 900 px) the map now takes 60 % (384 px
at 360 x 640, 506 at 390 x 844), and the opening lines are folded to two ending in an ellipsis, a button (a tap shows
them whole, another folds them); the findings' count stands in the panel's first screen under the search box and the
toolbar. The next message (a search, a move) is said whole as before. A wide screen keeps the lines whole.

Fixture: the demo's Andorra parish (yuanluo demo: 951 households, 33 units), zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import Lang

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
STATE = """() => {
  const r = s => { const b = document.querySelector(s).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const i = document.querySelector('.yl-ed-info'), line = parseFloat(getComputedStyle(i).lineHeight);
  return {map: r('.yl-ed-map'), head: r('.yl-ed-panel h2'), side: r('.yl-ed-side'), lines: i.clientHeight / line,
          whole: i.scrollHeight <= i.clientHeight + 1, role: i.getAttribute('role'), expanded: i.getAttribute('aria-expanded'),
          text: i.textContent, h: window.innerHeight};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    tmp = tmp_path_factory.mktemp("s49e-ed")
    run = CliRunner().invoke(app, ["demo", "-o", str(tmp / "demo")])
    assert run.exit_code == 0, run.output
    gpkg = next((tmp / "demo").glob("*.gpkg"))
    out = {}
    for lang in ("zh", "en"):
        out[lang] = tmp / f"edit-{lang}.html"
        r = CliRunner().invoke(app, ["edit", str(gpkg), "-o", str(out[lang]), "--lang", lang])
        assert r.exit_code == 0, r.output
    return out


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844))],
                         ids=["zh-360", "en-360", "zh-390"])
def test_a_phone_gives_the_map_more_and_keeps_the_findings_count_in_sight(pages: dict[str, Path], lang: Lang,
                                                                           size: tuple[int, int]) -> None:
    with live_page(pages[lang], viewport=size, ready=READY, touch=True) as (p, errors):
        p.wait_for_timeout(200)
        first = p.evaluate(STATE)
        p.screenshot(path=str(pages[lang].parent / f"s49-e-editor-{lang}-{size[0]}.png"))
        p.locator(".yl-ed-info").tap()
        p.wait_for_timeout(150)
        opened = p.evaluate(STATE)
        p.locator(".yl-ed-info").tap()
        p.wait_for_timeout(150)
        folded = p.evaluate(STATE)
        p.set_viewport_size({"width": 1280, "height": 800})  # a wide screen: side by side, the lines whole
        p.wait_for_timeout(150)
        wide = p.evaluate(STATE)
        p.set_viewport_size({"width": size[0], "height": size[1]})
        p.wait_for_timeout(150)
        back = p.evaluate(STATE)
        p.evaluate("() => window.yuanluo.editorUi.search('no such place 9')")  # a message: said whole
        p.wait_for_timeout(150)
        said = p.evaluate(STATE)
        assert not errors, errors
    h = first["h"]
    assert first["map"][3] - first["map"][1] >= 0.59 * h, first  # was 352 of 640, 464 of 844
    assert first["side"][1] <= first["head"][1] and first["head"][3] <= h + 0.5, first  # was below the fold
    assert round(first["lines"]) == 2 and not first["whole"], first
    assert first["role"] == "button" and first["expanded"] == "false", first
    assert opened["whole"] and opened["expanded"] == "true" and opened["lines"] > 2.5, opened
    assert opened["text"] == first["text"]
    assert round(folded["lines"]) == 2 and folded["expanded"] == "false", folded
    assert wide["whole"] and wide["role"] is None and wide["lines"] > 2.5, wide
    assert round(back["lines"]) == 2 and back["role"] == "button", back
    assert said["whole"] and said["role"] is None and said["text"] != first["text"], said


SIDEWAYS = """() => {
  const r = s => { const b = document.querySelector(s).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const q = document.querySelector('.yl-ed-q'), cs = getComputedStyle(q), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = cs.fontSize + ' ' + cs.fontFamily;
  return {map: r('.yl-ed-map'), side: r('.yl-ed-side'), head: r('.yl-ed-panel h2'), w: window.innerWidth, h: window.innerHeight,
          hint: ctx.measureText(q.placeholder).width, room: q.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)};
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (740, 360)), ("en", (740, 360)), ("en", (844, 390))],
                         ids=["zh-740", "en-740", "en-844"])
def test_a_phone_held_sideways_shows_the_map_beside_the_panel(pages: dict[str, Path], lang: Lang,
                                                              size: tuple[int, int]) -> None:
    """Sideways the map had 240 of 360 px of the height and the panel 120 under it (the search box and one row of the
    toolbar); now they stand side by side, the map the screen's height, the panel half the width at most, its search
    box's hint whole and the findings' count in its first screen."""
    with live_page(pages[lang], viewport=size, ready=READY, touch=True) as (p, errors):
        p.wait_for_timeout(200)
        st = p.evaluate(SIDEWAYS)
        p.screenshot(path=str(pages[lang].parent / f"s49-e-editor-{lang}-{size[0]}.png"))
        assert not errors, errors
    assert st["map"][3] - st["map"][1] >= st["h"] - 1 and st["map"][2] <= st["side"][0] + 0.5, st  # was 240 tall
    assert st["side"][2] - st["side"][0] <= st["w"] / 2 + 0.5 and st["head"][3] <= st["h"] + 0.5, st
    assert st["hint"] <= st["room"], st
