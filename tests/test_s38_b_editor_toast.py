"""Session 38, task B3: the editor's reply to 设为议事点 no longer sits over the search box.

On a phone (390 x 844) with the side panel scrolled so that 设为议事点 (Set as meeting point) shows at its foot, a
tap set the meeting point, the page rebuilt the card and the findings (emptied for a moment), the panel jumped
back near its top, and the reply, shown at the panel's visible top because the message line had been out of sight,
sat for 6 s over the search box (and said again what the line now in sight said). The panel now keeps its scroll
through the rebuild, and the reply is a map control at the foot of the map, above the data credit: over no button,
field or line of the panel; a tap on it (or its ×) or anywhere else puts it away.

Fixture: the bundled sample under an 8-minute walking limit (editor_fixtures.sample_walk_case), whose page can set
meeting points; the fourth unit's second household selected by the search.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_walk_case

from yuanluo.gis.catalogue import text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "window.yuanluo && window.yuanluo.editorUi"

#: a household selected and the panel scrolled (as a finger drag ends) so that 设为议事点 shows at the panel's foot
#: and the message line is out of sight above
SCROLLED = """(k) => new Promise(function(res) {
  var Y = window.yuanluo, E = Y.editor, P = Y.editorPage, u = E.units()[3], hid = E.members(u)[k];
  Y.editorUi.search(hid);
  requestAnimationFrame(function() { requestAnimationFrame(function() {
    var side = document.querySelector('.yl-ed-side'), b = Array.prototype.filter.call(
      document.querySelectorAll('.yl-ed-acts .yl-btn'), function(x) { return x.textContent === P.D.t['btn.set_meeting']; })[0];
    var s = side.getBoundingClientRect(), i = document.querySelector('.yl-ed-info').getBoundingClientRect();
    // the button at the panel's foot (a phone), or at least the line out of sight (a wide screen)
    side.scrollTop += Math.max(b.getBoundingClientRect().bottom - s.bottom + 8, i.bottom - s.top + 1);
    i = document.querySelector('.yl-ed-info').getBoundingClientRect();
    res({scroll: side.scrollTop, infoHidden: i.bottom <= s.top, hid: hid, unit: u});
  }); });
})"""
#: the reply's box, and every visible control or line of the side panel (the search box among them) it overlaps
OVER = """() => {
  var t = document.querySelector('.yl-ed-toast'), r = t.getBoundingClientRect(), side = document.querySelector('.yl-ed-side'),
      s = side.getBoundingClientRect(), hit = [];
  if (getComputedStyle(t).display === 'none' || !r.width) return {shown: false, over: []};
  document.querySelectorAll('.yl-ed-side input, .yl-ed-side button, .yl-ed-side select, .yl-ed-find, .yl-ed-info').forEach(function(e) {
    var q = e.getBoundingClientRect(), top = Math.max(q.top, s.top), bottom = Math.min(q.bottom, s.bottom);
    if (!q.width || bottom <= top) return;  // not in sight
    if (q.left < r.right && r.left < q.right && top < r.bottom && r.top < bottom) hit.push(e.className || e.tagName);
  });
  return {shown: true, over: hit, text: t.textContent, scroll: side.scrollTop};
}"""


def _page(tmp: Path) -> Path:
    case = sample_walk_case()
    page = tmp / "editor-zh.html"
    payload = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                             meeting_points=case.meet, lang="zh")
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_the_reply_to_set_meeting_point_covers_no_control_and_goes_at_a_tap(tmp_path: Path, size) -> None:
    """After 设为议事点 low in the scrolled panel: the panel stays where it was (the button under the finger), the
    reply is in sight over no control or line of the panel (the old page: over the search box, the panel jumped
    back 180 px),
    and a tap on the panel, or on the reply's ×, puts it away."""
    width, height = size
    phone = width < 900
    with live_page(_page(tmp_path), viewport=(width, height), ready=READY, touch=phone) as (page, errors):
        before = page.evaluate(SCROLLED, 1)
        assert before["infoHidden"] and before["scroll"] > 0, before
        button = page.get_by_role("button", name=text("editor.btn.set_meeting", "zh"), exact=True)
        box = button.bounding_box()
        button.tap() if phone else button.click()
        page.wait_for_timeout(100)  # the rebuild, at the next frame
        got = page.evaluate(OVER)
        said = text("editor.msg.meeting_set", "zh", hid=before["hid"], unit=before["unit"])
        assert got["shown"] and said in got["text"], got
        assert got["over"] == [], got
        # not sent back to the panel's top (the reply growing above the view, the panel keeps what is in view:
        # scroll anchoring, a line more)
        assert before["scroll"] <= got["scroll"] <= before["scroll"] + 60, (got, before)
        assert abs(button.bounding_box()["y"] - box["y"]) < 60, (button.bounding_box(), box)  # a line or two
        page.screenshot(path=str(tmp_path / f"reply-{width}.png"))
        # the next tap elsewhere (on the panel's text) puts it away; the line says it
        page.locator(".yl-ed-card table").first.click()
        assert not page.evaluate(OVER)["shown"]
        assert str(page.locator(".yl-ed-info").text_content()).startswith(said)  # then what U003 breaks
        # said again (another household) and put away by its ×, named in the page's language
        again = page.evaluate(SCROLLED, 2)
        assert again["infoHidden"], again
        button.tap() if phone else button.click()
        assert page.evaluate(OVER)["shown"]
        close = page.locator(".yl-ed-toast-x")
        assert close.get_attribute("aria-label") == text("editor.btn.close", "zh")
        close.tap() if phone else close.click()
        assert not page.evaluate(OVER)["shown"]
        assert errors == []
