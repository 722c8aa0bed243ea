"""Session 60, helper U: the editor's list of findings names its units (and households) as links.

The side panel's findings (.yl-ed-list: a unit and the short name of its code, then the check's sentence and its
fix) were one button each whose sentence was plain text: "the nearest head candidate outside the unit is H000035 of
unit U005" named U005 with no way to go there but the search box, and a code in it (HEAD-SHORT) could break at its
hyphen. As the check's map makes its units links, each unit and household of the plan a finding's sentence or fix
names is now a link that finds it as the editor's search box does (a unit selected whole and framed, the search box
showing its id), and each code and option in the rest stays on one line (Y.fixWhole). The head of each finding is
still a button framing it, and a tap elsewhere in its box does the same (no button inside a button). The links are
one line tall (26 px): the card's 44 px ones reached into the next line's links, and a tap on U005 landed on the
H000028 below it.

Fixture: walk_limit_village (a WALK-LIMIT unit U003, two HEAD-SHORT units U004 and U006 declared exceptions, each
naming its neighbour's candidate: U005, U007), its editor page, zh and en, 360 x 640 on a touch screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from shared_fixtures import walk_limit_village

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi && window.yuanluo.editor)"
# each finding of the panel: its head, its links (text, title) and whether a code in it is kept whole
LIST = """() => [...document.querySelectorAll('.yl-ed-list > li.yl-ed-err, .yl-ed-list > li.yl-ed-warn')].map(li => ({
  head: li.querySelector('.yl-ed-vh').textContent, text: li.textContent,
  links: [...li.querySelectorAll('.yl-ed-vs .yl-ed-idlink')].map(b => [b.textContent, b.title, b.closest('.yl-ed-v') === null]),
  codes: [...li.querySelectorAll('.yl-ed-vs .yl-nobr')].map(s => s.textContent),
  nested: li.querySelectorAll('button button').length,
  overlaps: (() => { const bs = [...li.querySelectorAll('.yl-ed-idlink')].map(b => b.getBoundingClientRect()), out = [];
    bs.forEach((a, i) => bs.slice(i + 1).forEach(b => { if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
      a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push(i); })); return out.length; })()}))"""
SELECTED = """() => { const P = window.yuanluo.editorPage, us = new Set();
  P.selected.forEach(h => us.add(P.unitOf[h]));
  return {n: P.selected.size, units: [...us], whole: [...us].length === 1 && P.members.get([...us][0]).size === P.selected.size,
          q: document.querySelector('.yl-ed-q').value}; }"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_findings_units_are_links_that_select_them(village: Path, tmp_path: Path, lang: str) -> None:
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / f"e_{lang}.html"
    page.write_text(html, encoding="utf-8")
    show = text("editor.card.show_unit", lang, unit="U005")  # type: ignore[arg-type]
    with live_page(page, viewport=(360, 640), ready=READY, touch=True) as (p, errors):
        items = p.evaluate(LIST)
        heads = {i["head"].split(" · ")[0]: i for i in items}
        assert {"U003", "U004", "U006"} <= set(heads), heads
        u4 = heads["U004"]
        named = [t for t, _, _ in u4["links"]]
        # old: no link at all (the sentence plain text inside the finding's button)
        assert "U004" in named and "U005" in named and "H000035" in named, u4
        assert [t for t, _, _ in heads["U006"]["links"]].count("U007") >= 1, heads["U006"]
        assert all(out for _, _, out in u4["links"]) and not u4["nested"], u4  # no button in a button
        assert show in [ti for _, ti, _ in u4["links"]], u4["links"]
        assert not any(i["overlaps"] for i in items), items  # no link's box over another's (a tap lands on it)
        assert "HEAD-SHORT" in u4["codes"], u4["codes"]  # kept on one line
        # a tap on U005 in U004's finding: U005 selected whole, as the search box finds it
        p.locator(".yl-ed-list li", has=p.locator(".yl-ed-vh", has_text="U004")).first \
            .locator(".yl-ed-idlink", has_text="U005").first.tap()
        p.wait_for_timeout(300)
        sel = p.evaluate(SELECTED)
        assert sel["units"] == ["U005"] and sel["whole"] and sel["q"] == "U005", sel
        # the finding's own button still frames it (its households selected)
        p.evaluate("document.querySelector('.yl-ed-panel').scrollIntoView()")
        p.locator(".yl-ed-list li .yl-ed-v", has_text="U003").first.tap()
        p.wait_for_timeout(300)
        sel = p.evaluate(SELECTED)
        assert sel["n"] >= 1 and sel["units"] == ["U003"], sel
        assert not errors, errors
