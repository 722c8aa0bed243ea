"""What a failed transaction says it did not write (session 51, helper N): a CSV or GeoParquet output is written as
one file per layer (``out.units.csv``: :func:`yuanluo.gis.output.layer_files`), yet "Not written" named ``out.csv``,
a file no run writes, and, when the run failed before its writer staged them, not the layer files at all. A file
placed before the failure and then taken back (removed, or the file it replaced put back) was not said either."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.errors import OutputError, problem
from yuanluo.gis.output import layer_files, transaction, write_bytes
from yuanluo.planners.cli import app

runner = CliRunner()
LAYERS = ["households", "units", "meeting_points", "unit_adjacency", "hierarchy", "run"]


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _full_on_second(monkeypatch: pytest.MonkeyPatch, *, overwrite: bool) -> None:
    """The drive is full as the second output is placed (ENOSPC)."""
    calls = [0]
    name = "replace_retrying" if overwrite else "_create_new"
    orig = getattr(T, name)

    def place(tmp: Path, target: Path) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        orig(tmp, target)

    monkeypatch.setattr(T, name, place)


def _line(text: str, start: str) -> list[str]:
    """The files a line starting with ``start`` names (separated by ', ' or '、')."""
    found = [ln for ln in text.splitlines() if ln.startswith(start)]
    assert len(found) == 1, text
    return [Path(f).name for f in re.split(r", |、", found[0][len(start):])]


@pytest.mark.parametrize(("lang", "not_written", "removed"), [
    ("en", "Not written: ", "Written, then removed again: "), ("zh", "未写出：", "已写出又删除：")])
def test_a_failed_commit_names_the_layer_files_not_out_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           lang: str, not_written: str, removed: str) -> None:
    """``delineate -o out.csv --map m.html``, the drive full at the second file placed: every layer file and the
    map are named as not written, ``out.csv`` (never a file of this run) is not, and the one placed and removed
    again is said; nothing is left."""
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    _full_on_second(monkeypatch, overwrite=False)
    res = runner.invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                              "--min", "3", "--max", "6", "-o", str(tmp_path / "out.csv"),
                              "--map", str(tmp_path / "m.html")])
    assert res.exit_code == 2, res.output
    names = _line(res.output, not_written)  # each file named once (s52 N: the one removed again was in both)
    assert names == [p.name for p in layer_files(tmp_path / "out.csv", LAYERS)][1:] + ["m.html"], res.output
    assert _line(res.output, removed) == ["out.households.csv"], res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hh.csv"]


def test_a_failure_before_the_writer_names_every_layer_file(tmp_path: Path) -> None:
    """A command failing inside its transaction before its writer staged anything (maturity's work, say) names
    the files its CSV output would have been: ``out.csv`` was named, and no layer file."""
    out = tmp_path / "out.csv"
    with pytest.raises(T.TransactionError) as caught, \
            transaction([out, tmp_path / "r.html"], overwrite=False, layers=[(out, ["households", "units", "run"])]):
        raise OutputError(problem("OUT-SAME", targets=["x"]))
    assert [p.name for p in caught.value.not_written] == ["out.households.csv", "out.units.csv", "out.run.csv",
                                                          "r.html"]
    assert "out.csv" not in _flat(caught.value.render("en")).replace("out.households.csv", "")


@pytest.mark.parametrize(("lang", "said"), [("en", "Replaced, then the previous file put back: "),
                                            ("zh", "已替换又恢复为原文件：")])
def test_a_replaced_file_put_back_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                          said: str) -> None:
    """With overwrite, the first file replaced and the second failing: the first is put back as it was, and the
    message says so."""
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_bytes(b"earlier a")
    b.write_bytes(b"earlier b")
    _full_on_second(monkeypatch, overwrite=True)
    with pytest.raises(T.TransactionError) as caught, transaction([a, b], overwrite=True):
        write_bytes(a, b"new a", overwrite=True)
        write_bytes(b, b"new b", overwrite=True)
    text = caught.value.render(lang)  # type: ignore[arg-type]
    assert _line(text, said) == ["a.html"], text
    assert (a.read_bytes(), b.read_bytes()) == (b"earlier a", b"earlier b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]


@pytest.mark.parametrize(("lang", "cannot", "not_written"), [
    ("en", "Error OUT-WRITE: cannot write ", "Not written: "), ("zh", "错误 OUT-WRITE：无法写出 ", "未写出：")])
def test_the_output_folder_removed_during_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                   cannot: str, not_written: str) -> None:
    """The output folder removed while ``delineate -o out/r.csv`` works: OUT-WRITE (exit 2) names the layer files
    the run writes (not ``r.csv``, and not the context layers it has none of), and so does "Not written"."""
    import shutil

    import yuanluo.planners.console as C

    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    out = tmp_path / "out"
    out.mkdir()
    real = C.step

    def step(key: str, /, **params: object) -> None:
        if key == "step.write":
            shutil.rmtree(out)
        real(key, **params)

    monkeypatch.setattr(C, "step", step)
    res = runner.invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                              "--min", "3", "--max", "6", "-o", str(out / "r.csv"), "--map", str(out / "r.html")])
    assert res.exit_code == 2, res.output
    layers = [p.name for p in layer_files(out / "r.csv", LAYERS)]
    said = [ln for ln in res.output.splitlines() if ln.startswith(cannot)]
    assert len(said) == 1 and [Path(f).name for f in re.split(r", |、", said[0][len(cannot):].split(" (")[0]
                                                             .split("（")[0])] == layers, res.output
    assert _line(res.output, not_written) == [*layers, "r.html"], res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hh.csv"]


def test_a_layer_file_that_fails_is_the_one_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The drive full as the second layer of ``o.csv`` is written: OUT-WRITE names ``o.units.csv``, the file that
    failed (it named ``o.csv``, no file at all); nothing is left."""
    import pandas as pd

    import yuanluo.gis.output as O

    real = O._write_single
    calls = [0]

    def single(df: pd.DataFrame, tmp: Path, fmt: str) -> None:
        calls[0] += 1
        real(df, tmp, fmt)
        if calls[0] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(O, "_write_single", single)
    frames = {"households": pd.DataFrame({"n": [1]}), "units": pd.DataFrame({"n": [2]})}
    with pytest.raises(OutputError) as caught:
        O.write_layers(tmp_path / "o.csv", frames)
    assert caught.value.problems[0].params["target"] == str(tmp_path / "o.units.csv")
    assert [p.name for p in caught.value.not_written] == ["o.households.csv", "o.units.csv"]  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("lang", "boundary", "not_written"), [("en", False, "Not written: "),
                                                               ("zh", True, "未写出：")])
