"""The check report's rules say the management group: under ``heads_for_size`` a unit above it needs two candidate
heads, and the check finds a unit with one (PLAN-FEW-HEADS), but the report's rule list said only 需有院落长候选人：是,
while the plan's own rules sheet (``delineate --xlsx``) says 是（超过 22 户的院落需 2 名）. An official reading the
report of the Andorra plan checked under 长寿 with ``heads_for_size = 22`` (/tmp/s60/A/findings.md) could not tell
why U033, 23 households with one candidate, failed. The line now says it as the sheet does."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from yuanluo.gis.check import CheckResult
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import ReportInfo, render_html

HEAD = {"zh": "需有院落长候选人", "en": "Candidate head required"}


def _head_line(rules: Rules, lang: str, columns: frozenset[str] | None = None) -> str:
    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [23], "persons": [70.0], "size": [23], "status": ["ok"],
                          "codes": [[]], "mean_walk_min": [float("nan")], "max_walk_min": [float("nan")]})
    viol = pd.DataFrame(columns=["code", "unit_id", "hids", "severity", "message_zh", "message_en"])
    res = CheckResult(violations=viol, units=units, passed=True, graph_kind="straight", rules=rules)
    page = render_html(res, lang=lang, info=ReportInfo(columns=columns))
    m = re.search(f"<dt>{HEAD[lang]}</dt><dd>(.*?)</dd>", page)
    assert m, page[-3000:]
    return m.group(1)


@pytest.mark.parametrize(("lang", "want"), [("zh", "是（超过 22 户的院落需 2 名）"),
                                            ("en", "yes (two in a unit above 22 households)")])
def test_heads_for_size_is_said_in_the_rules(lang: str, want: str) -> None:
    assert _head_line(Rules(15, 25, heads_for_size=22), lang) == want
    cols = frozenset({"hid", "village", "group", "head_candidate"})
    assert _head_line(Rules(15, 25, heads_for_size=22), lang, cols) == want


def test_persons_and_the_lines_without_it() -> None:
    assert _head_line(Rules(40, 80, size_by="persons", heads_for_size=60), "zh") == "是（超过 60 人的院落需 2 名）"
    assert _head_line(Rules(15, 25), "zh") == "是"
    assert _head_line(Rules(15, 25, heads_for_size=30), "zh") == "是"  # above the ceiling: no unit needs two
    assert _head_line(Rules(15, 25, require_head=False, heads_for_size=22), "en") == "no"
    # no candidate column: not checked, as before
    assert _head_line(Rules(15, 25, heads_for_size=22), "zh", frozenset({"hid", "village"})).startswith("未检查")
