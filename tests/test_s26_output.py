"""Session 26 (f4): the output checks speak to the caller they have, and know Windows' path limit.

1. OUT-EXISTS, OUT-INPUT and OUT-IS-DIR name ``--overwrite`` on the command line and ``overwrite=True`` for a
   caller from Python (a notebook has no flag to pass), in both languages.
2. On Windows a path over 259 characters — the output's own, or the hidden temporary's it is first written to,
   which is often longer — fails in the middle of the work: OUT-PATH-LONG, before the work, naming the path, its
   length and a fix; never on other systems.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import require_free, write_bytes, write_layers
from yuanluo.planners.cli import app

runner = CliRunner()
HAN = re.compile(r"[\u3400-\u9fff]")


def _village(tmp: Path, n: int = 12) -> Path:
    rows = [f"{r},{'东院' if i < n // 2 else '西院'}" for i, r in enumerate(good_rows(n))]
    return write_csv(tmp, "hh.csv", [HEADER + ",院落", *rows])


def _delineate(hh: Path) -> list[str]:
    return ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8"]


# ------------------------------------------------------------------------------ 1. --overwrite or overwrite=True
def _python_fixes(exc: OutputError, code: str) -> dict[str, str]:
    [p] = [p for p in exc.problems if p.code == code]
    return {lang: p.fix(lang) for lang in ("zh", "en")}


def test_python_callers_are_told_overwrite_true_not_a_flag(tmp_path: Path) -> None:
    """From Python (a notebook) OUT-EXISTS, OUT-INPUT and OUT-IS-DIR name ``overwrite=True`` and no
    ``--overwrite``, in both languages."""
    old = tmp_path / "old.csv"
    old.write_bytes(b"old")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    fixes = {}
    with pytest.raises(OutputError) as exists:
        write_layers(old, {"units": pd.DataFrame({"unit_id": ["U001"]})})
    fixes["OUT-EXISTS"] = _python_fixes(exists.value, "OUT-EXISTS")
    with pytest.raises(OutputError) as clash:
        require_free([old, folder], overwrite=True, inputs=[old])
    fixes["OUT-INPUT"] = _python_fixes(clash.value, "OUT-INPUT")
    fixes["OUT-IS-DIR"] = _python_fixes(clash.value, "OUT-IS-DIR")
    for code, fix in fixes.items():
        assert "“overwrite=True”" in fix["zh"] and "--overwrite" not in fix["zh"], (code, fix["zh"])
        assert "overwrite=True" in fix["en"] and "--overwrite" not in fix["en"], (code, fix["en"])
        assert not HAN.search(fix["en"].replace(str(tmp_path), "")) and "{" not in fix["zh"] + fix["en"]
    assert "even with overwrite=True" in fixes["OUT-INPUT"]["en"]
    assert old.read_bytes() == b"old"


def test_an_input_named_as_the_target_of_a_python_transaction_says_overwrite_true(tmp_path: Path) -> None:
    src = tmp_path / "in.html"
    src.write_bytes(b"in")
    with pytest.raises(OutputError) as info, T.Transaction(overwrite=True, inputs=[src]):
        write_bytes(src, b"out")
    assert info.value.code == "OUT-INPUT" and "overwrite=True" in info.value.render("en")
    assert "--overwrite" not in info.value.render("en") + info.value.render("zh")
    assert src.read_bytes() == b"in"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_names_its_flag(tmp_path: Path, lang: str) -> None:
    """On the command line the same messages name ``--overwrite`` (the flag a planner types), not Python's
    ``overwrite=True``."""
    hh = _village(tmp_path)
    out = tmp_path / "out.gpkg"
    out.write_bytes(b"keep")
    exists = runner.invoke(app, [*_delineate(hh), "-o", str(out), "--lang", lang])
    assert exists.exit_code == 2 and "OUT-EXISTS" in exists.output, exists.output
    flag = "“--overwrite”" if lang == "zh" else "pass --overwrite"
    assert flag in exists.output and "overwrite=True" not in exists.output, exists.output
    before = hh.read_bytes()
    clash = runner.invoke(app, [*_delineate(hh), "-o", str(hh), "--overwrite", "--lang", lang])
    assert clash.exit_code == 2 and "OUT-INPUT" in clash.output, clash.output
    assert "--overwrite" in clash.output and "overwrite=True" not in clash.output, clash.output
    folder = tmp_path / "folder.gpkg"
    folder.mkdir()
    is_dir = runner.invoke(app, [*_delineate(hh), "-o", str(folder), "--overwrite", "--lang", lang])
    assert is_dir.exit_code == 2 and "OUT-IS-DIR" in is_dir.output, is_dir.output
    assert "--overwrite" in is_dir.output and "overwrite=True" not in is_dir.output, is_dir.output
    assert out.read_bytes() == b"keep" and hh.read_bytes() == before


# ------------------------------------------------------------------------------ 2. Windows' MAX_PATH
def _deep(tmp: Path, length: int) -> Path:
    """A folder of long Chinese names under ``tmp`` whose absolute path has exactly ``length`` characters."""
    folder = Path(os.path.abspath(tmp))
    while len(str(folder)) < length:
        room = length - len(str(folder)) - 1
        folder = folder / ("第一村民小组院落规划成果" * 6)[: min(room, 60)]
    folder.mkdir(parents=True)
    assert len(str(folder)) == length
    return folder


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "windows_paths", lambda: True)


def test_a_temporary_over_the_windows_limit_is_refused_before_the_work(tmp_path: Path, on_windows: None,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The output's own path (245 characters) is within Windows' 259, its temporary's (with SQLite's journal)
    is not: OUT-PATH-LONG before the work, naming the path and its length, and a fix that works (a shorter
    folder: the file name is already short); nothing written."""
    hh = _village(tmp_path)
    folder = _deep(tmp_path / "w", 238)
    out = folder / "院落.gpkg"
    assert len(str(out)) <= T.WINDOWS_PATH_MAX
    import yuanluo.gis.cluster as cluster

    monkeypatch.setattr(cluster.UnitDelineator, "fit", lambda *a, **k: pytest.fail("the work started"))
    for lang in ("zh", "en"):
        res = runner.invoke(app, [*_delineate(hh), "-o", str(out), "--lang", lang])
        assert res.exit_code == 2 and "OUT-PATH-LONG" in res.output, res.output
        assert str(out) in res.output.replace("\n", "")
        longest = max(len(p) for p in T.written_paths(out))
        assert longest > T.WINDOWS_PATH_MAX and str(longest) in res.output
        if lang == "zh":
            assert f"至少短 {longest - 259} 个字符" in res.output and "只缩短文件名不够" in res.output
        else:
            assert f"at least {longest - 259} characters shorter" in res.output and "alone is not enough" in res.output
            assert not HAN.search(res.output.replace(str(out), ""))
    assert list(folder.iterdir()) == []


