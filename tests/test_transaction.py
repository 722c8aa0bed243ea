"""Outputs as one transaction: all of a command's files or none, no clobbering under concurrent runs, no input
ever overwritten, nothing left behind by SIGTERM (yuanluo.gis.transaction, through the command line)."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import write_bytes
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

runner = CliRunner()
BAND = ["--crs", "EPSG:4490", "--min", "3", "--max", "6"]


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def _households(d: Path, n: int = 12) -> Path:
    return write_csv(d, "hh.csv", [HEADER, *good_rows(n)])


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------ the transaction
def test_all_or_none_when_a_placement_fails(tmp_path: Path) -> None:
    (tmp_path / "b.txt").mkdir()  # a folder where the second file should go: its placement fails
    tx = T.Transaction(overwrite=True)
    with pytest.raises(T.TransactionError) as ei, tx:
        write_bytes(tmp_path / "a.txt", b"new")
        write_bytes(tmp_path / "b.txt", b"new")
    assert _names(tmp_path) == ["b.txt"]  # a.txt was placed, then taken back; no temporary left
    assert ei.value.code == "OUT-WRITE" and ei.value.left == []
    text = ei.value.render("en")
    # each file named once, in the list true of it (s52 N: a.txt was in both)
    assert f"Written, then removed again: {tmp_path / 'a.txt'}\nNot written: {tmp_path / 'b.txt'}\n" in text
    assert "（本次运行的结果文件一个也没有留下）" in ei.value.render("zh")  # a.txt written, taken back (s52 N)


def test_failed_overwrite_restores_the_previous_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"previous")
    (tmp_path / "b.txt").mkdir()
    with pytest.raises(T.TransactionError), T.Transaction(overwrite=True):
        write_bytes(tmp_path / "a.txt", b"new")
        write_bytes(tmp_path / "b.txt", b"new")
    assert (tmp_path / "a.txt").read_bytes() == b"previous"
    assert _names(tmp_path) == ["a.txt", "b.txt"]


def test_a_target_that_appears_is_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(T.TransactionError) as ei, T.Transaction() as tx:
        write_bytes(tmp_path / "a.txt", b"mine")
        write_bytes(tmp_path / "b.txt", b"mine")
        (tmp_path / "b.txt").write_bytes(b"theirs")  # another program, after the checks, before the commit
        assert tx.targets == [tmp_path / "a.txt", tmp_path / "b.txt"]
    assert ei.value.code == "OUT-EXISTS"
    assert (tmp_path / "b.txt").read_bytes() == b"theirs" and _names(tmp_path) == ["b.txt"]


@pytest.mark.parametrize("appears", [False, True])
def test_without_hard_links_an_exclusive_reservation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     appears: bool) -> None:
    def no_links(src: Any, dst: Any) -> None:
        if appears:
            Path(dst).write_bytes(b"theirs")
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    if appears:
        with pytest.raises(T.TransactionError, match="OUT-EXISTS"):
            write_bytes(tmp_path / "a.txt", b"mine")
        assert (tmp_path / "a.txt").read_bytes() == b"theirs"
    else:
        write_bytes(tmp_path / "a.txt", b"mine")
        assert (tmp_path / "a.txt").read_bytes() == b"mine"
    assert _names(tmp_path) == ["a.txt"]


def test_an_input_or_a_target_twice_is_refused_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "in.gpkg"
    src.write_bytes(b"input")
    os.link(src, tmp_path / "alias.gpkg")
    for target, code in ((src, "OUT-INPUT"), (tmp_path / "alias.gpkg", "OUT-INPUT")):
        with pytest.raises(OutputError) as ei, T.Transaction(overwrite=True, inputs=[src]):
            write_bytes(target, b"x")
        assert ei.value.code == code
    with pytest.raises(OutputError) as ei, T.Transaction(overwrite=True):
        write_bytes(tmp_path / "o.txt", b"1")
        write_bytes(tmp_path / "." / "o.txt", b"2")
    assert ei.value.code == "OUT-SAME"
    assert src.read_bytes() == b"input" and _names(tmp_path) == ["alias.gpkg", "in.gpkg"]


# ------------------------------------------------------------------------------------------ the commands
def test_late_failure_of_the_second_output_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    real = W.render_maps

    def then_folder_removed(*args: Any, **kw: Any) -> Any:
        shutil.rmtree(b)  # after the checks, while the command works
        return real(*args, **kw)

    monkeypatch.setattr(W, "render_maps", then_folder_removed)
    res = runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(a / "r.gpkg"), "--map", str(b / "r.html"),
                              "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert "OUT-WRITE" in res.output and "ENOENT" in res.output
    assert f"Not written: {a / 'r.gpkg'}, {b / 'r.html'}" in res.output
    assert _names(a) == [] and not b.exists()


def test_a_writer_raising_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yuanluo.gis.hierarchy as H

    def disk_full(*args: Any, **kw: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(H, "write_hierarchy", disk_full)
    hh = _households(tmp_path)
    res = runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(tmp_path / "r.gpkg"),
                              "--hierarchy", str(tmp_path / "org.json"), "--map", str(tmp_path / "r.html")])
    assert res.exit_code == 3, res.output  # an unexpected OSError from a writer is a bug, still nothing written
    assert _names(tmp_path) == ["hh.csv"]


def test_check_reports_all_or_none_when_the_last_placement_fails(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path)
    plan = write_csv(tmp_path, "plan.csv", ["户编号,院落"] + [f"{i + 1:03d},U{i // 6}" for i in range(12)])
    real = T._create_new

    def last_fails(tmp: Path, target: Path) -> None:
        if target.suffix == ".csv":
            raise OSError(errno.EROFS, "Read-only file system")
        real(tmp, target)

    monkeypatch.setattr(T, "_create_new", last_fails)
    outs = [tmp_path / "r.html", tmp_path / "r.json", tmp_path / "r.csv"]
    res = runner.invoke(app, ["check", str(hh), "--plan", str(plan), *BAND, "--report", str(outs[0]),
                              "--json", str(outs[1]), "--csv", str(outs[2]), "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert "OUT-WRITE" in res.output and "EROFS" in res.output
    # each file named once, in the list true of it (s52 N: the report and JSON were in both)
    assert "Written, then removed again: " + ", ".join(map(str, outs[:2])) + "\n" in res.output
    assert "Not written: " + ", ".join(map(str, [outs[2], tmp_path / "r_units.csv"])) + "\n" in res.output
    assert _names(tmp_path) == ["hh.csv", "plan.csv"]  # the report and JSON placed first were taken back


@pytest.mark.parametrize("cmd", ["delineate", "map"])
def test_an_output_equal_to_an_input_is_refused_even_with_overwrite(tmp_path: Path, cmd: str) -> None:
    hh = _households(tmp_path)
    res_gpkg = tmp_path / "res.gpkg"
    assert runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(res_gpkg)]).exit_code == 0
    src = res_gpkg if cmd == "map" else hh
    before = _sha(src)
    args = ["map", str(res_gpkg)] if cmd == "map" else ["delineate", str(hh), *BAND]
    res = runner.invoke(app, [*args, "-o", str(src), "--overwrite", "--lang", "en"])
    assert res.exit_code == 2 and "OUT-INPUT" in res.output, res.output
    assert _sha(src) == before and _names(tmp_path) == ["hh.csv", "res.gpkg"]


def test_wrong_extension_is_refused_before_any_work(tmp_path: Path) -> None:
    hh = _households(tmp_path)
    res = runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(tmp_path / "r.gpkg"),
                              "--map", str(tmp_path / "r.png"), "--lang", "en"])
    assert res.exit_code == 2 and "OUT-SUFFIX" in res.output and ".html .htm" in res.output
    assert _names(tmp_path) == ["hh.csv"]



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_extension_is_said_once_naming_its_option(tmp_path: Path, lang: str) -> None:
    """`-o out.gpkg --xlsx out.gpkg` said OUT-SUFFIX twice and never named --xlsx; `--xlsx out2.gpkg` named only
    the path."""
    hh = _households(tmp_path)
    same = runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(tmp_path / "out.gpkg"),
                               "--xlsx", str(tmp_path / "out.gpkg"), "--lang", lang])
    assert same.exit_code == 2, same.output
    assert same.output.count("OUT-SUFFIX") == 1 and same.output.count("OUT-SAME") == 1, same.output
    assert "--xlsx" in same.output and ".xlsx" in same.output
    alone = runner.invoke(app, ["delineate", str(hh), *BAND, "-o", str(tmp_path / "out.gpkg"),
                                "--xlsx", str(tmp_path / "plan.gpkg"), "--map", str(tmp_path / "m.png"),
                                "--lang", lang])
    assert alone.exit_code == 2 and alone.output.count("OUT-SUFFIX") == 2, alone.output
    for option, path in (("--xlsx", "plan.gpkg"), ("--map", "m.png")):
        line = next(x for x in alone.output.splitlines() if path in x)
        assert "OUT-SUFFIX-OPTION" in line and option in line, alone.output
    assert _names(tmp_path) == ["hh.csv"]


def test_outputs_given_as_pairs_name_the_option_even_on_one_path(tmp_path: Path) -> None:
    """A mapping holds one key for two outputs of one path; (path, suffixes) pairs keep them apart."""
    from yuanluo.gis.output import LAYER_SUFFIXES, given_as, require_free

    out, xlsx = tmp_path / "out.gpkg", tmp_path / "out.gpkg"
    with given_as([(out, "-o/--output"), (xlsx, "--xlsx")]), pytest.raises(OutputError) as ei:
        require_free([out, xlsx], overwrite=False, allowed=[(out, LAYER_SUFFIXES), (xlsx, (".xlsx",))])
    assert ei.value.codes == ["OUT-SAME", "OUT-SUFFIX-OPTION"]
    assert ei.value.problems[1].params["option"] == "--xlsx"
    with given_as([(out, "-o/--output"), (xlsx, "--xlsx")]), pytest.raises(OutputError) as ei:
        require_free([out, xlsx], overwrite=False, allowed={out: LAYER_SUFFIXES, xlsx: (".xlsx",)})
    assert ei.value.codes == ["OUT-SAME", "OUT-SUFFIX-SHARED"]
    assert "-o/--output, --xlsx" in ei.value.render("en") and "-o/--output、--xlsx" in ei.value.render("zh")


def test_delineate_names_the_option_whose_file_is_wrong_when_two_share_a_path(tmp_path: Path) -> None:
    """``delineate -o out.gpkg --xlsx out.gpkg``: OUT-SAME, and OUT-SUFFIX naming --xlsx (it said OUT-SUFFIX
    twice, naming no option); nothing written."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    out = tmp_path / "out.gpkg"
    res = CliRunner().invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                                   "-o", str(out), "--xlsx", str(out)])
    assert res.exit_code == 2 and "OUT-SAME" in res.output, res.output
    assert res.output.count("OUT-SUFFIX") == 1 and "--xlsx 给出的输出文件" in res.output and not out.exists()


