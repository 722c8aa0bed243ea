"""Session 50, helper P: the reply to an edit says what the units it changed break now, in sight on a phone.

On a phone (360 x 640) the findings are below the fold: after 移入 / Move the page said only 已把 1 户移入 U006。, and a
planner saw that the move had cut U006 in two and split a settlement of U023 only by scrolling past the unit card to
the list. The reply now adds the units the edit changed with the rules each breaks, as its card's status says them
(现有违规：U006 不连片、步行超限；U023 拆分自然院落。 / "Rules now broken: U006 not contiguous, …"), and the units it
mended (U006 已无违规。 / "No rule broken now in U006."): after a move, merge, meeting point, undo and redo.

Fixture: the bundled sample cut into units (editor_fixtures.sample_case), 360 x 640, touch, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
#: a unit cut in pieces (every unit of the chunked plan is) whose households cut off from its main piece, taken out to a
#: unit of their own, leave it breaking no rule (tried, and undone); with them
PICK = """() => { var Y = window.yuanluo, E = Y.editor, P = Y.editorPage;
  var us = E.units();
  for (var i = 0; i < us.length; i++) {
    var a = us[i], cut = E.concerned(a, 'PLAN-NONCONTIG');
    if (!cut.length || P.status(a).codes.join() !== 'PLAN-NONCONTIG') continue;
    E.assign(cut, E.newUnitId());
    var clean = P.status(a).codes.length === 0;
    E.undo();
    if (clean) return {unit: a, cut: cut};
  }
  return null; }"""
#: the unit card's status row (the rules its unit breaks, as the card says them)
STATUS = """() => { var rows = document.querySelectorAll('.yl-ed-card .yl-ed-tab tr'), T = window.yuanluo.editorPage.D.t;
  for (var i = 0; i < rows.length; i++) if (rows[i].cells[0].textContent === T['card.status']) return rows[i].cells[1].textContent;
  return null; }"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    case, tmp = sample_case(), tmp_path_factory.mktemp("s50p-verdict")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = tmp / f"edit-{lang}.html"
        payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                                 meeting_points=case.meet, lang=lang)
        out[lang].write_text(render_editor(payload), encoding="utf-8")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reply_to_an_edit_names_what_its_units_break(pages: dict[str, Path], lang: Lang) -> None:
    gap = " " if lang == "en" else ""
    with live_page(pages[lang], viewport=(360, 640), ready=READY, touch=True) as (p, errors):
        x = p.evaluate(PICK)
        assert x is not None
        a, cut = x["unit"], x["cut"]
        # the households cut off from the main piece of a, selected (as a lasso does) and made a unit of their own
        p.evaluate("(hs) => window.yuanluo.editorPage.select(hs.map(function(h) { "
                   "return window.yuanluo.editorPage.idx.get(h); }), false)", cut)
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.new_unit", lang)).first.tap()
        p.wait_for_timeout(100)
        said = p.locator(".yl-ed-info").text_content()
        to = p.evaluate("(h) => window.yuanluo.editor.unitOf(h)", cut[0])  # the new unit's id
        status = p.evaluate(STATUS)  # the card of the households moved: the new unit's
        # (the card's status: "违规：" / "violation: " and the rules it breaks, s61 U; the reply names the rules)
        word = text("editor.status.codes", lang, status=text("editor.status.violation", lang), codes="")
        assert status == text("editor.status.ok", lang) or status.startswith(word), status
        bad = "" if status == text("editor.status.ok", lang) else gap + text(
            "editor.msg.now_bad", lang, list=text("editor.msg.unit_codes", lang, unit=to, codes=status[len(word):]))
        assert said == (text("editor.msg.moved", lang, n=len(cut), unit=to) + bad + gap
                        + text("editor.msg.now_ok", lang, units=a)), said
        # in sight on the phone, under the buttons tapped
        box, side = p.locator(".yl-ed-info").bounding_box(), p.locator(".yl-ed-side").bounding_box()
        assert box and side and side["y"] <= box["y"] and box["y"] + box["height"] <= side["y"] + side["height"], (box, side)
        p.screenshot(path=str(pages[lang].parent / f"verdict-{lang}.png"))
        # undone: a is in pieces again (the new unit is gone), and the reply says so
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.undo", lang)).first.tap()
        p.wait_for_timeout(100)
        undone = text("editor.msg.undone", lang, what=text("editor.did.move", lang, n=len(cut), unit=to))
        pieces = text("editor.msg.unit_codes", lang, unit=a, codes=text("editor.code.PLAN-NONCONTIG", lang))
        assert p.locator(".yl-ed-info").text_content() == undone + gap + text("editor.msg.now_bad", lang, list=pieces)
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.redo", lang)).first.tap()
        p.wait_for_timeout(100)
        redone = text("editor.msg.redone", lang, what=text("editor.did.move", lang, n=len(cut), unit=to))
        assert p.locator(".yl-ed-info").text_content() == redone + bad + gap + text("editor.msg.now_ok", lang, units=a)
        assert not errors, errors
