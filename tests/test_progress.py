"""The progress display: every stage of a run named on stderr in the chosen language, with elapsed time; a live
display on a terminal, plain lines only with -v otherwise, nothing with -q; stdout unchanged by it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from rich.console import Console
from typer.testing import CliRunner

from yuanluo.planners import console as C
from yuanluo.planners.cli import app

runner = CliRunner()
HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(tmp_path: Path, name: str, *extra: str) -> tuple[int, str, str]:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "6",
                              "-o", str(tmp_path / name), *extra])
    return res.exit_code, res.stdout, res.stderr


def test_plain_stage_lines_with_verbose_only(tmp_path: Path) -> None:
    code, out_v, err_v = _run(tmp_path, "a.gpkg", "-v")
    assert code == 0, err_v
    lines = [ln for ln in err_v.splitlines() if ln.startswith("[")]
    stages = [ln.split("] ", 1)[1] for ln in lines]
    assert stages[:3] == ["读取并检查输入……", "构建邻接图……", "划分院落……"]
    assert "划分院落：初步划分……" in stages and "划分院落：核验结果……" in stages  # the parts of the fit
    assert stages[-2:] == ["写出结果……", "完成"]
    assert all(re.match(r"\[\d+\.\d 秒\] ", ln) for ln in lines)
    code, out, err = _run(tmp_path, "b.gpkg")
    assert code == 0 and "读取并检查输入" not in err and "完成" not in err
    assert out.replace("b.gpkg", "a.gpkg") == out_v  # stdout is the same with or without the stage lines
    code, out, err = _run(tmp_path, "c.gpkg", "-q", "-v")
    assert code == 0 and err == ""


def test_live_display_on_a_terminal_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.StringIO()
    monkeypatch.setattr(C, "err", Console(file=buf, force_terminal=True, width=100, highlight=False))
    code, out, _ = _run(tmp_path, "a.gpkg", "--lang", "en")
    assert code == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())
    for stage in ("Reading and checking the inputs…", "Building the neighbour graph…", "Delineating the units…",
                  "Writing the results…"):
        assert f"✓ {stage}" in shown
    assert re.search(r"Writing the results… +0:00:\d\d", shown)
    assert not HAN.search(shown.replace(str(tmp_path), ""))
    assert "✓" not in out and "Written:" in out  # the display never reaches stdout
    buf.truncate(0)
    assert _run(tmp_path, "b.gpkg", "-q")[0] == 0
    assert buf.getvalue() == ""
