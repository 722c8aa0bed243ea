"""What a user reads when something goes wrong (session 50, helper N).

OUT-WRITE for a folder that does not exist ended "any existing file is unchanged" (there is no file); an existing
output marked read-only was found only when ``--overwrite`` replaced it, after the work (Windows refuses it; elsewhere
it was replaced, its mark passed over)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis import output as O
from yuanluo.gis.errors import OutputError
from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.mark.parametrize(("lang", "title"), [
    ("zh", "无法写出 {f}（ENOENT：文件夹 {d} 不存在）。"),
    ("en", "cannot write {f} (ENOENT: the folder {d} does not exist).")])
def test_a_missing_folder_says_no_unchanged_file(tmp_path: Path, lang: str, title: str) -> None:
    """A missing folder holds no file: the title says nothing of one left unchanged, before the work and after."""
    d = tmp_path / "no"
    with pytest.raises(OutputError) as ei:
        O.require_free([d / "u.gpkg"], overwrite=True)
    assert ei.value.problems[0].title(lang) == title.format(f=d / "u.gpkg", d=d)
    with pytest.raises(OutputError) as ei:  # a writer called from Python
        O.write_layers(d / "u.csv", {"t": pd.DataFrame({"a": [1]})})
    assert ei.value.problems[0].title(lang) == title.format(f=d / "u.csv", d=d)


def _delineate(tmp_path: Path, lang: str, *extra: str) -> tuple[int, str]:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(tmp_path / "u.gpkg"), "--map", str(tmp_path / "u.html"), *extra])
    return res.exit_code, _flat(res.output)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "错误 OUT-WRITE：无法写出 {f}（EACCES：文件是只读的）；该文件未改动。 处理办法：取消该文件的只读属性"),
    ("en", "Error OUT-WRITE: cannot write {f} (EACCES: the file is read-only); the file is unchanged. Fix: clear "
           "the file's read-only mark")])
def test_a_read_only_output_is_said_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                    said: str) -> None:
    """``--overwrite`` of an output marked read-only: refused with the other output checks, before the households
    are read (exit 2), every file as it was; it was replaced here (Linux), and on Windows refused after the work."""
    code, out = _delineate(tmp_path, lang)
    assert code == 0, out
    page = tmp_path / "u.html"
    page.chmod(0o444)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the work began")

    import yuanluo.planners.workflows as W
    monkeypatch.setattr(W, "load_inputs", no_work)
    code, out = _delineate(tmp_path, lang, "--overwrite")
    assert code == 2 and said.format(f=page) in out and out.count("OUT-WRITE") == 1, out
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    page.chmod(0o644)
    monkeypatch.undo()
    code, out = _delineate(tmp_path, lang, "--overwrite")  # the mark cleared: replaced
    assert code == 0, out


def test_two_read_only_outputs_are_each_said(tmp_path: Path) -> None:
    """The read-only mark is a file's, not its folder's: each file said on its own (not "the file is read-only"
    of two files in one sentence)."""
    files = [tmp_path / "a.gpkg", tmp_path / "b.html"]
    for f in files:
        f.write_bytes(b"x")
        f.chmod(0o444)
    with pytest.raises(OutputError) as ei:
        O.require_free(files, overwrite=True)
    assert [q.params["target"] for q in ei.value.problems] == [str(f) for f in files]
    assert {q.variant for q in ei.value.problems} == {"readonly"}


def test_a_read_only_layer_file_from_python(tmp_path: Path) -> None:
    """write_layers(..., overwrite=True) from Python, a CSV's layer file (out.units.csv, which no command checks
    before its work) marked read-only: refused before anything is written, the file unchanged."""
    layers = {"households": pd.DataFrame({"a": [1]}), "units": pd.DataFrame({"b": [2]})}
    O.write_layers(tmp_path / "out.csv", layers)
    units = tmp_path / "out.units.csv"
    units.chmod(0o444)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(OutputError) as ei:
        O.write_layers(tmp_path / "out.csv", {k: v * 3 for k, v in layers.items()}, overwrite=True)
    assert ei.value.codes == ["OUT-WRITE"] and ei.value.problems[0].params["target"] == str(units)
    assert ei.value.problems[0].fix("en").startswith("clear the file's read-only mark")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(("lang", "title"), [
    ("zh", "文件 {f} 的格式不受支持（扩展名 .py，内容为文本）。"),
    ("en", "the format of {f} is not supported (extension .py, content: text).")])
def test_a_file_of_no_format_says_its_content_in_the_language(tmp_path: Path, lang: str, title: str) -> None:
    """IO-FORMAT said the content by its internal name: "（扩展名 .py，内容 text）" in Chinese."""
    from yuanluo.gis.errors import InputError
    from yuanluo.gis.io import read_households, read_layer

    f = tmp_path / "hh.py"
    f.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        read_households(f, crs="EPSG:4490")
    assert ei.value.problems[0].title(lang) == title.format(f=f)
    csv = write_csv(tmp_path, "r.csv", [HEADER, *good_rows(3)])  # a table given as a layer
    with pytest.raises(InputError) as ei:
        read_layer(csv, kind="rivers", crs="EPSG:4490", working_crs="EPSG:4545")
    said = ei.value.problems[0].title(lang)
    assert ("内容为文本" if lang == "zh" else "content: text") in said and " csv)" not in said, said
