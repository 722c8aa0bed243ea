"""Session 32, fixer FC: a rule the households cannot serve is said by ``check_plan`` by default (RULE-UNAPPLIED,
as ``UnitDelineator.check`` and ``yuanluo check`` say it), and each of its sentences reads right for one column
and for several, in Chinese and in English, with fixes that exist (each is applied here and silences its
warning)."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def row(n: int = 6, **cols):
    ids = [f"h{i}" for i in range(n)]
    xy = np.c_[np.arange(n) * 50.0, np.zeros(n)]
    hh = gpd.GeoDataFrame(cols, geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)
    return hh, g, pd.Series(["A"] * (n // 2) + ["B"] * (n - n // 2), index=ids)


def unapplied(res) -> pd.DataFrame:
    return res.violations[res.violations["code"] == "RULE-UNAPPLIED"]


def test_check_plan_says_by_default_what_model_check_says():
    """The default of a Python caller is no longer a silent pass: the same warnings as UnitDelineator.check."""
    hh, g, lab = row(group=["1"] * 6)
    m = UnitDelineator(min_size=3, max_size=3).fit(hh, g)
    said = unapplied(m.check(hh, g))
    res = check_plan(hh, m.labels_, m.rules(), graph=g)
    assert res.passed and len(unapplied(res)) == len(said) == 3
    assert unapplied(res)[["message_zh", "message_en"]].values.tolist() == \
        said[["message_zh", "message_en"]].values.tolist()
    quiet = check_plan(hh, m.labels_, m.rules(), graph=g, unapplied=False)  # the caller that says it knows
    assert unapplied(quiet).empty


def test_a_rule_asked_for_is_never_passed_unchecked_without_a_word():
    """Each rule the data cannot serve, alone: the check passes and says that rule, and only that one."""
    hh, g, lab = row()
    bare = dict(nest_by=(), keep_settlements=False, require_head=False)
    assert unapplied(check_plan(hh, lab, Rules(3, 3, **bare), graph=g)).empty
    for key, value, word in [("nest_by", ("village",), "villages"), ("keep_settlements", True, "settlement column"),
                             ("require_head", True, "candidate-head column")]:
        res = check_plan(hh, lab, Rules(3, 3, **{**bare, key: value}), graph=g)
        assert res.passed and len(unapplied(res)) == 1, key
        assert word in unapplied(res)["message_en"].iloc[0], key


@pytest.mark.parametrize(("given", "nest_by", "en", "zh"), [
    ({"village": "V"}, ("village", "group"),
     ["villager groups (the households have no such column)", "the column “group”, or leave it out",
      "nest_by=('village',)"],
     ["院落不跨村民小组（农户表没有这一列）", "补上 “group” 列，或在规则中去掉它："]),
    ({}, ("village", "group"),
     ["villages or villager groups (the households have no such columns)",
      "the columns “village” and “group”, or leave them out", "nest_by=()"],
     ["院落不跨村、村民小组（农户表没有这些列）", "补上 “village”、“group” 这些列，或在规则中去掉它们："]),
    ({}, ("village", "group", "settlement"),
     ["villages, villager groups or settlements (the households have no such columns)",
      "“village”, “group” and “settlement”"],
     ["院落不跨村、村民小组、自然院落（农户表没有这些列）"]),
    # 村民小组 is the reader's name of group: one column to add, said once, and no Chinese in the English
    ({"village": "V"}, ("village", "group", "村民小组"),
     ["villager groups (the households have no such column)", "the column “group”,", "nest_by=('village',)"],
     ["院落不跨村民小组（农户表没有这一列）"]),
])
def test_the_nesting_sentence_reads_right_for_one_column_and_for_several(given, nest_by, en, zh):
    hh, g, lab = row(**given)
    res = check_plan(hh, lab, Rules(3, 3, nest_by=nest_by, keep_settlements=False, require_head=False), graph=g)
    (m_en,), (m_zh,) = unapplied(res)["message_en"], unapplied(res)["message_zh"]
    for part in en:
        assert part in m_en, (part, m_en)
    for part in zh:
        assert part in m_zh, (part, m_zh)
    assert not re.search(r"[\u4e00-\u9fff]", m_en.replace("村民小组', ", "")), m_en  # nest_by as written aside
    if "(the households have no such column)" in m_en:
        assert "columns" not in m_en and "them" not in m_en
    else:
        assert "the column " not in m_en and " it " not in m_en
    quoted = re.sub(r"“[\x20-\x7e…()',]*”|(?:Rules|UnitDelineator)\(…, \w+=(?:\([^)]*\)|[^)]*)\)", " ", m_zh)
    assert not re.findall(r"[A-Za-z]{2,}", re.sub(r"RULE-UNAPPLIED", " ", quoted)), m_zh


def _keyword_fixes(message: str) -> list[tuple[str, str, str]]:
    """The (maker, keyword, value) of each “Rules(…, k=v)” / “UnitDelineator(…, k=v)” a fix offers."""
    return re.findall(r"(Rules|UnitDelineator)\(…, (\w+)=(.*?)\)(?= or | 或 |\.|。|$|”)", message, flags=re.M)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_fix_offered_exists_and_silences_its_warning(lang):
    """Each keyword a fix names is one Rules and UnitDelineator take, and with it the rule is no longer asked for;
    each column a fix names to add, added, serves the rule."""
    hh, g, lab = row(village=["V"] * 6)
    rules = Rules(3, 3, nest_by=("village", "group"))
    res = check_plan(hh, lab, rules, graph=g)
    msgs = unapplied(res)[f"message_{lang}"].tolist()
    assert len(msgs) == 3
    for msg in msgs:
        fixes = _keyword_fixes(msg)
        assert sorted(m for m, _, _ in fixes) == ["Rules", "UnitDelineator"], msg
        for maker, key, value in fixes:
            kw = {key: eval(value)}  # noqa: S307 - the literal the message gives, ('village',) or False
            if maker == "UnitDelineator":
                UnitDelineator(min_size=3, max_size=3, **kw)
                continue
            again = check_plan(hh, lab, Rules(3, 3, **{"nest_by": rules.nest_by, **kw}), graph=g)
            assert len(unapplied(again)) == 2 and msg not in unapplied(again)[f"message_{lang}"].tolist(), msg
    # the columns to add, named in the fixes, added
    full = hh.assign(group="1", settlement=["S1"] * 3 + ["S2"] * 3, head_candidate=["是", "否", "否", "是", "否", "否"])
    for name in ("group", "settlement", "head_candidate"):
        assert any(f"“{name}”" in m or f"named {name}" in m for m in msgs), name
    res = check_plan(full, lab, rules, graph=g)
    assert res.passed and res.violations.empty


# ------------------------------------------------------------------------------------ the command line's sentences
def _cli_file(tmp, group: bool) -> str:
    """40 households with an id, a position and persons, and a villager group when ``group``; no village column."""
    from badfiles import LAT0, LON0

    rows = [f"H{i + 1:03d},{LON0 + 0.0004 * (i % 8):.6f},{LAT0 + 0.0003 * (i // 8):.6f},{2 + i % 4}"
            + (",一组" if group else "") for i in range(40)]
    p = tmp / "hh.csv"
    p.write_text("\n".join(["hid,lon,lat,persons" + (",村民小组" if group else ""), *rows]) + "\n", encoding="utf-8")
    return str(p)


@pytest.mark.parametrize(("group", "zh", "en"), [
    (True, ["院落不跨村（农户表没有这一列）", "中补上这一列"],
     ["units not straddling villages (the household file has no such column)", "add this column to the household"]),
    (False, ["院落不跨村、村民小组（农户表没有这些列）", "中补上这些列"],
     ["units not straddling villages or villager groups (the household file has no such columns)",
      "add these columns to the household"]),
])
def test_yuanluo_check_says_one_missing_column_and_several_as_they_read(tmp_path, monkeypatch, group, zh, en):
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    monkeypatch.chdir(tmp_path)
    hh = _cli_file(tmp_path, group)
    (tmp_path / "plan.csv").write_text("hid,unit\n" + "".join(f"H{i + 1:03d},U{i // 20}\n" for i in range(40)),
                                       encoding="utf-8")
    runner = CliRunner()
    for lang, parts in (("zh", zh), ("en", en)):
        res = runner.invoke(app, ["--lang", lang, "check", hh, "--crs", "EPSG:4326", "--preset", "banan",
                                  "--plan", "plan.csv", "--unit-col", "unit"], env={"COLUMNS": "400"})
        assert res.exit_code in (0, 1), res.output
        shown = " ".join(res.output.split())
        assert shown.count("RULE-UNAPPLIED") == 1, shown  # one line naming the rules, said once
        for part in parts:
            assert part in shown, (part, shown)
        if lang == "en":
            assert not re.search(r"[\u4e00-\u9fff]", shown.replace("hh.csv", "")), shown
