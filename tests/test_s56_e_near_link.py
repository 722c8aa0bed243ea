"""The nearest candidate head a unit without its head is told of is a button on both pages' unit cards (s56 E).

Since 7abe555 a HEAD-SHORT or HEAD-UNPLACED reason ends by naming the nearest candidate head outside the unit
("本院落外最近的院落长候选人是院落 U005 的 H000035，…", ``reason_params`` ``near_hid``). The households a walking-limit
reason names were already buttons showing them (095ea64); the nearest candidate was plain text, though it is the
household an official goes to see. ``gis.delineate.reasons.reason_pieces`` now cuts the reason around it too (found
where its clause puts it, never by searching for the id's text: the meeting point in the same clause is another
household, and a WALK-LIMIT unit's parameters hold a nearest candidate its reason does not say), and the field
map's card and the editor's card make it a button as they do the walking-limit ids.

The result: the synthetic village of 60 households (seed 3) delineated with a band of 5-12 and a walking limit of
1.5 minutes (as tests/test_s56_e_card_links.py): two HEAD-SHORT units naming their nearest candidate, one
WALK-LIMIT unit whose parameters hold one it does not name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import run_cli, walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.gis.delineate.reasons import near_clause, reason_pieces, render_why
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file

no_browser = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

HEAD = {"why": "head_short", "size": 6, "heads": 0, "need": 1, "candidates": 3, "needed": 4, "shortfall": 1,
        "total": 40, "lo": 5, "hi": 12, "what": "households",
        "near_hid": "H000035", "near_unit": "U005", "near_min": "0.7", "near_heads": 1, "near_spare": 0,
        "near_meet": "H000028", "near_to": "meeting"}


def test_the_nearest_candidate_is_cut_out_of_the_reason_where_its_clause_names_it() -> None:
    for lang in ("zh", "en"):
        said = render_why(HEAD, lang)
        pieces = reason_pieces(said, HEAD, lang)
        assert pieces is not None and "".join(pieces) == said and pieces[1::2] == ["H000035"]
        # the id stands where the clause names the candidate; the meeting point after it stays text
        assert pieces[0].endswith({"zh": "是院落 U005 的 ", "en": "outside the unit is "}[lang])
        assert "H000028" in pieces[2] and said.endswith(near_clause(HEAD, lang))
        assert reason_pieces(said, json.dumps(HEAD), lang) == pieces
        # a centre rather than a meeting point, a number for an id: the same cut
        q = {**HEAD, "near_to": "centre", "near_hid": 35, "near_meet": 28}
        assert reason_pieces(render_why(q, lang), q, lang)[1::2] == ["35"]
    assert reason_pieces(render_why(HEAD, "zh"), HEAD, "en") is None  # a reason in another language


def test_with_households_beyond_the_walking_limit_too_both_are_cut_in_the_order_said() -> None:
    p = {**HEAD, "walk_beyond": 2, "walk_limit": 1.5, "walk_worst": "3.1", "walk_meeting": "H000028",
         "walk_hids": ["H000060", "H000061"]}
    for lang in ("zh", "en"):
        said = render_why(p, lang)
        pieces = reason_pieces(said, p, lang)
        assert pieces is not None and "".join(pieces) == said
        assert pieces[1::2] == ["H000035", "H000060", "H000061"]
        assert pieces[4] == text("list.sep", lang)


def test_a_reason_that_does_not_say_the_nearest_candidate_is_not_cut_at_it() -> None:
    # a WALK-LIMIT unit's parameters hold its nearest candidate (gis.delineate.heads.nearest_candidates) but its
    # reason does not say it: only the households beyond the limit are cut, even where the id's text is in it
    p = {"why": "walk_limit", "beyond": 1, "meeting": "H000035", "limit": 1.5, "worst": "3.1", "hids": ["H000060"],
         **{k: v for k, v in HEAD.items() if k.startswith("near_")}}
    for lang in ("zh", "en"):
        said = render_why(p, lang)
        assert "H000035" in said and reason_pieces(said, p, lang)[1::2] == ["H000060"]
    # a file written before the clause: no near_* parameters, nothing to cut
    old = {k: v for k, v in HEAD.items() if not k.startswith("near_")}
    assert reason_pieces(render_why(old, "en"), old, "en") is None


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


def _heads(village: Path) -> dict[str, str]:
    """The HEAD-SHORT units: id → the nearest candidate their reason names."""
    u = gpd.read_file(village / "r.gpkg", layer="units")
    near = {str(k): json.loads(p).get("near_hid") for k, c, p in zip(u["unit_id"], u["code"], u["reason_params"],
                                                                      strict=True) if c == "HEAD-SHORT"}
    assert len(near) == 2 and all(near.values()), near
    return near


def test_both_pages_carry_the_reason_cut_at_the_nearest_candidate(village: Path, tmp_path: Path) -> None:
    near = _heads(village)
    for lang in ("zh", "en"):
        html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(),
                               lang=lang)
        data = re.search(r'<script type="application/json" id="yl-editor-data">(.*?)</script>', html, re.S)
        dec = json.loads(data.group(1))["hh"]["dec"]
        for u, hid in near.items():
            k = dec["units"].index(u)
            assert dec["why"][k][1::2] == [hid] and "".join(dec["why"][k]) == dec["reasons"][k]
        run_cli(["map", str(village / "r.gpkg"), "-o", str(tmp_path / f"m_{lang}.html"), "-q"], lang=lang)
        card = json.loads(re.search(r"var R = (\{.*?\});\n",
                                    (tmp_path / f"m_{lang}.html").read_text(encoding="utf-8")).group(1))
        for u, hid in near.items():
            assert card["why"][card["units"].index(u)][1::2] == [hid]


#: each id button of the open card: its text, size, name and row, the row's text, and what holds it with the
#: punctuation after it (the zh clause goes on "，步行": no line begins with that comma)
BUTTONS = """(sel) => [...document.querySelectorAll(sel)].map(b => {
  const r = b.getBoundingClientRect(), tr = b.closest('tr'), s = b.parentElement;
  return {text: b.textContent, w: r.width, h: r.height, label: b.getAttribute('aria-label'),
          row: tr.cells[0].textContent, said: tr.cells[1].textContent,
          held: [s.className, s.textContent, getComputedStyle(s).whiteSpace]};
})"""


@no_browser
def test_on_both_pages_the_nearest_candidate_is_a_button_showing_it(village: Path, tmp_path: Path) -> None:
    unit, hid = sorted(_heads(village).items())[0]
    reason = gpd.read_file(village / "r.gpkg", layer="units").set_index("unit_id").loc[unit, "reason"]
    run_cli(["map", str(village / "r.gpkg"), "-o", str(tmp_path / "m.html"), "-q"], lang="zh")
    with live_page(tmp_path / "m.html", viewport=(360, 640),
                   ready="!!(window.yuanluo && window.yuanluo.showUnit)") as (page, errors):
        page.evaluate(f"() => {{ window.yuanluo.showUnit({json.dumps(unit)}, true); }}")
        buttons = page.evaluate(BUTTONS, ".yl-card .yl-idlink")
        assert [(b["text"], b["row"], b["label"]) for b in buttons] == [(hid, "原因", f"在地图上查看 {hid} 户")]
        assert buttons[0]["w"] >= 44 and buttons[0]["h"] >= 44
        assert buttons[0]["said"] == reason and buttons[0]["held"] == ["yl-nobr", f"{hid}，", "nowrap"]
        page.click(".yl-card .yl-idlink")
        shown = page.evaluate("() => { const s = document.querySelector('.yl-card');"
                              " return [s.getAttribute('data-card'), s.getAttribute('data-id'), s.hidden]; }")
        assert shown == ["household", hid, False]
        assert errors == []
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang="zh")
    (tmp_path / "e.html").write_text(html, encoding="utf-8")
    with live_page(tmp_path / "e.html", viewport=(360, 640),
                   ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (page, errors):
        page.evaluate(f"() => {{ const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get("
                      f"{json.dumps(unit)})), false); window.yuanluo.editorUi.refresh(); }}")
        buttons = page.evaluate(BUTTONS, ".yl-ed-tab .yl-ed-idlink")
        assert [(b["text"], b["row"], b["label"]) for b in buttons] == [(hid, "例外原因", f"在地图上查看 {hid} 户")]
        assert buttons[0]["said"] == reason and buttons[0]["held"] == ["yl-nobr", f"{hid}，", "nowrap"]
        page.click(".yl-ed-tab .yl-ed-idlink")
        got = page.evaluate("() => { const P = window.yuanluo.editorPage; return [Array.from(P.selected).map(h => P.ids[h]),"
                            " document.querySelector('.yl-ed-find input').value]; }")
        assert got == [[hid], hid]
        assert errors == []