def test_a_long_file_name_is_told_to_be_shortened(tmp_path: Path, on_windows: None) -> None:
    folder = _deep(tmp_path / "w", 200)
    out = folder / ("院落划分方案" * 13 + ".html")  # 83 characters, 239 bytes: a name ext4 and NTFS take
    with pytest.raises(OutputError) as info:
        require_free([out], overwrite=False)
    [p] = info.value.problems
    over = p.params["over"]
    assert p.code == "OUT-PATH-LONG" and p.params["length"] == len(str(out)) and over == len(str(out)) - 259
    cut = int(re.findall(r"shorten the file name by at least (\d+) characters", p.fix("en"))[0])
    assert cut >= over and f"把文件名缩短 {cut} 个字符以上" in p.fix("zh")
    shorter = out.with_name(out.stem[:-cut] + ".html")
    require_free([shorter], overwrite=False)  # the fix given is enough


def test_a_layer_file_named_after_the_output_is_checked_too(tmp_path: Path, on_windows: None) -> None:
    """CSV layers go to ``OUT.<layer>.csv``, longer than the output given: the transaction checks each file it
    writes, and writes none of them."""
    folder = _deep(tmp_path / "w", 205)  # the temporary holds the process id: over the limit with 1 to 7 digits
    out = folder / "成果.csv"
    layers = {"units": pd.DataFrame({"unit_id": ["U001"]}),
              "households_with_a_long_layer_name": pd.DataFrame({"hid": ["001"]})}
    with pytest.raises(OutputError) as info:
        write_layers(out, layers)
    assert "OUT-PATH-LONG" in info.value.codes
    assert list(folder.iterdir()) == []


def test_the_limit_is_windows_only(tmp_path: Path) -> None:
    """Elsewhere (here, ``sys.platform`` is not ``win32``) a path of 300 characters is written as it is."""
    assert T.windows_paths() is (sys.platform == "win32")
    if T.windows_paths():
        pytest.skip("on Windows the limit applies")
    folder = _deep(tmp_path / "w", 300)
    out = folder / "院落.html"
    require_free([out], overwrite=False)
    assert write_bytes(out, b"<p>x</p>") == out and out.read_bytes() == b"<p>x</p>"
