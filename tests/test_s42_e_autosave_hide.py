"""Hiding (or restoring) the autosave of another plan on one editor page leaves it for that plan's own page.

faa1950 offered, on the page of plan B, the autosave a page of plan A of the same households had left, with
放弃这份 / 'Discard this one': that removed A's autosave from the device, so the page of plan A, opened again, no
longer offered the afternoon of edits made on it; restoring it on B's page removed it the same way. Now either
choice is remembered for plan B's page only (its key + ':handled', with the time of the save handled): B's page
stops offering it, A's page still offers it as its own autosave, and a newer save of A is offered on B's page again.
The button says 在本页隐藏 / 'Hide on this page', and the box says what it does.

Fixture: the bundled sample in units of 30 (plan A) and the same plan with two households swapped (plan B), both
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
UNIT = "(h) => window.yuanluo.editor.unitOf(h)"


def _pages(tmp: Path, lang: str) -> tuple[Path, Path, str, str]:
    """Pages of plans A and B, a household of A's first unit and a unit to move it to."""
    case = sample_case()
    a = case.labels.copy()
    units = sorted(a.dropna().unique())
    h0, h1 = a.index[a == units[0]][0], a.index[a == units[1]][0]
    b = a.copy()
    b[h0], b[h1] = units[1], units[0]
    paths = []
    for name, labels in (("a", a), ("b", b)):
        payload = editor_payload(case.layers, labels, case.rules, case.graph, graph_kind=case.kind, lang=lang)
        page = tmp / f"plan-{name}-{lang}.html"
        page.write_text(render_editor(payload), encoding="utf-8")
        paths.append(page)
    moved = sorted(a.index[a == units[0]])[0]
    return paths[0], paths[1], str(moved), str(units[2])


def _open(page: Any, path: Path) -> None:
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(READY)


def _edit_a(page: Any, hid: str, unit: str) -> None:
    page.evaluate("([h, u]) => window.yuanluo.editor.assign(h, u)", [hid, unit])
    page.wait_for_timeout(1200)  # the autosave, 0.8 s after the edit


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hiding_another_plans_autosave_keeps_it_for_that_plan(tmp_path: Path, lang: str) -> None:
    page_a, page_b, hid, unit = _pages(tmp_path, lang)
    with live_page(page_a, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        _edit_a(page, hid, unit)
        _open(page, page_b)
        boxes = page.evaluate(BOXES)
        button = page.locator(".yl-ed-others button").nth(1)
        label = button.inner_text()
        page.screenshot(path=str(SHOTS / f"s42_e_autosave_hide_{lang}.png"))
        button.tap()
        hidden = page.evaluate(BOXES)
        _open(page, page_b)
        b_again = (page.evaluate(BOXES), page.evaluate(UNIT, hid))
        _open(page, page_a)  # plan A's own page: its autosave still there, offered as its own
        a_own = page.evaluate(OWN)
        # the old page removed A's autosave from the device: A's page opened with no offer
        assert a_own is not None and text("editor.msg.restore_offer", lang) in a_own, a_own
        page.locator(".yl-ed-restore button").first.tap()  # restored there: plan A's page saves it anew
        a_unit = page.evaluate(UNIT, hid)
        page.wait_for_timeout(1200)
        _open(page, page_b)
        b_newer = page.evaluate(BOXES)
        assert not errors, errors
    assert len(boxes) == 1 and text("editor.msg.restore_other", lang) in boxes[0], boxes
    assert label == text("editor.btn.discard_other", lang), label
    assert hidden == [] and b_again[0] == [] and b_again[1] != unit, b_again  # hidden on B's page, nothing applied
    assert a_unit == unit
    assert len(b_newer) == 1, b_newer  # a newer save of plan A is offered on B's page again


def test_restoring_another_plans_autosave_keeps_it_for_that_plan(tmp_path: Path) -> None:
    page_a, page_b, hid, unit = _pages(tmp_path, "zh")
    with live_page(page_a, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        _edit_a(page, hid, unit)
        _open(page, page_b)
        page.locator(".yl-ed-others button").first.tap()  # 恢复这份自动保存
        restored = page.evaluate(UNIT, hid)
        page.wait_for_timeout(1200)
        _open(page, page_b)
        b_again = page.evaluate(BOXES)
        _open(page, page_a)
        a_own = page.evaluate(OWN)
        assert not errors, errors
    assert restored == unit
    assert b_again == [], b_again  # restored on B's page: B's own autosave holds it, not offered twice
    assert a_own is not None and text("editor.msg.restore_offer", "zh") in a_own, a_own
