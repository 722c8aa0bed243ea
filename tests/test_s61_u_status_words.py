"""Session 61, helper U: the check map's card and the editor's card name a unit's state in the same words.

walk_limit_village checked under 7-12 households and 1.5 minutes (U003: SIZE-LOW and the warning WALK-EXCEPTION,
whose sentence ends "本院落列为例外" / "an exception"; U004: PLAN-NO-HEAD; U006: SIZE-LOW and PLAN-NO-HEAD). The map's
card said 状态 违规 / Status Violation, the editor's 状态 规模不足、无院落长候选 / too small, no head candidate: two
names for one state, and beside the map's bare 违规 a warning ending "列为例外" read as a contradiction (s60 U item
2-3). Both now say the check's status word and, for a violation, the rules its errors break in the editor's words:
违规：规模不足 / Violation: too small (the editor's English in lower case, as its other status words are); the codes
stay in the findings. Asserted zh and en: the status of U003, U004, U006 and the ok U001 the same on both cards,
a violation's naming each rule its errors break."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import strict_check_maps

from yuanluo.gis.catalogue import Lang, text
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
ED = """(u) => { const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get(u)), false);
  window.yuanluo.editorUi.refresh();
  const tr = [...document.querySelectorAll('.yl-ed-tab tr')].find(r => r.cells[0].textContent === P.D.t['card.status']);
  return tr ? tr.cells[1].textContent : null; }"""
MAP = """([u, label]) => { window.yuanluo.showUnit(u, true);
  const tr = [...document.querySelectorAll('.yl-card tr')].find(r => r.cells[0].textContent === label);
  return tr ? tr.cells[1].textContent : null; }"""
WANT = {"zh": {"U003": "违规：规模不足", "U004": "违规：无院落长候选", "U006": "违规：规模不足、无院落长候选", "U001": "符合规定"},
        "en": {"U003": "Violation: too small", "U004": "Violation: no head candidate",
               "U006": "Violation: too small, no head candidate", "U001": "OK"}}
BREAKS = {"U003": ["SIZE-LOW"], "U004": ["PLAN-NO-HEAD"], "U006": ["SIZE-LOW", "PLAN-NO-HEAD"], "U001": []}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    v = strict_check_maps(tmp_path_factory.mktemp("village"))
    for lang in ("zh", "en"):
        html, _ = build_editor(v / "r.gpkg", load_rules_file(v / "strict.toml"), terrain=Terrain(), lang=lang)
        (v / f"ed_{lang}.html").write_text(html, encoding="utf-8")
    return v


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_cards_name_a_units_state_alike(pages: Path, lang: Lang) -> None:
    with live_page(pages / f"ed_{lang}.html", viewport=(390, 844), ready="!!(window.yuanluo && window.yuanluo.editorUi)",
                   touch=True) as (p, errors):
        editor = {u: p.evaluate(ED, u) for u in BREAKS}
        assert not errors, errors
    with live_page(pages / f"cm_{lang}.html", viewport=(390, 844),
                   ready="!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map)", touch=True) as (p, errors):
        card = {u: p.evaluate(MAP, [u, text("map.status", lang)]) for u in BREAKS}
        assert not errors, errors
    for u, codes in BREAKS.items():
        want = WANT[lang][u]
        assert all(text(f"editor.code.{c}", lang) in want for c in codes)  # each rule its errors break, in the editor's words
        assert card[u] == want, (u, card[u], want)  # old: 违规 / Violation alone
        assert editor[u] is not None and editor[u].lower() == card[u].lower(), (u, editor[u], card[u])
