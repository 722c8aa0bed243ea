"""Session 45, helper H: a side not rated is drawn as not rated in the map card and on the print sheet.

Session 44 said MAT-PARTIAL (a category scored on some of its three indicators counts as not rated) in the report
only. On the print sheet ('maturity load … --png') a category not rated was a '–' at its axis beside the dots of the
others, a unit scored in part otherwise a bare 未评; in the --map card a '–' at its axis and a bare 未评 in the table:
a town official reading the hexagon could not tell a side not scored from a side scored low. Now, in both, the
side's wedge of the full hexagon is hatched and marked 未评 / not rated (未评 1/3 on the sheet, 未评（评了 1/3 项） in
the card's table where it was scored in part), with a key saying a hatched side is no score, not a score of 0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from built_fixtures import scored_maturity_maps
from shared_fixtures import run_cli

from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

HOSTILE_UNIT, HOSTILE_VILLAGE = "</script><b>x</b>", "</script><b>v</b>村"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """U001: 政策宣讲-实际效果 (J2) blank (2 of 3); U002: 协商议事 1 of 3 (M3, N3 blank); U003: 矛盾调处 wholly
    blank (not assessed); U004: only I5 scored (nothing rated, 政策宣讲 1 of 3); the others scored whole. U001 has a
    hostile name, U002 a hostile village."""
    d = tmp_path_factory.mktemp("unrated")
    layers = {k: v for k, v in sample_layers(200, block=5).items() if k != "run"}
    layers["units"]["name"] = [f"院落{i}" for i in range(len(layers["units"]))]
    layers["units"].loc[0, "name"] = HOSTILE_UNIT
    layers["units"].loc[1, "village"] = HOSTILE_VILLAGE
    return scored_maturity_maps(d, layers, partial=True)


def _map_json(page: str) -> dict:
    m = re.search(r"var H = (\{.*?\});\n", page)
    assert m
    return json.loads(m.group(1))


@pytest.mark.parametrize(("lang", "two", "one", "line"), [
    ("zh", "未评（评了 2/3 项）", "未评（评了 1/3 项）", "只评了部分指标，按未评计：政策宣讲 1/3 项"),
    ("en", "not rated (2 of 3 scored)", "not rated (1 of 3 scored)",
     "scored on some indicators only, so not rated: Policy publicity 1 of 3"),
])
def test_the_map_data_says_the_sides_not_rated(made, lang, two, one, line):
    h = _map_json((made / f"map_{lang}.html").read_text(encoding="utf-8"))
    assert h["units"]["U001"]["part"] == [two, None, None, None, None, None]
    assert h["units"]["U002"]["part"] == [None, one, None, None, None, None]
    assert h["units"]["U003"]["v"][2] is None and h["units"]["U003"]["part"] == [None] * 6  # not assessed: bare
    assert h["unratedPart"] == {"U004": line} and "U004" not in h["units"]
    assert len(h["wedges"]) == 6 and h["wedges"][0][2] == h["axes"][0]  # each wedge reaches its axis' end
    assert h["lab"]["unratedKey"] == {"zh": "斜线阴影、标“未评”的一类没有分数，不是 0 分",
                                      "en": "Hatched and marked “not rated”: the category has no score (not a score "
                                            "of 0)"}[lang]


CARD = """(uid) => { window.yuanluo.showUnit(uid, true);
  const box = [...document.querySelectorAll('.yl-maturity')].pop(), svg = box.querySelector('svg.yl-radar');
  const sheet = document.querySelector('[data-card]').getBoundingClientRect();
  const out = {text: box.textContent, unrated: [], labels: [], cells: [], key: null, inside: true};
  if (svg) {
    out.unrated = [...svg.querySelectorAll('polygon[data-unrated]')].map(p => [p.getAttribute('data-unrated'),
      p.getAttribute('fill').startsWith('url(#yl-hatch-')]);
    const w = svg.viewBox.baseVal.width, r = svg.getBoundingClientRect();
    out.labels = [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
      return [t.textContent, b.x >= 0 && b.x + b.width <= w, t.getAttribute('fill')]; });
    out.inside = r.left >= sheet.left && r.right <= sheet.right;
  }
  out.cells = [...box.querySelectorAll('table.yl-pop tr')].slice(0, 6).map(tr => [tr.cells[1].textContent, tr.cells[1].className]);
  const k = box.querySelector('.yl-unrated-key'); out.key = k ? k.textContent : null;
  const p = box.querySelector('.yl-partial'); out.partial = p ? p.textContent : null;
  return out; }"""


@pytest.mark.parametrize(("lang", "viewport"), [("zh", (390, 844)), ("en", (360, 640))])
def test_the_card_hatches_and_names_the_sides_not_rated(made, lang, viewport):
    from browser import live_page, require_browser

    require_browser()
    unrated = {"zh": "未评", "en": "not rated"}[lang]
    short = {"zh": ["政策", "协商", "调处"], "en": ["Pol", "Con", "Med"]}[lang]
    with live_page(made / f"map_{lang}.html", viewport=viewport, ready="!!(window.yuanluo && window.yuanluo.find)",
                   touch=True) as (page, errors):
        cards = {u: page.evaluate(CARD, u) for u in ("U001", "U002", "U003", "U004", "U006")}
        panel = page.evaluate("document.querySelector('.yl-maturity-panel').textContent")
        bold = page.evaluate("[...document.querySelectorAll('b')].map(b => b.textContent)")
        assert errors == []
    key = {"zh": "斜线阴影、标“未评”的一类没有分数，不是 0 分", "en": "Hatched and marked “not rated”: the category has "
           "no score (not a score of 0)"}[lang]
    two = {"zh": "未评（评了 2/3 项）", "en": "not rated (2 of 3 scored)"}[lang]
    c = cards["U001"]  # 政策宣讲 scored on 2 of 3
    assert c["unrated"] == [["0", True]] and c["key"] == key
    assert [t for t, _, _ in c["labels"]][0] == f"{short[0]} {unrated}"
    assert all(inside for _, inside, _ in c["labels"]), c["labels"]  # no axis label cut at the hexagon's edges
    assert c["inside"]
    assert c["cells"][0] == [two, "yl-partial"] and c["cells"][1][0] == "5.3"
    assert cards["U002"]["unrated"] == [["1", True]] and cards["U002"]["labels"][1][0] == f"{short[1]} {unrated}"
    c = cards["U003"]  # 矛盾调处 not assessed at all
    assert c["unrated"] == [["2", True]] and c["cells"][2] == [unrated, "yl-unrated"]
    assert c["labels"][2][2] != c["labels"][0][2]  # drawn in the grey of a side not rated
    c = cards["U004"]  # nothing rated, 政策宣讲 1 of 3
    assert c["unrated"] == [] and c["partial"] == {"zh": "只评了部分指标，按未评计：政策宣讲 1/3 项",
                                                  "en": "scored on some indicators only, so not rated: Policy "
                                                        "publicity 1 of 3"}[lang]
    c = cards["U006"]  # scored whole: no hatching, no key
    assert c["unrated"] == [] and c["key"] is None and all(cls == "" for _, cls in c["cells"])
    assert HOSTILE_VILLAGE in panel and "v" not in bold and "x" not in bold  # hostile names stay text


@pytest.fixture(autouse=True)
def sheet_font():
    """The print sheet's font and rc, as print_sheet draws it (its texts measured in the CJK font)."""
    from matplotlib import rc_context

    from yuanluo.maps.static import cjk_font

    with rc_context({"font.family": "sans-serif", "font.sans-serif": [cjk_font(), "DejaVu Sans"],
                     "text.parse_math": False}):
        yield


