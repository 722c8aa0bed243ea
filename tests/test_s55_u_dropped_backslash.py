r"""``.\plan.csv`` typed without quotes in a Linux or macOS shell reaches Yuanluo as ``.plan.csv`` (the shell drops
the ``\``) (session 55, helper U): IO-NOTFOUND said only "check the path and the file name" of a name the planner
never typed. Where ``plan.csv`` (``../plan.csv`` for ``..\plan.csv``) is there, its fix now says what happened and
gives ``./plan.csv``. Nothing else changes: a dotted name with no such file, or Windows. Fail on 1c576a0."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
HOUSEHOLDS = "户编号,东坐标,北坐标,人口\nA1,500000,3300000,3\nA2,500030,3300000,3\n"
linux = pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "农户 表.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (tmp_path / "子").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@linux
@pytest.mark.parametrize(("lang", "given", "said"), [
    ("zh", ".农户 表.csv", "处理办法：命令行里没加引号的 \\ 会被去掉：.农户 表.csv 多半原本写的是 .\\农户 表.csv。"
                          "这台电脑上的路径用 / 分隔：写成 ./农户 表.csv。"),
    ("en", ".农户 表.csv", "Fix: the shell drops a \\ that is not in quotes: .农户 表.csv was most likely typed as "
                          ".\\农户 表.csv. Paths on this computer are separated by /: give ./农户 表.csv.")])
def test_a_dropped_backslash_is_said(here: Path, lang: str, given: str, said: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", given, "--crs", "EPSG:4545"])
    assert res.exit_code == 2 and "IO-NOTFOUND" in res.output and said in " ".join(res.output.split()), res.output


@linux
def test_from_a_folder_below_the_parent_is_named(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(here / "子")
    res = runner.invoke(app, ["--lang", "en", "validate", "..农户 表.csv", "--crs", "EPSG:4545"])
    assert res.exit_code == 2 and "give ../农户 表.csv." in " ".join(res.output.split()), res.output


@pytest.mark.parametrize("given", [".其他.csv", "农户 表.csv.bak", ".子x"])
def test_a_name_with_no_such_file_is_only_not_there(here: Path, given: str) -> None:
    res = runner.invoke(app, ["--lang", "en", "validate", given, "--crs", "EPSG:4545"])
    assert res.exit_code == 2 and "Fix: check the path and the file name." in res.output, res.output


def test_on_windows_a_dotted_name_is_only_not_there(here: Path) -> None:
    from yuanluo.gis.errors import not_found

    assert not_found(".农户 表.csv", ".农户 表.csv", sep="\\").variant == ""
    assert not_found(".农户 表.csv", ".农户 表.csv", sep="/").variant == "dropped"
