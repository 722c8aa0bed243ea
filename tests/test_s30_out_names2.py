"""Audit s30 Y §3, §5, §6: output names Windows cannot hold, continued (tests/test_s30_out_names.py is the first part).

§3 a name with bytes that are not text (typed in another encoding; Python gives them as surrogates) ran the whole
demo and then crashed (exit 3) writing the GeoPackage, and ``map`` wrote such a name with exit 0: now a coded error
(OUT-NAME-BYTES, exit 2) before the work, showing the bytes as ``\\xff``. §5 only the folders a command created were
checked: an existing ``new:dir`` was written into, a missing one got OUT-WRITE "create it first"; now every folder
of the output as given is checked, and a missing one Windows cannot hold gets the Windows error. §6 ``COM¹`` …
``LPT³`` (superscript digits) are device names on Windows as ``COM1`` is.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return " ".join(s.split())


def _files(d: Path) -> list[str]:
    return sorted(os.fsencode(p.relative_to(d)).decode("utf-8", "backslashreplace") for p in d.rglob("*"))


# ------------------------------------------------------------------------------- §3: bytes that are not text
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_refuses_a_file_name_with_bytes_that_are_not_text(small_result: Path, tmp_path: Path,
                                                              lang: str) -> None:
    out = tmp_path / os.fsdecode(b"\xff\xfe.html")
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", str(out)])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert "OUT-NAME-BYTES" in said, said
    assert "\\xff\\xfe.html" in said and "\udcff" not in said, said  # the bytes shown escaped, printable
    assert str(tmp_path / "--.html") in said, said  # an example Windows and a GeoPackage hold
    assert _files(tmp_path) == [], _files(tmp_path)


def test_demo_refuses_a_folder_with_bytes_that_are_not_text_before_the_work(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["--lang", "en", "demo", "-o", os.fsdecode(b"bad\xffdir"), "-q"])
    assert r.exit_code == 2, r.output  # was exit 3 after the whole run
    said = _flat(r.output)
    assert said.count("OUT-NAME-BYTES") == 1 and "internal error" not in said, said  # the folder said once
    assert "bad\\xffdir" in said and "bad-dir/demo.gpkg" in said, said
    assert _files(tmp_path) == []


def test_an_existing_folder_with_bytes_that_are_not_text_is_refused(small_result: Path, tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"\xb9\xfb")  # 果 in GBK, on a UTF-8 system
    folder.mkdir()
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(folder / "m.html")])
    assert r.exit_code == 2 and "OUT-NAME-BYTES" in r.output, r.output
    assert str(tmp_path / "--" / "m.html") in _flat(r.output), r.output
    assert list(folder.iterdir()) == []


# ------------------------------------------------------------------------- §5: every folder of the output
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_existing_folder_windows_cannot_hold_is_refused(small_result: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "new:dir").mkdir()
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", "new:dir/x.html"])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert "OUT-NAME-WINDOWS-CHAR" in said and "new-dir/x.html" in said, said
    assert _files(tmp_path) == ["new:dir"]


def test_a_missing_folder_windows_cannot_hold_is_not_to_be_created(small_result: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["map", str(small_result), "-o", "new:dir/x.html"],
                 ["check", str(small_result), "--csv", "out/aux/问题.csv"]):
        r = runner.invoke(app, ["--lang", "en", *args])
        assert r.exit_code == 2, (args, r.output)
        said = _flat(r.output)
        assert "OUT-NAME-WINDOWS-" in said, (args, said)
        assert "OUT-WRITE" not in said and "create it first" not in said, (args, said)
    assert _files(tmp_path) == []


def test_every_bad_name_is_corrected_in_one_example(small_result: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a:b").mkdir()
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", "a:b/../c?/COM2.html"])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert said.count("a-b/../c-/COM2_1.html") == 3, said  # a:b, c? and COM2: each said, one example
    assert _files(tmp_path) == ["a:b"]


def test_folders_windows_holds_are_written_into(small_result: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "名 单 (1)" / "com0 old").mkdir(parents=True)
    for out in ("名 单 (1)/com0 old/m.html", "./名 单 (1)/../n.html", str(tmp_path / "名 单 (1)" / "o.html")):
        r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", out, "-q"])
        assert r.exit_code == 0, (out, r.output)
    assert _files(tmp_path) == ["n.html", "名 单 (1)", "名 单 (1)/com0 old", "名 单 (1)/com0 old/m.html",
                                "名 单 (1)/o.html"]


# ---------------------------------------------------------------------------- §6: superscript device names
@pytest.mark.parametrize("name", ["COM¹.html", "com².html", "Com³.csv.html", "LPT¹.html", "lpt².html", "LPT³"])
def test_superscript_device_names_are_refused(small_result: Path, tmp_path: Path, name: str) -> None:
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert "OUT-NAME-WINDOWS-RESERVED" in said, said
    head, dot, rest = name.partition(".")
    assert str(tmp_path / f"{head}_1{dot}{rest}") in said, said
    assert _files(tmp_path) == []
