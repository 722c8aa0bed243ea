"""``validate --rules FILE`` checks a rule file, and its fit with the households, before a long delineate (session
56, helper U, round 2): validate had no --rules (CLI-USAGE), so a nest_by typo or a missing candidate-head column
was found only by delineate. The messages are delineate's own, code and words: RULE-FILE-SYNTAX, RULE-NEST-UNKNOWN
(exit 2), RULE-UNAPPLIED for a rule the file has no column for, CHECK-PERSONS / CLUSTER-PERSONS where sizes count
persons, RULE-FILE-GBK for a Notepad file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_fixtures import cli_exit_output, message_lines

_HAN = re.compile(r"[\u3400-\u9fff]")


def _households(d: Path, persons: str | None = None) -> Path:
    """Six households of one group; ``persons``: a 人口 column, 3 each but H2's, ``persons``."""
    f = d / "农户.csv"
    head = "户号,经度,纬度,村,组" + (",人口" if persons is not None else "")
    rows = [f"H{i},106.55{i}1,29.56{i}1,新华村,一组" + (f",{persons if i == 2 else 3}" if persons is not None else "")
            for i in range(1, 7)]
    f.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_nest_by_typo_is_said_as_delineate_says_it(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    rules = tmp_path / "规则.toml"
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 4\nrequire_head = false\nnest_by = ["村", "zu"]\n',
                     encoding="utf-8")
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules)], lang)
    assert code == 2 and "RULE-NEST-UNKNOWN" in out and "“zu”" in out and str(rules) in out, out
    dcode, dout = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-o",
                        str(tmp_path / "u.gpkg")], lang)
    assert dcode == 2 and message_lines(out, "RULE-NEST-UNKNOWN") == message_lines(dout, "RULE-NEST-UNKNOWN")
    assert not (tmp_path / "u.gpkg").exists()
    if lang == "en":
        assert not _HAN.search("\n".join(message_lines(out, "RULE-NEST-UNKNOWN")).replace(str(rules), "").replace(
            str(hh), "").replace("经度, 纬度", ""))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rule_the_file_has_no_column_for_is_delineates_warning(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 4\nnest_by = ["村", "组"]\n', encoding="utf-8")
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules)], lang)
    assert code == 0 and "RULE-UNAPPLIED" in out, out
    dcode, dout = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-o",
                        str(tmp_path / "u.gpkg")], lang)
    assert dcode == 0 and message_lines(out, "RULE-UNAPPLIED") == message_lines(dout, "RULE-UNAPPLIED"), (out, dout)
    assert "require_head = false" in out and rules.name in out
    _, quiet = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-q"], lang)
    assert "RULE-UNAPPLIED" not in quiet


def test_sizes_counted_in_persons_need_a_whole_count_per_household(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 5\nmax_size = 10\nsize_by = "persons"\nrequire_head = false\n'
                     'nest_by = ["村", "组"]\n', encoding="utf-8")
    code, out = cli_exit_output(["validate", str(_households(tmp_path)), "--crs", "EPSG:4490", "--rules", str(rules)], "en")
    assert code == 2 and "CHECK-PERSONS" in out, out
    d = tmp_path / "p"
    d.mkdir()
    code, out = cli_exit_output(["validate", str(_households(d, persons="")), "--crs", "EPSG:4490", "--rules", str(rules)],
                     "zh")
    assert code == 2 and "CLUSTER-PERSONS" in out and "H2" in out, out
    d = tmp_path / "ok"
    d.mkdir()
    code, out = cli_exit_output(["validate", str(_households(d, persons="4")), "--crs", "EPSG:4490", "--rules", str(rules)],
                     "zh")
    assert code == 0 and "未发现错误" in out and "错误 " not in out, out


def test_a_broken_or_gbk_rule_file_is_said_before_the_households(tmp_path: Path) -> None:
    hh = _households(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules\nmin_size = 2\n", encoding="utf-8")
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(bad)], "en")
    assert code == 2 and "RULE-FILE-SYNTAX" in out and "row 1" in out, out
    gbk = tmp_path / "规则.toml"
    gbk.write_bytes('# 规则\r\n[rules]\r\nmin_size = 2\r\nmax_size = 4\r\nrequire_head = false\r\n'
                    'nest_by = ["村", "组"]\r\n'.encode("gbk"))
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(gbk)], "zh")
    assert code == 0 and "RULE-FILE-GBK" in out and "未发现错误" in out and "RULE-UNAPPLIED" not in out, out


def test_validate_help_names_rules_in_each_language() -> None:
    _, en = cli_exit_output(["validate", "--help"], "en")
    _, zh = cli_exit_output(["validate", "--help"], "zh")
    assert "--rules" in en and "nest_by columns" in en and not _HAN.search(en)
    assert "--rules" in zh and "规则文件" in zh


def test_a_group_no_split_fits_is_named_before_delineate_makes_it_an_exception(tmp_path: Path) -> None:
    """Sizes against the table: six households of 新华村 一组 under a band of 4–5 (one unit holds 4–5, two 8–10)."""
    import pyogrio

    hh = _households(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 4\nmax_size = 5\nrequire_head = false\nnest_by = ["村", "组"]\n',
                     encoding="utf-8")
    outs = {lang: cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules)], lang) for lang in ("zh", "en")}
    assert all(code == 0 and "RULE-SIZE-GROUPS" in out for code, out in outs.values()), outs
    assert "4–5 户" in outs["zh"][1] and "新华村 一组（6 户）" in outs["zh"][1] and "例外院落" in outs["zh"][1]
    assert "新华村 一组 (6 households)" in outs["en"][1] and "exception unit" in outs["en"][1]
    assert not _HAN.search("\n".join(message_lines(outs["en"][1], "RULE-SIZE-GROUPS")).replace("新华村 一组", "").replace(
        rules.name, ""))
    code, out = cli_exit_output(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-o",
                      str(tmp_path / "u.gpkg"), "-q"], "en")
    assert code == 0, out
    units = pyogrio.read_dataframe(tmp_path / "u.gpkg", layer="units", read_geometry=False)
    assert "RULE-INFEASIBLE" in set(units["code"])  # what the warning said delineate would do
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 4\nrequire_head = false\nnest_by = ["村", "组"]\n',
                     encoding="utf-8")
    code, out = cli_exit_output(["validate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules)], "en")
    assert code == 0 and "RULE-SIZE-GROUPS" not in out, out
