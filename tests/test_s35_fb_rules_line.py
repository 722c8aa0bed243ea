"""The check report's rule list said 不得跨越：村、村民小组 for households with a town column (乡镇), though the
nest key keeps a unit inside its town as well (gis.keys.key_columns: 新华村 of 甲镇 and 新华村 of 乙镇 are two
villages). It now lists the levels the key keeps, the town first, by their catalogue names: 乡镇、村、村民小组 /
towns, villages, villager groups (session 35, fixer FB, defect 1)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.check import CheckResult
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.report import ReportInfo, kept_levels, render_html

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import good_rows, write_csv  # noqa: E402

NEST = {"zh": "不得跨越", "en": "Must not straddle"}


def _nest_line(page: str, lang: str) -> str:
    m = re.search(f"<dt>{NEST[lang]}</dt><dd>(.*?)</dd>", page)
    assert m, page[-3000:]
    return m.group(1)


def _result(nest_by: tuple[str, ...]) -> CheckResult:
    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [3], "persons": [7.0], "size": [3], "status": ["ok"],
                          "codes": [[]], "mean_walk_min": [float("nan")], "max_walk_min": [float("nan")]})
    viol = pd.DataFrame(columns=["code", "unit_id", "hids", "severity", "message_zh", "message_en"])
    return CheckResult(violations=viol, units=units, passed=True, graph_kind="straight", rules=Rules(2, 5, nest_by=nest_by))


@pytest.mark.parametrize(("lang", "want"), [("zh", "乡镇、村、村民小组"), ("en", "towns, villages, villager groups")])
def test_a_town_column_is_said_first_among_the_levels_kept(lang: str, want: str) -> None:
    cols = frozenset({"hid", "乡镇", "village", "group", "geometry"})
    assert _nest_line(render_html(_result(("village", "group")), lang=lang, info=ReportInfo(columns=cols)), lang) == want
    # group alone still keeps the village and the town above it (its key compares them)
    assert _nest_line(render_html(_result(("group",)), lang=lang, info=ReportInfo(columns=cols)), lang) == want


def test_without_a_town_or_without_nesting_the_line_is_as_it_was() -> None:
    cols = frozenset({"hid", "village", "group"})
    assert _nest_line(render_html(_result(("village", "group")), info=ReportInfo(columns=cols)), "zh") == "村、村民小组"
    assert _nest_line(render_html(_result(()), info=ReportInfo(columns=cols | {"乡镇"})), "zh") == "–"
    # unknown columns: the rules as configured
    assert _nest_line(render_html(_result(("village", "group")), lang="en"), "en") == "villages, villager groups"
    # a missing village is still said as not checked, after what is kept
    got = _nest_line(render_html(_result(("village", "group")), info=ReportInfo(columns=frozenset({"乡镇", "group"}))),
                     "zh")
    assert got == "乡镇、村民小组、未检查：农户表没有村列"


def test_a_division_code_is_no_level_of_its_own_and_words_come_once() -> None:
    assert kept_levels(("village", "village", "group"), {"街道", "行政区划代码", "village", "group"}, "zh") \
        == ["乡镇", "村", "村民小组"]
    assert kept_levels(("乡镇", "settlement"), {"乡镇", "settlement"}, "en") == ["towns", "settlements"]


@pytest.mark.parametrize(("lang", "want"), [("zh", "乡镇、村、村民小组"), ("en", "towns, villages, villager groups")])
def test_check_report_of_two_towns(tmp_path: Path, lang: str, want: str) -> None:
    rows = [f"{r.removesuffix(',一组')},{'甲镇' if i < 3 else '乙镇'},新华村,一组" for i, r in enumerate(good_rows(6))]
    hh = write_csv(tmp_path, "h.csv", ["户编号,经度,纬度,人口,乡镇,村,村民小组", *rows])
    plan = write_csv(tmp_path, "plan.csv", ["户编号,院落编号", *[f"{i:03d},U{1 + (i > 4)}" for i in range(1, 7)]])
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 8\nnest_by = ["village", "group"]\n', encoding="utf-8")
    page = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--rules", str(rules),
                                   "--report", str(page)], env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert page.exists(), res.output
    html = page.read_text(encoding="utf-8")
    assert _nest_line(html, lang) == want
    assert "PLAN-CROSS-VILLAGE" in res.output  # U1 holds households of 甲镇 and of 乙镇: the town is kept, and checked


def test_names_of_a_rule_file_are_read_as_the_check_reads_them() -> None:
    """A rule file's nest_by = ["行政村", "村民小组"] names the reader's village and group (gis.rules.resolve_nest_by):
    kept, not "not checked"."""
    cols = frozenset({"hid", "乡镇", "village", "group"})
    page = render_html(_result(("行政村", "村民小组")), info=ReportInfo(columns=cols))
    assert _nest_line(page, "zh") == "乡镇、村、村民小组"
