"""The pages say a count of one as the catalogue says it, every noun (session 54, helper E): the page's Y.one
(maps/assets/yuanluo.js) knew only the plurals made with an s, so "1 entries match" (map.search_values) and
"1 categories" stayed plural on a page where ``gis.catalogue.english_one`` says "1 entry matches"; and its pattern
began with a lookbehind, which a phone's older browser cannot read (the page's script stops there, in English)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, open_in_chromium

from yuanluo.gis.catalogue import LANGS, catalogue, english_one, english_one_rule
from yuanluo.maps.offline import LEAFLET_VERSION, read_asset, read_own_asset

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

FIELD = re.compile(r"\{\w+(?:\[\w+\])?(?::[^{}]*)?\}")


def english_texts_with_one() -> list[str]:
    """Every English text of the catalogue with each of its fields a count of one."""
    assert "en" in LANGS
    out = []
    for entry in catalogue().values():
        for t in entry.get("en", {}).values():
            if isinstance(t, str) and FIELD.search(t):
                out.append(FIELD.sub("1", t))
    return sorted(set(out))


def page_one(tmp_path: Path, samples: list[str]) -> list[str]:
    page = tmp_path / "one.html"
    page.write_text("<!doctype html><html><head><meta charset='utf-8'></head><body>"
                    f"<script>{read_asset(f'leaflet-{LEAFLET_VERSION}/leaflet.js')}</script>"
                    f"<script>var K = {json.dumps({'one': english_one_rule('en')})};</script>"
                    f"<script>{read_own_asset('yuanluo.js')}</script>"
                    f"<script>window.samples = {json.dumps(samples)};</script></body></html>", encoding="utf-8")
    rep = open_in_chromium(page, wait_for="window.yuanluo && typeof window.yuanluo.one === 'function'",
                           evaluate={"said": "JSON.stringify(window.samples.map(window.yuanluo.one))"})
    assert rep.console_errors == []
    return list(json.loads(rep.counts["said"]))


def test_every_catalogue_text_says_one_on_the_page_as_in_python(tmp_path: Path) -> None:
    texts = english_texts_with_one()
    assert len(texts) > 500
    said = page_one(tmp_path, texts)
    differ = [(t, s, english_one(t)) for t, s in zip(texts, said, strict=True) if s != english_one(t)]
    assert differ == []


def test_the_irregular_plurals_and_their_verbs(tmp_path: Path) -> None:
    samples = ["1 entries match “Sant”; tap one:", "in 1 unit, 1 categories were scored; 21 categories; 1 entries",
               "(over the 1 categories rated in both periods)", "1 households, 1 categories"]
    assert page_one(tmp_path, samples) == ["1 entry matches “Sant”; tap one:",
                                           "in 1 unit, 1 category was scored; 21 categories; 1 entry",
                                           "(over the 1 category rated in both periods)", "1 household, 1 category"]


def test_the_pages_patterns_have_no_lookbehind() -> None:
    rule = english_one_rule("en")
    assert rule is not None and english_one_rule("zh") is None
    patterns = [v for v in rule.values() if isinstance(v, str)]
    assert len(patterns) == 2 and not any("(?<" in p for p in patterns)
