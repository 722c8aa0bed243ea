"""Session 41, helper C: the editor silently ignored the autosave of another plan of the same households.

The editor keeps its autosave in the browser under the fingerprint of the plan the page opened with (session 39), so
a page made again after a repair, another delineation or an update of Yuanluo (another fingerprint, or a key of an
older form) never showed the edits saved by the page before: a planner's afternoon of moves looked lost. The page
now offers each such autosave in a box of its own, saying that it is of another version of the plan, when it was
saved and how many households it puts in other units; it is used only when restored (then it replaces the plan and
becomes this plan's autosave), and removed when discarded (since session 42 hidden on this page only, left for the
other plan's page: test_s42_e_autosave_hide). The page's own autosave is offered as before (the box
``.yl-ed-restore``), now also with its time and count.

Fixture: the bundled sample in units of 30 (plan A) and the same plan with two households swapped (plan B), two
pages in one browser profile, as on a phone, at 390 × 844.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.gis.catalogue import text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "window.yuanluo && window.yuanluo.editorUi"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BOXES = "() => Array.from(document.querySelectorAll('.yl-ed-others')).map(b => b.innerText)"
OWN = "() => { const o = document.querySelector('.yl-ed-restore'); return o ? o.innerText : null; }"


def _pages(tmp: Path, lang: str) -> tuple[Path, Path, int, str, str]:
    """Pages of plans A and B, how many households A with its first household moved puts in other units than B,
    that household and the unit it is moved to."""
    case = sample_case()
    a = case.labels.copy()
    units = sorted(a.dropna().unique())
    h0, h1 = a.index[a == units[0]][0], a.index[a == units[1]][0]
    b = a.copy()
    b[h0], b[h1] = units[1], units[0]
    edited = a.copy()
    moved = sorted(edited.index[edited == units[0]])[0]
    edited[moved] = units[2]
    differ = int((edited.fillna("") != b.fillna("")).sum())
    paths = []
    for name, labels in (("a", a), ("b", b)):
        payload = editor_payload(case.layers, labels, case.rules, case.graph, graph_kind=case.kind, lang=lang)
        page = tmp / f"plan-{name}-{lang}.html"
        page.write_text(render_editor(payload), encoding="utf-8")
        paths.append(page)
    return paths[0], paths[1], differ, str(moved), str(units[2])


def _open(page: Any, path: Path) -> None:
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(READY)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_another_plans_autosave_is_offered_and_used_only_when_restored(tmp_path: Path, lang: str) -> None:
    page_a, page_b, differ, hid, unit = _pages(tmp_path, lang)
    with live_page(page_a, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        page.evaluate("([h, u]) => window.yuanluo.editor.assign(h, u)", [hid, unit])
        page.wait_for_timeout(1200)  # the autosave, 0.8 s after the edit
        today = page.evaluate("() => { const d = new Date(); return d.getFullYear() + '-' + "
                              "String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }")
        _open(page, page_b)
        boxes = page.evaluate(BOXES)
        before = page.evaluate("(h) => window.yuanluo.editor.unitOf(h)", hid)
        page.screenshot(path=str(SHOTS / f"s41_c_autosave_other_{lang}.png"))
        # restored: plan A's edits replace plan B, and the autosave is B's from now on
        page.locator(".yl-ed-others button").first.tap()
        after = page.evaluate("(h) => window.yuanluo.editor.unitOf(h)", hid)
        said = page.evaluate("() => document.querySelector('.yl-ed-info').textContent")
        page.wait_for_timeout(1200)
        _open(page, page_b)
        again = (page.evaluate(BOXES), page.evaluate(OWN), page.evaluate("(h) => window.yuanluo.editor.unitOf(h)", hid))
        assert not errors, errors
    # the old page: no box at all, plan A's edits never shown (they were there, under plan A's key)
    assert len(boxes) == 1, boxes
    assert text("editor.msg.restore_other", lang) in boxes[0]
    assert today in boxes[0] and f" {differ} " in boxes[0], boxes[0]
    assert before != unit  # nothing applied before the planner chose
    assert after == unit and said.startswith(text("editor.msg.restored_other", lang)[:6]), said
    # opened again: A's autosave was taken over; B's own now holds the restored plan, offered as B's (with its time
    # and count), the page opening with plan B as ever
    assert again[0] == [] and again[2] != unit, again
    assert again[1] and today in again[1] and f" {differ} " in again[1], again


def test_an_autosave_of_an_older_page_is_offered_undated_and_can_be_discarded(tmp_path: Path) -> None:
    page_a, page_b, _, hid, unit = _pages(tmp_path, "zh")
    with live_page(page_b, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        # an autosave as a page of session 38 kept it: under the number of units, with no time beside it
        page.evaluate("""([h, u]) => { const P = window.yuanluo.editorPage, E = window.yuanluo.editor;
          const key = P.storageKey.slice(0, P.storageKey.length - P.D.plan.length) + P.D.hh.units.length;
          E.assign(h, u); localStorage.setItem(key, E.exportCsv()); E.undo(); }""",
                      [hid, unit])
        page.wait_for_timeout(1200)
        _open(page, page_b)
        boxes = page.evaluate(BOXES)
        page.locator(".yl-ed-others button").nth(1).tap()  # 在本页隐藏 (hidden on this page)
        left = page.evaluate(BOXES)
        _open(page, page_b)
        after = (page.evaluate(BOXES), page.evaluate("(h) => window.yuanluo.editor.unitOf(h)", hid))
        assert not errors, errors
    assert len(boxes) == 1 and text("editor.msg.saved_unknown", "zh") in boxes[0], boxes
    assert "1 户" in boxes[0], boxes[0]
    assert left == [] and after[0] == [] and after[1] != unit, after
