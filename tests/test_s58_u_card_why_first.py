"""Session 58, helper U round 2: the card of a unit that is not ok (an exception, or breaking a rule) says why right
under its title: its status, reason and fix (and findings) before its village, size, meeting point and walks. On a
phone at 360 x 640 the field map's card of a HEAD-SHORT unit showed size, status and the reason's first line, the fix
below the fold; the editor's card alike. An ok unit's card keeps its order (size first, then status).

Fixture: tests/shared_fixtures.walk_limit_village (U004 HEAD-SHORT, a WALK-LIMIT unit) as a field map and an editor
page, zh and en, 360 x 640; screenshots in test-artifacts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import map_layers, read_result

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LABELS = "(sel) => [...document.querySelectorAll(sel)].map(r => r.cells[0].textContent)"


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


def _units(village: Path) -> tuple[str, str]:
    """A HEAD-SHORT unit and an ok one of the village."""
    units = read_result(village / "r.gpkg")[0]["units"]
    short = str(units.loc[units["code"] == "HEAD-SHORT", "unit_id"].iloc[0])
    ok = str(units.loc[units["status"] == "ok", "unit_id"].iloc[0])
    return short, ok


def _t(key: str, lang: str) -> str:
    return text(key, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_card_of_an_exception_says_why_first(village: Path, tmp_path: Path, lang: str) -> None:
    short, ok = _units(village)
    page = tmp_path / "m.html"
    page.write_text(render_html(make_map(map_layers(read_result(village / "r.gpkg")[0]), lang=lang)), encoding="utf-8")
    ready = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map)"
    with live_page(page, viewport=(360, 640), ready=ready, touch=True) as (p, errors):
        p.evaluate(f"window.yuanluo.showUnit('{ok}', true)")
        ok_rows = p.evaluate(LABELS, ".yl-card tr")
        p.evaluate(f"window.yuanluo.showUnit('{short}', true)")
        rows = p.evaluate(LABELS, ".yl-card tr")
        SHOTS.mkdir(exist_ok=True)
        p.screenshot(path=str(SHOTS / f"s58_u_why_first_map_{lang}_360.png"))
        assert errors == []
    status, size = _t("map.status", lang), _t("map.card.size", lang)
    assert rows[:3] == [status, _t("map.reason", lang), _t("map.card.fix", lang)], rows
    assert rows.index(size) > 2 and rows.index(_t("map.card.meeting", lang)) > 2, rows
    assert ok_rows.index(size) < ok_rows.index(status), ok_rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editors_card_of_an_exception_says_why_first(village: Path, tmp_path: Path, lang: str) -> None:
    short, ok = _units(village)
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    show = ("(u) => { const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get(u)), false);"
            " window.yuanluo.editorUi.refresh(); }")
    with live_page(page, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (p, errors):
        p.evaluate(show, ok)
        ok_rows = p.evaluate(LABELS, ".yl-ed-tab tr")
        p.evaluate(show, short)
        rows = p.evaluate(LABELS, ".yl-ed-tab tr")
        SHOTS.mkdir(exist_ok=True)
        p.screenshot(path=str(SHOTS / f"s58_u_why_first_editor_{lang}_360.png"))
        assert errors == []
    unit, status = _t("editor.card.unit", lang), _t("editor.card.status", lang)
    households = _t("editor.card.households", lang)
    why = [unit, status, _t("editor.card.warnings", lang), _t("editor.card.reason", lang), _t("editor.card.fix", lang)]
    assert rows[:rows.index(households)] == why, rows  # its warnings (提示) beside its status
    assert ok_rows[:2] == [unit, households] and ok_rows.index(status) > 1, ok_rows
