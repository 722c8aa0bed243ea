"""One voice (session 51, helper N): a library's own log records — GDAL's warnings, which rasterio logs as
``CPLE_AppDefined in …`` on its logger ``rasterio._env``, matplotlib's ``posx and posy should be finite values`` on
``matplotlib.text`` — found no handler in a command's run, and Python's last resort printed them, in English, on
stderr between the run's own messages (a Chinese run too). They are the developers' log now, as the libraries'
Python warnings are: shown with ``-v`` only.

The run is a child process: under pytest the root logger has pytest's handlers, and the last resort never prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv

SCRIPT = """
import logging, sys
import yuanluo.planners.console as C
real = C.step
def step(key, /, **kw):  # as the libraries log while a stage runs
    logging.getLogger("rasterio._env").warning("CPLE_AppDefined in TIFFReadDirectory: Sum of Photometric")
    logging.getLogger("matplotlib.text").warning("posx and posy should be finite values")
    return real(key, **kw)
C.step = step
sys.argv = ["yuanluo", *sys.argv[1:]]
from yuanluo.planners.launch import main
main()
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_a_librarys_log_is_not_printed_in_the_run(tmp_path: Path, verbose: bool) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    (tmp_path / "run.py").write_text(SCRIPT, encoding="utf-8")
    res = subprocess.run([sys.executable, str(tmp_path / "run.py"), "--lang", "zh", "graph", str(tmp_path / "hh.csv"),
                          "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg"), *(["-v"] if verbose else [])],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "g.gpkg").is_file()
    said = [ln for ln in (res.stderr + res.stdout).splitlines() if "CPLE_AppDefined" in ln or "posx and posy" in ln]
    if verbose:  # the developers' log: with -v, as a library's Python warnings
        assert len(said) >= 2 and all(ln.startswith("WARNING ") for ln in said), res.stderr
    else:
        assert said == [], res.stderr