def test_a_failure_before_the_writer_names_the_layers_this_run_writes(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch, lang: str,
                                                                       boundary: bool, not_written: str) -> None:
    """``delineate --lock`` failing in its work, inside its transaction, before the writer: "Not written" named
    every context layer a delineation may carry (out.rivers.csv, out.water.csv … of a run given none); now the
    layers this run writes: its own, lock_changes, and the context layers it was given (``--boundary``)."""
    from badfiles import _boundary_file

    from yuanluo.planners import workflows as W

    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", "en", "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                              "--min", "3", "--max", "6", "-o", str(tmp_path / "r.gpkg")])
    assert res.exit_code == 0, res.output
    given = ["--boundary", str(_boundary_file(tmp_path))] if boundary else []

    def stops(*args: object, **kwargs: object) -> None:
        raise OutputError(problem("OUT-SAME", targets=["x"]))

    monkeypatch.setattr(W, "delineate_locked", stops)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = runner.invoke(app, ["--lang", lang, "delineate", str(tmp_path / "r.gpkg"), "--lock", "valid", "--min", "3",
                              "--max", "6", *given, "-o", str(tmp_path / "out.csv"),
                              "--map", str(tmp_path / "m.html")])
    assert res.exit_code == 2, res.output
    layers = [*LAYERS[:-1], "lock_changes", *(["boundary"] if boundary else []), "run"]
    assert _line(res.output, not_written) == [p.name for p in layer_files(tmp_path / "out.csv", layers)] + ["m.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
