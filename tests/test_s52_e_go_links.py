"""Session 52, helper E (fourth round): a card's "➜ go" link and what the print sheets' glyph check reads.

1. The unit card's meeting-point link broke before its last word: "household AD0226 ➜" over "go" (en, the demo's
   field map at 360 x 640; the card 298-362 px wide), "000009 户 ➜" over "前往" and "户" over "➜ 前往" (zh, the
   card 240-280 px wide: a phone's text at 130 %). The arrow and its words now stay on one line with the word before
   them (a no-break space in the catalogue's texts, span.yl-nb in card.js link), the text unchanged.
2. ``PRINT-GLYPH`` looked at the bundled sample's data credit as recorded (in English), while the sheets draw it in
   their language (maps.static.draw_credit, since bad6c6c); it now looks at the words the sheet draws.

Fixtures: 40 sample households (maps.sample), the rule 2-50 households.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.rules import Rules
from yuanluo.maps import static, static_cover
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import SAMPLE_CREDIT

LANGS: list[Lang] = ["zh", "en"]

# every ➜ link of the card that open() shows, at card widths 240-420 px: the widths where the word before the arrow
# (ids, words and no-break spaces alike) and the arrow, and where these and the link's last word after the arrow
# ("go", "前往"), do not stand on one line
GO_LINES = r"""(open) => { const Y = window.yuanluo; eval(open);
  const card = document.querySelector('.yl-card'), out = [];
  const split = (b, from, to) => {  // whether the characters from..to of button b's text stand on two lines or more
    const walk = document.createTreeWalker(b, NodeFilter.SHOW_TEXT); let t, at = 0; const tops = [];
    while ((t = walk.nextNode())) {
      if (from < at + t.data.length && to > at) {
        const r = document.createRange();
        r.setStart(t, Math.max(from - at, 0)); r.setEnd(t, Math.min(to - at, t.data.length));
        tops.push(...[...r.getClientRects()].filter(x => x.width).map(x => Math.round(x.top)));
      }
      at += t.data.length;
    }
    return new Set(tops).size !== 1; };
  for (const b of card.querySelectorAll('button.yl-link')) {
    const s = b.textContent, m = /(\S+)\s*\u2192(\s*\S+$)?/.exec(s); if (!m) continue;
    const arrow = m.index + m[0].length - (m[2] || '').length, words = [], alone = [];
    for (let w = 240; w <= 420; w += 2) {
      card.style.width = w + 'px';
      if (split(b, m.index, arrow)) alone.push(w);
      if (m[2] && split(b, m.index, m.index + m[0].length)) words.push(w);
    }
    card.style.width = '';
    out.push([s, alone, words]);
  }
  return out; }"""


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", LANGS)
def test_a_cards_arrow_and_its_words_stay_with_the_word_before_them(tmp_path: Path, lang: Lang) -> None:
    layers = sample_layers(40, block=3, seed=1)
    units = layers["units"].set_index("unit_id")
    page = tmp_path / f"map-{lang}.html"
    page.write_text(render_html(make_map(layers, lang=lang, rules=Rules(min_size=2, max_size=50))), encoding="utf-8")
    with live_page(page, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.showUnit)",
                   touch=True) as (p, errs):
        unit = p.evaluate("window.yuanluo.card.units[0]")
        on_unit = p.evaluate(GO_LINES, "Y.showUnit(Y.card.units[0], true)")
        on_household = p.evaluate(GO_LINES, "Y.showHousehold(0)")
        hid0 = p.evaluate("window.yuanluo.households.hid[0]")
        assert not errs, errs
    meeting = text("map.card.go_household", lang, hid=str(units.loc[unit, "meeting_hid"]))
    hh = layers["households"]
    own = hh.loc[hid0, "unit_id"] if hid0 in hh.index else hh.set_index("hid").loc[hid0, "unit_id"]
    links = {s: (alone, words) for s, alone, words in on_unit + on_household}
    assert meeting in links and text("map.card.open_unit", lang, unit=own) in links, links  # the catalogue's words
    alone = {s: w for s, (w, _) in links.items() if w}
    assert alone == {}, f"the arrow broke from the word before it at card widths (px): {alone}"
    pre, post = text("map.card.go_household", lang, hid="\0").split("\0")  # the links to a household: "➜ go"
    go = {s: w for s, (_, w) in links.items() if w and s.startswith(pre) and s.endswith(post)}
    assert go == {}, f"the arrow's last word went to a line of its own at card widths (px): {go}"


def _problems_with_a_font_without_han(monkeypatch: pytest.MonkeyPatch, check: Any, lang: Lang) -> list[str]:
    """The texts ``check(lang)`` says no font draws, with the sheets' font list a Latin font's alone (DejaVu Sans,
    matplotlib's own): what the sheet draws in Chinese is then undrawable, its English drawn."""
    monkeypatch.setattr(static, "font_rc", lambda: {"font.family": ["DejaVu Sans"]})
    return [p.params["texts"] for p in check(lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_glyph_check_reads_the_credit_as_the_sheet_draws_it(monkeypatch: pytest.MonkeyPatch, lang: Lang) -> None:
    units = {"units": sample_layers(40, block=3, seed=1)["units"][["unit_id"]]}
    drawn = text("map.sample_credit", lang)
    assert (drawn == SAMPLE_CREDIT) == (lang == "en")
    for check in (lambda lg: static.glyph_problems(units, credit=SAMPLE_CREDIT, lang=lg),
                  lambda lg: static_cover.cover_glyph_problems({}, credit=SAMPLE_CREDIT, lang=lg)):
        said = _problems_with_a_font_without_han(monkeypatch, check, lang)
        if lang == "zh":  # the Chinese words drawn, and said, as drawn
            assert len(said) == 1 and said[0].startswith(f"“{drawn}” (贡献者"), said
        else:
            assert said == [], said
