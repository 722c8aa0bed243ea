"""``check plan.gpkg --report r.html --csv c.csv --json j.json`` (audit I): the console said '0 处违规，3 处提示，另有
1 条规则未能检查' while the report said 提示（警告） 4, the JSON n_warnings 4 and the CSV listed 4 warnings: the rules
not checked (RULE-UNAPPLIED) were warnings there and apart on the console (9f59c85). One split everywhere now."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, run_cli

CASES = {
    "zh": (r"(\d+) 处违规，(\d+) 处提示，另有 (\d+) 条规则未能检查；", "提示（警告）", "未能检查的规则", "未检查",
           "级别"),
    "en": (r"(\d+) violations, (\d+) warnings, and (\d+) rules could not be checked; ", "Warnings",
           "Rules not checked", "not checked", "Severity"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_console_report_json_and_csv_count_the_rules_not_checked_apart(tmp_path: Path, lang: str) -> None:
    pattern, warn_label, unchecked_label, unchecked_word, sev_head = CASES[lang]
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)  # no village, group, settlement or head column
    plan = tmp_path / "plan.csv"
    plan.write_text("hid,unit\n" + "".join(f"{i + 1:03d},U{i // 12}\n" for i in range(24)), encoding="utf-8")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--preset", "banan", "--plan", str(plan),
                   "--unit-col", "unit", "--json", str(tmp_path / "j.json"), "--report", str(tmp_path / "r.html"),
                   "--csv", str(tmp_path / "c.csv")], lang, code=1)
    said = re.findall(pattern, " ".join(out.split()))
    assert said, out
    n_err, n_warn, n_unchecked = map(int, said[0])
    assert n_unchecked == 3
    summary = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))["summary"]
    assert (summary["n_errors"], summary["n_warnings"], summary["n_unchecked"]) == (n_err, n_warn, n_unchecked)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"<dt>{warn_label}</dt><dd>{n_warn}</dd>" in page
    assert f"<dt>{unchecked_label}</dt><dd>{n_unchecked}</dd>" in page
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    words = [r[sev_head] for r in rows]
    assert words.count(unchecked_word) == n_unchecked
    assert len(rows) == n_err + n_warn + n_unchecked


@pytest.mark.parametrize(("lang", "heading"), [("zh", "未能检查的规则，共 3 条"), ("en", "3 rules not checked")])
def test_the_reports_list_heads_the_rules_not_checked_apart(tmp_path: Path, lang: str, heading: str) -> None:
    """The report's list of findings headed the RULE-UNAPPLIED group 警告，共 3 条 / 3 warnings."""
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    plan = tmp_path / "plan.csv"
    plan.write_text("hid,unit\n" + "".join(f"{i + 1:03d},U{i // 12}\n" for i in range(24)), encoding="utf-8")
    run_cli(["check", str(hh), "--crs", "EPSG:4490", "--preset", "banan", "--plan", str(plan), "--unit-col", "unit",
             "--report", str(tmp_path / "r.html")], lang, code=1)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    heads = [re.sub("<[^>]+>", "", h) for h in re.findall("<h3[^>]*>.*?</h3>", page)]
    said = [h for h in heads if "RULE-UNAPPLIED" in h]
    assert len(said) == 1 and said[0].endswith(heading), heads
