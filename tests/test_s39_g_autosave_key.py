"""Session 39, helper G (audit E): the editor kept its autosave under households + first id + last id + number of
units, so two plans of one town with as many units (a delineation and its repair) shared it: opening plan B after
editing plan A offered A's edits as 上次自动保存, and 恢复 replaced B with A. The key is now the fingerprint of the plan
the page opens with (yuanluo.maps.editor.plan_fingerprint: households, units, meeting points, locks).

Fixture: the bundled sample (editor_fixtures.sample_case) in units of 30, and the same plan with two households
swapped between the first two units (same households, same number of units): two pages in one browser profile
(the file:// pages share their storage, as on a phone).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.maps.editor import editor_payload, render_editor

READY = "window.yuanluo && window.yuanluo.editorUi"
OFFER = "() => { const o = document.querySelector('.yl-ed-restore'); return o ? o.innerText : null; }"


def _pages(tmp: Path) -> tuple[Path, Path, dict, dict]:
    case = sample_case()
    a = case.labels.copy()
    units = sorted(a.dropna().unique())
    h0, h1 = a.index[a == units[0]][0], a.index[a == units[1]][0]
    b = a.copy()
    b[h0], b[h1] = units[1], units[0]
    out = []
    for name, labels in (("a", a), ("b", b)):
        payload = editor_payload(case.layers, labels, case.rules, case.graph, graph_kind=case.kind, lang="zh")
        page = tmp / f"plan-{name}.html"
        page.write_text(render_editor(payload), encoding="utf-8")
        out += [page, payload]
    return out[0], out[2], out[1], out[3]


def test_two_plans_of_one_town_have_their_own_fingerprints(tmp_path: Path) -> None:
    _, _, pa, pb = _pages(tmp_path)
    assert len(pa["hh"]["units"]) == len(pb["hh"]["units"])  # as many units: the old key was the same
    assert pa["plan"] != pb["plan"]
    case = sample_case()
    again = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind,
                           lang="en")
    assert again["plan"] == pa["plan"]  # the same plan opened again (in either language) finds its autosave


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_plan_b_is_not_offered_plan_as_autosave(tmp_path: Path) -> None:
    page_a, page_b, _, _ = _pages(tmp_path)
    with live_page(page_a, viewport=(390, 844), ready=READY, touch=True, scale=1) as (page, errors):
        assert page.evaluate(OFFER) is None
        moved = page.evaluate("""() => { const E = window.yuanluo.editor, P = window.yuanluo.editorPage,
            us = E.units(), h = E.members(us[0])[0]; E.assign(h, us[2]); return [h, us[2]]; }""")
        page.wait_for_timeout(1200)  # the autosave, 0.8 s after the edit
        key_a = page.evaluate("() => window.yuanluo.editorPage.storageKey")
        assert page.evaluate("(k) => window.localStorage.getItem(k)", key_a)
        page.goto(page_b.resolve().as_uri(), wait_until="load")
        page.wait_for_function(READY)
        assert page.evaluate(OFFER) is None  # the old page: 本机存有上次自动保存的方案 … (plan A's edit)
        assert page.evaluate("() => window.yuanluo.editorPage.storageKey") != key_a
        assert page.evaluate("(h) => window.yuanluo.editor.unitOf(h)", moved[0]) != moved[1]
        page.screenshot(path=str(Path(__file__).resolve().parents[1] / "test-artifacts" / "s39_g_autosave_b.png"))
        page.goto(page_a.resolve().as_uri(), wait_until="load")  # plan A again: its own autosave is offered
        page.wait_for_function(READY)
        assert page.evaluate(OFFER), "plan A's own autosave is not offered"
        assert not errors, errors
