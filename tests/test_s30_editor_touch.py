"""The plan editor on a phone (audit X): an edit made just before the page is reloaded, hidden or closed is autosaved
at once (the autosave waited 0.8 s and was lost with the page); the reply to a tap low in a scrolled side panel is
shown at the panel's visible top (it was written at the top of the panel, out of sight); restoring the autosave
says what came back (it said nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import EditorCase, sample_case, sample_walk_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

READY = "window.yuanluo && window.yuanluo.editorUi"


def _page(case: EditorCase, tmp: Path, lang: Lang) -> Path:
    page = tmp / f"{case.name}-{lang}.html"
    payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                             meeting_points=case.meet, lang=lang)
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _reload(page: Any) -> None:
    page.reload(wait_until="load")
    page.wait_for_function(READY)


#: one household taken out of its unit (as 移出 does), no wait after it
EDIT = """() => { var E = window.yuanluo.editor, h = E.households().filter(function(x) { return E.unitOf(x) !== null; })[0];
  return E.assign([h], null); }"""
SAVED = "() => window.localStorage.getItem(window.yuanluo.editorPage.storageKey)"
EXPORT = "() => window.yuanluo.editor.exportCsv()"


def test_an_edit_just_before_a_reload_or_hiding_is_autosaved(tmp_path: Path) -> None:
    page_path = _page(sample_case(), tmp_path, "zh")
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True, scale=3) as (page, errors):
        original = page.evaluate(EXPORT)
        assert page.evaluate(EDIT)
        edited = page.evaluate(EXPORT)
        _reload(page)  # at once: the page is left (pagehide) with its save still waiting
        assert page.locator(".yl-ed-restore").count() == 1, "no restore offer after a reload right after an edit"
        assert page.evaluate(SAVED) == edited
        page.get_by_role("button", name=text("editor.btn.discard_autosave", "zh")).tap()
        assert page.evaluate(EXPORT) == original
        # hidden (another app, the screen locked): the waiting save is written at once
        assert page.evaluate(EDIT)
        edited = page.evaluate(EXPORT)
        assert page.evaluate(SAVED) != edited
        page.evaluate("""() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
                                 document.dispatchEvent(new Event('visibilitychange')); }""")
        assert page.evaluate(SAVED) == edited
        assert errors == []


#: a locked unit's household selected and the panel scrolled (by script, as a finger drag ends) so that its
#: 设为议事点 button shows at the panel's bottom and the panel's message line is out of sight above
LOCKED = """() => new Promise(function(res) {
  var Y = window.yuanluo, E = Y.editor, P = Y.editorPage, u = E.units()[3], hid = E.members(u)[1];
  E.lock(u); Y.editorUi.search(hid);
  requestAnimationFrame(function() { requestAnimationFrame(function() {
    var side = document.querySelector('.yl-ed-side'), b = Array.prototype.filter.call(
      document.querySelectorAll('.yl-ed-acts .yl-btn'), function(x) { return x.textContent === P.D.t['btn.set_meeting']; })[0];
    side.scrollTop += b.getBoundingClientRect().bottom - side.getBoundingClientRect().bottom + 8;
    var s = side.getBoundingClientRect(), i = document.querySelector('.yl-ed-info').getBoundingClientRect();
    // (above the panel's top, or under the toolbar standing there: a phone's card of a unit not ok, s59 U)
    var bar = document.querySelector('.yl-ed-bar'), top = getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : s.top;
    res({scroll: side.scrollTop, infoHidden: i.bottom <= top, unit: u});
  }); });
})"""
#: where the reply is: a visible element saying it, inside the panel's visible part or (the reply to a tap, since
#: session 38) the map's, and not covered
SHOWN = """(msg) => {
  var side = document.querySelector('.yl-ed-side'), out = [];
  document.querySelectorAll('.yl-ed-side *, .yl-ed-map *').forEach(function(e) {
    if (e.children.length || e.textContent !== msg) return;
    var r = e.getBoundingClientRect(), s = (side.contains(e) ? side : document.querySelector('.yl-ed-map')).getBoundingClientRect();
    if (!r.width || !r.height || r.top < s.top - 1 || r.bottom > s.bottom + 1) return;
    var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit === e || e.contains(hit)) out.push(e.className);
  });
  return {shown: out, scroll: side.scrollTop};
}"""


def test_the_reply_to_a_tap_low_in_the_panel_is_in_sight(tmp_path: Path) -> None:
    page_path = _page(sample_walk_case(), tmp_path, "en")
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True, scale=3) as (page, errors):
        before = page.evaluate(LOCKED)
        msg = text("editor.msg.locked", "en", unit=before["unit"])
        assert before["infoHidden"] and before["scroll"] > 0, before
        button = page.get_by_role("button", name=text("editor.btn.set_meeting", "en"))
        box_before = button.bounding_box()
        button.tap()
        got = page.evaluate(SHOWN, msg)
        assert got["shown"], f"the refusal is not in sight: {got}"
        # nothing jumped: the panel's scroll and the button stay where they were
        assert got["scroll"] == before["scroll"] and button.bounding_box() == box_before
        page.screenshot(path=str(tmp_path / "locked-reply.png"))
        # a tap on the reply puts it away; the panel's line keeps it
        page.locator(".yl-ed-toast").tap()
        assert page.evaluate(SHOWN, msg)["shown"] == []
        assert page.locator(".yl-ed-info").text_content() == msg
        assert errors == []


def test_restoring_the_autosave_says_what_came_back(tmp_path: Path) -> None:
    page_path = _page(sample_case(), tmp_path, "zh")
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True, scale=3) as (page, errors):
        assert page.evaluate(EDIT)
        page.evaluate("() => { var E = window.yuanluo.editor; E.lock(E.units()[0]); }")
        page.wait_for_function(f"() => ({SAVED})() === ({EXPORT})()", timeout=5000)  # the autosave after 0.8 s
        edited = page.evaluate(EXPORT)
        _reload(page)
        # the intro, pushed below the fold by the offer, is no reply to a tap: no toast over the offer
        assert not page.locator(".yl-ed-toast").is_visible()
        page.get_by_role("button", name=text("editor.btn.restore", "zh")).tap()
        assert page.evaluate(EXPORT) == edited
        assert page.locator(".yl-ed-restore").count() == 0
        assert page.locator(".yl-ed-info").text_content() == text("editor.msg.restored", "zh", moved=1, units=1)
        assert errors == []
