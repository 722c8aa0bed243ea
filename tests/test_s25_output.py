"""Audit E (session 25): outputs when the file system or the user gets in the way — odd characters in a
GeoPackage path, drives without hard links (FAT, exFAT: ``os.link`` failing with EINVAL on Windows), a disk
full during a backup copy, the demo's folder, names too long for the temporary, errors named by their code."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.output import write_bytes, write_layers
from yuanluo.planners.cli import app

runner = CliRunner()


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def _layers() -> dict[str, gpd.GeoDataFrame]:
    hh = gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
                          index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")
    return {"households": hh}


# ------------------------------------------------------------------------------------------ 1. odd characters
ODD = ["run#1", "a%20b", "村 民(1) #2 %20 -x", "第#2批%zz", "100%"]  # "?" is OUT-NAME-WINDOWS-CHAR (below)


@pytest.mark.parametrize("name", ODD)
def test_a_geopackage_path_with_uri_characters_is_written(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    out = folder / f"{name} 院落 (方案)#1%.gpkg"
    assert write_layers(out, _layers(), run={"seed": 0}) == [out]
    assert [n for n, _ in pyogrio.list_layers(out)] == ["households", "run", "layer_styles"]
    assert _names(folder) == [out.name]  # no stray file named after the part before "#"
    assert _names(tmp_path) == [name]


def test_a_question_mark_in_a_geopackage_path_is_refused_and_quoted_for_sqlite(tmp_path: Path) -> None:
    """``?`` begins SQLite's URI parameters; Windows takes no ``?`` in a name, so the writers refuse it before
    the work (OUT-NAME-WINDOWS-CHAR), and the URI SQLite is given quotes it where a path holds one anyway."""
    from yuanluo.gis.output import OutputError, sqlite_uri

    folder = tmp_path / "q?mode=rw"
    folder.mkdir()
    with pytest.raises(OutputError) as info:
        write_layers(folder / "院落.gpkg", _layers(), run={"seed": 0})
    assert "OUT-NAME-WINDOWS-CHAR" in info.value.codes
    assert _names(folder) == []
    uri = sqlite_uri(folder / "院落.gpkg")
    assert "?mode=rw/" not in uri and "%3F" in uri.upper()


def test_demo_like_relative_output_with_a_hash_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["--lang", "en", "graph", hh.name, "--crs", "EPSG:4490", "-o", "g#1 %20.gpkg", "-q"])
    assert res.exit_code == 0, res.output
    assert _names(tmp_path) == ["g#1 %20.gpkg", "hh.csv"]


# ------------------------------------------------------------------------------------------ 2. link → EINVAL
@pytest.mark.parametrize("code", [errno.EINVAL, errno.EACCES, errno.EIO])
@pytest.mark.parametrize("overwrite", [False, True])
def test_any_link_failure_falls_back_to_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                               overwrite: bool) -> None:
    def no_links(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        raise OSError(code, "Incorrect function", os.fspath(src))

    monkeypatch.setattr(os, "link", no_links)
    if overwrite:
        (tmp_path / "m.html").write_bytes(b"old")
    write_bytes(tmp_path / "m.html", b"new", overwrite=overwrite)
    assert (tmp_path / "m.html").read_bytes() == b"new"
    assert _names(tmp_path) == ["m.html"]


# ------------------------------------------------------------------------------------------ 3. partial backup
def test_a_backup_copy_failing_partway_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted", os.fspath(src))

    def full_disk(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        Path(dst).write_bytes(b"half of the ")  # part of the copy, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", os.fspath(dst))

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(shutil, "copy2", full_disk)
    (tmp_path / "m.html").write_bytes(b"old")
    with pytest.raises(T.TransactionError) as ei:
        write_bytes(tmp_path / "m.html", b"new", overwrite=True)
    assert ei.value.code == "OUT-WRITE" and ei.value.problems[0].params["reason"] == "ENOSPC"
    assert _names(tmp_path) == ["m.html"]  # no hidden .m.….bak.html left taking the space
    assert (tmp_path / "m.html").read_bytes() == b"old"


# ------------------------------------------------------------------------------------------ 7. the checks' reasons
def _hh(tmp: Path) -> Path:
    return write_csv(tmp, "hh.csv", [HEADER, *good_rows(12)])


def _graph(tmp: Path, out: str, *more: str) -> Any:
    return runner.invoke(app, ["--lang", "en", "graph", str(_hh(tmp)), "--crs", "EPSG:4490", "-o", out, "-q", *more])


def _no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any delineation or graph building fails the test: the checks must come before the work."""
    from yuanluo.planners import workflows as W

    def boom(*a: Any, **k: Any) -> None:
        raise AssertionError("the work started before the outputs were checked")

    for name in ("delineate", "build_graph", "load_inputs"):
        if hasattr(W, name):
            monkeypatch.setattr(W, name, boom)


