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
5. The cover report named the households that cannot reach any point, where it has no town, village or group
   column, one card each ("户编号 AD0005" ×25 on the demo's); now one list of ids, ten on a screen, the rest a tap away.
6. The maturity map held sideways with the text at 130 %: the unit card beside the map stood over the scale.

Fixtures: the field map of 40 sample households, the editor of the bundled sample (editor_fixtures.sample_case),
the check result of test_s42_m_report_phone (60 households in a row) with and without its walking limit, a cover
siting of 15 households (12 without a road), test_s49_e_maturity_phone's maturity map with a long data credit.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from built_fixtures import sample_editor_page, scored_maturity_maps
from editor_fixtures import sample_case
from test_s42_m_report_phone import _result
from test_s49_e_maturity_phone import READY_MAP

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps.editor import editor_payload
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import SAMPLE_CREDIT
from yuanluo.planners.report import render_html as report_html

LANGS: list[Lang] = ["zh", "en"]


def _field_map(lang: Lang, credit: str | None = None) -> str:
    return render_html(make_map(sample_layers(40, block=3, seed=1), lang=lang, credit=credit))


@pytest.mark.parametrize("lang", LANGS)
def test_the_unit_cards_tick_stays_with_its_words(lang: Lang) -> None:
    page = _field_map(lang)
    for by in ("households", "persons"):
        ok = text(f"map.card.size_ok_{by}", lang)
        assert ok.endswith("\u00a0✓"), ok  # no break before the tick
        assert ok.replace("\u00a0", " ") not in page, "the card's size line with a plain space before ✓"
    assert "\\u00a0\\u2713" in page or "\u00a0✓" in page, "the field map's card texts without the no-break space"


def test_the_samples_credit_is_said_in_the_pages_language(tmp_path: Path) -> None:
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
    page = sample_editor_page(tmp_path, lang)
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
    shown = re.findall(r'<span class="id">(X-\d\d)', section)
    assert shown == [f"X-{i:02d}" for i in range(12)], shown  # all of them, in order, each kept whole
    comma = html.escape(text("list.sep", lang).rstrip(), quote=False)
    # the comma inside the id before it: no line starts with 、 (the tenth's shown with the rest, ten, then the rest)
    assert section.count(f"{comma}</span>") == 11 and f"</span>{comma}" not in section
    assert section.count('<span class="extra">') == 2


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


LONG_CREDIT = "© 某县自然资源局 国土调查（2025）；© OpenStreetMap 贡献者（ODbL）"


def _maturity_map(d: Path) -> Path:
    """test_s49_e_maturity_phone's maturity map (200 sample households, 8 units), zh, of a result whose run table
    records a data credit across the foot of the map (as the demo's does)."""
    import pandas as pd

    layers = dict(sample_layers(200, block=5))
    layers["run"] = pd.DataFrame({"key": ["tool", "params.data_credit"], "value": ["yuanluo demo", LONG_CREDIT]})
    layers["units"]["village"] = [f"第{i}村" for i in range(len(layers["units"]))]
    return scored_maturity_maps(d, layers, langs=("zh",))


RECTS = """() => { const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {card: r(document.querySelector('.yl-card')), scale: r(document.querySelector('.leaflet-control-scale')),
          credit: r(document.querySelector('.leaflet-control-attribution')), inner: innerHeight}; }"""


def _meet(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
def test_a_card_beside_the_maturity_map_leaves_its_scale_in_sight(tmp_path: Path) -> None:
    """zh, the text at 130 %, a phone held sideways (844 x 390: 649 x 300 px of the page): the scale stands right of
    the search box when a long credit runs across the foot, and the unit card beside the map stood over it (the
    card 276-563 x 76-271 px, the scale 273-370 x 249-272; so on the demo's map). The card now stands on it as on the credit, its top where it was, its lines scrolling."""
    maps = _maturity_map(tmp_path)
    with live_page(maps / "map_zh.html", viewport=(649, 300), ready=READY_MAP, touch=True, scale=1.3) as (p, errs):
        p.evaluate("() => window.yuanluo.showUnit('U003', true)")
        p.wait_for_timeout(400)
        got = p.evaluate(RECTS)
        assert not errs, errs
    assert got["card"][3] > got["card"][1] + 100, got  # a card with room for its lines
    assert not _meet(got["card"], got["scale"]) and not _meet(got["card"], got["credit"]), got

