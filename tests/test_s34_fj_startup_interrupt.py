"""A Ctrl-C or SIGTERM at any moment of the start of ``yuanluo`` (loading the command line, reading the message
catalogue, localizing the help) ends the run with the catalogue's words and status 130, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: the first read of a catalogue file is interrupted (as a Ctrl-C 2 s into a run on a loaded machine did)
_CATALOGUE = """
import os, signal, sys, tomllib
real = tomllib.loads
seen = []
def loads(s, *a, **k):
    if not seen:
        seen.append(1)
        {stop}
    return real(s, *a, **k)
tomllib.loads = loads
sys.argv = ["yuanluo", "check", "nothing.gpkg"{extra}]
from yuanluo.planners.launch import main
main()
"""

#: the signal comes while the command line's modules are imported
_IMPORT = """
import importlib.abc, os, signal, sys
class Stop(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "yuanluo.planners.cli.app":
            sys.meta_path.remove(self)
            {stop}
        return None
sys.meta_path.insert(0, Stop())
sys.argv = ["yuanluo", "check", "nothing.gpkg"{extra}]
from yuanluo.planners.launch import main
main()
"""

_INT = "raise KeyboardInterrupt"
_TERM = "os.kill(os.getpid(), signal.SIGTERM)"


def _run(code: str, stop: str, extra: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "start.py"
    script.write_text(textwrap.dedent(code).replace("{stop}", stop).replace("{extra}", extra), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("YUANLUO_LANG", "YUANLUO_DEBUG")}
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120, encoding="utf-8")


def _stopped(res: subprocess.CompletedProcess[str], words: str) -> None:
    assert res.returncode == 130, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr and "KeyboardInterrupt" not in res.stderr, res.stderr
    assert words in res.stderr, res.stderr


def test_ctrl_c_while_the_catalogue_loads(tmp_path: Path) -> None:
    _stopped(_run(_CATALOGUE, _INT, "", tmp_path), "已中断")


def test_ctrl_c_while_the_catalogue_loads_english(tmp_path: Path) -> None:
    res = _run(_CATALOGUE, _INT, ', "--lang", "en"', tmp_path)
    _stopped(res, "Interrupted")
    assert "已" not in res.stderr


def test_sigterm_while_the_catalogue_loads(tmp_path: Path) -> None:
    _stopped(_run(_CATALOGUE, _TERM, "", tmp_path), "收到终止信号")


def test_sigterm_while_the_command_line_is_imported(tmp_path: Path) -> None:
    _stopped(_run(_IMPORT, _TERM, ', "--lang", "en"', tmp_path), "termination signal")


def test_ctrl_c_while_the_command_line_is_imported(tmp_path: Path) -> None:
    _stopped(_run(_IMPORT, _INT, "", tmp_path), "已中断")
