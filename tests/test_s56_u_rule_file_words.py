"""Two mistakes of a rule file typed in Notepad, said as what they are (session 56, helper U, a planner's Monday).
``preset = 长寿`` (text without its quotes) was RULE-FILE-SYNTAX with the general fix only ("correct it there …
text values in double quotes"); now it names the line as written and the line to write, preset = "长寿".
``[规则]`` for the table header was RULE-FILE-KEYNAME "the key [规则]" with the fix listing the English key names
(min_size …), which do not make a header; now it says the header is [rules]. A number mistyped (max_size = 2O)
keeps the general fix: quoting it would not make it a number. Fail on 27e9fda."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import RuleConfigError
from yuanluo.planners.presets import resolve_rules


def _problem(tmp_path: Path, body: str) -> object:
    f = tmp_path / "规则.toml"
    f.write_bytes(body.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(RuleConfigError) as exc:
        resolve_rules(rules_file=f)
    (p,) = exc.value.problems
    return p


@pytest.mark.parametrize(("line", "zh", "en"), [
    ("preset = 长寿   # 寿和小院", "写成 preset = \"长寿\"（英文双引号）。", 'write preset = "长寿", in double quotes.'),
    ("nest_by = 村民小组", "写成 nest_by = \"村民小组\"（英文双引号）。", 'write nest_by = "村民小组", in double quotes.')])
def test_text_without_quotes_names_the_line_to_write(tmp_path: Path, line: str, zh: str, en: str) -> None:
    p = _problem(tmp_path, f"# 长寿区规则\n[rules]\n{line}\n")
    assert p.code == "RULE-FILE-SYNTAX" and p.rows == (3,)
    assert p.fix("zh") == zh and p.fix("en") == en
    assert "文字值没有加英文双引号" in p.title("zh") and line.split("#")[0].strip() in p.title("zh")
    # what it says to write is read
    good = tmp_path / "好.toml"
    good.write_text(f"[rules]\nmax_size = 25\nmin_size = 15\n{zh.removeprefix('写成 ').removesuffix('（英文双引号）。')}\n", encoding="utf-8")
    resolve_rules(rules_file=good)


def test_a_chinese_table_header_is_said_as_the_header(tmp_path: Path) -> None:
    p = _problem(tmp_path, '[规则]\npreset = "长寿"\n')
    assert p.code == "RULE-FILE-KEYNAME" and p.rows == (1,)
    assert p.title("zh").endswith("的表头 [规则] 不是 “[rules]”，无法读取。"), p.title("zh")
    assert "[rules]" in p.fix("zh") and "min_size、" not in p.fix("zh")
    assert p.fix("en").startswith("write the header as [rules]"), p.fix("en")


def test_a_mistyped_number_keeps_the_general_fix(tmp_path: Path) -> None:
    p = _problem(tmp_path, "[rules]\nmax_size = 2O\n")
    assert p.code == "RULE-FILE-SYNTAX" and "双引号）。" not in p.fix("zh") and "README" in p.fix("en")
