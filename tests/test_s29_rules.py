"""Audit s29 K: rule files — a preset given with a rule file, keys outside ``[rules]``, crossed bounds and a bad
preset named by their file, ``join_limit_min = 0``, and the usual TOML mistakes said precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.errors import RuleConfigError
from yuanluo.planners.cli import app
from yuanluo.planners.presets import load_rules_file

runner = CliRunner()


def _village(tmp: Path) -> Path:
    return write_csv(tmp, "农户.csv", [HEADER, *good_rows(6)])


def _rules(tmp: Path, body: str, name: str = "town.toml") -> Path:
    p = tmp / name
    p.write_text(body, encoding="utf-8")
    return p


def _check(tmp: Path, rules: Path, lang: str, *extra: str) -> tuple[int, str]:
    res = runner.invoke(app, ["check", str(_village(tmp)), "--crs", "EPSG:4490", "--unit-col", "村民小组",
                              "--rules", str(rules), "--lang", lang, *extra])
    return res.exit_code, res.output


# ---------------------------------------------------------------------------------------- 1. --preset with --rules
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["check", "delineate", "repair"])
def test_a_preset_with_a_rule_file_is_refused(tmp_path: Path, command: str, lang: str) -> None:
    hh = _village(tmp_path)
    rules = _rules(tmp_path, "[rules]\nmin_size = 15\nmax_size = 35\n")
    out = tmp_path / ("units.gpkg" if command == "delineate" else "fixed.csv")
    plan = write_csv(tmp_path, "plan.csv", ["户编号,院落编号", *[f"{i:03d},U1" for i in range(1, 7)]])
    args = {"check": ["--unit-col", "村民小组"], "delineate": ["-o", str(out)],
            "repair": ["--plan", str(plan), "-o", str(out)]}[command]
    res = runner.invoke(app, [command, str(hh), "--crs", "EPSG:4490", *args, "--preset", "changshou",
                              "--rules", str(rules), "--lang", lang])
    assert res.exit_code == 2 and "RULE-PRESET-FILE" in res.output, res.output
    assert 'preset = "changshou"' in res.output and str(rules) in res.output, res.output
    assert not out.exists()


# ---------------------------------------------------------------------------------------- 2. keys outside [rules]
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keys_above_the_rules_header_are_named_with_their_lines(tmp_path: Path, lang: str) -> None:
    r = _rules(tmp_path, 'min_size = 20\nmax_walk_min = 15\n[rules]\nmax_size = 50\npreset = "banan"\n')
    code, out = _check(tmp_path, r, lang)
    listed = "“min_size”、“max_walk_min”" if lang == "zh" else "min_size, max_walk_min"
    assert code == 2 and "RULE-OUTSIDE" in out and listed in out, out
    assert ("第 1、2 行" if lang == "zh" else "rows 1, 2") in out and str(r) in out, out
    assert f"{'把 ' if lang == 'zh' else 'move '}{listed}" in out, out
    assert ("移到 “[rules]”" if lang == "zh" else "below the [rules] line") in out, out


def test_both_bounds_above_the_header_is_not_called_no_rules(tmp_path: Path) -> None:
    r = _rules(tmp_path, 'min_size = 20\nmax_size = 50\n[rules]\nname = "x"\n')
    code, out = _check(tmp_path, r, "zh")
    assert code == 2 and "RULE-OUTSIDE" in out and "RULE-NONE" not in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_another_table_is_refused(tmp_path: Path, lang: str) -> None:
    r = _rules(tmp_path, "[rules]\nmin_size = 20\nmax_size = 50\n[other]\nx = 1\n")
    code, out = _check(tmp_path, r, lang)
    assert code == 2 and "RULE-TABLE" in out and "[other]" in out and ("第 4 行" if lang == "zh" else "row 4") in out


@pytest.mark.parametrize("body", [
    "min_size = 20\nmax_size = 50\n",                                   # no header: the file is the table
    "# 巴南\n[rules]\nmin_size = 20\nmax_size = 50\n",                  # a comment above the header
    '[rules]\npreset = "banan"         # optional starting point\nmax_size = 40\nsize_by = "households"\n'
    'nest_by = ["village", "group"]\njoin_limit_min = 20\nheads_for_size = 30\n',  # the README's example
    '[rules]\nname = "my-town"\nmin_size = 18\nmax_size = 30\nsize_by = "households"\n'
    'nest_by = ["village", "group"]\nrequire_head = true\nmax_walk_min = 15\n',    # presets.py's example
    "rules = { min_size = 20, max_size = 50 }\n",
])
def test_valid_files_stay_valid(tmp_path: Path, body: str) -> None:
    r = load_rules_file(_rules(tmp_path, body))
    assert r.min_size <= r.max_size


# ---------------------------------------------------------------------------------------- 3. bounds and preset of a file
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_crossed_bounds_of_a_file_name_the_file_and_keys(tmp_path: Path, lang: str) -> None:
    r = _rules(tmp_path, "[rules]\nmin_size = 60\nmax_size = 50\n")
    code, out = _check(tmp_path, r, lang)
    assert code == 2 and "RULE-FILE-BOUNDS" in out and str(r) in out, out
    assert "min_size = 60" in out and "max_size = 50" in out and "--preset" not in out and "--min" not in out, out


def test_a_lone_bound_past_the_files_preset_names_the_preset(tmp_path: Path) -> None:
    r = _rules(tmp_path, '[rules]\npreset = "changshou"\nmin_size = 30\n')
    code, out = _check(tmp_path, r, "en")
    assert code == 2 and "RULE-FILE-BOUNDS" in out and "min_size = 30" in out and "changshou" in out, out
    assert "max_size = 25" in out, out


def test_min_option_over_a_files_max_keeps_the_option_wording(tmp_path: Path) -> None:
    r = _rules(tmp_path, "[rules]\nmin_size = 20\nmax_size = 50\n")
    code, out = _check(tmp_path, r, "en", "--min", "60")
    assert code == 2 and "RULE-BOUNDS" in out and "RULE-FILE-BOUNDS" not in out and "--min" in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_preset_in_a_file_names_the_file(tmp_path: Path, lang: str) -> None:
    r = _rules(tmp_path, '[rules]\npreset = "banna"\n')
    code, out = _check(tmp_path, r, lang)
    assert code == 2 and "RULE-FILE-PRESET" in out and str(r) in out and 'preset = "banna"' in out, out
    assert "banan" in out and "changshou" in out and "--min" not in out, out


# ---------------------------------------------------------------------------------------- 4. join_limit_min = 0
def test_join_limit_zero_is_accepted_in_a_file(tmp_path: Path) -> None:
    r = _rules(tmp_path, "[rules]\nmin_size = 2\nmax_size = 6\njoin_limit_min = 0\n")
    assert load_rules_file(r).join_limit_min == 0
    code, out = _check(tmp_path, r, "en")
    assert code in (0, 1) and "RULE-RANGE" not in out, out


@pytest.mark.parametrize(("lang", "says"), [("zh", "0 或大于 0、小于 10000 的分钟数（0 表示"),
                                            ("en", "0 or a number of minutes above 0 and below 10000 (0: ")])
def test_a_negative_join_limit_says_zero_is_allowed(tmp_path: Path, lang: str, says: str) -> None:
    r = _rules(tmp_path, "[rules]\nmin_size = 2\nmax_size = 6\njoin_limit_min = -1\n")
    code, out = _check(tmp_path, r, lang)
    assert code == 2 and "RULE-RANGE" in out and says in out, out


# ---------------------------------------------------------------------------------------- 5. usual TOML mistakes
@pytest.mark.parametrize(("body", "code", "zh", "en"), [
    ("[rules]\nmin_size = ２０\nmax_size = 50\n", "RULE-FILE-FULLWIDTH", ("全角字符 ２、０", "半角", "第 2 行"),
     ("full-width characters ２, ０", "half-width", "row 2")),
    ("[rules]\n最少户数 = 20\nmax_size = 50\n", "RULE-FILE-KEYNAME", ("最少户数", "英文名", "min_size、name"),
     ("最少户数", "English names", "min_size, name")),
    ("[rules]\nmin_size = 20\nmax_size = 50\nmin_size = 25\n", "RULE-FILE-DUPKEY",
     ("“min_size” 写了两次", "第 2 行和第 4 行", "只保留其中一行"), ("gives min_size twice", "row 2 and row 4", "keep one")),
    ("[rules]\nmin_size = 20\n[rules]\nmax_size = 50\n", "RULE-FILE-DUPKEY", ("“[rules]” 写了两次", "合并"),
     ("[rules] twice", "merge the two tables")),
])
def test_usual_mistakes_say_what_is_wrong(tmp_path: Path, body: str, code: str, zh: tuple[str, ...],
                                          en: tuple[str, ...]) -> None:
    r = _rules(tmp_path, body)
    for lang, says in (("zh", zh), ("en", en)):
        rc, out = _check(tmp_path, r, lang)
        assert rc == 2 and code in out and str(r) in out and "RULE-FILE-SYNTAX" not in out, out
        assert all(s in out for s in says), (says, out)


def test_fullwidth_in_a_comment_or_text_is_not_blamed(tmp_path: Path) -> None:
    r = _rules(tmp_path, '[rules]\nname = "巴南（一）"\nmin_size = 20  # 下限（户）\nmax_size = \n')
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(r)
    assert e.value.codes == ["RULE-FILE-SYNTAX"]
