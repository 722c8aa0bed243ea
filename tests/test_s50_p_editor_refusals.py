"""Session 50, helper P: the plan editor says why a move did nothing, naming the locked unit.

A planner editing the Andorra sample on a phone tapped 移入 (Move) a second time after a move: the households were in
that unit already, nothing was to be moved, and the page said 院落已锁定，先解锁再修改。 / "The unit is locked; unlock
it first." with no unit locked; so did 移出 (Unassign) tapped twice. A move refused by a lock did not say which unit
was locked (a lasso over several units, or a target locked in the list). Now a move changing nothing says so
(editor.msg.already_in / already_none), a refusal names the locked units (editor.msg.locked, locked_many), and a move
of a selection partly in the target says how many changed unit. English said "1 household taken out of their units";
now "1 household unassigned.".

Fixture: the bundled sample cut into units (editor_fixtures.sample_case), 390 x 844, touch, zh and en.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
#: two units of at least three households each, their first households' ids
UNITS = """() => { var E = window.yuanluo.editor, us = E.units().filter(function(u) { return E.members(u).length >= 3; });
  return {a: us[0], b: us[1], c: us[2], ha: E.members(us[0]), hb: E.members(us[1]), hc: E.members(us[2])}; }"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    case, tmp = sample_case(), tmp_path_factory.mktemp("s50p-refuse")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = tmp / f"edit-{lang}.html"
        payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                                 meeting_points=case.meet, lang=lang)
        out[lang].write_text(render_editor(payload), encoding="utf-8")
    return out


def _find(p: Any, q: str) -> None:
    p.locator(".yl-ed-q").fill(q)
    p.locator(".yl-ed-find button").tap()


def _bar(p: Any, lang: Lang, key: str) -> str:
    p.locator(".yl-ed-bar button", has_text=text(f"editor.btn.{key}", lang)).first.tap()
    p.wait_for_timeout(50)
    return str(p.locator(".yl-ed-info").text_content())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_move_that_changes_nothing_or_is_refused_says_why(pages: dict[str, Path], lang: Lang) -> None:
    with live_page(pages[lang], viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        u = p.evaluate(UNITS)
        a, b, c = u["a"], u["b"], u["c"]
        target = p.locator(".yl-ed-bar select.yl-ed-target")
        _find(p, u["ha"][0])
        target.select_option(b)
        # the reply to a move (then what its units break: tests/test_s50_p_editor_verdict.py)
        assert _bar(p, lang, "move").startswith(text("editor.msg.moved", lang, n=1, unit=b))
        # the second tap: nothing to move, and no unit is locked (it said the unit was locked)
        assert _bar(p, lang, "move") == text("editor.msg.already_in", lang, n=1, unit=b)
        assert _bar(p, lang, "unassign").startswith(text("editor.msg.unassigned", lang, n=1))
        assert _bar(p, lang, "unassign") == text("editor.msg.already_none", lang, n=1)
        assert p.evaluate("window.yuanluo.editor.canUndo()")
        # a selection partly in the target: said with the households that changed unit
        p.evaluate(f"() => window.yuanluo.editorPage.select({u['ha'][1:3] + u['hb'][:1]}.map(function(h) {{ "
                   "return window.yuanluo.editorPage.idx.get(h); }), false)")
        target.select_option(a)
        assert _bar(p, lang, "move").startswith(text("editor.msg.moved", lang, n=1, unit=a))
        # a locked target, then a household of a locked unit: the unit named
        p.evaluate(f"() => window.yuanluo.editor.lock({b!r})")
        _find(p, u["hc"][0])
        target.select_option(b)
        assert _bar(p, lang, "move") == text("editor.msg.locked", lang, unit=b)
        _find(p, u["hb"][1])
        target.select_option(c)
        assert _bar(p, lang, "move") == text("editor.msg.locked", lang, unit=b)
        # households of two locked units taken out at once: both named, in the planner's order
        p.evaluate(f"() => window.yuanluo.editor.lock({c!r})")
        p.evaluate(f"() => window.yuanluo.editorPage.select({[u['hc'][1], u['hb'][1]]}.map(function(h) {{ "
                   "return window.yuanluo.editorPage.idx.get(h); }), false)")
        said = _bar(p, lang, "unassign")
        sep = text("editor.list.sep", lang)
        assert said == text("editor.msg.locked_many", lang, units=sep.join(sorted([b, c]))), said
        assert not errors, errors
    if lang == "en":  # one household in the singular, without "their units"
        assert text("editor.msg.unassigned", "en", n=1) == "1 household unassigned."
        assert text("editor.msg.undone", "en", what=text("editor.did.unassign", "en", n=1)) == \
            "Undone: 1 household unassigned."
