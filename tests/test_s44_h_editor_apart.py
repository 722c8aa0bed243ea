"""Session 44, helper H: the editor says the "apart" fix of a unit straddling groups as ``yuanluo check`` does.

5a7728e gave PLAN-CROSS-VILLAGE / -GROUP / -NEST a fix variant "apart" (gis.check.rule_nesting, _apart_by): a unit
whose part in each group is a piece of its own, two of them of at least half the floor, is most likely one name each
group gave its own unit (clerks number 一院落, 二院落 … within each 村民小组). The title is the plain one, so the page,
which said only the title, said nothing of it: a clerk's list loaded in the editor gave "院落 一院落 跨越了村民小组 …；少数
一方的农户 …" and no word that each group numbered its own units. The page now finds the variant as the check does and
says its fix (处理办法：… / Fix: …) under the sentence, in the card and the list of findings.

Fixture: a chain of households 100 m apart (tests/shared_fixtures.chain) in two or three groups, one unit name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import chain

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
RULES = Rules(2, 12, nest_by=("group",), require_head=False, keep_settlements=False)


def _check(hh, g, csv: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    """The check's nesting findings of a plan exported by the page: unit, sentence and fix (its lines, begun as the
    page writes them)."""
    p = tmp_path / "plan.csv"
    p.write_bytes(("\ufeff" + csv).encode("utf-8"))
    labels, probs = read_plan_table(p, hh)
    res = check_plan(hh, labels, RULES, graph=g, plan_problems=probs, unapplied=False)
    v = res.violations[res.violations["code"].str.startswith("PLAN-CROSS")]
    out = []
    for _, row in v.iterrows():
        for lang in ("zh", "en"):
            first, fix = violation_message(row, lang, body=True).split("\n")
            out.append((lang, str(row["unit_id"]), first + "|" + fix.strip()))
    return out


def _page(hh, g, labels: pd.Series, lang: Lang, tmp_path: Path) -> Path:
    page = tmp_path / f"apart-{lang}.html"
    page.write_text(render_editor(editor_payload({"households": hh}, labels, RULES, g, graph_kind="straight",
                                                 lang=lang)), encoding="utf-8")
    return page


SAID = """() => window.yuanluo.editor.violations().filter(v => v.code.startsWith('PLAN-CROSS'))
  .map(v => [v.unit, v.text + '|' + (v.fix || '')])"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_name_in_two_groups_says_the_checks_fix(lang: Lang, tmp_path: Path) -> None:
    # 000-005 一组 and 006-011 二组, all typed 一院落 (one unit the chain joins across the groups: drawn over them),
    # then 二组's typed apart: 一院落 in 一组 and in 二组, with 甲 between them; 三组's three at the end in 乙
    hh, g = chain(group=["一组"] * 6 + ["二组"] * 6 + ["三组"] * 3)
    ids = hh.index.astype(str)
    labels = pd.Series(["一院落"] * 4 + ["甲"] * 2 + ["一院落"] * 6 + ["乙"] * 3, index=ids, dtype="string")
    with live_page(_page(hh, g, labels, lang, tmp_path), viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        said = p.evaluate(SAID)
        csv = p.evaluate("() => window.yuanluo.editor.exportCsv()")
        want = [(u, s) for la, u, s in _check(hh, g, csv, tmp_path) if la == lang]
        assert sorted(map(tuple, said)) == sorted(want), (said, want)
        fix = {"zh": "处理办法：院落 一院落 在一组、二组各有一片，互不相连：多半是各组分别编号，用了同一个院落名称。",
               "en": "Fix: unit 一院落 lies in separate pieces, one in each of 一组; 二组: most likely each group"}[lang]
        assert fix in said[0][1], said
        # the list of findings and the unit's card show the fix under the sentence
        p.evaluate("() => { const b = [...document.querySelectorAll('.yl-ed-v')].find(x => /PLAN-CROSS|一院落/"
                   ".test(x.textContent)); b.click(); }")
        p.wait_for_timeout(200)
        card = p.evaluate("() => document.querySelector('.yl-ed-said').innerText")
        panel = p.evaluate("() => document.querySelector('.yl-ed-list').innerText")
        p.screenshot(path=str(tmp_path / f"apart-{lang}.png"), full_page=True)
        assert fix in card and fix in panel, (card, panel)
        # 甲 given to 一院落 (its two households are 一组's): one piece across the groups, the plain fix: none said
        p.evaluate("() => { const E = window.yuanluo.editor; E.assign(E.members('甲'), '一院落'); }")
        said = p.evaluate(SAID)
        csv = p.evaluate("() => window.yuanluo.editor.exportCsv()")
        want = [(u, s) for la, u, s in _check(hh, g, csv, tmp_path) if la == lang]
        assert said and all(s.endswith("|") for _, s in said), said
        assert [s.split("|")[0] for _, s in said] == [s.split("|")[0] for _, s in want], (said, want)
        plain = {"zh": "处理办法：院落不得跨村民小组", "en": "Fix: units must not cross villager groups"}[lang]
        assert all(plain in s for _, s in want), want
        # undone: apart again, as the check says
        p.evaluate("() => window.yuanluo.editor.undo()")
        assert fix in p.evaluate(SAID)[0][1]
        assert not errors, errors


def test_a_household_or_two_in_another_groups_unit_keeps_the_plain_fix(tmp_path: Path) -> None:
    # 二组's unit holds one household of 一组 at its far end, alone in its piece: below half the floor (2), no
    # second group of its own; the page says no fix, as the check gives the plain one
    hh, g = chain(group=["一组"] * 6 + ["二组"] * 6)
    labels = pd.Series(["甲"] * 5 + ["乙"] + ["乙"] * 6, index=hh.index.astype(str), dtype="string")
    labels.iloc[5], labels.iloc[11] = "甲", "甲"  # 乙: 006-010; 甲: 000-005 and 011 (apart, but one household)
    with live_page(_page(hh, g, labels, "zh", tmp_path), viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        said = p.evaluate(SAID)
        csv = p.evaluate("() => window.yuanluo.editor.exportCsv()")
        assert not errors, errors
    want = [(u, s) for la, u, s in _check(hh, g, csv, tmp_path) if la == "zh"]
    assert [u for u, _ in said] == ["甲"] and said[0][1].endswith("|"), said
    assert "处理办法：院落不得跨村民小组" in want[0][1], want
