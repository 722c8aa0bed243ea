"""Session 41, helper C: ``yuanluo edit`` had no ``--credit`` while delineate, map and cover have one (session 40,
3859a66). A planner editing a result of their own data could not put its credit on the editor's map, nor drop or
replace the one the result records. ``edit --credit TEXT`` now does as ``map --credit`` does: its lines and spaces
run together, it replaces the recorded credit, ``--credit ""`` drops it, and without it the recorded one stays; the
page's attribution line shows it as text (escaped: Leaflet reads an attribution as HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import run_cli

from yuanluo.gis.synth import make_village

HOSTILE = '某测绘院 2025 <img src=x onerror=alert(1)> & "q"'
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-household synthetic village delineated with OpenStreetMap's credit, which its run records."""
    d = tmp_path_factory.mktemp("v")
    make_village(60, seed=3).write(d)
    out = d / "u.gpkg"
    run_cli(["delineate", str(d / "households.gpkg"), "--preset", "banan", "-o", str(out),
             "--credit", "© OpenStreetMap contributors", "-q"])
    return out


def _credit(page: Path) -> str:
    data = re.search(r'id="yl-editor-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert data is not None
    return str(json.loads(data.group(1))["credit"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_credit_replaces_keeps_or_drops_the_recorded_one(result: Path, tmp_path: Path, lang: str) -> None:
    given, kept, dropped = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    run_cli(["--lang", lang, "edit", str(result), "-o", str(given), "--credit", f" {HOSTILE}\n ", "-q"], lang)
    run_cli(["--lang", lang, "edit", str(result), "-o", str(kept), "-q"], lang)
    run_cli(["--lang", lang, "edit", str(result), "-o", str(dropped), "--credit", "", "-q"], lang)
    assert _credit(given) == ('某测绘院 2025 &lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;')
    assert "<img src=x" not in given.read_text(encoding="utf-8")
    assert _credit(kept) == "© OpenStreetMap contributors"
    assert _credit(dropped) == ""


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_the_credit_shows_as_text_on_the_editor_map(result: Path, tmp_path: Path) -> None:
    page_path = tmp_path / "a.html"
    run_cli(["edit", str(result), "-o", str(page_path), "--credit", HOSTILE, "-q"])
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        line = page.evaluate("() => document.querySelector('.leaflet-control-attribution').textContent")
        imgs = page.evaluate("() => document.querySelectorAll('.leaflet-control-attribution img').length")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "s41_c_edit_credit.png"))
        assert not errors and not dialogs
    assert HOSTILE in line and imgs == 0, line
