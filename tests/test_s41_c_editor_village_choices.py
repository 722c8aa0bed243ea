"""Session 41, helper C: the editor's search said 未找到 for the start of several village names.

Typing 石 in the editor of a town of 石桥村 and 石门村 said 未找到“石”… (the search found a village by its name, or the
one village whose name begins with what was typed). As the field map's search does now (helper B, ef69b35:
Y.villagesBeginning, Y.villageChoices), the editor lists the villages beginning with it below the box, 以“石”开头的村有
3 个，点选一个： / '3 villages begin with “石”; tap one:', a button per name (as text); a tap frames that village as a
search of its name does. Nothing is selected and the view stays until one is tapped.

Fixture: the bundled sample split south to north into 石桥村, a hostile name beginning with 石, 石门村 and 新华村, rules
nesting by nothing, at 390 × 844 on a touch screen, zh and en.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case

from yuanluo.gis.catalogue import text
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE = '石"><img src=x onerror=alert(1)>村'
VILLAGES = ("石桥村", HOSTILE, "石门村", "新华村")
STATE = """() => { const c = document.querySelector('.yl-ed-choices'), m = window.yuanluo.editorUi.map;
  return {shown: !c.hidden, head: c.hidden ? '' : c.querySelector('.yl-choices-head').textContent,
          names: c.hidden ? [] : Array.from(c.querySelectorAll('button')).map(b => b.textContent),
          imgs: c.querySelectorAll('img').length, note: document.querySelector('.yl-ed-info').textContent,
          sel: window.yuanluo.editorPage.selected.size, zoom: m.getZoom(), centre: m.getCenter()}; }"""


def _page(tmp: Path, lang: str) -> Path:
    case = sample_case()
    hh = case.layers["households"]
    y = hh.geometry.y.to_numpy()
    cut = np.quantile(y, [1 / 4, 2 / 4, 3 / 4])
    village = [VILLAGES[int(np.searchsorted(cut, v))] for v in y]
    layers = {**case.layers, "households": hh.assign(village=village)}
    rules = dataclasses.replace(case.rules, nest_by=())
    payload = editor_payload(layers, case.labels.copy(), rules, case.graph, graph_kind=case.kind, lang=lang)
    page = tmp / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def _search(page: Any, q: str) -> None:
    page.evaluate("""(q) => { const f = document.querySelector('.yl-ed-find');
      f.querySelector('input').value = q; f.querySelector('button').click(); }""", q)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_start_of_several_village_names_lists_them(tmp_path: Path, lang: str) -> None:
    path = _page(tmp_path, lang)
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        start = page.evaluate(STATE)
        _search(page, "石")
        listed = page.evaluate(STATE)
        page.screenshot(path=str(SHOTS / f"s41_c_editor_village_choices_{lang}.png"))
        page.locator(".yl-ed-choices button", has_text="石门村").tap()
        tapped = page.evaluate(STATE)
        box = page.evaluate("() => document.querySelector('.yl-ed-find input').value")
        _search(page, "新华")  # one village begins with it: found straight away
        straight = page.evaluate(STATE)
        _search(page, "东")
        missing = page.evaluate(STATE)
        assert not errors and not dialogs
    # the old page: 未找到“石”…, no list
    assert listed["shown"] and sorted(listed["names"]) == sorted(["石桥村", HOSTILE, "石门村"]), listed
    head = text("editor.msg.found_villages", lang).replace("{q}", "石").replace("{n}", "3")
    assert listed["head"] == head and listed["imgs"] == 0, listed
    assert listed["sel"] == 0 and listed["zoom"] == start["zoom"] and listed["centre"] == start["centre"], listed
    assert box == "石门村" and not tapped["shown"], tapped
    assert tapped["note"].startswith("石门村") and tapped["zoom"] > start["zoom"], tapped
    assert straight["note"].startswith("新华村") and not straight["shown"], straight
    assert missing["note"] == text("editor.msg.not_found", lang).replace("{q}", "东") and not missing["shown"], missing
