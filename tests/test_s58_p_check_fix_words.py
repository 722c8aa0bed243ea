"""A check run from Python, shown on a page: the planner reads the command line's fix (s58 P).

``check_plan`` called from Python words each finding's fix for its caller (the catalogue's ``fix_py``, a ``key.py``
text): SIZE-LOW and PLAN-UNASSIGNED say "repair_plan can do this", a SIZE-EXCEPTION cut off by the nesting
speaks of "the group polygons they were taken from". The check report written from such a result
(``planners.report.write_html``, ``write_csv``) and the map of its findings (``check_map_layers``, ``make_map``)
showed those words to a planner, who never sees Python (s57 E round 2). They now say the command line's words
(``yuanluo repair``, ``--groups``), as ``yuanluo check --report`` and ``--map`` always did
(``CheckResult.for_planner``, ``Problem.planner_message``, the command line's words a ``Voiced`` parameter keeps),
while the result the Python caller holds keeps the Python words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shared_fixtures import chain

from yuanluo.gis.catalogue import LANGS, planner_words
from yuanluo.gis.check import CheckResult, check_plan
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules
from yuanluo.maps.interactive import make_map
from yuanluo.maps.interactive import render_html as map_html
from yuanluo.planners.report import write_csv, write_html
from yuanluo.planners.workflows import Inputs, check_map_layers

#: the Python API's words: its functions, keyword arguments and objects
API = re.compile(r"repair_plan|check_plan|build_graph|roads=|max_walk_min=|random_state=|UnitDelineator"
                 r"|head_exact_max_n|delineate_around|“locked”|group polygons|组界多边形|\.xlsx 文件。")
#: the codes the village's plan breaks whose Python fix differs from the command line's
PY_CODES = ("PLAN-UNASSIGNED", "SIZE-LOW", "SIZE-EXCEPTION", "PLAN-ID-ZEROS")
RULES = Rules(3, 4, nest_by=("village",), keep_settlements=False, require_head=False)


def _plan(tmp_path: Path) -> tuple[Any, Any, pd.Series, list[Any]]:
    """Eight households in a row, two of village 甲 then six of 乙, and a plan table whose ids lost their leading
    zeros: A (甲's two, cut off by the village: SIZE-EXCEPTION), B (two: SIZE-LOW), C (three), 007 in no unit."""
    hh, g = chain(village=["甲"] * 2 + ["乙"] * 6)
    path = tmp_path / "plan.csv"
    path.write_text("户编号,院落\n0,A\n1,A\n2,B\n3,B\n4,C\n5,C\n6,C\n", encoding="utf-8")
    labels, probs = read_plan_table(path, hh)
    return hh, g, labels, list(probs)


@pytest.fixture
def python_result(tmp_path: Path) -> tuple[Any, pd.Series, CheckResult]:
    hh, g, labels, probs = _plan(tmp_path)
    return hh, labels, check_plan(hh, labels, RULES, graph=g, plan_problems=probs)


def test_the_python_result_keeps_the_python_words(python_result: tuple[Any, pd.Series, CheckResult]) -> None:
    res = python_result[2]
    v = res.violations.set_index("code")
    assert set(PY_CODES) <= set(v.index)
    for lang in LANGS:
        said = v[f"message_{lang}"]
        assert "repair_plan" in said["SIZE-LOW"] and "repair_plan" in said["PLAN-UNASSIGNED"]
        assert {"zh": "组界多边形", "en": "group polygons"}[lang] in said["SIZE-EXCEPTION"]
        assert "yuanluo repair" not in said["PLAN-ID-ZEROS"]


def test_for_planner_says_what_the_command_line_says(tmp_path: Path,
                                                     python_result: tuple[Any, pd.Series, CheckResult]) -> None:
    """Every finding as a check run with the command line's words from the start says it (the plan read and
    checked inside planner_words), params rendered when the problems were made (SIZE-EXCEPTION's) too."""
    res = python_result[2]
    with planner_words():
        hh, g, labels, probs = _plan(tmp_path)
        cli = check_plan(hh, labels, RULES, graph=g, plan_problems=probs)
    shown = res.for_planner().violations
    assert shown["code"].tolist() == cli.violations["code"].tolist()
    for lang in LANGS:
        assert shown[f"message_{lang}"].tolist() == cli.violations[f"message_{lang}"].tolist()
        assert shown[f"message_{lang}"].tolist() != res.violations[f"message_{lang}"].tolist()
        assert not any(API.search(m) for m in shown[f"message_{lang}"]), lang
    by = shown.set_index("code")
    assert "yuanluo repair" in by.loc["SIZE-LOW", "message_en"] and "--groups" in by.loc["SIZE-EXCEPTION", "message_en"]
    assert "yuanluo repair -o" in by.loc["PLAN-ID-ZEROS", "message_zh"]
    assert res.violations["message_en"].str.contains("repair_plan").any()  # the caller's result untouched


def test_a_row_the_caller_changed_keeps_its_own_words(python_result: tuple[Any, pd.Series, CheckResult]) -> None:
    res = python_result[2]
    mine = res.violations.copy()
    low = mine.index[mine["code"] == "SIZE-LOW"][0]
    mine.loc[low, "message_en"] = "my own words, repair_plan"
    shown = CheckResult(**{**res.__dict__, "violations": mine.iloc[::-1]}).for_planner().violations
    assert shown.loc[low, "message_en"] == "my own words, repair_plan"
    unassigned = shown.index[shown["code"] == "PLAN-UNASSIGNED"][0]
    assert "yuanluo repair" in shown.loc[unassigned, "message_en"]


def test_the_report_of_a_python_check_names_no_api_word(tmp_path: Path,
                                                        python_result: tuple[Any, pd.Series, CheckResult]) -> None:
    res = python_result[2]
    for lang in LANGS:
        page = write_html(res, tmp_path / f"report_{lang}.html", lang=lang).read_text(encoding="utf-8")
        assert not API.search(page), (lang, API.findall(page))
        assert "yuanluo repair" in page and "--groups" in page
        found, _ = write_csv(res, tmp_path / f"findings_{lang}.csv", lang=lang)
        table = found.read_text(encoding="utf-8-sig")
        assert not API.search(table) and "yuanluo repair" in table, lang


def test_the_map_of_a_python_check_names_no_api_word(python_result: tuple[Any, pd.Series, CheckResult]) -> None:
    hh, labels, res = python_result
    for lang in LANGS:
        html = map_html(make_map(check_map_layers(Inputs(households=hh, report=None), labels, res, lang=lang),
                                 lang=lang))
        card = json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))  # type: ignore[union-attr]
        viol = card["f"]["viol"]
        said = " ".join(str(x) for x in (viol if isinstance(viol, list) else viol["v"]))
        assert "yuanluo repair" in said and "SIZE-LOW" in said, said
        assert not API.search(html), (lang, API.findall(html))


