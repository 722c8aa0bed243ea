"""Rules and check from Python (audit s31 Z3 §2, §7, §8, §10): a nest_by typo is RULE-NEST-UNKNOWN as on the command
line, a bare string is one column, a check or repair of no households is refused, model.check says the rules the
households have no column for (RULE-UNAPPLIED), and meeting points or a graph of the wrong type are coded errors."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

LANGS = ("zh", "en")


def row(n: int = 6, **cols: list[object]) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """``n`` households in a row, 50 m apart, each joined to the next, with the columns ``cols``."""
    ids = [f"h{i}" for i in range(n)]
    xy = [[50.0 * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame(dict(cols), geometry=points(xy), crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:32631")


def plan(hh: gpd.GeoDataFrame) -> pd.Series:
    return pd.Series(["A"] * 3 + ["B"] * (len(hh) - 3), index=hh.index)


def codes(e: InputError) -> list[str]:
    return [p.code for p in e.problems]


# ------------------------------------------------------------------------------------- §2 nest_by
def test_bare_string_is_one_column():
    assert Rules(3, 3, nest_by="group").nest_by == ("group",)
    assert Rules(3, 3, nest_by=["village", "group"]).nest_by == ("village", "group")


@pytest.mark.parametrize("lang", LANGS)
def test_nest_typo_is_refused_by_fit_check_and_repair(lang, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", lang)
    hh, g = row(group=["1", "1", "1", "2", "2", "2"])
    rules = Rules(3, 3, nest_by=("village", "grop"), require_head=False, keep_settlements=False)
    calls = [lambda: UnitDelineator.from_rules(rules).fit(hh, g),
             lambda: check_plan(hh, plan(hh), rules, graph=g),
             lambda: repair_plan(hh, plan(hh), rules, g)]
    for call in calls:
        with pytest.raises(InputError) as e:
            call()
        assert codes(e.value) == ["RULE-NEST-UNKNOWN"]  # "village" is known (the preset's), "grop" a typo
        p = e.value.problems[0]
        assert p.params["name"] == "grop"
        msg = str(e.value)
        assert "grop" in msg and "group" in msg  # the name, and the households' columns
        assert ("拼写" in msg) if lang == "zh" else ("typo" in msg and "拼" not in msg)


def test_bare_string_nest_is_applied():
    hh, g = row(group=["1", "1", "2", "2", "2", "2"])
    res = check_plan(hh, plan(hh), Rules(2, 4, nest_by="group", require_head=False, keep_settlements=False),
                     graph=g)
    assert "PLAN-CROSS-GROUP" in res.codes and not res.passed  # unit A holds groups 1 and 2


def test_known_column_absent_is_not_an_error():
    hh, g = row()
    res = check_plan(hh, plan(hh), Rules(3, 3, require_head=False, keep_settlements=False), graph=g)
    assert res.passed


# ------------------------------------------------------------------------------------- §8 no households
@pytest.mark.parametrize("lang", LANGS)
def test_no_households_is_refused(lang, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", lang)
    hh, g = row()
    empty = hh.iloc[:0]
    rules = Rules(3, 3, require_head=False, keep_settlements=False)
    for call, word in ((lambda: check_plan(empty, pd.Series(dtype=object), rules, graph=g), ("检查", "check")),
                       (lambda: repair_plan(empty, pd.Series(dtype=object), rules, g), ("修复", "repair"))):
        with pytest.raises(InputError) as e:
            call()
        assert codes(e.value) == ["CHECK-EMPTY"]
        assert word[0 if lang == "zh" else 1] in str(e.value)


# ------------------------------------------------------------------------------------- §10 RULE-UNAPPLIED
@pytest.mark.parametrize("lang", LANGS)
def test_model_check_says_unapplied_rules(lang, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", lang)
    hh, g = row(group=["1", "1", "1", "2", "2", "2"])
    m = UnitDelineator(min_size=3, max_size=3, nest_by=("village", "group"), keep_settlements=True,
                       require_head=True).fit(hh, g)
    res = m.check(hh, g)
    un = res.violations[res.violations["code"] == "RULE-UNAPPLIED"]
    assert len(un) == 3 and set(un["severity"]) == {"warning"} and res.passed
    text = " ".join(un["message_zh" if lang == "zh" else "message_en"])
    assert ("村" in text and "keep_settlements=False" in text and "require_head=False" in text) if lang == "zh" \
        else ("villages" in text and "Rules(…, require_head=False)" in text)
    assert "--" not in text  # no command-line option in a Python call's fix
    again = check_plan(hh, m.labels_, m.rules(), graph=g, unapplied=True)
    assert sorted(again.codes) == ["RULE-UNAPPLIED"]


def test_unapplied_not_said_twice():
    from yuanluo.gis.rules import unapplied_problems

    hh, g = row()
    rules = Rules(3, 3)
    given = unapplied_problems(rules, hh)
    res = check_plan(hh, plan(hh), rules, graph=g, plan_problems=given, unapplied=True)
    assert (res.violations["code"] == "RULE-UNAPPLIED").sum() == len(given) == 3


# ------------------------------------------------------------------------------------- §7 argument types
def test_meeting_points_dict_and_frame_as_series():
    hh, g = row()
    rules = Rules(3, 3, require_head=False, keep_settlements=False, max_walk_min=1.0)
    series = pd.Series({"A": "h0", "B": "h5"})
    want = check_plan(hh, plan(hh), rules, graph=g, meeting_points=series)
    frame = pd.DataFrame({"unit_id": ["A", "B"], "meeting_hid": ["h0", "h5"]})
    for given in (series.to_dict(), frame, frame.rename(columns={"unit_id": "院落", "meeting_hid": "户"})):
        got = check_plan(hh, plan(hh), rules, graph=g, meeting_points=given)
        assert got.codes == want.codes and got.violations["message_en"].tolist() == want.violations[
            "message_en"].tolist()
        assert repair_plan(hh, plan(hh), rules, g, meeting_points=given).meeting_points.to_dict() == \
            repair_plan(hh, plan(hh), rules, g, meeting_points=series).meeting_points.to_dict()
    assert "PLAN-WALK-LIMIT" in want.codes  # the walks were measured to the points given


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_argument_types_are_coded(lang, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", lang)
    hh, g = row()
    rules = Rules(3, 3, require_head=False, keep_settlements=False, max_walk_min=5.0)
    cases = [(lambda: check_plan(hh, plan(hh), rules, graph=g, meeting_points=["h0", "h5"]), "MEETING-POINTS-TYPE"),
             (lambda: repair_plan(hh, plan(hh), rules, g, meeting_points=["h0", "h5"]), "MEETING-POINTS-TYPE"),
             (lambda: check_plan(hh, plan(hh), rules, graph=g,
                                 meeting_points=pd.DataFrame({"a": [1], "b": [2], "c": [3]})), "MEETING-POINTS-TYPE"),
             (lambda: check_plan(hh, plan(hh), rules, graph="graph.gpkg"), "CHECK-GRAPH-TYPE")]
    for call, code in cases:
        with pytest.raises(InputError) as e:
            call()
        assert codes(e.value) == [code]
        msg = str(e.value)
        assert ("build_graph" in msg and "'graph.gpkg'" in msg) if code == "CHECK-GRAPH-TYPE" else (
            "list" in msg or "DataFrame" in msg)
        assert ("处理办法" in msg) if lang == "zh" else ("Fix" in msg or "fix" in msg.lower())
