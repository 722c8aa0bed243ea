"""Session 42, helper L: the field map's unit card said nothing of where the unit lies: a card of "U221" could not be
matched to a place. The card's first rows now say the unit's village, group and settlement, as its households have
them (each once, joined by the list separator).

Fixture: the sample layers (400 households) in 双河口村 / 胜利村, groups 1组 / 2组, settlements 老垭口1-3 and 大塆,
each unit's suggested head its meeting household; 390 × 844 and 360 × 640 on a touch screen, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import live_page
from test_s42_l_head_link import CARD, READY, SHOTS, _page, pytestmark  # noqa: F401  (the same page and marks)

from yuanluo.gis.catalogue import text
from yuanluo.maps.style import label


@pytest.mark.parametrize(("lang", "allowed", "size"), [("zh", True, (390, 844)), ("en", True, (360, 640)),
                                                        ("zh", False, (360, 640))])
def test_place_rows(tmp_path: Path, lang: str, allowed: bool, size: tuple[int, int]) -> None:
    path, facts = _page(tmp_path, lang, allowed)
    uid = "U005"
    members = facts[uid][2]
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        rows = page.evaluate(CARD, uid)
        page.screenshot(path=str(SHOTS / f"s42_l_unit_place_{lang}_{allowed}.png"))
        bold = page.evaluate("() => !!document.querySelector('.yl-card b')")
        assert not errors, errors
    by = {r[0]: r for r in rows}
    assert not bold
    sep = text("list.sep", lang)
    places = {c: list(dict.fromkeys(members[c].astype(str))) for c in ("village", "group", "settlement")}
    for c in ("village", "group", "settlement"):
        assert by[label(c, lang)][1] == sep.join(places[c]), (c, rows)
    assert [r[0] for r in rows[:3]] == [label(c, lang) for c in ("village", "group", "settlement")], rows
