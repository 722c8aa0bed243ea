"""Rule presets and rule files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import RuleConfigError
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.presets import load_rules_file, preset, resolve_rules


@pytest.mark.parametrize(("name", "lo", "hi"), [("banan", 20, 50), ("changshou", 15, 25), ("qingshen", 20, 40)])
def test_presets_have_the_published_bands(name: str, lo: int, hi: int) -> None:
    r = preset(name)
    assert (r.min_size, r.max_size, r.name) == (lo, hi, name)


def test_unknown_preset_is_a_coded_error() -> None:
    with pytest.raises(RuleConfigError) as e:
        preset("chengdu")
    assert e.value.code == "RULE-PRESET"
    assert "banan" in e.value.render("en")


@pytest.mark.parametrize(("lo", "hi", "code"), [(30, 20, "RULE-BOUNDS"), (0, 10, "RULE-CONFIG"), (-1, 5, "RULE-CONFIG")])
def test_inconsistent_bounds_are_rejected(lo: int, hi: int, code: str) -> None:
    with pytest.raises(RuleConfigError) as e:
        Rules(lo, hi)
    assert e.value.code == code


@pytest.mark.parametrize(("given", "options"), [({"min_size": 30, "max_size": 20}, ["--min", "30", "--max", "20"]),
                                                ({"preset_name": "banan", "max_size": 15}, ["--preset", "banan", "--max", "15"])])
def test_crossed_bounds_are_said_in_the_chosen_language_with_the_fix(
        given: dict[str, object], options: list[str], tmp_path: Path) -> None:
    """`--min 30 --max 20` printed "min_size=30 > max_size=20" as the whole message, in Chinese output too. On the
    command line the fix names --min and --max; from Python, Rules' and preset's keyword arguments."""
    import re

    lo, hi = (30, 20) if "preset_name" not in given else (20, 15)
    households = tmp_path / "h.csv"
    households.write_text("户编号,经度,纬度\n1,106.55,29.56\n2,106.5504,29.5603\n", encoding="utf-8")
    said = {}
    for lang in ("zh", "en"):
        res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(households), "--crs", "EPSG:4490",
                                       "-o", str(tmp_path / "o.gpkg"), *options], env={"COLUMNS": "400"})
        assert res.exit_code == 2 and "RULE-BOUNDS" in res.output, res.output
        said[lang] = res.output
    zh, en = said["zh"], said["en"]
    assert f"下限 {lo} 大于上限 {hi}" in zh and "--min" in zh and "--max" in zh and ">" not in zh, zh
    assert f"{lo} is above the largest {hi}" in en and "--min" in en and not re.search(r"[\u4e00-\u9fff]", en), en
    assert not (tmp_path / "o.gpkg").exists()

    with pytest.raises(RuleConfigError) as e:
        resolve_rules(**given)  # type: ignore[arg-type]
    assert e.value.codes == ["RULE-BOUNDS"]
    zh, en = e.value.render("zh"), e.value.render("en")
    assert f"下限 {lo} 大于上限 {hi}" in zh and "“Rules(min_size=20, max_size=50)”" in zh and "--min" not in zh, zh
    assert f"{lo} is above the largest {hi}" in en and "Rules(min_size=20, max_size=50)" in en and "--" not in en, en
    assert ">" not in zh and not re.search(r"[\u4e00-\u9fff]", en)


def test_rule_file_starts_from_a_preset_and_overrides(tmp_path: Path) -> None:
    f = tmp_path / "town.toml"
    f.write_text('[rules]\npreset = "banan"\nmax_size = 40\nmax_walk_min = 15\n', encoding="utf-8")
    r = load_rules_file(f)
    assert (r.min_size, r.max_size, r.max_walk_min) == (20, 40, 15)


def test_rule_file_with_unknown_key_names_it(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("[rules]\nmin_size = 10\nmax_size = 20\nmaxsize = 30\n", encoding="utf-8")
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    assert e.value.code == "RULE-KEYS" and "maxsize" in e.value.render("en") and "max_size" in e.value.render("zh")


def test_missing_rule_file_and_missing_bounds_are_coded_in_one_language(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(tmp_path / "none.toml")
    assert e.value.code == "IO-NOTFOUND"
    f = tmp_path / "half.toml"
    f.write_text("[rules]\nmin_size = 10\n", encoding="utf-8")
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    assert e.value.code == "RULE-NONE" and "--preset" in e.value.render("zh")
    assert "no rules given" not in e.value.render("zh") and "没有给出规则" in e.value.render("zh")


def test_explicit_bounds_override_the_preset() -> None:
    r = resolve_rules(preset_name="changshou", max_size=30)
    assert (r.min_size, r.max_size) == (15, 30)


def test_feasible_sizes_follow_k_times_band() -> None:
    r = Rules(20, 50)
    assert not r.feasible_size(19)
    assert r.feasible_size(20) and r.feasible_size(50) and r.feasible_size(51)
    r2 = Rules(15, 25)
    assert [n for n in range(1, 61) if not r2.feasible_size(n)] == [*range(1, 15), 26, 27, 28, 29]


@pytest.mark.parametrize(("line", "key"), [
    ('nest_by = "village, group"', "nest_by"), ('keep_settlements = "false"', "keep_settlements"),
    ('require_head = "no"', "require_head"), ('max_walk_min = "15"', "max_walk_min"), ("nest_by = 5", "nest_by"),
    ('min_size = "10"', "min_size"), ('size_by = "people"', "size_by"), ("heads_for_size = 2.5", "heads_for_size"),
])
def test_rule_file_values_of_the_wrong_type_are_coded_errors(tmp_path: Path, line: str, key: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(f"[rules]\nmin_size = 10\nmax_size = 20\n{line}\n".replace(f"{key} = 10\n", "")
                 .replace(f"{key} = 20\n", ""), encoding="utf-8")
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    assert e.value.codes == ["RULE-TYPE"] and key in e.value.render("en")


@pytest.mark.parametrize(("line", "key"), [
    ("max_size = 99999999999999999", "max_size"), ("max_walk_min = -3", "max_walk_min"),
    ("heads_for_size = 0", "heads_for_size"),
])
def test_rule_file_values_out_of_range_say_the_range(tmp_path: Path, line: str, key: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(f"[rules]\nmin_size = 10\nmax_size = 20\n{line}\n".replace(f"{key} = 20\n", ""), encoding="utf-8")
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    assert e.value.codes == ["RULE-RANGE"] and key in e.value.render("en")


def test_a_rule_file_asks_for_a_management_group_in_large_units(tmp_path: Path) -> None:
    """``heads_for_size``: units above it need two candidate heads (the engine, check, repair and the editor
    keep it); a rule file was refused with RULE-KEYS."""
    f = tmp_path / "changshou_group.toml"
    f.write_text('preset = "changshou"\nheads_for_size = 20\n', encoding="utf-8")
    r = load_rules_file(f)
    assert (r.min_size, r.max_size, r.heads_for_size) == (15, 25, 20)


def test_rules_naming_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(tmp_path)
    assert e.value.code == "IO-ISDIR" and "is a folder" in e.value.render("en") and "是文件夹" in e.value.render("zh")


@pytest.mark.parametrize(("body", "code", "row"), [
    (b"[rules\nmax_size=40\n", "RULE-FILE-SYNTAX", 1),
    (b"[rules]\nmin_size = 10\nmax_size = ", "RULE-FILE-SYNTAX", 3),
    (b"[rules]\n# caf\xe9 au lait\nmin_size = 10\n", "RULE-FILE-ENCODING", 2),  # (GBK reads: test_s56_u_gbk_rules)
])
def test_a_rule_file_that_cannot_be_read_names_the_line_in_the_chosen_language(
        tmp_path: Path, body: bytes, code: str, row: int) -> None:
    """`--rules` with a broken TOML file gave the parser's English ("Expected ']' at the end of a table
    declaration") inside the Chinese message; now a coded message naming the file and the line, and the fix."""
    import re

    from yuanluo.planners.cli.options import RuleChoice

    f = tmp_path / "town.toml"
    f.write_bytes(body)
    with pytest.raises(RuleConfigError) as e:
        RuleChoice(rules_file=f).resolve()
    assert e.value.code == code and e.value.problems[0].rows == (row,)
    zh, en = e.value.render("zh"), e.value.render("en")
    assert str(f) in zh and f"第 {row} 行" in zh and ("README" if code == "RULE-FILE-SYNTAX" else "UTF-8") in zh
    assert not re.search(r"[A-Za-z]{3,} [a-z]{2,}", zh.replace(str(f), ""))  # no English sentence
    assert "Expected" not in en and "codec" not in en and f"row {row}" in en
    assert not re.search(r"[\u4e00-\u9fff]", en)
