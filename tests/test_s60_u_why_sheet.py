"""Session 60, helper U: the card of a unit that is not ok shows its status, whole reason and fix on a phone.

The field map's card is a bottom sheet of 48 % of the screen. The English card of walk_limit_village's HEAD-SHORT
U004 at 360 x 640 needs 533 px from its top to the foot of its fix (zh 424): the reason's last clause and the fix
(242 px, zh 117) scrolled away. The sheet of a unit that is not ok now grows to show its status, reason, fix and
findings whole, up to two thirds of the screen (the map above keeps a third, the unit framed again into it), its top
edge cutting no control at the left (it stops below one it would cut: the search box was left half under it).

Asserted at 360 x 640 and 390 x 844 on a touch screen, zh and en: the status and the whole reason in sight; the fix
whole but at 360 x 640 in English and zh U003's (do not fit under two thirds: the card as tall as it may be, the
fix's label in sight, the rest one short scroll);
the unit's outline above the card, on the screen; no control at the left cut by the card's top; the scale beside,
not over, the controls at the left; an ok unit's card as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_maps

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map && window.yuanluo.unitBounds)"
# the card's rows, the unit's outline, the controls at the left and the scale, in the page's pixels
MEASURE = """(u) => {
  const Y = window.yuanluo, m = Y.map, c = document.querySelector('.yl-card'), r = e => e.getBoundingClientRect();
  const rows = {}; c.querySelectorAll('tr').forEach(tr => { const b = r(tr); rows[tr.cells[0].textContent] = [b.top, b.bottom, tr.className]; });
  const b = Y.unitBounds[u], box = r(m.getContainer());
  const p = [m.latLngToContainerPoint([b[0], b[1]]), m.latLngToContainerPoint([b[2], b[3]])];
  const stack = [...document.querySelectorAll('.leaflet-top.leaflet-left > *')].filter(e => r(e).height).map(e => [r(e).left, r(e).top, r(e).right, r(e).bottom]);
  const sc = document.querySelector('.leaflet-control-scale'), s = sc ? r(sc) : null;
  return {top: r(c).top, height: r(c).height, style: c.style.maxHeight, why: c.hasAttribute('data-why'), rows: rows,
          unit: [box.left + Math.min(p[0].x, p[1].x), box.top + Math.min(p[0].y, p[1].y), box.left + Math.max(p[0].x, p[1].x), box.top + Math.max(p[0].y, p[1].y)],
          stack: stack, scale: s && s.height ? [s.left, s.top, s.right, s.bottom] : null, h: innerHeight, w: innerWidth};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_maps(tmp_path_factory.mktemp("village"))


def _open(page, unit: str) -> dict:  # type: ignore[no-untyped-def]
    page.evaluate("(u) => window.yuanluo.showUnit(u, true)", unit)
    page.wait_for_timeout(250)
    return page.evaluate(MEASURE, unit)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(360, 640), (390, 844)])
def test_a_unit_not_ok_shows_status_reason_and_fix(pages: Path, lang: str, size: tuple[int, int]) -> None:
    words = {"zh": ("状态", "原因", "处理办法"), "en": ("Status", "Reason", "Fix")}[lang]
    with live_page(pages / f"m_{lang}.html", viewport=size, ready=READY, touch=True) as (page, errors):
        ok = _open(page, "U001")
        assert not ok["why"] and ok["height"] <= 0.48 * size[1] + 1, ok  # as it was
        for unit in ("U004", "U006", "U003"):
            got = _open(page, unit)
            rows, h = got["rows"], got["h"]
            status, reason, fix = (rows[w] for w in words)
            assert got["top"] <= status[0], (unit, got)
            assert reason[1] <= h, (unit, lang, size, got)  # old: en 733 > 640 at 360 x 640 (U004)
            if size == (390, 844) or (lang == "zh" and unit != "U003"):
                assert fix[1] <= h, (unit, lang, size, got)  # old: zh 757 > 640 at 360 x 640 (U004)
            else:  # en, and zh U003 (a WALK-LIMIT fix of 193 px), at 360 x 640: as tall as it may be, the fix's label
                assert got["height"] >= size[1] * 2 / 3 - 48 and fix[0] + 24 <= h, (unit, got)
            assert got["height"] <= size[1] * 2 / 3 + 1, got  # the map keeps a third of the screen
            assert got["why"] and "yl-why" in fix[2], (unit, got)  # (what grew it)
            ux = got["unit"]  # the unit's outline on the screen, above the card
            assert ux[1] >= 0 and ux[3] <= got["top"] and ux[0] >= 0 and ux[2] <= got["w"], (unit, got)
            for c in got["stack"]:  # no control at the left cut by the card's top edge
                assert c[3] <= got["top"] or c[1] >= got["top"], (unit, c, got["top"])
            sc = got["scale"]
            if sc:  # the scale over the card stands clear of the controls in sight above it
                for c in got["stack"]:
                    if c[1] < got["top"]:
                        assert sc[0] >= c[2] or sc[2] <= c[0] or sc[1] >= c[3] or sc[3] <= c[1], (unit, sc, c)
        again = _open(page, "U001")
        assert again["style"] == ok["style"] and abs(again["height"] - ok["height"]) <= 1, again  # back as it was
        assert not errors, errors
