"""The coverage map's search box has the 查找 / Find button the field map got in session 39 (helper G, bf1a5a9).

search.js draws the button only where the page's data names it (``S.find``); the field map passed it, the coverage
map did not, so on a phone its box could be searched only with the keyboard's Enter. The page data now names it,
and in Chromium at 390 x 844 the button is there, at least 40 px high, and finds a service point.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser
from shared_fixtures import chain

from yuanluo.gis.catalogue import text
from yuanluo.maps.coverage import make_cover_map, render_cover_html
from yuanluo.planners.cover import CoverPlan, drawn_layers, output_layers, site


def _page(lang: str) -> tuple[str, str]:
    hh, graph = chain(village=["甲村"] * 10, group=["1组"] * 10)
    res = site(hh, graph, CoverPlan(mobile_within=30, limit_min=30))
    layers = drawn_layers(res, output_layers(res, lang), lang)
    return render_cover_html(make_cover_map(layers, lang=lang)), str(layers["hubs"]["hub_id"].iloc[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_page_names_the_find_button(lang: str) -> None:
    html, _ = _page(lang)
    data = json.loads(re.search(r"var S = (\{.*?\});\n", html).group(1))  # type: ignore[union-attr]
    assert data["find"] == text("map.find", lang)


def test_the_find_button_finds_a_point_on_a_phone(tmp_path: Path) -> None:
    require_browser()
    html, point = _page("zh")
    page = tmp_path / "cover.html"
    page.write_text(html, encoding="utf-8")
    probe = f"""(() => {{
      const box = document.querySelector('.yl-search'), go = box && box.querySelector('button.yl-search-go');
      if (!go) return null;
      box.querySelector('input').value = {json.dumps(point.lower())};
      go.click();
      const r = go.getBoundingClientRect();
      return [go.textContent, r.height, box.querySelector('.yl-search-msg').textContent];
    }})()"""
    rep = open_in_chromium(page, viewport=(390, 844), evaluate={"got": probe}, wait_for="!!(window.yuanluo && window.yuanluo.find)")
    got = rep.counts["got"]
    assert got is not None and got[0] == text("map.find", "zh") and got[1] >= 40 and got[2] == "", got
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
