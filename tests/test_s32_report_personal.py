"""The check report from Python (planners.report.render_html / write_html) names the households of each finding:
household ids that are id-card or phone numbers reached the page without a request (the command line stopped
them since ID-PERSONAL-PAGE; a notebook did not)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yuanluo.gis.check import CheckResult
from yuanluo.gis.errors import InputError
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import render_html, write_html

IDCARD = "11010519491231002X"


def _result(hid: str) -> CheckResult:
    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [7], "persons": [3.0], "size": [7], "status": ["ok"],
                          "codes": [["SIZE-LOW"]], "mean_walk_min": [float("nan")], "max_walk_min": [float("nan")]})
    viol = pd.DataFrame({"code": ["SIZE-LOW"], "unit_id": ["U1"], "hids": [[hid] + [f"H{i}" for i in range(2, 8)]], "severity": ["error"],
                         "message_zh": ["太小"], "message_en": ["too small"]})
    return CheckResult(violations=viol, units=units, passed=False, graph_kind="straight", rules=Rules(2, 5))


def test_a_report_of_personal_ids_needs_include_personal(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        render_html(_result(IDCARD))
    assert exc.value.problems[0].code == "ID-PERSONAL-PAGE"
    with pytest.raises(InputError):
        write_html(_result(IDCARD), tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()
    assert IDCARD in render_html(_result(IDCARD), include_personal=True)
    write_html(_result(IDCARD), tmp_path / "r.html", include_personal=True)
    assert IDCARD in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_plain_ids_need_nothing() -> None:
    assert "H0001" in render_html(_result("H0001"), lang="en")
