"""Chinese check messages quote a column name and list values as Chinese does (session 34, fixer FH, defect B).

PLAN-CROSS-NEST read "跨越了 乡镇（乙镇 / 甲镇）" and "把这些户划给同一 乡镇 的院落": ASCII spaces around a Chinese column
name and a " / " between Chinese values. Now the column is quoted as the catalogue quotes column names in Chinese
(“乡镇”, also for a Latin name) and the values are listed with 、; the English text is as it was.
"""

from __future__ import annotations

import re
import string
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yuanluo.gis.check
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import HEADER, good_rows, write_csv  # noqa: E402

CATALOGUE = Path(yuanluo.gis.check.__file__).parent / "messages" / "check.toml"
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
#: the fields that hold a column's name or a column's values: Chinese words as often as not
NAMES = {"column", "values"}


def _zh_texts(node: object, path: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _zh_texts(v, (*path, k))]
    return [(".".join(path), node)] if isinstance(node, str) and "zh" in path else []


def _render(template: str, word: str) -> str:
    """``template`` with each field of :data:`NAMES` as ``word`` and every other field as ``1``."""
    out = []
    for lit, field, _, _ in string.Formatter().parse(template):
        out.append(lit)
        if field is not None:
            out.append(word if field.split("[")[0] in NAMES else "1")
    return "".join(out)


def offenders(text: str) -> list[tuple[str, str]]:
    """The zh messages of a catalogue text in which a column name or a list of values stands with an ASCII space
    next to Chinese, or lists Chinese words with " / "."""
    bad = []
    for key, template in _zh_texts(tomllib.loads(text)):
        for word in ("乡镇", "town"):
            got = _render(template, word)
            if re.search(f"[{CJK}] {word}|{word} [{CJK}]", got) or re.search(f"[{CJK}] / [{CJK}]", got):
                bad.append((key, got))
    return bad


def test_no_chinese_check_message_spaces_a_column_name_or_slashes_a_list() -> None:
    assert offenders(CATALOGUE.read_text(encoding="utf-8")) == []


def test_the_scan_finds_the_old_wording() -> None:
    old = ('[PLAN-CROSS-NEST]\nzh.title = "院落 {unit} 跨越了 {column}（{values[zh]}）。"\n'
           '[PLAN-COLUMN]\nzh.fix = "把列名改为 户编号 / 院落编号。"\n')
    assert [k for k, _ in offenders(old)] == ["PLAN-CROSS-NEST.zh.title"] * 2 + ["PLAN-COLUMN.zh.fix"] * 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_across_two_towns_is_said_as_chinese_says_it(tmp_path: Path, lang: str) -> None:
    rows = [f"{r},{'甲镇' if i < 3 else '乙镇'}" for i, r in enumerate(good_rows(6))]
    hh = write_csv(tmp_path, "h.csv", [HEADER + ",乡镇", *rows])
    plan = write_csv(tmp_path, "plan.csv", ["户编号,院落编号", *[f"{i:03d},U1" for i in range(1, 7)]])
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 8\nnest_by = ["乡镇"]\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--rules",
                                   str(rules)], env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    out = re.sub(r"\s*│\s*", "", res.output)  # the table's cell borders and wrapping taken out
    assert "PLAN-CROSS-NEST" in out, res.output
    if lang == "zh":
        assert re.search(r"跨越了多个“[^”\s]+”（乙镇、甲镇）", out), res.output
        assert re.search(r"不得跨越“[^”\s]+”：把这些户划给“[^”\s]+”相同的院落", out), res.output
        assert " / " not in out
    else:
        assert re.search(r"straddles \S+ \(乙镇; 甲镇\)", res.output), res.output  # "; " since session 35
