"""A misspelt key of a rule file is named with the key it stands for (session 53, helper U: min_sise was RULE-KEYS
listing the twelve keys a file may have, and the planner had to find the one meant)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "处理办法：把 max-walk-min 改为 max_walk_min、min_sise 改为 min_size；可用的键："),
    ("en", "Fix: change max-walk-min to max_walk_min, min_sise to min_size; the keys it may have:")])
def test_a_misspelt_key_is_named_with_the_key_meant(tmp_path: Path, lang: str, said: str) -> None:
    rules = tmp_path / "规则.toml"
    rules.write_text('[rules]\npreset = "banan"\nmin_sise = 15\nmax-walk-min = 10\ncolour = "red"\n', encoding="utf-8")
    hh = tmp_path / "农户.csv"
    hh.write_text("户编号,经度,纬度\n1,106.5,29.5\n", encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490"])  # the file is fine
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules),
                              "-o", str(tmp_path / "u.gpkg")])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "RULE-KEYS" in out and said in out, out
    assert "colour 改为" not in out and "colour to" not in out, out  # nothing near: not guessed
    assert not (tmp_path / "u.gpkg").exists()
