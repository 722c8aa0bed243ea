"""Session 61, helper U: the id links in the check map card's findings stand as close to their punctuation as text.

The links (button.yl-idlink) in a unit's list of findings (ul.yl-finds, 90e8a0a) kept the reason links' 44 px
width and 2 px padding: "U004" centred in 44 px stood apart from the comma after it ("U004 ，", "U004 , at"; the
Andorra plan's check map, s60 U). They are now as wide as their id (24 px at the least, no padding), as the editor's
were made (545e4f5). Asserted on walk_limit_village checked under 7-12 households and 1.5 minutes (U006: SIZE-LOW and
PLAN-NO-HEAD naming U007, H000051 and H000047; U004's fix naming U004 and U006), zh and en at 360 x 640 touch: each
link as wide as its id's text (24 px at the least), the id's last letter within 1 px of
punctuation after it, and no link overlaps another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import strict_check_maps

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map)"
# each link of the open card's findings: its box, its text's box, and the box of the punctuation right after it
GAPS = r"""(u) => {
  window.yuanluo.showUnit(u, true);
  const out = [];
  document.querySelectorAll('.yl-card ul.yl-finds button.yl-idlink').forEach(b => {
    const r = b.getBoundingClientRect(), t = document.createRange();
    t.selectNodeContents(b);
    const tr = t.getBoundingClientRect();
    let n = b.nextSibling, next = null;
    while (n && n.nodeType !== 3 && !n.textContent) n = n.nextSibling;
    if (n && n.nodeType === 3 && /^[，。；、：,.;:]/.test(n.nodeValue)) {
      const c = document.createRange(); c.setStart(n, 0); c.setEnd(n, 1); next = c.getBoundingClientRect().left;
    } else if (!n && b.parentNode.classList.contains('yl-nobr') && b.parentNode.nextSibling) {
      const m = b.parentNode.nextSibling;
      if (m.nodeType === 3 && /^[，。；、：,.;:]/.test(m.nodeValue)) {
        const c = document.createRange(); c.setStart(m, 0); c.setEnd(m, 1); next = c.getBoundingClientRect().left;
      }
    }
    out.push({id: b.textContent, box: [r.left, r.top, r.right, r.bottom], text: [tr.left, tr.right], next: next});
  });
  return out;
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return strict_check_maps(tmp_path_factory.mktemp("village"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finding_links_stand_close_to_their_punctuation(pages: Path, lang: str) -> None:
    with live_page(pages / f"cm_{lang}.html", viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        seen = 0
        for unit in ("U006", "U004"):
            links = page.evaluate(GAPS, unit)
            assert links, unit
            for a in links:
                assert a["box"][2] - a["box"][0] <= max(24, a["text"][1] - a["text"][0]) + 1, a  # old: 44 px, U004 in it
                if a["next"] is not None:
                    seen += 1
                    assert a["next"] - a["text"][1] <= 1, (unit, a)  # the id's last letter to "，" / ","; old: 2-3 px
            for i, a in enumerate(links):
                for b in links[i + 1:]:
                    x, y = a["box"], b["box"]
                    assert not (x[0] < y[2] - 0.5 and y[0] < x[2] - 0.5 and x[1] < y[3] - 0.5 and y[1] < x[3] - 0.5), (a, b)
        assert seen >= 2, seen
        assert not errors, errors
