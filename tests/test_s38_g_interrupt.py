"""A Ctrl-C that lands where Python cannot raise it still stops the run (exit 130, nothing written, no traceback).

The audit's case: ``yuanluo delineate "农户 花名册.xlsx" … -o … --map … --xlsx …``, SIGINT 1.1–1.55 s after the
start, landed while openpyxl closed the workbook's zip file (``ZipFile.__del__``): Python printed "Exception
ignored in: <function ZipFile.__del__> … KeyboardInterrupt" and the run went on, writing all three outputs, exit 0.
Here the signal is sent from inside a ``__del__`` run while the roster is read, which makes that landing certain.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis import transaction

SCRIPT = textwrap.dedent("""
    import os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (a background job ignores it)
    import yuanluo.gis.sheets as S
    real = S._cell_rows
    class Dropped:
        def __del__(self):  # the signal is handled here, inside __del__: Python drops what it raises
            os.kill(os.getpid(), signal.{sig})
    def rows(ws, *more):
        d = Dropped(); del d
        return real(ws, *more)
    S._cell_rows = rows
    sys.argv = ["yuanluo", *{args!r}]
    from yuanluo.planners.launch import main
    main()
""")


def _roster(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "农户"
    ws.append(["户编号", "经度", "纬度", "人口"])
    for i in range(24):
        ws.append([f"{i + 1:03d}", 106.55 + 0.0004 * i, 29.56 + 0.0003 * (i % 3), 3])
    wb.save(path)
    return path


def _run(sig: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(sig=sig, args=args)], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize(("sig", "zh", "en"), [("SIGINT", "已中断（未写出结果文件）。", "Interrupted (no output written)."),
                                              ("SIGTERM", "收到终止信号，已停止（未写出结果文件）。",
                                               "Stopped by a termination signal (no output written).")])
def test_delineate_interrupted_inside_del_writes_nothing(tmp_path: Path, sig: str, zh: str, en: str) -> None:
    hh = _roster(tmp_path / "农户 花名册.xlsx")
    for lang, said in (("zh", zh), ("en", en)):
        outs = [tmp_path / f"r_{lang}.gpkg", tmp_path / f"r_{lang}.html", tmp_path / f"r_{lang}.xlsx"]
        res = _run(sig, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                         "-o", str(outs[0]), "--map", str(outs[1]), "--xlsx", str(outs[2])])
        assert res.returncode == 130, res.stdout + res.stderr
        assert said in res.stderr, res.stderr
        assert "Traceback" not in res.stderr and "Exception ignored" not in res.stderr, res.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["农户 花名册.xlsx"]


def test_validate_interrupted_inside_del_stops(tmp_path: Path) -> None:
    """validate writes nothing: the old code went on and reported the roster, exit 0."""
    hh = _roster(tmp_path / "hh.xlsx")
    res = _run("SIGINT", ["validate", str(hh), "--crs", "EPSG:4490"])
    assert res.returncode == 130, res.stdout + res.stderr
    assert res.stderr.strip().endswith("已中断（未写出结果文件）。"), res.stderr
    assert "Traceback" not in res.stderr, res.stderr


def test_commit_refused_after_a_recorded_stop(tmp_path: Path) -> None:
    """The mechanism: an interrupt recorded (and dropped) before the commit: nothing is placed, temporaries gone."""
    transaction.new_run()
    try:
        with pytest.raises(KeyboardInterrupt), transaction.Transaction() as tx:
            tx.temp_for(tmp_path / "a.txt").write_bytes(b"a")
            transaction.record_stop(KeyboardInterrupt())  # as the signal handler does, its raise then dropped
        assert list(tmp_path.iterdir()) == []
        assert transaction.committed_in_run() == []
    finally:
        transaction.new_run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_interrupt_after_the_commit_says_what_was_written(tmp_path: Path, lang: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C once the outputs are placed (while "Written: …" is printed) said "no output written": a lie."""
    from typer.testing import CliRunner

    from yuanluo.planners import console as C
    from yuanluo.planners.cli import app

    def stopped(paths: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(C, "print_written", stopped)
    out = tmp_path / "r.gpkg"
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(_roster(tmp_path / "hh.xlsx")), "--crs",
                                   "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)], env={"COLUMNS": "400"})
    assert res.exit_code == 130, res.output
    said = {"zh": f"已中断，但结果文件在中断前已写出：{out}。", "en": f"Interrupted after the outputs were written: {out}."}
    assert said[lang] in res.output, res.output
    assert out.exists()
