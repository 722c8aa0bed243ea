"""The files named after a CSV output (``out.units.csv`` of ``-o out.csv``) are checked before the work (session 50,
helper N): the up-front check saw only ``out.csv``, a file not written, so an existing layer file was OUT-EXISTS
after minutes of work, and one that is the command's input was refused only then."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _run(tmp_path: Path, command: str, out: str, *extra: str, lang: str = "en") -> tuple[int, str]:
    hh = tmp_path / "hh.csv"
    if not hh.exists():
        write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    size = ["--min", "3", "--max", "6"] if command == "delineate" else []
    res = runner.invoke(app, ["--lang", lang, command, str(hh), "--crs", "EPSG:4490", *size, "-o", str(tmp_path / out),
                              *extra])
    return res.exit_code, _flat(res.output)


def _no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the work began")

    import yuanluo.planners.workflows as W
    monkeypatch.setattr(W, "load_inputs", no_work)


@pytest.mark.parametrize(("command", "out", "taken", "lang", "said"), [
    ("delineate", "out.csv", "out.units.csv", "en", "Error OUT-EXISTS: the output already exists: {f}."),
    ("delineate", "out.csv", "out.units.csv", "zh", "错误 OUT-EXISTS：输出文件已存在：{f}。"),
    ("delineate", "out.parquet", "out.run.parquet", "en", "Error OUT-EXISTS: the output already exists: {f}."),
    ("graph", "g.csv", "g.edges.csv", "en", "Error OUT-EXISTS: the output already exists: {f}.")])
def test_an_existing_layer_file_is_said_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        command: str, out: str, taken: str, lang: str,
                                                        said: str) -> None:
    """An existing ``out.units.csv``: OUT-EXISTS naming it, before the households are read (exit 2), nothing
    written; it was said after the work."""
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    (tmp_path / taken).write_bytes(b"another run's\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _no_work(monkeypatch)
    code, text = _run(tmp_path, command, out, lang=lang)
    assert code == 2 and said.format(f=tmp_path / taken) in text, text
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_layer_file_that_is_the_input_is_said_before_the_work(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV result's households delineated again to the same name: ``out.households.csv`` is the input, OUT-INPUT
    before the work, even with ``--overwrite``."""
    code, text = _run(tmp_path, "delineate", "out.csv")
    assert code == 0, text
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _no_work(monkeypatch)
    res = runner.invoke(app, ["--lang", "en", "delineate", str(tmp_path / "out.households.csv"), "--crs", "EPSG:4490",
                              "--min", "3", "--max", "6", "-o", str(tmp_path / "out.csv"), "--overwrite"])
    assert res.exit_code == 2 and "Error OUT-INPUT" in _flat(res.output), res.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_files_written_are_those_checked(tmp_path: Path) -> None:
    """Every layer file delineate and graph write is among those checked before the work (a layer added to a
    command and not to its list would be found after the work again)."""
    from yuanluo.gis.output import layer_files
    from yuanluo.planners import workflows as W

    for command, out, names in (("delineate", "d.csv", [*W.DELINEATE_LAYERS, *W.CONTEXT_LAYERS, "run"]),
                                ("graph", "g.csv", [*W.GRAPH_LAYERS, "run"])):
        code, text = _run(tmp_path, command, out)
        assert code == 0, text
        written = {p for p in tmp_path.iterdir() if p.name.startswith(out[:2])}
        assert written and written <= set(layer_files(tmp_path / out, names)), (written, names)
