"""Each file named once (session 52, helper N): a run failing inside its transaction listed a file it had placed
and taken back (removed, or the previous file put back) twice, under "Written, then removed again" (or "Replaced,
then the previous file put back") and under "Not written"; and it ended "(no output file was written)" after saying
one was written and removed. Now each file stands in the one list true of it, and the last line says none is left."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.catalogue import text
from yuanluo.gis.output import layer_files, transaction, write_bytes
from yuanluo.planners.cli import app

LISTS = {"zh": ("已写出又删除：", "已替换又恢复为原文件：", "未写出："),
         "en": ("Written, then removed again: ", "Replaced, then the previous file put back: ", "Not written: ")}


def _lists(out: str, lang: str) -> dict[str, list[str]]:
    """The file names under each list of a failure's message (a list not said: empty)."""
    found: dict[str, list[str]] = {}
    for head in LISTS[lang]:
        lines = [ln for ln in out.splitlines() if ln.startswith(head)]
        assert len(lines) <= 1, out
        found[head] = [Path(f).name for f in re.split(r", |、", lines[0][len(head):])] if lines else []
    return found


def _full_on(monkeypatch: pytest.MonkeyPatch, n: int, *, overwrite: bool) -> None:
    """The drive is full as the ``n``-th file is placed."""
    calls = [0]
    name = "replace_retrying" if overwrite else "_create_new"
    orig = getattr(T, name)

    def place(tmp: Path, target: Path) -> None:
        calls[0] += 1
        if calls[0] == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        orig(tmp, target)

    monkeypatch.setattr(T, name, place)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_delineation_failing_as_it_places_names_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 lang: str) -> None:
    """``delineate -o out.csv --map m.html``, the drive full at the third file placed: the two placed are said
    removed again, and only the rest not written; the last line says none of this run's files is left."""
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    _full_on(monkeypatch, 3, overwrite=False)
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--min", "3", "--max", "6", "-o", str(tmp_path / "out.csv"),
                                   "--map", str(tmp_path / "m.html")])
    assert res.exit_code == 2, res.output
    removed, put_back, not_written = _lists(res.output, lang).values()
    every = [p.name for p in layer_files(tmp_path / "out.csv", ["households", "units", "meeting_points",
                                                                 "unit_adjacency", "hierarchy", "run"])]
    assert removed == every[:2] and put_back == [] and not_written == [*every[2:], "m.html"], res.output
    assert res.output.rstrip().endswith(text("problem.nothing_left", lang)), res.output  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hh.csv"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_put_back_is_not_also_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """With overwrite, a.html replaced and b.html failing: a.html is said put back, b.html not written, once each."""
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_bytes(b"earlier a")
    _full_on(monkeypatch, 2, overwrite=True)
    with pytest.raises(T.TransactionError) as caught, transaction([a, b], overwrite=True):
        write_bytes(a, b"new a", overwrite=True)
        write_bytes(b, b"new b", overwrite=True)
    said = caught.value.render(lang)  # type: ignore[arg-type]
    assert list(_lists(said, lang).values()) == [[], ["a.html"], ["b.html"]], said
    assert said.endswith(text("problem.nothing_left", lang)), said  # type: ignore[arg-type]
    assert a.read_bytes() == b"earlier a" and not b.exists()
    # (the first placement failing: nothing taken back, every file not written, "no output file was written")
    _full_on(monkeypatch, 1, overwrite=False)
    with pytest.raises(T.TransactionError) as caught, transaction([tmp_path / "c.html"], overwrite=False):
        write_bytes(tmp_path / "c.html", b"c")
    said = caught.value.render(lang)  # type: ignore[arg-type]
    assert list(_lists(said, lang).values()) == [[], [], ["c.html"]], said
    assert said.endswith(text("problem.nothing_written", lang)), said  # type: ignore[arg-type]
