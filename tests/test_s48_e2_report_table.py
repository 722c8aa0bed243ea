"""Session 48, helper E: the check report's units table on a phone.

At 360 × 640 the units table (429 px in a 348 px box; en at 390 × 844: 528 in 378) scrolled sideways and the only
sign was a cut column edge: the shadows meant to show it were painted under the cells' backgrounds, and once
scrolled the unit's name was gone, so a row's walk minutes were nobody's. On a phone the name column now stays in
place while the rest scrolls, a line from the catalogue (report.swipe) says the table scrolls sideways, and a fade
marks the cut right edge; at desktop width nothing of this shows and the name scrolls with its row as before.

Fixture: test_s42_m_report_phone's 60 households, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import live_page, require_browser
from test_s42_m_report_phone import _result

from yuanluo.gis.catalogue import text
from yuanluo.planners.report import write_html

STATE = """(() => {
  const s = document.querySelector('h2#units ~ .rows .scroll'), box = s.getBoundingClientRect();
  s.scrollLeft = s.scrollWidth;
  const cell = s.querySelector('tbody td'), r = cell.getBoundingClientRect();
  const cue = document.querySelector('h2#units ~ .rows p.swipe');
  return {wide: s.scrollWidth > s.clientWidth + 1, scrolled: s.scrollLeft, nameLeft: r.left - box.left,
          nameRight: r.right - box.left, cue: cue ? cue.offsetHeight > 0 && getComputedStyle(cue).visibility === 'visible' : null,
          cueText: cue ? cue.textContent : null,
          page: document.documentElement.scrollWidth <= window.innerWidth + 1};
})()"""


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (390, 844))])
def test_a_phone_keeps_the_unit_name_in_view_and_says_the_table_scrolls(tmp_path: Path, lang: str,
                                                                        size: tuple[int, int]) -> None:
    require_browser()
    path = write_html(_result(), tmp_path / f"check-{lang}.html", lang=lang)
    with live_page(path, viewport=size, ready="true", touch=True) as (page, errors):
        st = page.evaluate(STATE)
        assert st["wide"] and st["scrolled"] > 50, st  # the table does scroll sideways here
        assert -1 <= st["nameLeft"] <= 1 and st["nameRight"] > 20, st  # was -81 / -150: the name scrolled away
        assert st["cue"] is True, st  # was no line at all
        assert st["cueText"] == text("report.swipe", lang)
        assert st["page"]  # the page itself does not scroll sideways
        assert not errors, errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_desktop_shows_no_cue_and_keeps_the_table_as_it_was(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = write_html(_result(), tmp_path / f"check-{lang}.html", lang=lang)
    with live_page(path, viewport=(1280, 800), ready="true", touch=False) as (page, errors):
        st = page.evaluate(STATE)
        assert not st["wide"] and st["cue"] is False, st
        cell = "document.querySelector('table.units tbody td')"
        assert page.evaluate(f"getComputedStyle({cell}).position") == "static"
        assert page.evaluate("getComputedStyle(document.querySelector('div.wide'), '::after').content") == "none"
        assert not errors, errors


def test_the_cue_reads_in_both_languages() -> None:
    zh, en = text("report.swipe", "zh"), text("report.swipe", "en")
    assert "滑动" in zh and not any("a" <= c.lower() <= "z" for c in zh)
    assert "sideways" in en and not any("\u4e00" <= c <= "\u9fff" for c in en)
