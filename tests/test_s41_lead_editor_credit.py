"""Session 41 (audit H item 4, the editor's half): ``yuanluo edit … --credit`` with a credit of 300 characters
without a space made the editor's attribution line about 2,400 px wide at 390 px, starting at -1,977 px, so only
its tail showed (the field maps were fixed in yuanluo.css; the editor has its own stylesheet, editor.css). It now
wraps within the screen, at most three lines, scrolling within them."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import live_page, require_browser
from shared_fixtures import run_cli

from yuanluo.gis.synth import make_village

CREDIT = "某测绘院" + "C" * 300
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"


@pytest.mark.browser
def test_a_long_credit_wraps_within_the_editor_screen(tmp_path: Path) -> None:
    require_browser()
    make_village(60, seed=3).write(tmp_path)
    result, page_path = tmp_path / "u.gpkg", tmp_path / "e.html"
    run_cli(["delineate", str(tmp_path / "households.gpkg"), "--preset", "banan", "-o", str(result), "-q"])
    run_cli(["edit", str(result), "-o", str(page_path), "--credit", CREDIT, "-q"])
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        box = page.evaluate("""() => { const a = document.querySelector('.leaflet-control-attribution');
            const r = a.getBoundingClientRect(), line = parseFloat(getComputedStyle(a).lineHeight);
            return {left: r.left, right: r.right, height: r.height, line: line, text: a.textContent,
                    width: document.documentElement.scrollWidth}; }""")
        assert CREDIT in box["text"]
        assert box["left"] >= 0 and box["right"] <= 390 and box["width"] <= 390, box
        assert box["height"] <= 3 * box["line"] + 6, box  # three lines at most, the rest scrolls within
        assert not errors
