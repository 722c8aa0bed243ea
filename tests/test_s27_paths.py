"""Session 27: Windows' 248-character limit on a folder it creates (CreateDirectoryW: MAX_PATH less 12).

Checked, not changed: the only folders a command creates are those above an output (``yuanluo demo -o DIR``,
made by the demo before its transaction; the transaction itself makes none). Every file written there has a
hidden temporary at least 18 characters longer than its folder's path (:func:`yuanluo.gis.transaction.temp_name`),
so a folder over 248 characters always holds a path over 259, and the existing OUT-PATH-LONG refuses it before
the work, naming a shorter folder (which then fits both limits). These tests keep it so.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.planners.cli import app

runner = CliRunner()

#: CreateDirectoryW refuses a folder path over MAX_PATH - 12 characters (counting the closing NUL: 247 usable)
WINDOWS_FOLDER_MAX = 248


def _folder(tmp: Path, length: int) -> Path:
    """A folder path (not created) under ``tmp`` of exactly ``length`` characters, in Chinese names."""
    folder = Path(os.path.abspath(tmp))
    while len(str(folder)) < length:
        room = length - len(str(folder)) - 1  # never leave 1 character: a name takes at least 2 with its "/"
        folder = folder / ("第一村民小组院落规划成果" * 6)[: room if room <= 60 else min(60, room - 2)]
    assert len(str(folder)) == length
    return folder


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "windows_paths", lambda: True)


@pytest.mark.parametrize("length", [WINDOWS_FOLDER_MAX - 1, WINDOWS_FOLDER_MAX, WINDOWS_FOLDER_MAX + 1, 255,
                                    T.WINDOWS_PATH_MAX])
def test_a_demo_folder_windows_cannot_create_is_refused_before_the_work(
        tmp_path: Path, length: int, on_windows: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo demo -o DIR`` with DIR of 247–259 characters (Windows makes no folder over 248): OUT-PATH-LONG
    before the sample is read, no folder made, and the fix's shorter folder fits the folder limit too."""
    import yuanluo.planners.workflows as W

    monkeypatch.setattr(W, "load_inputs", lambda *a, **k: pytest.fail("the work started"))
    out = _folder(tmp_path / "w", length)
    for lang in ("zh", "en"):
        res = runner.invoke(app, ["demo", "-o", str(out), "--lang", lang])
        assert res.exit_code == 2 and "OUT-PATH-LONG" in res.output, res.output
    assert not (tmp_path / "w").exists()
    over = max(len(p) for name in ("demo.gpkg", "demo.html", "demo.png")
               for p in T.written_paths(out / name)) - T.WINDOWS_PATH_MAX
    assert length - over <= WINDOWS_FOLDER_MAX - 1


@pytest.mark.parametrize("name", ["a", "a.b", "院.html", "x" * 200 + ".csv", "院" * 80 + ".gpkg", ".hidden"])
def test_every_written_path_is_longer_than_its_folder_by_more_than_the_folder_limit_leaves(
        tmp_path: Path, name: str) -> None:
    """Whatever the file name, the temporary's path exceeds its folder's by at least 18 characters: a folder
    over 248 characters gives a path over 259, which OUT-PATH-LONG refuses; no separate folder check needed."""
    folder = str(_folder(tmp_path, 120))
    longest = max(len(p) for p in T.written_paths(Path(folder) / name))
    assert longest - len(folder) >= 18
    assert WINDOWS_FOLDER_MAX + 1 + (longest - len(folder)) > T.WINDOWS_PATH_MAX
