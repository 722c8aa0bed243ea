"""A table given where a result goes (map, cover, edit, maturity) is said to be a table (session 53, helper U:
``yuanluo map 方案.csv`` said RESULT-NOT-RESULT "its layers: 方案", a layer named after the file, as though a CSV had
layers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "是一张表格，不是院落划分结果：这条命令读的是 yuanluo delineate 写出的 GeoPackage（其中有院落图层 units）。"),
    ("en", "is a table, not a Yuanluo result: this command reads the GeoPackage yuanluo delineate writes (with its "
           "units layer).")])
@pytest.mark.parametrize("command", [["map", "-o", "m.html"], ["cover", "-o", "c.gpkg"], ["edit", "-o", "e.html"],
                                     ["maturity", "template", "-o", "t.xlsx"]])
def test_a_table_given_as_the_result_is_said_to_be_a_table(tmp_path: Path, lang: str, said: str,
                                                           command: list[str]) -> None:
    plan = tmp_path / "我的 方案.csv"  # a household table (a plan table's own fix: test_s54_u_plan_as_result)
    plan.write_bytes("户编号,人口,经度,纬度\nH001,3,106.55,29.56\nH002,2,106.551,29.561\n".encode("gbk"))
    out = tmp_path / command[-1]
    res = runner.invoke(app, ["--lang", lang, *command[:-2], str(plan), "-o", str(out)])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "RESULT-NOT-RESULT" in text and said in text, text
    assert "我的 方案。" not in text and "layers: 我的 方案" not in text, text
    assert not out.exists()
