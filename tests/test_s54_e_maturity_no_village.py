"""The maturity report, print sheet and map of a delineation with no village (session 54, helper E): the households
had no village column, and the report said 未注明村 / No village given in each of the ten units needing attention, as
the one village of its list and its section, and the print sheet and the map's panel said it too. Where no unit has
a village it is now left out (as the check and cover reports leave their 村 line out, 406df21): 全部院落 / All units
heads the one list and section, the units' line has no village before it. A village named keeps every line."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib import rc_context

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.maps.static import cjk_font
from yuanluo.planners.maturity import _layout, _page_figure, map_data, report_html

UNITS = [f"U{i}" for i in range(1, 8)]


def _table() -> pd.DataFrame:
    sc = pd.DataFrame([(u, "2026Q1", c, i, 3 + (k * 5 + j) % 7) for k, u in enumerate(UNITS)
                       for j, c in enumerate(CATEGORY_KEYS) for i in ("content", "effect", "satisfaction")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    return maturity_table(sc, UNITS)


def _inputs(village: str | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    t = _table()
    units = pd.DataFrame({"unit_id": UNITS, "name": [None] * len(UNITS), "village": [village] * len(UNITS)})
    return t, village_summary(t, dict.fromkeys(UNITS, village)), units


def _words(page: str) -> str:
    return re.sub(r"<[^>]+>", "|", page[page.index("<body"):])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_says_no_village_where_none_is_known(lang: Lang) -> None:
    t, v, u = _inputs(None)
    words = _words(report_html(t, v, u, lang=lang))
    assert text("maturity.no_village", lang) not in words
    assert words.count(f"|{text('maturity.all_units', lang)}|") == 1  # the section's heading
    assert words.count(f"|{text('maturity.all_units.index', lang)}|") == 1  # the list's: not the same words twice
    assert f"|{text('maturity.overview.all', lang)}|" in words
    assert text("maturity.all_line", lang, n_units=7, n_full=7, means="", weakest="")[:12] in words
    # the units needing attention: their mean and weakest, no village before them
    said = re.findall(r'<li class="bad">.*?<span class="n">([^<]*)</span>', report_html(t, v, u, lang=lang))
    assert len(said) == 7 and all(s.startswith(text("maturity.mean", lang)) for s in said)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_named_village_is_said_as_before(lang: Lang) -> None:
    t, v, u = _inputs("新华村")
    page = report_html(t, v, u, lang=lang)
    words = _words(page)
    assert text("maturity.all_units", lang) not in words and words.count("|新华村|") == 2
    assert f"|{text('maturity.by_village', lang)}|" in words
    said = re.findall(r'<li class="bad">.*?<span class="n">([^<]*)</span>', page)
    assert len(said) == 7 and all(s.startswith("新华村 · ") for s in said)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_panel_and_the_print_sheet_say_no_village(lang: Lang) -> None:
    t, v, u = _inputs(None)
    d = map_data(t, v, lang=lang)
    assert d["lab"]["villages"] == text("maturity.all_units", lang)
    assert len(d["villages"]) == 1 and text("maturity.no_village", lang) not in d["villages"][0]
    assert d["villages"][0].startswith("7 ")
    pages = _layout(t, dict.fromkeys(UNITS), v)
    with rc_context({"font.family": "sans-serif", "font.sans-serif": [cjk_font(), "DejaVu Sans"]}):
        fig = _page_figure(pages[0], period="2026Q1", number=1, pages=1, lang=lang, names={}, dpis=(100,),
                           alone=True)
    drawn = " ".join(x.get_text() for x in fig.texts)
    assert text("maturity.no_village", lang) not in drawn
    assert text("maturity.all_line", lang, n_units=7, n_full=7, means="", weakest="")[:12] in drawn
    named = map_data(t, village_summary(t, dict.fromkeys(UNITS, "新华村")), lang=lang)
    assert named["lab"]["villages"] == text("maturity.map.villages", lang) and named["villages"][0].startswith("新华村")
