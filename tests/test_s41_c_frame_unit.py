"""Session 41, helper C: the editor framed a unit in several pieces far too wide.

Finding a unit (查找) or tapping its finding in the list fitted the view to the unit's households with a margin of 30 %
of their extent on each side, snapped to a whole zoom: a unit whose pieces lie 1 km apart (an exception unit's
islands, a unit across a river) came out in 3 km of map, its households a few dots. The page now frames the bounds
of all its pieces as it frames a unit in one piece: a margin of screen pixels clear of the buttons, the stamp and the
credit, the closest whole zoom at which every piece shows, at most 18.

Fixture: the bundled sample in units of 30 (editor_fixtures.sample_case), one unit given six households of the far end
of the valley as well (two pieces, PLAN-NONCONTIG), at 390 × 844 on a touch screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# the view after framing unit u: its zoom, the closest whole zoom at which its households fit within the page's
# margins (Leaflet's own sum), and the households' distance in px from each edge of the map
VIEW = """(u) => {
  const U = window.yuanluo.editorUi, P = window.yuanluo.editorPage, E = window.yuanluo.editor, m = U.map;
  const hs = E.members(u).map(h => P.idx.get(h)), b = L.latLngBounds(hs.map(h => [P.lat[h], P.lon[h]]));
  const M = U.frameMargin, pad = L.point(M.topLeft).add(L.point(M.bottomRight)), size = m.getSize();
  let left = 1e9, top = 1e9, right = 1e9, bottom = 1e9;
  hs.forEach(h => { const c = m.latLngToContainerPoint([P.lat[h], P.lon[h]]);
    left = Math.min(left, c.x); top = Math.min(top, c.y); right = Math.min(right, size.x - c.x);
    bottom = Math.min(bottom, size.y - c.y); });
  return {zoom: m.getZoom(), tightest: Math.min(18, m.getBoundsZoom(b, false, pad)), edges: [left, top, right, bottom],
          sel: P.selected.size, n: hs.length};
}"""


def _page(tmp: Path) -> tuple[Path, str]:
    case = sample_case()
    labels = case.labels.copy()
    x = case.households.geometry.x
    far = x.sort_values().index[-6:].astype(str)  # the six easternmost households, far from unit U003
    labels.loc[far] = "U003"
    payload = editor_payload(case.layers, labels, case.rules, case.graph, graph_kind=case.kind, lang="zh")
    page = tmp / "editor.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page, "U003"


def test_a_unit_in_two_pieces_is_framed_as_closely_as_a_unit_in_one(tmp_path: Path) -> None:
    path, unit = _page(tmp_path)
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        pieces = page.evaluate("(u) => window.yuanluo.editor.status(u).codes", unit)
        page.evaluate("(q) => window.yuanluo.editorUi.search(q)", unit)
        found = page.evaluate(VIEW, unit)
        page.wait_for_timeout(300)  # the canvas redrawn
        page.screenshot(path=str(SHOTS / "s41_c_frame_unit_search.png"))
        page.evaluate("() => window.yuanluo.editorUi.map.setView([0, 0], 3)")  # far away, then its finding tapped
        page.evaluate("""(u) => { const U = window.yuanluo.editorUi, v = window.yuanluo.editor.violations()
          .find(v => v.unit === u && v.code === 'PLAN-NONCONTIG'); U.frame(v); }""", unit)
        framed = page.evaluate(VIEW, unit)
        page.evaluate("(u) => { window.yuanluo.editorUi.search(u); }", "U010")  # a unit in one piece
        one = page.evaluate(VIEW, "U010")
        assert not errors
    assert "PLAN-NONCONTIG" in pieces, pieces  # the unit is in two pieces
    for r in (found, framed, one):
        # every household in view, clear of the edges; the closest zoom that shows them all (old page: one less)
        assert min(r["edges"]) >= 15, r
        assert r["zoom"] == r["tightest"], r
    assert found["sel"] == found["n"], (found, framed, one)
