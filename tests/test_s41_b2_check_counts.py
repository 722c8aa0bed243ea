"""Desk and phone counted different warnings (session 41, audit G item 8): for one Andorra plan ``yuanluo check`` said
"109 处提示" while its table of warnings by code added up to 106 and the editor said "提示 106 项"; the 3 more were
the rules the household file has no column for (RULE-UNAPPLIED), said apart above the table. The verdict line now
counts the warnings as the table and the editor do, and the rules not checked apart."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, run_cli

from yuanluo.gis.catalogue import text


@pytest.mark.parametrize(("lang", "pattern"), [
    ("zh", r"(\d+) 处违规，(\d+) 处提示，另有 (\d+) 条规则未能检查；"),
    ("en", r"(\d+) violations, (\d+) warnings, and (\d+) rules could not be checked; "),
])
def test_the_verdict_counts_the_warnings_as_listed_and_the_rules_not_checked_apart(tmp_path: Path, lang: str,
                                                                                     pattern: str) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)  # no village, group, settlement or head column
    plan = tmp_path / "plan.csv"
    plan.write_text("hid,unit\n" + "".join(f"{i + 1:03d},U{i // 12}\n" for i in range(24)), encoding="utf-8")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--preset", "banan", "--plan", str(plan),
                   "--unit-col", "unit", "--json", str(tmp_path / "k.json")], lang, code=1)
    said = re.findall(pattern, " ".join(out.split()))
    assert len(said) == 2, out  # the verdict line, first and last
    findings = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))["violations"]
    sev = [(f["code"], f["severity"]) for f in findings]
    errors = sum(s == "error" for _, s in sev)
    warnings = sum(s == "warning" and c != "RULE-UNAPPLIED" for c, s in sev)
    unapplied = sum(c == "RULE-UNAPPLIED" for c, _ in sev)
    assert unapplied == 3
    assert said[0] == said[1] == (str(errors), str(warnings), str(unapplied)), (said, sev)


def test_one_rule_not_checked_is_said_in_the_singular() -> None:
    assert text("cli.check.unapplied_count", "en", n=1) == ", and 1 rule could not be checked"
    assert text("cli.check.unapplied_count", "zh", n=1) == "，另有 1 条规则未能检查"
