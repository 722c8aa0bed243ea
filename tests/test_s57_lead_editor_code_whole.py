"""Session 57 (lead, after helper U's audit item 3): the editor's unit card broke a code over two lines as the field
map's card did (规模无法达标（RULE- / INFEASIBLE）), which 9aee3b1 mended on the map only. Both pages now keep each code
in a reason whole with one helper, ``Y.codesWhole`` in the shared ``yuanluo.js``.

The result: tests/shared_fixtures.walk_limit_village, U004 HEAD-SHORT; the editor at widths 300-372 px, zh and en."""

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

#: the reason row's text and each code in it with the number of lines it is drawn on
CODES = """(label) => {
  const tr = [...document.querySelectorAll('.yl-ed-tab tr')].find(r => r.cells[0].textContent === label);
  const cell = tr.cells[1], out = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const re = /[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+/g; let m;
    while ((m = re.exec(t.data))) {
      const r = document.createRange(); r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);
      out.push([m[0], new Set([...r.getClientRects()].map(b => Math.round(b.top))).size]);
    }
  }
  return [cell.textContent, out];
}"""
SHOW = ("() => { const P = window.yuanluo.editorPage; P.select(Array.from(P.members.get('U004')), false);"
        " window.yuanluo.editorUi.refresh(); }")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_code_in_the_editors_reason_stays_on_one_line(tmp_path: Path, lang: str) -> None:
    (tmp_path / "village").mkdir()
    village = walk_limit_village(tmp_path / "village")
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    label = text("editor.card.reason", lang)  # type: ignore[arg-type]
    broken, seen = [], set()
    with live_page(page, viewport=(372, 640), ready="!!(window.yuanluo && window.yuanluo.editorUi)") as (p, errors):
        for width in range(300, 373, 4):  # zh broke HEAD-SHORT at 300-320 px before
            p.set_viewport_size({"width": width, "height": 640})
            p.evaluate(SHOW)
            said, codes = p.evaluate(CODES, label)
            seen |= {c for c, _ in codes}
            broken += [(width, c) for c, n in codes if n != 1]
        assert errors == []
    assert "HEAD-SHORT" in seen and "HEAD-SHORT" in said, said
    assert broken == [], broken