def test_the_cover_report_of_points_sited_from_python_says_the_options() -> None:
    """A fixed point 40 km off, sited from Python (planners.cover.site, as a notebook runs it): the warning the
    caller holds names fixed= and max_snap_m=; the cover report a planner reads names --fixed, as yuanluo cover's."""
    import geopandas as gpd

    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report

    hh = make_village(120, seed=5).households
    pts = hh.geometry.iloc[[0, 50]]
    fixed = gpd.GeoDataFrame({"名称": ["村委会", "旧点"]}, crs=hh.crs,
                             geometry=gpd.points_from_xy(pts.x + [0.0, 40_000.0], pts.y))
    res = site(hh, build_graph(hh), CoverPlan(per_level={"village": 1}), fixed=fixed)
    far = [w for w in res.warnings if w.code == "COVER-SITE-FAR"]
    assert len(far) == 1 and "max_snap_m=" in far[0].message("en") and "fixed=" in far[0].message("en")
    for lang in LANGS:
        page = render_cover_report(res, lang=lang)
        assert not re.search(r"max_snap_m|fixed=|GeoDataFrame", page), lang
        assert {"zh": "--fixed 中有 1 个点", "en": "--fixed: 1 point more than"}[lang] in page


def test_a_rule_not_checked_is_told_the_rule_files_line_on_a_page(tmp_path: Path) -> None:
    """Households with a village column alone, the rules asking for groups, settlements and heads: check_plan from
    Python gives three RULE-UNAPPLIED whose fixes name Rules(…) and UnitDelineator(…); the report a planner reads
    says the rule file's lines (nest_by = ["village"], keep_settlements = false, require_head = false)."""
    hh, g, labels, probs = _plan(tmp_path)
    res = check_plan(hh, labels, Rules(3, 4), graph=g, plan_problems=probs)
    mine = res.violations[res.violations["code"] == "RULE-UNAPPLIED"]
    assert len(mine) == 3 and mine["message_en"].str.contains("UnitDelineator").all()
    with planner_words():
        hh, g, labels, probs = _plan(tmp_path)
        cli = check_plan(hh, labels, Rules(3, 4), graph=g, plan_problems=probs)
    shown = res.for_planner().violations
    for lang in LANGS:
        assert shown[f"message_{lang}"].tolist() == cli.violations[f"message_{lang}"].tolist()
        page = write_html(res, tmp_path / f"rules_{lang}.html", lang=lang).read_text(encoding="utf-8")
        assert not re.search(r"UnitDelineator|Rules\(|keep_settlements=|require_head=|nest_by=", page), lang
        for line in ('nest_by = [&quot;village&quot;]', "keep_settlements = false", "require_head = false"):
            assert line in page, (lang, line)
