"""Session 61, helper U: a nearest candidate head whose walk shows as 0.0 minutes is said to be at the point.

The Andorra sample's plan with AD0007 (a candidate) typed from U003 into U004 said of U003's PLAN-NO-HEAD
"步行 0.0 分钟到本院落议事点 AD0006" / "0.0 min walk to this unit's meeting point AD0006": AD0006 and AD0007 are one
building. An official may take the 0.0 for a fault. The clause now says "就在本院落议事点 AD0006" / "at this unit's
meeting point AD0006" wherever the walk it would show is 0.0 (the rounding the text shows; the same in both
languages), in ``check`` (gis.delineate.reasons.near_clause) and in the editor's page (editor.js nearClause).

Fixture: nine households in a row 100 m apart, 005 and 006 one building (one point, joined by an edge of no
length); units A (000-002), B (003-005), C (006-008); candidates 001, 002 (A) and 006 (C). B lacks one (HEAD-EXCEPTION here, as PLAN-NO-HEAD says the clause too): walked
to its meeting point 005, 006 is at it; walked to its centre 004 (no meeting point), 006 is 1.5 minutes away."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor

RULES = Rules(3, 3, require_head=True, keep_settlements=False)
CRS = "EPSG:4545"
IDS = [f"{i:03d}" for i in range(9)]
X = [0, 100, 200, 300, 400, 500, 500, 600, 700]  # 005 and 006: one building
LABELS = pd.Series(list("AAABBBCCC"), index=IDS, dtype="string")
AT = {"zh": "本院落外最近的院落长候选人是院落 C 的 006，就在本院落议事点 005，C 有院落长候选人 1 名，没有富余",
      "en": "the nearest head candidate outside the unit is 006 of unit C, at this unit's meeting point 005, "
            "and C has 1 head candidate, none to spare"}
WALK = {"zh": "本院落外最近的院落长候选人是院落 C 的 006，步行 1.5 分钟到本院落中心（住户 004），C 有院落长候选人 1 名，没有富余",
        "en": "the nearest head candidate outside the unit is 006 of unit C, 1.5 min walk to this unit's centre, "
              "household 004, and C has 1 head candidate, none to spare"}


def _village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    xy = np.c_[np.asarray(X, dtype=float), np.zeros(9)]
    hh = gpd.GeoDataFrame({"head_candidate": pd.Series([i in (1, 2, 6) for i in range(9)], index=IDS, dtype=object)},
                          index=pd.Index(IDS, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    return hh, TerrainGraph.from_edges(IDS, xy, [(i, i + 1) for i in range(8)], crs=CRS)


def _said(meet: dict[str, str], lang: Lang) -> list[str]:
    hh, g = _village()
    res = check_plan(hh, LABELS, RULES, graph=g, meeting_points=pd.Series(meet), unapplied=False)
    v = res.violations[res.violations["code"].str.contains("HEAD")]
    return [violation_message(r, lang, body=True).split("\n")[0] for _, r in v.iterrows()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_says_the_candidate_is_at_the_meeting_point(lang: Lang) -> None:
    said = _said({"A": "001", "B": "005", "C": "007"}, lang)
    assert len(said) == 1 and AT[lang] in said[0], said
    assert "0.0" not in said[0], said
    # walked to its centre, 004: a walk, said as one
    said = _said({"A": "001", "C": "007"}, lang)
    assert len(said) == 1 and WALK[lang] in said[0], said


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_says_it_as_the_check_does(lang: Lang, tmp_path: Path) -> None:
    hh, g = _village()
    meet = {"A": "001", "C": "007"}
    page = tmp_path / f"at-{lang}.html"
    page.write_text(render_editor(editor_payload({"households": hh}, LABELS, RULES, g, graph_kind="straight",
                                                 meeting_points=pd.Series(meet), lang=lang)), encoding="utf-8")
    said = ("() => window.yuanluo.editor.violations().filter(v => /HEAD/.test(v.code))"
            ".map(v => v.text.split('\\n')[0])")
    with live_page(page, viewport=(390, 844), ready="!!(window.yuanluo && window.yuanluo.editorUi)",
                   touch=True) as (p, errors):
        assert p.evaluate(said) == _said(meet, lang)
        assert WALK[lang] in p.evaluate(said)[0]
        assert p.evaluate("() => window.yuanluo.editor.setMeeting('005')")  # B's meeting point: 005
        now = p.evaluate(said)
        assert now == _said({**meet, "B": "005"}, lang), now
        assert AT[lang] in now[0] and "0.0" not in now[0], now
        assert errors == []
