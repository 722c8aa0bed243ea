"""An exception unit's card on the editor page says what to do, and both pages' unit cards make the households a
walking-limit reason names links to them (s56 E).

The field map's card gave an exception unit's fix under its reason (8a8ab2b); the editor's card gave the reason
alone. It now gives the same sentence (处理办法 / Fix: the fix the console printed for the unit, rendered in Python
from the declared unit's ``code`` and ``reason_params``, set by textContent) while the unit holds the households it
was declared with, as it gives the reason; once the planner changes the unit neither is said (the delineation's fix
of another unit would be stale). A WALK-LIMIT reason names the households beyond the limit (5702a51): on both cards
each of those ids is a button in the sentence that shows that household as the page's search does for its id,
reachable by the keyboard and 44 px tall and wide to a finger.

The result: the synthetic village of 60 households (seed 3) delineated with a band of 5-12 and a walking limit of
1.5 minutes: one WALK-LIMIT unit naming the household beyond the limit, two HEAD-SHORT units.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import run_cli, walk_limit_village

from yuanluo.gis.catalogue import planner_words, text
from yuanluo.gis.delineate.reasons import exception_then, render_why
from yuanluo.gis.errors import problem
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file

no_browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


def _units(village: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """The exception units: id → (code, parameters)."""
    u = gpd.read_file(village / "r.gpkg", layer="units")
    u = u[u["status"] == "exception"]
    return {str(k): (str(c), json.loads(p)) for k, c, p in zip(u["unit_id"], u["code"], u["reason_params"], strict=True)}


def _walk_unit(village: Path) -> tuple[str, list[str]]:
    walk = [(u, p["hids"]) for u, (c, p) in _units(village).items() if c == "WALK-LIMIT" and p.get("hids")]
    assert walk, "the village at 1.5 minutes has a WALK-LIMIT unit naming its households beyond the limit"
    return walk[0]


def _editor(village: Path, lang: str) -> tuple[str, dict[str, Any]]:
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    data = re.search(r'<script type="application/json" id="yl-editor-data">(.*?)</script>', html, re.S)
    assert data is not None
    return html, json.loads(data.group(1))


def test_reason_pieces_cut_a_reason_around_the_ids_it_names() -> None:
    from yuanluo.gis.delineate.reasons import reason_pieces

    p = {"why": "walk_limit", "beyond": 7, "meeting": "H1", "limit": 4.0, "worst": "6.5",
         "hids": ["H1", "H12", "H3", "H4", "H5", "H6", "H7"]}
    for lang in ("zh", "en"):
        said = render_why(p, lang)
        pieces = reason_pieces(said, p, lang)
        assert pieces is not None and "".join(pieces) == said
        assert pieces[1::2] == p["hids"][:5]  # the ids shown (five, then "and more"), the meeting point H1 not one
        assert pieces[0].endswith({"zh": "：编号 ", "en": ": ids "}[lang]) and "H1" in pieces[0]
        assert pieces[2] == text("list.sep", lang) and "7" in pieces[-1]
        assert reason_pieces(said, json.dumps(p), lang) == pieces  # the parameters as a file keeps them
        assert reason_pieces(said, {**p, "hids": []}, lang) is None
    assert reason_pieces(render_why(p, "zh"), p, "en") is None  # a reason in another language: no ids found
    # an exception for another reason, beyond the limit too: its walk_hids
    q = {"why": "heavy", "size": 30, "walk_beyond": 1, "walk_limit": 4.0, "walk_worst": "5.2", "walk_meeting": "M",
         "walk_hids": ["甲01"]}
    pieces = reason_pieces(render_why(q, "zh"), q, "zh")
    assert pieces is not None and pieces[1::2] == ["甲01"] and "".join(pieces) == render_why(q, "zh")


def test_the_editor_carries_each_declared_units_fix_and_the_ids_its_reason_names(village: Path) -> None:
    units = _units(village)
    assert {c for c, _ in units.values()} == {"WALK-LIMIT", "HEAD-SHORT"}
    walk, hids = _walk_unit(village)
    for lang in ("zh", "en"):
        _, d = _editor(village, lang)
        dec = d["hh"]["dec"]
        at = {u: j for j, u in enumerate(dec["units"])}
        assert set(units) <= set(at)
        for u, (code, params) in units.items():
            # the command line's sentence: the delineation's problem for the unit, its fix (gis.delineate.result),
            # in the planner's words though the page is made from Python (s57 E)
            with planner_words():
                want = problem(code, severity="warning", then=exception_then(code, params)).fix(lang)
            assert want and dec["fixes"][at[u]] == want
        assert dec["fixes"][at[walk]].startswith({"zh": "改划院落或另选议事点都无法解决",
                                                  "en": "neither redrawing the units nor"}[lang])
        pieces = dec["why"][at[walk]]
        assert "".join(pieces) == dec["reasons"][at[walk]] and pieces[1::2] == hids[:5]
        # a HEAD-SHORT reason names one household, its nearest candidate outside it (tests/test_s56_e_near_link.py)
        assert all(dec["why"][at[u]][1::2] == [units[u][1]["near_hid"]] for u in units if u != walk)
        assert d["t"]["card.fix"] == {"zh": "处理办法", "en": "Fix"}[lang]


def test_the_field_maps_card_cuts_the_reason_around_its_ids(village: Path, tmp_path: Path) -> None:
    walk, hids = _walk_unit(village)
    for lang in ("zh", "en"):
        run_cli(["map", str(village / "r.gpkg"), "-o", str(tmp_path / f"m_{lang}.html"), "-q"], lang=lang)
        html = (tmp_path / f"m_{lang}.html").read_text(encoding="utf-8")
        card = json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))
        k = card["units"].index(walk)
        assert card["why"][k][1::2] == hids[:5] and "H000060" in hids
        # the other two, HEAD-SHORT, name their nearest candidate alone (tests/test_s56_e_near_link.py)
        assert sum(1 for p in card["why"] if p) == 3 and sum(len(p) // 2 for p in card["why"] if p) == len(hids[:5]) + 2
        assert card["lab"]["card.show_household"] == {"zh": "在地图上查看 {hid} 户",
                                                      "en": "Show household {hid} on the map"}[lang]


#: each id button of the open card: its text, size, name, and whether Tab from the card's first control reaches it
BUTTONS = """(sel) => [...document.querySelectorAll(sel)].map(b => {
  const r = b.getBoundingClientRect();
  return {text: b.textContent, w: r.width, h: r.height, label: b.getAttribute('aria-label'), tag: b.tagName,
          row: b.closest('tr').cells[0].textContent};
})"""


def _tab_to(page: Any, sel: str, start: str) -> bool:
    """Whether the Tab key from the control ``start`` reaches the first ``sel`` (within 60 presses)."""
    page.focus(start)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement === document.querySelector({json.dumps(sel)})"):
            return True
    return False


@no_browser
def test_on_the_field_map_a_named_household_is_a_link_to_it(village: Path, tmp_path: Path) -> None:
    walk, hids = _walk_unit(village)
    page_path = tmp_path / "m.html"
    run_cli(["map", str(village / "r.gpkg"), "-o", str(page_path), "-q"], lang="en")
    with live_page(page_path, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.showUnit)") as (page, errors):
        page.evaluate(f"() => {{ window.yuanluo.showUnit({json.dumps(walk)}, true); }}")
        buttons = page.evaluate(BUTTONS, ".yl-card .yl-idlink")
        assert [b["text"] for b in buttons] == hids[:5]
        for b in buttons:
            assert b["tag"] == "BUTTON" and b["row"] == "Reason" and b["w"] >= 44 and b["h"] >= 44, b
            assert b["label"] == f"Show household {b['text']} on the map"
        rows = page.evaluate("() => [...document.querySelectorAll('.yl-card tr')].map(tr => tr.cells[0].textContent)")
        assert rows.index("Fix") == rows.index("Reason") + 1
        assert _tab_to(page, ".yl-card .yl-idlink", ".yl-card-close")
        page.evaluate("() => window.yuanluo.map.setZoom(14, {animate: false})")
        page.keyboard.press("Enter")
        # found as the search finds an id: its card, the view on it at zoom 17 or closer
        shown = page.evaluate("() => { const s = document.querySelector('.yl-card'), Y = window.yuanluo,"
                              " i = Y.householdIndex(s.getAttribute('data-id'));"
                              " return [s.getAttribute('data-card'), s.getAttribute('data-id'), s.hidden, Y.map.getZoom(),"
                              " Y.map.getBounds().contains([Y.households.xy.lat[i], Y.households.xy.lon[i]])]; }")
        assert shown == ["household", hids[0], False, pytest.approx(shown[3]), True] and shown[3] >= 17
        assert errors == []


@no_browser
def test_in_the_editor_a_named_household_is_a_button_and_the_fix_goes_with_the_reason(village: Path,
                                                                                       tmp_path: Path) -> None:
    walk, hids = _walk_unit(village)
    html, d = _editor(village, "en")
    page_path = tmp_path / "e.html"
    page_path.write_text(html, encoding="utf-8")
    fix = d["hh"]["dec"]["fixes"][d["hh"]["dec"]["units"].index(walk)]
    open_unit = (f"() => {{ const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get({json.dumps(walk)})),"
                 " false); window.yuanluo.editorUi.refresh(); }")
    card = "() => [...document.querySelectorAll('.yl-ed-tab tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])"
    with live_page(page_path, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (page, errors):
        page.evaluate(open_unit)
        rows = page.evaluate(card)
        heads = [r[0] for r in rows]
        assert heads.index("Fix") == heads.index("Exception reason") + 1 and rows[heads.index("Fix")][1] == fix
        buttons = page.evaluate(BUTTONS, ".yl-ed-tab .yl-ed-idlink")
        assert [b["text"] for b in buttons] == hids[:5]
        for b in buttons:
            assert b["tag"] == "BUTTON" and b["row"] == "Exception reason" and b["w"] >= 44 and b["h"] >= 44, b
            assert b["label"] == f"Show household {b['text']} on the map"
        assert _tab_to(page, ".yl-ed-tab .yl-ed-idlink", ".yl-ed-find input")
        page.keyboard.press("Enter")
        # found as a search for its id finds it: the one household selected, its id in the search box
        got = page.evaluate("() => { const P = window.yuanluo.editorPage; return [Array.from(P.selected).map(h => P.ids[h]),"
                            " document.querySelector('.yl-ed-find input').value]; }")
        assert got == [[hids[0]], hids[0]]
        # the unit changed by the planner: its reason and fix are the delineation's no more, neither is said
        other = next(u for u in d["hh"]["dec"]["units"] if u != walk)
        moved = page.evaluate(f"""() => {{ const E = window.yuanluo.editor, u = {json.dumps(walk)};
            const h = E.households().filter(x => E.unitOf(x) === u).find(x => x !== {json.dumps(hids[0])});
            E.assign([h], {json.dumps(other)}); const s = E.status(u); return [s.reason, s.fix, s.why]; }}""")
        assert moved == [None, None, None]
        page.evaluate(open_unit)
        assert "Fix" not in [r[0] for r in page.evaluate(card)]
        page.evaluate("() => window.yuanluo.editor.undo()")
        assert page.evaluate(f"() => window.yuanluo.editor.status({json.dumps(walk)}).fix") == fix
        assert errors == []
