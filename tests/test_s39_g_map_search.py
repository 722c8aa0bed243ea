"""Session 39, helper G (audit E): on the field map, Enter in the search box searched even while a pinyin (IME)
composition was open, so typing 新 as "xin" searched the half-typed letters and flashed 未找到; and the box had no
button to tap (the editor has 查找). The Enter that ends a composition (isComposing, or keyCode 229 as Chromium's
Android keyboards send it) now only puts the characters in; a 查找 / Find button (at least 40 x 40 px) beside the box
searches as Enter does.

Fixture: the sample layers (make_map), at 390 x 844 in zh and en.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

PROBE = """(() => {
  const box = document.querySelector('.yl-search'), input = box.querySelector('input'),
        msg = box.querySelector('.yl-search-msg'), out = {};
  const enter = (init) => input.dispatchEvent(new KeyboardEvent('keydown', Object.assign({key: 'Enter', bubbles: true}, init)));
  input.value = 'xin'; enter({isComposing: true}); out.composing = msg.textContent;
  enter({keyCode: 229}); out.k229 = msg.textContent;
  enter({}); out.enter = msg.textContent;
  const go = box.querySelector('button.yl-search-go');
  out.button = go ? [go.textContent, go.getBoundingClientRect().width, go.getBoundingClientRect().height] : null;
  const r = box.getBoundingClientRect(); out.right = r.right;
  input.value = 'u003'; if (go) go.click(); out.after = msg.textContent;
  const card = document.querySelector('.yl-card'); out.card = card && !card.hidden ? card.querySelector('h2, h3, header, strong, b')?.textContent || card.innerText.slice(0, 40) : null;
  return out;
})()"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_enter_in_a_composition_does_not_search_and_the_button_does(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = save_map(sample_layers(120, block=5, seed=7), tmp_path / "m.html", lang=lang)
    shot = Path(__file__).resolve().parents[1] / "test-artifacts" / f"s39_g_map_search_{lang}.png"
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="!!(window.yuanluo && window.yuanluo.find)", settle_ms=300,
                           screenshot=shot, evaluate={"p": PROBE})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    p = rep.counts["p"]
    assert p["composing"] == "" and p["k229"] == "", p  # the old page: 未找到 at the composition's Enter
    assert p["enter"] == text("map.not_found", lang), p  # a plain Enter still searches
    assert p["button"] is not None, p
    label, width, height = p["button"]
    assert label == text("map.find", lang) and width >= 40 and height >= 40, p
    assert p["right"] <= 390, p
    assert p["after"] == "" and p["card"] and "U003" in p["card"], p
