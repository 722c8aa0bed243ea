"""Session 58, helper U round 2: the unit cards' fix row (what to do) was plain text, and Chromium broke a
command-line option at its inner hyphen ("--thorough-" | "heads") and a code at its hyphen ("WALK-" | "EXCEPTION")
on a phone (s58 P round 2 measured it in a plain block: 183 of 214 widths for the option). Both cards (the field
map's card.js, the editor's editor_ui.js) now keep each code and each option, a short option with its value, on one
line with the shared ``Y.fixWhole`` (yuanluo.js), as the check report's ``planners.report.message_html`` does.

Fixtures: the sample layers with a WALK-LIMIT unit proven remote (its fix names WALK-EXCEPTION and --roads) and a
HEAD-UNPLACED one (--thorough-heads) as a field map; tests/shared_fixtures.walk_limit_village's WALK-LIMIT unit in the
editor; widths 300-400 px, zh and en.

Round 3: the field map's findings row (the check's sentences and fixes on a ``check --map`` page, F.viol) and the
editor card's list of what the check says of the unit (ul.yl-ed-said) were plain text too: HEAD-SHORT in a
DECLARED-EXCEPTION broke at its hyphen (map zh 324-348 px, en 300 px; editor zh at 321 px, en at 318 px, among
other widths). Both now go through ``Y.fixWhole``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import read_result

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

#: a function measuring one element: each code and option in its whole text, with the number of lines it spans (a
#: range over its text nodes); and the text
_MEASURE = """const measure = (cell) => {
  const nodes = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let all = '';
  for (let t = walker.nextNode(); t; t = walker.nextNode()) { nodes.push([t, all.length]); all += t.data; }
  const at = (i) => { let k = nodes.length - 1; while (nodes[k][1] > i) k--; return [nodes[k][0], i - nodes[k][1]]; };
  const re = /--[A-Za-z][\\w-]*|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+/g, out = [];
  let m;
  while ((m = re.exec(all))) {
    const r = document.createRange(), a = at(m.index), b = at(m.index + m[0].length - 1);
    r.setStart(a[0], a[1]); r.setEnd(b[0], b[1] + 1);
    out.push([m[0], new Set([...r.getClientRects()].filter(q => q.width > 0).map(q => Math.round(q.top))).size]);
  }
  return [all, out];
};"""
#: each code and option (with its value) in the fix row whose label is given, with the number of lines it spans;
#: the row's text
WORDS = "([sel, label]) => {\n" + _MEASURE + """
  const tr = [...document.querySelectorAll(sel)].find(r => r.cells[0].textContent === label);
  return tr ? measure(tr.cells[tr.cells.length - 1]) : null;
}"""
WALK_REMOTE = {"size": 15, "what": "households", "lo": 15, "hi": 25, "total": 15, "why": "walk_limit",
               "proof": "remote", "limit": 4.0, "beyond": 2, "max": 8.9, "meeting": "H1"}
UNPLACED = {"size": 9, "what": "households", "lo": 10, "hi": 25, "total": 9, "why": "head_unplaced", "heads": 0,
            "need": 1}


def _map(tmp: Path, lang: str) -> Path:
    lyr = sample_layers(120, block=5, seed=1)
    units = lyr["units"].copy()
    units["status"], units["code"], units["reason_params"], units["reason"] = "ok", "", "", ""
    for k, (code, params) in enumerate((("WALK-LIMIT", WALK_REMOTE), ("HEAD-UNPLACED", UNPLACED))):
        units.loc[units.index[k], ["status", "code", "reason_params", "reason"]] = [
            "exception", code, json.dumps(params), "原因"]
    return save_map({**lyr, "units": units}, tmp / f"m_{lang}.html", lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_card_keeps_codes_and_options_in_its_fix_on_one_line(tmp_path: Path, lang: str) -> None:
    label = text("map.card.fix", lang)  # type: ignore[arg-type]
    broken, seen = [], set()
    ready = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.map)"
    with live_page(_map(tmp_path, lang), viewport=(400, 640), ready=ready, touch=True) as (page, errors):
        for width in range(300, 401, 3):
            page.set_viewport_size({"width": width, "height": 640})
            for unit in ("U001", "U002"):
                page.evaluate(f"window.yuanluo.showUnit('{unit}', true)")
                got = page.evaluate(WORDS, [".yl-card tr", label])
                assert got is not None, (unit, width)
                seen |= {w for w, _ in got[1]}
                broken += [(width, unit, w) for w, n in got[1] if n != 1]
        assert errors == []
    assert {"WALK-EXCEPTION", "--thorough-heads", "--roads"} <= seen, seen
    assert broken == [], broken


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editors_card_keeps_codes_in_its_fix_on_one_line(tmp_path: Path, lang: str) -> None:
    (tmp_path / "village").mkdir()
    village = walk_limit_village(tmp_path / "village")
    units = read_result(village / "r.gpkg")[0]["units"]
    walk = str(units.loc[units["code"] == "WALK-LIMIT", "unit_id"].iloc[0])
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page_file = tmp_path / "e.html"
    page_file.write_text(html, encoding="utf-8")
    label = text("editor.card.fix", lang)  # type: ignore[arg-type]
    show = (f"() => {{ const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get('{walk}')), false);"
            " window.yuanluo.editorUi.refresh(); }")
    broken, seen = [], set()
    with live_page(page_file, viewport=(400, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (p, errors):
        for width in range(300, 401, 3):
            p.set_viewport_size({"width": width, "height": 640})
            p.evaluate(show)
            got = p.evaluate(WORDS, [".yl-ed-tab tr", label])
            assert got is not None, width
            seen |= {w for w, _ in got[1]}
            broken += [(width, w) for w, n in got[1] if n != 1]
        assert errors == []
    assert "WALK-EXCEPTION" in seen, seen
    assert broken == [], broken


def test_the_words_kept_whole_are_the_check_reports(tmp_path: Path) -> None:
    """Y.fixWhole keeps what planners.report.message_html keeps: an option with its value (a name or path, a number,
    a placeholder in capitals, at most 24 columns), a long option alone before a word of the sentence, each code."""
    said = ["run yuanluo repair -o plan.xlsx, or -o 方案.xlsx", "use --rules or leave --basemap out",
            "give --crs gcj02 and --unit-col NAME (WALK-EXCEPTION)", "-q alone", "--out /a/very/long/path/to/plan.xlsx"]
    kept = """(said) => said.map(s => [...window.yuanluo.fixWhole(s).childNodes]
      .filter(n => n.nodeType === 1).map(n => n.className + ':' + n.textContent))"""
    with live_page(_map(tmp_path, "en"), viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.fixWhole)",
                   touch=True) as (page, errors):
        got = page.evaluate(kept, said)
        text_kept = page.evaluate("(s) => window.yuanluo.fixWhole(s).textContent", said[2])
        assert errors == []
    assert got == [["yl-nobr:-o plan.xlsx", "yl-nobr:-o 方案.xlsx"], ["yl-nobr:--rules", "yl-nobr:--basemap"],
                   ["yl-nobr:--crs gcj02", "yl-nobr:--unit-col NAME", "yl-nobr:WALK-EXCEPTION"], [],
                   ["yl-nobr:--out"]], got
    assert text_kept == said[2]


# ------------------------------------------------------------------------------------------------ round 3: findings
#: each code and option in the elements a selector finds, with the number of lines it spans (as WORDS)
WORDS_IN = "(sel) => {\n" + _MEASURE + """
  return [...document.querySelectorAll(sel)].flatMap(cell => measure(cell)[1]);
}"""


def _check_maps(folder: Path, lang: str) -> list[Path]:
    """``yuanluo check r.gpkg --map`` of walk_limit_village's plan, under its own rules (WALK-EXCEPTION,
    DECLARED-EXCEPTION naming HEAD-SHORT) and under a walking limit of 1 minute (PLAN-WALK-LIMIT, PLAN-NO-HEAD)."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    (folder / "strict.toml").write_text("min_size = 5\nmax_size = 12\nmax_walk_min = 1.0\n", encoding="utf-8")
    out = []
    for rules in ("rules.toml", "strict.toml"):
        page = folder / f"check_{rules[:-5]}_{lang}.html"
        res = CliRunner().invoke(app, ["check", str(folder / "r.gpkg"), "--rules", str(folder / rules), "--map",
                                       str(page), "--lang", lang, "-q"])
        assert res.exit_code in (0, 1) and page.is_file(), res.output
        out.append(page)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_maps_findings_keep_their_codes_on_one_line(tmp_path: Path, lang: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The field map's card of a check's map (``check --map``): its findings row (the check's sentences and fixes,
    F.viol) was plain text, and PLAN-WALK-LIMIT, WALK-EXCEPTION and HEAD-SHORT could break at a hyphen at 300-400
    px. Each unit with findings, each width."""
    (tmp_path / "village").mkdir()
    village = walk_limit_village(tmp_path / "village")
    monkeypatch.chdir(village)
    label = text("map.card.findings", lang)  # type: ignore[arg-type]
    broken, seen = [], set()
    ready = "!!(window.yuanluo && window.yuanluo.showUnit && window.yuanluo.cardF)"
    for page_file in _check_maps(village, lang):
        with live_page(page_file, viewport=(400, 640), ready=ready, touch=True) as (page, errors):
            units = page.evaluate("(() => { const Y = window.yuanluo; return Y.card.units.filter("
                                  "(u, k) => Y.cardF.viol[k]); })()")
            assert units, page_file
            for width in range(300, 401, 3):
                page.set_viewport_size({"width": width, "height": 640})
                for unit in units:
                    page.evaluate(f"window.yuanluo.showUnit('{unit}', true)")
                    got = page.evaluate(WORDS, [".yl-card tr", label])
                    assert got is not None, (unit, width)
                    seen |= {w for w, _ in got[1]}
                    broken += [(page_file.name, width, unit, w) for w, n in got[1] if n != 1]
            assert errors == []
    assert {"PLAN-WALK-LIMIT", "PLAN-NO-HEAD", "WALK-EXCEPTION", "DECLARED-EXCEPTION", "HEAD-SHORT"} <= seen, seen
    assert broken == [], broken


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editors_card_keeps_codes_in_the_checks_sentences_on_one_line(tmp_path: Path, lang: str) -> None:
    """The editor's card lists what the check says of the unit (ul.yl-ed-said, its sentence and fix), plain text
    before: a DECLARED-EXCEPTION naming HEAD-SHORT, of walk_limit_village's units, each width 300-400 px."""
    (tmp_path / "village").mkdir()
    village = walk_limit_village(tmp_path / "village")
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page_file = tmp_path / "e.html"
    page_file.write_text(html, encoding="utf-8")
    units = [str(u) for u in read_result(village / "r.gpkg")[0]["units"]["unit_id"]]
    show = ("(u) => { const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get(u)), false);"
            " window.yuanluo.editorUi.refresh(); }")
    broken, seen = [], set()
    with live_page(page_file, viewport=(400, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (p, errors):
        for width in range(300, 401, 3):
            p.set_viewport_size({"width": width, "height": 640})
            for unit in units:
                p.evaluate(show, unit)
                got = p.evaluate(WORDS_IN, ".yl-ed-said li")
                seen |= {w for w, _ in got}
                broken += [(width, unit, w) for w, n in got if n != 1]
        assert errors == []
    assert {"HEAD-SHORT"} <= seen, seen
    assert broken == [], broken
