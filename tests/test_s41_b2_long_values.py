"""Over-long values on a phone (session 41, audit H items 4 and 5), at 390x844 in headless Chromium:

* a ``--credit`` of 300 characters without a space made Leaflet's attribution line 3,362 px wide, starting at
  -2,971 px: only its tail showed. It now wraps within the screen, at most three lines, scrolling within them;
* a household id of 20,000 characters made its card's title 17,655 px tall, its close button out of reach: the
  title now ends in an ellipsis after three lines, the whole id in its tooltip, the × beside its first line."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import live_page, require_browser
from shared_fixtures import lonlat_households_csv, run_cli

LONG_ID = "L" + "x" * 20000
CREDIT = "某测绘院" + "C" * 300
READY = "window.yuanluo && window.yuanluo.households"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("long")
    hh = lonlat_households_csv(tmp, 106.55, 29.56, 24)
    hh.write_text(hh.read_text(encoding="utf-8").replace("\n001,", f"\n{LONG_ID},", 1), encoding="utf-8")
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(tmp / "r.gpkg")])
    return tmp / "r.gpkg"


@pytest.mark.parametrize("page_kind", ["map", "cover"])
def test_a_long_credit_wraps_within_the_screen(result: Path, tmp_path: Path, page_kind: str) -> None:
    require_browser()
    html = tmp_path / "p.html"
    if page_kind == "map":
        run_cli(["map", str(result), "-o", str(html), "--credit", CREDIT])
    else:
        run_cli(["cover", str(result), "-o", str(tmp_path / "c.gpkg"), "--map", str(html), "--credit", CREDIT])
    with live_page(html, viewport=(390, 844), ready="window.yuanluo") as (page, errors):
        box = page.evaluate("""() => { const a = document.querySelector('.leaflet-control-attribution');
            const r = a.getBoundingClientRect(), line = parseFloat(getComputedStyle(a).lineHeight);
            return {left: r.left, right: r.right, height: r.height, line: line, text: a.textContent,
                    width: document.documentElement.scrollWidth}; }""")
        assert CREDIT in box["text"]
        assert box["left"] >= 0 and box["right"] <= 390 and box["width"] <= 390, box
        assert box["height"] <= 3 * box["line"] + 6, box  # three lines at most, the rest scrolls within
        assert not errors


def test_the_card_of_a_household_with_a_huge_id_can_be_closed(result: Path, tmp_path: Path) -> None:
    require_browser()
    html = tmp_path / "m.html"
    run_cli(["map", str(result), "-o", str(html)])
    with live_page(html, viewport=(390, 844), ready=READY) as (page, errors):
        assert page.evaluate("(q) => window.yuanluo.find(q)", LONG_ID) == "household"
        page.wait_for_timeout(300)
        box = page.evaluate("""() => { const h = document.querySelector('.yl-card-head h2');
            const x = document.querySelector('.yl-card-close').getBoundingClientRect();
            const card = document.querySelector('.yl-card').getBoundingClientRect();
            return {h2: h.getBoundingClientRect().height, tip: h.title, xTop: x.top, xBottom: x.bottom,
                    cardTop: card.top, line: parseFloat(getComputedStyle(h).lineHeight) || 25}; }""")
        assert box["h2"] <= 3 * box["line"] + 4, box
        assert LONG_ID in box["tip"]
        assert box["cardTop"] <= box["xTop"] and box["xBottom"] <= 844, box  # the × on screen, in the card
        page.click(".yl-card-close")
        assert page.evaluate("() => document.querySelector('.yl-card').hidden")
        assert not errors