# ------------------------------------------------------------------------------------------ two runs at once
def _race_child(hh: str, out: str, seed: int, barrier: Any, results: Any) -> None:
    """One run of ``graph -o out`` (its run record stamped ``seed``, so the two runs' bytes differ): waits for
    the other run at the commit, then both place at once."""
    os.environ["SOURCE_DATE_EPOCH"] = str(seed)
    real_commit = T.Transaction.commit
    mine: dict[str, str] = {}

    def commit(self: T.Transaction) -> list[Path]:
        mine.update({str(t): _sha(tmp) for t, tmp in self._staged.items()})
        barrier.wait(timeout=60)
        return real_commit(self)

    T.Transaction.commit = commit  # type: ignore[method-assign]
    res = CliRunner().invoke(app, ["graph", hh, "--crs", "EPSG:4490", "-o", out, "-q"])
    results.put((seed, res.exit_code, mine.get(out), res.output))


def test_two_runs_racing_on_one_output_never_replace_each_other(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    hh = _households(tmp_path)
    warm = runner.invoke(app, ["graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "warm.gpkg"), "-q"])
    assert warm.exit_code == 0, warm.output  # every module loaded once here, not in each forked run
    (tmp_path / "warm.gpkg").unlink()
    for trial in range(8):
        out = tmp_path / f"race{trial}.gpkg"
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_race_child, args=(str(hh), str(out), seed, barrier, results))
                 for seed in (1, 2)]
        for p in procs:
            p.start()
        got = sorted(results.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(timeout=60)
        codes = [code for _, code, _, _ in got]
        assert sorted(codes) == [0, 2], got
        winner = next(g for g in got if g[1] == 0)
        loser = next(g for g in got if g[1] == 2)
        assert "OUT-EXISTS" in loser[3]
        assert winner[2] != loser[2]  # the two runs wrote different bytes (their time stamps differ)
        assert _sha(out) == winner[2]  # the winner's bytes, never replaced by the loser
    assert _names(tmp_path) == ["hh.csv", *sorted(f"race{t}.gpkg" for t in range(8))]


# ------------------------------------------------------------------------------------------ SIGTERM
def _paused_run(argv: list[str], flag: str, err: str) -> None:
    """The console script in a forked process (modules already loaded), paused in the commit once the first
    output is in place and the second is still a temporary, until a signal stops it."""
    real = T.Transaction._place
    calls: list[Path] = []

    def place(self: T.Transaction, target: Path, tmp: Path) -> None:
        calls.append(target)
        if len(calls) == 2:
            Path(flag).write_text("paused", encoding="utf-8")
            time.sleep(120)
        real(self, target, tmp)

    T.Transaction._place = place  # type: ignore[method-assign]
    sys.stderr = open(err, "w", encoding="utf-8")  # noqa: SIM115 - the process ends with main()
    sys.argv = ["yuanluo", *argv]
    from yuanluo.planners.cli import main

    main()


def test_sigterm_during_a_run_leaves_nothing(tmp_path: Path) -> None:
    hh = _households(tmp_path)
    flag, err = tmp_path.parent / f"{tmp_path.name}.paused", tmp_path.parent / f"{tmp_path.name}.err"
    out = tmp_path / "out"
    out.mkdir()
    warm = runner.invoke(app, ["graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "warm.gpkg"), "-q"])
    assert warm.exit_code == 0, warm.output
    argv = ["graph", str(hh), "--crs", "EPSG:4490", "-o", str(out / "r.gpkg"), "--graphml", str(out / "r.graphml"),
            "--lang", "en"]
    proc = multiprocessing.get_context("fork").Process(target=_paused_run, args=(argv, str(flag), str(err)))
    proc.start()
    try:
        deadline = time.monotonic() + 120
        while not flag.exists() and proc.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists(), err.read_text(encoding="utf-8") if err.exists() else proc.exitcode
        assert (out / "r.gpkg").exists() and any(p.name.startswith(".r.") for p in out.iterdir())
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGTERM)
        proc.join(timeout=60)
    finally:
        if proc.is_alive():
            proc.kill()
    assert proc.exitcode == 130, err.read_text(encoding="utf-8")
    assert "Stopped by a termination signal (no output written)." in err.read_text(encoding="utf-8")
    assert _names(out) == []