def _sheet(lang: str, *, whole: bool = False, partial: bool = True) -> tuple[list[str], Any]:
    """The print sheet's page of three units: U1 政策宣讲 scored on 1 of 3 indicators, U2 协商议事 and 庭院经济 not
    assessed, U3 scored whole (``whole``: every unit scored whole); its texts and the figure."""
    blanks = {} if whole else {"U1": {"policy"}, "U2": {"consultation", "economy"}}
    rows = [(u, "Q1", k, ind, None if k in blanks.get(u, ()) else 7) for u in ("U1", "U2", "U3")
            for k in CATEGORY_KEYS for ind in ("content", "effect", "satisfaction")]
    scores = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    if not whole:
        scores.loc[(scores["unit_id"] == "U1") & (scores["category"] == "policy")
                   & (scores["indicator"] == "content"), "score"] = 8
    ids = pd.Series(["U1", "U2", "U3"])
    table = maturity_table(scores, ids)
    villages = village_summary(table, dict.fromkeys(ids, "甲村"))
    part = {u: c for (u, _), c in M.partly_scored(scores, table).items()} if partial else {}
    _, shown = M._period_rows(table, None)
    pages = M._layout(shown, dict.fromkeys(ids, "甲村"), villages)
    fig = M._page_figure(pages[0], period="Q1", number=1, pages=1, lang=lang, names={"U1": HOSTILE_UNIT},
                         partial=part)
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts], fig


@pytest.mark.parametrize(("lang", "one", "none", "key", "part", "summary"), [
    ("zh", "未评 1/3", "未评", "斜线阴影、标“未评”的一类没有分数，不是 0 分。", "“未评 1/3”：该类 3 项指标只评了 1 项",
     "均值 7.0 · 已评 4/6 类"),
    ("en", "n/r 1/3", "n/r", "Hatched and marked n/r: the category has no score (not a score of 0).",
     "n/r 1/3: 1 of its 3 indicators scored", "mean 7.0 · 4 of 6 rated"),
])
def test_the_print_sheet_hatches_and_names_the_sides_not_rated(lang, one, none, key, part, summary):
    texts, fig = _sheet(lang)
    _check_sheet(texts, fig, lang, one, none, key, part, summary)