def _read_only_drive(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Everything under ``root`` is on a read-only drive (as a read-only mount; root may write anywhere else)."""
    real_access, real_statvfs = os.access, os.statvfs

    def inside(p: Any) -> bool:
        return Path(os.path.abspath(p)).is_relative_to(root)

    class RO:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if inside(p) and m & os.W_OK else real_access(p, m))
    monkeypatch.setattr(os, "statvfs", lambda p: RO() if inside(p) else real_statvfs(p))


def test_an_output_folder_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    res = _graph(tmp_path, str(tmp_path / "afile" / "g.gpkg"))
    assert res.exit_code == 2, res.output
    assert "OUT-DIR-FILE" in res.output and "which is a file, not a folder" in res.output
    assert "ENOENT" not in res.output and "create it first" not in res.output


def test_an_output_that_is_a_folder_is_refused_before_the_work_even_with_overwrite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "d.gpkg").mkdir()
    hh = _hh(tmp_path)
    _no_work(monkeypatch)
    for more in ([], ["--overwrite"]):
        res = runner.invoke(app, ["--lang", "en", "graph", str(hh), "--crs", "EPSG:4490", "-o",
                                  str(tmp_path / "d.gpkg"), "-q", *more])
        assert res.exit_code == 2, res.output
        assert "OUT-IS-DIR" in res.output and "pass --overwrite to replace it" not in res.output
        assert "OUT-EXISTS" not in res.output
    assert _names(tmp_path) == ["d.gpkg", "hh.csv"]


def test_a_read_only_drive_is_erofs_not_eacces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ro").mkdir()
    hh = _hh(tmp_path)
    _read_only_drive(monkeypatch, tmp_path / "ro")
    res = runner.invoke(app, ["--lang", "en", "graph", str(hh), "--crs", "EPSG:4490", "-o",
                              str(tmp_path / "ro" / "g.gpkg"), "-q"])
    assert res.exit_code == 2, res.output
    assert "(EROFS: " in res.output and "EACCES:" not in res.output


# ------------------------------------------------------------------------------------------ 5. long names
def test_a_long_name_the_drive_takes_is_written(tmp_path: Path) -> None:
    for name in ("院" * 78 + ".gpkg", "a" * 250 + ".gpkg"):  # 239 and 255 bytes: the drive takes them
        res = _graph(tmp_path, str(tmp_path / name))
        assert res.exit_code == 0, res.output
    assert sorted(_names(tmp_path)) == sorted(["hh.csv", "院" * 78 + ".gpkg", "a" * 250 + ".gpkg"])


def test_a_name_too_long_is_refused_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_work(monkeypatch)
    res = _graph(tmp_path, str(tmp_path / ("a" * 252 + ".gpkg")))
    assert res.exit_code == 2, res.output
    assert "OUT-NAME-LONG" in res.output and "257 bytes" in res.output and "shorten the file name" in res.output
    assert _names(tmp_path) == ["hh.csv"]


# ------------------------------------------------------------------------------------------ 4. demo's folder
@pytest.mark.parametrize("given", ["afile", "r.gpkg", "afile/sub"])
def test_demo_into_a_file_is_a_coded_error_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             given: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "r.gpkg").write_text("x")
    _no_work(monkeypatch)
    res = runner.invoke(app, ["--lang", "en", "demo", "-o", given, "-q"])
    assert res.exit_code == 2, res.output
    assert "OUT-DIR-FILE" in res.output and "internal error" not in res.output
    assert _names(tmp_path) == ["afile", "r.gpkg"]


def test_demo_on_a_read_only_drive_is_a_coded_error_before_the_work(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ro").mkdir()
    monkeypatch.chdir(tmp_path / "ro")
    _read_only_drive(monkeypatch, tmp_path / "ro")
    _no_work(monkeypatch)
    for args in (["-o", "sub"], []):
        res = runner.invoke(app, ["--lang", "en", "demo", *args, "-q"])
        assert res.exit_code == 2, res.output
        assert "OUT-WRITE" in res.output and "(EROFS: " in res.output
    assert _names(tmp_path / "ro") == []


def _no_print_map(monkeypatch: pytest.MonkeyPatch, then: Any = None) -> None:
    """The demo without its print map (faster); ``then()`` runs once the work is done, before the writing."""
    import yuanluo.planners.cli.demo as D

    def no_png() -> None:
        if then is not None:
            then()
        return None

    monkeypatch.setattr(D, "_print_format", no_png)


def test_demo_failing_removes_every_folder_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yuanluo.gis.output as O

    def full(path: Any, data: bytes, **k: Any) -> None:
        raise T.write_error(OSError(errno.ENOSPC, "No space left on device", str(path)), Path(path))

    _no_print_map(monkeypatch)
    # the modules that bind write_bytes at import, imported first: imported under the patch, they would keep the
    # failing one for every later test of the run
    import importlib

    for name in ("maps.coverage", "maps.interactive", "maps.static", "maps.static_units", "planners.report"):
        importlib.import_module(f"yuanluo.{name}")

    monkeypatch.setattr(O, "write_bytes", full)
    (tmp_path / "full").mkdir()
    res = runner.invoke(app, ["--lang", "en", "demo", "-o", str(tmp_path / "full" / "第一批" / "demo run"), "-q"])
    assert res.exit_code == 2, res.output
    assert "ENOSPC" in res.output
    assert _names(tmp_path / "full") == []  # 第一批 too, not only "demo run"


# ------------------------------------------------------------------------------------------ 9. two demo runs
def test_a_demo_run_losing_its_folder_to_another_moves_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    def other_run() -> None:  # another run, started at the same time, wrote yuanluo-demo/ first
        (tmp_path / "yuanluo-demo").mkdir()
        (tmp_path / "yuanluo-demo" / "demo.html").write_bytes(b"the other run's map")

    _no_print_map(monkeypatch, other_run)
    res = runner.invoke(app, ["--lang", "en", "demo", "-q"])
    assert res.exit_code == 0, res.output
    assert "OUT-EXISTS" not in res.output and "yuanluo-demo-2/demo.gpkg" in res.output
    assert _names(tmp_path / "yuanluo-demo") == ["demo.html"]
    assert (tmp_path / "yuanluo-demo" / "demo.html").read_bytes() == b"the other run's map"
    assert _names(tmp_path / "yuanluo-demo-2") == ["demo.gpkg", "demo.html"]


# ------------------------------------------------------------------------------------------ 6. GDAL's words
def _gdal_fails(monkeypatch: pytest.MonkeyPatch, words: str) -> None:
    def fail(*a: Any, **k: Any) -> None:
        raise pyogrio.errors.DataSourceError(words)

    monkeypatch.setattr(pyogrio, "write_dataframe", fail)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_geopackage_on_a_full_disk_says_enospc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    import collections

    _gdal_fails(monkeypatch, "Failed to commit transaction")
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(200_000, 200_000, 0))
    hh = _hh(tmp_path)
    res = runner.invoke(app, ["--lang", lang, "graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg"),
                              "-q"])
    assert res.exit_code == 2, res.output
    assert "ENOSPC" in res.output and "DataSourceError" not in res.output and "commit" not in res.output
    assert _names(tmp_path) == ["hh.csv"]


def test_a_geopackage_gdal_cannot_open_names_the_system_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _gdal_fails(monkeypatch, "sqlite3_open(x) failed: unable to open database file")
    real_open = os.open

    def read_only(p: Any, *a: Any, **k: Any) -> int:
        if Path(p).parent == tmp_path:
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(p))
        return real_open(p, *a, **k)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(T.TransactionError) as ei:
        write_layers(tmp_path / "g.gpkg", _layers())
    assert ei.value.problems[0].params["reason"] == "EROFS"
    assert "unable to open" not in ei.value.render("en")
    assert _names(tmp_path) == []
