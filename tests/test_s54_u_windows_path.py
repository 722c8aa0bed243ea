r"""A path written the Windows way on a system whose separator is / (session 54, helper U, second round):
``.\plan.csv``, ``规划\r.gpkg``, ``D:\规划\r.gpkg`` quoted on Linux or macOS name a file whose name holds ``\``,
which is not there: IO-NOTFOUND's fix names the same path with / where that is there (a drive's path: the rest of
it), else says paths are separated by / here (and that this system has no drive letters). On Windows (the rule
tested with its separator, not the OS) the fix is as for any path. All fail on 1173cd6."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
HOUSEHOLDS = "户编号,东坐标,北坐标,人口\nA1,500000,3300000,3\nA2,500030,3300000,3\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "规划").mkdir()
    (tmp_path / "规划" / "农户.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (tmp_path / "rules.toml").write_text("min_size = 2\nmax_size = 5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")
@pytest.mark.parametrize(("lang", "given", "said"), [
    ("zh", "规划\\农户.csv", "处理办法：这台电脑上的路径用 / 分隔，不用 \\：写成 规划/农户.csv。"),
    ("en", ".\\规划\\农户.csv", "Fix: paths on this computer are separated by /, not \\: give ./规划/农户.csv."),
    ("zh", "D:\\规划\\农户.csv", "处理办法：这台电脑上的路径用 / 分隔，不用 \\：写成 规划/农户.csv。"),
    ("en", "D:\\数据\\农户.csv", "Fix: this is a Windows path (drive D:), and this computer has no drive letters: give "
                              "the file's path on this computer, separated by / (such as 数据/农户.csv)."),
    ("zh", "数据\\农户.csv", "处理办法：检查路径和文件名；这台电脑上的路径用 / 分隔，不用 \\（如 数据/农户.csv）。")])
def test_a_windows_path_is_said_with_slashes(here: Path, lang: str, given: str, said: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", given, "--crs", "EPSG:4545"])
    assert res.exit_code == 2 and "IO-NOTFOUND" in res.output and said in res.output, res.output


@pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")
def test_a_rule_file_by_a_windows_path_is_said_with_slashes(here: Path) -> None:
    res = runner.invoke(app, ["--lang", "en", "check", "规划/农户.csv", "--crs", "EPSG:4545", "--unit-col", "户编号",
                              "--rules", ".\\rules.toml"])
    assert res.exit_code == 2 and "give ./rules.toml." in res.output, res.output


def test_on_windows_a_path_not_there_is_only_not_there(here: Path) -> None:
    from yuanluo.gis.errors import not_found

    q = not_found("规划\\农户.csv", "规划\\农户.csv", sep="\\")
    assert (q.code, q.variant, q.fix("en")) == ("IO-NOTFOUND", "", "check the path and the file name.")
    assert not_found("规划\\农户.csv", "规划\\农户.csv", sep="/").fix("en") == \
        "paths on this computer are separated by /, not \\: give 规划/农户.csv."
