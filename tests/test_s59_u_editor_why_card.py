"""Session 59, helper U: the editor's card of a unit that is not ok is readable on a phone held upright.

At 360 x 640 the panel below the map (40 % of the screen) held the search box, the toolbar's two rows and the page's
opening lines; the card of a unit selected began at 587 px, its unit id the one row in sight and its status below
the screen's foot (walk_limit_village's HEAD-SHORT U004, zh and en). While a unit that is not ok is selected on a
phone held upright the panel now takes 60 % of the screen, the search box and the toolbar stay at its top, and it
is scrolled so that the card begins right under them: the status, the warnings and the reason's first lines in sight
(the rest of the reason and the fix one scroll below: from the status to the fix's foot HEAD-SHORT's card takes
333 px in Chinese and 459 in English, where 227 are left below the toolbar). An ok unit's card leaves the map its 60 %.

Fixture: tests/shared_fixtures.walk_limit_village as an editor page, zh and en, 360 x 640 and 390 x 844 (touch).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import read_result

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
# the card's rows (label: [top, bottom]), the toolbar's controls wholly on the screen and not covered, the map's height
STATE = """() => { const r = e => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; };
  const rows = {}; document.querySelectorAll('.yl-ed-tab tr').forEach(tr => {
    const a = r(tr.cells[0]), b = r(tr.cells[tr.cells.length - 1]); rows[tr.cells[0].textContent] = [Math.min(a[0], b[0]), Math.max(a[1], b[1])]; });
  const ctl = [...document.querySelectorAll('.yl-ed-find input, .yl-ed-find button, .yl-ed-bar button, .yl-ed-bar select')]
    .filter(e => getComputedStyle(e).display !== 'none');
  const hidden = ctl.filter(e => { const b = e.getBoundingClientRect();
    return b.top < 0 || b.bottom > innerHeight || !e.contains(document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)); })
    .map(e => e.textContent || e.className);
  const line = document.querySelector('.yl-ed-tab tr.yl-long td');
  return {rows: rows, hidden: hidden, controls: ctl.length, map: document.querySelector('.yl-ed-map').getBoundingClientRect().height,
          bar: document.querySelector('.yl-ed-bar').getBoundingClientRect().bottom, inner: innerHeight,
          reasonTop: line ? line.getBoundingClientRect().top : null}; }"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


@pytest.mark.parametrize("size", [(360, 640), (390, 844)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_card_of_a_unit_not_ok_shows_its_status_and_reason_under_the_toolbar(
        village: Path, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    units = read_result(village / "r.gpkg")[0]["units"]
    short = str(units.loc[units["code"] == "HEAD-SHORT", "unit_id"].iloc[0])
    ok = str(units.loc[units["status"] == "ok", "unit_id"].iloc[0])
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    with live_page(page, viewport=size, ready=READY, touch=True) as (p, errors):
        first = p.evaluate(STATE)
        p.evaluate("(u) => window.yuanluo.editorUi.search(u)", short)  # as an official types it
        p.wait_for_timeout(250)
        got = p.evaluate(STATE)
        SHOTS.mkdir(exist_ok=True)
        p.screenshot(path=str(SHOTS / f"s59_u_editor_why_{lang}_{size[0]}.png"))
        p.evaluate("(u) => window.yuanluo.editorUi.search(u)", ok)
        p.wait_for_timeout(250)
        back = p.evaluate(STATE)
        assert not errors, errors
    status = got["rows"][text("editor.card.status", lang)]  # type: ignore[arg-type]
    reason = got["rows"][text("editor.card.reason", lang)]  # type: ignore[arg-type]
    # old (360 x 640): the status row at 631-654, below the screen's foot; the reason's first line lower still
    assert got["bar"] <= status[0] and status[1] <= got["inner"], got
    assert reason[0] < got["inner"] and got["reasonTop"] + 60 <= got["inner"], got  # its first lines (three at 20 px)
    assert not got["hidden"] and got["controls"] >= 10, got  # the search box and every toolbar control in sight
    assert got["map"] >= 240, got
    assert back["map"] == first["map"] and not back["hidden"], (first, back)  # an ok unit: the map as it was
