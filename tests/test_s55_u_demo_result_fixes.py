"""check, repair and edit of the demo's result (session 55, helper U, audit): the demo's next step is
`yuanluo check demo.gpkg`, whose RULE-UNAPPLIED fixes said to add the columns to "the household file
andorra_ordino.gpkg" and delineate again: the bundled sample, no file of the planner's (the demo itself says "the
sample has no such column; on your own household file …"). A result whose run records the command demo now gets
the sample's fixes for nesting, settlements and candidate heads. Fails on 0d117c2."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.fixture
def demo_like(small_result: Path, tmp_path: Path) -> Path:
    """The small result with its run recording the command demo (as `yuanluo demo` writes it)."""
    out = tmp_path / "演示 结果.gpkg"
    shutil.copy(small_result, out)
    with sqlite3.connect(out) as con:
        con.execute("UPDATE run SET value = 'demo' WHERE key = 'command'")
    return out


@pytest.mark.parametrize(("lang", "sample", "mine"), [
    ("zh", ["处理办法：示例数据没有这一列", "否则示例数据没有自然院落列；用自己的农户表时补上这一列",
            "处理办法：用自己的农户表时补上院落长候选人列"], "在农户表 hh.csv 中"),
    ("en", ["Fix: the sample has no such column", "otherwise the sample has no settlement column; give your own "
            "household file one", "Fix: give your own household file a candidate-head column"],
     "household file hh.csv")])
def test_the_demo_result_is_told_the_samples_fixes(demo_like: Path, lang: str, sample: list[str], mine: str) -> None:
    res = CliRunner().invoke(app, ["--lang", lang, "check", str(demo_like), "--rules", str(_rules(demo_like))])
    flat = " ".join(res.output.split())
    assert res.exit_code in (0, 1), res.output
    for s in sample:
        assert s in flat, flat
    assert mine not in flat, flat


def _rules(result: Path) -> Path:
    p = result.with_name("rules.toml")  # the nesting and head rules the small result's data cannot serve
    p.write_text('[rules]\nmin_size = 4\nmax_size = 8\nnest_by = ["village"]\nrequire_head = true\n'
                 "keep_settlements = true\n", encoding="utf-8")
    return p


def test_a_result_not_of_the_demo_names_its_household_file(small_result: Path) -> None:
    res = CliRunner().invoke(app, ["--lang", "en", "check", str(small_result), "--rules", str(_rules(small_result))])
    assert "household file hh.csv" in " ".join(res.output.split()) and "the sample" not in res.output, res.output
