"""Session 45, helper E: every list of units in the editor in the order a planner reads them.

Session 44 put the findings list in the check's order (gis.plan.unit_sort_key; ``window.yuanluo.editor.unitOrder``);
every other list still sorted unit ids by code point, so that a village whose units are 1院落 … 38院落 offered them
as 10院落, 11院落, …, 19院落, 1院落, 20院落 … in the toolbar's move list (移入) and the card's merge list (合并), a
search for "1" framed 10院落, and a settlement split across 27院落, 2院落, 33院落 and 9院落 was said with its units in
that order where ``yuanluo check`` says 2院落、9院落、27院落、33院落. One comparator (E.unitOrder) orders them all
now: E.units(), E.adjacentUnits(), E.locked(), the move and merge lists, the search's first unit beginning with
what was typed, the settlement split's units and its major unit's tie, the load's PLAN-MEET-COLUMN notes (and
``yuanluo edit``'s console warnings of them), and the units the load's PLAN-DUP-ASSIGN names (as gis.plan says them
since 4161216).

Fixture: tests/editor_fixtures.synth_case (300 households, 38 units) with its units renamed 1院落 … 38院落 (zh) and
U1 … U38 (en), numbered k·7 mod 38 + 1 so that the settlements it splits span 2院落 and 27院落, at 390 x 844, touch.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import synth_case

from yuanluo.gis.catalogue import Lang, both, text
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.plan import read_plan_table, unit_sort_key
from yuanluo.maps.editor import editor_payload, render_editor
from yuanluo.planners.cli.edit import meeting_column_warnings

browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
MOVE_LIST = """() => Array.from(document.querySelector('.yl-ed-bar select.yl-ed-target').children).map(c =>
  c.tagName === 'OPTGROUP' ? [c.label, Array.from(c.children).map(o => o.value)] : [null, [c.value]])"""
MERGE_LIST = """() => Array.from(document.querySelectorAll('.yl-ed-card .yl-ed-acts select.yl-ed-target option'))
  .map(o => o.value)"""


def _renamed(lang: Lang) -> tuple[pd.Series, pd.Series]:
    """The synthetic plan and its meeting points with every unit renamed: 1院落 … 38院落 (zh), U1 … U38 (en)."""
    case = synth_case()
    old = sorted(set(case.labels.dropna()))
    name = "{}院落" if lang == "zh" else "U{}"
    new = {u: name.format(k * 7 % len(old) + 1) for k, u in enumerate(old)}
    assert len(set(new.values())) == len(old)
    lab = case.labels.map(lambda u: new.get(u, u))
    assert case.meet is not None
    meet = pd.Series(case.meet.to_numpy(), index=[new[u] for u in case.meet.index])
    return lab, meet


def _natural(xs: list[str]) -> list[str]:
    return sorted(xs, key=unit_sort_key)


@browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_list_of_units_in_the_planners_order(lang: Lang, tmp_path: Path) -> None:
    case = synth_case()
    lab, meet = _renamed(lang)
    units = _natural(sorted(set(lab.dropna())))
    assert units != sorted(units)  # code-point order is another order here (10院落 before 2院落, U10 before U2)
    res = check_plan(case.households, lab, case.rules, graph=case.graph, graph_kind=case.kind, meeting_points=meet,
                     unapplied=False)
    v = res.violations
    split = v[v["code"] == "PLAN-SETTLEMENT-SPLIT"]
    want_split = {(str(u), violation_message(row, lang, body=True).split("\n")[0])
                  for u, (_, row) in zip(split["unit_id"], split.iterrows(), strict=True)}
    assert any(list(us) != sorted(us) for us in split["units"]), split["units"].tolist()
    page = tmp_path / f"e-{lang}.html"
    page.write_text(render_editor(editor_payload(case.layers, lab, case.rules, case.graph, graph_kind=case.kind,
                                                 meeting_points=meet, lang=lang)), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        assert p.evaluate("() => window.yuanluo.editor.units()") == units
        # nothing selected: (new unit), (no unit), then every unit
        before = p.evaluate(MOVE_LIST)
        assert [v for _, vs in before[2:] for v in vs] == units, before
        # the settlement splits: said with their units as the check says them
        got_split = {(x["unit"], x["text"]) for x in p.evaluate(
            "() => window.yuanluo.editor.violations().filter(v => v.code === 'PLAN-SETTLEMENT-SPLIT')")}
        assert got_split == want_split, sorted(got_split ^ want_split)
        # a household touching two other units or more: its neighbours first (most neighbours first, ties in order)
        hid, u = p.evaluate("""() => { var E = window.yuanluo.editor, hs = E.households();
          for (var i = 0; i < hs.length; i++) { var u = E.unitOf(hs[i]); if (u === null) continue;
            var o = new Set(E.neighbours(hs[i]).map(E.unitOf).filter(x => x !== null && x !== u));
            if (o.size >= 2) return [hs[i], u]; } return null; }""")
        p.evaluate("(h) => window.yuanluo.editorUi.search(h)", hid)
        p.wait_for_timeout(200)
        got = p.evaluate(MOVE_LIST)
        near = {x for x in p.evaluate("(h) => window.yuanluo.editor.neighbours(h).map(window.yuanluo.editor.unitOf)",
                                      hid) if x is not None and x != u}
        count = {x: sum(1 for y in p.evaluate("(h) => window.yuanluo.editor.neighbours(h)"
                                               ".map(window.yuanluo.editor.unitOf)", hid) if y == x) for x in near}
        want_near = sorted(near, key=lambda x: (-count[x], unit_sort_key(x)))
        assert got[2][1] == want_near, (got[2], want_near)
        assert got[3][1] == [x for x in units if x not in near], got[3]
        # the card of its unit: the merge list, the units it touches first, then the others, each in order
        p.evaluate("(u) => window.yuanluo.editorUi.search(u)", u)
        p.wait_for_timeout(200)
        adjacent = p.evaluate("(u) => window.yuanluo.editor.adjacentUnits(u)", u)
        assert adjacent == _natural(adjacent) and len(adjacent) >= 2, adjacent
        merge = p.evaluate(MERGE_LIST)
        assert merge == adjacent + [x for x in units if x != u and x not in adjacent][:50], merge
        # locked units listed in order
        p.evaluate("(us) => us.forEach(x => window.yuanluo.editor.lock(x))", [units[11], units[1], units[9]])
        assert p.evaluate("() => window.yuanluo.editor.locked()") == [units[1], units[9], units[11]]
        # the search: the first unit whose id begins with what was typed, in order (1院落, not 10院落)
        first = "1" if lang == "zh" else "U1"
        assert p.evaluate("(q) => window.yuanluo.editor.find(q)", first) == {"kind": "unit", "id": units[0]}
        if lang == "zh":
            assert p.evaluate("(q) => window.yuanluo.editor.find(q)", "2") == {"kind": "unit", "id": "2院落"}
        assert not errors, errors


def test_the_meeting_column_warnings_of_edit_in_the_planners_order() -> None:
    """``yuanluo edit --plan``'s console: a plan's 议事点 column that names no household of 10院落 nor of 2院落 is
    warned of for 2院落 first, as ``check --plan`` lists them (it said 10院落 first)."""
    why = both("check.meeting.col.unknown", meeting="X")
    meet = pd.Series(dtype=object)
    meet.attrs = {"file": "plan.csv", "column": "议事点",
                  "lacking": {u: {"rows": [r], "why": why} for r, u in enumerate(["10院落", "2院落", "1院落"], 2)}}
    labels = pd.Series(["1院落", "2院落", "10院落"], index=["a", "b", "c"])
    got = [p.params["unit"] for p in meeting_column_warnings(meet, labels)]
    assert got == ["1院落", "2院落", "10院落"], got


@browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_household_given_two_units_is_said_as_the_command_line_says_it(lang: Lang, tmp_path: Path) -> None:
    """A plan file giving a household of 10院落 to 2院落 too: the page refuses the load with the sentence
    ``--plan`` says (gis.plan: its units 2院落、10院落 in the planner's order; the page said 10院落、2院落)."""
    case = synth_case()
    lab, _ = _renamed(lang)
    ten, two = ("10院落", "2院落") if lang == "zh" else ("U10", "U2")
    h = str(lab[lab == ten].index[0])
    plan = tmp_path / "dup.csv"
    rows = ["户编号,院落编号"] + [f"{i},{u}" for i, u in lab.dropna().items()] + [f"{h},{two}"]
    plan.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, probs = read_plan_table(plan, case.households)
    dup = [q for q in probs if q.code == "PLAN-DUP-ASSIGN"]
    title = dup[0].title(lang)
    assert len(dup) == 1 and title.index(two + ("、" if lang == "zh" else ", ")) < title.index(ten), title
    want = text("editor.msg.load_refused", lang, why=title[:1].upper() + title[1:])
    page = tmp_path / f"e-{lang}.html"
    page.write_text(render_editor(editor_payload(case.layers, lab, case.rules, case.graph, graph_kind=case.kind,
                                                 lang=lang)), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        got = p.evaluate("(t) => window.yuanluo.editor.loadCsv(t, null, 'dup.csv').refused", plan.read_text("utf-8"))
        assert not errors, errors
    assert got == want, (got, want)
