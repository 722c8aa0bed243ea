"""Session 40, helper E (the phone audit of session 39): in the cover report's phone cards ids broke at a hyphen.

``yuanluo cover … --report`` on the 10,000-household synthetic town lists, for a service point serving several
villager groups, the groups in one cell ("V006-G1、V006-G2、V006-G3、V006-G4"); on a 390 × 844 phone a card's cell
wrapped that list after any hyphen, "V001-" at the end of a line and "G5" on the next. The ids of such a list are
now kept whole (``span.id``, an inline block): the list wraps between its ids. And a service point's site (a given
point's name, the second column) was cut off at the card's edge (the wide table's nowrap); it now wraps.

Fixture: a card table of the report (``_table(…, cards=True)`` with the report's own style sheet), zh and en.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yuanluo.gis.catalogue import text
from yuanluo.planners.cover_report import _CARD_CSS, _CSS, _EXTRA_CSS, _row, _table

GROUPS = [f"V006-G{i}" for i in range(1, 8)]
LONG_NAME = "Sant Julià de Lòria Aixovall de Baix Bixessarri"


def _page(lang: str) -> str:
    sep = text("list.sep", lang)
    heads = (["编号", "位置", "村", "组", "服务户数"] if lang == "zh"
             else ["Id", "Site", "Village", "Group", "Households served"])
    rows = [_row(["P012", "H000856", "V006", sep.join(GROUPS[:k]), 62], {4}) for k in range(2, 8)]
    rows.append(_row(["P013", LONG_NAME, "V006", "V006-G1", 12], {4}))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><style>{_CSS}{_EXTRA_CSS}{_CARD_CSS}</style></head>'
            f'<body>{_table(heads, rows, {4}, "hubs", cards=True)}</body></html>')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ids_of_a_list_are_kept_whole(lang: str) -> None:
    page = _page(lang)
    cells = re.findall(r'<td data-h="[^"]*">(.*?)</td>', page)
    lists = [c for c in cells if "G2" in c]
    assert len(lists) == 6
    for cell in lists:  # the old page: the bare text, "V006-G1、V006-G2…"
        assert re.fullmatch(r'<span class="ids">(<span class="id">V006-G\d(、|,)?</span> ?)+</span>', cell), cell
    assert LONG_NAME in cells
    assert '<td data-h="组">V006-G1</td>' in page or '<td data-h="Group">V006-G1</td>' in page  # one id: as it was
    assert "table.cards span.id{display:inline-block}" in page


JS = r"""() => {
  const out = [], re = /[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)+/gu;
  for (const td of document.querySelectorAll('table.cards td')) {
    const w = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    let n, m;
    while ((n = w.nextNode())) {
      re.lastIndex = 0;
      while ((m = re.exec(n.data))) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  const lines = el => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size; };
  const cells = [...document.querySelectorAll('table.cards td')];
  // no line of a list starts with its separator (、 or ,)
  const starts = [];
  for (const box of document.querySelectorAll('table.cards span.ids')) {
    const left = box.getBoundingClientRect().left, w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let t;
    while ((t = w.nextNode())) for (let i = 0; i < t.data.length; i++) {
      if (!'、,'.includes(t.data[i])) continue;
      const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
      if (r.getBoundingClientRect().left - left < 2) starts.push(box.textContent);
    }
  }
  return {broken: out, starts: starts, listLines: lines(cells.filter(td => td.textContent.includes('G7'))[0]),
          nameLines: lines(cells.filter(td => td.textContent.startsWith('Sant'))[0]),
          right: Math.max(...cells.map(td => td.getBoundingClientRect().right)),
          width: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_no_id_breaks_and_names_still_wrap(tmp_path: Path, lang: str) -> None:
    from browser import live_page, require_browser

    require_browser()
    path = tmp_path / "cards.html"
    path.write_text(_page(lang), encoding="utf-8")
    shots = Path(__file__).resolve().parents[1] / "test-artifacts"
    shots.mkdir(exist_ok=True)
    with live_page(path, viewport=(390, 844), ready="document.readyState === 'complete'", touch=True,
                   scale=3) as (page, errors):
        r = page.evaluate(JS)
        page.screenshot(path=str(shots / f"s40_e_cover_card_ids_{lang}.png"), full_page=True)
        assert not errors
    assert r["starts"] == [], r
    assert r["broken"] == [], r  # the old page: "V006-" at a line's end, "G5" (or another) on the next
    assert r["listLines"] >= 2 and r["nameLines"] >= 2, r  # the lists and the long name still wrap
    assert r["right"] <= r["width"], r
