"""Session 52, helper E (third round): the sample's credit on the print sheets, a range of numbers on the unit card.

1. The print map and the unit sheets drew the bundled sample's data credit (recorded by ``yuanluo demo`` in
   English) in English at the foot of a Chinese sheet, while the pages said it in Chinese since 5c7d82c
   (maps.style.credit_words). The sheets now say it as the pages do (maps.static.draw_credit, which the coverage
   print map uses too): "© OpenStreetMap 贡献者（ODbL）；高程数据 SRTM（NASA/USGS）" on a zh sheet; the English on an
   en sheet; a credit the user gives as given.
2. The unit card's size line broke after the en dash of its range, "29 households / rule 20–" over "50 ✔" (en, the
   demo's field map held sideways, 844 x 390; zh "规定 2–" over "50 户 ✔" on a narrower card), and, in zh, before
   its unit ("规定 20–50" over "户 ✔", text at 130 %). The range and its unit are now kept on one line (span.yl-nb,
   card.js), the text unchanged.

Fixtures: 40 sample households (maps.sample), the rule 2–50 households.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from matplotlib.figure import Figure

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.rules import Rules
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static import render_print_map
from yuanluo.maps.static_units import render_unit_sheets
from yuanluo.maps.style import SAMPLE_CREDIT

LANGS: list[Lang] = ["zh", "en"]
RULES = Rules(min_size=2, max_size=50)


def _credits_drawn(monkeypatch: pytest.MonkeyPatch, draw: Any) -> list[str]:
    """The texts drawn as a sheet's data credit (gid sheet-credit) while ``draw()`` runs."""
    drawn: list[str] = []
    plain = Figure.text

    def text_of(fig: Figure, x: float, y: float, s: str, *a: Any, **kw: Any) -> Any:
        if kw.get("gid") == "sheet-credit":
            drawn.append(s)
        return plain(fig, x, y, s, *a, **kw)

    monkeypatch.setattr(Figure, "text", text_of)
    draw()
    return drawn


def test_the_sheets_say_the_samples_credit_in_their_language(monkeypatch: pytest.MonkeyPatch) -> None:
    layers = sample_layers(40, block=3, seed=1)
    unit = sorted(layers["units"]["unit_id"])[0]
    own = "© OpenStreetMap contributors; 某测绘院 2025"  # the user's own credit: as given, in any language
    for lang in LANGS:
        words = text("map.sample_credit", lang)
        assert (words == SAMPLE_CREDIT) == (lang == "en")
        on_map = _credits_drawn(monkeypatch, partial(render_print_map, layers, lang=lang, credit=SAMPLE_CREDIT, dpi=40))
        assert on_map == [words], (lang, on_map)
        on_sheet = _credits_drawn(monkeypatch, partial(render_unit_sheets, layers, lang=lang, units=[unit], dpi=40,
                                                       credit=SAMPLE_CREDIT))
        assert on_sheet == [words], (lang, on_sheet)
        assert _credits_drawn(monkeypatch, partial(render_print_map, layers, lang=lang, credit=own, dpi=40)) == [own]


RANGE_LINES = r"""() => { const Y = window.yuanluo; Y.showUnit(Y.card.units[0], true);
  const row = [...document.querySelectorAll('.yl-card .yl-pop tr')]
    .find(r => r.querySelector('th') && r.querySelector('th').textContent === Y.card.lab['card.size']);
  const td = row.querySelector('td'), card = document.querySelector('.yl-card'), split = [];
  for (let w = 180; w <= 420; w += 2) {  // the card at every width: the range and its unit (户) on one line
    card.style.width = w + 'px';
    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT); let t, tops = [];
    while ((t = walk.nextNode())) { const m = /\d–\d+(?:[ \u00a0][\u4e00-\u9fff])?/.exec(t.data); if (!m) continue;
      const r = document.createRange(); r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);
      tops = [...r.getClientRects()].filter(x => x.width).map(x => Math.round(x.top)); }
    if (new Set(tops).size !== 1) split.push(w); }
  card.style.width = '';
  return [Y.card.units[0], td.textContent, split]; }"""


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", LANGS)
def test_the_cards_range_of_households_stays_on_one_line(tmp_path: Path, lang: Lang) -> None:
    layers = sample_layers(40, block=3, seed=1)
    page = tmp_path / f"map-{lang}.html"
    page.write_text(render_html(make_map(layers, lang=lang, rules=RULES)), encoding="utf-8")
    with live_page(page, viewport=(844, 390), ready="!!(window.yuanluo && window.yuanluo.showUnit)",
                   touch=True) as (p, errs):
        unit, said, split = p.evaluate(RANGE_LINES)
        assert not errs, errs
    n = int((layers["households"]["unit_id"] == unit).sum())
    assert said == text("map.card.size_ok_households", lang, n=n, lo=2, hi=50), said  # the words as they were
    assert split == [], f"the range broke across two lines at card widths {split} px"
