"""PLAN-UNIT-COL lists the household file's columns in the file's order, as COL-MISSING does (session 53, helper
U: it listed the loaded table's, the id column left out and the read ones — 村, 组, 人口 — moved to the end)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "（现有列：户编号、户主姓名、人口、村、组、是否党员、经度、纬度）"),
    ("en", "(columns: 户编号, 户主姓名, 人口, 村, 组, 是否党员, 经度, 纬度)")])
def test_the_columns_are_listed_as_the_file_has_them(tmp_path: Path, lang: str, said: str) -> None:
    rows = [f"H{i:03d},张{i},3,石龙村,1组,{'是' if i == 1 else '否'},{106.5 + 0.0004 * i:.4f},29.5"
            for i in range(1, 7)]
    hh = tmp_path / "农户.csv"
    hh.write_bytes("\n".join(["户编号,户主姓名,人口,村,组,是否党员,经度,纬度", *rows]).encode("gbk"))
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落号",
                              "--preset", "banan"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "PLAN-UNIT-COL" in out and said in out, out
