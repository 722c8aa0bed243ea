"""The pages say a count of one as the catalogue says it, a possessive too (session 49, helper N): the page's
Y.one (maps/assets/yuanluo.js) with gis.catalogue.english_one_rule gave "1 minute walk" for "1 minutes' walk",
where english_one gives "1 minute's walk"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, open_in_chromium

from yuanluo.gis.catalogue import english_one, english_one_rule
from yuanluo.maps.offline import LEAFLET_VERSION, read_asset, read_own_asset

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

SAMPLES = ["more than 1 minutes' walk to the nearest service point", "1 households' walks; 11 minutes' walk",
           "1 households are far; 1.5 minutes' walk; 21 households, 1 units", "1 minutes, 1 seed points were left out"]


def test_the_page_says_one_as_the_catalogue_does(tmp_path: Path) -> None:
    page = tmp_path / "one.html"
    page.write_text("<!doctype html><html><head><meta charset='utf-8'></head><body>"
                    f"<script>{read_asset(f'leaflet-{LEAFLET_VERSION}/leaflet.js')}</script>"
                    f"<script>var K = {json.dumps({'one': english_one_rule('en')})};</script>"
                    f"<script>{read_own_asset('yuanluo.js')}</script></body></html>", encoding="utf-8")
    rep = open_in_chromium(page, wait_for="window.yuanluo && typeof window.yuanluo.one === 'function'",
                           evaluate={f"s{i}": f"window.yuanluo.one({json.dumps(s)})" for i, s in enumerate(SAMPLES)})
    assert rep.console_errors == []
    assert [rep.counts[f"s{i}"] for i in range(len(SAMPLES))] == [english_one(s) for s in SAMPLES]
    assert rep.counts["s0"] == "more than 1 minute's walk to the nearest service point"
