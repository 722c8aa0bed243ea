"""Session 42, helper O: the English editor page's header said "1200 households; rules: …" (no thousands grouped).

The reports' sentences write "1,200" in English (gis.catalogue.number, helper M); the editor's texts, filled in by the
page's own script (editor.js fmt), now write counts the same way: "1,200 households; rules: …" in English, "1200 户；
规则：…" in Chinese, and so every count the page fills in (households selected, found, moved).

Fixture: a synthetic village of 1 200 households (gis.synth.make_village, seed 5) cut into units of 30, en and zh;
the page opened at 390 x 844.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import chunk_plan

from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "window.yuanluo && window.yuanluo.editorUi"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_editor_header_groups_thousands_in_english(tmp_path: Path, lang: str) -> None:
    v = make_village(1200, seed=5)
    hh = v.households
    g = build_graph(hh, roads=v.roads)
    payload = editor_payload({"households": hh, "roads": v.roads}, chunk_plan(hh, 30), Rules(20, 50, nest_by=()), g,
                             graph_kind="straight", lang=lang)
    page = tmp_path / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        intro = p.evaluate("() => document.querySelector('.yl-ed-info').textContent")
        filled = p.evaluate("() => window.yuanluo.editorPage.fmt(window.yuanluo.editorPage.D.t['sel.count'], "
                            "{n: 12345})")
        assert not errors, errors
    n = len(hh)
    assert n >= 1000, n
    if lang == "en":
        assert intro.startswith(f"{n:,} households; rules: "), intro
        assert filled == "12,345 selected", filled
    else:
        assert intro.startswith(f"{n} 户；规则："), intro
        assert filled == "已选 12345 户", filled
