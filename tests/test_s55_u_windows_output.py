r"""An output written the Windows way on a system whose separator is / (session 55, helper U): ``-o D:\out\r.gpkg``,
``--report out\r.html``, ``--csv .\检查.csv`` copied from a Windows command to Linux or macOS named one file whose
name holds ``\`` (and ``D:``) in the current folder, refused only as "characters Windows does not allow" with
a mangled name as the fix (``D--out-r.gpkg``). Now OUT-PATH-WINDOWS-OPTION names the option and the path that
works here: the same with / (a drive's path: the rest of it under the current folder, or the drive's folder where
Windows' own Linux shows it, /mnt/d), before any work, nothing written. On Windows (``\`` the separator: the rule
tested with os.sep patched) it is no such problem. All fail on 1c576a0."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis import errors as E
from yuanluo.gis import output as O
from yuanluo.planners.cli import app

runner = CliRunner()
HOUSEHOLDS = "户编号,东坐标,北坐标,人口\nA1,500000,3300000,3\nA2,500030,3300000,3\n"
linux = pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "规划 数据").mkdir()
    (tmp_path / "规划 数据" / "农户.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (tmp_path / "rules.toml").write_text("min_size = 1\nmax_size = 5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(E, "WSL_DRIVES", tmp_path / "no-wsl", raising=False)  # not Windows' own Linux, whatever it is
    return tmp_path


def listing(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


CHECK = ["check", "规划 数据/农户.csv", "--crs", "EPSG:4545", "--unit-col", "户编号", "--rules", "rules.toml"]


@linux
@pytest.mark.parametrize(("lang", "args", "said"), [
    ("zh", [*CHECK, "--report", "out\\检查.html"],
     ["错误 OUT-PATH-WINDOWS-OPTION：--report 给出的输出 out\\检查.html 按 Windows 的写法用 \\ 分隔文件夹",
      "处理办法：在 --report 后写 out/检查.html。"]),
    ("en", [*CHECK, "--csv", ".\\检查.csv"],
     ["Error OUT-PATH-WINDOWS-OPTION: the output given to --csv, .\\检查.csv, is written the Windows way",
      "Fix: give --csv ./检查.csv."]),
    ("zh", [*CHECK, "--json", "D:\\规划\\检查.json"],
     ["--json 给出的输出 D:\\规划\\检查.json 是 Windows 的路径（D: 盘）：这台电脑的路径用 / 分隔，没有盘符；照这样写，"
      "文件不会写到 D: 盘上。", "处理办法：在 --json 后写出文件在这台电脑上的路径，用 / 分隔（如 规划/检查.json，在当前文件夹下）。"]),
    ("en", [*CHECK, "--map", "d:/规划/检查.html"],
     ["the output given to --map, d:/规划/检查.html, is a Windows path (drive D:)",
      "Fix: give --map the file's path on this computer, separated by / (such as 规划/检查.html, under the current "
      "folder)."]),
    ("en", ["delineate", "规划 数据/农户.csv", "--crs", "EPSG:4545", "--rules", "rules.toml", "-o", "D:\\out\\r.gpkg",
            "--xlsx", "out\\方案.xlsx"],
     ["the output given to -o/--output, D:\\out\\r.gpkg, is a Windows path (drive D:)",
      "the output given to --xlsx, out\\方案.xlsx, is written the Windows way", "Fix: give --xlsx out/方案.xlsx."]),
])
def test_a_windows_output_path_is_refused_with_the_path_that_works(here: Path, lang: str, args: list[str],
                                                                    said: list[str]) -> None:
    before = listing(here)
    res = runner.invoke(app, ["--lang", lang, *args])
    assert res.exit_code == 2, res.output
    for s in said:
        assert s in res.output, res.output
    assert "OUT-NAME-WINDOWS-CHAR" not in res.output and "D--" not in res.output, res.output
    assert listing(here) == before


@linux
def test_on_windows_own_linux_a_drive_is_its_folder(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "wsl" / "d").mkdir(parents=True)
    monkeypatch.setattr(E, "WSL_DRIVES", here / "wsl")
    res = runner.invoke(app, ["--lang", "en", *CHECK, "--report", "D:\\规划\\检查.html"])
    said = " ".join(res.output.split())
    want = f"on this computer drive D: is the folder {here / 'wsl' / 'd'}, and paths are separated by /"  # s56 U
    assert res.exit_code == 2 and want in said and f"Fix: give --report {here}/wsl/d/规划/检查.html." in said, said


@linux
def test_from_python_the_path_is_named_without_an_option(here: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    from yuanluo.gis.errors import OutputError

    df = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:4545")
    with pytest.raises(OutputError) as exc:
        O.write_layers("out\\r.gpkg", {"households": df})
    assert exc.value.codes == ["OUT-PATH-WINDOWS"] and exc.value.problems[0].params["alt"] == "out/r.gpkg"
    assert listing(here) == ["rules.toml", "规划 数据", "规划 数据/农户.csv"]


def test_on_windows_a_backslash_separates_folders(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where \\ is the separator the rule says nothing (on Linux the name then holds \\ and :, which Windows does
    not allow in a name: the old OUT-NAME-WINDOWS-CHAR)."""
    monkeypatch.setattr(os, "sep", "\\")
    assert O.windows_path_problem(Path("D:\\out\\r.gpkg")) is None
    assert O.windows_path_problem(Path("out\\r.gpkg")) is None
    monkeypatch.setattr(os, "sep", "/")
    assert O.windows_path_problem(Path("out\\r.gpkg")) is not None
    assert O.windows_path_problem(Path("out/r.gpkg")) is None


def test_a_path_without_backslash_or_drive_is_no_windows_path() -> None:
    for given in ("规划 数据/r 1.gpkg", "/tmp/x:y/r.gpkg", "D:r.gpkg", "r.gpkg"):
        assert O.windows_path_problem(Path(given), sep="/") is None, given


@linux
def test_a_file_named_after_the_output_is_not_said_again(here: Path) -> None:
    """check --csv writes check_units.csv beside it: one error, the option's."""
    res = runner.invoke(app, ["--lang", "en", *CHECK, "--csv", "out\\检查.csv", "--report", "out\\检查.html"])
    assert res.exit_code == 2 and res.output.count("OUT-PATH-WINDOWS") == 2, res.output
    assert "--csv" in res.output and "--report" in res.output and "检查_units" not in res.output, res.output


@linux
def test_an_input_by_a_drive_path_is_named_at_its_drive_on_windows_own_linux(here: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "wsl" / "d" / "规划 数据").mkdir(parents=True)
    (here / "wsl" / "d" / "规划 数据" / "农户.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    monkeypatch.setattr(E, "WSL_DRIVES", here / "wsl")
    res = runner.invoke(app, ["--lang", "en", "validate", "D:\\规划 数据\\农户.csv", "--crs", "EPSG:4545"])
    want = f"Fix: paths on this computer are separated by /, not \\: give {here}/wsl/d/规划 数据/农户.csv."
    assert res.exit_code == 2 and want in " ".join(res.output.split()), res.output
