"""No text of the data is ever run as a Jinja template (audit s33 AB, defect 1: remote code execution).

branca renders every folium element's macro into a new ``Element`` whose template *source* is that output and
renders it again, so a household's village ``幸福村{{ lipsum.__globals__['os'].system('id > x') }}`` ran the shell
command when ``check --map`` (and ``delineate --map``, ``map -o x.html``, ``cover --map``, ``maturity load --map``,
whose score sheet's 评估期 reached the page title) wrote its page, and ``{{7*7}}`` in a name showed as 49. Now the
page's sections emit that output as text (``maps.interactive.inert_page``) and the page's own texts are
``maps.interactive.Text``: every one of these commands shows ``{{7*7}}``, ``{% if true %}X{% endif %}`` and
``{# c #}`` as they are, and a payload that would create a file creates nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import openpyxl
import pytest
from branca.element import Element
from typer.testing import CliRunner

from yuanluo.gis.output import write_layers
from yuanluo.maps.interactive import inert_page, make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}
MARKS = ("{{7*7}}", "{% if true %}X{% endif %}", "{# c #}")


def _payload(where: Path, name: str) -> str:
    """Jinja that, rendered, creates ``where/name``."""
    return "{{ cycler.__init__.__globals__.os.system('touch " + str(where / name) + "') }}"


def _hostile(tmp: Path, what: str) -> str:
    return "".join(MARKS) + _payload(tmp, f"PWNED_{what}")


def _run(*args: str) -> None:
    res = CliRunner().invoke(app, list(args), env=ENV)
    assert res.exit_code in (0, 1), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception


def _assert_inert(html: str, tmp: Path, *texts: str) -> None:
    """The page holds each text of the data as it is (JSON keeps ``{``, ``%`` and ``#``); nothing was run."""
    for t in texts:
        assert t in html, t
    for name in ("幸福村", "院子", "组", "标题"):
        assert name + "49" not in html and name + "X" not in html, name
    assert list(tmp.glob("PWNED_*")) == []


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 120-household village whose village and settlement names carry Jinja (``{{7*7}}``, a block, a comment
    and a payload that creates a file)."""
    from yuanluo.gis.synth import make_village

    tmp = tmp_path_factory.mktemp("ssti_v")
    hh = make_village(120, seed=3).households.copy()
    first = hh["settlement"].iloc[0]
    hh.loc[hh["settlement"] == first, "settlement"] = "院子" + _hostile(tmp, "settlement")
    hh["village"] = "幸福村" + _hostile(tmp, "village")
    write_layers(tmp / "households.gpkg", {"households": hh})
    return tmp / "households.gpkg"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result GeoPackage whose units' village and households' group names carry Jinja."""
    tmp = tmp_path_factory.mktemp("ssti_r")
    layers = sample_layers(200, block=5)
    layers["units"]["village"] = "幸福村" + _hostile(tmp, "units")
    layers["households"]["group"] = "组" + _hostile(tmp, "group")
    write_layers(tmp / "result.gpkg", {k: v for k, v in layers.items() if k != "run"})
    return tmp / "result.gpkg"


def test_check_map(village: Path) -> None:
    tmp = village.parent
    page = tmp / "check.html"
    _run("check", str(village), "--unit-col", "settlement", "--preset", "changshou", "--map", str(page), "-q")
    _assert_inert(page.read_text(encoding="utf-8"), tmp, "幸福村" + "".join(MARKS), "院子" + "".join(MARKS))


def test_delineate_map(village: Path) -> None:
    tmp = village.parent
    page = tmp / "del.html"
    _run("delineate", str(village), "-o", str(tmp / "del.gpkg"), "--preset", "changshou", "--map", str(page), "-q")
    _assert_inert(page.read_text(encoding="utf-8"), tmp, "幸福村" + "".join(MARKS))


def test_map_title_and_data_same_bytes(result: Path) -> None:
    tmp = result.parent
    title = "标题" + _hostile(tmp, "title")
    pages = [tmp / "map1.html", tmp / "map2.html"]
    for p in pages:
        _run("map", str(result), "-o", str(p), "--title", title, "-q")
    html = pages[0].read_text(encoding="utf-8")
    _assert_inert(html, tmp, "组" + "".join(MARKS))
    assert "<title>标题{{7*7}}{% if true %}X{% endif %}{# c #}{{ cycler." in html
    assert pages[0].read_bytes() == pages[1].read_bytes()


def test_cover_map(result: Path) -> None:
    tmp = result.parent
    page = tmp / "cover.html"
    _run("cover", str(result), "-o", str(tmp / "cover.gpkg"), "--map", str(page), "-q")
    _assert_inert(page.read_text(encoding="utf-8"), tmp, "组" + "".join(MARKS))


def test_maturity_map_period(result: Path) -> None:
    """The score sheet's 评估期 reaches the page title (``院落服务成熟度 · <period>期``) and the data."""
    tmp = result.parent
    _run("maturity", "template", str(result), "-o", str(tmp / "score.xlsx"), "-q")
    wb = openpyxl.load_workbook(tmp / "score.xlsx")
    ws = wb.worksheets[0]
    period = _hostile(tmp, "period") + '{{ cycler.__init__.__globals__.os.system("touch PWNED_q") }}{% endif %}{{'
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6, period)
        for c in range(9, 9 + 18):
            ws.cell(r, c, (r + c) % 10 + 1)
    wb.save(tmp / "score_f.xlsx")
    page = tmp / "mat.html"
    _run("maturity", "load", str(result), str(tmp / "score_f.xlsx"), "-o", str(tmp / "mat.gpkg"),
         "--map", str(page), "-q")
    html = page.read_text(encoding="utf-8")
    _assert_inert(html, tmp, "".join(MARKS))
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "{{7*7}}{% if true %}X{% endif %}{# c #}" in title.group(1), title
    assert " 49" not in title.group(1)
    assert '{% endif %}{{' in title.group(1)  # not compiled either: a syntax error stopped the page (exit 3)


def test_folium_elements_and_the_invariant(tmp_path: Path) -> None:
    """Any folium element a page gets (a popup, a tooltip, a layer name) stays text; text put into the page
    outside its sections is drawn, not compiled."""
    m = make_map(sample_layers(20, block=5, seed=1), lang="en", title="T{{7*7}}")
    marker = folium.Marker([0.0, 0.0], tooltip="tip{{7*7}}", popup=folium.Popup("pop{{7*7}}{% if 1 %}Y{% endif %}"))
    marker.add_to(m)
    folium.FeatureGroup(name="layer{{7*7}}").add_to(m)
    html = render_html(m)
    for t in ("T{{7*7}}", "tip{{7*7}}", "pop{{7*7}}{% if 1 %}Y{% endif %}", "layer{{7*7}}"):
        assert t in html, t
    assert "T49" not in html and "tip49" not in html and "pop49" not in html and "layer49" not in html
    # folium's own save() of the map compiles no data either
    m.save(str(tmp_path / "folium.html"))
    assert "tip{{7*7}}" in (tmp_path / "folium.html").read_text(encoding="utf-8")
    # any folium page made inert (render_html does it to what it renders)
    plain = folium.Map(tiles=None)
    folium.Marker([0.0, 0.0], tooltip="p{{7*7}}").add_to(plain)
    assert "p{{7*7}}" in inert_page(plain.get_root()).render()
    # nor compiled: a page rendered before (whose sections hold its texts) is copied and rendered again
    m2 = make_map(sample_layers(20, block=5, seed=1), lang="en", title="{% endif %}{{")
    m2.save(str(tmp_path / "twice.html"))
    assert "<title>{% endif %}{{</title>" in render_html(m2)
    # a text added to the map outside the sections is drawn as it is (tests/test_s33_fo_user_texts.py)
    m.add_child(Element("<b>{{7*7}}</b>"))
    assert "<b>{{7*7}}</b>" in render_html(m)
    # the sections keep what branca made of text without markup: one final newline dropped, newlines as \n
    f = inert_page(folium.Figure())
    f.header.add_child(Element("a\r\nb\n"), name="x")
    assert "\n    a\nb\n" in f.render()


def test_pages_render_in_chromium(result: Path) -> None:
    """The hostile map opens at 390 x 844 with its title as text and no error."""
    from browser import browser_unavailable_reason, open_in_chromium

    if browser_unavailable_reason() is not None:
        pytest.skip(str(browser_unavailable_reason()))
    tmp = result.parent
    page = tmp / "phone.html"
    _run("map", str(result), "-o", str(page), "--title", "标题{{7*7}}", "-q")
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=tmp / "phone.png", settle_ms=800,
                           wait_for="window.yuanluo",
                           evaluate={"title": "document.title",
                                     "overlay": "document.querySelector('.yl-title').textContent",
                                     "dots": "document.querySelectorAll('canvas').length"})
    assert rep.console_errors == [], rep.console_errors
    assert rep.counts["title"] == "标题{{7*7}}" and rep.counts["overlay"] == "标题{{7*7}}", json.dumps(rep.counts)
    assert rep.counts["dots"] >= 1
    assert list(tmp.glob("PWNED_*")) == []
