"""Session 59, lead: a household tapped in the lower part of the editor's map stays in sight when its unit's card
makes the map lower.

Since 2de7c9c a unit that is not ok, selected on a phone held upright, gives the panel 60 % of the screen (its card
under the toolbar): the map went from 384 to 256 px at 360 x 640 keeping its middle, and a household tapped in the
map's lower fifth went under the panel (at 30 px above the map's foot: 64 px below the new one). The selection is now
moved into sight, the least, 24 px inside the map's edges.

Fixture: tests/shared_fixtures.walk_limit_village as an editor page (zh, en), 360 x 640, touch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_village

from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import read_result

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
# the first household of unit u put 30 px above the map's foot (the middle of its width), then tapped as a finger does
PLACE = """(u) => { const P = window.yuanluo.editorPage, m = window.yuanluo.editorUi.map;
  let h = -1; for (let i = 0; i < P.n; i++) if (P.unitOf[i] === u) { h = i; break; }
  const s = m.getSize(), p = m.latLngToContainerPoint([P.lat[h], P.lon[h]]);
  m.panBy([p.x - s.x / 2, p.y - (s.y - 30)], {animate: false});
  const q = m.latLngToContainerPoint([P.lat[h], P.lon[h]]);
  return {h: h, y: q.y, height: s.y}; }"""
WHERE = """(h) => { const P = window.yuanluo.editorPage, m = window.yuanluo.editorUi.map;
  const s = m.getSize(), p = m.latLngToContainerPoint([P.lat[h], P.lon[h]]);
  return {x: p.x, y: p.y, width: s.x, height: s.y, selected: P.selected.has(h),
          why: document.querySelector('.yl-ed').classList.contains('yl-ed-why')}; }"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_household_tapped_low_on_the_map_stays_in_sight_as_the_map_grows_lower(
        village: Path, tmp_path: Path, lang: str) -> None:
    units = read_result(village / "r.gpkg")[0]["units"]
    short = str(units.loc[units["code"] == "HEAD-SHORT", "unit_id"].iloc[0])
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    with live_page(page, viewport=(360, 640), ready=READY, touch=True) as (p, errors):
        before = p.evaluate(PLACE, short)
        p.evaluate("(h) => window.yuanluo.editorUi.tap(h)", before["h"])
        p.wait_for_timeout(300)
        after = p.evaluate(WHERE, before["h"])
        assert not errors, errors
    assert before["h"] >= 0 and abs(before["y"] - (before["height"] - 30)) < 1.5, before
    assert after["selected"] and after["why"], after  # its unit's card says why: the map lower
    assert after["height"] < before["height"] - 60, (before, after)
    # old: y 290 of a map 256 px high (under the panel)
    assert 24 - 1 <= after["y"] <= after["height"] - 24 + 1 and 0 <= after["x"] <= after["width"], (before, after)
