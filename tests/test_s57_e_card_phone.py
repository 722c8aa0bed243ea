"""Session 57, helper E: a unit's reason and fix readable on a phone, on the field map's card and the editor's.

At 360 x 640 the reason stood in a column of some 200 px beside its label: an English HEAD-SHORT reason ran 383 px
tall on the map (its sheet is 291) and 380 on the editor (its panel 256). The reason, its fix (and the map's
findings) now stand below their label across the card, and each clause of the reason (after 「；」 / "; ", the
delineation's delineate.reason.sep) begins a line; the text is the same (textContent), the ids in it still buttons.

The result: the synthetic village of 60 households delineated 5-12 with a 1.5-minute walking limit
(tests/shared_fixtures.walk_limit_village): U004 HEAD-SHORT naming its nearest candidate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import run_cli, walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

#: the reason's row: its label's and text's boxes, the card's width, the text, how many lines it breaks into by <br>,
#: and the row's ids made buttons
ROW = """([rows, label, card]) => {
  const tr = [...document.querySelectorAll(rows)].find(r => r.cells[0].textContent === label);
  const th = tr.cells[0].getBoundingClientRect(), td = tr.cells[1].getBoundingClientRect();
  return {th: [th.left, th.bottom], td: [td.left, td.top, td.width, td.height], card: document.querySelector(card).clientWidth,
          text: tr.cells[1].textContent, breaks: tr.cells[1].querySelectorAll('br').length,
          ids: [...tr.cells[1].querySelectorAll('button')].map(b => b.textContent)};
}"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


def _reason(village: Path, unit: str, lang: str) -> tuple[str, str]:
    """The unit's reason in ``lang`` and the nearest candidate it names."""
    import geopandas as gpd

    from yuanluo.gis.delineate.reasons import unit_reasons

    u = gpd.read_file(village / "r.gpkg", layer="units")
    at = list(u["unit_id"]).index(unit)
    return str(unit_reasons(u, lang)[at]), json.loads(u["reason_params"].iloc[at])["near_hid"]


def _check(row: dict, said: tuple[str, str], lang: str) -> None:  # type: ignore[type-arg]
    reason, near = said
    sep = text("delineate.reason.sep", lang)  # type: ignore[arg-type]
    left, top, width, _ = row["td"]
    assert row["text"] == reason
    assert width >= 0.9 * row["card"] and top >= row["th"][1] - 1, row  # below its label, across the card
    assert row["breaks"] == reason.count(sep) == 3, row  # each clause on a line of its own
    assert row["ids"] == [near], row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_field_maps_card_gives_the_reason_the_cards_width(village: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "m.html"
    run_cli(["map", str(village / "r.gpkg"), "-o", str(page), "-q"], lang=lang)
    with live_page(page, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.showUnit)") as (p, errors):
        p.evaluate("() => { window.yuanluo.showUnit('U004', true); }")
        label = {"zh": "原因", "en": "Reason"}[lang]
        row = p.evaluate(ROW, [".yl-card tr", label, ".yl-card"])
        _check(row, _reason(village, "U004", lang), lang)
        fix = p.evaluate(ROW, [".yl-card tr", {"zh": "处理办法", "en": "Fix"}[lang], ".yl-card"])
        assert fix["td"][2] >= 0.9 * fix["card"], fix
        # a short row keeps its label beside it
        size = p.evaluate(ROW, [".yl-card tr", {"zh": "状态", "en": "Status"}[lang], ".yl-card"])
        assert size["td"][0] > size["th"][0] + 100 and size["td"][2] < 0.7 * size["card"], size
        assert errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editors_card_gives_the_reason_the_panels_width(village: Path, tmp_path: Path, lang: str) -> None:
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    with live_page(page, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (p, errors):
        p.evaluate("() => { const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get('U004')), false);"
                   " window.yuanluo.editorUi.refresh(); }")
        label = text("editor.card.reason", lang)  # type: ignore[arg-type]
        row = p.evaluate(ROW, [".yl-ed-tab tr", label, ".yl-ed-card"])
        _check(row, _reason(village, "U004", lang), lang)
        fix = p.evaluate(ROW, [".yl-ed-tab tr", text("editor.card.fix", lang), ".yl-ed-card"])  # type: ignore[arg-type]
        assert fix["td"][2] >= 0.9 * fix["card"], fix
        unit = p.evaluate(ROW, [".yl-ed-tab tr", text("editor.card.unit", lang), ".yl-ed-card"])  # type: ignore[arg-type]
        assert unit["td"][0] > unit["th"][0] + 40 and json.dumps(unit["text"]) == '"U004"', unit
        assert errors == []
