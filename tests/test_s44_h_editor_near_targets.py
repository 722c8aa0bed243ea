"""Session 44, helper H: the editor's move list puts the units next to the selection first.

Audit (a town official on a phone moving a household into the unit next door): the toolbar's list of units to
move to (移入) held every unit by its id, (新院落) and (不归属院落) first. In a town of 335 units (helper G's
10,000-household town of session 43) the neighbour's unit was one of 335 names in a phone's picker, and to know
which, the official had to tap a household of it first and remember its id. The list now opens, after those two,
with the units the selection touches in the graph (相邻的院落 / Neighbouring units: most such neighbours first), then
the others (其他院落 / Other units).

Fixture: tests/editor_fixtures.synth_case (300 households, 40 units) at 390 x 844 with touch.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import synth_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
LIST = """() => Array.from(document.querySelector('.yl-ed-bar select.yl-ed-target').children).map(c =>
  c.tagName === 'OPTGROUP' ? [c.label, Array.from(c.children).map(o => o.value)] : [null, [c.value]])"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_units_next_to_a_household_head_the_move_list(lang: Lang, tmp_path: Path) -> None:
    case = synth_case()
    g, lab = case.graph, case.labels.reindex([str(x) for x in case.graph.ids])
    units = lab.to_numpy()
    # a household on a unit's edge, touching two other units: the expected head of the list, from the graph
    nb: dict[int, list[int]] = {}
    for a, b in zip(g.u.tolist(), g.v.tolist(), strict=True):
        nb.setdefault(a, []).append(b)
        nb.setdefault(b, []).append(a)
    h, near = next((h, c) for h in range(len(units)) if isinstance(units[h], str)
                   for c in [Counter(units[x] for x in nb.get(h, []) if isinstance(units[x], str) and units[x] != units[h])]
                   if len(c) >= 2)
    want = sorted(near, key=lambda u: (-near[u], u))
    hid = str(g.ids[h])
    page = tmp_path / f"e-{lang}.html"
    page.write_text(render_editor(editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                                                 meeting_points=case.meet, lang=lang)), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        before = p.evaluate(LIST)
        assert all(label is None for label, _ in before), before  # nothing selected: every unit by its id, as before
        p.evaluate("(h) => window.yuanluo.editorUi.search(h)", hid)
        p.wait_for_timeout(200)
        got = p.evaluate(LIST)
        assert [v for _, vs in got[:2] for v in vs] == ["\u0000new", "\u0000none"], got
        assert got[2] == [text("editor.opt.near", lang), want], (got[2], want)
        rest = got[3]
        assert rest[0] == text("editor.opt.all", lang)
        assert sorted(rest[1]) == sorted(set(lab.dropna()) - set(want)), rest  # each unit once
        # moved to the first neighbour with two taps and the Move button
        p.select_option(".yl-ed-bar select.yl-ed-target", want[0])
        p.get_by_role("button", name=text("editor.btn.move", lang), exact=True).tap()
        p.wait_for_timeout(100)
        assert p.evaluate("(h) => window.yuanluo.editor.unitOf(h)", hid) == want[0]
        p.screenshot(path=str(tmp_path / f"near-{lang}.png"))
        assert not errors, errors
