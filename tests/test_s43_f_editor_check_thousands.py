"""The editor's own check sentences in English group the thousands (session 43, helper F).

d8dc0fa made editor.js fmt (the page's own texts: its header, the counts it fills in) write '1,200 households'
as gis.catalogue.number does, but the check's sentences the page renders itself (editor.js fill, num) still wrote
'Unit U000 has 1200 households, above the maximum of 50.' and ', 1155 in all'. They now write counts and sizes
as the page's other texts do: English '1,200' (a size with a decimal '1,234.5'), Chinese the digits as they are.

Fixture: a synthetic village of 1,200 households (gis.synth.make_village, seed 5), all but every 97th in one unit
U000 under a 20-50 rule; the page at 390 x 844."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "window.yuanluo && window.yuanluo.editorUi"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_editors_check_sentences_group_thousands_in_english(tmp_path: Path, lang: str) -> None:
    v = make_village(1200, seed=5)
    hh = v.households
    g = build_graph(hh, roads=v.roads)
    labels = pd.Series("U000", index=hh.index.astype(str), dtype="string")
    labels.iloc[::97] = pd.NA  # 13 households in no unit
    payload = editor_payload({"households": hh, "roads": v.roads}, labels, Rules(20, 50, nest_by=()), g,
                             graph_kind="straight", lang=lang)
    page = tmp_path / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        found = p.evaluate("() => window.yuanluo.editor.violations()")
        panel = p.evaluate("() => document.body.innerText")
        p.evaluate("() => { const e = [...document.querySelectorAll('li, div, p')].reverse().find("
                   "x => /U000 (has|有) /.test(x.textContent)); if (e) e.scrollIntoView(); }")
        p.screenshot(path=str(tmp_path / f"editor_thousands_{lang}.png"))
        assert not errors, errors
    n = int(labels.notna().sum())
    assert n == 1187, n
    size = next(f["text"] for f in found if f["code"] == "SIZE-HIGH")
    if lang == "en":
        assert size.startswith("Unit U000 has 1,187 households, above the maximum of 50"), size
    else:
        assert size.startswith("院落 U000 有 1187 户，超过上限 50"), size
    assert size in panel or size.split("，")[0].split(",")[0] in panel  # the panel shows the sentence
