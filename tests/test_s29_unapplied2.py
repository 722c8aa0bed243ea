"""RULE-UNAPPLIED's fixes point at what the user can change (audit s29 M §4).

(a) With ``--preset`` and no rule file, the fixes said to take names out of "the rules'" nest_by or write
``require_head = false`` "in the rules": the user has none. They now say to write a rule file with the preset and
the setting and give it with --rules (--preset and --rules together are refused); with a rule file, that file.
(b) On a result (check, repair), the fix said to add the columns to "the household file nc.gpkg", the result. It
now names the household file the result was delineated from (its run layer records it), then a new delineation.
(c) delineate listed two unapplied rules and check of its own result three (settlements kept whole, no settlement
column): delineate finds the settlements itself by walking distance, so it applies the rule, but check cannot
check it. delineate now says so, with the fix a check would give: check names no rule delineate said nothing of.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import LAT0, LON0
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _nocols(tmp: Path, n: int = 40) -> Path:
    """``n`` households with an id, a position and persons only: no village, group, settlement or candidate-head
    column."""
    rows = [f"H{i + 1:03d},{LON0 + 0.0004 * (i % 8):.6f},{LAT0 + 0.0003 * (i // 8):.6f},{2 + i % 4}" for i in range(n)]
    p = tmp / "nocols.csv"
    p.write_text("\n".join(["hid,lon,lat,persons", *rows]) + "\n", encoding="utf-8")
    return p


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code in (0, 1), res.output
    return " ".join(res.output.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_preset_fix_says_to_write_a_rule_file_with_the_preset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    _nocols(tmp_path)
    shown = _run("--lang", lang, "delineate", "nocols.csv", "--crs", "EPSG:4326", "--preset", "banan", "-o", "d.gpkg")
    assert "RULE-UNAPPLIED" in shown
    for setting in ("nest_by = []", "require_head = false"):
        # the lines to write, quoted once (preset = "banan" has quotes of its own: not set in “” again)
        assert (f'preset = "banan"、{setting}' if lang == "zh" else f'preset = "banan" and {setting}') in shown, shown
    assert '“preset' not in shown, shown
    assert "--rules" in shown
    assert "从规则的" not in shown and "在规则中写" not in shown and "in the rules" not in shown, shown
    # the rule file the fix describes does it: nothing left unapplied
    (tmp_path / "r.toml").write_text('[rules]\npreset = "banan"\nnest_by = []\nrequire_head = false\n'
                                     "keep_settlements = false\n", encoding="utf-8")
    shown = _run("--lang", lang, "delineate", "nocols.csv", "--crs", "EPSG:4326", "--rules", "r.toml", "-o", "e.gpkg")
    assert "RULE-UNAPPLIED" not in shown and "keep_settlements" not in shown, shown
    # with a rule file, the fix names it and the setting to write in it
    (tmp_path / "s.toml").write_text('[rules]\npreset = "banan"\n', encoding="utf-8")
    shown = _run("--lang", lang, "delineate", "nocols.csv", "--crs", "EPSG:4326", "--rules", "s.toml", "-o", "f.gpkg")
    for setting in ("nest_by = []", "require_head = false"):
        assert (f"在规则文件 s.toml 中写 “{setting}”" if lang == "zh" else f"write {setting} in the rule file s.toml") \
            in shown, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_b_fix_on_a_result_names_the_household_file_it_was_delineated_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    _nocols(tmp_path)
    _run("delineate", "nocols.csv", "--crs", "EPSG:4326", "--preset", "banan", "-o", "nc.gpkg")
    for args in (["check", "nc.gpkg", "--preset", "banan"], ["repair", "nc.gpkg", "--preset", "banan", "-o", "r.csv"]):
        shown = _run("--lang", lang, *args)
        assert "RULE-UNAPPLIED" in shown, shown
        if lang == "zh":
            assert "在农户表 nocols.csv 中补上这些列，再重新划分（结果 nc.gpkg 由它划分而来）" in shown, shown
            assert "农户表 nc.gpkg" not in shown
        else:
            assert ("add these columns to the household file nocols.csv, then delineate again (the result nc.gpkg "
                    "was delineated from it)") in shown, shown
            assert "household file nc.gpkg" not in shown
    # the household file gone: the fix still says where the columns go, without naming the result as it
    (tmp_path / "nocols.csv").unlink()
    shown = _run("--lang", lang, "check", "nc.gpkg", "--preset", "banan")
    assert "nocols.csv" in shown and "household file nc.gpkg" not in shown and "农户表 nc.gpkg" not in shown, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_c_check_of_a_fresh_result_names_no_rule_delineate_left_unsaid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    _nocols(tmp_path)
    said = _run("--lang", lang, "delineate", "nocols.csv", "--crs", "EPSG:4326", "--preset", "banan", "-o", "nc.gpkg")
    checked = _run("--lang", lang, "check", "nc.gpkg", "--preset", "banan")
    settle = "保持自然院落完整" if lang == "zh" else "natural settlements kept whole"
    assert settle in checked, checked  # check cannot check it: the result has no settlement column
    assert settle in said and "keep_settlements = false" in said and "“preset" not in said, said  # delineate says why, and the fix
    found = "按步行距离自行识别自然院落" if lang == "zh" else "found the settlements itself, by walking distance"
    assert found in said, said
    quiet = _run("--lang", lang, "delineate", "nocols.csv", "--crs", "EPSG:4326", "--preset", "banan", "-o",
                 "q.gpkg", "-q")
    assert settle not in quiet, quiet  # a note: -q prints none
