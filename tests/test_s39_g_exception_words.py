"""Session 39, helper G (audit E): on a phone, the map's unit card listed its exception units as
"U002（RULE-INFEASIBLE）", a code and no words: what it meant came only after a tap on the unit. Each exception
now says the short words of its code, the ones its reason starts with on its own card (规模无法达标 /
"size cannot be met"), in the page's language, written by textContent.

Fixture: the sample layers of test_s32_ff_card (U002 HEAD-SHORT, U008 RULE-INFEASIBLE, both declared); for the
joined words, a check's violations table excusing U005 by two codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from browser import open_in_chromium, require_browser
from test_s32_ff_card import _card, _layers

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html, save_map

WORDS = {"zh": {"U002": "院落长候选人不足", "U008": "规模无法达标"},
         "en": {"U002": "too few head candidates", "U008": "size cannot be met"}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_carries_each_exceptions_words(lang: str) -> None:
    card = _card(render_html(make_map(_layers(), lang=lang)))
    got = {card["units"][k]: w for (k, _), w in zip(card["exc"], card["excWords"], strict=True)}
    assert got == WORDS[lang]


def test_a_checks_excused_codes_read_as_their_labels_joined() -> None:
    lyr = _layers()
    viol = pd.DataFrame({"unit_id": ["U005", "U005"], "severity": ["warning", "warning"],
                         "code": ["SIZE-EXCEPTION", "HEAD-EXCEPTION"]})
    card = _card(render_html(make_map({**lyr, "violations": viol}, lang="zh")))
    got = {card["units"][k]: w for (k, _), w in zip(card["exc"], card["excWords"], strict=True)}
    assert got["U005"] == "片区院落长候选人不够分、无法避免的户数例外"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_phone_card_lists_exceptions_in_words(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = save_map(_layers(), tmp_path / "m.html", lang=lang)
    show = ("(() => { const s = window.yuanluo.showUnit('U001', true); s.querySelectorAll('details')"
            ".forEach(d => d.open = true); const x = s.querySelector('.yl-exc'); x.scrollIntoView();"
            " return [...x.querySelectorAll('.yl-broken-list button')].map(b => b.textContent); })()")
    shot = Path(__file__).resolve().parents[1] / "test-artifacts" / f"s39_g_exception_words_{lang}.png"
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo", settle_ms=300,
                           screenshot=shot, evaluate={"items": show})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    items = rep.counts["items"]
    want = [text("map.card.exception_item", lang, unit=u, reason=w) for u, w in WORDS[lang].items()]
    assert items == want, items
    assert not any(re.search(r"[A-Z]+-[A-Z]+", i) for i in items)  # no code left without its words
    if lang == "en":
        assert not any(re.search("[\u4e00-\u9fff]", i) for i in items), items
