"""Audit s28 F §2, §4, §5: an output with no name is not said to be a "." the user never typed, and ``--per-unit ""``
is that error too (not MAP-PRINT-FORMAT-PER-UNIT "not .."); ``demo -o ""`` (a script's unset variable) writes
nothing into the current folder; an existing folder given as an output is one error, whose example works."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import require_free
from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_output_is_not_quoted_as_a_dot(small_result: Path, tmp_path: Path, lang: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o ""`` was reported as the output “.”: the user typed nothing."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", ""])
    assert r.exit_code == 2 and "OUT-NAME-EMPTY-OPTION" in r.output, r.output
    out = _flat(r.output)
    assert "“.”不是" not in out and "'.' given" not in out, out
    assert ("空值" if lang == "zh" else "it is empty") in out, out
    with pytest.raises(OutputError) as ei:
        require_free([Path("")], overwrite=True)
    said = ei.value.problems[0].message(lang)
    assert "“.”不是" not in said and "'.' is not" not in said, said
    assert ("空值" if lang == "zh" else "empty") in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_per_unit_is_the_empty_output_error(small_result: Path, tmp_path: Path, lang: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``--per-unit ""`` was MAP-PRINT-FORMAT-PER-UNIT "cannot write ." ("not .." in English); a name without an
    extension is said to have none."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", "e2.png", "--per-unit", ""])
    assert r.exit_code == 2, r.output
    assert "OUT-NAME-EMPTY-OPTION" in r.output and "MAP-PRINT-FORMAT-PER-UNIT" not in r.output, r.output
    assert "--per-unit" in r.output and ".." not in r.output and ".。" not in r.output, r.output
    for name in ("sheets", "sheets."):
        r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "--per-unit", name])
        assert r.exit_code == 2 and "OUT-SUFFIX-NONE-OPTION" in r.output, r.output
        assert "MAP-PRINT-FORMAT-PER-UNIT" not in r.output and ".pdf" in r.output, r.output
        assert "..\n" not in r.output and ".。" not in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


class _Worked(Exception):
    """Raised instead of reading the sample: the demo got past its checks."""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_with_an_empty_folder_writes_nothing(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``demo -o ""`` (``-o "$OUT"``, OUT unset) wrote demo.gpkg/html/png into the current folder, exit 0; an
    explicit ``-o .`` is still the current folder."""
    import yuanluo.planners.workflows as W

    def worked(*_a: object, **_k: object) -> None:
        raise _Worked

    monkeypatch.setattr(W, "load_inputs", worked)
    monkeypatch.chdir(tmp_path)
    for empty in ("", " "):
        r = runner.invoke(app, ["--lang", lang, "demo", "-o", empty, "-q"])
        assert r.exit_code == 2 and "OUT-FOLDER-EMPTY-OPTION" in r.output, r.output
        assert "-o/--output-dir" in r.output and "yuanluo-demo" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    dot = runner.invoke(app, ["--lang", lang, "demo", "-o", ".", "-q"])
    assert dot.exit_code == 3 and "_Worked" in dot.output, dot.output  # past the checks: the sample is read


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_folder_as_output_is_one_error_whose_example_works(small_result: Path, tmp_path: Path, lang: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o outdir`` (a folder) was OUT-SUFFIX-NONE-OPTION and OUT-IS-DIR suggesting outdir/outdir, which fails
    again for want of an extension."""
    import yuanluo.planners.workflows as W

    def worked(*_a: object, **_k: object) -> None:
        raise _Worked

    monkeypatch.chdir(tmp_path)
    (tmp_path / "outdir").mkdir()
    for command, example in (("cover", "outdir.gpkg"), ("map", "outdir.html")):
        r = runner.invoke(app, ["--lang", lang, command, str(small_result), "-o", "outdir", "-q"])
        assert r.exit_code == 2 and "OUT-IS-DIR" in r.output, r.output
        assert "OUT-SUFFIX" not in r.output, r.output
        assert str(Path("outdir") / example) in _flat(r.output), r.output
    # the example passes every check of the outputs: the command goes on to read its input
    monkeypatch.setattr(W, "load_inputs", worked)
    monkeypatch.setattr(W, "read_result", worked)
    for command, example in (("cover", "outdir.gpkg"), ("map", "outdir.html")):
        r = runner.invoke(app, ["--lang", lang, command, str(small_result), "-o", str(Path("outdir") / example), "-q"])
        assert r.exit_code == 3 and "_Worked" in r.output, r.output
    assert sorted(p.name for p in (tmp_path / "outdir").iterdir()) == []
