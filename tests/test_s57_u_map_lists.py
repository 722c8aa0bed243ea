"""Session 57, helper U (audit of the demo's map on a phone, items 4, 5, 8 and 11 of /tmp/s57/U/audit.md):

- every unit card ended with the whole map's lists, "▶ 例外院落（6 个）" and "▶ 没有不符合规定的院落" on U007's (ok) card,
  read as U007's; the second a disclosure opening to nothing. They are titled as the map's (全图例外院落（n 个）,
  "Declared exceptions on this map (n)"), and no unit breaking the rule is a plain line;
- the legend listed 未分配 (a grey dot) where no household is unassigned (the demo): the row only where one is, as
  the print legend lists only what it shows;
- a search finding nothing left the card open before (household AD0026) under 未找到, as if the answer; and 未找到
  said nothing of what the box takes. The card closes, and a line under 未找到 names it with ids of the map
  (请输入户编号（如 000001）或院落编号（如 U001）), set as text.

Fixture: the sample layers (400 households 000001 …, units U001 … U016, one exception, household 000400 unassigned),
360 x 640 on a touch screen, zh and en; screenshots in test-artifacts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NO_BROWSER = browser_unavailable_reason()
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
# the foot of U002's card: the lists' titles (and whether each is a disclosure), the plain line where there is one
FOOT = """() => { const Y = window.yuanluo; Y.showUnit('U002', true);
  const c = document.querySelector('.yl-card');
  return {lists: [...c.querySelectorAll('details.yl-broken summary')].map(s => s.textContent),
          line: [...c.querySelectorAll('.yl-none-broken')].map(e => [e.tagName, e.textContent])}; }"""
SEARCH = """(q) => { const box = document.querySelector('.yl-search'), input = box.querySelector('input');
  input.value = q; box.querySelector('button.yl-search-go').click();
  const card = document.querySelector('.yl-card'), eg = box.querySelector('.yl-search-eg');
  return {card: card.hidden ? null : card.getAttribute('data-id'), msg: box.querySelector('.yl-search-msg').textContent,
          eg: eg && !eg.hidden && eg.getBoundingClientRect().height > 0 ? eg.textContent : null}; }"""


def _legend(html: str) -> list[str]:
    m = re.search(r"var G = (\{.*?\});\n", html)
    assert m, "legend data not found"
    return [r["text"] for r in json.loads(m.group(1))["rows"] if "text" in r]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_lists_unassigned_only_where_the_map_draws_one(lang: str) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    hh = lyr["households"]
    assert hh["unit_id"].isna().sum() == 1
    grey = text("map.unassigned", lang)
    assert grey in _legend(render_html(make_map(lyr, lang=lang)))  # type: ignore[arg-type]
    lyr["households"] = hh[hh["unit_id"].notna()]
    rows = _legend(render_html(make_map(lyr, lang=lang)))  # type: ignore[arg-type]
    assert grey not in rows and text("map.meeting_points", lang) in rows, rows  # old: 未分配 always


@pytest.mark.browser
@pytest.mark.skipif(NO_BROWSER is not None, reason=str(NO_BROWSER))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_lists_on_a_unit_card_and_a_missed_search(tmp_path: Path, lang: str) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    n_exc = int((lyr["units"]["status"] == "exception").sum())
    assert n_exc == 1
    path = save_map(lyr, tmp_path / f"m_{lang}.html", lang=lang)  # type: ignore[arg-type]
    with live_page(path, viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        foot = page.evaluate(FOOT)
        page.evaluate("() => document.querySelector('.yl-card').scrollTop = 1e6")
        page.screenshot(path=str(SHOTS / f"s57_u_map_lists_{lang}.png"))
        page.evaluate("() => window.yuanluo.find('000026')")
        page.wait_for_timeout(100)
        missed = page.evaluate(SEARCH, "张三")
        page.wait_for_timeout(100)
        page.screenshot(path=str(SHOTS / f"s57_u_not_found_{lang}.png"))
        page.evaluate("() => window.yuanluo.clearSearchMsg()")  # a tap on the map, a GPS fix, a card
        cleared = page.evaluate("() => { const e = document.querySelector('.yl-search-eg'); return !e || e.hidden; }")
        found = page.evaluate(SEARCH, "U003")
        assert not errors, errors
    assert foot["lists"] == [text("map.card.exceptions", lang, n=1)], foot  # old: 例外院落（1 个）, and a second list
    assert foot["line"] == [["DIV", text("map.card.none_broken", lang)]], foot
    assert foot["lists"][0].startswith("全图" if lang == "zh" else "Declared exceptions on this map")
    example = text("map.search_example.both", lang, hid="000001", unit="U001")
    assert missed == {"card": None, "msg": text("map.not_found", lang), "eg": example}, missed  # old: 000026's card
    assert cleared and found == {"card": "U003", "msg": "", "eg": None}, (cleared, found)
