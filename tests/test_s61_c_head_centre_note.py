"""Session 61, helper C (round 2): the check report says when the suggested heads were found from units' centres.

Without meeting points (and without a walking limit, whose line in the rules says units are checked against their
centres) the check walks each unit's candidate heads to its centre and names the nearest the suggested head
(建议院落长); the report's units table gave that head with nothing saying what it was nearest to. One short sentence
above the table now says it (catalogue ``report.head_centre``) wherever some unit had no meeting point of its own;
not where every unit had one, nor without a candidate-head column (no head columns then).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from shared_fixtures import chain

from yuanluo.gis.catalogue import text
from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import render_html

HAN = re.compile(r"[\u3400-\u9fff]")


def _plan(heads: bool = True) -> tuple[object, object, pd.Series]:
    cols: dict[str, list[object]] = {"village": ["一村"] * 8}
    if heads:
        cols["head_candidate"] = [True, False, True, True, False, False, True, False]
    hh, g = chain(**cols)
    return hh, g, pd.Series(["A"] * 4 + ["B"] * 4, index=hh.index)


def _note(page: str, lang: str) -> bool:
    said = html.escape(text("report.head_centre", lang))  # type: ignore[arg-type]
    units = page[page.index('<h2 id="units">'):]
    return f'<p class="small">{said}</p>' in units[:units.index("<table")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_said_where_heads_were_walked_to_centres(lang: str) -> None:
    hh, g, plan = _plan()
    rules = Rules(2, 5, nest_by=(), keep_settlements=False)
    res = check_plan(hh, plan, rules, graph=g)  # no meeting points, no walking limit: no walk measured
    assert res.meeting_points is None and res.units["head_hid"].tolist() == ["000", "006"]
    assert _note(render_html(res, lang=lang), lang)  # type: ignore[arg-type]
    res = check_plan(hh, plan, rules, graph=g, meeting_points={"A": "003"})  # B walked to its centre
    assert res.centres and _note(render_html(res, lang=lang), lang)  # type: ignore[arg-type]
    limit = Rules(2, 5, nest_by=(), keep_settlements=False, max_walk_min=10.0)
    assert _note(render_html(check_plan(hh, plan, limit, graph=g), lang=lang), lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_not_said_with_every_meeting_point_or_without_heads(lang: str) -> None:
    hh, g, plan = _plan()
    rules = Rules(2, 5, nest_by=(), keep_settlements=False)
    res = check_plan(hh, plan, rules, graph=g, meeting_points={"A": "003", "B": "004"})
    assert not res.centres and res.units["head_hid"].tolist() == ["003", "006"]
    page = render_html(res, lang=lang)  # type: ignore[arg-type]
    said = html.escape(text("report.head_centre", lang))  # type: ignore[arg-type]
    assert not _note(page, lang) and said not in page
    hh, g, plan = _plan(heads=False)
    page = render_html(check_plan(hh, plan, rules, graph=g), lang=lang)  # type: ignore[arg-type]
    assert said not in page


def test_sentence_in_each_language() -> None:
    zh, en = text("report.head_centre", "zh"), text("report.head_centre", "en")
    assert "院落长候选人" in zh and "议事点" in zh and "院落中心" in zh and not re.search(r"[A-Za-z]", zh)
    assert not HAN.search(en) and "centre" in en and "meeting point" in en
