"""RULE-UNAPPLIED's fix on a result delineated under a rule file (session 56, helper U, a planner's Monday). Its
fix for a rule the household file has no column for said to write a rule file with the preset and that one
setting (preset = "changshou" and keep_settlements = false) and give it with --rules: a file that drops what the
planner's own file set (max_walk_min = 15, nest_by), so the check it leads to runs without the walking limit,
unsaid. The fix now lists every setting the recorded rules hold beyond their preset. Fails on 27e9fda."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_s29_unapplied2 import _nocols
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fix_keeps_the_settings_of_the_rule_file_the_result_was_made_under(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    _nocols(tmp_path)
    Path("规则.toml").write_text('# 巴南规则\n[rules]\npreset = "巴南"\nmax_walk_min = 12\nrequire_head = false\n'
                                 "nest_by = []\n", encoding="utf-8")
    res = runner.invoke(app, ["delineate", "nocols.csv", "--crs", "EPSG:4326", "--rules", "规则.toml", "-o", "d.gpkg"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--lang", lang, "check", "d.gpkg", "--json", "a.json"])
    said = " ".join(res.output.split())
    want = {"zh": '写一个规则文件，在 “[rules]” 下写 preset = "banan"、nest_by = []、require_head = false、'
                  "max_walk_min = 12、keep_settlements = false，再用 “--rules” 给出",
            "en": 'write a rule file with preset = "banan", nest_by = [], require_head = false, max_walk_min = 12 '
                  "and keep_settlements = false under [rules] and give it with --rules"}[lang]
    assert "RULE-UNAPPLIED" in said and want in said, said
    # the file the fix describes: the rules the result records, and nothing left unapplied
    lines = re.findall(r"(\w+ = (?:\"\w+\"|\[\]|\w+))", want)
    Path("按提示.toml").write_text("[rules]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    again = runner.invoke(app, ["--lang", lang, "check", "d.gpkg", "--rules", "按提示.toml", "--json", "b.json"])
    assert again.exit_code == res.exit_code and "RULE-UNAPPLIED" not in again.output, again.output
    rules = [json.loads(Path(f).read_text(encoding="utf-8"))["summary"]["rules"] for f in ("a.json", "b.json")]
    assert rules[0]["max_walk_min"] == 12 and rules[1] == {**rules[0], "keep_settlements": False}, rules


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "记录的规则（20–50 户，到议事点步行不超过 7.5 分钟）检查"),
    ("en", "records (20–50 households, a walk of at most 7.5 minutes to the meeting point)")])
def test_the_note_of_the_recorded_rules_names_their_walking_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  lang: str, said: str) -> None:
    """check of a result without rules said "the rules the result records (20–50 households)": not that they hold a
    walking limit, which the check applies (fails on 27e9fda)."""
    monkeypatch.chdir(tmp_path)
    _nocols(tmp_path)
    Path("r.toml").write_text('[rules]\npreset = "banan"\nmax_walk_min = 7.5\n', encoding="utf-8")
    res = runner.invoke(app, ["delineate", "nocols.csv", "--crs", "EPSG:4326", "--rules", "r.toml", "-o", "d.gpkg"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--lang", lang, "check", "d.gpkg"])
    assert said in " ".join(res.output.split()), res.output