def _check_sheet(texts: list[str], fig: Any, lang: str, one: str, none: str, key: str, part: str, summary: str
                 ) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Polygon

    cells = fig.axes[1:]  # the key hexagon first, then U1, U2, U3
    hatched = [[p for p in ax.patches if isinstance(p, Polygon) and p.get_hatch()] for ax in cells]
    assert [len(h) for h in hatched] == [1, 2, 0]
    labels = [[t.get_text() for t in ax.texts] for ax in cells]
    assert labels[0][0] == one and labels[1][1] == none and labels[1][5] == none
    assert none not in labels[2] and one not in labels[2] and "–" not in sum(labels, [])
    assert labels[0][1] == "7.0"
    joined = "".join(texts).replace("\n", "").replace(" ", "")
    assert key.replace(" ", "") in joined and part.replace(" ", "") in joined
    assert summary in texts  # U2 rated on 4 of 6: how many, not 'fullness –'
    FigureCanvasAgg(fig).draw()  # the labels of a side not rated stay within their cell
    r = FigureCanvasAgg(fig).get_renderer()
    for ax in cells:
        box = ax.get_window_extent(r)
        span = fig.bbox.width * (1 - 2 * M.MARGIN) / M.COLS
        for t in ax.texts:
            e = t.get_window_extent(r)
            assert e.x0 >= box.x0 + box.width / 2 - span / 2 and e.x1 <= box.x0 + box.width / 2 + span / 2, t.get_text()


def test_the_key_of_the_hatching_only_where_a_side_is_not_rated():
    texts, _ = _sheet("zh", partial=False)  # sides not rated, none scored in part: the key, not the 1/3 line
    assert any("斜线阴影" in t for t in texts) and not any("只评了 1 项" in t or "1/3" in t for t in texts)
    texts, fig = _sheet("zh", whole=True)
    assert not any("斜线阴影" in t or "未评" in t for t in texts)
    assert not any(p.get_hatch() for ax in fig.axes for p in ax.patches) and not fig.patches
    assert "均值 7.0 · 饱满度 49%" in texts


@pytest.mark.parametrize(("lang", "label", "key"), [
    ("zh", "调处 未评", "斜线阴影、标“未评”的一类没有分数，不是 0 分。"),
    ("en", "Med n/r", "Hatched and marked n/r: the category has no score (not a score of 0)."),
])
def test_the_reports_hexagon_hatches_the_sides_not_rated_too(lang, label, key):
    """The report's card (unit_card_html) drew '调处 –' beside the dots of the others, as the print sheet did."""
    row = dict(zip(CATEGORY_KEYS, [8, 6, None, 5, 9, 4], strict=True), n_rated=5, mean=6.4, period="Q1")
    card = M.unit_card_html(HOSTILE_UNIT, row, lang=lang)
    assert card.count("data-unrated=") == 1 and 'data-unrated="2"' in card and "url(#yl-hatch-" in card
    assert f'fill="{M.UNRATED_TEXT}">{label}</text>' in card and "–" not in card
    assert f'<div class="unrated-key">{key}</div>' in card and "<b>x</b>" not in card
    whole = M.unit_card_html("U1", dict(row, mediation=7, n_rated=6), lang=lang)
    assert "data-unrated" not in whole and "unrated-key" not in whole and "url(#" not in whole


@pytest.mark.parametrize(("lang", "two", "one"), [("zh", "政策宣讲 2/3 项", "政策宣讲 1/3 项"),
                                                  ("en", "Policy publicity 2 of 3", "Policy publicity 1 of 3")])
def test_the_layers_leave_a_side_not_rated_blank_and_say_how_far_it_was_scored(made, lang, two, one):
    """maturity.gpkg's unit_maturity (and its CSV, as a clerk opens it in Excel): a category scored in part is
    blank, never 0, and the new column partly_scored (只评了部分指标的类别 / Categories scored in part) says it."""
    import geopandas as gpd

    t = gpd.read_file(made / f"m_{lang}.gpkg", layer="unit_maturity").set_index("unit_id")
    assert pd.isna(t.loc["U001", "policy"]) and t.loc["U001", "partly_scored"] == two
    assert pd.isna(t.loc["U004", "policy"]) and t.loc["U004", "partly_scored"] == one
    assert pd.isna(t.loc["U003", "mediation"]) and pd.isna(t.loc["U003", "partly_scored"])  # not assessed
    assert (t[list(CATEGORY_KEYS)].fillna(1) > 0).all().all()
    shaded = gpd.read_file(made / f"m_{lang}.gpkg", layer="units_maturity").set_index("unit_id")
    assert shaded.loc["U001", "partly_scored"] == two


def test_the_csv_says_it_in_words(made, tmp_path):
    run_cli(["maturity", "load", str(made / "result.gpkg"), str(made / "partial.xlsx"), "-o", str(tmp_path / "m.csv")])
    t = pd.read_csv(tmp_path / "m.unit_maturity.csv", encoding="utf-8-sig", dtype=str).set_index("院落编号")
    assert pd.isna(t.loc["U001", "政策宣讲"]) and t.loc["U001", "只评了部分指标的类别"] == "政策宣讲 2/3 项"
