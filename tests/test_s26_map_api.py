"""Audit s26: the household cards of the HTML maps show a yes/no column (the candidate head) in catalogue words
of the page's language, never ``true``/``false``; the map :func:`yuanluo.make_map` returns displays inline in a
notebook (its ``_repr_html_`` is the self-contained page in an iframe, with no ``yuanluo-vendor:`` reference)."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.gis.catalogue import text
from yuanluo.maps.coverage import make_cover_map, render_cover_html
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers

WORDS = {lang: {text("out.csv.yes", lang), text("out.csv.no", lang)} for lang in ("zh", "en")}
#: a card's rows as lines of label TAB value (its rows are grids since s57: its innerText no longer holds the tab)
ROWS = ("function rows(s){return Array.prototype.map.call(s.querySelectorAll('tr'),function(r){"
        "return Array.prototype.map.call(r.cells,function(c){return c.innerText;}).join('\\t');}).join('\\n');}")


def _households_data(html: str) -> dict:
    found = re.search(r"var D = (\{.*?\});\n", html)
    assert found is not None
    return json.loads(found.group(1))


def _layers() -> dict:
    lyr = sample_layers(60, block=5, seed=1)
    hh = lyr["households"].copy()
    hh["head_candidate"] = hh["head_candidate"].astype(bool)
    hh["occupied"] = pd.array([True, False, None] * (len(hh) // 3) + [True] * (len(hh) % 3), dtype="boolean")
    hh["flag"] = pd.Series([True, None] * (len(hh) // 2) + [False] * (len(hh) % 2), index=hh.index, dtype=object)
    return {**lyr, "households": hh}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yes_no_fields_travel_as_catalogue_words(lang):
    """head_candidate (numpy bool), a nullable boolean and an object column of True/None: every value the card
    can show is the catalogue's yes or no in the page's language (a missing one stays empty)."""
    lyr = _layers()
    d = _households_data(render_html(make_map(lyr, lang=lang, fields=["occupied", "flag"])))
    assert {"head_candidate", "occupied", "flag"} <= set(d["fields"])
    for name, extra in zip(d["fields"], d["extra"], strict=True):
        if name in ("head_candidate", "occupied", "flag"):
            shown = {v for v in extra["v"] if v is not None}
            assert shown and shown <= WORDS[lang], (name, extra["v"])
    assert "true" not in json.dumps(d["extra"]) and "false" not in json.dumps(d["extra"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_map_yes_no_fields_are_words(lang):
    """The cover map's household cards use the same data: head_candidate in words there too."""
    lyr = sample_layers(60, block=5, seed=1)
    hh = lyr["households"].assign(hub_id="H1", walk_min=3.0)
    hubs = hh.iloc[[0]].assign(hub_id="H1", level="village")[["hub_id", "level", "geometry"]]
    d = _households_data(render_cover_html(make_cover_map({"households": hh, "hubs": hubs}, lang=lang)))
    extra = d["extra"][d["fields"].index("head_candidate")]
    assert {v for v in extra["v"] if v is not None} <= WORDS[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_household_card_in_chromium_shows_yes_no_words(lang, tmp_path):
    require_browser()
    page = tmp_path / "map.html"
    page.write_text(render_html(make_map(_layers(), lang=lang, fields=["occupied"])), encoding="utf-8")
    js = ("(function(){" + ROWS + "var Y=window.yuanluo,H=Y.households,o=[];"
          "for(var j=0;j<H.hid.length;j++){o.push(rows(Y.showHousehold(j)));}return o;})()")
    rep = open_in_chromium(page, evaluate={"cards": js}, wait_for="window.yuanluo && window.yuanluo.showHousehold")
    cards = rep.counts["cards"]
    assert cards and not rep.console_errors
    head = text("map.head_candidate", lang)
    rows = [ln for c in cards for ln in c.splitlines() if ln.startswith(head)]
    assert len(rows) == len(cards)  # every household shows its candidate-head value ...
    assert {r.split("\t", 1)[1].strip() for r in rows} <= WORDS[lang]  # ... in words
    assert not any(re.search(r"\b(true|false)\b", c) for c in cards)


# ---------------------------------------------------------------------------------------------- notebook display
def _srcdoc(out: str) -> str:
    found = re.search(r'<iframe srcdoc="([^"]*)"', out)
    assert found is not None, out[:300]
    return html.unescape(found.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_make_map_displays_inline_as_the_self_contained_page(lang, tmp_path):
    """What a notebook shows for the map (``_repr_html_``) is render_html's page in an iframe: no asset left on
    the private ``yuanluo-vendor:`` scheme, the page's Content-Security-Policy kept; save_map still writes the
    same page afterwards, and the page itself has no iframe wrapper."""
    lyr = sample_layers(60, block=5, seed=1)
    m = make_map(lyr, lang=lang)
    out = m._repr_html_()
    assert "yuanluo-vendor:" not in out and "yuanluo-vendor:" not in html.unescape(out)
    page = _srcdoc(out)
    assert "Content-Security-Policy" in page and "<iframe" not in page
    assert "Trust Notebook" not in out or lang == "en"  # no English on a Chinese notebook output
    assert m._repr_html_() == out  # displaying twice gives the same page ...
    saved = save_map(m, tmp_path / "m.html")  # ... and leaves the map as it was: save_map writes that page
    assert saved.read_text(encoding="utf-8") == page
    assert render_html(make_map(lyr, lang=lang)) == page


def test_notebook_display_draws_the_map_in_chromium(tmp_path):
    """The cell output opened in headless Chromium: the map inside the iframe draws every household, with no
    console error (before: ERR_UNKNOWN_URL_SCHEME for Leaflet, "L is not defined") and no CSP violation."""
    require_browser()
    lyr = sample_layers(60, block=5, seed=1)
    cell = tmp_path / "cell.html"
    cell.write_text("<!DOCTYPE html><html><body>" + make_map(lyr)._repr_html_() + "</body></html>",
                    encoding="utf-8")
    inner = "document.querySelector('iframe').contentWindow"
    rep = open_in_chromium(cell, wait_for=f"{inner}.yuanluo && {inner}.yuanluo.householdsDrawn !== undefined",
                           timeout_s=30, evaluate={
                               "households": f"{inner}.yuanluo.householdsDrawn",
                               "height": "document.querySelector('iframe').getBoundingClientRect().height",
                               "stamp": f"{inner}.document.querySelector('.yl-stamp').textContent",
                               "csp": f"{inner}.document.querySelector('meta[http-equiv=Content-Security-Policy]').content"})
    assert rep.console_errors == [] and rep.external_requests == [] and rep.dialogs == []
    assert rep.counts["households"] == len(lyr["households"])
    assert rep.counts["height"] > 300  # folium's sizing: full width, 60 % as high
    assert rep.counts["stamp"] == "内部工作用图"
    assert "script-src" in rep.counts["csp"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_household_card_tells_the_units_persons_from_the_households(lang, tmp_path):
    """The card showed 人数 117 (the unit's) and, further down, 人数 3 (the household's): the unit's row now
    reads 院落人数 / Persons in the unit, each row's label once."""
    require_browser()
    lyr = sample_layers(60, block=5, seed=1)
    assert "persons" in lyr["households"].columns and "persons" in lyr["units"].columns
    page = tmp_path / "map.html"
    page.write_text(render_html(make_map(lyr, lang=lang)), encoding="utf-8")
    js = "(function(){" + ROWS + "return rows(window.yuanluo.showHousehold(0));})()"
    rep = open_in_chromium(page, evaluate={"card": js}, wait_for="window.yuanluo && window.yuanluo.showHousehold")
    labels = [ln.split("\t", 1)[0].strip() for ln in rep.counts["card"].splitlines() if "\t" in ln]
    assert text("map.card.unit_persons", lang) in labels and text("map.persons", lang) in labels
    assert len(labels) == len(set(labels)), labels
