"""Session 39, task H2: the cover report's tables fit a phone.

``yuanluo cover … --report`` on the 10,000-household synthetic town showed its service-point and coverage tables
419–504 px wide in a 378 px scroll box at 390×844: the answer columns (平均步行(分), 最远步行(分), 走不到,
15 分钟内 %) were off the screen with no sign the table scrolls, and ids broke inside ("V002-/G3"). Under 600 px
each row of those tables, and of the households not covered, is now a card: one line a cell, its column's heading
first (``data-h``), nothing wider than the screen; wide screens and print keep the tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_fixtures import run_cli

from yuanluo.planners.workflows import sample_paths


@pytest.fixture(scope="module", params=["zh", "en"])
def report(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("cards")
    result = sample_paths()["households"].split("::")[0]
    run_cli(["cover", result, "--hubs", "3", "--limit", "5", "-o", str(d / "c.gpkg"), "--report",
             str(d / "c.html")], lang=request.param)
    return d / "c.html", request.param


def test_every_cell_of_the_wide_tables_says_its_heading(report):
    path, lang = report
    page = path.read_text(encoding="utf-8")
    tables = re.findall(r'<table class="([^"]*)"><thead><tr>(.*?)</tr></thead><tbody>(.*?)</tbody>', page, re.S)
    cards = [t for t in tables if "cards" in t[0].split()]
    assert {c for t in cards for c in t[0].split()} >= {"list", "hubs", "cards"} and len(cards) >= 3
    for _, head, body in cards:
        heads = re.findall(r"<th[^>]*>([^<]*)</th>", head)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body):
            assert re.findall(r'<td data-h="([^"]*)"', row) == heads
    walk = "平均步行(分)" if lang == "zh" else "Mean walk (min)"
    assert f'data-h="{walk}"' in page
    assert re.search(r"@media screen and \(max-width:600px\)\{table\.cards thead\{display:none\}", page)


def test_on_a_phone_nothing_is_off_the_screen(report):
    from browser import live_page, require_browser

    require_browser()
    path, _ = report
    with live_page(path, viewport=(390, 844), ready="document.readyState === 'complete'", touch=True,
                   scale=3) as (page, errors):
        right = page.evaluate("() => Math.max(...[...document.querySelectorAll('table.cards td')]"
                              ".map(td => td.getBoundingClientRect().right))")
        width = page.evaluate("() => document.documentElement.clientWidth")
        hidden = page.evaluate("() => [...document.querySelectorAll('table.cards')]"
                               ".filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).length")
        assert not errors
    assert right <= width and hidden == 0
