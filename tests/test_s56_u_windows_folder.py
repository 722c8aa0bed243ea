r"""A folder written the Windows way on Linux or macOS (session 56, helper U). ``yuanluo demo -o D:\演示\`` said "the
output D:\演示\/demo.gpkg is a Windows path … give the file's path", of a folder the planner gave, with a file name
the planner never typed. Now it says the folder given to -o/--output-dir and its fix the folder with / (演示, or
out/演示 for out\演示\, yuanluo-demo for D:\ alone). And OUT-PATH-WINDOWS's title for a drive that this system
shows as a folder (Windows' own Linux: /mnt/d) said the same as for a drive it has not ("paths … have no drive
letters"), the folder only in the fix; now the title says that the drive is that folder. All fail on 27e9fda."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis import errors as E
from yuanluo.gis.catalogue import template
from yuanluo.planners.cli import app

runner = CliRunner()
linux = pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(E, "WSL_DRIVES", tmp_path / "no-wsl")
    return tmp_path


def _said(res: object) -> str:
    return " ".join(str(getattr(res, "output", "")).split())


@linux
@pytest.mark.parametrize(("lang", "given", "said"), [
    ("zh", "D:\\演示\\", ["-o/--output-dir 给出的文件夹 D:\\演示\\ 是 Windows 的路径（D: 盘）",
                         "处理办法：在 -o/--output-dir 后写出文件夹在这台电脑上的路径，用 / 分隔（如 演示，在当前文件夹下）。"]),
    ("en", "D:\\演示\\", ["the folder given to -o/--output-dir, D:\\演示\\, is a Windows path (drive D:)",
                         "Fix: give -o/--output-dir the folder's path on this computer, separated by / (such as 演示, "
                         "under the current folder)."]),
    ("en", "out\\演示\\", ["the folder given to -o/--output-dir, out\\演示\\, is written the Windows way",
                          "Fix: give -o/--output-dir out/演示."]),
    ("zh", "D:\\", ["（如 yuanluo-demo，在当前文件夹下）"]),
])
def test_demo_names_the_windows_folder_as_a_folder(here: Path, lang: str, given: str, said: list[str]) -> None:
    res = runner.invoke(app, ["--lang", lang, "demo", "-o", given])
    out = _said(res)
    assert res.exit_code == 2 and "OUT-PATH-WINDOWS-OPTION" in out, out
    assert all(s in out for s in said) and "demo.gpkg" not in out, out
    assert not list(here.iterdir())


@linux
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_windows_own_linux_the_title_says_where_the_drive_is(here: Path, monkeypatch: pytest.MonkeyPatch,
                                                                lang: str) -> None:
    (here / "wsl" / "d").mkdir(parents=True)
    monkeypatch.setattr(E, "WSL_DRIVES", here / "wsl")
    mount = here / "wsl" / "d"
    res = runner.invoke(app, ["--lang", lang, "demo", "-o", "D:\\演示\\"])
    out = _said(res)
    drive = {"zh": f"这台电脑上 D: 盘是文件夹 {mount}，路径用 / 分隔",
             "en": f"on this computer drive D: is the folder {mount}, and paths are separated by /"}[lang]
    assert res.exit_code == 2 and drive in out and f"{mount}/演示" in out, out
    assert "没有盘符" not in out and "no drive letters" not in out, out
    assert [p.name for p in here.iterdir()] == ["wsl"] and not list(mount.iterdir())


@pytest.mark.parametrize("code", ["OUT-PATH-WINDOWS", "OUT-PATH-WINDOWS-OPTION"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_mounted_title_is_not_the_drive_title(code: str, lang: str) -> None:
    mounted = template(code, lang, "title_mounted")
    assert mounted != template(code, lang, "title_drive") and "{mount}" in str(mounted)
