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


# ---------------------------------------------------------------------------------------- 5. usual TOML mistakes
@pytest.mark.parametrize(("body", "code", "zh", "en"), [
    ("[rules]\nmin_size = ２０\nmax_size = 50\n", "RULE-FILE-FULLWIDTH", ("全角字符 ２、０", "半角", "第 2 行"),
     ("full-width characters ２, ０", "half-width", "row 2")),
    ("[rules]\n最少户数 = 20\nmax_size = 50\n", "RULE-FILE-KEYNAME", ("最少户数", "英文名", "min_size, name"),
     ("最少户数", "English names", "min_size, name")),
    ("[rules]\nmin_size = 20\nmax_size = 50\nmin_size = 25\n", "RULE-FILE-DUPKEY",
     ("min_size 写了两次", "第 2 行和第 4 行", "只保留其中一行"), ("gives min_size twice", "row 2 and row 4", "keep one")),
    ("[rules]\nmin_size = 20\n[rules]\nmax_size = 50\n", "RULE-FILE-DUPKEY", ("[rules] 写了两次",),
     ("[rules] twice",)),
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
