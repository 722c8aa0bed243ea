"""``validate`` takes delineate's rule options, ``--preset``, ``--min``, ``--max`` beside ``--rules``, with their meaning
and precedence (session 57, helper U): a planner who delineates with ``--preset changshou --min 18`` could validate
only a rule file (``--preset`` was CLI-USAGE), so RULE-SIZE-GROUPS and RULE-UNAPPLIED judged rules delineate would
not use. The rules are chosen by the same code (``RuleChoice.resolve_for``): bounds over a preset or a file, one bound
alone RULE-HALF (or a result's recorded rules with it), a preset with a file RULE-PRESET-FILE. A RULE-UNAPPLIED fix
for a preset whose bound was changed writes the bound into the rule file it proposes (it wrote the preset alone).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_fixtures import cli_exit_output, message_lines

_HAN = re.compile(r"[\u3400-\u9fff]")


def _households(d: Path, heads: bool = True) -> Path:
    """39 households of 新华村: 27 in 一组, 12 in 二组; every fifth a candidate head (``heads``)."""
    f = d / "农户.csv"
    rows = ["户号,经度,纬度,村,组" + (",院落长候选" if heads else "")]
    for i in range(1, 40):
        lon, lat, grp = (f"106.55{i:02d}", f"29.56{i:02d}", "一组") if i < 28 else (f"106.56{i:02d}", f"29.57{i:02d}",
                                                                                 "二组")
        rows.append(f"H{i},{lon},{lat},新华村,{grp}" + ((",是" if i % 5 == 0 else ",") if heads else ""))
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_preset_with_a_bound_is_judged_as_delineate_takes_it(tmp_path: Path, lang: str) -> None:
    """changshou is 15–25: 一组's 27 fits no split, 二组's 12 does not either; with --min 13 (13–25) 27 fits two units."""
    hh = _households(tmp_path)
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--preset", "changshou", "--min", "18"], lang)
    assert code == 0 and "RULE-SIZE-GROUPS" in out, out
    msg = "\n".join(message_lines(out, "RULE-SIZE-GROUPS"))
    assert "--preset changshou --min 18" in msg and "18–25" in msg and "--min" in msg.splitlines()[1]
    assert ("新华村 一组（27 户）" in msg and "新华村 二组（12 户）" in msg) if lang == "zh" else \
        ("新华村 一组 (27 households)" in msg and "2 of the groups" in msg and "rule file" not in msg)
    if lang == "en":
        assert not _HAN.search(msg.replace("新华村 一组", "").replace("新华村 二组", ""))
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--preset", "changshou", "--min", "13"], lang)
    assert code == 0 and "新华村 二组" in out and "新华村 一组" not in out, out  # 27 = 13 + 14; 12 < 13


def test_what_validate_warns_is_what_delineate_makes(tmp_path: Path) -> None:
    import pyogrio

    hh = _households(tmp_path)
    opts = ["--crs", "EPSG:4490", "--preset", "changshou", "--min", "13"]
    code, out = cli_exit_output(["validate", str(hh), *opts], "en")
    assert code == 0 and "新华村 二组 (12 households)" in out, out
    code, out = cli_exit_output(["delineate", str(hh), *opts, "-o", str(tmp_path / "u.gpkg"), "-q"], "en")
    assert code == 0, out
    units = pyogrio.read_dataframe(tmp_path / "u.gpkg", layer="units", read_geometry=False)
    hhs = pyogrio.read_dataframe(tmp_path / "u.gpkg", layer="households", read_geometry=False)
    bad = set(units.loc[units["code"] == "RULE-INFEASIBLE", "unit_id"])
    assert bad and set(hhs.loc[hhs["unit_id"].isin(bad), "group"]) == {"二组"}  # the group validate named


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_options_delineate_refuses_are_refused_alike(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text("[rules]\nmin_size = 15\nmax_size = 25\n", encoding="utf-8")
    for opts, code_ in ((["--min", "18"], "RULE-HALF"), (["--preset", "changshou", "--rules", str(rules)],
                                                         "RULE-PRESET-FILE"), (["--preset", "nowhere"], "RULE-")):
        code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", *opts], lang)
        dcode, dout = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", *opts, "-o", str(tmp_path / "u.gpkg")], lang)
        assert code == dcode == 2 and code_ in out, out
        first = next(ln for ln in out.splitlines() if code_ in ln)
        assert first in dout.splitlines(), (out, dout)
    assert not (tmp_path / "u.gpkg").exists()


def test_the_bounds_override_a_rule_file_as_in_delineate(tmp_path: Path) -> None:
    hh = _households(tmp_path)
    rules = tmp_path / "规则.toml"
    rules.write_text('[rules]\nmin_size = 13\nmax_size = 25\nnest_by = ["村", "组"]\n', encoding="utf-8")
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules)], "zh")
    assert code == 0 and "规则文件" in out and "13–25 户" in out and "新华村 二组（12 户）" in out, out
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--min", "12"], "zh")
    assert code == 0 and "RULE-SIZE-GROUPS" not in out, out  # 12–25: 27 = 13 + 14, 12 one unit
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--max", "26"], "en")
    msg = "\n".join(message_lines(out, "RULE-SIZE-GROUPS"))  # 13–26: 二组's 12 still fits none
    assert code == 0 and f"(the rule file {rules}, --max 26)" in msg and "13–26 households" in msg, msg
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--max", "12"], "en")
    dcode, dout = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--max", "12", "-o",
                        str(tmp_path / "u.gpkg")], "en")  # 13 > 12: crossed bounds, as delineate refuses them
    assert code == dcode == 2 and message_lines(out, "RULE-BOUNDS") == message_lines(dout, "RULE-BOUNDS"), out


def test_one_bound_on_a_result_takes_its_recorded_rules(tmp_path: Path) -> None:
    hh = _households(tmp_path)
    res = tmp_path / "u.gpkg"
    code, out = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "10", "--max", "30", "-o", str(res),
                      "-q"], "en")
    assert code == 0, out
    code, out = cli_exit_output(["validate", str(res), "--max", "12"], "en")
    assert code == 0 and "Only --max 12 given: validated against the rules the result" in out, out
    msg = "\n".join(message_lines(out, "RULE-SIZE-GROUPS"))
    assert "10–12 households" in msg and "the rules the result" in msg and "--max 12" in msg, msg
    code, out = cli_exit_output(["validate", str(res)], "en")  # no rule option: the household file alone, as before
    assert code == 0 and "RULE-SIZE-GROUPS" not in out and "validated against" not in out, out


def test_a_fix_proposing_a_rule_file_keeps_the_bound_given(tmp_path: Path) -> None:
    """RULE-UNAPPLIED under --preset changshou --min 18: the rule file its fix proposes says min_size = 18 too, in
    validate and delineate alike (it said preset = "changshou" alone: 15–25)."""
    hh = _households(tmp_path, heads=False)
    opts = ["--crs", "EPSG:4490", "--preset", "changshou", "--min", "18"]
    for lang in ("en", "zh"):
        code, out = cli_exit_output(["validate", str(hh), *opts], lang)
        dcode, dout = cli_exit_output(["delineate", str(hh), *opts, "-o", str(tmp_path / f"u{lang}.gpkg")], lang)
        assert code == 0 and dcode == 0, (out, dout)
        assert message_lines(out, "RULE-UNAPPLIED") == message_lines(dout, "RULE-UNAPPLIED"), (out, dout)
        assert 'preset = "changshou"' in out and "min_size = 18" in out, out


def test_validate_help_gives_the_rule_options_in_each_language() -> None:
    _, en = cli_exit_output(["validate", "--help"], "en")
    _, zh = cli_exit_output(["validate", "--help"], "zh")
    for opt in ("--preset", "--min", "--max", "--rules"):
        assert opt in en and opt in zh
    assert "fewest households per unit" in en and not _HAN.search(en)
    assert "每个院落最少户数" in zh and "yuanluo delineate" in zh


def test_the_demos_next_steps_validate_under_the_preset_they_delineate_with() -> None:
    from yuanluo.gis.catalogue import text

    for lang in ("zh", "en"):
        said = text("cli.demo.next", lang, html="d.html", gpkg="d.gpkg", edit="e.html", preset="changshou")
        validate, _, delineate = said.partition("yuanluo validate ")[2].partition("yuanluo delineate ")
        assert "--preset changshou" in validate and "--preset changshou" in delineate, said
