"""Session 40, helper E: the editor's search box found household and unit ids only, while the map's finds a village.

A town official typing a village's name (胜利村) into the editor's 查找 box got 未找到. It now finds a village as the
map's search does (the households' village column, width- and case-insensitively, else the one village whose name
begins with what was typed; whatever the rules nest by), frames its households, selects nothing and says how many
households and units it has; the placeholder says so (户编号、院落编号或村名), as the coverage map's does now
(查找户编号、服务点编号或村名). Names are data only; an Enter ending a pinyin composition does not search.

Fixture: the bundled sample (editor_fixtures.sample_case) in units of 30, split south to north into 胜利村, a hostile
name and 新华村 (the valley runs north to south), rules nesting by nothing, at 390 × 844 on a touch screen, zh and en.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
HOSTILE = '"><img src=x onerror=alert(1)>村'
VILLAGES = ("胜利村", HOSTILE, "新华村")
SEARCH = """(q) => {
  const P = window.yuanluo.editorPage, m = window.yuanluo.editorUi.map, f = document.querySelector('.yl-ed-find');
  f.querySelector('input').value = q; f.querySelector('button').click();
  const b = m.getBounds(), inside = {}, total = {};
  for (let k = 0; k < P.n; k++) {
    const v = window.VIL[k];
    total[v] = (total[v] || 0) + 1;
    if (b.contains([P.lat[k], P.lon[k]])) inside[v] = (inside[v] || 0) + 1;
  }
  return {note: document.querySelector('.yl-ed-info').textContent, sel: P.selected.size, zoom: m.getZoom(),
          inside: inside, total: total};
}"""


def _page(tmp: Path, lang: str) -> tuple[Path, list[str]]:
    case = sample_case()
    hh = case.layers["households"]
    y = hh.geometry.y.to_numpy()
    cut = np.quantile(y, [1 / 3, 2 / 3])
    village = [VILLAGES[int(np.searchsorted(cut, v))] for v in y]
    layers = {**case.layers, "households": hh.assign(village=village)}
    rules = dataclasses.replace(case.rules, nest_by=())
    payload = editor_payload(layers, case.labels.copy(), rules, case.graph, graph_kind=case.kind, lang=lang)
    page = tmp / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page, village


def _fill(key: str, lang: str, **kw: object) -> str:
    s = text(key, lang)
    for k, v in kw.items():
        s = s.replace("{" + k + "}", str(v))
    return s


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_village_name_frames_its_households(tmp_path: Path, lang: str) -> None:
    path, village = _page(tmp_path, lang)
    assert "<img src=x" not in path.read_text(encoding="utf-8")
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.evaluate("(v) => { window.VIL = v; }", village)
        assert page.locator(".yl-ed-find input").get_attribute("placeholder") == text("editor.find.placeholder", lang)
        units = page.evaluate("""() => { const P = window.yuanluo.editorPage, out = {};
          for (let k = 0; k < P.n; k++) { const v = window.VIL[k]; if (P.unitOf[k] !== null) (out[v] = out[v] || new Set()).add(P.unitOf[k]); }
          return Object.fromEntries(Object.entries(out).map(([v, s]) => [v, s.size])); }""")
        start = page.evaluate("() => window.yuanluo.editorUi.map.getZoom()")
        found = {q: page.evaluate(SEARCH, q) for q in ("胜利村", "新华", HOSTILE, "ＳＨＥＮＧ")}
        page.evaluate(SEARCH, "胜利村")
        page.screenshot(path=str(SHOTS / f"s40_e_editor_village_search_{lang}.png"))
        missing = page.evaluate(SEARCH, "村")  # no village begins with 村
        assert not errors and not dialogs
    for q, name in (("胜利村", "胜利村"), ("新华", "新华村"), (HOSTILE, HOSTILE)):
        r = found[q]
        # the old page: 未找到 (no household or unit id is or begins with it), the view left as it was
        n = r["total"][name]
        assert r["note"] == _fill("editor.msg.found_village", lang, village=name, n=n, units=units[name]), (q, r)
        assert r["inside"].get(name) == n and r["sel"] == 0, (q, r)  # all in view, nothing selected
    # the southern third (the valley's villages close together) framed closer than the whole area
    r = found["胜利村"]
    assert r["zoom"] > start and r["inside"].get("新华村", 0) < r["total"]["新华村"], r
    assert found["ＳＨＥＮＧ"]["note"].startswith(_fill("editor.msg.not_found", lang, q="ＳＨＥＮＧ")[:4])
    assert missing["note"] == _fill("editor.msg.not_found", lang, q="村"), missing


def test_an_enter_ending_a_pinyin_composition_does_not_search(tmp_path: Path) -> None:
    """Typing 新华 as "xinhua": the Enter that ends the composition puts the characters in; 查找 then finds it."""
    path, village = _page(tmp_path, "zh")
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        page.evaluate("(v) => { window.VIL = v; }", village)
        box = page.locator(".yl-ed-find input")
        box.tap()
        before = page.evaluate("() => document.querySelector('.yl-ed-info').textContent")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.imeSetComposition", {"text": "xinhua", "selectionStart": 6, "selectionEnd": 6})
        cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "key": "Enter", "code": "Enter",
                                            "windowsVirtualKeyCode": 229, "nativeVirtualKeyCode": 229})
        cdp.send("Input.insertText", {"text": "新华"})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                            "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13})
        composed = page.evaluate("() => [document.querySelector('.yl-ed-find input').value, "
                                 "document.querySelector('.yl-ed-info').textContent]")
        page.keyboard.press("Enter")
        after = page.evaluate("() => document.querySelector('.yl-ed-info').textContent")
        assert not errors
    assert composed == ["新华", before], composed  # no search: the panel's line unchanged
    assert after.startswith("新华村："), after


@pytest.mark.parametrize(("lang", "word"), [("zh", "村名"), ("en", "village")])
def test_the_coverage_maps_search_box_says_it_finds_a_village(tmp_path: Path, lang: str, word: str) -> None:
    """The coverage map's search (search.js, as the field map's) finds a village; its placeholder said only
    household or point ids (查找户编号或服务点编号)."""
    from shared_fixtures import run_cli

    from yuanluo.gis.synth import make_village

    make_village(60, seed=3).write(tmp_path / "v")
    run_cli(["delineate", str(tmp_path / "v" / "households.gpkg"), "--preset", "banan", "-o", str(tmp_path / "u.gpkg"),
             "-q"])
    page = tmp_path / "cover.html"
    run_cli(["--lang", lang, "cover", str(tmp_path / "u.gpkg"), "-o", str(tmp_path / "c.gpkg"), "--map", str(page),
             "-q"], lang)
    with live_page(page, viewport=(390, 844), ready="!!(window.yuanluo && window.yuanluo.find)",
                   touch=True) as (p, errors):
        box = p.locator(".yl-search input")
        placeholder = box.get_attribute("aria-label")  # the whole words (the box shows the first it has room for)
        shown = p.evaluate("() => { const i = document.querySelector('.yl-search input'); "
                           "return [i.scrollWidth <= i.clientWidth, i.getBoundingClientRect().right]; }")
        box.fill("v001")
        p.locator("button.yl-search-go").click()
        msg = p.locator(".yl-search-msg").text_content()
        p.screenshot(path=str(SHOTS / f"s40_e_cover_search_{lang}.png"))
        assert not errors
    # what this page finds (s44 helper F: the fixed words of covermap.search were said whatever the page carried)
    assert text("map.search_what.hub", lang) in placeholder and word in placeholder, placeholder
    assert shown[1] <= 390, shown
    assert msg == "", msg  # the village V001 found (未找到 otherwise)
