"""Session 61, helper U: the English HEAD-SHORT card at 360 x 640 shows its status, reason and fix whole.

Session 60 (bc5aaef) grew the card of a unit that is not ok up to two thirds of the screen; walk_limit_village's
HEAD-SHORT U004 in English still wanted a scroll of 107 px to the foot of its fix at 360 x 640 (42 px for zh U003's
WALK-LIMIT fix). Its status, reason and fix rows are now set closer (lines 1.3 high, 1.25 in English; the text right
under its label; 4 px where the rows had 6 px above and below) and its English reason says less twice ("needs at
least 4 and has 3, 1 short", not "needs at least 4 head candidates and has 3"; "the area lacks 2, in 2 units", not
"lacks 2 in all, in 2 units"): the fix's foot at 631 of 640 px (632 with the system fonts hidden).

Asserted at 360 x 640 on a touch screen: U004 (zh, en) and U003 (zh) show their status, reason and fix whole, the
map above keeps a third of the screen with the unit in it; an ok unit's card keeps its rows' spacing (6 px, the
card's line height)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_maps

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map && window.yuanluo.unitBounds)"
MEASURE = """(u) => {
  const Y = window.yuanluo, m = Y.map, c = document.querySelector('.yl-card'), r = e => e.getBoundingClientRect();
  const rows = {}; c.querySelectorAll('tr').forEach(tr => { const b = r(tr), s = getComputedStyle(tr.cells[0]);
    rows[tr.cells[0].textContent] = [b.top, b.bottom, s.paddingTop, s.lineHeight]; });
  const b = Y.unitBounds[u], box = r(m.getContainer());
  const p = [m.latLngToContainerPoint([b[0], b[1]]), m.latLngToContainerPoint([b[2], b[3]])];
  return {top: r(c).top, height: r(c).height, rows: rows, h: innerHeight,
          unit: [box.top + Math.min(p[0].y, p[1].y), box.top + Math.max(p[0].y, p[1].y)]};
}"""
WORDS = {"zh": ("状态", "原因", "处理办法"), "en": ("Status", "Reason", "Fix")}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_maps(tmp_path_factory.mktemp("village"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_reason_and_fix_fit_at_360_by_640(pages: Path, lang: str) -> None:
    with live_page(pages / f"m_{lang}.html", viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        for unit in ("U004", "U003") if lang == "zh" else ("U004",):
            page.evaluate("(u) => window.yuanluo.showUnit(u, true)", unit)
            page.wait_for_timeout(250)
            got = page.evaluate(MEASURE, unit)
            status, reason, fix = (got["rows"][w] for w in WORDS[lang])
            assert got["top"] <= status[0] and reason[1] <= fix[0], (unit, got)
            assert fix[1] <= got["h"], (unit, lang, got)  # old: en U004 747, zh U003 682 > 640
            assert got["height"] <= got["h"] * 2 / 3 + 1, got  # the map keeps a third of the screen
            assert 0 <= got["unit"][0] and got["unit"][1] <= got["top"], (unit, got)  # the unit above the card
        page.evaluate("(u) => window.yuanluo.showUnit(u, true)", "U001")  # an ok unit: its rows as they were
        page.wait_for_timeout(250)
        ok = page.evaluate(MEASURE, "U001")
        row = ok["rows"][WORDS[lang][0]]
        assert row[2] == "6px" and abs(float(row[3][:-2]) - 15 * 1.45) < 0.1, ok
        assert not errors, errors
