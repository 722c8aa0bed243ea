"""A Ctrl-C (or SIGTERM) landing as an output is placed (session 51, helper N): the file was placed but not yet
recorded as placed, so the transaction's rollback did not take it back, and the run said "Interrupted (no output
written)" with the file there. Signals are now held while a file is placed and recorded, and the file being placed
is known to the rollback from before its placement (where signals cannot be held: Windows, another thread)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv

import yuanluo.gis.transaction as T
from yuanluo.gis.catalogue import text
from yuanluo.gis.output import transaction, write_bytes

SCRIPT = textwrap.dedent("""
    import os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (a background job ignores it)
    import yuanluo.gis.transaction as T
    real = os.link
    def link(src, dst, *a, **k):
        real(src, dst, *a, **k)
        if not os.path.basename(dst).startswith("."):  # the output itself, not a backup
            os.kill(os.getpid(), signal.{sig})  # the signal lands as the first file is placed
    T.os.link = link
    sys.argv = ["yuanluo", *{args!r}]
    from yuanluo.planners.launch import main
    main()
""")


@pytest.mark.parametrize(("sig", "lang", "key"), [("SIGINT", "zh", "cli.interrupted"), ("SIGINT", "en", "cli.interrupted"),
                                                  ("SIGTERM", "en", "cli.terminated")])
def test_a_signal_as_a_file_is_placed_takes_it_back(tmp_path: Path, sig: str, lang: str, key: str) -> None:
    """``graph … -o g.gpkg --graphml g.graphml``, the signal landing right after ``g.gpkg`` is linked into place:
    exit 130, the words of an interrupted run in the run's language, and neither file there (``g.gpkg`` stayed)."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["--lang", lang, "graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg"),
            "--graphml", str(tmp_path / "g.graphml")]
    res = subprocess.run([sys.executable, "-c", SCRIPT.format(sig=sig, args=args)], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 130, res.stderr
    assert res.stderr.strip().splitlines()[-1] == text(key, lang).strip(), res.stderr  # type: ignore[arg-type]
    assert "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def _stop_after(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """An interrupt raised right after the first output is put in place by ``name`` (``link`` or ``replace``),
    where no signal could be held (as on Windows)."""
    real = getattr(os, name)

    def place(src: str | os.PathLike[str], dst: str | os.PathLike[str], *args: object) -> None:
        real(src, dst, *args)
        if not os.path.basename(dst).startswith("."):
            raise KeyboardInterrupt

    monkeypatch.setattr(T, "_signals_held", T.contextlib.nullcontext)
    monkeypatch.setattr(T.os, name, place)


def test_an_interrupt_unheld_after_the_link_takes_the_file_back(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Without held signals, an interrupt after ``a.html`` is linked into place: neither file stays, nor a
    temporary."""
    _stop_after(monkeypatch, "link")
    with pytest.raises(KeyboardInterrupt), transaction([tmp_path / "a.html", tmp_path / "b.html"], overwrite=False):
        write_bytes(tmp_path / "a.html", b"a")
        write_bytes(tmp_path / "b.html", b"b")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_unheld_after_the_replace_puts_the_previous_file_back(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With overwrite, an interrupt after ``a.html`` replaced the earlier run's: that one is back, unchanged, and no
    backup or temporary stays."""
    (tmp_path / "a.html").write_bytes(b"earlier a")
    _stop_after(monkeypatch, "replace")
    with pytest.raises(KeyboardInterrupt), transaction([tmp_path / "a.html", tmp_path / "b.html"], overwrite=True):
        write_bytes(tmp_path / "a.html", b"a", overwrite=True)
        write_bytes(tmp_path / "b.html", b"b", overwrite=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"a.html": b"earlier a"}


def test_an_interrupt_after_the_reservation_takes_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where hard links fail (a FAT or network drive), the target is reserved (created empty) and then replaced: an
    interrupt right after the reservation left the empty file."""
    import errno

    def no_link(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    real_close = os.close

    def close(fd: int) -> None:
        real_close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(T, "_signals_held", T.contextlib.nullcontext)
    monkeypatch.setattr(T.os, "link", no_link)
    with pytest.raises(KeyboardInterrupt), transaction([tmp_path / "a.html"], overwrite=False):
        write_bytes(tmp_path / "a.html", b"a")
        monkeypatch.setattr(T.os, "close", close)  # (after the checks before the work, which close files too)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


ROLLBACK_SCRIPT = textwrap.dedent("""
    import errno, os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import yuanluo.gis.transaction as T
    real_new, real_unlink = T._create_new, os.unlink
    def create_new(tmp, target):
        if str(target).endswith(".graphml"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_new(tmp, target)
    def unlink(path, *a, **k):
        if str(path).endswith("g.gpkg") and not os.path.basename(path).startswith("."):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the placed file is taken back
        real_unlink(path, *a, **k)
    T._create_new = create_new
    T.os.unlink = unlink
    sys.argv = ["yuanluo", *{args!r}]
    from yuanluo.planners.launch import main
    main()
""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ctrl_c_while_files_are_taken_back_waits_for_them(tmp_path: Path, lang: str) -> None:
    """The drive full as ``g.graphml`` is placed, and a Ctrl-C as ``g.gpkg`` is taken back: it was raised there (the
    signal mask holds it in the main thread only, and NumPy's threads took it), and ``g.gpkg`` stayed; it is now
    raised once the files are taken back: exit 130, said in the run's language, nothing left."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["--lang", lang, "graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg"),
            "--graphml", str(tmp_path / "g.graphml")]
    res = subprocess.run([sys.executable, "-c", ROLLBACK_SCRIPT.format(args=args)], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 130, res.stderr
    assert res.stderr.strip().splitlines()[-1] == text("cli.interrupted", lang).strip(), res.stderr  # type: ignore[arg-type]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
