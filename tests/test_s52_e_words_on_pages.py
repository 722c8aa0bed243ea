"""Session 52, helper E (second round): words a town official reads on the pages.

1. The unit card's size line broke before its tick: with the phone's text at 130 % (zh, 360 px) the field map's and
   the maturity map's card said "21 户 / 规定 20–50 户" and then ✔ alone on the next line. A no-break space keeps
   the tick with the words it judges (map.card.size_ok_*; the print sheets say 符合规定 in words, unchanged).
2. The bundled sample's data credit stood in English on the Chinese pages ("OpenStreetMap contributors (ODbL);
   SRTM (NASA/USGS)" under the field, cover and maturity maps and the editor's map): `yuanluo demo` records it once
   in the run table and every later page read it from there. It is our own sentence, so a page now says it in its
   language (maps.style.credit_words, map.sample_credit: OpenStreetMap's name and the ODbL kept, as the licence
   asks; SRTM, NASA/USGS are names). A credit the user gives (--credit) is shown as given.
3. The check report's rules said "步行上限 –" when no walking limit was set; now 未设定 / not set.
4. The editor's opening lines, folded to two on a phone and opened by a tap, were a button 36 px tall (13 px text at
   a line height of 1.4); now 44 px.

Fixtures: the field map of 40 sample households, the editor of the bundled sample (editor_fixtures.sample_case),
the check result of test_s42_m_report_phone (60 households in a row) with and without its walking limit.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import sample_case
from test_s42_m_report_phone import _result

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload, render_editor
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import SAMPLE_CREDIT
from yuanluo.planners.cli.demo import SAMPLE_CREDIT as DEMO_CREDIT
from yuanluo.planners.report import render_html as report_html

LANGS: list[Lang] = ["zh", "en"]


def _field_map(lang: Lang, credit: str | None = None) -> str:
    return render_html(make_map(sample_layers(40, block=3, seed=1), lang=lang, credit=credit))


@pytest.mark.parametrize("lang", LANGS)
def test_the_unit_cards_tick_stays_with_its_words(lang: Lang) -> None:
    page = _field_map(lang)
    for by in ("households", "persons"):
        ok = text(f"map.card.size_ok_{by}", lang)
        assert ok.endswith("\u00a0✔"), ok  # no break before the tick
        assert ok.replace("\u00a0", " ") not in page, "the card's size line with a plain space before ✔"
    assert "\\u00a0\\u2714" in page or "\u00a0✔" in page, "the field map's card texts without the no-break space"


def test_the_samples_credit_is_said_in_the_pages_language(tmp_path: Path) -> None:
    assert DEMO_CREDIT == SAMPLE_CREDIT  # what the demo records is what the pages recognise
    zh, en = text("map.sample_credit", "zh"), text("map.sample_credit", "en")
    assert en == SAMPLE_CREDIT and "贡献者" in zh and "ODbL" in zh and "OpenStreetMap" in zh
    assert not re.search(r"[A-Za-z]+ [a-z]{3,}", zh), zh  # no English words in the Chinese (names stay names)
    page = _field_map("zh", SAMPLE_CREDIT)
    assert html.escape(zh, quote=False) in page and "contributors" not in page
    assert html.escape(SAMPLE_CREDIT, quote=False) in _field_map("en", SAMPLE_CREDIT)
    own = "© 某测绘院 2025 (survey)"  # a credit the user gives: as given, in any language
    assert html.escape(own, quote=False) in _field_map("zh", own)
    case = sample_case()
    for lang, want in (("zh", zh), ("en", en)):
        payload = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind,
                                 lang=lang, credit=SAMPLE_CREDIT)  # type: ignore[arg-type]
        assert payload["credit"] == html.escape(want, quote=False), payload["credit"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_walking_limit_is_said_in_words(lang: Lang) -> None:
    res = _result()
    row = re.compile(re.escape(text("report.walk", lang)) + r"</(?:th|td|dt|span|b)>\s*<(?:td|dd|span)[^>]*>([^<]*)<")
    limited = row.search(report_html(res, lang=lang))
    assert limited and text("report.minutes", lang) in limited.group(1), "the walking limit's row not found"
    free = dataclasses.replace(res, rules=dataclasses.replace(res.rules, max_walk_min=None))
    said = row.search(report_html(free, lang=lang))
    assert said and said.group(1) == text("report.walk_none", lang), said and said.group(1)


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (390, 844))])
def test_the_editors_folded_lines_are_a_fingers_height(tmp_path: Path, lang: Lang, size: tuple[int, int]) -> None:
    case = sample_case()
    payload = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind, lang=lang)
    page = tmp_path / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    with live_page(page, viewport=size, ready="!!(window.yuanluo && window.yuanluo.editorUi)", touch=True) as (p, errs):
        box = p.evaluate("""() => { const i = document.querySelector('.yl-ed-info');
          return [i.classList.contains('yl-ed-fold'), i.getAttribute('role'), i.getBoundingClientRect().height,
                  i.scrollHeight > i.clientHeight + 1]; }""")
        assert not errs, errs
    folded, role, height, cut = box
    assert folded and role == "button" and cut, box  # folded, a button, its lines cut short
    assert height >= 40, f"the folded lines, a button, are {height:.1f} px tall"


def _cover_report(lang: Lang) -> str:
    """The cover report of 3 households in a row and 12 each on its own (no road to anyone), one service point,
    without village or group columns: 12 households that cannot reach any point, named by their ids alone."""
    import geopandas as gpd

    from yuanluo.gis.graph import TerrainGraph
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report

    ids = ["a", "b", "c", *(f"X-{i:02d}" for i in range(12))]
    xy = [[0, 0], [60, 0], [120, 0], *([2000 + 500 * i, 900] for i in range(12))]
    g = TerrainGraph.from_edges(ids, xy, [(0, 1), (1, 2)], crs="EPSG:4545")
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]), crs=g.crs, index=g.ids.copy())
    return render_cover_report(site(hh, g, CoverPlan(n_hubs=1)), lang=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_households_that_reach_no_point_are_one_list_of_ids(lang: Lang) -> None:
    page = _cover_report(lang)
    section = page.split('id="nc-unreachable"', 1)[1].split("<h", 1)[0]
    assert "<table" not in section and "<td" not in section, "a card (a table row) for each id"
    shown = re.findall(r'<span class="id">(X-\d\d)</span>', section)
    assert shown == [f"X-{i:02d}" for i in range(12)], shown  # all of them, in order, each kept whole
    sep = html.escape(text("list.sep", lang), quote=False)
    assert f"</span>{sep}<span" in section and section.count('<span class="extra">') == 1  # ten, then the rest


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_the_list_of_ids_reads_short_on_a_phone(tmp_path: Path) -> None:
    page = tmp_path / "cover-zh.html"
    page.write_text(_cover_report("zh"), encoding="utf-8")
    count = """() => { const h = document.getElementById('nc-unreachable'); const box = h.nextElementSibling.nextElementSibling;
      return [[...box.querySelectorAll('span.id')].filter(s => s.getClientRects().length).length,
              Math.round(box.getBoundingClientRect().height)]; }"""
    with live_page(page, viewport=(360, 640), ready="document.readyState=='complete'", touch=True) as (p, errs):
        closed = p.evaluate(count)
        p.locator("#nc-unreachable ~ .rows details.more summary").first.tap()
        opened = p.evaluate(count)
        assert not errs, errs
    assert closed[0] == 10 and opened[0] == 12, (closed, opened)  # the first ten, all after a tap
    assert opened[1] < 200, f"the 12 ids take {opened[1]} px of a 640 px screen"
