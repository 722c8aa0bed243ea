"""Quoted once on the pages too (session 52, helper N): the editor said what was typed into its 查找 box in the
catalogue's quotes, 未找到““S01””… for a search typed with quotes of its own ("S01"), as the messages did before
gis.catalogue.once_quoted. The pages' own fillers (yuanluo.js ``Y.fill``, the editor's ``fill`` and ``fmt``) now
leave the template's quotes out as the catalogue does (``Y.onceQuoted``).

Fixture: the bundled sample (editor_fixtures.sample_case), zh at 360 × 640 and en at 390 × 844 on a touch screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from built_fixtures import sample_editor_page

from yuanluo.gis.catalogue import text

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NESTED = re.compile(r"“[^”]*['\"“‘「『][^”]*”|「[^」]*[“\"'][^」]*」")
FIND = """(q) => {
  const f = document.querySelector('.yl-ed-find');
  f.querySelector('input').value = q; f.querySelector('button').click();
  return document.querySelector('.yl-ed-info').textContent;
}"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (390, 844))])
def test_a_search_typed_with_quotes_is_said_quoted_once(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    page = sample_editor_page(tmp_path, lang)
    SHOTS.mkdir(exist_ok=True)
    with live_page(page, viewport=size, ready=READY, touch=True) as (p, errors):
        quoted = p.evaluate(FIND, '"S01"')
        p.screenshot(path=str(SHOTS / f"s52_n_editor_quoted_{lang}_{size[0]}.png"))
        plain = p.evaluate(FIND, "S01")
        assert not errors, errors
    template = text("editor.msg.not_found", lang)  # type: ignore[arg-type]
    assert quoted == template.replace("“{q}”", '"S01"') and not NESTED.search(quoted), quoted
    assert plain == template.replace("{q}", "S01"), plain  # without quotes of its own: in the catalogue's
