"""Session 57, helper U (audit of the demo's map on a phone): a unit card's reason broke its code over two lines at
360 px, 规模无法达标（RULE- / INFEASIBLE）：1 户…; the check report keeps a code whole (span.cid, s52). Each code in a
card's reason is now one unbroken span (card.js codesWhole), the words around it wrapping as before.

Fixture: test_s32_ff_card's sample layers, U008 (RULE-INFEASIBLE) given the reason the demo's U002 has, zh and en,
360 x 640 and 320 wide.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from test_s32_ff_card import _layers

from yuanluo.maps.interactive import save_map

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.showUnit)"
# the reason of the demo's U002 (yuanluo demo, banan), as its units layer has it
REASON = {"zh": "规模无法达标（RULE-INFEASIBLE）：1 户，孤立片区共 1 户；最近的过长连接步行 63.8 分钟（连接上限 20 分钟）；被河流隔开",
          "en": "size cannot be met (RULE-INFEASIBLE): 1 household, isolated area of 1 household; the nearest other "
                "household is a 63.8-minute walk away, beyond the join limit of 20 minutes; cut off by a river"}
# the reason row's text, and every code in it with the number of lines it is drawn on
CODES = """(u) => { window.yuanluo.showUnit(u, true);
  const row = document.querySelector('tr.yl-warn td'), out = [];
  const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const re = /[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+/g; let m;
    while ((m = re.exec(t.data))) {
      const r = document.createRange(); r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
      out.push([m[0], tops.size]);
    }
  }
  return [row.textContent, out]; }"""


@pytest.mark.parametrize(("lang", "width"), [("zh", 360), ("en", 360), ("zh", 320)])
def test_a_code_in_a_cards_reason_stays_on_one_line(tmp_path: Path, lang: str, width: int) -> None:
    lyr = _layers()
    units = lyr["units"].copy()
    units.loc[units["unit_id"] == "U008", "reason"] = REASON[lang]
    path = save_map({**lyr, "units": units}, tmp_path / "m.html", lang=lang)
    with live_page(path, viewport=(width, 640), ready=READY, touch=True) as (page, errors):
        text, codes = page.evaluate(CODES, "U008")
        page.screenshot(path=str(tmp_path.parent / f"s57_u_card_code_{lang}_{width}.png"))
        assert not errors, errors
    assert "63.8" in text and [c for c, _ in codes] == ["RULE-INFEASIBLE"], text
    assert all(n == 1 for _, n in codes), (text, codes)
