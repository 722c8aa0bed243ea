"""Session 60, helper U: the check map's unit card lists its findings, one an item, each with its fix under it.

``yuanluo check plan --map cm.html``: the card of a unit with findings (检查发现 / Check findings) said them as one
paragraph, joined by "; ", each fix inline after its sentence: the Andorra plan's U003 (PLAN-LONG-JOIN, PLAN-NO-HEAD,
PLAN-SETTLEMENT-SPLIT) was one red block of 12 lines at 390 x 844 (s60 A finding H). The check report lays them out
one under another, each fix on its own line under its finding.

walk_limit_village checked under 7-12 households and 1.5 minutes: U003 has an error (SIZE-LOW) and a warning
(WALK-EXCEPTION), U006 two errors (SIZE-LOW, PLAN-NO-HEAD, which names unit U007, households H000051 and H000047, and
in its fix the units U004 and U006). Asserted zh and en at 360 x 640 and 390 x 844 on a touch screen: a list item a
finding, errors first, each its sentence and the fix below it (a block of its own, starting "处理办法：" / "Fix:"),
nothing of the check's words lost; each code on one line; the other units and the households named links (the card's
own unit text), none over another; a tap on the unit link opens its card, on a household link the household's; the
card grown (status and the first finding whole in sight).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import strict_check_maps

from yuanluo.gis.catalogue import text

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map && window.yuanluo.cardF)"
# the findings of the open card: each item's class, box, text, its fix's box and text, the codes' line counts, links
MEASURE = """(k) => {
  const c = document.querySelector('.yl-card'), r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const ul = c.querySelector('ul.yl-finds');
  if (!ul) return null;
  const items = [...ul.children].map(li => {
    const fix = li.querySelector(':scope > .yl-find-fix');
    const codes = [...li.querySelectorAll('.yl-nobr')].filter(s => /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/.test(s.textContent))
      .map(s => [s.textContent, s.getClientRects().length]);
    return {cls: li.className, box: r(li), text: li.textContent, fix: fix ? fix.textContent : null,
            fixBox: fix ? r(fix) : null, first: li.firstChild && li.firstChild.nodeType === 3 ? li.firstChild.nodeValue : '',
            codes: codes};
  });
  const links = [...ul.querySelectorAll('button.yl-idlink')].map(b => ({id: b.textContent, title: b.title, box: r(b)}));
  return {items: items, links: links, data: window.yuanluo.cardF.viol[k], card: r(c), h: innerHeight,
          why: c.hasAttribute('data-why')};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return strict_check_maps(tmp_path_factory.mktemp("village"))


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_cards_findings_are_a_list_each_with_its_fix_under_it(pages: Path, lang: str) -> None:
    err, warn = text("problem.error", lang), text("problem.warning", lang)  # type: ignore[arg-type]
    lead = text("problem.fix", lang, fix="")  # type: ignore[arg-type]
    want = {"U003": [(err, "SIZE-LOW"), (warn, "WALK-EXCEPTION")], "U006": [(err, "SIZE-LOW"), (err, "PLAN-NO-HEAD")]}
    with live_page(pages / f"cm_{lang}.html", viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        for size in ((360, 640), (390, 844)):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            for unit, codes in want.items():
                k = page.evaluate("(u) => window.yuanluo.unitIndex.get(u)", unit)
                page.evaluate("(u) => window.yuanluo.showUnit(u, true)", unit)
                page.wait_for_timeout(250)
                got = page.evaluate(MEASURE, k)
                assert got is not None, (size, unit, "no list of findings")
                items = got["items"]
                assert len(items) == len(codes), (size, unit, [x["text"][:40] for x in items])
                for x, (sev, code), (_, body, fix) in zip(items, codes, got["data"], strict=True):
                    assert x["cls"] == ("yl-find-warn" if sev == warn else "yl-find-err"), (unit, x["cls"])
                    assert x["text"].startswith(f"{sev} {code}"), (unit, x["text"][:60])
                    # the sentence, then its fix: a block of its own under it, nothing of the check's words lost
                    assert x["fix"] is not None and x["fix"].startswith(lead) and x["text"] == body + fix, (unit, x)
                    assert x["fixBox"][1] >= x["box"][1] + 20 and abs(x["fixBox"][0] - x["box"][0] - 12) < 1, (unit, x)
                    assert fix not in body, (unit, body)
                    assert [c for c, _ in x["codes"]][:1] == [code] and all(n == 1 for _, n in x["codes"]), x["codes"]
                # one under another, errors first
                assert all(a["box"][3] <= b["box"][1] for a, b in zip(items, items[1:], strict=False)), (unit, items)
                # the card grown: its status and its first finding whole in sight
                assert got["why"] and items[0]["box"][3] <= got["h"] and got["card"][1] < items[0]["box"][1], got["card"]
                links = got["links"]
                assert all(not _overlap(a["box"], b["box"]) for i, a in enumerate(links) for b in links[i + 1:]), links
                assert unit not in [x["id"] for x in links], (unit, links)
                if unit == "U006":
                    ids = [x["id"] for x in links]
                    assert {"U007", "H000051", "H000047", "U004"} <= set(ids), ids
                    show = text("map.card.show_unit", lang, unit="U007")  # type: ignore[arg-type]
                    assert [x["title"] for x in links if x["id"] == "U007"][:1] == [show], links
        # a tap on a unit the finding names opens its card; on a household, the household's
        page.set_viewport_size({"width": 360, "height": 640})
        for target, kind in (("U007", "unit"), ("H000051", "household")):
            page.evaluate("(u) => window.yuanluo.showUnit(u, true)", "U006")
            page.wait_for_timeout(200)
            page.locator("ul.yl-finds button.yl-idlink", has_text=target).first.scroll_into_view_if_needed()
            page.locator("ul.yl-finds button.yl-idlink", has_text=target).first.tap()
            page.wait_for_timeout(250)
            card = page.evaluate("(() => { const c = document.querySelector('.yl-card');"
                                 " return [c.getAttribute('data-card'), c.getAttribute('data-id')]; })()")
            assert card == [kind, target], (target, card)
        assert errors == []
