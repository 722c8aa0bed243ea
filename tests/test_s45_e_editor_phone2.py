"""Session 45, helper E (second task): what the phone audit of the editor left (the demo's Andorra parish at 390 x 844
and 360 x 640, touch, zh and en; screenshots in /tmp/s45/e/shots/).

- After 撤销 / Undo (and 重做 / Redo) the message line was empty: nothing said what came back. It says what was
  undone (redone), as the action itself was said: 已撤销：1 户移入 U026。 / Undone: 1 household moved to U026.
- At 360 px the toolbar wrapped to three rows, 载入方案 alone on the last: two rows now, every control 44 px or more.
- At 360 x 640 the data credit, two lines, covered the households at the foot of a framed unit (a fixed margin of
  36 px): the first view, a unit found or its finding tapped, a village found are framed clear of every control,
  the stamp and the credit (Y.clearPadding, as the field map frames).
- LOCK-VALUE named its units by code point (U10 before U2) in gis/lock.py and in the page's 载入方案 note: in the
  order a planner reads them (gis.plan.unit_sort_key; E.unitOrder) in both.

Fixture: the bundled sample under an 8-minute walking limit (editor_fixtures.sample_walk_case), a credit as long as
OpenStreetMap's and the DEM's (two lines at 360 px).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_walk_case

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.lock import read_lock_column
from yuanluo.maps.editor import editor_payload, render_editor

no_browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)"
#: a county's credit beside them: three lines at 360 px (the most the credit shows before it scrolls)
LONG_CREDIT = CREDIT + "; 户籍与坐标：某某县自然资源局第三次全国国土调查成果（2024 年）"


def _page(tmp: Path, lang: Lang, labels=None, credit: str = CREDIT) -> Path:  # type: ignore[no-untyped-def]
    case = sample_walk_case()
    page = tmp / f"e-{lang}.html"
    page.write_text(render_editor(editor_payload(case.layers, case.labels if labels is None else labels, case.rules,
                                                 case.graph, graph_kind=case.kind, meeting_points=case.meet, lang=lang,
                                                 credit=credit)), encoding="utf-8")
    return page


INFO = "() => document.querySelector('.yl-ed-info').textContent"


@pytest.mark.browser
@no_browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_undo_and_redo_say_what_they_undid(lang: Lang, tmp_path: Path) -> None:
    """A household moved by the toolbar, then 撤销, 重做; a unit locked, then 撤销: each says what came back."""
    with live_page(_page(tmp_path, lang), viewport=(360, 640), ready=READY, touch=True) as (p, errors):
        hid, to = p.evaluate("""() => { var E = window.yuanluo.editor, us = E.units(), h = E.members(us[3])[0];
          window.yuanluo.editorUi.search(h); return [h, us[5]]; }""")
        p.select_option(".yl-ed-bar select.yl-ed-target", to)
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.move", lang)).tap()
        moved = p.evaluate(INFO)
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.undo", lang)).tap()
        undone = p.evaluate(INFO)
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.redo", lang)).tap()
        redone = p.evaluate(INFO)
        unit = p.evaluate("() => { var E = window.yuanluo.editor, u = E.units()[1]; E.lock(u); return u; }")
        p.locator(".yl-ed-bar button", has_text=text("editor.btn.undo", lang)).tap()
        unlocked = p.evaluate(INFO)
        locked_now = p.evaluate("(u) => window.yuanluo.editor.locked().indexOf(u) >= 0", unit)
        assert not errors, errors
    # each reply, then what the units it changed break (test_s50_p_editor_verdict)
    assert hid and moved.startswith(text("editor.msg.moved", lang, n=1, unit=to)), moved
    what = text("editor.did.move", lang, n=1, unit=to)
    assert undone.startswith(text("editor.msg.undone", lang, what=what)), undone
    assert redone.startswith(text("editor.msg.redone", lang, what=what)), redone
    assert not locked_now
    assert unlocked == text("editor.msg.undone", lang, what=text("editor.did.lock", lang, unit=unit)), unlocked
    if lang == "zh":
        assert undone.startswith(f"已撤销：1 户移入 {to}。"), undone
    else:
        assert undone.startswith(f"Undone: 1 household moved to {to}."), undone


BAR = """() => { var out = [];
  document.querySelectorAll('.yl-ed-bar > *').forEach(function(x) {
    var r = x.getBoundingClientRect(); if (!r.width) return;
    out.push([x.textContent.slice(0, 12), Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)]);
  });
  return {items: out, width: document.documentElement.clientWidth}; }"""


@pytest.mark.browser
@no_browser
@pytest.mark.parametrize("lang,size", [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844)), ("en", (390, 844))])
def test_the_toolbar_takes_two_rows_on_a_phone(lang: Lang, size: tuple[int, int], tmp_path: Path) -> None:
    """At 360 px the toolbar wrapped to three rows, 载入方案 alone on the last: two now, no control under 44 px."""
    with live_page(_page(tmp_path, lang), viewport=size, ready=READY, touch=True) as (p, errors):
        b = p.evaluate(BAR)
        p.evaluate("() => window.yuanluo.editorUi.search(window.yuanluo.editor.units()[3])")  # a long unit name chosen
        after = p.evaluate(BAR)
        assert not errors, errors
    for bar in (b, after):
        rows = sorted({it[2] for it in bar["items"]})
        assert len(rows) <= 2, bar
        for _, left, top, right, bottom in bar["items"]:
            assert right - left >= 44 and bottom - top >= 44, bar
            assert left >= 0 and right <= bar["width"], bar


# every household framed, on the map and under no control, stamp or credit (boxes in the map's pixels)
UNDER = """(hs) => { var U = window.yuanluo.editorUi, P = window.yuanluo.editorPage, m = U.map, size = m.getSize();
  var box = m.getContainer().getBoundingClientRect(), covers = [];
  document.querySelectorAll('.leaflet-control, .yl-ed-stamp').forEach(function(e) {
    var r = e.getBoundingClientRect(); if (r.width && r.height)
      covers.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top, e.className]); });
  var bad = [];
  hs.forEach(function(h) { var c = m.latLngToContainerPoint([P.lat[h], P.lon[h]]);
    if (c.x < 0 || c.y < 0 || c.x > size.x || c.y > size.y) { bad.push([P.ids[h], 'off']); return; }
    covers.forEach(function(k) { if (c.x >= k[0] - 3 && c.x <= k[2] + 3 && c.y >= k[1] - 3 && c.y <= k[3] + 3)
      bad.push([P.ids[h], k[4]]); }); });
  return bad; }"""
UNIT_HS = "(u) => window.yuanluo.editor.members(u).map(h => window.yuanluo.editorPage.idx.get(h))"


@pytest.mark.browser
@no_browser
@pytest.mark.parametrize("lang,size,credit", [("zh", (360, 640), CREDIT), ("en", (360, 640), CREDIT),
                                              ("zh", (390, 844), CREDIT), ("zh", (360, 640), LONG_CREDIT),
                                              ("en", (360, 640), LONG_CREDIT)],
                         ids=["zh-360", "en-360", "zh-390", "zh-360-long", "en-360-long"])
def test_framed_households_are_clear_of_the_credit_and_the_buttons(lang: Lang, size: tuple[int, int], credit: str,
                                                                   tmp_path: Path) -> None:
    """The first view, each unit found, the first findings tapped: every household framed on the map and under no
    control, the stamp or the credit (a fixed 36 px at the foot left them under a credit of three lines)."""
    with live_page(_page(tmp_path, lang, credit=credit), viewport=size, ready=READY, touch=True) as (p, errors):
        credit = p.evaluate("() => document.querySelector('.leaflet-control-attribution').getBoundingClientRect().height")
        bad = {"first view": p.evaluate(UNDER, list(range(p.evaluate("() => window.yuanluo.editorPage.n"))))}
        for u in p.evaluate("() => window.yuanluo.editor.units()"):
            p.evaluate("(u) => window.yuanluo.editorUi.search(u)", u)
            bad[u] = p.evaluate(UNDER, p.evaluate(UNIT_HS, u))
        for k, v in enumerate(p.evaluate("() => window.yuanluo.editor.violations().filter(v => v.unit !== null)")[:5]):
            p.evaluate("(k) => window.yuanluo.editorUi.frame(window.yuanluo.editor.violations().filter(v => v.unit !== null)[k])", k)
            bad[f"finding {v['unit']}"] = p.evaluate(UNDER, p.evaluate(UNIT_HS, v["unit"]))
        p.screenshot(path=str(tmp_path / "framed.png"))
        assert not errors, errors
    assert credit > 10, credit  # the credit is there: two or three lines at 360 px; one at 390 px where the fonts allow (a clean machine without system fonts)
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, bad


def _lock_plan(tmp: Path) -> tuple[Path, list[str]]:
    """A plan whose units are U1 … U16 (the sample's renamed) with a lock cell '也许' in U10 and U2."""
    case = sample_walk_case()
    old = sorted(set(case.labels.dropna()))
    new = {u: f"U{k + 1}" for k, u in enumerate(old)}
    lab = case.labels.map(lambda u: new.get(u, u))
    rows = ["户编号,院落编号,锁定"]
    for h, u in lab.dropna().items():
        rows.append(f"{h},{u},{'也许' if u in ('U10', 'U2') else ''}")
    plan = tmp / "locks.csv"
    plan.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return plan, ["U2", "U10"]


def test_lock_value_names_its_units_in_the_planners_order(tmp_path: Path) -> None:
    plan, want = _lock_plan(tmp_path)
    _, probs = read_lock_column(plan)
    assert [q.params["units"] for q in probs if q.code == "LOCK-VALUE"] == [want], probs


@pytest.mark.browser
@no_browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pages_load_names_lock_value_units_in_the_planners_order(lang: Lang, tmp_path: Path) -> None:
    plan, want = _lock_plan(tmp_path)
    units = text("list.sep", lang).join(want)
    with live_page(_page(tmp_path, lang), viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        notes = p.evaluate("(t) => window.yuanluo.editor.loadCsv(t, null, 'locks.csv').notes", plan.read_text("utf-8"))
        assert not errors, errors
    said = [s for s in notes if text("list.sep", lang).join(reversed(want)) in s or units in s]
    assert len(said) == 1 and units in said[0], notes

