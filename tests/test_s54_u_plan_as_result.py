"""A plan table (户编号, 院落编号) given where a result goes is said to be a plan, with the way that command takes one
(session 54, helper U): ``yuanluo edit 方案.csv`` and ``yuanluo map 方案.csv`` said "is a table … run yuanluo
delineate households-file first", though edit reads a plan with --plan and check --map maps one. All fail on
82ce692."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()

SAID = {
    ("edit", "zh"): "第一个参数给院落划分结果，方案表用 --plan 给出：yuanluo edit 结果.gpkg --plan \"{file}\"。",
    ("edit", "en"): "give the result as the first argument and the plan with --plan: yuanluo edit result.gpkg "
                    "--plan \"{file}\".",
    ("map", "zh"): "画一份方案的地图用 yuanluo check：yuanluo check 结果.gpkg --plan \"{file}\" --map 地图.html",
    ("map", "en"): "to map a plan use yuanluo check: yuanluo check result.gpkg --plan \"{file}\" --map map.html",
    ("cover", "zh"): "先从这份方案得出院落划分结果：yuanluo delineate 农户文件 --plan \"{file}\" --lock 有效 -o 结果.gpkg",
    ("cover", "en"): "first make a result from this plan: yuanluo delineate households-file --plan \"{file}\" "
                     "--lock valid -o result.gpkg",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [["edit", "-o", "e.html"], ["map", "-o", "m.html"], ["cover", "-o", "c.gpkg"]])
def test_a_plan_given_as_the_result_names_the_way_to_give_it(tmp_path: Path, lang: str, command: list[str]) -> None:
    plan = tmp_path / "方案.csv"
    plan.write_bytes("方案（修复后）\n户编号,院落编号\nH001,U001\nH002,U001\n".encode("gbk"))
    out = tmp_path / command[-1]
    res = runner.invoke(app, ["--lang", lang, command[0], str(plan), "-o", str(out)])
    text = " ".join(res.output.split())
    title = {"zh": "是一份院落方案表（有 户编号、院落编号 列），不是院落划分结果",
             "en": "is a plan table (with the columns 户编号, 院落编号), not a Yuanluo result"}[lang]
    assert res.exit_code == 2 and "RESULT-NOT-RESULT" in text and title in text, text
    assert SAID[command[0], lang].format(file=plan) in text, text
    assert not out.exists()
