"""Session 46, helper G: the plan editor says PLAN-NO-HEAD's area fix as ``yuanluo check`` does.

gis.check (18fc28f, a29fc6b) gives a unit without a candidate head in an area that must lack some, and lacks more,
the fix variant ``area``: the area's size, its units lacking one, why and how many may, how many fewer, and the ways
to fewer. The editor re-runs the head rule live (maps/assets/editor.js: headExcused, reported) and said only the
sentence; it now says that fix under it, from the same catalogue entries (PLAN-NO-HEAD.fix_area, check.head.way.*),
and drops it once an edit leaves the area lacking no more than it must (HEAD-EXCEPTION again).

Fixture: two groups of 12 households in a row 100 m apart (tests/shared_fixtures.chain), one candidate each (000,
012), band 3-4: each group needs 3 units and may lack 2; the plan draws 4 units in each, 3 lacking."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import chain

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.errors import problem
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
RULES = Rules(3, 4, nest_by=("group",), require_head=True, keep_settlements=False)
SAID = """() => window.yuanluo.editor.violations().filter(v => /HEAD/.test(v.code))
  .map(v => [v.unit, v.code, v.text + '|' + (v.fix || '')])"""


def _check(hh, g, csv: str, tmp_path: Path, lang: Lang) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The check's head findings of a plan the page exported: unit, code, sentence|fix (as the page writes them; the
    fix only where it is not the code's plain one: an area's, fix_area, the one of these the page says), the
    sentence naming the nearest candidate outside the unit, as the page says it too."""
    p = tmp_path / "plan.csv"
    p.write_bytes(("\ufeff" + csv).encode("utf-8"))
    labels, probs = read_plan_table(p, hh)
    res = check_plan(hh, labels, RULES, graph=g, plan_problems=probs, unapplied=False)
    v = res.violations[res.violations["code"].str.contains("HEAD")]
    out = []
    for _, row in v.iterrows():
        first, _, fix = violation_message(row, lang, body=True).partition("\n")
        plain = problem(str(row["code"]), unit="X").fix(lang)
        # the check names it (B, C, D: 000 or 012 of their group, within 30 minutes)
        assert {"zh": "本院落外最近的院落长候选人", "en": "the nearest head candidate outside"}[lang] in first, first
        out.append([str(row["unit_id"]), str(row["code"]), first + "|" + (fix.strip() if plain not in fix else "")])
    return sorted(out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_says_the_areas_fix_as_the_check_does(lang: Lang, tmp_path: Path) -> None:
    hh, g = chain(group=["一组"] * 12 + ["二组"] * 12, head_candidate=[i in (0, 12) for i in range(24)])
    labels = pd.Series(list("AAABBBCCCDDDEEEFFFGGGHHH"), index=hh.index.astype(str), dtype="string")
    page = tmp_path / f"head-{lang}.html"
    page.write_text(render_editor(editor_payload({"households": hh}, labels, RULES, g, graph_kind="straight",
                                                 lang=lang)), encoding="utf-8")
    fix = {"zh": "处理办法：所在连通片区共 12 户，有 3 个院落（B、C、D）没有院落长候选人；",
           "en": "Fix: its connected area of 12 households has 3 units without a candidate head (B, C, D);"}[lang]
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        said = sorted(p.evaluate(SAID))
        csv = p.evaluate("() => window.yuanluo.editor.exportCsv()")
        assert said == _check(hh, g, csv, tmp_path, lang)
        assert [u for u, _, s in said if fix in s] == ["B", "C", "D"], said
        # the unit's card and the list of findings say it under the sentence
        p.evaluate("() => { const b = [...document.querySelectorAll('.yl-ed-v')].find(x => /\\bB\\b/"
                   ".test(x.textContent)); b.click(); }")
        p.wait_for_timeout(200)
        card = p.evaluate("() => document.querySelector('.yl-ed-said').innerText")
        p.screenshot(path=str(tmp_path / f"head-{lang}.png"), full_page=True)
        assert fix in card, card
        # D merged into C (C then too large): 2 lacking where 2 may, HEAD-EXCEPTION, no area fix, as the check says
        p.evaluate("() => { const E = window.yuanluo.editor; E.assign(E.members('D'), 'C'); }")
        said = sorted(p.evaluate(SAID))
        csv = p.evaluate("() => window.yuanluo.editor.exportCsv()")
        assert said == _check(hh, g, csv, tmp_path, lang)
        assert {(u, c) for u, c, _ in said if u in "BC"} == {("B", "HEAD-EXCEPTION"), ("C", "HEAD-EXCEPTION")}
        assert not errors, errors
