"""Session 44 (lead): the editor lists its findings' units in the check's order.

21fc103 made check list units as a planner reads them (gis.plan.unit_sort_key: U2 before U10, 二组二院落 before
二组十院落); the editor's findings list still sorted them by code point (helper E's note). The page's comparator
(``window.yuanluo.editor.unitOrder``) orders names as unit_sort_key does, and the findings list follows it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import synth_case

from yuanluo.gis.plan import unit_sort_key
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
NAMES = ["二组十院落", "U10", "二组二院落", "一组十二院落", "U2", "二组一院落", "东院", "U1", "u1", "第一百零五院落",
         "第二〇五院落", "三组", "三组两院落", "U010", "U0010", "12院落", "2院落"]


def test_unit_order_is_the_checks(tmp_path: Path) -> None:
    case = synth_case()
    lab = case.labels.copy()
    # the units renamed so that code-point order and the check's order differ: U1, U2, …, U10, …
    old = sorted(set(lab.dropna()))
    new = {u: f"U{k + 1}" for k, u in enumerate(old)}
    lab = lab.map(lambda u: new.get(u, u))
    page = tmp_path / "e.html"
    page.write_text(render_editor(editor_payload(case.layers, lab, case.rules, case.graph, graph_kind=case.kind,
                                                 lang="en")), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        got = p.evaluate("(names) => names.slice().sort(window.yuanluo.editor.unitOrder)", NAMES)
        assert got == sorted(NAMES, key=unit_sort_key), got
        found = p.evaluate("() => window.yuanluo.editor.violations().filter(v => v.severity === 'error' && v.unit)"
                           ".map(v => v.unit)")
        assert not errors, errors
    units = list(dict.fromkeys(found))
    assert len(units) >= 3, units
    assert units == sorted(units, key=unit_sort_key), units
    assert units != sorted(units), units  # code-point order is another order here (U10 before U2)

